//===- ImportUnary.cpp - ONNX elementwise functions with parameters -------===//
//
// Softplus, Elu, Selu, Celu, Softsign, ThresholdedRelu, Mish, Shrink, Floor,
// Ceil, Sin, Cos, Sign, IsNaN and IsInf: one circulant.unary each, whose
// function, alpha and beta come from support::UnaryFunction's table, or a
// constant folded with the same function. CastLike is Cast with the type
// of its second input, followed through the graph (elementTypeOf).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"
#include "rebocc/Support/UnaryFunction.h"

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

/// Reads the parameter attribute `name` of `node` into `value` (its
/// default when absent): a float, or for IsInf's flags an integer. Fails
/// on an attribute of another type.
bool Importer::unaryParameter(const onnx::NodeProto &node, const char *name,
                              bool isInt, float &value) {
  if (!name)
    return true;
  const onnx::AttributeProto *attr = findAttr(node, name);
  if (!attr)
    return true;
  auto want = isInt ? onnx::AttributeProto::INT : onnx::AttributeProto::FLOAT;
  if (attr->type() != want)
    return fail(node, Twine("attribute '") + name + "' must be " +
                          (isInt ? "an integer" : "a float"));
  value = isInt ? static_cast<float>(attr->i()) : attr->f();
  return true;
}

bool Importer::importUnaryFunction(const onnx::NodeProto &node) {
  const support::UnaryFunction *f =
      support::findUnaryFunction(node.op_type(), /*onnx=*/true);
  bool isInt = f->kind == support::UnaryKind::IsInf;
  float alpha = f->alpha, beta = f->beta;
  if (!unaryParameter(node, f->alphaAttr, isInt, alpha) ||
      !unaryParameter(node, f->betaAttr, isInt, beta))
    return false;
  StringRef why = support::unaryParameterError(*f, alpha, beta);
  if (!why.empty()) {
    std::string names = f->alphaAttr;
    if (f->betaAttr)
      names += std::string(" and ") + f->betaAttr;
    return fail(node, names + " " + why.str());
  }
  const Binding *input = lookup(node, 0);
  if (!input)
    return false;
  if (input->known) {
    if (input->known->hasBatchSentinel())
      return fail(node, dependsOnBatch("the result"));
    ConstTensor out = *input->known;
    for (double &v : out.data)
      v = support::applyUnaryFunction(f->kind, alpha, beta,
                                      static_cast<float>(v));
    out.isFloat = !f->boolResult && out.isFloat;
    out.dataType = 0;
    return bindConstant(node, std::move(out));
  }
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  return bind(node, UnaryFunctionOp::create(
                        builder, locFor(node), x, builder.getStringAttr(f->name),
                        builder.getF32FloatAttr(alpha),
                        builder.getF32FloatAttr(beta)));
}

/// Operators whose result has a fixed element type whatever their inputs'.
static int fixedResultType(StringRef op, int output) {
  if (llvm::is_contained({"Equal", "Greater", "Less", "GreaterOrEqual",
                          "LessOrEqual", "Not", "And", "Or", "Xor", "IsNaN",
                          "IsInf"},
                         op))
    return onnx::TensorProto::BOOL;
  if (llvm::is_contained({"Shape", "Size", "ArgMax", "ArgMin", "NonZero"},
                         op) ||
      ((op == "TopK" || op == "MaxPool") && output == 1))
    return onnx::TensorProto::INT64;
  if (op == "MatMulInteger" || op == "ConvInteger")
    return onnx::TensorProto::INT32;
  return 0;
}

