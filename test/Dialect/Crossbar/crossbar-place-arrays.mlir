// RUN: rebocc-opt %s -split-input-file --crossbar-place-arrays | FileCheck %s
// RUN: rebocc-opt %s -split-input-file --crossbar-place-arrays=overflow=reprogram | FileCheck %s --check-prefix=REPRO
// The placed IR passes the verifiers when read back.
// RUN: rebocc-opt %s -split-input-file --crossbar-place-arrays | rebocc-opt -split-input-file | FileCheck %s

// A chip of 2 tiles x 2 IMAs x 2 crossbars (4 IMAs, 8 arrays). IMA slot s
// (counted over the chips) is chip s / 4, tile s % 4 / 2, IMA s % 2; array a
// of a layer takes the layer's IMA a / 2 and crossbar a % 2.
// Program order is the bias_add order, fc1, fc2, fc3, whatever the order of
// the symbols (fc3's come first here, fc2's arrays are shuffled); arrays go
// by row tile.
//   fc1: 3 arrays -> 2 IMAs, slots 0, 1.
//   fc2: 5 arrays -> 3 IMAs, slots 2, 3, 4 (slot 4 on chip 1).
//   fc3: 1 array  -> 1 IMA,  slot 5 (chip 1, tile 0, IMA 1).
// 6 IMAs > 4: two chips. Reprogrammed instead: fc1 fills load 0 (slots 0,
// 1); fc2 does not fit the 2 left, so load 1 starts with it (slots 0..2);
// fc3 joins it in slot 3 (tile 1, IMA 1). Everything on chip 0.

// CHECK-LABEL: module attributes {crossbar.overflow = #crossbar.overflow<chips>, rebocc.hw
// CHECK-DAG: crossbar.array @fc3_r0_c0 {{{.*}}place = #crossbar.place<chip = 1, load = 0, tile = 0, ima = 1, xbar = 0>
// CHECK-DAG: crossbar.array @fc1_r0_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 0, xbar = 0>
// CHECK-DAG: crossbar.array @fc1_r1_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 0, xbar = 1>
// CHECK-DAG: crossbar.array @fc1_r2_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 1, xbar = 0>
// CHECK-DAG: crossbar.array @fc2_r0_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 0, tile = 1, ima = 0, xbar = 0>
// CHECK-DAG: crossbar.array @fc2_r1_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 0, tile = 1, ima = 0, xbar = 1>
// CHECK-DAG: crossbar.array @fc2_r2_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 0, tile = 1, ima = 1, xbar = 0>
// CHECK-DAG: crossbar.array @fc2_r3_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 0, tile = 1, ima = 1, xbar = 1>
// CHECK-DAG: crossbar.array @fc2_r4_c0 {{{.*}}place = #crossbar.place<chip = 1, load = 0, tile = 0, ima = 0, xbar = 0>

