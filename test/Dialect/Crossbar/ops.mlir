// RUN: rebocc-opt %s | FileCheck %s
// RUN: rebocc-opt %s | rebocc-opt | FileCheck %s
// RUN: rebocc-opt %s --mlir-print-op-generic | rebocc-opt | FileCheck %s

// A layer m = 4, n = 6, k = 2 (p = 2, q = 3) in mapping B(2) on 8 x 8 arrays
// with 4-bit weights on 2-bit cells (2 cells per weight): 6 logical rows,
// p*d = 4 weight columns = 8 physical columns, one array.
// A second layer in mapping A split into two row tiles.

// CHECK-LABEL: module
// CHECK: crossbar.layer @fc1 {bias = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 2 : i64, m = 4 : i64, mapping = #crossbar.mapping<B>, n = 6 : i64, weight = dense<5.000000e-01> : tensor<2x3x2xf32>, weight_bits = 4 : i64, weight_scale = 1.250000e-01 : f32}
// CHECK: crossbar.array @fc1_r0_c0 {col_begin = 0 : i64, col_count = 4 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc1, place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 0, xbar = 0>, row_begin = 0 : i64, row_count = 6 : i64, row_tile = 0 : i64, rows = 8 : i64}
// CHECK: crossbar.layer @fc2 {bias = dense<0.000000e+00> : tensor<2xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 1 : i64, m = 2 : i64, mapping = #crossbar.mapping<A>, n = 4 : i64, weight = dense<1.000000e+00> : tensor<1x2x2xf32>, weight_bits = 4 : i64, weight_scale = 1.000000e+00 : f32}
// CHECK: crossbar.array @fc2_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc2, place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 1, xbar = 0>, row_begin = 0 : i64, row_count = 2 : i64, row_tile = 0 : i64, rows = 2 : i64}
// CHECK: crossbar.array @fc2_r1_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc2, place = #crossbar.place<chip = 1, load = 0, tile = 3, ima = 2, xbar = 1>, row_begin = 2 : i64, row_count = 2 : i64, row_tile = 1 : i64, rows = 2 : i64}
crossbar.layer @fc1 {m = 4 : i64, n = 6 : i64, block_size = 2 : i64,
  mapping = #crossbar.mapping<B>, duplication = 2 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 0.125 : f32,
  weight = dense<0.5> : tensor<2x3x2xf32>,
  bias = dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>}
crossbar.array @fc1_r0_c0 {layer = @fc1, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 0 : i64,
  row_count = 6 : i64, col_begin = 0 : i64, col_count = 4 : i64,
  place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 0, xbar = 0>}
crossbar.layer @fc2 {m = 2 : i64, n = 4 : i64, block_size = 2 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x2x2xf32>, bias = dense<0.0> : tensor<2xf32>}
crossbar.array @fc2_r0_c0 {layer = @fc2, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 2 : i64, cols = 8 : i64, row_begin = 0 : i64,
  row_count = 2 : i64, col_begin = 0 : i64, col_count = 1 : i64,
  place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 1, xbar = 0>}
