// Every error the program emitter (lib/Target/ProgramEmitter/ProgramEmitter.cpp)
// reports, one crossbar-IR module each: one `error:` line naming the place,
// non-zero exit, no program written. rebocc hands crossbar IR without
// circulant ops straight to the emitter; the hardware is the default
// (ISAAC-CE: 128 x 128 arrays, 16-bit weights on 2-bit cells).
//
// Two of the emitter's checks cannot fire on parsed IR because the crossbar
// verifier rejects the input first ("unknown layer" and "unknown digital
// function"); their cases pin the verifier's error instead.
//
// The base case: m = 2, n = 2, k = 1, mapping A, weights all 1.0, so
// weight_scale = 1 / (2^15 - 1) = 3.05185094e-05; one 128 x 128 array holds
// the 2 logical rows and 2 weight columns (16 of its 128 cells columns).

// RUN: rm -rf %t && split-file --leading-lines %s %t
// RUN: rebocc %t/ok.mlir --emit=program | FileCheck %s --check-prefix=OK
// OK: layer @0 name="fc" m=2 n=2 k=1 p=2 q=2 d=1 mapping=A
// OK: array @0.0 row_tile=0 col_tile=0 rows=0+2 weight_cols=0+2 group=0

// RUN: not rebocc %t/functions.mlir -o %t/functions.rbp 2>&1 | FileCheck %s --check-prefix=FUNCTIONS --implicit-check-not=error:
// RUN: not rebocc %t/not-lowered.mlir -o %t/not-lowered.rbp 2>&1 | FileCheck %s --check-prefix=NOT-LOWERED --implicit-check-not=error:
// RUN: not rebocc %t/unemitted-operand.mlir -o %t/unemitted-operand.rbp 2>&1 | FileCheck %s --check-prefix=UNEMITTED --implicit-check-not=error:
// RUN: not rebocc %t/bias-without-reduce.mlir -o %t/bias-without-reduce.rbp 2>&1 | FileCheck %s --check-prefix=BIAS --implicit-check-not=error:
// RUN: not rebocc %t/reduce-of-non-mvm.mlir -o %t/reduce-of-non-mvm.rbp 2>&1 | FileCheck %s --check-prefix=REDUCE --implicit-check-not=error:
// RUN: not rebocc %t/mvm-without-buffer.mlir -o %t/mvm-without-buffer.rbp 2>&1 | FileCheck %s --check-prefix=BUFFER --implicit-check-not=error:
// RUN: not rebocc %t/unknown-layer.mlir -o %t/unknown-layer.rbp 2>&1 | FileCheck %s --check-prefix=UNKNOWN-LAYER --implicit-check-not=error:
// RUN: not rebocc %t/encoding.mlir -o %t/encoding.rbp 2>&1 | FileCheck %s --check-prefix=ENCODING --implicit-check-not=error:
// RUN: rebocc %t/integer.mlir --emit=program | FileCheck %s --check-prefix=INTEGER
// RUN: not rebocc %t/integer-bits.mlir -o %t/integer-bits.rbp 2>&1 | FileCheck %s --check-prefix=INTEGER-BITS --implicit-check-not=error:
// RUN: not rebocc %t/unreadable-weights.mlir -o %t/unreadable-weights.rbp 2>&1 | FileCheck %s --check-prefix=WEIGHTS --implicit-check-not=error:
// RUN: not rebocc %t/plan.mlir -o %t/plan.rbp 2>&1 | FileCheck %s --check-prefix=PLAN --implicit-check-not=error:
// RUN: not rebocc %t/arrays.mlir -o %t/arrays.rbp 2>&1 | FileCheck %s --check-prefix=ARRAYS --implicit-check-not=error:
// RUN: not rebocc %t/digital-attrs.mlir -o %t/digital-attrs.rbp 2>&1 | FileCheck %s --check-prefix=ATTRS --implicit-check-not=error:
// RUN: not rebocc %t/digital-fn.mlir -o %t/digital-fn.rbp 2>&1 | FileCheck %s --check-prefix=FN --implicit-check-not=error:
// RUN: not rebocc %t/constant.mlir -o %t/constant.rbp 2>&1 | FileCheck %s --check-prefix=CONSTANT --implicit-check-not=error:
// RUN: not rebocc %t/invalid-program.mlir -o %t/invalid-program.rbp 2>&1 | FileCheck %s --check-prefix=INVALID --implicit-check-not=error:
// No failing case leaves a program behind.
// RUN: not ls %t/*.rbp

