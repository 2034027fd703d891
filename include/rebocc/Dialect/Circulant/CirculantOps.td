//===- CirculantOps.td - circulant dialect ops -------------*- tablegen -*-===//

#ifndef REBOCC_CIRCULANT_OPS
#define REBOCC_CIRCULANT_OPS

include "rebocc/Dialect/Circulant/CirculantDialect.td"
include "rebocc/Dialect/Circulant/CirculantEnums.td"
include "rebocc/Dialect/Circulant/MappedLayerOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/IR/BuiltinAttributes.td"

def Circulant_FloatTensor : TensorOf<[F32]>;

//===----------------------------------------------------------------------===//
// FullyConnectedOp
//===----------------------------------------------------------------------===//

def Circulant_FullyConnectedOp : Circulant_Op<"fc", [Pure,
    DeclareOpInterfaceMethods<MappedLayerOpInterface>]> {
  let summary = "block-circulant fully connected layer";
  let description = [{
    `y[b, o] = sum_i W[o, i] * x[b, i] + bias[o]` for an input of shape
    (batch, n) and a result of shape (batch, m). `W` is stored as block-circulant
    defining vectors `weight` of shape p x q x k with `p = ceil(m / k)`,
    `q = ceil(n / k)` and `k = block_size`; block (i, j) of the (zero padded)
    matrix is `W_ij[r][c] = weight[i][j][(c - r) mod k]`. `block_size = 1` is
    a dense layer (weight shape m x n x 1).

    The mapping attributes are set by the mapping passes:
    `mapping` is `#circulant.mapping<A>` (horizontal weight slicing), `B` or
    `C` (intra-crossbar weight duplication with `duplication` copies) or `E`
    (the expanded dense baseline); `shared_input` marks input tile sharing;
    `crossbars` is the number of arrays the mapping uses.

    `weight_bits` marks the model's own integer weights (QDQ and QOperator
    models): `weight` holds the integers (their zero point subtracted), which
    the crossbars hold as they are in `weight_bits` signed bits.
    `input_bits` marks input on the model's integer grid (its activation
    codes, zero point subtracted): the crossbars are driven with the
    integers as they are, `input_bits` signed bits (one read each), instead
    of rebocc's own dynamic input quantization.

    Example:
    ```mlir
    %y = circulant.fc %x {name = "fc1", block_size = 2 : i64,
           weight = dense<...> : tensor<2x3x2xf32>,
           bias = dense<...> : tensor<4xf32>}
         : (tensor<?x6xf32>) -> tensor<?x4xf32>
    ```
  }];
  let arguments = (ins Circulant_FloatTensor:$input,
                       StrAttr:$name,
                       ConfinedAttr<I64Attr, [IntPositive]>:$block_size,
                       ElementsAttr:$weight,
                       ElementsAttr:$bias,
                       OptionalAttr<Circulant_MappingAttr>:$mapping,
                       OptionalAttr<I64Attr>:$duplication,
                       UnitAttr:$shared_input,
                       OptionalAttr<I64Attr>:$crossbars,
                       OptionalAttr<ConfinedAttr<I64Attr, [IntPositive]>>:
                           $weight_bits,
                       OptionalAttr<ConfinedAttr<I64Attr, [IntPositive]>>:
                           $input_bits);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type($input, $output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// ConvOp
//===----------------------------------------------------------------------===//

def Circulant_ConvOp : Circulant_Op<"conv", [Pure,
    DeclareOpInterfaceMethods<MappedLayerOpInterface,
        ["getGroupCount", "getKernelH", "getKernelW"]>]> {
  let summary = "block-circulant 2-D convolution (NCHW)";
  let description = [{
    A convolution with `groups` groups of `m` output and `n` input channels
    each (C_out = groups*m, C_in = groups*n). For every kernel position
    (u, v) the m x n slice of a group is block-circulant along the channel
    dimensions with block size k. `weight` holds the defining vectors with
    shape groups x p x kh x kw x q x k (p = ceil(m/k), q = ceil(n/k)):

        W[g*m + i*k + r][g*n + j*k + c][u][v] = weight[g][i][u][v][j][(c - r) mod k]

    `pads` are (top, left, bottom, right); output size per spatial dimension
    is floor((in + pads - dilation*(kernel-1) - 1) / stride) + 1. Grouped and
    depthwise convolutions stay k = 1 per group unless their group channels
    allow more. Mapping attributes, `weight_bits` and `input_bits` are those of
    `circulant.fc`.

    ```mlir
    %y = circulant.conv %x {name = "conv1", block_size = 1 : i64, groups = 1 : i64,
           strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
           dilations = array<i64: 1, 1>,
           weight = dense<...> : tensor<1x8x3x3x3x1xf32>, bias = dense<...> : tensor<8xf32>}
         : (tensor<?x3x32x32xf32>) -> tensor<?x8x32x32xf32>
    ```
  }];
  let arguments = (ins Circulant_FloatTensor:$input,
                       StrAttr:$name,
                       ConfinedAttr<I64Attr, [IntPositive]>:$block_size,
                       ConfinedAttr<I64Attr, [IntPositive]>:$groups,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       ElementsAttr:$weight,
                       ElementsAttr:$bias,
                       OptionalAttr<Circulant_MappingAttr>:$mapping,
                       OptionalAttr<I64Attr>:$duplication,
                       UnitAttr:$shared_input,
                       OptionalAttr<I64Attr>:$crossbars,
                       OptionalAttr<ConfinedAttr<I64Attr, [IntPositive]>>:
                           $weight_bits,
                       OptionalAttr<ConfinedAttr<I64Attr, [IntPositive]>>:
                           $input_bits);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type($input, $output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Digital ops
//===----------------------------------------------------------------------===//

class Circulant_UnaryOp<string mnemonic, string desc> :
    Circulant_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = desc;
  let arguments = (ins Circulant_FloatTensor:$input);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Circulant_ReluOp : Circulant_UnaryOp<"relu", "max(x, 0), elementwise">;
def Circulant_SigmoidOp : Circulant_UnaryOp<"sigmoid",
                                            "1 / (1 + exp(-x)), elementwise">;

def Circulant_SoftmaxOp : Circulant_Op<"softmax",
                                       [Pure, SameOperandsAndResultType]> {
  let summary = "softmax along one axis";
  let description = [{
    Normalized exponentials along `axis` (non-negative, less than the rank),
    as ONNX Softmax from opset 13.
  }];
  let arguments = (ins Circulant_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Circulant_LogSoftmaxOp : Circulant_Op<"log_softmax",
                                          [Pure, SameOperandsAndResultType]> {
  let summary = "log of the softmax along one axis";
  let description = [{
    x - max - log(sum(exp(x - max))) along `axis` (non-negative, less than
    the rank), as ONNX LogSoftmax from opset 13.
  }];
  let arguments = (ins Circulant_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Circulant_NormalizeOp : Circulant_Op<"normalize",
                                         [Pure, SameOperandsAndResultType]> {
  let summary = "zero mean, unit variance over the trailing dimensions";
  let description = [{
    (x - mean) / sqrt(variance + epsilon), the mean and the (biased)
    variance taken over each group of the dimensions from `axis` on: the
    normalization step of ONNX LayerNormalization (`axis` as there) and
    InstanceNormalization (`axis` = 2). The normalized dimensions must be
    static (not the run-time batch).
  }];
  let arguments = (ins Circulant_FloatTensor:$input, I64Attr:$axis,
                       F32Attr:$epsilon);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

class Circulant_ReduceOp<string mnemonic, string desc> :
    Circulant_Op<mnemonic, [Pure]> {
  let summary = desc;
  let description = [{
    Reduces over `axes` (increasing, each less than the rank), which stay in
    the result as dimensions of 1 (ONNX keepdims = 1; dropping them is a
    reshape). The run-time batch dimension cannot be reduced.
  }];
  let arguments = (ins Circulant_FloatTensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type($input, $output)";
  let hasVerifier = 1;
}

def Circulant_ReduceMaxOp : Circulant_ReduceOp<"reduce_max",
    "maximum over axes (NaN propagates)">;
def Circulant_ReduceMinOp : Circulant_ReduceOp<"reduce_min",
    "minimum over axes (NaN propagates)">;
def Circulant_ReduceSumOp : Circulant_ReduceOp<"reduce_sum", "sum over axes">;

class Circulant_BinaryOp<string mnemonic, string desc> :
    Circulant_Op<mnemonic, [Pure]> {
  let summary = desc;
  let description = [{
    Elementwise with numpy-style broadcasting: shapes are aligned from the
    right and each pair of dimensions must be equal or one of them 1. A
    dynamic dimension (the batch) matches a dynamic dimension or 1.
  }];
  let arguments = (ins Circulant_FloatTensor:$lhs, Circulant_FloatTensor:$rhs);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Circulant_AddOp : Circulant_BinaryOp<"add", "elementwise addition">;
def Circulant_MulOp : Circulant_BinaryOp<"mul", "elementwise multiplication">;

//===----------------------------------------------------------------------===//
// Elementwise math, comparisons and logic (ONNX Pow ... Where)
//===----------------------------------------------------------------------===//
// Computed on float32 as onnxruntime does. Comparisons and logic take and
// give booleans as 0.0 / 1.0 floats (any non-zero operand is true).

def Circulant_SqrtOp : Circulant_UnaryOp<"sqrt", "square root, elementwise">;
def Circulant_ErfOp : Circulant_UnaryOp<"erf", "the error function, elementwise">;
def Circulant_ExpOp : Circulant_UnaryOp<"exp", "e^x, elementwise">;
def Circulant_LogOp : Circulant_UnaryOp<"log", "natural logarithm, elementwise">;
def Circulant_NegOp : Circulant_UnaryOp<"neg", "-x, elementwise">;
def Circulant_AbsOp : Circulant_UnaryOp<"abs", "|x|, elementwise">;
def Circulant_TanhOp : Circulant_UnaryOp<"tanh", "hyperbolic tangent, elementwise">;
// ONNX QuantizeLinear and the QLinear* requantization round half to even.
def Circulant_RoundOp : Circulant_UnaryOp<"round",
    "nearest integer, ties to even, elementwise">;
// ONNX Cast of run-time data to an integer or half type.
def Circulant_CastOp : Circulant_Op<"cast", [Pure, SameOperandsAndResultType]> {
  let summary = "the value of ONNX Cast to type `to`, elementwise";
  let description = [{
    `to` is int8, uint8, int16, uint16, int32, uint32, int64, uint64,
    float16 or bfloat16. The result is the value onnxruntime's Cast of the
    float32 input gives (support::castFloat: truncation toward zero and
    x86's out-of-range results for the integers, round to nearest even for
    the half types), carried as float32 again.

    ```mlir
    %i = circulant.cast %x {to = "int8"} : tensor<?x8xf32>
    ```
  }];
  let arguments = (ins Circulant_FloatTensor:$input, StrAttr:$to);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}
def Circulant_GeluOp : Circulant_UnaryOp<"gelu",
    "x / 2 * (1 + erf(x / sqrt(2))), elementwise (ONNX Gelu, exact)">;
def Circulant_GeluTanhOp : Circulant_UnaryOp<"gelu_tanh",
    "x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3))), elementwise "
    "(ONNX Gelu, approximate = \"tanh\")">;
def Circulant_NotOp : Circulant_UnaryOp<"not", "1 if x == 0 else 0, elementwise">;
// ONNX Softplus, Elu, Selu, Celu, Softsign, ThresholdedRelu, Mish, Shrink,
// Floor, Ceil, Sin, Cos, Sign, IsNaN and IsInf.
def Circulant_UnaryFunctionOp : Circulant_Op<"unary",
                                             [Pure, SameOperandsAndResultType]> {
  let summary = "an ONNX elementwise function with parameters alpha, beta";
  let description = [{
    `function` names one of support::UnaryFunction's table (softplus, elu,
    selu, celu, softsign, thresholded_relu, mish, shrink, floor, ceil, sin,
    cos, sign, is_nan, is_inf); `alpha` and `beta` are its ONNX attributes
    (elu, celu, thresholded_relu: alpha; selu: alpha, gamma; shrink: lambd,
    bias; is_inf: detect_positive, detect_negative as 0 / 1), 0 where it
    takes none. is_nan and is_inf give booleans as 0 / 1 floats.

    ```mlir
    %y = circulant.unary %x {function = "elu", alpha = 1.0 : f32,
                             beta = 0.0 : f32} : tensor<?x8xf32>
    ```
  }];
  let arguments = (ins Circulant_FloatTensor:$input, StrAttr:$function,
                       F32Attr:$alpha, F32Attr:$beta);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Circulant_PowOp : Circulant_BinaryOp<"pow", "lhs ^ rhs, elementwise">;
def Circulant_DivOp : Circulant_BinaryOp<"div", "lhs / rhs, elementwise">;
def Circulant_MinOp : Circulant_BinaryOp<"min", "elementwise minimum">;
def Circulant_MaxOp : Circulant_BinaryOp<"max", "elementwise maximum">;
def Circulant_EqualOp : Circulant_BinaryOp<"equal", "1 if lhs == rhs else 0">;
def Circulant_GreaterOp : Circulant_BinaryOp<"greater", "1 if lhs > rhs else 0">;
def Circulant_GreaterOrEqualOp : Circulant_BinaryOp<"greater_or_equal",
                                                    "1 if lhs >= rhs else 0">;
def Circulant_AndOp : Circulant_BinaryOp<"and", "1 if both are non-zero else 0">;
def Circulant_OrOp : Circulant_BinaryOp<"or", "1 if either is non-zero else 0">;
def Circulant_XorOp : Circulant_BinaryOp<"xor",
                                         "1 if exactly one is non-zero else 0">;

def Circulant_MatMulOp : Circulant_Op<"matmul", [Pure]> {
  let summary = "batched matrix product of two run-time tensors, as ONNX MatMul";
  let description = [{
    `[..., M, K] x [..., K, N] -> [..., M, N]`, the leading (batch) dims
    broadcast numpy-style; both operands have rank 2 or more (the importer
    lifts ONNX's 1-D operands). Neither operand is known before the network
    runs (attention's Q K^T and its product with V), so there are no
    crossbar weights: the lowering runs it on the digital units or, with
    `--attention=reprogram`, writes the right operand into crossbar cells on
    every inference.

    ```mlir
    %s = circulant.matmul %q, %k
         : (tensor<2x5x8xf32>, tensor<2x8x5xf32>) -> tensor<2x5x5xf32>
    ```
  }];
  let arguments = (ins Circulant_FloatTensor:$lhs, Circulant_FloatTensor:$rhs);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Circulant_WhereOp : Circulant_Op<"where", [Pure]> {
  let summary = "x where the condition is non-zero, else y";
  let description = [{
    As ONNX Where, with the condition a 0 / 1 float tensor; the three
    operands broadcast numpy-style to the result.
  }];
  let arguments = (ins Circulant_FloatTensor:$condition,
                       Circulant_FloatTensor:$x, Circulant_FloatTensor:$y);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$condition `,` $x `,` $y attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Circulant_FmaOp : Circulant_Op<"fma", [Pure]> {
  let summary = "fused multiply-add a * b + c, rounded once";
  let description = [{
    Each element is the float32 `fma(a, b, c)` (C's std::fma): the exact
    a * b + c rounded once to float32, where a `mul` then an `add` round
    twice. onnxruntime's QLinearAdd requantizes with two of them
    (docs/SupportedOps.md); the three operands broadcast numpy-style to the
    result.

    ```mlir
    %y = circulant.fma %a, %b, %c
         : (tensor<?x8xf32>, tensor<1xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
    ```
  }];
  let arguments = (ins Circulant_FloatTensor:$a, Circulant_FloatTensor:$b,
                       Circulant_FloatTensor:$c);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$a `,` $b `,` $c attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Circulant_ReshapeOp : Circulant_Op<"reshape", [Pure]> {
  let summary = "reshape keeping the element order";
  let description = [{
    The result type is the new shape. A dynamic leading dimension (the batch)
    stays the leading dimension; all other dimensions are static and the
    number of elements per batch row is preserved.
  }];
  let arguments = (ins Circulant_FloatTensor:$input);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type($input, $output)";
  let hasVerifier = 1;
}

def Circulant_FlattenOp : Circulant_Op<"flatten", [Pure]> {
  let summary = "flatten to 2-D at an axis, as ONNX Flatten";
  let arguments = (ins Circulant_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type($input, $output)";
  let hasVerifier = 1;
}

def Circulant_ConstantOp : Circulant_Op<"constant", [Pure, ConstantLike]> {
  let summary = "a constant float tensor";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "attr-dict `:` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}


//===----------------------------------------------------------------------===//
// Convolutional-network digital ops
//===----------------------------------------------------------------------===//

def Circulant_MaxPoolOp : Circulant_Op<"max_pool", [Pure]> {
  let summary = "2-D max pooling (NCHW), as ONNX MaxPool";
  let description = [{
    `kernel_shape`, `strides`, `dilations` have two entries, `pads` four
    (top, left, bottom, right); padded positions never win. With `ceil_mode`
    the output size rounds up (a window must start inside the padded input).
  }];
  let arguments = (ins Circulant_FloatTensor:$input,
                       DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       BoolAttr:$ceil_mode);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type($input, $output)";
  let hasVerifier = 1;
}

def Circulant_AvgPoolOp : Circulant_Op<"avg_pool", [Pure]> {
  let summary = "2-D average pooling (NCHW), as ONNX AveragePool";
  let description = [{
    Like `max_pool`; `dilations` (two entries) default to 1 (ONNX
    AveragePool has none before opset 19; LpPool's window sum uses them).
    `count_include_pad` divides by the window clipped to the padded input,
    otherwise by the number of real (unpadded) elements.
  }];
  let arguments = (ins Circulant_FloatTensor:$input,
                       DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$pads,
                       BoolAttr:$ceil_mode,
                       BoolAttr:$count_include_pad,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type($input, $output)";
  let hasVerifier = 1;
}

def Circulant_GlobalAvgPoolOp : Circulant_Op<"global_avg_pool", [Pure]> {
  let summary = "mean over the spatial dimensions: N x C x H x W -> N x C x 1 x 1";
  let arguments = (ins Circulant_FloatTensor:$input);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type($input, $output)";
  let hasVerifier = 1;
}

def Circulant_ClipOp : Circulant_Op<"clip", [Pure, SameOperandsAndResultType]> {
  let summary = "min(max(x, min), max), elementwise (ReLU6 is clip 0, 6)";
  let description = [{
    A NaN stays NaN, as ONNX's Clip keeps it; with `nan_to_min` a NaN gives
    `min`, as onnxruntime's QuantizeLinear saturates a NaN quotient to the
    type's low end (the same instruction: one comparison per element either
    way, docs/SupportedOps.md "QuantizeLinear").
  }];
  let arguments = (ins Circulant_FloatTensor:$input, F32Attr:$min, F32Attr:$max,
                       UnitAttr:$nan_to_min);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Circulant_LeakyReluOp : Circulant_Op<"leaky_relu", [Pure, SameOperandsAndResultType]> {
  let summary = "x if x >= 0 else alpha * x";
  let arguments = (ins Circulant_FloatTensor:$input, F32Attr:$alpha);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Circulant_HardSigmoidOp : Circulant_Op<"hard_sigmoid", [Pure, SameOperandsAndResultType]> {
  let summary = "max(0, min(1, alpha * x + beta))";
  let arguments = (ins Circulant_FloatTensor:$input, F32Attr:$alpha, F32Attr:$beta);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Circulant_HardSwishOp : Circulant_UnaryOp<"hard_swish",
    "x * max(0, min(1, x / 6 + 1 / 2)), elementwise">;

def Circulant_PReluOp : Circulant_Op<"prelu", [Pure]> {
  let summary = "x if x >= 0 else slope * x, slope broadcast to x";
  let arguments = (ins Circulant_FloatTensor:$input, Circulant_FloatTensor:$slope);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input `,` $slope attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Circulant_ConcatOp : Circulant_Op<"concat", [Pure]> {
  let summary = "concatenation along one axis";
  let arguments = (ins Variadic<Circulant_FloatTensor>:$inputs, I64Attr:$axis);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type($inputs, $output)";
  let hasVerifier = 1;
}

def Circulant_PadOp : Circulant_Op<"pad", [Pure]> {
  let summary = "padding, as ONNX Pad";
  let description = [{
    `pads` has 2 x rank entries (all begins, then all ends, non-negative);
    `mode` is "constant" (with `value`), "reflect" or "edge". The batch
    dimension is never padded.
  }];
  let arguments = (ins Circulant_FloatTensor:$input, DenseI64ArrayAttr:$pads,
                       StrAttr:$mode, F32Attr:$value);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type($input, $output)";
  let hasVerifier = 1;
}

def Circulant_SliceOp : Circulant_Op<"slice", [Pure]> {
  let summary = "a box of the input, step 1";
  let description = [{
    Dimension `axes[i]` (increasing) is cut to [`starts[i]`, `ends[i]`);
    the other dimensions are kept. Each range lies in its static dimension
    (the run-time batch dimension cannot be sliced).
  }];
  let arguments = (ins Circulant_FloatTensor:$input, DenseI64ArrayAttr:$axes,
                       DenseI64ArrayAttr:$starts, DenseI64ArrayAttr:$ends);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type($input, $output)";
  let hasVerifier = 1;
}

def Circulant_GatherOp : Circulant_Op<"gather", [Pure]> {
  let summary = "data picked by run-time indices (ONNX Gather, GatherElements, GatherND)";
  let description = [{
    `mode` is "axis" (ONNX Gather along `axis`: the result is
    data[:axis] + indices + data[axis+1:]), "elements" (GatherElements along
    `axis`: one element per index, the result of the indices' shape) or
    "nd" (GatherND with `axis` = batch_dims: each index tuple, the last
    indices dimension, names a slice of data). The indices are integers
    carried as floats; negative ones count from the end, and one out of
    range stops the run.

    ```mlir
    %e = circulant.gather %table, %ids {mode = "axis", axis = 0 : i64}
         : (tensor<1000x16xf32>, tensor<?x8xf32>) -> tensor<?x8x16xf32>
    ```
  }];
  let arguments = (ins Circulant_FloatTensor:$data,
                       Circulant_FloatTensor:$indices, StrAttr:$mode,
                       I64Attr:$axis);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$data `,` $indices attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Circulant_ResizeOp : Circulant_Op<"resize", [Pure]> {
  let summary = "separable resampling by per-axis tap tables, as ONNX Resize";
  let description = [{
    Along each of `axes` (increasing, static), output index o is the sum of
    `taps[i]` input entries along that axis, `sources[b + o*taps[i] + t]`
    weighted by `weights[b + o*taps[i] + t]`, where b is where axis i's table
    starts (the tables of the earlier axes come first). The axes are
    resampled one after the other; the other dimensions are kept. Nearest
    (one tap of weight 1), linear (two) and cubic (four) interpolation are
    all separable, so the tables carry every ONNX coordinate mode, computed
    at import.

    ```mlir
    %y = circulant.resize %x {axes = array<i64: 3>, taps = array<i64: 1>,
           sources = array<i64: 0, 0, 1, 1>,
           weights = array<f32: 1.0, 1.0, 1.0, 1.0>}
         : (tensor<?x1x2x2xf32>) -> tensor<?x1x2x4xf32>
    ```
  }];
  let arguments = (ins Circulant_FloatTensor:$input, DenseI64ArrayAttr:$axes,
                       DenseI64ArrayAttr:$taps, DenseI64ArrayAttr:$sources,
                       DenseF32ArrayAttr:$weights);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type($input, $output)";
  let hasVerifier = 1;
}

def Circulant_LstmOp : Circulant_Op<"lstm", [Pure]> {
  let summary = "an LSTM over time steps, R on crossbars, gates digital";
  let description = [{
    ONNX LSTM for one direction with the default activations. `input` is the
    input projection W x_t + Wb of every step, (T*B) x 4H in gate order i,
    o, f, c, computed by an ordinary layer. `recurrence` is a circulant.fc
    H -> 4H (R, bias Rb) applied to `initial_h`: the op reads from it only
    which layer to run on h_{t-1} at every step, so the layer is mapped,
    partitioned (block-circulant detection) and costed like any other.
    `peepholes` (3H, order i, o, f) is optional; `clip` bounds the gate
    pre-activations (0: none). The time steps are a loop, never unrolled.
    The result is (T + 2) x B x H: Y (step t at row t, for `reverse` too),
    then Y_h, then Y_c.

    ```mlir
    %r = circulant.fc %h0 {...} : (tensor<1x8xf32>) -> tensor<1x32xf32>
    %y = circulant.lstm %xw, %h0, %c0, %r {reverse = false, clip = 0.0 : f32}
         : (tensor<20x32xf32>, tensor<1x8xf32>, tensor<1x8xf32>,
            tensor<1x32xf32>) -> tensor<22x1x8xf32>
    ```
  }];
  let arguments = (ins Circulant_FloatTensor:$input,
                       Circulant_FloatTensor:$initial_h,
                       Circulant_FloatTensor:$initial_c,
                       Circulant_FloatTensor:$recurrence,
                       Optional<Circulant_FloatTensor>:$peepholes,
                       BoolAttr:$reverse, F32Attr:$clip);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $initial_h `,` $initial_c `,` $recurrence (`,` $peepholes^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Circulant_GruOp : Circulant_Op<"gru", [Pure]> {
  let summary = "a GRU over time steps, R on crossbars, gates digital";
  let description = [{
    ONNX GRU for one direction with the default activations. `input` is
    W x_t + Wb, (T*B) x 3H in gate order z, r, h. With
    `linear_before_reset`, `recurrence` is one circulant.fc H -> 3H (R, Rb)
    applied to `initial_h`; without, two: H -> 2H (the z and r rows) and
    H -> H (R_h, run each step on r * h_{t-1}). As for circulant.lstm the op
    reads only which layers they are. The result is (T + 1) x B x H: Y, then
    Y_h.
  }];
  let arguments = (ins Circulant_FloatTensor:$input,
                       Circulant_FloatTensor:$initial_h,
                       Variadic<Circulant_FloatTensor>:$recurrence,
                       BoolAttr:$reverse, F32Attr:$clip,
                       BoolAttr:$linear_before_reset);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $initial_h `,` $recurrence attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Circulant_RnnOp : Circulant_Op<"rnn", [Pure]> {
  let summary = "a simple RNN over time steps, R on crossbars, f digital";
  let description = [{
    ONNX RNN for one direction: h_t = f(clip(x_t + R h_{t-1} + Rb)).
    `input` is W x_t + Wb, (T*B) x H, computed by an ordinary layer;
    `recurrence` is one circulant.fc H -> H (R, Rb) applied to `initial_h`,
    of which the op reads only which layer to run each step (as for
    circulant.lstm). `activation` is an ONNX RNN activation name with its
    `activation_alpha` and `activation_beta` (0 where it takes none). The
    time steps are a loop, never unrolled. The result is (T + 1) x B x H: Y,
    then Y_h.

    ```mlir
    %r = circulant.fc %h0 {...} : (tensor<1x8xf32>) -> tensor<1x8xf32>
    %y = circulant.rnn %xw, %h0, %r {reverse = false, clip = 0.0 : f32,
           activation = "Tanh", activation_alpha = 0.0 : f32,
           activation_beta = 0.0 : f32}
         : (tensor<20x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>)
           -> tensor<21x1x8xf32>
    ```
  }];
  let arguments = (ins Circulant_FloatTensor:$input,
                       Circulant_FloatTensor:$initial_h,
                       Circulant_FloatTensor:$recurrence,
                       BoolAttr:$reverse, F32Attr:$clip,
                       StrAttr:$activation, F32Attr:$activation_alpha,
                       F32Attr:$activation_beta);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $initial_h `,` $recurrence attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Circulant_TransposeOp : Circulant_Op<"transpose", [Pure]> {
  let summary = "permutation of dimensions, as ONNX Transpose";
  let description = [{
    Output dimension i is input dimension perm[i], for any permutation: a
    dynamic dimension (the run-time batch) may move, as in an attention
    head split (the simulator moves whole tensors, never batch rows).
  }];
  let arguments = (ins Circulant_FloatTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type($input, $output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Run-time control flow
//===----------------------------------------------------------------------===//

def Circulant_IfOp : Circulant_Op<"if", [RecursiveMemoryEffects, NoRegionArguments]> {
  let summary = "runs one of two regions, chosen by a run-time condition";
  let description = [{
    ONNX If whose condition is only known at run time: `then` runs when the
    one-element `condition` is non-zero, `else` otherwise, and the results
    are what the region that ran yields. Both regions are compiled (their
    layers take crossbars), only one runs per inference (conversion to crossbar.if).

    ```mlir
    %r = circulant.if %c : tensor<1xf32> -> tensor<4xf32> {
      circulant.yield %a : tensor<4xf32>
    } else {
      circulant.yield %b : tensor<4xf32>
    }
    ```

    A branch that cannot run for the compiled input shapes (its ONNX graph
    fails to import for them, as ONNX Runtime fails when it runs it) holds
    only an empty `yield`, and `then_error` or `else_error` keeps its
    import error: an inference that takes it stops with that error. At
    most one branch may be such.
  }];
  let arguments = (ins Circulant_FloatTensor:$condition,
                       OptionalAttr<StrAttr>:$then_error,
                       OptionalAttr<StrAttr>:$else_error);
  let results = (outs Variadic<Circulant_FloatTensor>:$results);
  let regions = (region SizedRegion<1>:$thenRegion, SizedRegion<1>:$elseRegion);
  let assemblyFormat = [{
    $condition `:` type($condition) (`->` type($results)^)? $thenRegion
    `else` $elseRegion attr-dict
  }];
  let hasVerifier = 1;
}

def Circulant_YieldOp : Circulant_Op<"yield", [Pure, Terminator,
    HasParent<"IfOp">]> {
  let summary = "the results of the region of an if that ran";
  let arguments = (ins Variadic<Circulant_FloatTensor>:$operands);
  let assemblyFormat = "($operands^ `:` type($operands))? attr-dict";
}

#endif // REBOCC_CIRCULANT_OPS