crossbar.array @fc2_r1_c0 {layer = @fc2, row_tile = 1 : i64,
  col_tile = 0 : i64, rows = 2 : i64, cols = 8 : i64, row_begin = 2 : i64,
  row_count = 2 : i64, col_begin = 0 : i64, col_count = 1 : i64,
  place = #crossbar.place<chip = 1, load = 0, tile = 3, ima = 2, xbar = 1>}

// CHECK-LABEL: func.func @schedule
// CHECK-SAME: (%[[X:.*]]: tensor<?x6xf32>, %[[V:.*]]: tensor<4xf32>)
// CHECK: %[[B:.*]] = crossbar.input_buffer %[[X]] {shared, slice_size = 2 : i64} : tensor<?x6xf32>
// CHECK: %[[P:.*]] = crossbar.mvm %[[B]] {arrays = [@fc1_r0_c0], layer = @fc1, row_tile = 0 : i64, steps = 1 : i64, stride = 2 : i64} : (tensor<?x6xf32>) -> tensor<?x4xf32>
// CHECK: %[[S:.*]] = crossbar.reduce %[[P]] : tensor<?x4xf32>
// CHECK: %[[Y:.*]] = crossbar.bias_add %[[S]] {layer = @fc1} : tensor<?x4xf32>
// CHECK: %[[R:.*]] = crossbar.digital "relu"(%[[Y]]) : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[C:.*]] = crossbar.constant {value = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>} : tensor<4xf32>
// CHECK: %[[A:.*]] = crossbar.digital "add"(%[[R]], %[[C]]) : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
// CHECK: %[[M:.*]] = crossbar.digital "mul"(%[[A]], %[[V]]) : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
// CHECK: %[[G:.*]] = crossbar.digital "sigmoid"(%[[M]]) : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[SM:.*]] = crossbar.digital "softmax"(%[[G]]) {axis = 1 : i64} : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[RS:.*]] = crossbar.digital "reshape"(%[[SM]]) : (tensor<?x4xf32>) -> tensor<?x2x2xf32>
// CHECK: %[[F:.*]] = crossbar.digital "flatten"(%[[RS]]) {axis = 1 : i64} : (tensor<?x2x2xf32>) -> tensor<?x4xf32>
// CHECK: %[[I:.*]] = crossbar.digital "identity"(%[[F]]) : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[PB:.*]] = crossbar.input_buffer %[[I]] {bytes = 8 : i64, slice_size = 2 : i64, tile = #crossbar.tile<chip = 0, load = 0, tile = 0>} : tensor<?x4xf32>
// CHECK: %[[Q0:.*]] = crossbar.mvm %[[PB]] {arrays = [@fc2_r0_c0], layer = @fc2, row_tile = 0 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x4xf32>) -> tensor<?x2xf32>
// CHECK: %[[Q1:.*]] = crossbar.mvm %[[PB]] {arrays = [@fc2_r1_c0], layer = @fc2, row_tile = 1 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x4xf32>) -> tensor<?x2xf32>
// CHECK: %[[T:.*]] = crossbar.reduce %[[Q0]], %[[Q1]] : tensor<?x2xf32>
// CHECK: %[[Z:.*]] = crossbar.bias_add %[[T]] {layer = @fc2} : tensor<?x2xf32>
// CHECK: return %[[Z]]
func.func @schedule(%x: tensor<?x6xf32>, %v: tensor<4xf32>) -> tensor<?x2xf32> {
  %b = crossbar.input_buffer %x {slice_size = 2 : i64, shared} : tensor<?x6xf32>
  %p = crossbar.mvm %b {layer = @fc1, row_tile = 0 : i64, arrays = [@fc1_r0_c0],
                        steps = 1 : i64, stride = 2 : i64}
       : (tensor<?x6xf32>) -> tensor<?x4xf32>
  %s = crossbar.reduce %p : tensor<?x4xf32>
  %y = crossbar.bias_add %s {layer = @fc1} : tensor<?x4xf32>
  %r = crossbar.digital "relu"(%y) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %c = crossbar.constant {value = dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>} : tensor<4xf32>
  %a = crossbar.digital "add"(%r, %c) : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %m = crossbar.digital "mul"(%a, %v) : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %g = crossbar.digital "sigmoid"(%m) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %sm = crossbar.digital "softmax"(%g) {axis = 1 : i64} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %rs = crossbar.digital "reshape"(%sm) : (tensor<?x4xf32>) -> tensor<?x2x2xf32>
  %f = crossbar.digital "flatten"(%rs) {axis = 1 : i64} : (tensor<?x2x2xf32>) -> tensor<?x4xf32>
  %i = crossbar.digital "identity"(%f) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %pb = crossbar.input_buffer %i {slice_size = 2 : i64, bytes = 8 : i64,
                                  tile = #crossbar.tile<chip = 0, load = 0, tile = 0>}
        : tensor<?x4xf32>
  %q0 = crossbar.mvm %pb {layer = @fc2, row_tile = 0 : i64, arrays = [@fc2_r0_c0],
                          steps = 2 : i64, stride = 1 : i64}
        : (tensor<?x4xf32>) -> tensor<?x2xf32>
  %q1 = crossbar.mvm %pb {layer = @fc2, row_tile = 1 : i64, arrays = [@fc2_r1_c0],
                          steps = 2 : i64, stride = 1 : i64}
        : (tensor<?x4xf32>) -> tensor<?x2xf32>
  %t = crossbar.reduce %q0, %q1 : tensor<?x2xf32>
  %z = crossbar.bias_add %t {layer = @fc2} : tensor<?x2xf32>
  return %z : tensor<?x2xf32>
}

// Mapping E: d = k, one step of stride k; two arrays in one row tile. The
// module records the overflow policy its arrays are placed for.
// CHECK: module @nested attributes {crossbar.overflow = #crossbar.overflow<reprogram>}
// CHECK: crossbar.layer @dense {{.*}}block_size = 4 : i64{{.*}}duplication = 4 : i64{{.*}}mapping = #crossbar.mapping<E>
// CHECK: crossbar.mvm %{{.*}} {arrays = [@dense_r0_c0, @dense_r0_c1], layer = @dense, row_tile = 0 : i64, steps = 1 : i64, stride = 4 : i64} : (tensor<2x4xf32>) -> tensor<2x8xf32>
module @nested attributes {crossbar.overflow = #crossbar.overflow<reprogram>} {
  crossbar.layer @dense {m = 8 : i64, n = 4 : i64, block_size = 4 : i64,
    mapping = #crossbar.mapping<E>, duplication = 4 : i64, weight_bits = 16 : i64,
    cell_bits = 2 : i64, cells_per_weight = 8 : i64, weight_scale = 2.0 : f32,
    weight = dense<1.0> : tensor<2x1x4xf32>, bias = dense<0.0> : tensor<8xf32>}
  crossbar.array @dense_r0_c0 {layer = @dense, row_tile = 0 : i64,
    col_tile = 0 : i64, rows = 8 : i64, cols = 32 : i64, row_begin = 0 : i64,
    row_count = 4 : i64, col_begin = 0 : i64, col_count = 4 : i64}
  crossbar.array @dense_r0_c1 {layer = @dense, row_tile = 0 : i64,
    col_tile = 1 : i64, rows = 8 : i64, cols = 32 : i64, row_begin = 0 : i64,
    row_count = 4 : i64, col_begin = 4 : i64, col_count = 4 : i64}
  func.func @e(%x: tensor<2x4xf32>) -> tensor<2x8xf32> {
    %b = crossbar.input_buffer %x {slice_size = 4 : i64} : tensor<2x4xf32>
    %p = crossbar.mvm %b {layer = @dense, row_tile = 0 : i64,
                          arrays = [@dense_r0_c0, @dense_r0_c1],
                          steps = 1 : i64, stride = 4 : i64}
         : (tensor<2x4xf32>) -> tensor<2x8xf32>
    return %p : tensor<2x8xf32>
  }
}