// REPRO-LABEL: module attributes {crossbar.overflow = #crossbar.overflow<reprogram>, rebocc.hw
// REPRO-DAG: crossbar.array @fc3_r0_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 1, tile = 1, ima = 1, xbar = 0>
// REPRO-DAG: crossbar.array @fc1_r0_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 0, xbar = 0>
// REPRO-DAG: crossbar.array @fc1_r1_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 0, xbar = 1>
// REPRO-DAG: crossbar.array @fc1_r2_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 1, xbar = 0>
// REPRO-DAG: crossbar.array @fc2_r0_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 1, tile = 0, ima = 0, xbar = 0>
// REPRO-DAG: crossbar.array @fc2_r1_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 1, tile = 0, ima = 0, xbar = 1>
// REPRO-DAG: crossbar.array @fc2_r2_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 1, tile = 0, ima = 1, xbar = 0>
// REPRO-DAG: crossbar.array @fc2_r3_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 1, tile = 0, ima = 1, xbar = 1>
// REPRO-DAG: crossbar.array @fc2_r4_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 1, tile = 1, ima = 0, xbar = 0>
module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64,
    weight_bits = 4 : i64, cell_bits = 2 : i64, tiles_per_chip = 2 : i64,
    imas_per_tile = 2 : i64, xbars_per_ima = 2 : i64}} {
  crossbar.layer @fc3 {bias = dense<0.0> : tensor<2xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 1 : i64, m = 2 : i64, mapping = #crossbar.mapping<A>, n = 8 : i64, weight = dense<1.0> : tensor<1x4x2xf32>, weight_bits = 4 : i64, weight_scale = 0.142857149 : f32}
  crossbar.array @fc3_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc3, row_begin = 0 : i64, row_count = 8 : i64, row_tile = 0 : i64, rows = 8 : i64}
  crossbar.layer @fc1 {bias = dense<0.0> : tensor<4xf32>, block_size = 4 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 1 : i64, m = 4 : i64, mapping = #crossbar.mapping<A>, n = 20 : i64, weight = dense<1.0> : tensor<1x5x4xf32>, weight_bits = 4 : i64, weight_scale = 0.142857149 : f32}
  crossbar.array @fc1_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc1, row_begin = 0 : i64, row_count = 8 : i64, row_tile = 0 : i64, rows = 8 : i64}
  crossbar.array @fc1_r1_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc1, row_begin = 8 : i64, row_count = 8 : i64, row_tile = 1 : i64, rows = 8 : i64}
  crossbar.array @fc1_r2_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc1, row_begin = 16 : i64, row_count = 4 : i64, row_tile = 2 : i64, rows = 8 : i64}
  crossbar.layer @fc2 {bias = dense<0.0> : tensor<4xf32>, block_size = 4 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 1 : i64, m = 4 : i64, mapping = #crossbar.mapping<A>, n = 40 : i64, weight = dense<1.0> : tensor<1x10x4xf32>, weight_bits = 4 : i64, weight_scale = 0.142857149 : f32}
  crossbar.array @fc2_r2_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc2, row_begin = 16 : i64, row_count = 8 : i64, row_tile = 2 : i64, rows = 8 : i64}
  crossbar.array @fc2_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc2, row_begin = 0 : i64, row_count = 8 : i64, row_tile = 0 : i64, rows = 8 : i64}
  crossbar.array @fc2_r4_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc2, row_begin = 32 : i64, row_count = 8 : i64, row_tile = 4 : i64, rows = 8 : i64}
  crossbar.array @fc2_r1_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc2, row_begin = 8 : i64, row_count = 8 : i64, row_tile = 1 : i64, rows = 8 : i64}
  crossbar.array @fc2_r3_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc2, row_begin = 24 : i64, row_count = 8 : i64, row_tile = 3 : i64, rows = 8 : i64}
  func.func @three(%a: tensor<?x20xf32>, %b: tensor<?x40xf32>, %c: tensor<?x8xf32>)
      -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x2xf32>) {
    %ba = crossbar.input_buffer %a {slice_size = 4 : i64} : tensor<?x20xf32>
    %a0 = crossbar.mvm %ba {arrays = [@fc1_r0_c0], layer = @fc1, row_tile = 0 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x20xf32>) -> tensor<?x4xf32>
    %a1 = crossbar.mvm %ba {arrays = [@fc1_r1_c0], layer = @fc1, row_tile = 1 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x20xf32>) -> tensor<?x4xf32>
    %a2 = crossbar.mvm %ba {arrays = [@fc1_r2_c0], layer = @fc1, row_tile = 2 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x20xf32>) -> tensor<?x4xf32>
    %sa = crossbar.reduce %a0, %a1, %a2 : tensor<?x4xf32>
    %x = crossbar.bias_add %sa {layer = @fc1} : tensor<?x4xf32>
    %bb = crossbar.input_buffer %b {slice_size = 4 : i64} : tensor<?x40xf32>
    %b0 = crossbar.mvm %bb {arrays = [@fc2_r0_c0], layer = @fc2, row_tile = 0 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x40xf32>) -> tensor<?x4xf32>
    %b1 = crossbar.mvm %bb {arrays = [@fc2_r1_c0], layer = @fc2, row_tile = 1 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x40xf32>) -> tensor<?x4xf32>
    %b2 = crossbar.mvm %bb {arrays = [@fc2_r2_c0], layer = @fc2, row_tile = 2 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x40xf32>) -> tensor<?x4xf32>
    %b3 = crossbar.mvm %bb {arrays = [@fc2_r3_c0], layer = @fc2, row_tile = 3 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x40xf32>) -> tensor<?x4xf32>
    %b4 = crossbar.mvm %bb {arrays = [@fc2_r4_c0], layer = @fc2, row_tile = 4 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x40xf32>) -> tensor<?x4xf32>
    %sb = crossbar.reduce %b0, %b1, %b2, %b3, %b4 : tensor<?x4xf32>
    %y = crossbar.bias_add %sb {layer = @fc2} : tensor<?x4xf32>
    %bc = crossbar.input_buffer %c {slice_size = 2 : i64} : tensor<?x8xf32>
    %c0 = crossbar.mvm %bc {arrays = [@fc3_r0_c0], layer = @fc3, row_tile = 0 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x8xf32>) -> tensor<?x2xf32>
    %sc = crossbar.reduce %c0 : tensor<?x2xf32>
    %z = crossbar.bias_add %sc {layer = @fc3} : tensor<?x2xf32>
    return %x, %y, %z : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x2xf32>
  }
}

// -----

// A chip of one IMA of 2 crossbars: big (5 arrays, 3 IMAs) is larger than a
// chip. Over chips it takes chips 0, 1, 2 (arrays 0-1, 2-3, 4) and small
// chip 3. Reprogrammed, big is cut into loads 0, 1, 2 of its own (IMA i of
// the layer in load i) and small starts load 3.

