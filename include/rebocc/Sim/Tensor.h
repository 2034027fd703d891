//===- Tensor.h - Dense float tensor of the interpreter ---------*- C++ -*-===//
//
// The interpreter's only value type: a row-major float tensor. Kept in its own
// header so the tensor file reader (Support/TensorIO.h) does not pull in the
// program or interpreter.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SIM_TENSOR_H
#define REBOCC_SIM_TENSOR_H

#include <cstdint>
#include <vector>

namespace rebocc::sim {

struct Tensor {
  std::vector<int64_t> shape; // empty = scalar
  std::vector<float> data;    // row-major, product(shape) entries
};

} // namespace rebocc::sim

#endif // REBOCC_SIM_TENSOR_H