//--- ok.mlir
crossbar.layer @fc {m = 2 : i64, n = 2 : i64, block_size = 1 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 16 : i64,
  cell_bits = 2 : i64, cells_per_weight = 8 : i64, weight_scale = 3.05185094e-05 : f32,
  weight = dense<1.0> : tensor<2x2x1xf32>, bias = dense<0.0> : tensor<2xf32>}
crossbar.array @fc_r0_c0 {layer = @fc, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 128 : i64, cols = 128 : i64, row_begin = 0 : i64,
  row_count = 2 : i64, col_begin = 0 : i64, col_count = 2 : i64}
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %b = crossbar.input_buffer %x {slice_size = 1 : i64, shared} : tensor<?x2xf32>
  %p = crossbar.mvm %b {layer = @fc, row_tile = 0 : i64, arrays = [@fc_r0_c0],
                        steps = 1 : i64, stride = 1 : i64}
       : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %s = crossbar.reduce %p : tensor<?x2xf32>
  %y = crossbar.bias_add %s {layer = @fc} : tensor<?x2xf32>
  %r = crossbar.digital "relu"(%y) : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}

//--- functions.mlir
// A program has one entry: a second function (even an unused one) is
// rejected at the module.
// FUNCTIONS: rebocc: error: {{.*}}functions.mlir: expected exactly one function, found 2
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %r = crossbar.digital "relu"(%x) : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}
func.func @helper(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  return %x : tensor<?x2xf32>
}

//--- not-lowered.mlir
// An op outside the crossbar dialect (here a call) has no instruction.
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  // NOT-LOWERED: rebocc: error: {{.*}}not-lowered.mlir:[[@LINE+1]]:8: cannot be emitted: lower it to the crossbar dialect first
  %r = func.call @main(%x) : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}

//--- unemitted-operand.mlir
// input_buffer, mvm and reduce fold into their layer's instruction, so their
// results are not program values: nothing else may read them. (Placed by
// hand: crossbar-place-arrays places layers in bias_add order, and this one
// has none.)
module attributes {crossbar.overflow = #crossbar.overflow<chips>} {
crossbar.layer @fc {m = 2 : i64, n = 2 : i64, block_size = 1 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 16 : i64,
  cell_bits = 2 : i64, cells_per_weight = 8 : i64, weight_scale = 3.05185094e-05 : f32,
  weight = dense<1.0> : tensor<2x2x1xf32>, bias = dense<0.0> : tensor<2xf32>}
crossbar.array @fc_r0_c0 {layer = @fc,
  place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 0, xbar = 0>, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 128 : i64, cols = 128 : i64, row_begin = 0 : i64,
  row_count = 2 : i64, col_begin = 0 : i64, col_count = 2 : i64}
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %b = crossbar.input_buffer %x {slice_size = 1 : i64, shared} : tensor<?x2xf32>
  %p = crossbar.mvm %b {layer = @fc, row_tile = 0 : i64, arrays = [@fc_r0_c0],
                        steps = 1 : i64, stride = 1 : i64}
       : (tensor<?x2xf32>) -> tensor<?x2xf32>
  // UNEMITTED: rebocc: error: {{.*}}unemitted-operand.mlir:[[@LINE+1]]:8: operand is not produced by an emitted op
  %r = crossbar.digital "relu"(%p) : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}
}

//--- bias-without-reduce.mlir
// A layer is the chain input_buffer -> mvm -> reduce -> bias_add; a bias_add
// of anything else is not a layer.
crossbar.layer @fc {m = 2 : i64, n = 2 : i64, block_size = 1 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 16 : i64,
  cell_bits = 2 : i64, cells_per_weight = 8 : i64, weight_scale = 3.05185094e-05 : f32,
  weight = dense<1.0> : tensor<2x2x1xf32>, bias = dense<0.0> : tensor<2xf32>}
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  // BIAS: rebocc: error: {{.*}}bias-without-reduce.mlir:[[@LINE+1]]:8: bias_add must consume a crossbar.reduce
  %y = crossbar.bias_add %x {layer = @fc} : tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

