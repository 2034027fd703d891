// RUN: rebocc-opt %s -split-input-file -verify-diagnostics --convert-circulant-to-crossbar | FileCheck %s
// The lowered IR passes the crossbar verifiers when read back.
// RUN: rebocc-opt %s -split-input-file -verify-diagnostics --convert-circulant-to-crossbar | rebocc-opt -split-input-file | FileCheck %s

// Hardware: 8 x 8 arrays, 4-bit weights on 2-bit cells (2 cells per weight,
// 4 weight columns per array, floor(8/k)*k rows per array). The arrays are
// not placed yet (no `place`): crossbar-place-arrays does that
// (test/Dialect/Crossbar/crossbar-place-arrays.mlir).
//
// fc1: A,    m = 8,  n = 12, k = 4: rows 12 -> row tiles [0,8) [8,12); p = 2 cols. arrays 0, 1
// fc2: B(2), m = 4,  n = 12, k = 4: p*d = 2 cols; 2 row tiles.                     arrays 2, 3
// fc3: E,    m = 2,  n = 12, k = 2: p*d = 2 cols; rows [0,8) [8,12).               arrays 4, 5
// fc4: A,    m = 4,  n = 12, k = 4, private input: 1 col; 2 row tiles.             arrays 6, 7
// fc5: A,    m = 20, n = 8,  k = 2: 8 rows, 1 row tile; p = 10 cols -> 4, 4, 2.    arrays 8, 9, 10
// weight_scale = max|w| / (2^(4-1) - 1) = max|w| / 7 (1 for an all-zero layer).

