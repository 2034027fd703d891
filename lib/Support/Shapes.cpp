//===- Shapes.cpp - shape arithmetic shared by every layer ----------------===//

#include "rebocc/Support/Shapes.h"

namespace rebocc::support {

namespace {
int64_t floorDiv(int64_t a, int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

} // namespace

std::string shapeToString(const std::vector<int64_t> &shape) {
  std::string out = "[";
  for (size_t d = 0; d < shape.size(); ++d)
    out += (d ? "," : "") + std::to_string(shape[d]);
  return out + "]";
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

} // namespace rebocc::support