//--- reduce-of-non-mvm.mlir
// The reduce sums the layer's row tiles: a block argument is not one.
crossbar.layer @fc {m = 2 : i64, n = 2 : i64, block_size = 1 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 16 : i64,
  cell_bits = 2 : i64, cells_per_weight = 8 : i64, weight_scale = 3.05185094e-05 : f32,
  weight = dense<1.0> : tensor<2x2x1xf32>, bias = dense<0.0> : tensor<2xf32>}
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  // REDUCE: rebocc: error: {{.*}}reduce-of-non-mvm.mlir:[[@LINE+1]]:8: reduce operands must be mvm ops of one layer
  %s = crossbar.reduce %x : tensor<?x2xf32>
  %y = crossbar.bias_add %s {layer = @fc} : tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

//--- mvm-without-buffer.mlir
// The mvm ops of a layer read its input through one input_buffer (the
// program's crossbar instruction has one operand and one sharing flag).
crossbar.layer @fc {m = 2 : i64, n = 2 : i64, block_size = 1 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 16 : i64,
  cell_bits = 2 : i64, cells_per_weight = 8 : i64, weight_scale = 3.05185094e-05 : f32,
  weight = dense<1.0> : tensor<2x2x1xf32>, bias = dense<0.0> : tensor<2xf32>}
crossbar.array @fc_r0_c0 {layer = @fc, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 128 : i64, cols = 128 : i64, row_begin = 0 : i64,
  row_count = 2 : i64, col_begin = 0 : i64, col_count = 2 : i64}
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  // BUFFER: rebocc: error: {{.*}}mvm-without-buffer.mlir:[[@LINE+1]]:8: all mvm ops of a layer read one input_buffer
  %p = crossbar.mvm %x {layer = @fc, row_tile = 0 : i64, arrays = [@fc_r0_c0],
                        steps = 1 : i64, stride = 1 : i64}
       : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %s = crossbar.reduce %p : tensor<?x2xf32>
  %y = crossbar.bias_add %s {layer = @fc} : tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

//--- unknown-layer.mlir
// Unreachable in the emitter ("unknown layer"): BiasAddOp::verifySymbolUses
// rejects a bias_add whose layer symbol is missing when the file is parsed.
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  // UNKNOWN-LAYER: rebocc: error: {{.*}}unknown-layer.mlir:[[@LINE+1]]:8: 'crossbar.bias_add' op layer @nope is not a crossbar.layer
  %y = crossbar.bias_add %x {layer = @nope} : tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

//--- encoding.mlir
// 8-bit weights (4 cells of 2 bits) on hardware that stores 16-bit weights.
// ENCODING: rebocc: error: {{.*}}encoding.mlir:[[@LINE+1]]:1: layer encoding differs from the hardware description
crossbar.layer @fc {m = 2 : i64, n = 2 : i64, block_size = 1 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 8 : i64,
  cell_bits = 2 : i64, cells_per_weight = 4 : i64, weight_scale = 7.87401571e-03 : f32,
  weight = dense<1.0> : tensor<2x2x1xf32>, bias = dense<0.0> : tensor<2xf32>}
crossbar.array @fc_r0_c0 {layer = @fc, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 128 : i64, cols = 128 : i64, row_begin = 0 : i64,
  row_count = 2 : i64, col_begin = 0 : i64, col_count = 2 : i64}
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %b = crossbar.input_buffer %x {slice_size = 1 : i64, shared} : tensor<?x2xf32>
  %p = crossbar.mvm %b {layer = @fc, row_tile = 0 : i64, arrays = [@fc_r0_c0],
                        steps = 1 : i64, stride = 1 : i64}
       : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %s = crossbar.reduce %p : tensor<?x2xf32>
  %y = crossbar.bias_add %s {layer = @fc} : tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

//--- unreadable-weights.mlir
// The program stores float32 weights; the verifier checks only the weight's
// shape, so half-precision weights reach the emitter.
// WEIGHTS: rebocc: error: {{.*}}unreadable-weights.mlir:[[@LINE+1]]:1: unreadable weights or bias
crossbar.layer @fc {m = 2 : i64, n = 2 : i64, block_size = 1 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 16 : i64,
  cell_bits = 2 : i64, cells_per_weight = 8 : i64, weight_scale = 3.05185094e-05 : f32,
  weight = dense<1.0> : tensor<2x2x1xf16>, bias = dense<0.0> : tensor<2xf32>}
