//===- ImportConstantOps.cpp - ONNX Mod and ScatterND on constants --------===//
//
// Operators that only occur in shape and mask arithmetic of the models we
// import, and are evaluated at compile time: Mod (torchvision's Swin pads a
// feature map to a multiple of its window: (w - H % w) % w) and ScatterND
// (the same model writes its shifted-window attention mask into a
// ConstantOfShape, one window region at a time). Run-time data is rejected
// with an error naming the node: no digital instruction computes either.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <cmath>

using namespace mlir;
using namespace rebocc;

namespace rebocc::onnxfe {

namespace {

/// Row-major index into `t` of the element at `flat` of the broadcast
/// `shape` (t's dimensions aligned to the right, size-1 ones repeated).
int64_t broadcastIndex(const ConstTensor &t, ArrayRef<int64_t> shape,
                       int64_t flat) {
  int64_t index = 0, stride = 1;
  size_t rank = shape.size(), own = t.shape.size();
  for (size_t d = rank; d-- > rank - own;) {
    int64_t coord = flat % shape[d];
    flat /= shape[d];
    int64_t dim = t.shape[d - (rank - own)];
    index += (dim == 1 ? 0 : coord) * stride;
    stride *= dim;
  }
  return index;
}

/// ONNX Mod of one pair: fmod = 1 takes the dividend's sign (C fmod), fmod = 0
/// the divisor's (integers only). Floats are float32, as the inputs are.
double modOf(double a, double b, bool isFloat, bool fmod) {
  if (isFloat)
    return std::fmod((float)a, (float)b);
  int64_t x = (int64_t)a, y = (int64_t)b;
  int64_t r = x % y;
  if (!fmod && r != 0 && ((r < 0) != (y < 0)))
    r += y;
  return (double)r;
}

} // namespace

/// Mod (opset 10 and 13) of two constants, numpy broadcasting.
bool Importer::importMod(const onnx::NodeProto &node) {
  SmallVector<const Binding *, 2> inputs;
  std::vector<int64_t> shape;
  if (!broadcastInputs(node, 2, inputs, shape))
    return false;
  if (!inputs[0]->known || !inputs[1]->known)
    return fail(node, "Mod of run-time data is not supported (it is "
                      "evaluated at compile time: both inputs must be "
                      "constants)");
  const ConstTensor &a = *inputs[0]->known, &b = *inputs[1]->known;
  if (a.isFloat != b.isFloat)
    return fail(node, "A and B must have the same element type");
  bool fmod = getInt(node, "fmod", 0) != 0;
  if (a.isFloat && !fmod)
    return fail(node, "fmod = 0 on floating-point inputs (ONNX requires "
                      "fmod = 1 for them)");
  ConstTensor out;
  out.shape = shape;
  out.isFloat = a.isFloat;
  out.data.resize(out.numElements());
  for (int64_t i = 0; i < (int64_t)out.data.size(); ++i) {
    double x = a.data[broadcastIndex(a, shape, i)];
    double y = b.data[broadcastIndex(b, shape, i)];
    if (!a.isFloat && y == 0)
      return fail(node, "integer division by zero");
    out.data[i] = modOf(x, y, a.isFloat, fmod);
  }
  return bindConstant(node, std::move(out));
}

/// ScatterND (opset 11, 13, 16 and 18 with `reduction`) of constant data,
/// indices and updates.
bool Importer::importScatterND(const onnx::NodeProto &node) {
  const char *names[3] = {"data", "indices", "updates"};
  const ConstTensor *in[3];
  for (int i = 0; i < 3; ++i)
    if (!(in[i] = constantInput(node, i,
                                Twine(names[i]) + " (ScatterND is evaluated "
                                                  "at compile time)")))
      return false;
  const ConstTensor &data = *in[0], &indices = *in[1], &updates = *in[2];
  std::string reduction = getString(node, "reduction", "none");
  if (!llvm::is_contained({"none", "add", "mul", "max", "min"}, reduction))
    return fail(node, "reduction = \"" + reduction + "\" is not one of none, "
                                                     "add, mul, max, min");
  if (indices.isFloat)
    return fail(node, "indices must be integers");
  size_t r = data.shape.size(), q = indices.shape.size();
  int64_t k = q ? indices.shape.back() : -1;
  if (r < 1 || q < 1 || k < 1 || k > (int64_t)r)
    return fail(node, "indices must have rank >= 1 and a last dimension "
                      "between 1 and the rank of data");
  // updates: indices.shape[:-1] + data.shape[k:].
  std::vector<int64_t> want(indices.shape.begin(), indices.shape.end() - 1);
  want.insert(want.end(), data.shape.begin() + k, data.shape.end());
  if (updates.shape != want)
    return fail(node, "updates must have shape indices.shape[:-1] + "
                      "data.shape[k:]");
  int64_t slice = 1;
  for (size_t d = k; d < r; ++d)
    slice *= data.shape[d];
  ConstTensor out = data;
  out.dataType = 0;
  int64_t count = indices.numElements() / k;
  for (int64_t n = 0; n < count; ++n) {
    int64_t offset = 0;
    for (int64_t d = 0; d < k; ++d) {
      int64_t dim = data.shape[d], at = (int64_t)indices.data[n * k + d];
      if (at < -dim || at >= dim)
        return fail(node, "index " + Twine(at) + " is out of range for "
                          "dimension " + Twine(d) + " of size " + Twine(dim));
      offset = offset * dim + (at < 0 ? at + dim : at);
    }
    for (int64_t j = 0; j < slice; ++j) {
      double &dst = out.data[offset * slice + j];
      double src = updates.data[n * slice + j];
      if (reduction == "add")
        dst += src;
      else if (reduction == "mul")
        dst *= src;
      else if (reduction == "max")
        dst = std::max(dst, src);
      else if (reduction == "min")
        dst = std::min(dst, src);
      else
        dst = src;
    }
    if (out.isFloat)
      for (int64_t j = 0; j < slice; ++j)
        out.data[offset * slice + j] = (float)out.data[offset * slice + j];
  }
  return bindConstant(node, std::move(out));
}

} // namespace rebocc::onnxfe
