//===- ShapeInference.h - shape rules shared by verifiers and import ---*- C++ -*-===//
//
// The importer computes result types with the same rules the circulant
// verifiers check, so the two cannot drift apart.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_DIALECT_CIRCULANT_SHAPEINFERENCE_H
#define REBOCC_DIALECT_CIRCULANT_SHAPEINFERENCE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>

namespace rebocc::circulant {

/// Numpy broadcasting of two shapes; a dynamic dimension (the batch) only
/// broadcasts with itself or 1. std::nullopt when they do not broadcast.
std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b);

/// Output size of a sliding window along one dimension (the ONNX conv/pool
/// formula); with `ceilMode` a last partial window counts if it starts inside
/// the input or its leading padding. 0 when no window fits.
int64_t windowOutputSize(int64_t in, int64_t padBegin, int64_t padEnd,
                         int64_t kernel, int64_t stride, int64_t dilation,
                         bool ceilMode);

} // namespace rebocc::circulant

#endif
