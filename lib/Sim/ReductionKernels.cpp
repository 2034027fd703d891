//===- ReductionKernels.cpp - Reductions, LogSoftmax, normalization -------===//
//
// The kernels of reduce_max, reduce_min, reduce_sum, log_softmax and
// normalize (ONNX ReduceX, LogSoftmax, LayerNormalization and
// InstanceNormalization). Sums are accumulated in double and rounded once
// to float32, so they are at least as accurate as onnxruntime's float
// accumulation; max and min propagate NaN as onnxruntime does.
//
//===----------------------------------------------------------------------===//

#include "DigitalKernels.h"
#include "SimSupport.h"

#include <cmath>

namespace rebocc::sim {

using namespace program;

void reduce(const Tensor &in, const Instruction &I, Tensor &out) {
  size_t rank = in.shape.size();
  out.shape = in.shape;
  for (int64_t axis : I.axes)
    out.shape[axis] = 1;
  // Output element strides of each input dimension; 0 on reduced ones, so
  // every input element of one output lands on it.
  std::vector<int64_t> strides(rank, 0);
  for (size_t d = rank, stride = 1; d-- > 0;) {
    strides[d] = out.shape[d] == 1 ? 0 : stride;
    stride *= out.shape[d];
  }
  int64_t count = product(out.shape, 0, rank);
  std::vector<double> acc(count, I.op == OpCode::ReduceMax   ? -INFINITY
                                  : I.op == OpCode::ReduceMin ? INFINITY
                                                              : 0.0);
  std::vector<int64_t> index(rank, 0);
  int64_t at = 0;
  for (float v : in.data) {
    double &a = acc[at];
    switch (I.op) {
    case OpCode::ReduceMax: a = std::isnan(v) || v > a ? v : a; break;
    case OpCode::ReduceMin: a = std::isnan(v) || v < a ? v : a; break;
    default: a += v; break;
    }
    // Odometer increment over the input index.
    for (size_t d = rank; d-- > 0;) {
      at += strides[d];
      if (++index[d] < in.shape[d])
        break;
      at -= strides[d] * in.shape[d];
      index[d] = 0;
    }
  }
  out.data.assign(acc.begin(), acc.end());
}

/// Calls fn(x, y, len, inner) for each line along `axis`: element e of the
/// line is x[e * inner], written to y[e * inner].
template <typename Fn>
static void forEachLine(const Tensor &in, int64_t axis, int64_t end,
                        Tensor &out, Fn fn) {
  out.shape = in.shape;
  out.data.resize(in.data.size());
  int64_t outer = product(in.shape, 0, axis),
          len = product(in.shape, axis, end),
          inner = product(in.shape, end, in.shape.size());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i)
      fn(&in.data[o * len * inner + i], &out.data[o * len * inner + i], len,
         inner);
}

void logSoftmax(const Tensor &in, int64_t axis, Tensor &out) {
  forEachLine(in, axis, axis + 1, out,
              [](const float *x, float *y, int64_t len, int64_t inner) {
                float mx = -INFINITY;
                for (int64_t e = 0; e < len; ++e)
                  mx = std::max(mx, x[e * inner]);
                double sum = 0;
                for (int64_t e = 0; e < len; ++e)
                  sum += std::exp(static_cast<double>(x[e * inner] - mx));
                float logSum = static_cast<float>(std::log(sum));
                for (int64_t e = 0; e < len; ++e)
                  y[e * inner] = x[e * inner] - mx - logSum;
              });
}

void normalize(const Tensor &in, int64_t axis, float epsilon, Tensor &out) {
  // The normalized dims are the trailing ones: each group is contiguous.
  forEachLine(in, axis, in.shape.size(), out,
              [&](const float *x, float *y, int64_t len, int64_t) {
                double sum = 0;
                for (int64_t e = 0; e < len; ++e)
                  sum += x[e];
                double mean = sum / len, squares = 0;
                for (int64_t e = 0; e < len; ++e)
                  squares += (x[e] - mean) * (x[e] - mean);
                double scale = 1.0 / std::sqrt(squares / len + epsilon);
                for (int64_t e = 0; e < len; ++e)
                  y[e] = static_cast<float>((x[e] - mean) * scale);
              });
}

} // namespace rebocc::sim