crossbar.array @fc_r0_c0 {layer = @fc, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 128 : i64, cols = 128 : i64, row_begin = 0 : i64,
  row_count = 2 : i64, col_begin = 0 : i64, col_count = 2 : i64}
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %b = crossbar.input_buffer %x {slice_size = 1 : i64, shared} : tensor<?x2xf32>
  %p = crossbar.mvm %b {layer = @fc, row_tile = 0 : i64, arrays = [@fc_r0_c0],
                        steps = 1 : i64, stride = 1 : i64}
       : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %s = crossbar.reduce %p : tensor<?x2xf32>
  %y = crossbar.bias_add %s {layer = @fc} : tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

//--- plan.mlir
// program::planArrays refuses the layer: a k-slice must fit one array, and
// k = 256 exceeds the hardware's 128 rows (the IR's array claims 256 rows;
// the verifier checks the array against itself, not the hardware).
// PLAN: rebocc: error: {{.*}}plan.mlir:[[@LINE+1]]:1: block size k = 256 exceeds the 128 crossbar rows
crossbar.layer @fc {m = 256 : i64, n = 256 : i64, block_size = 256 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 16 : i64,
  cell_bits = 2 : i64, cells_per_weight = 8 : i64, weight_scale = 3.05185094e-05 : f32,
  weight = dense<1.0> : tensor<1x1x256xf32>, bias = dense<0.0> : tensor<256xf32>}
crossbar.array @fc_r0_c0 {layer = @fc, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 256 : i64, cols = 128 : i64, row_begin = 0 : i64,
  row_count = 256 : i64, col_begin = 0 : i64, col_count = 1 : i64}
func.func @main(%x: tensor<?x256xf32>) -> tensor<?x256xf32> {
  %b = crossbar.input_buffer %x {slice_size = 256 : i64, shared} : tensor<?x256xf32>
  %p = crossbar.mvm %b {layer = @fc, row_tile = 0 : i64, arrays = [@fc_r0_c0],
                        steps = 256 : i64, stride = 1 : i64}
       : (tensor<?x256xf32>) -> tensor<?x256xf32>
  %s = crossbar.reduce %p : tensor<?x256xf32>
  %y = crossbar.bias_add %s {layer = @fc} : tensor<?x256xf32>
  return %y : tensor<?x256xf32>
}

//--- arrays.mlir
// The array holds logical row 0 only; the layout puts rows 0+2 in it. Valid
// IR (the array lies inside the layer's matrix) but not the program's layout.
// ARRAYS: rebocc: error: {{.*}}arrays.mlir:[[@LINE+1]]:1: arrays of layer 'fc' differ from the program format's layout for this hardware
crossbar.layer @fc {m = 2 : i64, n = 2 : i64, block_size = 1 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 16 : i64,
  cell_bits = 2 : i64, cells_per_weight = 8 : i64, weight_scale = 3.05185094e-05 : f32,
  weight = dense<1.0> : tensor<2x2x1xf32>, bias = dense<0.0> : tensor<2xf32>}
crossbar.array @fc_r0_c0 {layer = @fc, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 128 : i64, cols = 128 : i64, row_begin = 0 : i64,
  row_count = 1 : i64, col_begin = 0 : i64, col_count = 2 : i64}
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %b = crossbar.input_buffer %x {slice_size = 1 : i64, shared} : tensor<?x2xf32>
  %p = crossbar.mvm %b {layer = @fc, row_tile = 0 : i64, arrays = [@fc_r0_c0],
                        steps = 1 : i64, stride = 1 : i64}
       : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %s = crossbar.reduce %p : tensor<?x2xf32>
  %y = crossbar.bias_add %s {layer = @fc} : tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

//--- digital-attrs.mlir
// leaky_relu carries its slope `alpha` as a float; an integer is mistyped.
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  // ATTRS: rebocc: error: {{.*}}digital-attrs.mlir:[[@LINE+1]]:8: missing or mistyped attributes for "leaky_relu"
  %r = crossbar.digital "leaky_relu"(%x) {alpha = 1 : i64} : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}

//--- digital-fn.mlir
// Unreachable in the emitter ("unknown digital function"): DigitalOp::verify
// knows the same functions as the emitter's opcode table and rejects others
// when the file is parsed.
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  // FN: rebocc: error: {{.*}}digital-fn.mlir:[[@LINE+1]]:8: 'crossbar.digital' op unknown digital function "cosh"
  %r = crossbar.digital "cosh"(%x) : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}

//--- constant.mlir
// The program stores float32 constants; the op does not check its value's
// element type against its f32 result.
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  // CONSTANT: rebocc: error: {{.*}}constant.mlir:[[@LINE+1]]:8: unreadable constant
  %c = crossbar.constant {value = dense<1> : tensor<2xi32>} : tensor<2xf32>
  %r = crossbar.digital "add"(%x, %c) : (tensor<?x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}

