//===- MemoryEstimate.cpp - a compile's peak memory, before import --------===//
//
// The per-tensor checks (Importer::checkShape) stop one tensor that does not
// fit the budget; a model of many tensors that each fit can still need more
// than the budget in total. Compiling holds every weight several times at
// once (docs/Hostile.md, "Whole-run estimates"): in the parsed model, as the
// importer's constant (doubles), as the circulant and the crossbar IR's
// attributes and as the program's float weights. So the estimate is, per element of every initializer and
// Constant-node tensor (nested graphs included), its stored size plus
// kHeldBytesPerElement, checked before anything is imported.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Frontend/ONNX/OnnxImporter.h"
#include "rebocc/Support/MemoryBudget.h"
#include "rebocc/Support/NarrowTypes.h"
#include "rebocc/Support/Shapes.h"

#include "llvm/Support/CheckedArithmetic.h"

namespace rebocc::onnxfe {

namespace {

/// Bytes per element held beyond the parsed model: the importer's double (8),
/// the circulant and crossbar IR's attributes (4 each) and the program's
/// float (4). Measured peaks are 0.79 to 0.94 of the estimate
/// (docs/Hostile.md).
constexpr int64_t kHeldBytesPerElement = 20;

/// The size of one element as the model stores it (1 for bool, 8-bit and
/// 4-bit types, 8 for 64-bit and complex64; 4 otherwise).
int64_t storedElementBytes(int32_t type) {
  switch (type) {
  case onnx::TensorProto::BOOL:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
    return 1;
  case support::kFloat8E4M3FN:
  case support::kFloat8E4M3FNUZ:
  case support::kFloat8E5M2:
  case support::kFloat8E5M2FNUZ:
  case support::kUint4: // half a byte, counted whole
  case support::kInt4:
    return 1;
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16:
    return 2;
  case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::UINT64:
  case onnx::TensorProto::COMPLEX64:
    return 8;
  case onnx::TensorProto::COMPLEX128:
    return 16;
  default:
    return 4;
  }
}

struct Estimate {
  int64_t total = 0;
  int64_t tensors = 0;
  int64_t largestBytes = -1;
  std::string largestName;
};

/// Adds `t`. A tensor whose dims are negative or overflow is skipped: the
/// importer's own check names it.
void addTensor(const onnx::TensorProto &t, Estimate &e) {
  std::vector<int64_t> dims(t.dims().begin(), t.dims().end());
  std::optional<int64_t> bytes = support::checkedByteSize(
      dims, storedElementBytes(t.data_type()) + kHeldBytesPerElement);
  if (!bytes)
    return;
  ++e.tensors;
  e.total = llvm::checkedAdd(e.total, *bytes).value_or(INT64_MAX);
  if (*bytes > e.largestBytes) {
    e.largestBytes = *bytes;
    e.largestName = t.name();
  }
}

void addGraph(const onnx::GraphProto &graph, Estimate &e) {
  for (const onnx::TensorProto &t : graph.initializer())
    addTensor(t, e);
  for (const onnx::NodeProto &node : graph.node())
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.has_t())
        addTensor(attr.t(), e);
      for (const onnx::TensorProto &t : attr.tensors())
        addTensor(t, e);
      if (attr.has_g())
        addGraph(attr.g(), e);
      for (const onnx::GraphProto &g : attr.graphs())
        addGraph(g, e);
    }
}

} // namespace

std::string checkCompileMemory(const onnx::ModelProto &model) {
  Estimate e;
  addGraph(model.graph(), e);
  if (e.tensors == 0)
    return "";
  std::string largest = e.largestName.empty() ? std::string("an unnamed one")
                                               : "'" + e.largestName + "'";
  return support::checkMemory(
      e.total, "compiling the model's " + std::to_string(e.tensors) +
                   " constant tensors (estimated; the largest, " + largest +
                   ", " + support::formatBytes(e.largestBytes) + ")");
}

} // namespace rebocc::onnxfe