// CHECK-LABEL: module attributes {crossbar.overflow = #crossbar.overflow<chips>, rebocc.hw
// CHECK: crossbar.array @big_r0_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 0, xbar = 0>
// CHECK: crossbar.array @big_r1_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 0, xbar = 1>
// CHECK: crossbar.array @big_r2_c0 {{{.*}}place = #crossbar.place<chip = 1, load = 0, tile = 0, ima = 0, xbar = 0>
// CHECK: crossbar.array @big_r3_c0 {{{.*}}place = #crossbar.place<chip = 1, load = 0, tile = 0, ima = 0, xbar = 1>
// CHECK: crossbar.array @big_r4_c0 {{{.*}}place = #crossbar.place<chip = 2, load = 0, tile = 0, ima = 0, xbar = 0>
// CHECK: crossbar.array @small_r0_c0 {{{.*}}place = #crossbar.place<chip = 3, load = 0, tile = 0, ima = 0, xbar = 0>

// REPRO-LABEL: module attributes {crossbar.overflow = #crossbar.overflow<reprogram>, rebocc.hw
// REPRO: crossbar.array @big_r0_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 0, xbar = 0>
// REPRO: crossbar.array @big_r1_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 0, xbar = 1>
// REPRO: crossbar.array @big_r2_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 1, tile = 0, ima = 0, xbar = 0>
// REPRO: crossbar.array @big_r3_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 1, tile = 0, ima = 0, xbar = 1>
// REPRO: crossbar.array @big_r4_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 2, tile = 0, ima = 0, xbar = 0>
// REPRO: crossbar.array @small_r0_c0 {{{.*}}place = #crossbar.place<chip = 0, load = 3, tile = 0, ima = 0, xbar = 0>
module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64,
    weight_bits = 4 : i64, cell_bits = 2 : i64, tiles_per_chip = 1 : i64,
    imas_per_tile = 1 : i64, xbars_per_ima = 2 : i64}} {
  crossbar.layer @big {bias = dense<0.0> : tensor<4xf32>, block_size = 4 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 1 : i64, m = 4 : i64, mapping = #crossbar.mapping<A>, n = 40 : i64, weight = dense<1.0> : tensor<1x10x4xf32>, weight_bits = 4 : i64, weight_scale = 0.142857149 : f32}
  crossbar.array @big_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @big, row_begin = 0 : i64, row_count = 8 : i64, row_tile = 0 : i64, rows = 8 : i64}
  crossbar.array @big_r1_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @big, row_begin = 8 : i64, row_count = 8 : i64, row_tile = 1 : i64, rows = 8 : i64}
  crossbar.array @big_r2_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @big, row_begin = 16 : i64, row_count = 8 : i64, row_tile = 2 : i64, rows = 8 : i64}
  crossbar.array @big_r3_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @big, row_begin = 24 : i64, row_count = 8 : i64, row_tile = 3 : i64, rows = 8 : i64}
  crossbar.array @big_r4_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @big, row_begin = 32 : i64, row_count = 8 : i64, row_tile = 4 : i64, rows = 8 : i64}
  crossbar.layer @small {bias = dense<0.0> : tensor<2xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 1 : i64, m = 2 : i64, mapping = #crossbar.mapping<A>, n = 8 : i64, weight = dense<1.0> : tensor<1x4x2xf32>, weight_bits = 4 : i64, weight_scale = 0.142857149 : f32}
  crossbar.array @small_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @small, row_begin = 0 : i64, row_count = 8 : i64, row_tile = 0 : i64, rows = 8 : i64}
  func.func @chunks(%a: tensor<?x40xf32>, %c: tensor<?x8xf32>) -> (tensor<?x4xf32>, tensor<?x2xf32>) {
    %ba = crossbar.input_buffer %a {slice_size = 4 : i64} : tensor<?x40xf32>
    %a0 = crossbar.mvm %ba {arrays = [@big_r0_c0], layer = @big, row_tile = 0 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x40xf32>) -> tensor<?x4xf32>
    %a1 = crossbar.mvm %ba {arrays = [@big_r1_c0], layer = @big, row_tile = 1 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x40xf32>) -> tensor<?x4xf32>
    %a2 = crossbar.mvm %ba {arrays = [@big_r2_c0], layer = @big, row_tile = 2 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x40xf32>) -> tensor<?x4xf32>
    %a3 = crossbar.mvm %ba {arrays = [@big_r3_c0], layer = @big, row_tile = 3 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x40xf32>) -> tensor<?x4xf32>
    %a4 = crossbar.mvm %ba {arrays = [@big_r4_c0], layer = @big, row_tile = 4 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x40xf32>) -> tensor<?x4xf32>
    %sa = crossbar.reduce %a0, %a1, %a2, %a3, %a4 : tensor<?x4xf32>
    %y = crossbar.bias_add %sa {layer = @big} : tensor<?x4xf32>
    %bc = crossbar.input_buffer %c {slice_size = 2 : i64} : tensor<?x8xf32>
    %c0 = crossbar.mvm %bc {arrays = [@small_r0_c0], layer = @small, row_tile = 0 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x8xf32>) -> tensor<?x2xf32>
    %sc = crossbar.reduce %c0 : tensor<?x2xf32>
    %z = crossbar.bias_add %sc {layer = @small} : tensor<?x2xf32>
    return %y, %z : tensor<?x4xf32>, tensor<?x2xf32>
  }
}
