//===- Shapes.h - shape arithmetic shared by every layer --------*- C++ -*-===//

#ifndef REBOCC_SUPPORT_SHAPES_H
#define REBOCC_SUPPORT_SHAPES_H

#include <cstdint>
#include <string>
#include <vector>

namespace rebocc::support {

/// "[1,784]".
std::string shapeToString(const std::vector<int64_t> &shape);

/// ONNX output size of a sliding window: floor((in + pads - span)/s) + 1
/// with span = dilation*(kernel-1) + 1 (may be <= 0); with ceilMode the
/// division rounds up, but the last window must start inside the input or its
/// leading padding (ONNX reference, PyTorch).
int64_t windowOutput(int64_t in, int64_t kernel, int64_t stride,
                     int64_t padBegin, int64_t padEnd, int64_t dilation,
                     bool ceilMode);

} // namespace rebocc::support

#endif // REBOCC_SUPPORT_SHAPES_H
