//===- MatMulKernels.cpp - the matmul instruction -------------------------===//
//
// matmul (ONNX MatMul of two run-time tensors) multiplies the last two dims
// of its operands for every index of the broadcast batch dims. In fixed
// point the left operand is quantized as a crossbar layer's input
// (input_bits) and the right one as its weights (weight_bits), each with one
// dynamic scale, and the integer products are summed exactly: what the
// digital units compute in fixed point, and what a lossless crossbar read of
// the reprogrammed right operand gives. So both modes compute the same
// values (device noise and ADC clipping are not applied to run-time
// operands). Each sum is accumulated in double and rounded once to
// float32.
//
//===----------------------------------------------------------------------===//

#include "CrossbarSchedule.h"
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

/// `t`'s values, or in fixed point their codes of `bits` (sign included)
/// with `scale` set to the code's value.
static bool operandValues(const Tensor &t, const model::HardwareDesc *fixed,
                          int64_t bits, std::vector<double> &values,
                          double &scale, std::string &error) {
  values.resize(t.data.size());
  scale = 1.0;
  if (!fixed) {
    std::copy(t.data.begin(), t.data.end(), values.begin());
    return true;
  }
  const double maxCode = static_cast<double>((int64_t(1) << (bits - 1)) - 1);
  return quantizeInput(t.data.data(), static_cast<int64_t>(t.data.size()),
                       maxCode, values.data(), scale, error);
}

bool matmul(const Tensor &lhs, const Tensor &rhs,
            const std::vector<int64_t> &resultShape,
            const model::HardwareDesc *fixed, Tensor &out, std::string &error) {
  std::vector<double> lhsValues, rhsValues;
  double lhsScale, rhsScale;
  if (!operandValues(lhs, fixed, fixed ? fixed->inputBits : 0, lhsValues,
                     lhsScale, error) ||
      !operandValues(rhs, fixed, fixed ? fixed->weightBits : 0, rhsValues,
                     rhsScale, error))
    return false;
  const double scale = lhsScale * rhsScale;
  const size_t rank = resultShape.size();
  const int64_t m = resultShape[rank - 2], n = resultShape[rank - 1];
  const int64_t k = lhs.shape.back();
  std::vector<int64_t> batchShape(resultShape.begin(), resultShape.end() - 2);
  out.shape = resultShape;
  out.data.assign(product(resultShape, 0, rank), 0.0f);
  std::vector<int64_t> at(batchShape.size(), 0);
  const int64_t batches = product(batchShape, 0, batchShape.size());
  for (int64_t b = 0; b < batches; ++b) {
    const double *a = lhsValues.data() + batchOffset(lhs.shape, at) * m * k;
    const double *w = rhsValues.data() + batchOffset(rhs.shape, at) * k * n;
    float *y = out.data.data() + b * m * n;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double sum = 0;
        for (int64_t t = 0; t < k; ++t)
          sum += a[i * k + t] * w[t * n + j];
        y[i * n + j] = static_cast<float>(sum * scale);
      }
    for (size_t d = at.size(); d-- > 0;)
      if (++at[d] < batchShape[d])
        break;
      else
        at[d] = 0;
  }
  return true;
}

} // namespace rebocc::sim