// CHECK-LABEL: module attributes {rebocc.hw
// CHECK-NOT: place
// CHECK-DAG: crossbar.layer @fc1 {bias = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00, 8.000000e+00]> : tensor<8xf32>, block_size = 4 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 1 : i64, m = 8 : i64, mapping = #crossbar.mapping<A>, n = 12 : i64, weight = dense<{{\[\[\[}}1.000000e+00, -3.500000e+00, 5.000000e-01, 2.000000e+00], [0.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00], [3.000000e+00, 2.000000e+00, 1.000000e+00, 0.000000e+00]], {{\[\[}}-1.000000e+00, -2.000000e+00, -3.000000e+00, 0.000000e+00], [2.500000e-01, 0.000000e+00, 0.000000e+00, 0.000000e+00], [1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00]]]> : tensor<2x3x4xf32>, weight_bits = 4 : i64, weight_scale = 5.000000e-01 : f32}
// CHECK-DAG: crossbar.array @fc1_r0_c0 {col_begin = 0 : i64, col_count = 2 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc1, row_begin = 0 : i64, row_count = 8 : i64, row_tile = 0 : i64, rows = 8 : i64}
// CHECK-DAG: crossbar.array @fc1_r1_c0 {col_begin = 0 : i64, col_count = 2 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc1, row_begin = 8 : i64, row_count = 4 : i64, row_tile = 1 : i64, rows = 8 : i64}
// CHECK-DAG: crossbar.layer @fc2 {bias = dense<5.000000e-01> : tensor<4xf32>, block_size = 4 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 2 : i64, m = 4 : i64, mapping = #crossbar.mapping<B>, n = 12 : i64, weight = dense<0.000000e+00> : tensor<1x3x4xf32>, weight_bits = 4 : i64, weight_scale = 1.000000e+00 : f32}
// CHECK-DAG: crossbar.array @fc2_r0_c0 {col_begin = 0 : i64, col_count = 2 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc2, row_begin = 0 : i64, row_count = 8 : i64, row_tile = 0 : i64, rows = 8 : i64}
// CHECK-DAG: crossbar.array @fc2_r1_c0 {col_begin = 0 : i64, col_count = 2 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc2, row_begin = 8 : i64, row_count = 4 : i64, row_tile = 1 : i64, rows = 8 : i64}
// CHECK-DAG: crossbar.layer @fc3 {bias = dense<0.000000e+00> : tensor<2xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 2 : i64, m = 2 : i64, mapping = #crossbar.mapping<E>, n = 12 : i64, weight = dense<0.699999988> : tensor<1x6x2xf32>, weight_bits = 4 : i64, weight_scale = 1.000000e-01 : f32}
// CHECK-DAG: crossbar.array @fc3_r0_c0 {col_begin = 0 : i64, col_count = 2 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc3, row_begin = 0 : i64, row_count = 8 : i64, row_tile = 0 : i64, rows = 8 : i64}
// CHECK-DAG: crossbar.array @fc3_r1_c0 {col_begin = 0 : i64, col_count = 2 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc3, row_begin = 8 : i64, row_count = 4 : i64, row_tile = 1 : i64, rows = 8 : i64}
// CHECK-DAG: crossbar.layer @fc4 {bias = dense<0.000000e+00> : tensor<4xf32>, block_size = 4 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 1 : i64, m = 4 : i64, mapping = #crossbar.mapping<A>, n = 12 : i64, weight = dense<-1.400000e+00> : tensor<1x3x4xf32>, weight_bits = 4 : i64, weight_scale = 2.000000e-01 : f32}
// CHECK-DAG: crossbar.array @fc4_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc4, row_begin = 0 : i64, row_count = 8 : i64, row_tile = 0 : i64, rows = 8 : i64}
// CHECK-DAG: crossbar.array @fc4_r1_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc4, row_begin = 8 : i64, row_count = 4 : i64, row_tile = 1 : i64, rows = 8 : i64}
// CHECK-DAG: crossbar.layer @fc5 {bias = dense<0.000000e+00> : tensor<20xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 1 : i64, m = 20 : i64, mapping = #crossbar.mapping<A>, n = 8 : i64, weight = dense<1.400000e+01> : tensor<10x4x2xf32>, weight_bits = 4 : i64, weight_scale = 2.000000e+00 : f32}
// CHECK-DAG: crossbar.array @fc5_r0_c0 {col_begin = 0 : i64, col_count = 4 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc5, row_begin = 0 : i64, row_count = 8 : i64, row_tile = 0 : i64, rows = 8 : i64}
// CHECK-DAG: crossbar.array @fc5_r0_c1 {col_begin = 4 : i64, col_count = 4 : i64, col_tile = 1 : i64, cols = 8 : i64, layer = @fc5, row_begin = 0 : i64, row_count = 8 : i64, row_tile = 0 : i64, rows = 8 : i64}
// CHECK-DAG: crossbar.array @fc5_r0_c2 {col_begin = 8 : i64, col_count = 2 : i64, col_tile = 2 : i64, cols = 8 : i64, layer = @fc5, row_begin = 0 : i64, row_count = 8 : i64, row_tile = 0 : i64, rows = 8 : i64}
// CHECK-NOT: crossbar.array
// CHECK-LABEL: func.func @net
// CHECK-SAME: (%[[X:.*]]: tensor<?x12xf32>)
// fc1 and fc2 read %x with k = 4 and share one buffer; fc3 shares but slices
// by 2, so it gets its own; fc4 does not share, so it gets a private one.
// CHECK-DAG: %[[B4:.*]] = crossbar.input_buffer %[[X]] {shared, slice_size = 4 : i64} : tensor<?x12xf32>
// CHECK-DAG: %[[B2:.*]] = crossbar.input_buffer %[[X]] {shared, slice_size = 2 : i64} : tensor<?x12xf32>
// CHECK-DAG: %[[BP:.*]] = crossbar.input_buffer %[[X]] {slice_size = 4 : i64} : tensor<?x12xf32>
// One mvm per row tile; steps = k / d, stride = d.
// CHECK: %[[P10:.*]] = crossbar.mvm %[[B4]] {arrays = [@fc1_r0_c0], layer = @fc1, row_tile = 0 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x12xf32>) -> tensor<?x8xf32>
// CHECK: %[[P11:.*]] = crossbar.mvm %[[B4]] {arrays = [@fc1_r1_c0], layer = @fc1, row_tile = 1 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x12xf32>) -> tensor<?x8xf32>
// CHECK: %[[S1:.*]] = crossbar.reduce %[[P10]], %[[P11]] : tensor<?x8xf32>
// CHECK: %[[Y1:.*]] = crossbar.bias_add %[[S1]] {layer = @fc1} : tensor<?x8xf32>
// CHECK: %[[P20:.*]] = crossbar.mvm %[[B4]] {arrays = [@fc2_r0_c0], layer = @fc2, row_tile = 0 : i64, steps = 2 : i64, stride = 2 : i64} : (tensor<?x12xf32>) -> tensor<?x4xf32>
// CHECK: %[[P21:.*]] = crossbar.mvm %[[B4]] {arrays = [@fc2_r1_c0], layer = @fc2, row_tile = 1 : i64, steps = 2 : i64, stride = 2 : i64} : (tensor<?x12xf32>) -> tensor<?x4xf32>
// CHECK: %[[S2:.*]] = crossbar.reduce %[[P20]], %[[P21]] : tensor<?x4xf32>
// CHECK: %[[Y2:.*]] = crossbar.bias_add %[[S2]] {layer = @fc2} : tensor<?x4xf32>
// CHECK: %[[P30:.*]] = crossbar.mvm %[[B2]] {arrays = [@fc3_r0_c0], layer = @fc3, row_tile = 0 : i64, steps = 1 : i64, stride = 2 : i64} : (tensor<?x12xf32>) -> tensor<?x2xf32>
// CHECK: %[[P31:.*]] = crossbar.mvm %[[B2]] {arrays = [@fc3_r1_c0], layer = @fc3, row_tile = 1 : i64, steps = 1 : i64, stride = 2 : i64} : (tensor<?x12xf32>) -> tensor<?x2xf32>
// CHECK: %[[S3:.*]] = crossbar.reduce %[[P30]], %[[P31]] : tensor<?x2xf32>
// CHECK: %[[Y3:.*]] = crossbar.bias_add %[[S3]] {layer = @fc3} : tensor<?x2xf32>
// CHECK: %[[P40:.*]] = crossbar.mvm %[[BP]] {arrays = [@fc4_r0_c0], layer = @fc4, row_tile = 0 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x12xf32>) -> tensor<?x4xf32>
// CHECK: %[[P41:.*]] = crossbar.mvm %[[BP]] {arrays = [@fc4_r1_c0], layer = @fc4, row_tile = 1 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x12xf32>) -> tensor<?x4xf32>
// CHECK: %[[S4:.*]] = crossbar.reduce %[[P40]], %[[P41]] : tensor<?x4xf32>
// CHECK: %[[Y4:.*]] = crossbar.bias_add %[[S4]] {layer = @fc4} : tensor<?x4xf32>
// CHECK: %[[R:.*]] = crossbar.digital "relu"(%[[Y1]]) : (tensor<?x8xf32>) -> tensor<?x8xf32>
// A buffer for a computed value sits right after its producer.
// CHECK-NEXT: %[[B5:.*]] = crossbar.input_buffer %[[R]] {shared, slice_size = 2 : i64} : tensor<?x8xf32>
// Three arrays in one row tile: one mvm drives all of them.
// CHECK-NEXT: %[[P5:.*]] = crossbar.mvm %[[B5]] {arrays = [@fc5_r0_c0, @fc5_r0_c1, @fc5_r0_c2], layer = @fc5, row_tile = 0 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x8xf32>) -> tensor<?x20xf32>
// CHECK-NEXT: %[[S5:.*]] = crossbar.reduce %[[P5]] : tensor<?x20xf32>
// CHECK-NEXT: %[[Y5:.*]] = crossbar.bias_add %[[S5]] {layer = @fc5} : tensor<?x20xf32>
// CHECK: %[[SIG:.*]] = crossbar.digital "sigmoid"(%[[Y2]]) : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[CST:.*]] = crossbar.constant {value = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>} : tensor<4xf32>
// CHECK: %[[ADD:.*]] = crossbar.digital "add"(%[[SIG]], %[[Y4]]) : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[MUL:.*]] = crossbar.digital "mul"(%[[ADD]], %[[CST]]) : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
// CHECK: %[[SM:.*]] = crossbar.digital "softmax"(%[[Y3]]) {axis = 1 : i64} : (tensor<?x2xf32>) -> tensor<?x2xf32>
// CHECK: %[[RS:.*]] = crossbar.digital "reshape"(%[[MUL]]) : (tensor<?x4xf32>) -> tensor<?x2x2xf32>
// CHECK: %[[FL:.*]] = crossbar.digital "flatten"(%[[RS]]) {axis = 1 : i64} : (tensor<?x2x2xf32>) -> tensor<?x4xf32>
// CHECK: return %[[Y5]], %[[FL]], %[[SM]], %[[RS]]
// CHECK-NOT: circulant.
module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64,
                                weight_bits = 4 : i64, cell_bits = 2 : i64,
                                xbars_per_ima = 2 : i64, imas_per_tile = 1 : i64}} {
  func.func @net(%x: tensor<?x12xf32>) -> (tensor<?x20xf32>, tensor<?x4xf32>, tensor<?x2xf32>, tensor<?x2x2xf32>) {
    %a = circulant.fc %x {name = "fc1", block_size = 4 : i64, mapping = #circulant.mapping<A>,
           duplication = 1 : i64, crossbars = 2 : i64, shared_input,
           weight = dense<[[[1.0, -3.5, 0.5, 2.0], [0.0, 1.0, 1.0, 1.0], [3.0, 2.0, 1.0, 0.0]],
                           [[-1.0, -2.0, -3.0, 0.0], [0.25, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0]]]> : tensor<2x3x4xf32>,
           bias = dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]> : tensor<8xf32>}
         : (tensor<?x12xf32>) -> tensor<?x8xf32>
    %b = circulant.fc %x {name = "fc2", block_size = 4 : i64, mapping = #circulant.mapping<B>,
           duplication = 2 : i64, crossbars = 2 : i64, shared_input,
           weight = dense<0.0> : tensor<1x3x4xf32>, bias = dense<0.5> : tensor<4xf32>}
         : (tensor<?x12xf32>) -> tensor<?x4xf32>
    %c = circulant.fc %x {name = "fc3", block_size = 2 : i64, mapping = #circulant.mapping<E>,
           duplication = 2 : i64, crossbars = 2 : i64, shared_input,
           weight = dense<0.7> : tensor<1x6x2xf32>, bias = dense<0.0> : tensor<2xf32>}
         : (tensor<?x12xf32>) -> tensor<?x2xf32>
    %d = circulant.fc %x {name = "fc4", block_size = 4 : i64, mapping = #circulant.mapping<A>,
           duplication = 1 : i64, crossbars = 2 : i64,
           weight = dense<-1.4> : tensor<1x3x4xf32>, bias = dense<0.0> : tensor<4xf32>}
         : (tensor<?x12xf32>) -> tensor<?x4xf32>
    %r = circulant.relu %a : tensor<?x8xf32>
    %e = circulant.fc %r {name = "fc5", block_size = 2 : i64, mapping = #circulant.mapping<A>,
           duplication = 1 : i64, crossbars = 3 : i64, shared_input,
           weight = dense<14.0> : tensor<10x4x2xf32>, bias = dense<0.0> : tensor<20xf32>}
         : (tensor<?x8xf32>) -> tensor<?x20xf32>
    %s = circulant.sigmoid %b : tensor<?x4xf32>
    %cst = circulant.constant {value = dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>} : tensor<4xf32>
    %sum = circulant.add %s, %d : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
    %prod = circulant.mul %sum, %cst : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
    %sm = circulant.softmax %c {axis = 1 : i64} : tensor<?x2xf32>
    %rs = circulant.reshape %prod : (tensor<?x4xf32>) -> tensor<?x2x2xf32>
    %fl = circulant.flatten %rs {axis = 1 : i64} : (tensor<?x2x2xf32>) -> tensor<?x4xf32>
    return %e, %fl, %sm, %rs : tensor<?x20xf32>, tensor<?x4xf32>, tensor<?x2xf32>, tensor<?x2x2xf32>
  }
}

