//===- ImportShapeOps.cpp - ONNX Expand, Tile, Split, Size, Range ---------===//
//
// Expand and Tile of run-time data are concatenations of copies (a size-1
// dimension expanded to n is n copies of it along that axis; a dimension
// tiled r times is r copies), so they run as the concat instruction; Split
// is one slice per output. On constants all three fold. Size and Range are
// compile-time constants: Size of a static shape, Range of constant inputs
// (its length depends on their values, so a run-time Range cannot have a
// static shape).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

#include <cmath>

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

namespace {

/// The constant of `shape` whose element at each multi-index is `in`'s at
/// the index `source(d, coordinate, in.shape[d])` maps it to, dimension by
/// dimension, `in`'s dimensions aligned to the right of `shape`.
template <typename Fn>
ConstTensor remapConstant(const ConstTensor &in,
                          const std::vector<int64_t> &shape, Fn source) {
  ConstTensor out;
  out.shape = shape;
  out.isFloat = in.isFloat;
  out.data.resize(out.numElements());
  size_t rank = shape.size(), lead = rank - in.shape.size();
  for (int64_t flat = 0; flat < (int64_t)out.data.size(); ++flat) {
    int64_t index = 0, stride = 1, rest = flat;
    for (size_t d = rank; d-- > lead;) {
      int64_t coord = rest % shape[d];
      rest /= shape[d];
      int64_t dim = in.shape[d - lead];
      index += source(d - lead, coord, dim) * stride;
      stride *= dim;
    }
    out.data[flat] = in.data[index];
  }
  return out;
}

} // namespace

/// `x` repeated `copies` times along `axis` (a concat of copies).
Value Importer::repeatAlong(Value x, int64_t axis, int64_t copies,
                            Location loc) {
  if (copies == 1)
    return x;
  SmallVector<int64_t> shape(shapeOf(x));
  shape[axis] *= copies;
  SmallVector<Value> operands(copies, x);
  return ConcatOp::create(builder, loc, tensorType(shape, builder), operands,
                          (uint64_t)axis);
}

/// Expand (opset 8): numpy broadcasting of the input and the constant
/// shape, so the result may be larger than the shape asks for.
bool Importer::importExpand(const onnx::NodeProto &node) {
  const Binding *input = lookup(node, 0);
  std::vector<int64_t> target;
  if (!input || !intsInput(node, 1, "the shape", target))
    return false;
  std::vector<int64_t> in = shapeOfInput(*input);
  for (int64_t dim : target)
    if (dim < 0)
      return fail(node, "shape dimension " + Twine(dim) + " is negative");
  std::optional<std::vector<int64_t>> shape =
      support::broadcastShapes(in, target);
  if (!shape)
    return fail(node, "the input " + dimsToString(in) +
                          " does not broadcast to the shape " +
                          dimsToString(target));
  if (!checkShape(node, *shape, "the result shape", sizeof(double)))
    return false;
  if (input->known)
    return bindConstant(node, remapConstant(*input->known, *shape,
                                            [](size_t, int64_t coord,
                                               int64_t dim) {
                                              return dim == 1 ? 0 : coord;
                                            }));
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  Location loc = locFor(node);
  size_t lead = shape->size() - in.size();
  if (lead) {
    // Leading dimensions of 1 first (the batch moves back with its dim).
    SmallVector<int64_t> padded(lead, 1);
    padded.append(in.begin(), in.end());
    x = reshapeTo(x, padded, loc);
  }
  for (size_t d = 0; d < shape->size(); ++d)
    if (shapeOf(x)[d] == 1 && (*shape)[d] != 1)
      x = repeatAlong(x, d, (*shape)[d], loc);
  return bind(node, x);
}

/// Tile (opset 6 on; repeats a constant input): each dimension repeated.
bool Importer::importTile(const onnx::NodeProto &node) {
  const Binding *input = lookup(node, 0);
  std::vector<int64_t> repeats;
  if (!input || !intsInput(node, 1, "repeats", repeats))
    return false;
  std::vector<int64_t> in = shapeOfInput(*input);
  if (repeats.size() != in.size())
    return fail(node, "repeats has " + Twine(repeats.size()) +
                          " entries for an input of rank " + Twine(in.size()));
  std::vector<int64_t> shape = in;
  for (size_t d = 0; d < in.size(); ++d) {
    if (repeats[d] < 1)
      return fail(node, "repeats must be positive, has " + Twine(repeats[d]));
    if (ShapedType::isDynamic(in[d])) {
      if (repeats[d] != 1)
        return fail(node, "tiling the run-time batch dimension (axis " +
                              Twine(d) + " of " + dimsToString(in) +
                              ") needs the batch size: fix it with "
                              "--input-shape or --dim");
      continue;
    }
    if (repeats[d] > kMaxWindow || in[d] > INT64_MAX / repeats[d])
      return fail(node, "repeats " + Twine(repeats[d]) + " is too large");
    shape[d] = in[d] * repeats[d];
  }
  if (!checkShape(node, shape, "the result shape", sizeof(double)))
    return false;
  if (input->known)
    return bindConstant(node, remapConstant(*input->known, shape,
                                            [](size_t, int64_t coord,
                                               int64_t dim) {
                                              return coord % dim;
                                            }));
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  Location loc = locFor(node);
  for (size_t d = 0; d < in.size(); ++d)
    x = repeatAlong(x, d, repeats[d], loc);
  return bind(node, x);
}

