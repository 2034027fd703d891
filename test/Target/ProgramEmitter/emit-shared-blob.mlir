// rebocc frees each dense_resource blob once the program has taken its
// values (the module is discarded after emission), but only when no other
// attribute names it: here two layers share one weight blob, and both keep
// its values. The weights_seal is seal64 of the floats 1.0, 2.0 in
// little-endian bytes (00 00 80 3f 00 00 00 40), computed by the independent
// implementation in test/Sim/Inputs/reseal.py.
// RUN: rebocc %s --emit=program | FileCheck %s
// CHECK: layer @0 name="fc" {{.*}} weights_seal=0xfe1f6619efa54cbf
// CHECK: layer @1 name="fc2" {{.*}} weights_seal=0xfe1f6619efa54cbf
// The file rebocc writes (the program's text section, then its data).
// RUN: rebocc %s -o %t.rbp && FileCheck %s < %t.rbp

module attributes {rebocc.hw = {}} {
  crossbar.layer @fc {bias = dense<0.0> : tensor<2xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 8 : i64, duplication = 1 : i64, m = 2 : i64, mapping = #crossbar.mapping<A>, n = 2 : i64, weight = dense_resource<shared_w> : tensor<1x1x2xf32>, weight_bits = 16 : i64, weight_scale = 6.10370189e-05 : f32}
  crossbar.array @fc_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 128 : i64, layer = @fc, row_begin = 0 : i64, row_count = 2 : i64, row_tile = 0 : i64, rows = 128 : i64}
  crossbar.layer @fc2 {bias = dense<0.0> : tensor<2xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 8 : i64, duplication = 1 : i64, m = 2 : i64, mapping = #crossbar.mapping<A>, n = 2 : i64, weight = dense_resource<shared_w> : tensor<1x1x2xf32>, weight_bits = 16 : i64, weight_scale = 6.10370189e-05 : f32}
  crossbar.array @fc2_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 128 : i64, layer = @fc2, row_begin = 0 : i64, row_count = 2 : i64, row_tile = 0 : i64, rows = 128 : i64}
  func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
    %b = crossbar.input_buffer %x {slice_size = 2 : i64} : tensor<?x2xf32>
    %p = crossbar.mvm %b {arrays = [@fc_r0_c0], layer = @fc, row_tile = 0 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x2xf32>) -> tensor<?x2xf32>
    %s = crossbar.reduce %p : tensor<?x2xf32>
    %y = crossbar.bias_add %s {layer = @fc} : tensor<?x2xf32>
    %b2 = crossbar.input_buffer %y {slice_size = 2 : i64} : tensor<?x2xf32>
    %p2 = crossbar.mvm %b2 {arrays = [@fc2_r0_c0], layer = @fc2, row_tile = 0 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x2xf32>) -> tensor<?x2xf32>
    %s2 = crossbar.reduce %p2 : tensor<?x2xf32>
    %y2 = crossbar.bias_add %s2 {layer = @fc2} : tensor<?x2xf32>
    return %y2 : tensor<?x2xf32>
  }
}

{-#
  dialect_resources: {
    builtin: {
      shared_w: "0x040000000000803f00000040"
    }
  }
#-}