// -----

// Without rebocc.hw: ISAAC-CE, 16-bit weights on 2-bit cells. A 1024 x 1024
// layer with k = 16 in mapping A: 8 row tiles x 4 col tiles (16 weight
// columns each) = 32 arrays; 8 mvms of 4 arrays, 16 steps of stride 1.
// weight_scale = 0.5 / (2^15 - 1).
// CHECK-LABEL: module {
// CHECK: crossbar.layer @big {{{.*}}block_size = 16 : i64, cell_bits = 2 : i64, cells_per_weight = 8 : i64, duplication = 1 : i64, m = 1024 : i64, mapping = #crossbar.mapping<A>, n = 1024 : i64, {{.*}}weight_bits = 16 : i64, weight_scale = 1.52592547E-5 : f32}
// CHECK-NEXT: crossbar.array @big_r0_c0 {col_begin = 0 : i64, col_count = 16 : i64, col_tile = 0 : i64, cols = 128 : i64, layer = @big, row_begin = 0 : i64, row_count = 128 : i64, row_tile = 0 : i64, rows = 128 : i64}
// CHECK-COUNT-30: crossbar.array @big_r{{[0-7]}}_c{{[0-3]}} {{{.*}}rows = 128 : i64}
// CHECK-NEXT: crossbar.array @big_r7_c3 {col_begin = 48 : i64, col_count = 16 : i64, col_tile = 3 : i64, cols = 128 : i64, layer = @big, row_begin = 896 : i64, row_count = 128 : i64, row_tile = 7 : i64, rows = 128 : i64}
// CHECK-NEXT: func.func @isaac
// CHECK: crossbar.input_buffer %{{.*}} {slice_size = 16 : i64} : tensor<?x1024xf32>
// CHECK: crossbar.mvm %{{.*}} {arrays = [@big_r0_c0, @big_r0_c1, @big_r0_c2, @big_r0_c3], layer = @big, row_tile = 0 : i64, steps = 16 : i64, stride = 1 : i64}
// CHECK-COUNT-6: crossbar.mvm
// CHECK: crossbar.mvm %{{.*}} {arrays = [@big_r7_c0, @big_r7_c1, @big_r7_c2, @big_r7_c3], layer = @big, row_tile = 7 : i64, steps = 16 : i64, stride = 1 : i64}
// CHECK-NEXT: crossbar.reduce %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<?x1024xf32>
func.func @isaac(%x: tensor<?x1024xf32>) -> tensor<?x1024xf32> {
  %y = circulant.fc %x {name = "big", block_size = 16 : i64, mapping = #circulant.mapping<A>,
         duplication = 1 : i64,
         weight = dense<0.5> : tensor<64x64x16xf32>, bias = dense<0.0> : tensor<1024xf32>}
       : (tensor<?x1024xf32>) -> tensor<?x1024xf32>
  return %y : tensor<?x1024xf32>
}

