//===- Shapes.cpp - shape arithmetic shared by every layer ----------------===//

#include "rebocc/Support/Shapes.h"

#include "llvm/Support/CheckedArithmetic.h"

#include <algorithm>

namespace rebocc::support {

namespace {
int64_t floorDiv(int64_t a, int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

} // namespace

std::optional<int64_t> checkedElementCount(llvm::ArrayRef<int64_t> shape) {
  int64_t nonZero = 1;
  bool empty = false;
  for (int64_t dim : shape) {
    if (dim < 0)
      return std::nullopt;
    if (dim == 0) {
      empty = true;
      continue;
    }
    std::optional<int64_t> next = llvm::checkedMul(nonZero, dim);
    if (!next)
      return std::nullopt;
    nonZero = *next;
  }
  return empty ? 0 : nonZero;
}

std::optional<int64_t> checkedByteSize(llvm::ArrayRef<int64_t> shape,
                                       int64_t elementBytes) {
  std::optional<int64_t> count = checkedElementCount(shape);
  if (!count)
    return std::nullopt;
  return llvm::checkedMul(*count, elementBytes);
}

std::string shapeToString(const std::vector<int64_t> &shape) {
  std::string out = "[";
  for (size_t d = 0; d < shape.size(); ++d)
    out += (d ? "," : "") + std::to_string(shape[d]);
  return out + "]";
}

std::optional<std::vector<int64_t>> broadcastShapes(llvm::ArrayRef<int64_t> a,
                                                    llvm::ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  std::vector<int64_t> out(rank);
  for (size_t d = 0; d < rank; ++d) {
    int64_t da = d < rank - a.size() ? 1 : a[d - (rank - a.size())];
    int64_t db = d < rank - b.size() ? 1 : b[d - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    out[d] = da == 1 ? db : da;
  }
  return out;
}

std::optional<std::vector<int64_t>> matmulShape(llvm::ArrayRef<int64_t> lhs,
                                                llvm::ArrayRef<int64_t> rhs) {
  if (lhs.size() < 2 || rhs.size() < 2 ||
      lhs[lhs.size() - 1] != rhs[rhs.size() - 2])
    return std::nullopt;
  std::optional<std::vector<int64_t>> out =
      broadcastShapes(lhs.drop_back(2), rhs.drop_back(2));
  if (out) {
    out->push_back(lhs[lhs.size() - 2]);
    out->push_back(rhs.back());
  }
  return out;
}

int64_t windowOutput(int64_t in, int64_t kernel, int64_t stride,
                     int64_t padBegin, int64_t padEnd, int64_t dilation,
                     bool ceilMode) {
  int64_t num = in + padBegin + padEnd - (dilation * (kernel - 1) + 1);
  if (!ceilMode)
    return floorDiv(num, stride) + 1;
  int64_t out = -floorDiv(-num, stride) + 1;
  // ONNX reference / PyTorch: the last window must start inside the input
  // or its leading padding.
  if (out > 0 && (out - 1) * stride >= in + padBegin)
    --out;
  return out;
}

const char *gatherKindName(GatherKind kind) {
  switch (kind) {
  case GatherKind::Axis: return "axis";
  case GatherKind::Elements: return "elements";
  case GatherKind::ND: return "nd";
  }
  return "?";
}

std::optional<GatherKind> gatherKindNamed(llvm::StringRef name) {
  for (GatherKind kind : {GatherKind::Axis, GatherKind::Elements, GatherKind::ND})
    if (name == gatherKindName(kind))
      return kind;
  return std::nullopt;
}

std::optional<std::vector<int64_t>> gatherShape(GatherKind kind,
                                                llvm::ArrayRef<int64_t> data,
                                                llvm::ArrayRef<int64_t> indices,
                                                int64_t axis) {
  int64_t rank = data.size(), indexRank = indices.size();
  std::vector<int64_t> out;
  switch (kind) {
  case GatherKind::Axis:
    if (axis < 0 || axis >= rank)
      return std::nullopt;
    out.assign(data.begin(), data.begin() + axis);
    out.insert(out.end(), indices.begin(), indices.end());
    out.insert(out.end(), data.begin() + axis + 1, data.end());
    return out;
  case GatherKind::Elements:
    if (axis < 0 || axis >= rank || indexRank != rank)
      return std::nullopt;
    return std::vector<int64_t>(indices.begin(), indices.end());
  case GatherKind::ND: {
    int64_t batch = axis;
    if (batch < 0 || indexRank < 1 || batch >= std::min(rank, indexRank))
      return std::nullopt;
    int64_t last = indices.back();
    if (last < 1 || last > rank - batch)
      return std::nullopt;
    for (int64_t d = 0; d < batch; ++d)
      if (data[d] >= 0 && indices[d] >= 0 && data[d] != indices[d])
        return std::nullopt;
    out.assign(indices.begin(), indices.end() - 1);
    out.insert(out.end(), data.begin() + batch + last, data.end());
    return out;
  }
  }
  return std::nullopt;
}

} // namespace rebocc::support
