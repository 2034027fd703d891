//===- DigitalKernels.h - kernels of the digital instructions ---*- C++ -*-===//
//
// Private to lib/Sim (see SimSupport.h). Each kernel computes its result
// and its shape; the caller checks that shape against the shape function.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_LIB_SIM_DIGITALKERNELS_H
#define REBOCC_LIB_SIM_DIGITALKERNELS_H

#include "rebocc/Model/CountProgram.h"
#include "rebocc/Sim/Interpreter.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rebocc::sim {

int64_t product(const std::vector<int64_t> &shape, size_t begin, size_t end);

/// Element strides of `shape` aligned to `rank`, 0 on broadcast dims.
std::vector<int64_t> broadcastStrides(const std::vector<int64_t> &shape,
                                      const std::vector<int64_t> &out);

template <typename Op>
bool binary(const Tensor &A, const Tensor &B, Tensor &out, Op op,
            std::string &error) {
  std::optional<std::vector<int64_t>> broadcast =
      support::broadcastShapes(A.shape, B.shape);
  if (!broadcast) {
    error = "shapes " + shapeToString(A.shape) + " and " +
            shapeToString(B.shape) + " do not broadcast";
    return false;
  }
  const std::vector<int64_t> &shape = *broadcast;
  out.shape = shape;
  out.data.resize(product(shape, 0, shape.size()));
  if (A.shape == B.shape) {
    for (size_t e = 0; e < out.data.size(); ++e)
      out.data[e] = op(A.data[e], B.data[e]);
    return true;
  }
  std::vector<int64_t> sa = broadcastStrides(A.shape, shape),
                       sb = broadcastStrides(B.shape, shape);
  std::vector<int64_t> index(shape.size(), 0);
  int64_t ia = 0, ib = 0;
  for (size_t e = 0; e < out.data.size(); ++e) {
    out.data[e] = op(A.data[ia], B.data[ib]);
    // Odometer increment over the output index.
    for (size_t d = shape.size(); d-- > 0;) {
      ia += sa[d];
      ib += sb[d];
      if (++index[d] < shape[d])
        break;
      ia -= sa[d] * shape[d];
      ib -= sb[d] * shape[d];
      index[d] = 0;
    }
  }
  return true;
}

void softmax(const Tensor &in, int64_t axis, Tensor &out);

bool reshape(const Tensor &in, const std::vector<int64_t> &target,
             Tensor &out, std::string &error);

/// MaxPool / AveragePool over N x C x H x W (ONNX semantics; see
/// docs/ProgramFormat.md).
bool pool(const Tensor &in, const program::Instruction &I, Tensor &out,
          std::string &error);

/// Mean over every dimension after the first two; those become 1.
bool globalAveragePool(const Tensor &in, Tensor &out, std::string &error);

bool concat(const std::vector<const Tensor *> &ins, int64_t axis, Tensor &out,
            std::string &error);

bool pad(const Tensor &in, const program::Instruction &I, Tensor &out,
         std::string &error);

bool transpose(const Tensor &in, const std::vector<int64_t> &perm,
               Tensor &out, std::string &error);

/// Cast (ElementwiseKernels.cpp): each element's support::castFloat value
/// for the type `I.mode`; fails on a result float32 cannot hold exactly.
bool castElements(const Tensor &x, const program::Instruction &I, Tensor &out,
                  std::string &error);

/// Gather, GatherElements or GatherND by `I.mode` (GatherKernels.cpp) into
/// the result `shape` (the shape function's); fails naming the indices
/// element that is not an integer or out of range.
bool gather(const Tensor &data, const Tensor &indices,
            const program::Instruction &I, const std::vector<int64_t> &shape,
            Tensor &out, std::string &error);

/// Sqrt ... Where and Fma (the elementwise math, comparison and logic
/// opcodes, in ElementwiseKernels.cpp); `ins` are the instruction's operands.
bool elementwise(const program::Instruction &I,
                 const std::vector<const Tensor *> &ins, Tensor &out,
                 std::string &error);

// ReductionKernels.cpp
/// ReduceMax, ReduceMin or ReduceSum over I.axes (checked by the shape
/// function), which become dims of 1.
void reduce(const Tensor &in, const program::Instruction &I, Tensor &out);
/// log(softmax(x)) along `axis`, computed as x - max - log(sum(exp(x - max))).
void logSoftmax(const Tensor &in, int64_t axis, Tensor &out);
/// (x - mean) / sqrt(variance + epsilon) over the dims from `axis` on.
void normalize(const Tensor &in, int64_t axis, float epsilon, Tensor &out);

/// I.axes resampled by their tap tables to the sizes of `resultShape`
/// (ResizeKernels.cpp; checked by the program verifier).
void resize(const Tensor &in, const program::Instruction &I,
            const std::vector<int64_t> &resultShape, Tensor &out);

/// The batched product [..., M, K] x [..., K, N] -> `resultShape`, the batch
/// dims broadcast (MatMulKernels.cpp; shapes checked by the shape function).
/// With `fixed`, in that hardware's fixed point: the left operand quantized
/// to its input bits, the right one to its weight bits. False (and `error`)
/// on a non-finite operand in fixed point.
bool matmul(const Tensor &lhs, const Tensor &rhs,
            const std::vector<int64_t> &resultShape,
            const model::HardwareDesc *fixed, Tensor &out,
            std::string &error);

/// The box [starts, ends) of I.axes (checked by the shape function).
void slice(const Tensor &in, const program::Instruction &I, Tensor &out);

} // namespace rebocc::sim

#endif // REBOCC_LIB_SIM_DIGITALKERNELS_H
