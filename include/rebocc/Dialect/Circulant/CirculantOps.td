//===- CirculantOps.td - circulant dialect ops -------------*- tablegen -*-===//

#ifndef REBOCC_CIRCULANT_OPS
#define REBOCC_CIRCULANT_OPS

include "rebocc/Dialect/Circulant/CirculantDialect.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/IR/BuiltinAttributes.td"

def Circulant_FloatTensor : TensorOf<[F32]>;

//===----------------------------------------------------------------------===//
// FullyConnectedOp
//===----------------------------------------------------------------------===//

def Circulant_FullyConnectedOp : Circulant_Op<"fc", [Pure]> {
  let summary = "block-circulant fully connected layer";
  let description = [{
    `y[b, o] = sum_i W[o, i] * x[b, i] + bias[o]` for an input of shape
    (batch, n) and a result of shape (batch, m). `W` is stored as block-circulant
    defining vectors `weight` of shape p x q x k with `p = ceil(m / k)`,
    `q = ceil(n / k)` and `k = block_size`; block (i, j) of the (zero padded)
    matrix is `W_ij[r][c] = weight[i][j][(c - r) mod k]`. `block_size = 1` is
    a dense layer (weight shape m x n x 1).

    The mapping attributes are set by the mapping passes:
    `mapping` is "A" (horizontal weight slicing), "B" (intra-crossbar weight
    duplication with `duplication` copies) or "E" (the expanded dense
    baseline); `shared_input` marks input tile sharing; `crossbars` is the
    number of arrays the mapping uses.

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
                       OptionalAttr<StrAttr>:$mapping,
                       OptionalAttr<I64Attr>:$duplication,
                       OptionalAttr<UnitAttr>:$shared_input,
                       OptionalAttr<I64Attr>:$crossbars);
  let results = (outs Circulant_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type($input, $output)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getInFeatures();
    int64_t getOutFeatures();
    int64_t getBlockRows() { return (getOutFeatures() + getBlockSize() - 1) / getBlockSize(); }
    int64_t getBlockCols() { return (getInFeatures() + getBlockSize() - 1) / getBlockSize(); }
  }];
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

#endif // REBOCC_CIRCULANT_OPS
