// RUN: rebocc-opt %s -split-input-file -verify-diagnostics --crossbar-place-arrays

// One crossbar per chip and no links between chips: the second layer would
// need a second chip. (Reprogramming without links is diagnosed the same
// way, on the first array of load 1: test/Sim/placement.test.)
module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64,
    weight_bits = 4 : i64, cell_bits = 2 : i64, tiles_per_chip = 1 : i64,
    imas_per_tile = 1 : i64, xbars_per_ima = 1 : i64, ht_links = 0 : i64}} {
  crossbar.layer @a {bias = dense<0.0> : tensor<2xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 1 : i64, m = 2 : i64, mapping = #crossbar.mapping<A>, n = 8 : i64, weight = dense<1.0> : tensor<1x4x2xf32>, weight_bits = 4 : i64, weight_scale = 0.142857149 : f32}
  crossbar.array @a_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @a, row_begin = 0 : i64, row_count = 8 : i64, row_tile = 0 : i64, rows = 8 : i64}
  crossbar.layer @b {bias = dense<0.0> : tensor<2xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 1 : i64, m = 2 : i64, mapping = #crossbar.mapping<A>, n = 8 : i64, weight = dense<1.0> : tensor<1x4x2xf32>, weight_bits = 4 : i64, weight_scale = 0.142857149 : f32}
  // expected-error @+1 {{the model needs 2 chips but ht_links = 0 (no inter-chip links): array @b_r0_c0 would be on chip 1, load 0}}
  crossbar.array @b_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @b, row_begin = 0 : i64, row_count = 8 : i64, row_tile = 0 : i64, rows = 8 : i64}
  func.func @f(%x: tensor<?x8xf32>) -> tensor<?x2xf32> {
    %bx = crossbar.input_buffer %x {slice_size = 2 : i64} : tensor<?x8xf32>
    %p = crossbar.mvm %bx {arrays = [@a_r0_c0], layer = @a, row_tile = 0 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x8xf32>) -> tensor<?x2xf32>
    %s = crossbar.reduce %p : tensor<?x2xf32>
    %y = crossbar.bias_add %s {layer = @a} : tensor<?x2xf32>
    %q = crossbar.mvm %bx {arrays = [@b_r0_c0], layer = @b, row_tile = 0 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x8xf32>) -> tensor<?x2xf32>
    %t = crossbar.reduce %q : tensor<?x2xf32>
    %z = crossbar.bias_add %t {layer = @b} : tensor<?x2xf32>
    %sum = crossbar.digital "add"(%y, %z) : (tensor<?x2xf32>, tensor<?x2xf32>) -> tensor<?x2xf32>
    return %sum : tensor<?x2xf32>
  }
}

// -----

// A layer run twice would need two placements of one set of arrays.
crossbar.layer @a {bias = dense<0.0> : tensor<2xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 1 : i64, m = 2 : i64, mapping = #crossbar.mapping<A>, n = 2 : i64, weight = dense<1.0> : tensor<1x1x2xf32>, weight_bits = 4 : i64, weight_scale = 0.142857149 : f32}
crossbar.array @a_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, layer = @a, row_begin = 0 : i64, row_count = 2 : i64, row_tile = 0 : i64, rows = 8 : i64}
func.func @twice(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %bx = crossbar.input_buffer %x {slice_size = 2 : i64} : tensor<?x2xf32>
  %p = crossbar.mvm %bx {arrays = [@a_r0_c0], layer = @a, row_tile = 0 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %s = crossbar.reduce %p : tensor<?x2xf32>
  // expected-note @+1 {{first run here}}
  %y = crossbar.bias_add %s {layer = @a} : tensor<?x2xf32>
  %by = crossbar.input_buffer %y {slice_size = 2 : i64} : tensor<?x2xf32>
  %q = crossbar.mvm %by {arrays = [@a_r0_c0], layer = @a, row_tile = 0 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %t = crossbar.reduce %q : tensor<?x2xf32>
  // expected-error @+1 {{layer @a runs twice; each run needs arrays of its own}}
  %z = crossbar.bias_add %t {layer = @a} : tensor<?x2xf32>
  return %z : tensor<?x2xf32>
}

// -----

// A layer without arrays cannot be placed (nor run).
crossbar.layer @a {bias = dense<0.0> : tensor<2xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 2 : i64, duplication = 1 : i64, m = 2 : i64, mapping = #crossbar.mapping<A>, n = 2 : i64, weight = dense<1.0> : tensor<1x1x2xf32>, weight_bits = 4 : i64, weight_scale = 0.142857149 : f32}
func.func @empty(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %bx = crossbar.input_buffer %x {slice_size = 2 : i64} : tensor<?x2xf32>
  %p = crossbar.mvm %bx {arrays = [], layer = @a, row_tile = 0 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %s = crossbar.reduce %p : tensor<?x2xf32>
  // expected-error @+1 {{layer @a has no crossbar.array}}
  %y = crossbar.bias_add %s {layer = @a} : tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// The hardware comes from rebocc.hw, checked as the circulant passes check it.
// expected-error @+1 {{rebocc.hw: unknown key 'xbar_row'; did you mean 'xbar_rows'?}}
module attributes {rebocc.hw = {xbar_row = 8 : i64}} {
}
