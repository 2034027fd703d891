//===- ImportDouble.cpp - DOUBLE data carried as float32 ------------------===//
//
// rebocc carries run-time data as float32. A DOUBLE value that float32
// holds exactly (a Cast of float32 data to DOUBLE, or a DOUBLE graph input
// whose values rebocc-sim checks are float32 values) is carried exactly,
// but only as long as nothing computes on it: onnxruntime computes a DOUBLE
// Add, Exp or MatMul in double, and the float32 result would differ. So a
// DOUBLE value may go only where it is copied: another Cast (a Cast of the
// widened value is the Cast of the float32 value, measured against
// onnxruntime: docs/SupportedOps.md, Cast of run-time data), data movement
// and graph outputs (written as DOUBLE). Anything else is an error naming
// the node, never a silent float32 computation.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "rebocc/Support/HalfFloat.h"

#include "llvm/ADT/STLExtras.h"

#include <cstdio>
#include <cstring>

using namespace mlir;
using namespace llvm;

namespace rebocc::onnxfe {

/// Operators that only copy the values of their data inputs: on DOUBLE data
/// the result is the same doubles, which float32 still holds.
static bool movesDoubles(StringRef op) {
  return is_contained({"Identity", "Reshape", "Flatten", "Squeeze",
                       "Unsqueeze", "Transpose", "Slice", "Gather",
                       "GatherElements", "GatherND", "Concat", "Split",
                       "Expand", "Tile", "Pad", "DepthToSpace",
                       "SpaceToDepth"},
                      op);
}

/// The index of the first element of `tensor` float32 does not hold bit
/// for bit (a NaN payload it drops too), or -1.
static int64_t firstNonFloat(const ConstTensor &tensor) {
  for (auto [index, value] : enumerate(tensor.data)) {
    double back = static_cast<float>(value);
    if (std::memcmp(&back, &value, sizeof(double)) != 0)
      return static_cast<int64_t>(index);
  }
  return -1;
}

bool Importer::checkDoubleConstant(const onnx::NodeProto *node,
                                   const std::string &name,
                                   const ConstTensor &tensor) {
  int64_t index = firstNonFloat(tensor);
  if (index < 0)
    return true;
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", tensor.data[index]);
  std::string element = "element " + std::to_string(index) + " (" + text +
                        ") is not a float32 value";
  if (!node)
    return fail("graph output '" + name + "' is a DOUBLE constant whose " +
                element + "; rebocc writes DOUBLE outputs from float32");
  return fail(*node, "reads the DOUBLE constant '" + name + "', whose " +
                         element + "; rebocc carries DOUBLE data as float32 " +
                         "here (run-time data, or a Cast to " +
                         "FLOAT16 / BFLOAT16 through float32)");
}

/// The folds of constants the importer computes in double, as onnxruntime
/// computes on DOUBLE tensors (Sqrt, Exp, Pow, Range ... round to float32
/// and are left out); their result is DOUBLE again.
static bool foldsInDouble(StringRef op) {
  return is_contained({"Add", "Sub", "Mul", "Div", "Neg", "Abs", "Round",
                       "Min", "Max", "Where"},
                      op);
}

/// Folding that is exact on DOUBLE constants: data movement, the folds in
/// double, the comparisons (in double too; their result is boolean) and
/// Shape and Size (no values read).
static bool foldsDoublesExactly(StringRef op) {
  return movesDoubles(op) || foldsInDouble(op) ||
         is_contained({"Shape", "Size", "Equal", "Greater", "GreaterOrEqual",
                       "Less", "LessOrEqual"},
                      op);
}

/// The inputs whose values `node` reads: CastLike reads only the type of
/// its target_type (input 1).
static auto valueInputs(const onnx::NodeProto &node) {
  int count = node.op_type() == "CastLike" ? std::min(node.input_size(), 1)
                                           : node.input_size();
  return llvm::make_range(node.input().begin(), node.input().begin() + count);
}

/// Whether `name` is a DOUBLE constant: decoded from DOUBLE (an
/// initializer, a Constant, a frozen input) or folded from one
/// (doubleConstants).
bool Importer::isDoubleConstant(const std::string &name) const {
  auto it = env.find(name);
  return it != env.end() && it->second.known &&
         (it->second.known->dataType == onnx::TensorProto::DOUBLE ||
          doubleConstants.contains(name));
}

bool Importer::checkDoubleFolding(const onnx::NodeProto &node) {
  // ConstantOfShape's DOUBLE value makes a DOUBLE constant of no input.
  const onnx::AttributeProto *value = findAttr(node, "value");
  if (node.op_type() == "ConstantOfShape" && value &&
      value->t().data_type() == onnx::TensorProto::DOUBLE)
    doubleConstants.insert(node.output(0));
  auto read = find_if(valueInputs(node), [&](const std::string &in) {
    return isDoubleConstant(in);
  });
  if (read == valueInputs(node).end())
    return true;
  StringRef op = node.op_type();
  if (op == "Cast") {
    // Rounding a double to a half type through float32 could round twice.
    int64_t to = getInt(node, "to", 0);
    if (support::isHalfType(to) &&
        (!decodePending(*read) || !checkDoubleConstant(&node, *read,
                                                       *env[*read].known)))
      return false;
    if (to == onnx::TensorProto::DOUBLE)
      doubleConstants.insert(node.output(0));
    return true;
  }
  if (!foldsDoublesExactly(op))
    return fail(node, "reads the DOUBLE constant '" + *read + "': rebocc " +
                          "would fold " + op + " in float32, where " +
                          "onnxruntime computes in double");
  bool keepsDouble = movesDoubles(op) || foldsInDouble(op);
  bool gathers = op == "Gather" || op == "GatherElements" || op == "GatherND";
  if (keepsDouble && (!gathers || isDoubleConstant(node.input(0))))
    for (const std::string &out : node.output())
      doubleConstants.insert(out);
  return true;
}

bool Importer::checkDoubleUses(const onnx::NodeProto &node) {
  // DOUBLE constants beside run-time data become run-time DOUBLE data.
  bool runtime = any_of(node.input(), [&](const std::string &in) {
    auto it = env.find(in);
    return it != env.end() && it->second.value && !it->second.known;
  });
  auto read = find_if(valueInputs(node), [&](const std::string &in) {
    return doubleData.contains(in) || (runtime && isDoubleConstant(in));
  });
  if (read == valueInputs(node).end())
    return checkDoubleFolding(node);
  StringRef op = node.op_type();
  // A Cast (CastLike: importCast too) records its own result
  // (importCast); Shape and Size read no values.
  if (op == "Cast" || op == "CastLike" || op == "Shape" || op == "Size")
    return true;
  if (!movesDoubles(op))
    return fail(node, "reads '" + *read + "', " +
                          (doubleData.contains(*read)
                               ? "DOUBLE data at run time"
                               : "a DOUBLE constant beside run-time data") +
                          ": rebocc carries it as float32 and would compute " +
                          op + " in float32, where onnxruntime computes in " +
                          "double and gives other values; DOUBLE data may " +
                          "only be cast, moved (Reshape, Transpose, Slice, " +
                          "Gather, Concat ...) or be a graph output");
  // Constants copied into the result (a Concat operand, Pad's value) must
  // be float32 values too; integer constants are shapes and indices.
  for (const std::string &in : node.input()) {
    auto it = env.find(in);
    if (in.empty() || it == env.end() || !it->second.known ||
        !it->second.known->isFloat)
      continue;
    if (!decodePending(in) || !checkDoubleConstant(&node, in,
                                                   *env[in].known))
      return false;
  }
  // The gathers copy their data (input 0), not their indices.
  bool gathers = op == "Gather" || op == "GatherElements" || op == "GatherND";
  if (!gathers || doubleData.contains(node.input(0)) ||
      isDoubleConstant(node.input(0)))
    for (const std::string &out : node.output())
      doubleData.insert(out);
  return true;
}

} // namespace rebocc::onnxfe
