//===- ResizeKernels.cpp - the resize instruction
//--------------------------===//
//
// resize (ONNX Resize) resamples its axes one after the other, each output
// index a weighted sum of the taps its table names. The tables carry the
// interpolation mode and coordinate transformation (the importer computes
// them), so the kernel is the same for nearest, linear and cubic. Each sum
// is accumulated in double and rounded once to float32.
//
// Linear on the last two axes of a 2-D or 4-D tensor (bilinear, NCHW) is
// the exception: it is evaluated as onnxruntime's UpsampleBilinear does, in
// float32, the four products (wx * wy) * x summed in a fixed order, with its
// edge taps. Both roundings are as good; onnxruntime's is the reference, and
// a dynamically quantized model (ISNet "small", DynamicQuantizeLinear after
// every Resize) turns a last-bit difference into a different rounding of a
// uint8 code and that, through the network, into a different mask.
//
//===----------------------------------------------------------------------===//

#include "DigitalKernels.h"
#include "SimSupport.h"

#include <algorithm>

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

namespace {

/// One output index of a bilinear axis: its two source indices and weights
/// as onnxruntime's UpsampleBilinear sets them up.
struct LinearTap {
  int64_t lo, hi;
  float wlo, whi;
};

/// The linear table of `count` output indices starting at `first`, on an
/// axis of `size` elements, as onnxruntime's taps. The importer clamps both
/// source indices into the axis; onnxruntime clamps the coordinate instead:
/// before the first element it reads element 0 with weight 1 (and element 1
/// with weight 0), at or past the last it reads the last with 0.5 and 0.5.
std::vector<LinearTap> linearTaps(const Instruction &I, size_t first,
                                  int64_t count, int64_t size) {
  std::vector<LinearTap> taps(count);
  for (int64_t i = 0; i < count; ++i) {
    const size_t e = first + 2 * i;
    LinearTap &t = taps[i];
    t = {I.sources[e], I.sources[e + 1], I.weights[e], I.weights[e + 1]};
    // On a whole coordinate the importer takes the element below with
    // weight 0; onnxruntime the element itself with weight 1.
    if (t.wlo == 0.0f && t.whi == 1.0f)
      t = {t.hi, std::min(t.hi + 1, size - 1), 1.0f, 0.0f};
    if (t.lo != t.hi)
      continue;
    if (t.lo == size - 1)
      t.wlo = t.whi = 0.5f;
    else
      t = {t.lo, t.lo + 1, 1.0f, 0.0f};
  }
  return taps;
}

/// Linear on the last two axes of a 2-D or 4-D operand in onnxruntime's
/// float32 order; false (nothing written) for any other resize.
bool resizeBilinear(const Tensor &in, const Instruction &I,
                    const std::vector<int64_t> &resultShape, Tensor &out) {
  const int64_t rank = static_cast<int64_t>(in.shape.size());
  if ((rank != 2 && rank != 4) || I.axes.size() != 2 ||
      I.axes[0] != rank - 2 || I.axes[1] != rank - 1 || I.taps[0] != 2 ||
      I.taps[1] != 2)
    return false;
  const int64_t planes = product(in.shape, 0, rank - 2);
  const int64_t H = in.shape[rank - 2], W = in.shape[rank - 1];
  const int64_t OH = resultShape[rank - 2], OW = resultShape[rank - 1];
  const std::vector<LinearTap> ty = linearTaps(I, 0, OH, H);
  const std::vector<LinearTap> tx = linearTaps(I, 2 * OH, OW, W);
  out.shape = in.shape;
  out.shape[rank - 2] = OH;
  out.shape[rank - 1] = OW;
  out.data.assign(planes * OH * OW, 0.0f);
  for (int64_t p = 0; p < planes; ++p) {
    const float *x = in.data.data() + p * H * W;
    float *y = out.data.data() + p * OH * OW;
    for (int64_t oy = 0; oy < OH; ++oy) {
      const LinearTap &a = ty[oy];
      const float *lo = x + a.lo * W, *hi = x + a.hi * W;
      for (int64_t ox = 0; ox < OW; ++ox) {
        const LinearTap &b = tx[ox];
        // One rounding per operation, in onnxruntime's order (separate
        // statements: no contraction into fused multiply-adds).
        const float w00 = b.wlo * a.wlo, w01 = b.whi * a.wlo;
        const float w10 = b.wlo * a.whi, w11 = b.whi * a.whi;
        float sum = w00 * lo[b.lo];
        const float p01 = w01 * lo[b.hi];
        sum = sum + p01;
        const float p10 = w10 * hi[b.lo];
        sum = sum + p10;
        const float p11 = w11 * hi[b.hi];
        sum = sum + p11;
        y[oy * OW + ox] = sum;
      }
    }
  }
  return true;
}

} // namespace

void resize(const Tensor &in, const Instruction &I,
            const std::vector<int64_t> &resultShape, Tensor &out) {
  if (resizeBilinear(in, I, resultShape, out))
    return;
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