// -----

// Symbol clashes are resolved by renaming, and every reference follows.
// CHECK-LABEL: module attributes
// CHECK-DAG: crossbar.layer @fc {{{.*}}weight = dense<1.000000e+00>
// CHECK-DAG: crossbar.array @[[A0:fc_r0_c0_[0-9]+]] {{{.*}}layer = @fc,
// CHECK-DAG: crossbar.layer @[[L1:fc_[0-9]+]] {{{.*}}weight = dense<2.000000e+00>
// CHECK-DAG: crossbar.array @[[A1:fc_[0-9]+_r0_c0]] {{{.*}}layer = @[[L1]],
// CHECK-LABEL: func.func @clash
// CHECK: crossbar.mvm %{{.*}} {arrays = [@[[A0]]], layer = @fc,
// CHECK: crossbar.bias_add %{{.*}} {layer = @fc}
// CHECK: crossbar.mvm %{{.*}} {arrays = [@[[A1]]], layer = @[[L1]],
// CHECK: crossbar.bias_add %{{.*}} {layer = @[[L1]]}
// CHECK-LABEL: func.func @fc_r0_c0()
module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64,
                                weight_bits = 4 : i64, cell_bits = 2 : i64}} {
  func.func @clash(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
    %a = circulant.fc %x {name = "fc", block_size = 4 : i64, mapping = #circulant.mapping<A>,
           weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
         : (tensor<?x4xf32>) -> tensor<?x4xf32>
    %b = circulant.fc %a {name = "fc", block_size = 4 : i64, mapping = #circulant.mapping<A>,
           weight = dense<2.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
         : (tensor<?x4xf32>) -> tensor<?x4xf32>
    return %a, %b : tensor<?x4xf32>, tensor<?x4xf32>
  }
  func.func @fc_r0_c0() {
    return
  }
}

// -----

func.func @unmapped(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{layer 'plain' has no mapping; run a mapping pass first}}
  %y = circulant.fc %x {name = "plain", block_size = 2 : i64,
         weight = dense<1.0> : tensor<2x2x2xf32>, bias = dense<0.0> : tensor<4xf32>}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64,
                                weight_bits = 4 : i64, cell_bits = 2 : i64}} {
  func.func @too_big(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
    // expected-error @+1 {{layer 'big': block size k = 16 exceeds the 8 crossbar rows}}
    %y = circulant.fc %x {name = "big", block_size = 16 : i64, mapping = #circulant.mapping<A>,
           weight = dense<1.0> : tensor<1x1x16xf32>, bias = dense<0.0> : tensor<16xf32>}
         : (tensor<?x16xf32>) -> tensor<?x16xf32>
    return %y : tensor<?x16xf32>
  }
}

