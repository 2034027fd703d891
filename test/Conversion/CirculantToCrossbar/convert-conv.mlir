// Convolutions lower like fully connected layers over im2col rows; the
// crossbar.layer keeps the window geometry and groups, arrays carry their
// group, and the CNN digital ops keep their attributes.
// Hardware: 8x8 arrays, 4-bit weights on 2-bit cells: 4 weight columns and 8
// rows per array.
// RUN: rebocc-opt %s --convert-circulant-to-crossbar | FileCheck %s
// RUN: rebocc-opt %s --convert-circulant-to-crossbar | rebocc-opt -o /dev/null

module attributes {rebocc.hw = {xbar_rows = 8 : i64, xbar_cols = 8 : i64, weight_bits = 4 : i64, cell_bits = 2 : i64}} {
  // 3x3 conv 4 -> 4, k = 2, A: 36 logical rows -> 5 row tiles; p = 2.
  // CHECK: crossbar.layer @conv {{{.*}}block_size = 2 : i64{{.*}}dilations = array<i64: 1, 1>{{.*}}groups = 1 : i64, kernel = array<i64: 3, 3>, m = 4 : i64, mapping = #crossbar.mapping<A>, n = 4 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>
  // CHECK: crossbar.array @conv_r0_c0 {{{.*}}row_begin = 0 : i64, row_count = 8 : i64
  // CHECK: crossbar.array @conv_r4_c0 {{{.*}}row_begin = 32 : i64, row_count = 4 : i64
  // Depthwise 3x3 on 4 channels: 4 groups of one 9-row, 1-column matrix ->
  // 2 row tiles each (8 + 1 rows), arrays named per group.
  // CHECK: crossbar.layer @dw {{{.*}}groups = 4 : i64, kernel = array<i64: 3, 3>, m = 1 : i64
  // CHECK: crossbar.array @dw_r0_c0 {{{.*}}row_count = 8 : i64
  // CHECK: crossbar.array @dw_r1_c0 {{{.*}}row_begin = 8 : i64, row_count = 1 : i64
  // CHECK: crossbar.array @dw_g3_r1_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 8 : i64, group = 3 : i64
  // CHECK-LABEL: func.func @main
  // CHECK: %[[B:.*]] = crossbar.input_buffer %arg0 {shared, slice_size = 2 : i64} : tensor<?x4x8x8xf32>
  // CHECK-COUNT-5: crossbar.mvm %[[B]] {{{.*}}layer = @conv{{.*}}steps = 2 : i64, stride = 1 : i64} : (tensor<?x4x8x8xf32>) -> tensor<?x4x4x4xf32>
  // CHECK: %[[C:.*]] = crossbar.bias_add %{{.*}} {layer = @conv} : tensor<?x4x4x4xf32>
  // CHECK: %[[DWB:.*]] = crossbar.input_buffer %[[C]] {slice_size = 1 : i64} : tensor<?x4x4x4xf32>
  // CHECK: crossbar.mvm %[[DWB]] {arrays = [@dw_r0_c0, @dw_g1_r0_c0, @dw_g2_r0_c0, @dw_g3_r0_c0], layer = @dw, row_tile = 0 : i64
  // CHECK: crossbar.mvm %[[DWB]] {arrays = [@dw_r1_c0, @dw_g1_r1_c0, @dw_g2_r1_c0, @dw_g3_r1_c0], layer = @dw, row_tile = 1 : i64
  // CHECK: crossbar.digital "max_pool"(%{{.*}}) {ceil_mode = false, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<?x4x4x4xf32>) -> tensor<?x4x2x2xf32>
  // CHECK: crossbar.digital "clip"(%{{.*}}) {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32}
  // CHECK: crossbar.digital "concat"(%{{.*}}, %{{.*}}) {axis = 1 : i64} : (tensor<?x4x2x2xf32>, tensor<?x4x2x2xf32>) -> tensor<?x8x2x2xf32>
  // CHECK: crossbar.digital "global_avg_pool"(%{{.*}}) : (tensor<?x8x2x2xf32>) -> tensor<?x8x1x1xf32>
  func.func @main(%x: tensor<?x4x8x8xf32>) -> tensor<?x8x1x1xf32> {
    %c = circulant.conv %x {name = "conv", block_size = 2 : i64, groups = 1 : i64,
       strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
       weight = dense<1.0> : tensor<1x2x3x3x2x2xf32>, bias = dense<0.0> : tensor<4xf32>,
       mapping = #circulant.mapping<A>, duplication = 1 : i64, shared_input}
       : (tensor<?x4x8x8xf32>) -> tensor<?x4x4x4xf32>
    %dw = circulant.conv %c {name = "dw", block_size = 1 : i64, groups = 4 : i64,
       strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>,
       weight = dense<1.0> : tensor<4x1x3x3x1x1xf32>, bias = dense<0.0> : tensor<4xf32>,
       mapping = #circulant.mapping<A>, duplication = 1 : i64}
       : (tensor<?x4x4x4xf32>) -> tensor<?x4x4x4xf32>
    %mp = circulant.max_pool %dw {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
       pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = false}
       : (tensor<?x4x4x4xf32>) -> tensor<?x4x2x2xf32>
    %r6 = circulant.clip %mp {min = 0.0 : f32, max = 6.0 : f32} : tensor<?x4x2x2xf32>
    %cat = circulant.concat %r6, %mp {axis = 1 : i64} : (tensor<?x4x2x2xf32>, tensor<?x4x2x2xf32>) -> tensor<?x8x2x2xf32>
    %g = circulant.global_avg_pool %cat : (tensor<?x8x2x2xf32>) -> tensor<?x8x1x1xf32>
    return %g : tensor<?x8x1x1xf32>
  }
}
