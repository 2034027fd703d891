//===- Tensor.h - Dense float tensor of the interpreter ---------*- C++ -*-===//
//
// The interpreter's only value type: a row-major float tensor. Kept in Support
// so the tensor file reader (Support/TensorIO.h) does not pull in the
// program or interpreter.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_TENSOR_H
#define REBOCC_SUPPORT_TENSOR_H

#include <cstdint>
#include <vector>

namespace rebocc::support {

struct Tensor {
  std::vector<int64_t> shape; // empty = scalar
  std::vector<float> data;    // row-major, product(shape) entries
};

} // namespace rebocc::support

#endif // REBOCC_SUPPORT_TENSOR_H