/// The sizes Split cuts a dimension of `dim` into: the split attribute
/// (opset < 13) or input (13 on), else num_outputs parts (18 on; the last
/// one smaller), else equal parts, one per output.
bool Importer::splitSizes(const onnx::NodeProto &node, int64_t dim,
                          std::vector<int64_t> &sizes) {
  int64_t outputs = node.output_size();
  if (opset < 13) {
    sizes = getInts(node, "split").value_or(std::vector<int64_t>{});
  } else if (hasInput(node, 1)) {
    if (!intsInput(node, 1, "split", sizes))
      return false;
  } else if (opset >= 18) {
    int64_t parts = getInt(node, "num_outputs", 0);
    if (parts != outputs)
      return fail(node, "num_outputs (" + Twine(parts) +
                            ") must be given and equal the number of "
                            "outputs (" + Twine(outputs) + ")");
    int64_t chunk = (dim + parts - 1) / parts;
    for (int64_t begin = 0; begin < dim; begin += chunk)
      sizes.push_back(std::min(chunk, dim - begin));
  }
  if (sizes.empty()) {
    if (outputs < 1 || dim % outputs)
      return fail(node, "dimension " + Twine(dim) + " does not split into " +
                            Twine(outputs) + " equal parts");
    sizes.assign(outputs, dim / outputs);
  }
  int64_t total = 0;
  for (int64_t size : sizes) {
    if (size < 1 || size > dim)
      return fail(node, "split sizes must be positive (empty tensors are "
                        "not supported) and fit the dimension");
    total += size;
  }
  if ((int64_t)sizes.size() != outputs || total != dim)
    return fail(node, "split sizes must be one per output (" + Twine(outputs) +
                          ") and add up to the dimension " + Twine(dim));
  return true;
}

/// Split: consecutive pieces of one axis, one per output; slices of
/// run-time data, folded on constants.
bool Importer::importSplit(const onnx::NodeProto &node) {
  const Binding *input = lookup(node, 0);
  if (!input)
    return false;
  std::vector<int64_t> in = shapeOfInput(*input);
  int64_t axis = getInt(node, "axis", 0);
  if (!normalizeAxis(axis, in.size()))
    return fail(node, "axis " + Twine(axis) + " out of range");
  if (ShapedType::isDynamic(in[axis]))
    return fail(node, "splitting the run-time batch dimension (axis " +
                          Twine(axis) + " of " + dimsToString(in) +
                          ") needs the batch size: fix it with --input-shape "
                          "or --dim");
  std::vector<int64_t> sizes;
  if (!splitSizes(node, in[axis], sizes))
    return false;
  Value x;
  if (!input->known && !runtimeInput(node, 0, x))
    return false;
  Location loc = locFor(node);
  int64_t start = 0;
  for (size_t i = 0; i < sizes.size(); start += sizes[i++]) {
    std::vector<int64_t> shape = in;
    shape[axis] = sizes[i];
    if (!input->known) {
      int64_t end = start + sizes[i];
      Value piece = SliceOp::create(builder, loc, tensorType(shape, builder),
                                    x, {axis}, {start}, {end});
      if (!bindOutput(node, i, piece))
        return false;
      continue;
    }
    ConstTensor piece = remapConstant(
        *input->known, shape, [&](size_t d, int64_t coord, int64_t) {
          return (int64_t)d == axis ? coord + start : coord;
        });
    if (!node.output(i).empty())
      env[node.output(i)] = Binding{Value(), std::move(piece)};
  }
  return true;
}

/// Size: the element count of a static shape, an int64 scalar.
bool Importer::importSize(const onnx::NodeProto &node) {
  const Binding *input = lookup(node, 0);
  if (!input)
    return false;
  std::vector<int64_t> shape = shapeOfInput(*input);
  int64_t count = product(shape);
  if (ShapedType::isDynamic(count) ||
      (input->known && input->known->hasBatchSentinel()))
    return fail(node, dependsOnBatch("the size"));
  return bindConstant(node, ConstTensor{{}, {(double)count}, false});
}

/// Range (opset 11) of constant start, limit and delta scalars.
bool Importer::importRange(const onnx::NodeProto &node) {
  const ConstTensor *args[3];
  const char *names[3] = {"start", "limit", "delta"};
  for (int i = 0; i < 3; ++i) {
    args[i] = constantInput(node, i, Twine(names[i]) +
                                         " (a run-time Range has no static "
                                         "length)");
    if (!args[i])
      return false;
    if (args[i]->numElements() != 1)
      return fail(node, Twine(names[i]) + " must be a scalar");
  }
  bool isFloat = args[0]->isFloat;
  // Float32 arithmetic for float ranges, as the ONNX reference computes.
  auto round = [&](double v) { return isFloat ? (double)(float)v : v; };
  double start = round(args[0]->data[0]), limit = round(args[1]->data[0]),
         delta = round(args[2]->data[0]);
  if (delta == 0 || !std::isfinite(start) || !std::isfinite(limit) ||
      !std::isfinite(delta))
    return fail(node, "delta must be non-zero and the inputs finite");
  double count = std::max(std::ceil((limit - start) / delta), 0.0);
  ConstTensor out;
  out.isFloat = isFloat;
  out.shape = {(int64_t)std::min(count, 9e18)};
  if (!checkShape(node, out.shape, "the result shape", sizeof(double)))
    return false;
  out.data.resize(out.shape[0]);
  // start + i * delta, as the ONNX definition states it.
  for (int64_t i = 0; i < out.shape[0]; ++i)
    out.data[i] = round(start + round(i * delta));
  return bindConstant(node, std::move(out));
}

} // namespace rebocc::onnxfe
