//===- ResizeKernels.cpp - the resize instruction
//--------------------------===//
//
// resize (ONNX Resize) resamples its axes one after the other, each output
// index a weighted sum of the taps its table names. The tables carry the
// interpolation mode and coordinate transformation (the importer computes
// them), so the kernel is the same for nearest, linear and cubic. Each sum
// is accumulated in double and rounded once to float32.
//
//===----------------------------------------------------------------------===//

#include "DigitalKernels.h"
#include "SimSupport.h"

namespace rebocc::sim {

using namespace program;

/// `in` resampled along `axis` by the table of `taps` entries per output
/// index starting at `first` in I.sources and I.weights.
static void resizeAxis(const Tensor &in, const Instruction &I, int64_t axis,
                       int64_t taps, size_t first, int64_t size, Tensor &out) {
  int64_t outer = product(in.shape, 0, axis);
  int64_t inner = product(in.shape, axis + 1, in.shape.size());
  int64_t from = in.shape[axis];
  out.shape = in.shape;
  out.shape[axis] = size;
  out.data.assign(outer * size * inner, 0.0f);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < size; ++i)
      for (int64_t j = 0; j < inner; ++j) {
        double sum = 0;
        for (int64_t t = 0; t < taps; ++t) {
          size_t e = first + i * taps + t;
          sum += static_cast<double>(I.weights[e]) *
                 in.data[(o * from + I.sources[e]) * inner + j];
        }
        out.data[(o * size + i) * inner + j] = static_cast<float>(sum);
      }
}

void resize(const Tensor &in, const Instruction &I,
            const std::vector<int64_t> &resultShape, Tensor &out) {
  Tensor current = in;
  size_t first = 0;
  for (size_t a = 0; a < I.axes.size(); ++a) {
    int64_t axis = I.axes[a], size = resultShape[axis];
    resizeAxis(current, I, axis, I.taps[a], first, size, out);
    first += size * I.taps[a];
    if (a + 1 < I.axes.size())
      current = std::move(out);
  }
}

} // namespace rebocc::sim
