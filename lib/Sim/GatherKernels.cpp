//===- GatherKernels.cpp - ONNX Gather, GatherElements, GatherND ----------===//
//
// The `gather` instruction: data picked by run-time indices, which are
// integers carried as float32 (exact up to 2^24). Each index is checked
// where it is read: a value that is not an integer, or lies outside
// [-size, size - 1] of the axis it indexes, stops the run with the element
// it is (onnxruntime fails such a run too); negative indices count from the
// end, as ONNX defines.
//
//===----------------------------------------------------------------------===//

#include "DigitalKernels.h"
#include "SimSupport.h"

#include <cmath>
#include <cstdio>

namespace rebocc::sim {

using namespace program;

namespace {

/// Reads index element `e` of `indices` for an axis of `size`, wrapped to
/// [0, size); fails naming the element.
bool readIndex(const Tensor &indices, size_t e, int64_t size, int64_t axis,
               int64_t &index, std::string &error) {
  float value = indices.data[e];
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", value);
  if (!std::isfinite(value) || value != std::floor(value)) {
    error = "indices element " + std::to_string(e) + " is " + text +
            ", not an integer";
    return false;
  }
  if (value < -static_cast<double>(size) || value >= static_cast<double>(size)) {
    error = "indices element " + std::to_string(e) + " is " + text +
            ", out of range [" + std::to_string(-size) + ", " +
            std::to_string(size - 1) + "] of data axis " +
            std::to_string(axis) + " (size " + std::to_string(size) + ")";
    return false;
  }
  index = static_cast<int64_t>(value);
  if (index < 0)
    index += size;
  return true;
}

/// Row-major strides of `shape`.
std::vector<int64_t> stridesOf(const std::vector<int64_t> &shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;)
    strides[d - 1] = strides[d] * shape[d];
  return strides;
}

/// Gather: out[outer, i..., inner] = data[outer, indices[i...], inner].
bool gatherAxis(const Tensor &data, const Tensor &indices, int64_t axis,
                Tensor &out, std::string &error) {
  int64_t outer = product(data.shape, 0, axis), size = data.shape[axis];
  int64_t inner = product(data.shape, axis + 1, data.shape.size());
  int64_t count = static_cast<int64_t>(indices.data.size());
  std::vector<int64_t> picks(count);
  for (int64_t i = 0; i < count; ++i)
    if (!readIndex(indices, i, size, axis, picks[i], error))
      return false;
  float *to = out.data.data();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < count; ++i) {
      const float *from = data.data.data() + (o * size + picks[i]) * inner;
      to = std::copy(from, from + inner, to);
    }
  return true;
}

/// GatherElements: out[j] = data[j with j[axis] = indices[j]]. Indices may
/// be smaller than data along every axis, never larger.
bool gatherElements(const Tensor &data, const Tensor &indices, int64_t axis,
                    Tensor &out, std::string &error) {
  const std::vector<int64_t> &shape = indices.shape;
  for (size_t d = 0; d < shape.size(); ++d)
    if (static_cast<int64_t>(d) != axis && shape[d] > data.shape[d]) {
      error = "indices " + shapeToString(shape) + " exceed data " +
              shapeToString(data.shape) + " in dimension " + std::to_string(d);
      return false;
    }
  std::vector<int64_t> strides = stridesOf(data.shape);
  std::vector<int64_t> at(shape.size(), 0);
  for (size_t e = 0; e < indices.data.size(); ++e) {
    int64_t pick = 0;
    if (!readIndex(indices, e, data.shape[axis], axis, pick, error))
      return false;
    int64_t flat = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      flat += (static_cast<int64_t>(d) == axis ? pick : at[d]) * strides[d];
    out.data[e] = data.data[flat];
    for (size_t d = shape.size(); d-- > 0;) {
      if (++at[d] < shape[d])
        break;
      at[d] = 0;
    }
  }
  return true;
}

/// GatherND with `batch` batch_dims: each index tuple (the last indices
/// dim) names a slice of data after the batch dims it shares with indices.
bool gatherND(const Tensor &data, const Tensor &indices, int64_t batch,
              Tensor &out, std::string &error) {
  for (int64_t d = 0; d < batch; ++d)
    if (data.shape[d] != indices.shape[d]) {
      error = "batch dimension " + std::to_string(d) + " of data " +
              shapeToString(data.shape) + " and indices " +
              shapeToString(indices.shape) + " differ";
      return false;
    }
  int64_t tuple = indices.shape.back();
  int64_t batches = product(data.shape, 0, batch);
  int64_t tuples = product(indices.shape, batch, indices.shape.size() - 1);
  int64_t slice = product(data.shape, batch + tuple, data.shape.size());
  int64_t perBatch = product(data.shape, batch, data.shape.size());
  std::vector<int64_t> strides = stridesOf(data.shape);
  float *to = out.data.data();
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t t = 0; t < tuples; ++t) {
      size_t first = static_cast<size_t>((b * tuples + t) * tuple);
      int64_t flat = b * perBatch;
      for (int64_t k = 0; k < tuple; ++k) {
        int64_t pick = 0;
        if (!readIndex(indices, first + k, data.shape[batch + k], batch + k,
                       pick, error))
          return false;
        flat += pick * strides[batch + k];
      }
      const float *from = data.data.data() + flat;
      to = std::copy(from, from + slice, to);
    }
  return true;
}

} // namespace

bool gather(const Tensor &data, const Tensor &indices, const Instruction &I,
            const std::vector<int64_t> &shape, Tensor &out,
            std::string &error) {
  std::optional<support::GatherKind> kind = support::gatherKindNamed(I.mode);
  if (!kind) {
    error = "gather mode '" + I.mode + "' is not axis, elements or nd";
    return false;
  }
  out.shape = shape;
  out.data.assign(product(shape, 0, shape.size()), 0.0f);
  switch (*kind) {
  case support::GatherKind::Axis:
    return gatherAxis(data, indices, I.axis, out, error);
  case support::GatherKind::Elements:
    return gatherElements(data, indices, I.axis, out, error);
  case support::GatherKind::ND:
    return gatherND(data, indices, I.axis, out, error);
  }
  return false;
}

} // namespace rebocc::sim
