// RUN: rebocc-opt %s -split-input-file -verify-diagnostics --crossbar-assign-buffers | FileCheck %s

// Hardware: 8 x 8 arrays, 4-bit weights on 2-bit cells; 16-bit inputs
// (2 bytes a word); tiles of 1 IMA of 2 crossbars with 16 bytes of eDRAM.
// The arrays are placed (crossbar-place-arrays).
//
// fc1 (private input, n = 10, k = 4): rows 0-7 and 8-11 of the logical
//   matrix, of which features 0-9 are real: 8 + 2 = 10 words = 20 bytes, in
//   the 16 bytes of its one tile (chip 0, tile 0): a warning.
// fc2 and fc3 share one buffer of n = 6 words = 12 bytes; fc2 reads it
//   first, so it sits on the tile of fc2's first array (chip 0, tile 1).
// conv (3x3 on 2 x 5 x 7, shared): a line buffer of C * W * min(H, 3) =
//   2 * 7 * 3 = 42 words = 84 bytes; conv's 3 arrays span 2 tiles (chip 1
//   tile 1, chip 2 tile 0) of 16 bytes: a warning.
// dyn: the same convolution on an input of dynamic size: its line buffer
//   is not known before the run, so no `bytes`, but a tile.

// CHECK-LABEL: func.func @buffers
// CHECK: crossbar.input_buffer %arg2 {bytes = 84 : i64, shared, slice_size = 2 : i64, tile = #crossbar.tile<chip = 1, load = 0, tile = 1>} : tensor<?x2x5x7xf32>
// CHECK: crossbar.input_buffer %arg1 {bytes = 12 : i64, shared, slice_size = 2 : i64, tile = #crossbar.tile<chip = 0, load = 0, tile = 1>} : tensor<?x6xf32>
// CHECK: crossbar.input_buffer %arg0 {bytes = 20 : i64, slice_size = 4 : i64, tile = #crossbar.tile<chip = 0, load = 0, tile = 0>} : tensor<?x10xf32>
// CHECK: crossbar.input_buffer %arg3 {shared, slice_size = 2 : i64, tile = #crossbar.tile<chip = 2, load = 0, tile = 1>} : tensor<?x2x?x?xf32>
module attributes {crossbar.overflow = #crossbar.overflow<chips>, rebocc.hw = {cell_bits = 2 : i64, edram_bytes = 16 : i64, imas_per_tile = 1 : i64, tiles_per_chip = 2 : i64, weight_bits = 4 : i64, xbar_cols = 8 : i64, xbar_rows = 8 : i64, xbars_per_ima = 2 : i64}} {
  crossbar.layer @fc1 {bias = dense<0.000000e+00> : tensor<4xf32>, block_size = 4 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 1 : i64, m = 4 : i64, mapping = #crossbar.mapping<A>, n = 10 : i64, weight = dense<1.000000e+00> : tensor<1x3x4xf32>, weight_bits = 4 : i64, weight_scale = 0.142857149 : f32}
  crossbar.array @fc1_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc1, place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 0, xbar = 0>, row_begin = 0 : i64, row_count = 8 : i64, row_tile = 0 : i64, rows = 8 : i64}
  crossbar.array @fc1_r1_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc1, place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 0, xbar = 1>, row_begin = 8 : i64, row_count = 4 : i64, row_tile = 1 : i64, rows = 8 : i64}
  crossbar.layer @fc2 {bias = dense<0.000000e+00> : tensor<2xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 1 : i64, m = 2 : i64, mapping = #crossbar.mapping<A>, n = 6 : i64, weight = dense<1.000000e+00> : tensor<1x3x2xf32>, weight_bits = 4 : i64, weight_scale = 0.142857149 : f32}
  crossbar.array @fc2_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc2, place = #crossbar.place<chip = 0, load = 0, tile = 1, ima = 0, xbar = 0>, row_begin = 0 : i64, row_count = 6 : i64, row_tile = 0 : i64, rows = 8 : i64}
  crossbar.layer @fc3 {bias = dense<0.000000e+00> : tensor<2xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 1 : i64, m = 2 : i64, mapping = #crossbar.mapping<A>, n = 6 : i64, weight = dense<2.000000e+00> : tensor<1x3x2xf32>, weight_bits = 4 : i64, weight_scale = 0.285714298 : f32}
  crossbar.array @fc3_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @fc3, place = #crossbar.place<chip = 1, load = 0, tile = 0, ima = 0, xbar = 0>, row_begin = 0 : i64, row_count = 6 : i64, row_tile = 0 : i64, rows = 8 : i64}
  crossbar.layer @conv {bias = dense<0.000000e+00> : tensor<2xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, dilations = array<i64: 1, 1>, duplication = 1 : i64, groups = 1 : i64, kernel = array<i64: 3, 3>, m = 2 : i64, mapping = #crossbar.mapping<A>, n = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>, weight = dense<1.000000e+00> : tensor<1x1x3x3x1x2xf32>, weight_bits = 4 : i64, weight_scale = 0.142857149 : f32}
  crossbar.array @conv_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @conv, place = #crossbar.place<chip = 1, load = 0, tile = 1, ima = 0, xbar = 0>, row_begin = 0 : i64, row_count = 8 : i64, row_tile = 0 : i64, rows = 8 : i64}
  crossbar.array @conv_r1_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @conv, place = #crossbar.place<chip = 1, load = 0, tile = 1, ima = 0, xbar = 1>, row_begin = 8 : i64, row_count = 8 : i64, row_tile = 1 : i64, rows = 8 : i64}
  crossbar.array @conv_r2_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @conv, place = #crossbar.place<chip = 2, load = 0, tile = 0, ima = 0, xbar = 0>, row_begin = 16 : i64, row_count = 2 : i64, row_tile = 2 : i64, rows = 8 : i64}
  crossbar.layer @dyn {bias = dense<0.000000e+00> : tensor<2xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, dilations = array<i64: 1, 1>, duplication = 1 : i64, groups = 1 : i64, kernel = array<i64: 3, 3>, m = 2 : i64, mapping = #crossbar.mapping<A>, n = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>, weight = dense<1.000000e+00> : tensor<1x1x3x3x1x2xf32>, weight_bits = 4 : i64, weight_scale = 0.142857149 : f32}
  crossbar.array @dyn_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @dyn, place = #crossbar.place<chip = 2, load = 0, tile = 1, ima = 0, xbar = 0>, row_begin = 0 : i64, row_count = 8 : i64, row_tile = 0 : i64, rows = 8 : i64}
  crossbar.array @dyn_r1_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @dyn, place = #crossbar.place<chip = 2, load = 0, tile = 1, ima = 0, xbar = 1>, row_begin = 8 : i64, row_count = 8 : i64, row_tile = 1 : i64, rows = 8 : i64}
  crossbar.array @dyn_r2_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @dyn, place = #crossbar.place<chip = 3, load = 0, tile = 0, ima = 0, xbar = 0>, row_begin = 16 : i64, row_count = 2 : i64, row_tile = 2 : i64, rows = 8 : i64}
  func.func @buffers(%arg0: tensor<?x10xf32>, %arg1: tensor<?x6xf32>, %arg2: tensor<?x2x5x7xf32>, %arg3: tensor<?x2x?x?xf32>) -> (tensor<?x4xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2x5x7xf32>, tensor<?x2x?x?xf32>) {
    // expected-warning @+1 {{input buffer of 84 bytes exceeds the 32 bytes of eDRAM of the 2 tiles holding layer 'conv': the cost model fetches the excess again for every read}}
    %0 = crossbar.input_buffer %arg2 {shared, slice_size = 2 : i64} : tensor<?x2x5x7xf32>
    %1 = crossbar.input_buffer %arg1 {shared, slice_size = 2 : i64} : tensor<?x6xf32>
    // expected-warning @+1 {{input buffer of 20 bytes exceeds the 16 bytes of eDRAM of the 1 tile holding layer 'fc1': the cost model fetches the excess again for every read}}
    %2 = crossbar.input_buffer %arg0 {slice_size = 4 : i64} : tensor<?x10xf32>
    %3 = crossbar.mvm %2 {arrays = [@fc1_r0_c0], layer = @fc1, row_tile = 0 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x10xf32>) -> tensor<?x4xf32>
    %4 = crossbar.mvm %2 {arrays = [@fc1_r1_c0], layer = @fc1, row_tile = 1 : i64, steps = 4 : i64, stride = 1 : i64} : (tensor<?x10xf32>) -> tensor<?x4xf32>
    %5 = crossbar.reduce %3, %4 : tensor<?x4xf32>
    %6 = crossbar.bias_add %5 {layer = @fc1} : tensor<?x4xf32>
    %7 = crossbar.mvm %1 {arrays = [@fc2_r0_c0], layer = @fc2, row_tile = 0 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x6xf32>) -> tensor<?x2xf32>
    %8 = crossbar.reduce %7 : tensor<?x2xf32>
    %9 = crossbar.bias_add %8 {layer = @fc2} : tensor<?x2xf32>
    %10 = crossbar.mvm %1 {arrays = [@fc3_r0_c0], layer = @fc3, row_tile = 0 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x6xf32>) -> tensor<?x2xf32>
    %11 = crossbar.reduce %10 : tensor<?x2xf32>
    %12 = crossbar.bias_add %11 {layer = @fc3} : tensor<?x2xf32>
    %13 = crossbar.mvm %0 {arrays = [@conv_r0_c0], layer = @conv, row_tile = 0 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x2x5x7xf32>) -> tensor<?x2x5x7xf32>
    %14 = crossbar.mvm %0 {arrays = [@conv_r1_c0], layer = @conv, row_tile = 1 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x2x5x7xf32>) -> tensor<?x2x5x7xf32>
    %15 = crossbar.mvm %0 {arrays = [@conv_r2_c0], layer = @conv, row_tile = 2 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x2x5x7xf32>) -> tensor<?x2x5x7xf32>
    %16 = crossbar.reduce %13, %14, %15 : tensor<?x2x5x7xf32>
    %17 = crossbar.bias_add %16 {layer = @conv} : tensor<?x2x5x7xf32>
    %d = crossbar.input_buffer %arg3 {shared, slice_size = 2 : i64} : tensor<?x2x?x?xf32>
    %d0 = crossbar.mvm %d {arrays = [@dyn_r0_c0], layer = @dyn, row_tile = 0 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
    %d1 = crossbar.mvm %d {arrays = [@dyn_r1_c0], layer = @dyn, row_tile = 1 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
    %d2 = crossbar.mvm %d {arrays = [@dyn_r2_c0], layer = @dyn, row_tile = 2 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
    %ds = crossbar.reduce %d0, %d1, %d2 : tensor<?x2x?x?xf32>
    %dy = crossbar.bias_add %ds {layer = @dyn} : tensor<?x2x?x?xf32>
    return %6, %9, %12, %17, %dy : tensor<?x4xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2x5x7xf32>, tensor<?x2x?x?xf32>
  }
}

// -----

// Buffers are assigned after placement.
crossbar.layer @a {bias = dense<0.0> : tensor<2xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 1 : i64, m = 2 : i64, mapping = #crossbar.mapping<A>, n = 2 : i64, weight = dense<1.0> : tensor<1x1x2xf32>, weight_bits = 4 : i64, weight_scale = 0.142857149 : f32}
// expected-error @+1 {{array is not placed; run crossbar-place-arrays first}}
crossbar.array @a_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @a, row_begin = 0 : i64, row_count = 2 : i64, row_tile = 0 : i64, rows = 8 : i64}
func.func @unplaced(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %bx = crossbar.input_buffer %x {slice_size = 2 : i64} : tensor<?x2xf32>
  %p = crossbar.mvm %bx {arrays = [@a_r0_c0], layer = @a, row_tile = 0 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %s = crossbar.reduce %p : tensor<?x2xf32>
  %y = crossbar.bias_add %s {layer = @a} : tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