/// Operators whose result (output 0; Split: every output) has the element
/// type of their data input (Where: input 1, the others: input 0), by
/// ONNX's type constraints.
static bool keepsDataType(StringRef op) {
  return llvm::is_contained(
      {"Identity", "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze",
       "Concat", "Slice", "Gather", "GatherElements", "GatherND", "Split",
       "Expand", "Tile", "Pad", "MaxPool", "DepthToSpace", "SpaceToDepth",
       "Where", "Add", "Sub", "Mul", "Div", "Pow", "Mod", "Neg", "Abs", "Min",
       "Max", "Sum", "Mean", "Clip", "Relu", "LeakyRelu", "PRelu", "Sigmoid",
       "HardSigmoid", "HardSwish", "Tanh", "Exp", "Log", "Sqrt", "Reciprocal",
       "Erf", "Gelu", "Softmax", "LogSoftmax", "MatMul", "Gemm", "Conv",
       "ConvTranspose", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
       "BatchNormalization", "LayerNormalization", "InstanceNormalization",
       "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
       "ReduceL1", "ReduceL2", "ReduceLogSumExp", "ReduceSumSquare",
       "Resize", "Round", "Softplus", "Elu", "Selu", "Celu", "Softsign",
       "ThresholdedRelu", "Mish", "Shrink", "Floor", "Ceil", "Sin", "Cos",
       "Sign", "Dropout", "Einsum", "ScatterND"},
      op);
}

/// The ONNX element type of tensor `name`, or 0 when the importer cannot
/// tell: a constant's decoded type, a run-time tensor's recorded type
/// (runtimeTypes), the graph's declaration of it (inputs, value_info,
/// outputs), else its producer's result type: fixed (a comparison's BOOL,
/// Shape's INT64, a Cast's `to`) or its data input's.
int Importer::elementTypeOf(StringRef name, int depth) {
  if (auto it = env.find(name); it != env.end() && it->second.known) {
    const ConstTensor &known = *it->second.known;
    if (known.dataType)
      return known.dataType;
    return known.isFloat ? onnx::TensorProto::FLOAT : 0;
  }
  if (auto it = runtimeTypes.find(name); it != runtimeTypes.end())
    return it->second;
  if (auto it = declaredTypes.find(name); it != declaredTypes.end())
    return it->second;
  auto it = producers.find(name);
  if (it == producers.end() || depth > 64)
    return 0;
  const Producer &node = it->second;
  StringRef op = node.op;
  int output = node.output;
  if (int type = fixedResultType(op, output))
    return type;
  if (op == "Cast" && output == 0)
    return static_cast<int>(node.to);
  if (op == "CastLike" && output == 0 && !node.inputs[1].empty())
    return elementTypeOf(node.inputs[1], depth + 1);
  if (op == "DequantizeLinear" && output == 0 && !node.outputDtype &&
      !node.inputs[1].empty())
    return elementTypeOf(node.inputs[1], depth + 1);
  int data = op == "Where" ? 1 : 0;
  if (keepsDataType(op) && (output == 0 || op == "Split") &&
      !node.inputs[data].empty())
    return elementTypeOf(node.inputs[data], depth + 1);
  return 0;
}

/// CastLike (opset 15): Cast to the element type of input 1 (elementTypeOf).
/// A type the importer cannot tell is an error, not a guess: taking a
/// computed boolean for float32 would make x != 0 the identity.
bool Importer::importCastLike(const onnx::NodeProto &node) {
  if (node.input_size() != 2 || node.input(1).empty())
    return fail(node, "needs 2 inputs (input, target_type)");
  const Binding *target = lookup(node, 1);
  if (!target)
    return false;
  int to = elementTypeOf(node.input(1));
  if (!to && target->known)
    return fail(node, "the element type of target_type '" + node.input(1) +
                          "', a computed integer constant, is not known");
  if (!to)
    return fail(node, "the element type of target_type '" + node.input(1) +
                          "' is not known (it is followed from graph "
                          "inputs, value_info and outputs, constants, Cast "
                          "and the operators of fixed or data-following "
                          "type; declare it in value_info)");
  onnx::NodeProto cast = node;
  cast.set_op_type("Cast");
  cast.mutable_input()->RemoveLast();
  onnx::AttributeProto *attr = cast.add_attribute();
  attr->set_name("to");
  attr->set_type(onnx::AttributeProto::INT);
  attr->set_i(to);
  return importCast(cast);
}

} // namespace rebocc::onnxfe
