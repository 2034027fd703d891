// The emitter writes every array's place into the program: an array that was
// never placed, or a module without the overflow policy its arrays were
// placed for, is an error (the translation emits the IR as it is).
// RUN: not rebocc-translate --crossbar-to-program %s 2>&1 | FileCheck %s --check-prefix=UNPLACED
// UNPLACED: error: array is not placed; run crossbar-place-arrays before emitting
// rebocc places crossbar IR in which no array is placed yet, as
// rebocc-opt --crossbar-place-arrays does.
// RUN: rebocc %s --emit=program | FileCheck %s --check-prefix=PLACED
// RUN: rebocc-opt %s --crossbar-place-arrays | rebocc - -x mlir --emit=program | FileCheck %s --check-prefix=PLACED
// PLACED: rebocc-program 12 overflow=chips
// PLACED: array @0.0 row_tile=0 col_tile=0 rows=0+2 weight_cols=0+1 group=0 chip=0 load=0 tile=0 ima=0 xbar=0
// RUN: rebocc-opt %s --crossbar-place-arrays | sed -e 's/crossbar.overflow = #crossbar.overflow<chips>, //' > %t.mlir
// RUN: not rebocc %t.mlir --emit=program 2>&1 | FileCheck %s --check-prefix=POLICY
// POLICY: rebocc: error: {{.*}}: the module has no crossbar.overflow: run crossbar-place-arrays before emitting

module attributes {rebocc.hw = {}} {
  crossbar.layer @fc {bias = dense<0.0> : tensor<2xf32>, block_size = 2 : i64, cell_bits = 2 : i64, cells_per_weight = 8 : i64, duplication = 1 : i64, m = 2 : i64, mapping = #crossbar.mapping<A>, n = 2 : i64, weight = dense<1.0> : tensor<1x1x2xf32>, weight_bits = 16 : i64, weight_scale = 3.05185094e-05 : f32}
  crossbar.array @fc_r0_c0 {col_begin = 0 : i64, col_count = 1 : i64, col_tile = 0 : i64, cols = 128 : i64, layer = @fc, row_begin = 0 : i64, row_count = 2 : i64, row_tile = 0 : i64, rows = 128 : i64}
  func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
    %b = crossbar.input_buffer %x {slice_size = 2 : i64} : tensor<?x2xf32>
    %p = crossbar.mvm %b {arrays = [@fc_r0_c0], layer = @fc, row_tile = 0 : i64, steps = 2 : i64, stride = 1 : i64} : (tensor<?x2xf32>) -> tensor<?x2xf32>
    %s = crossbar.reduce %p : tensor<?x2xf32>
    %y = crossbar.bias_add %s {layer = @fc} : tensor<?x2xf32>
    return %y : tensor<?x2xf32>
  }
}