//--- invalid-program.mlir
// The emitted program fails program::verify: the weight scale must be
// max |w| / (2^15 - 1) = 1 / 32767 = 3.0518509e-05 for weights all 1.0;
// the IR says 1.0.
// INVALID: rebocc: error: {{.*}}invalid-program.mlir: emitted program is invalid: layer 0 'fc': weight_scale 1 does not match the weights (max |w| / 32767 = 3.0518509e-05)
crossbar.layer @fc {m = 2 : i64, n = 2 : i64, block_size = 1 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 16 : i64,
  cell_bits = 2 : i64, cells_per_weight = 8 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<2x2x1xf32>, bias = dense<0.0> : tensor<2xf32>}
crossbar.array @fc_r0_c0 {layer = @fc, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 128 : i64, cols = 128 : i64, row_begin = 0 : i64,
  row_count = 2 : i64, col_begin = 0 : i64, col_count = 2 : i64}
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %b = crossbar.input_buffer %x {slice_size = 1 : i64, shared} : tensor<?x2xf32>
  %p = crossbar.mvm %b {layer = @fc, row_tile = 0 : i64, arrays = [@fc_r0_c0],
                        steps = 1 : i64, stride = 1 : i64}
       : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %s = crossbar.reduce %p : tensor<?x2xf32>
  %y = crossbar.bias_add %s {layer = @fc} : tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

//--- integer.mlir
// The model's integer weights (integer_weights): their own 8 bits (4 cells
// of 2 bits) on the 16-bit chip, weight_scale 1, and the layer line ends in
// weight_bits=8; 128 / 4 = 32 weight columns per array.
// INTEGER: layer @0 name="fc" {{.*}} weight_cols_per_array=32 {{.*}} weight_scale=1 {{.*}} weight_bits=8{{$}}
crossbar.layer @fc {m = 2 : i64, n = 2 : i64, block_size = 1 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 8 : i64,
  cell_bits = 2 : i64, cells_per_weight = 4 : i64, weight_scale = 1.0 : f32,
  weight = dense<[[[-127.0], [3.0]], [[5.0], [127.0]]]> : tensor<2x2x1xf32>,
  bias = dense<0.0> : tensor<2xf32>, integer_weights}
crossbar.array @fc_r0_c0 {layer = @fc, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 128 : i64, cols = 128 : i64, row_begin = 0 : i64,
  row_count = 2 : i64, col_begin = 0 : i64, col_count = 2 : i64}
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %b = crossbar.input_buffer %x {slice_size = 1 : i64, shared} : tensor<?x2xf32>
  %p = crossbar.mvm %b {layer = @fc, row_tile = 0 : i64, arrays = [@fc_r0_c0],
                        steps = 1 : i64, stride = 1 : i64}
       : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %s = crossbar.reduce %p : tensor<?x2xf32>
  %y = crossbar.bias_add %s {layer = @fc} : tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

//--- integer-bits.mlir
// Integer weights wider than the chip's 16-bit weights.
// INTEGER-BITS: rebocc: error: {{.*}}integer-bits.mlir:[[@LINE+1]]:1: layer encoding differs from the hardware description
crossbar.layer @fc {m = 2 : i64, n = 2 : i64, block_size = 1 : i64,
  mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 20 : i64,
  cell_bits = 2 : i64, cells_per_weight = 10 : i64, weight_scale = 1.0 : f32,
  weight = dense<1.0> : tensor<2x2x1xf32>, bias = dense<0.0> : tensor<2xf32>,
  integer_weights}
crossbar.array @fc_r0_c0 {layer = @fc, row_tile = 0 : i64,
  col_tile = 0 : i64, rows = 128 : i64, cols = 128 : i64, row_begin = 0 : i64,
  row_count = 2 : i64, col_begin = 0 : i64, col_count = 2 : i64}
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %b = crossbar.input_buffer %x {slice_size = 1 : i64, shared} : tensor<?x2xf32>
  %p = crossbar.mvm %b {layer = @fc, row_tile = 0 : i64, arrays = [@fc_r0_c0],
                        steps = 1 : i64, stride = 1 : i64}
       : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %s = crossbar.reduce %p : tensor<?x2xf32>
  %y = crossbar.bias_add %s {layer = @fc} : tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
