//===- ImportLegacyBroadcast.cpp - opset 1-6 broadcast and axis -----------===//
//
// Before opset 7 the arithmetic, comparison and logic operators broadcast
// only when `broadcast` = 1, and then B's dimensions line up with A's from
// `axis` on (A = [2, 3, 4, 5], B = [3, 4], axis = 1), not from the right as
// numpy broadcasting (opset 7 on) aligns them. Read with numpy's rule, such
// a B would be added along the wrong dimensions whenever the shapes happen
// to broadcast anyway. Here B gets trailing dimensions of 1, so numpy's rule
// then gives the legacy alignment, and a node without `broadcast` = 1 must
// have two operands of one shape.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace rebocc;

namespace rebocc::onnxfe {

/// The operators whose opset 1-6 versions have `broadcast` and `axis`.
static bool hasLegacyBroadcast(StringRef type) {
  static const llvm::StringSet<> kTypes = {
      "Add", "Sub", "Mul", "Div", "Pow", "And",
      "Or",  "Xor", "Equal", "Greater", "Less"};
  return kTypes.contains(type);
}

std::optional<bool>
Importer::importLegacyBroadcast(const onnx::NodeProto &node) {
  if (opset >= 7 || !hasLegacyBroadcast(node.op_type()) ||
      node.input_size() != 2)
    return std::nullopt;
  const Binding *lhs = lookup(node, 0);
  const Binding *rhs = lookup(node, 1);
  if (!lhs || !rhs)
    return false;
  std::vector<int64_t> a = shapeOfInput(*lhs), b = shapeOfInput(*rhs);
  std::string operands = dimsToString(a) + " and " + dimsToString(b);
  if (getInt(node, "broadcast", 0) == 0) {
    if (a != b)
      return fail(node, "operands " + operands + " differ in shape and the "
                        "node does not set broadcast = 1 (opset " +
                        Twine(opset) + " broadcasts only then)");
    return std::nullopt;
  }
  int64_t rankA = a.size(), rankB = b.size();
  int64_t axis = getInt(node, "axis", rankA - rankB);
  if (rankB > rankA || axis < 0 || axis > rankA - rankB)
    return fail(node, "broadcast axis " + Twine(axis) + " does not place " +
                          dimsToString(b) + " inside " + dimsToString(a));
  for (int64_t i = 0; i < rankB; ++i)
    if (b[i] != a[axis + i] && b[i] != 1)
      return fail(node, "operands " + operands + " do not broadcast from "
                        "axis " + Twine(axis));
  if (axis == rankA - rankB)
    return std::nullopt; // numpy's alignment is the legacy one
  if (llvm::is_contained(b, ShapedType::kDynamic))
    return fail(node, "a broadcast operand " + dimsToString(b) +
                          " with the run-time batch is not supported");
  ConstTensor target;
  target.isFloat = false;
  target.shape = {rankA - axis};
  target.data.assign(b.begin(), b.end());
  target.data.resize(rankA - axis, 1.0);
  std::string prefix = node.output(0) + "/rebocc.legacy_broadcast.";
  bindName(prefix + "shape", std::move(target));
  if (!importPiece(node, "Reshape", {node.input(1), prefix + "shape"},
                   prefix + "b", /*copyAttributes=*/false))
    return false;
  // The piece keeps `broadcast` = 1 and `axis`, now numpy's alignment.
  return importPiece(node, node.op_type(), {node.input(0), prefix + "b"},
                     node.output(0), /*copyAttributes=*/true);
}

} // namespace rebocc::onnxfe
