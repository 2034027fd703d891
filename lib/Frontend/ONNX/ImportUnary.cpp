//===- ImportUnary.cpp - ONNX elementwise functions with parameters -------===//
//
// Softplus, Elu, Selu, Celu, Softsign, ThresholdedRelu, Mish, Shrink, Floor,
// Ceil, Sin, Cos, Sign, IsNaN and IsInf: one circulant.unary each, whose
// function, alpha and beta come from support::UnaryFunction's table, or a
// constant folded with the same function. CastLike is Cast with the type
// of its second input.
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

/// CastLike (opset 15): Cast to the element type of input 1, the type a
/// constant was decoded from or a run-time tensor's (float32 unless the
/// importer knows another: runtimeTypes).
bool Importer::importCastLike(const onnx::NodeProto &node) {
  if (node.input_size() != 2 || node.input(1).empty())
    return fail(node, "needs 2 inputs (input, target_type)");
  const Binding *target = lookup(node, 1);
  if (!target)
    return false;
  int to = onnx::TensorProto::FLOAT;
  if (target->known) {
    to = target->known->dataType;
    if (!to && target->known->isFloat)
      to = onnx::TensorProto::FLOAT;
    if (!to)
      return fail(node, "the element type of target_type '" + node.input(1) +
                            "', a computed integer constant, is not known");
  } else if (auto it = runtimeTypes.find(node.input(1));
             it != runtimeTypes.end()) {
    to = it->second;
  }
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