// -----

// expected-error @+1 {{rebocc.hw: cell_bits = 5 must be in [1, 4]}}
module attributes {rebocc.hw = {weight_bits = 4 : i64, cell_bits = 5 : i64}} {
  func.func @bad_hw(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %y = circulant.fc %x {name = "l", block_size = 4 : i64, mapping = #circulant.mapping<A>,
           weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
         : (tensor<?x4xf32>) -> tensor<?x4xf32>
    return %y : tensor<?x4xf32>
  }
}

// -----

// The elementwise math, comparison and logic ops become crossbar.digital
// functions of the same names, operands in order.
// CHECK-LABEL: func.func @elementwise
// CHECK: %[[S:.*]] = crossbar.digital "sqrt"(%arg0) : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[G:.*]] = crossbar.digital "gelu_tanh"(%[[S]])
// CHECK: %[[P:.*]] = crossbar.digital "pow"(%[[G]], %arg1) : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
// CHECK: %[[E:.*]] = crossbar.digital "greater_or_equal"(%arg1, %[[P]]) : (tensor<4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[W:.*]] = crossbar.digital "where"(%[[E]], %[[P]], %arg1) : (tensor<?x4xf32>, tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
// CHECK: %[[F:.*]] = crossbar.digital "fma"(%[[W]], %arg1, %[[P]]) : (tensor<?x4xf32>, tensor<4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: return %[[F]]
func.func @elementwise(%x: tensor<?x4xf32>, %c: tensor<4xf32>) -> tensor<?x4xf32> {
  %s = circulant.sqrt %x : tensor<?x4xf32>
  %g = circulant.gelu_tanh %s : tensor<?x4xf32>
  %p = circulant.pow %g, %c : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %e = circulant.greater_or_equal %c, %p : (tensor<4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %w = circulant.where %e, %p, %c : (tensor<?x4xf32>, tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %f = circulant.fma %w, %c, %p : (tensor<?x4xf32>, tensor<4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %f : tensor<?x4xf32>
}

// -----

// Reductions, log_softmax and normalize become crossbar.digital functions of
// the same names, with their axes, axis and epsilon.
// CHECK-LABEL: func.func @reductions
// CHECK: %[[R:.*]] = crossbar.digital "reduce_sum"(%arg0) {axes = array<i64: 1>} : (tensor<?x3x4xf32>) -> tensor<?x1x4xf32>
// CHECK: %[[M:.*]] = crossbar.digital "reduce_max"(%[[R]]) {axes = array<i64: 2>} : (tensor<?x1x4xf32>) -> tensor<?x1x1xf32>
// CHECK: %[[N:.*]] = crossbar.digital "normalize"(%arg0) {axis = 1 : i64, epsilon = 5.000000e-01 : f32} : (tensor<?x3x4xf32>) -> tensor<?x3x4xf32>
// CHECK: %[[L:.*]] = crossbar.digital "log_softmax"(%[[N]]) {axis = 2 : i64} : (tensor<?x3x4xf32>) -> tensor<?x3x4xf32>
// CHECK: return %[[M]], %[[L]]
func.func @reductions(%x: tensor<?x3x4xf32>) -> (tensor<?x1x1xf32>, tensor<?x3x4xf32>) {
  %r = circulant.reduce_sum %x {axes = array<i64: 1>} : (tensor<?x3x4xf32>) -> tensor<?x1x4xf32>
  %m = circulant.reduce_max %r {axes = array<i64: 2>} : (tensor<?x1x4xf32>) -> tensor<?x1x1xf32>
  %n = circulant.normalize %x {axis = 1 : i64, epsilon = 0.5 : f32} : tensor<?x3x4xf32>
  %l = circulant.log_softmax %n {axis = 2 : i64} : tensor<?x3x4xf32>
  return %m, %l : tensor<?x1x1xf32>, tensor<?x3x4xf32>
}

// -----

// circulant.slice becomes crossbar.digital "slice" with its ranges.
// CHECK-LABEL: func.func @slice
// CHECK: %[[S:.*]] = crossbar.digital "slice"(%arg0) {axes = array<i64: 1>, ends = array<i64: 3>, starts = array<i64: 1>} : (tensor<?x4xf32>) -> tensor<?x2xf32>
// CHECK: return %[[S]]
func.func @slice(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %s = circulant.slice %x {axes = array<i64: 1>, starts = array<i64: 1>, ends = array<i64: 3>} : (tensor<?x4xf32>) -> tensor<?x2xf32>
  return %s : tensor<?x2xf32>
}

// -----

// circulant.resize becomes crossbar.digital "resize" with its tables.
// CHECK-LABEL: func.func @resize
// CHECK: %[[R:.*]] = crossbar.digital "resize"(%arg0) {axes = array<i64: 1>, sources = array<i64: 0, 0, 1>, taps = array<i64: 1>, weights = array<f32: 1.000000e+00, 1.000000e+00, 1.000000e+00>} : (tensor<?x2xf32>) -> tensor<?x3xf32>
// CHECK: return %[[R]]
func.func @resize(%x: tensor<?x2xf32>) -> tensor<?x3xf32> {
  %r = circulant.resize %x {axes = array<i64: 1>, taps = array<i64: 1>, sources = array<i64: 0, 0, 1>, weights = array<f32: 1.0, 1.0, 1.0>} : (tensor<?x2xf32>) -> tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}
