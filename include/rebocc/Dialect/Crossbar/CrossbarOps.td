//===- CrossbarOps.td - crossbar dialect ops ---------------*- tablegen -*-===//

#ifndef REBOCC_CROSSBAR_OPS
#define REBOCC_CROSSBAR_OPS

include "rebocc/Dialect/Crossbar/CrossbarDialect.td"
include "rebocc/Dialect/Crossbar/CrossbarAttributes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"

def Crossbar_FloatTensor : TensorOf<[F32]>;

def Crossbar_LayerOp : Crossbar_Op<"layer", [Symbol]> {
  let summary = "a mapped layer: unique weights, encoding and mapping";
  let description = [{
    Holds the p x q x k defining vectors of a block-circulant layer with `m`
    outputs and `n` inputs, its bias, and how its weights sit on cells:
    fixed-point `weight_bits` with scale `weight_scale` (ISAAC's bias
    encoding, stored value `round(w / weight_scale) + 2^(weight_bits-1)`),
    split over `cells_per_weight` cells of `cell_bits` bits each, least
    significant slice first. With `integer_weights` the weights are the
    model's integers (QDQ and QOperator models), programmed as they are:
    `weight_bits` is the layer's own width and `weight_scale` is 1.
    With `input_bits` the layer's input is integers (the model's activation
    codes, zero point subtracted) driven as they are in that many signed
    bits, one read per bit, instead of the chip's input_bits after rebocc's
    dynamic quantization; the model's activation scale follows the layer.
    `mapping` is `#crossbar.mapping<A>`, `B`, `C` or `E` with `duplication`
    copies per block-row.

    A convolution carries `groups`, `kernel` (kh, kw), `strides`, `pads`
    (top, left, bottom, right) and `dilations`; its weight has shape
    groups x p x kh x kw x q x k, `m` and `n` count channels per group, and
    the bias has groups*m entries. Its mvm steps run once per output position
    on the im2col vector ordered (u, v, j, t).

    With the hardware's `weight_scale_granularity = channel`, `channel_scales` holds one
    scale per block-row (groups x p, group major): the weights of block-row
    i are stored as `round(w / channel_scales[i])` and its k outputs are
    multiplied by that scale after the shift-and-add. `weight_scale` stays
    the layer's (the largest).

    ```mlir
    crossbar.layer @fc1 {m = 4 : i64, n = 6 : i64, block_size = 2 : i64,
      mapping = #crossbar.mapping<A>, duplication = 1 : i64, weight_bits = 16 : i64,
      cell_bits = 2 : i64, cells_per_weight = 8 : i64, weight_scale = 1.0e-3 : f32,
      weight = dense<...> : tensor<2x3x2xf32>, bias = dense<...> : tensor<4xf32>}
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       ConfinedAttr<I64Attr, [IntPositive]>:$m,
                       ConfinedAttr<I64Attr, [IntPositive]>:$n,
                       ConfinedAttr<I64Attr, [IntPositive]>:$block_size,
                       Crossbar_MappingAttr:$mapping,
                       ConfinedAttr<I64Attr, [IntPositive]>:$duplication,
                       ConfinedAttr<I64Attr, [IntPositive]>:$weight_bits,
                       ConfinedAttr<I64Attr, [IntPositive]>:$cell_bits,
                       ConfinedAttr<I64Attr, [IntPositive]>:$cells_per_weight,
                       F32Attr:$weight_scale,
                       ElementsAttr:$weight,
                       ElementsAttr:$bias,
                       OptionalAttr<I64Attr>:$groups,
                       OptionalAttr<DenseI64ArrayAttr>:$kernel,
                       OptionalAttr<DenseI64ArrayAttr>:$strides,
                       OptionalAttr<DenseI64ArrayAttr>:$pads,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations,
                       UnitAttr:$integer_weights,
                       OptionalAttr<DenseF32ArrayAttr>:$channel_scales,
                       OptionalAttr<ConfinedAttr<I64Attr, [IntPositive]>>:
                           $input_bits);
  let assemblyFormat = "$sym_name attr-dict";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The layer as the program describes it (docs/ProgramFormat.md): its
    /// geometry and encoding, without weights, bias or arrays
    /// (program::planArrays lays those out).
    ::rebocc::program::CrossbarLayer toProgramLayer(bool sharedInput);
    bool isConv() { return getKernel().has_value(); }
    int64_t getGroupCount() { return getGroups().value_or(1); }
    /// Kernel positions (1 for a fully connected layer).
    int64_t getKernelPositions() {
      return isConv() ? (*getKernel())[0] * (*getKernel())[1] : 1;
    }
  }];
}

def Crossbar_ArrayOp : Crossbar_Op<"array", [Symbol,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "one physical crossbar array and the weights it holds";
  let description = [{
    A `rows` x `cols` array (of convolution group `group`, default 0) at
    `place`: its chip, chip load, tile, IMA and crossbar, set by
    `crossbar-place-arrays` (absent until then; within the module's
    `rebocc.hw` counts of tiles per chip, IMAs per tile and crossbars per
    IMA). It holds logical rows
    [row_begin, row_begin + row_count) and weight columns
    [col_begin, col_begin + col_count) of `layer`'s logical crossbar matrix:
    logical row (j, t) = j*k + t takes input slice j at offset t, weight
    column (i, u) = i*d + u holds block-row i rotated by u, i.e. cell slice b
    of `w_ij[(t - u) mod k]`, and occupies `cells_per_weight` physical
    columns.

    ```mlir
    crossbar.array @fc1_r0_c0 {layer = @fc1, row_tile = 0 : i64,
      col_tile = 0 : i64, rows = 128 : i64, cols = 128 : i64, row_begin = 0 : i64,
      row_count = 6 : i64, col_begin = 0 : i64, col_count = 2 : i64,
      place = #crossbar.place<chip = 0, load = 0, tile = 0, ima = 0, xbar = 0>}
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       FlatSymbolRefAttr:$layer,
                       OptionalAttr<I64Attr>:$group,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$row_tile,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$col_tile,
                       ConfinedAttr<I64Attr, [IntPositive]>:$rows,
                       ConfinedAttr<I64Attr, [IntPositive]>:$cols,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$row_begin,
                       ConfinedAttr<I64Attr, [IntPositive]>:$row_count,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$col_begin,
                       ConfinedAttr<I64Attr, [IntPositive]>:$col_count,
                       OptionalAttr<Crossbar_PlaceAttr>:$place);
  let assemblyFormat = "$sym_name attr-dict";
  let hasVerifier = 1;
}

def Crossbar_InputBufferOp : Crossbar_Op<"input_buffer", [Pure, SameOperandsAndResultType]> {
  let summary = "an input tile buffer cut into k-slices";
  let description = [{
    Stages a layer input in the tile's buffer as slices of `slice_size`
    words. The crossbars of the consuming layers load each slice into their
    input registers once and rotate it locally (input slice reusing). With
    `shared`, every consumer reads this one buffer (input tile sharing);
    otherwise each array keeps a private copy of its rows.

    `crossbar-assign-buffers` sets `tile`, the tile whose eDRAM holds the
    buffer (that of the first array reading it), and `bytes`, what it holds
    for one input vector (a shared convolution input: its line buffer) as
    the cost model counts it (docs/CostModel.md, "Buffer capacity").
  }];
  let arguments = (ins Crossbar_FloatTensor:$input,
                       ConfinedAttr<I64Attr, [IntPositive]>:$slice_size,
                       UnitAttr:$shared,
                       OptionalAttr<Crossbar_TileAttr>:$tile,
                       OptionalAttr<ConfinedAttr<I64Attr, [IntNonNegative]>>:$bytes);
  let results = (outs Crossbar_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Crossbar_MvmOp : Crossbar_Op<"mvm", [Pure,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "matrix-vector steps of one row tile, with shift-and-add";
  let description = [{
    For rotation steps s0 = 0, d, 2d, ... (`steps` = k/d of them, stride
    `stride` = d), drives each k-slice of the buffer rotated by s0 into the
    `arrays` of row tile `row_tile` of `layer`, bit-serially; the ADC
    samples every column, and shift-and-add combines the cell slices of a
    weight column and the input bits. Weight column (i, u) yields output
    i*k + s0 + u. The result holds this row tile's partial sums of all m
    outputs.
  }];
  let arguments = (ins Crossbar_FloatTensor:$input,
                       FlatSymbolRefAttr:$layer,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$row_tile,
                       SymbolRefArrayAttr:$arrays,
                       ConfinedAttr<I64Attr, [IntPositive]>:$steps,
                       ConfinedAttr<I64Attr, [IntPositive]>:$stride);
  let results = (outs Crossbar_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type($input, $output)";
}

def Crossbar_ReduceOp : Crossbar_Op<"reduce", [Pure, SameOperandsAndResultType]> {
  let summary = "partial-sum reduction across row tiles";
  let arguments = (ins Variadic<Crossbar_FloatTensor>:$partials);
  let results = (outs Crossbar_FloatTensor:$output);
  let assemblyFormat = "$partials attr-dict `:` type($output)";
  let hasVerifier = 1;
}

def Crossbar_BiasAddOp : Crossbar_Op<"bias_add", [Pure, SameOperandsAndResultType,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "adds a layer's bias in the digital unit";
  let arguments = (ins Crossbar_FloatTensor:$input, FlatSymbolRefAttr:$layer);
  let results = (outs Crossbar_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Crossbar_DigitalOp : Crossbar_Op<"digital", [Pure]> {
  let summary = "an operation of the tile's digital unit";
  let description = [{
    `fn` is one of relu, sigmoid, softmax (with `axis`), add, mul
    (broadcasting), reshape, flatten (with `axis`), identity, max_pool,
    avg_pool (with the window attributes of circulant.max_pool /
    circulant.avg_pool), global_avg_pool, clip (`min`, `max`), leaky_relu
    (`alpha`), hard_sigmoid (`alpha`, `beta`), hard_swish, prelu (x, slope),
    concat (`axis`, any number of operands), pad (`pads`, `mode`, `value`),
    transpose (`perm`), the elementwise sqrt, erf, exp, log, neg, abs, tanh,
    gelu, gelu_tanh, not, round, cast (`to`, as circulant.cast), the
    broadcasting pow, min, max, equal, greater,
    greater_or_equal, and, or, where (condition, x, y), fma (a, b, c: a * b
    + c rounded once, as circulant.fma), the reductions
    reduce_max, reduce_min, reduce_sum (`axes`, kept as 1), log_softmax
    (`axis`), normalize (`axis`, `epsilon`), slice (`axes`, `starts`,
    `ends`), resize (`axes`, `taps`, `sources`, `weights`, as
    circulant.resize), matmul (lhs, rhs, as circulant.matmul; a unit
    `reprogram` attribute when the right operand is written into crossbar
    cells per inference, `--attention=reprogram`) or the recurrent cells lstm,
    gru and rnn (the operands of circulant.lstm / circulant.gru /
    circulant.rnn; the recurrence operands are crossbar layer results the
    cell runs each time step, `reverse`, `clip`, `linear_before_reset`,
    rnn's `activation`, `activation_alpha`, `activation_beta`); booleans
    are 0 / 1 floats; or unary (`function`, `alpha`, `beta`, as
    circulant.unary).
    Function attributes are carried in the attribute dictionary.
  }];
  let arguments = (ins StrAttr:$fn, Variadic<Crossbar_FloatTensor>:$operands,
                       OptionalAttr<I64Attr>:$axis);
  let results = (outs Crossbar_FloatTensor:$output);
  let assemblyFormat = "$fn `(` $operands `)` attr-dict `:` functional-type($operands, $output)";
  let hasVerifier = 1;
}

def Crossbar_ConstantOp : Crossbar_Op<"constant", [Pure, ConstantLike]> {
  let summary = "a constant float tensor held by the digital unit";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Crossbar_FloatTensor:$output);
  let assemblyFormat = "attr-dict `:` type($output)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Run-time control flow
//===----------------------------------------------------------------------===//

def Crossbar_IfOp : Crossbar_Op<"if", [RecursiveMemoryEffects, NoRegionArguments]> {
  let summary = "runs one of two regions, chosen by a run-time condition";
  let description = [{
    ONNX If whose condition is only known at run time: `then` runs when the
    one-element `condition` is non-zero, `else` otherwise, and the results
    are what the region that ran yields. Both regions are compiled (their
    layers take crossbars), only one runs per inference (the program's if and phi instructions).

    ```mlir
    %r = crossbar.if %c : tensor<1xf32> -> tensor<4xf32> {
      crossbar.yield %a : tensor<4xf32>
    } else {
      crossbar.yield %b : tensor<4xf32>
    }
    ```

    A branch that cannot run for the compiled input shapes (its ONNX graph
    fails to import for them, as ONNX Runtime fails when it runs it) holds
    only an empty `yield`, and `then_error` or `else_error` keeps its
    import error: an inference that takes it stops with that error. At
    most one branch may be such.
  }];
  let arguments = (ins Crossbar_FloatTensor:$condition,
                       OptionalAttr<StrAttr>:$then_error,
                       OptionalAttr<StrAttr>:$else_error);
  let results = (outs Variadic<Crossbar_FloatTensor>:$results);
  let regions = (region SizedRegion<1>:$thenRegion, SizedRegion<1>:$elseRegion);
  let assemblyFormat = [{
    $condition `:` type($condition) (`->` type($results)^)? $thenRegion
    `else` $elseRegion attr-dict
  }];
  let hasVerifier = 1;
}

def Crossbar_YieldOp : Crossbar_Op<"yield", [Pure, Terminator,
    HasParent<"IfOp">]> {
  let summary = "the results of the region of an if that ran";
  let arguments = (ins Variadic<Crossbar_FloatTensor>:$operands);
  let assemblyFormat = "($operands^ `:` type($operands))? attr-dict";
}

#endif // REBOCC_CROSSBAR_OPS
