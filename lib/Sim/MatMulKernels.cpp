//===- MatMulKernels.cpp - the matmul instruction -------------------------===//
//
// matmul (ONNX MatMul of two run-time tensors) multiplies the last two dims
// of its operands for every index of the broadcast batch dims. Both modes
// compute the same values: the digital units' product, and the crossbar
// read of the reprogrammed right operand, which is lossless in the exact
// configuration this interpreter models for run-time operands (the device
// noise and ADC clipping of --noise / --adc-bits apply to the weights
// programmed before the run, not to these). Each sum is accumulated in
// double and rounded once to float32.
//
//===----------------------------------------------------------------------===//

#include "DigitalKernels.h"
#include "SimSupport.h"

namespace rebocc::sim {

/// The flat index into the batch dims of `shape` (rank `shape.size() - 2`)
/// that the broadcast batch index `at` (rank `batch`) reads.
static int64_t batchOffset(const std::vector<int64_t> &shape,
                           const std::vector<int64_t> &at) {
  size_t own = shape.size() - 2, lead = at.size() - own;
  int64_t flat = 0;
  for (size_t d = 0; d < own; ++d)
    flat = flat * shape[d] + (shape[d] == 1 ? 0 : at[lead + d]);
  return flat;
}

void matmul(const Tensor &lhs, const Tensor &rhs,
            const std::vector<int64_t> &resultShape, Tensor &out) {
  const size_t rank = resultShape.size();
  const int64_t m = resultShape[rank - 2], n = resultShape[rank - 1];
  const int64_t k = lhs.shape.back();
  std::vector<int64_t> batchShape(resultShape.begin(), resultShape.end() - 2);
  out.shape = resultShape;
  out.data.assign(product(resultShape, 0, rank), 0.0f);
  std::vector<int64_t> at(batchShape.size(), 0);
  const int64_t batches = product(batchShape, 0, batchShape.size());
  for (int64_t b = 0; b < batches; ++b) {
    const float *a = lhs.data.data() + batchOffset(lhs.shape, at) * m * k;
    const float *w = rhs.data.data() + batchOffset(rhs.shape, at) * k * n;
    float *y = out.data.data() + b * m * n;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double sum = 0;
        for (int64_t t = 0; t < k; ++t)
          sum += static_cast<double>(a[i * k + t]) * w[t * n + j];
        y[i * n + j] = static_cast<float>(sum);
      }
    for (size_t d = at.size(); d-- > 0;)
      if (++at[d] < batchShape[d])
        break;
      else
        at[d] = 0;
  }
}

} // namespace rebocc::sim
