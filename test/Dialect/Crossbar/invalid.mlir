// RUN: rebocc-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// crossbar.layer
//===----------------------------------------------------------------------===//

// expected-error @+1 {{'crossbar.layer' op attribute 'm' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
crossbar.layer @l {m = 0 : i64, n = 4 : i64, block_size = 2 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x2x2xf32>, bias = dense<0.0> : tensor<2xf32>}

// -----

// expected-error @+1 {{'crossbar.layer' op attribute 'weight_scale' failed to satisfy constraint: 32-bit float attribute}}
crossbar.layer @l {m = 2 : i64, n = 4 : i64, block_size = 2 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f64,
  weight = dense<1.0> : tensor<1x2x2xf32>, bias = dense<0.0> : tensor<2xf32>}

// -----

// expected-error @+3 {{expected ::rebocc::crossbar::Mapping to be one of: A, B, C, E}}
// expected-error @+2 {{failed to parse Crossbar_MappingAttr parameter 'value'}}
crossbar.layer @l {m = 2 : i64, n = 4 : i64, block_size = 2 : i64,
  mapping = #crossbar.mapping<D>, duplication = 1 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x2x2xf32>, bias = dense<0.0> : tensor<2xf32>}

// -----

// expected-error @+1 {{'crossbar.layer' op duplication 2 is not valid for mapping A with k = 2}}
crossbar.layer @l {m = 2 : i64, n = 4 : i64, block_size = 2 : i64,
  mapping = #crossbar.mapping<A>, duplication = 2 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x2x2xf32>, bias = dense<0.0> : tensor<2xf32>}

// -----

// expected-error @+1 {{'crossbar.layer' op duplication 3 is not valid for mapping B with k = 4}}
crossbar.layer @l {m = 4 : i64, n = 4 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<B>, duplication = 3 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}

// -----

// expected-error @+1 {{'crossbar.layer' op duplication 2 is not valid for mapping E with k = 4}}
crossbar.layer @l {m = 4 : i64, n = 4 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<E>, duplication = 2 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}

// -----

// ceil(5 / 2) = 3 cells per weight, not 2.
// expected-error @+1 {{'crossbar.layer' op cells_per_weight must be ceil(weight_bits / cell_bits)}}
crossbar.layer @l {m = 2 : i64, n = 4 : i64, block_size = 2 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 5 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x2x2xf32>, bias = dense<0.0> : tensor<2xf32>}

// -----

// expected-error @+1 {{'crossbar.layer' op weight_scale must be positive}}
crossbar.layer @l {m = 2 : i64, n = 4 : i64, block_size = 2 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 0.0 : f32,
  weight = dense<1.0> : tensor<1x2x2xf32>, bias = dense<0.0> : tensor<2xf32>}

// -----

// expected-error @+1 {{'crossbar.layer' op weight_scale must be positive}}
crossbar.layer @l {m = 2 : i64, n = 4 : i64, block_size = 2 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = -0.5 : f32,
  weight = dense<1.0> : tensor<1x2x2xf32>, bias = dense<0.0> : tensor<2xf32>}

// -----

// m = 3, n = 5, k = 2: p = 2, q = 3.
// expected-error @+1 {{'crossbar.layer' op weight must have shape p x q x k}}
crossbar.layer @l {m = 3 : i64, n = 5 : i64, block_size = 2 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x2x2xf32>, bias = dense<0.0> : tensor<3xf32>}

// -----

// expected-error @+1 {{'crossbar.layer' op bias must have groups x m elements}}
crossbar.layer @l {m = 3 : i64, n = 5 : i64, block_size = 2 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<2x3x2xf32>, bias = dense<0.0> : tensor<4xf32>}

// -----

//===----------------------------------------------------------------------===//
// crossbar.array
//===----------------------------------------------------------------------===//

// expected-error @+1 {{'crossbar.array' op layer @missing is not a crossbar.layer}}
crossbar.array @a {layer = @missing, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 0 : i64,
  row_count = 4 : i64, col_begin = 0 : i64, col_count = 1 : i64}

// -----

// expected-error @+4 {{place counts from 0: chip 0, load -1, tile 0, ima 0, xbar 0}}
crossbar.array @a {layer = @missing, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 0 : i64,
  row_count = 4 : i64, col_begin = 0 : i64, col_count = 1 : i64,
  place = #crossbar.place<chip = 0, load = -1, tile = 0, ima = 0, xbar = 0>}

// -----

// The module's hardware has 2 tiles of 1 IMA of 2 crossbars: tile 2 does not
// exist, nor does crossbar 2 of an IMA.
module attributes {rebocc.hw = {tiles_per_chip = 2 : i64, imas_per_tile = 1 : i64,
                                xbars_per_ima = 2 : i64}} {
  // expected-error @+1 {{'crossbar.array' op place #crossbar.place<chip = 5, load = 0, tile = 2, ima = 0, xbar = 0> lies outside the chip of rebocc.hw (2 tiles, 1 IMAs per tile, 2 crossbars per IMA)}}
  crossbar.array @a {layer = @missing, row_tile = 0 : i64,
    col_tile = 0 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 0 : i64,
    row_count = 4 : i64, col_begin = 0 : i64, col_count = 1 : i64,
    place = #crossbar.place<chip = 5, load = 0, tile = 2, ima = 0, xbar = 0>}
}

// -----

module attributes {rebocc.hw = {tiles_per_chip = 2 : i64, imas_per_tile = 1 : i64,
                                xbars_per_ima = 2 : i64}} {
  // expected-error @+1 {{'crossbar.array' op place #crossbar.place<chip = 0, load = 0, tile = 1, ima = 0, xbar = 2> lies outside the chip}}
  crossbar.array @a {layer = @missing, row_tile = 0 : i64,
    col_tile = 0 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 0 : i64,
    row_count = 4 : i64, col_begin = 0 : i64, col_count = 1 : i64,
    place = #crossbar.place<chip = 0, load = 0, tile = 1, ima = 0, xbar = 2>}
}

// -----

// Keys the description leaves out are ISAAC-CE's: 12 IMAs per tile.
module attributes {rebocc.hw = {xbar_rows = 8 : i64}} {
  // expected-error @+1 {{lies outside the chip of rebocc.hw (168 tiles, 12 IMAs per tile, 8 crossbars per IMA)}}
  crossbar.array @a {layer = @missing, row_tile = 0 : i64,
    col_tile = 0 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 0 : i64,
    row_count = 4 : i64, col_begin = 0 : i64, col_count = 1 : i64,
    place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 12, xbar = 0>}
}

// -----

func.func @buffer_tile_type(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.input_buffer' op attribute 'tile' failed to satisfy constraint: a tile of a chip load}}
  %b = crossbar.input_buffer %x {slice_size = 2 : i64, tile = 3 : i64} : tensor<?x4xf32>
  return %b : tensor<?x4xf32>
}

// -----

func.func @buffer_tile(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+2 {{tile counts from 0: chip 0, load 0, tile -3}}
  %b = crossbar.input_buffer %x {slice_size = 2 : i64,
         tile = #crossbar.tile<chip = 0, load = 0, tile = -3>} : tensor<?x4xf32>
  return %b : tensor<?x4xf32>
}

// -----

// expected-error @+1 {{"crossbar.overflow" must be a #crossbar.overflow on a module}}
module attributes {crossbar.overflow = "chips"} {
}

// -----

func.func @f() attributes {crossbar.overflow = #crossbar.overflow<chips>} {
  // expected-error @-1 {{"crossbar.overflow" must be a #crossbar.overflow on a module}}
  return
}

// -----

// expected-error @+1 {{unknown crossbar dialect attribute "crossbar.tile"}}
module attributes {crossbar.tile = 0 : i64} {
}

// -----

// expected-error @+2 {{expected ::rebocc::crossbar::OverflowPolicy to be one of: chips, reprogram}}
// expected-error @+1 {{failed to parse Crossbar_OverflowPolicyAttr parameter 'value'}}
module attributes {crossbar.overflow = #crossbar.overflow<swap>} {
}

// -----

// Layer: m = 8, n = 12, k = 4, B(2): q*k = 12 logical rows, p*d = 4 weight
// columns, 2 cells per weight.
crossbar.layer @l {m = 8 : i64, n = 12 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<B>, duplication = 2 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<2x3x4xf32>, bias = dense<0.0> : tensor<8xf32>}
// expected-error @+1 {{'crossbar.array' op rows must hold whole k-slices (k = 4)}}
crossbar.array @a {layer = @l, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 2 : i64,
  row_count = 4 : i64, col_begin = 0 : i64, col_count = 1 : i64}

// -----

crossbar.layer @l {m = 8 : i64, n = 12 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<B>, duplication = 2 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<2x3x4xf32>, bias = dense<0.0> : tensor<8xf32>}
// expected-error @+1 {{'crossbar.array' op rows must hold whole k-slices (k = 4)}}
crossbar.array @a {layer = @l, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 0 : i64,
  row_count = 6 : i64, col_begin = 0 : i64, col_count = 1 : i64}

// -----

crossbar.layer @l {m = 8 : i64, n = 12 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<B>, duplication = 2 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<2x3x4xf32>, bias = dense<0.0> : tensor<8xf32>}
// 12 rows on an 8-row array.
// expected-error @+1 {{'crossbar.array' op holds more rows or columns than the array has}}
crossbar.array @a {layer = @l, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 0 : i64,
  row_count = 12 : i64, col_begin = 0 : i64, col_count = 1 : i64}

// -----

crossbar.layer @l {m = 8 : i64, n = 12 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<B>, duplication = 2 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<2x3x4xf32>, bias = dense<0.0> : tensor<8xf32>}
// 3 weight columns x 2 cells = 6 physical columns on a 5-column array.
// expected-error @+1 {{'crossbar.array' op holds more rows or columns than the array has}}
crossbar.array @a {layer = @l, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 8 : i64, cols = 5 : i64, row_begin = 0 : i64,
  row_count = 8 : i64, col_begin = 0 : i64, col_count = 3 : i64}

// -----

crossbar.layer @l {m = 8 : i64, n = 12 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<B>, duplication = 2 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<2x3x4xf32>, bias = dense<0.0> : tensor<8xf32>}
// Rows 8..16 but the layer has 12 logical rows.
// expected-error @+1 {{'crossbar.array' op lies outside the layer's logical matrix (12 rows, 4 weight columns)}}
crossbar.array @a {layer = @l, row_tile = 1 : i64,
  col_tile = 0 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 8 : i64,
  row_count = 8 : i64, col_begin = 0 : i64, col_count = 4 : i64}

// -----

crossbar.layer @l {m = 8 : i64, n = 12 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<B>, duplication = 2 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<2x3x4xf32>, bias = dense<0.0> : tensor<8xf32>}
// Weight columns 2..5 but the layer has p*d = 4.
// expected-error @+1 {{'crossbar.array' op lies outside the layer's logical matrix (12 rows, 4 weight columns)}}
crossbar.array @a {layer = @l, row_tile = 0 : i64,
  col_tile = 1 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 0 : i64,
  row_count = 8 : i64, col_begin = 2 : i64, col_count = 3 : i64}

// -----

//===----------------------------------------------------------------------===//
// crossbar.mvm
//===----------------------------------------------------------------------===//

func.func @mvm_no_layer(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.mvm' op layer @missing is not a crossbar.layer}}
  %p = crossbar.mvm %x {layer = @missing, row_tile = 0 : i64, arrays = [],
                        steps = 4 : i64, stride = 1 : i64}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %p : tensor<?x4xf32>
}

// -----

crossbar.layer @l {m = 4 : i64, n = 4 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<B>, duplication = 2 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
crossbar.array @l_r0_c0 {layer = @l, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 0 : i64,
  row_count = 4 : i64, col_begin = 0 : i64, col_count = 2 : i64}
func.func @mvm_steps(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // k = 4, d = 2: steps must be 2, not 4.
  // expected-error @+1 {{'crossbar.mvm' op steps x stride must be the block size and stride the duplication of the layer}}
  %p = crossbar.mvm %x {layer = @l, row_tile = 0 : i64, arrays = [@l_r0_c0],
                        steps = 4 : i64, stride = 2 : i64}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %p : tensor<?x4xf32>
}

// -----

crossbar.layer @l {m = 4 : i64, n = 4 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<B>, duplication = 2 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
crossbar.array @l_r0_c0 {layer = @l, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 0 : i64,
  row_count = 4 : i64, col_begin = 0 : i64, col_count = 2 : i64}
func.func @mvm_stride(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // steps x stride = 4 = k, but the stride is not d = 2.
  // expected-error @+1 {{'crossbar.mvm' op steps x stride must be the block size and stride the duplication of the layer}}
  %p = crossbar.mvm %x {layer = @l, row_tile = 0 : i64, arrays = [@l_r0_c0],
                        steps = 1 : i64, stride = 4 : i64}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %p : tensor<?x4xf32>
}

// -----

crossbar.layer @l {m = 4 : i64, n = 4 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
crossbar.array @l_r0_c0 {layer = @l, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 0 : i64,
  row_count = 4 : i64, col_begin = 0 : i64, col_count = 1 : i64}
func.func @mvm_wrong_row_tile(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.mvm' op array @l_r0_c0 is not an array of this layer's row tile}}
  %p = crossbar.mvm %x {layer = @l, row_tile = 1 : i64, arrays = [@l_r0_c0],
                        steps = 4 : i64, stride = 1 : i64}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %p : tensor<?x4xf32>
}

// -----

crossbar.layer @l {m = 4 : i64, n = 4 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
crossbar.layer @other {m = 4 : i64, n = 4 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
crossbar.array @other_r0_c0 {layer = @other, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 8 : i64, cols = 8 : i64, row_begin = 0 : i64,
  row_count = 4 : i64, col_begin = 0 : i64, col_count = 1 : i64}
func.func @mvm_other_layer(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.mvm' op array @other_r0_c0 is not an array of this layer's row tile}}
  %p = crossbar.mvm %x {layer = @l, row_tile = 0 : i64, arrays = [@other_r0_c0],
                        steps = 4 : i64, stride = 1 : i64}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %p : tensor<?x4xf32>
}

// -----

crossbar.layer @l {m = 4 : i64, n = 4 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
func.func @mvm_missing_array(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.mvm' op array @nowhere is not an array of this layer's row tile}}
  %p = crossbar.mvm %x {layer = @l, row_tile = 0 : i64, arrays = [@nowhere],
                        steps = 4 : i64, stride = 1 : i64}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %p : tensor<?x4xf32>
}

// -----

// A layer symbol is not an array.
crossbar.layer @l {m = 4 : i64, n = 4 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x1x4xf32>, bias = dense<0.0> : tensor<4xf32>}
func.func @mvm_layer_as_array(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.mvm' op array @l is not an array of this layer's row tile}}
  %p = crossbar.mvm %x {layer = @l, row_tile = 0 : i64, arrays = [@l],
                        steps = 4 : i64, stride = 1 : i64}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %p : tensor<?x4xf32>
}

// -----

crossbar.layer @l {m = 4 : i64, n = 8 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x2x4xf32>, bias = dense<0.0> : tensor<4xf32>}
func.func @mvm_input_width(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // n = 8, the input has 4 features.
  // expected-error @+1 {{'crossbar.mvm' op types must be (batch x n) -> (batch x m) of the layer}}
  %p = crossbar.mvm %x {layer = @l, row_tile = 0 : i64, arrays = [],
                        steps = 4 : i64, stride = 1 : i64}
       : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %p : tensor<?x4xf32>
}

// -----

crossbar.layer @l {m = 4 : i64, n = 8 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x2x4xf32>, bias = dense<0.0> : tensor<4xf32>}
func.func @mvm_output_width(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  // expected-error @+1 {{'crossbar.mvm' op types must be (batch x n) -> (batch x m) of the layer}}
  %p = crossbar.mvm %x {layer = @l, row_tile = 0 : i64, arrays = [],
                        steps = 4 : i64, stride = 1 : i64}
       : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %p : tensor<?x8xf32>
}

// -----

crossbar.layer @l {m = 4 : i64, n = 8 : i64, block_size = 4 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 4 : i64,
  cell_bits = 2 : i64, cells_per_weight = 2 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<1x2x4xf32>, bias = dense<0.0> : tensor<4xf32>}
func.func @mvm_rank(%x: tensor<8xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'crossbar.mvm' op types must be (batch x n) -> (batch x m) of the layer}}
  %p = crossbar.mvm %x {layer = @l, row_tile = 0 : i64, arrays = [],
                        steps = 4 : i64, stride = 1 : i64}
       : (tensor<8xf32>) -> tensor<4xf32>
  return %p : tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// crossbar.input_buffer, reduce, bias_add, digital
//===----------------------------------------------------------------------===//

func.func @buffer_slice_zero(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.input_buffer' op attribute 'slice_size' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %b = crossbar.input_buffer %x {slice_size = 0 : i64} : tensor<?x4xf32>
  return %b : tensor<?x4xf32>
}

// -----

// SameOperandsAndResultType rejects an empty reduce before ReduceOp::verify.
func.func @reduce_empty() -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.reduce' op expected 1 or more operands, but found 0}}
  %s = "crossbar.reduce"() : () -> tensor<?x4xf32>
  return %s : tensor<?x4xf32>
}

// -----

func.func @reduce_types(%a: tensor<?x4xf32>, %b: tensor<?x2xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.reduce' op requires the same type for all operands and results}}
  %s = "crossbar.reduce"(%a, %b) : (tensor<?x4xf32>, tensor<?x2xf32>) -> tensor<?x4xf32>
  return %s : tensor<?x4xf32>
}

// -----

// bias_add names its layer like mvm does, so a dangling reference must be
// rejected by the verifier as it is for mvm.
func.func @bias_add_no_layer(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.bias_add' op layer @missing is not a crossbar.layer}}
  %y = crossbar.bias_add %x {layer = @missing} : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @digital_unknown(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.digital' op unknown digital function "cosh"}}
  %y = crossbar.digital "cosh"(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @digital_unary_arity(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.digital' op "relu" takes 1 operand(s)}}
  %y = crossbar.digital "relu"(%x, %x) : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @digital_binary_arity(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.digital' op "add" takes 2 operand(s)}}
  %y = crossbar.digital "add"(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @digital_softmax_no_axis(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.digital' op axis is required by softmax, log_softmax, normalize, flatten, concat and gather only}}
  %y = crossbar.digital "softmax"(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @digital_flatten_no_axis(%x: tensor<?x2x2xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.digital' op axis is required by softmax, log_softmax, normalize, flatten, concat and gather only}}
  %y = crossbar.digital "flatten"(%x) : (tensor<?x2x2xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @digital_relu_axis(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.digital' op axis is required by softmax, log_softmax, normalize, flatten, concat and gather only}}
  %y = crossbar.digital "relu"(%x) {axis = 1 : i64} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @constant_not_f32() -> tensor<2xi32> {
  // expected-error @+1 {{'crossbar.constant' op result #0 must be tensor of 32-bit float values}}
  %c = crossbar.constant {value = dense<1> : tensor<2xi32>} : tensor<2xi32>
  return %c : tensor<2xi32>
}

// -----

func.func @digital_where_arity(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.digital' op "where" takes 3 operand(s)}}
  %y = crossbar.digital "where"(%x, %x) : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @digital_fma_arity(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'crossbar.digital' op "fma" takes 3 operand(s)}}
  %y = crossbar.digital "fma"(%x, %x) : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
