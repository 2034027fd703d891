//===- Shapes.h - shape arithmetic shared by every layer --------*- C++ -*-===//
//
// The one copy of each shape rule: the importer, the circulant and crossbar
// verifiers, the program verifier, the event counts and the interpreter all
// call these, so they cannot drift apart.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_SHAPES_H
#define REBOCC_SUPPORT_SHAPES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rebocc::support {

/// ceil(a / b) for a >= 0 and b > 0.
inline int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// The number of elements of a tensor of `shape` (every dim >= 0).
/// std::nullopt when a dim is negative (dynamic included) or when the product
/// of the non-zero dims overflows int64: a 0 dim makes the count 0, but the
/// product of any subset of a shape this accepts still fits (strides, the
/// outer/inner splits of Flatten or Softmax), so one check at the point a
/// shape enters covers every later product of its dims.
std::optional<int64_t> checkedElementCount(llvm::ArrayRef<int64_t> shape);

/// checkedElementCount(shape) * elementBytes, or std::nullopt on overflow.
std::optional<int64_t> checkedByteSize(llvm::ArrayRef<int64_t> shape,
                                       int64_t elementBytes);

/// "[1,784]".
std::string shapeToString(const std::vector<int64_t> &shape);

/// Numpy (ONNX multidirectional) broadcasting of two shapes: aligned at the
/// last dimension, a missing or size-1 dimension takes the other's size.
/// Any other size, including a dynamic one (MLIR's kDynamic, the program
/// format's -1), only broadcasts with itself or 1. std::nullopt when the
/// shapes do not broadcast.
std::optional<std::vector<int64_t>> broadcastShapes(llvm::ArrayRef<int64_t> a,
                                                    llvm::ArrayRef<int64_t> b);

/// The result of a batched matrix product of rank >= 2 operands (ONNX
/// MatMul after its 1-D operands are lifted): [..., M, K] x [..., K, N] is
/// the numpy broadcast of the leading (batch) dims followed by [M, N].
/// std::nullopt when a rank is below 2, the inner dims differ (a dynamic
/// one only matches itself) or the batch dims do not broadcast.
std::optional<std::vector<int64_t>> matmulShape(llvm::ArrayRef<int64_t> lhs,
                                                llvm::ArrayRef<int64_t> rhs);

/// ONNX output size of a sliding window: floor((in + pads - span)/s) + 1
/// with span = dilation*(kernel-1) + 1 (may be <= 0); with ceilMode the
/// division rounds up, but the last window must start inside the input or its
/// leading padding (ONNX reference, PyTorch).
int64_t windowOutput(int64_t in, int64_t kernel, int64_t stride,
                     int64_t padBegin, int64_t padEnd, int64_t dilation,
                     bool ceilMode);

/// The three ONNX gathers, one program instruction (`gather mode=`):
/// Gather picks slices of `data` along `axis` by every index, GatherElements
/// picks one element per index along `axis` (indices of data's rank), and
/// GatherND picks the slice an index tuple names after `batch_dims` leading
/// dims that data and indices share (its `axis` is batch_dims).
enum class GatherKind { Axis, Elements, ND };

/// "axis", "elements", "nd" (the program's `mode=` words).
const char *gatherKindName(GatherKind kind);
std::optional<GatherKind> gatherKindNamed(llvm::StringRef name);

/// The result shape of a gather of `data` by `indices` (ONNX's shape rules):
/// Axis data[:axis] + indices + data[axis+1:]; Elements the indices' shape
/// (same rank as data); ND indices[:-1] + data[b + indices[-1]:], b =
/// `axis`, the last index dim known and in [1, rank - b], the first b dims
/// agreeing where both are known. Dynamic dims (negative) carry over.
/// std::nullopt when a rank or the axis is invalid.
std::optional<std::vector<int64_t>> gatherShape(GatherKind kind,
                                                llvm::ArrayRef<int64_t> data,
                                                llvm::ArrayRef<int64_t> indices,
                                                int64_t axis);

} // namespace rebocc::support

#endif // REBOCC_SUPPORT_SHAPES_H
