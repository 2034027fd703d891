//===- ImportIndexOps.cpp - ONNX ArgMax/Min, Hardmax, CumSum, Trilu, TopK ===//
//
// Operators that find or use positions along an axis, composed of the
// digital ops (no instruction of their own): ArgMax and ArgMin are the
// extreme (ReduceMax / ReduceMin), the positions equal to it (Equal) and
// the least or greatest of those positions (Where of a constant position
// ramp, then ReduceMin / ReduceMax); Hardmax compares the ramp with that
// index; CumSum adds slices in onnxruntime's order; Trilu selects with a
// constant mask; TopK selects k times. Indices are integer data carried as exact float32 values.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

#include <cmath>

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

/// The most slices CumSum adds one after the other (one add each).
constexpr int64_t kMaxCumSumLength = 4096;
/// The largest k of TopK (one round of selection, eight ops, each).
constexpr int64_t kMaxTopK = 1024;

/// The row-major position of each element within the block of dimensions
/// `axes` (contiguous, increasing) of `shape`, as a constant broadcasting
/// to `shape` (1 in the other dimensions).
static ConstTensor positionRamp(ArrayRef<int64_t> shape,
                                ArrayRef<int64_t> axes) {
  ConstTensor ramp;
  ramp.shape.assign(shape.size(), 1);
  int64_t count = 1;
  for (int64_t axis : axes) {
    ramp.shape[axis] = shape[axis];
    count *= shape[axis];
  }
  for (int64_t i = 0; i < count; ++i)
    ramp.data.push_back((double)i);
  return ramp;
}

/// Fails unless every dimension of `axes` is static (not the run-time
/// batch).
static bool staticAxes(ArrayRef<int64_t> shape, ArrayRef<int64_t> axes) {
  return llvm::none_of(axes, [&](int64_t axis) {
    return ShapedType::isDynamic(shape[axis]);
  });
}

/// 1 where the first element of `x` along `axes` (of the block kept as 1,
/// `keptType`) is a number, 0 where it is NaN: onnxruntime's scans start
/// from that element, so a NaN there decides the result.
static Value firstIsNumberAlong(OpBuilder &builder, Location loc, Value x,
                                ArrayRef<int64_t> axes, Type keptType) {
  SmallVector<int64_t> zeros(axes.size(), 0), ones(axes.size(), 1);
  Value first = SliceOp::create(builder, loc, keptType, x,
                                builder.getDenseI64ArrayAttr(axes),
                                builder.getDenseI64ArrayAttr(zeros),
                                builder.getDenseI64ArrayAttr(ones));
  return EqualOp::create(builder, loc, keptType, first, first);
}

/// The position (in the block `axes`, kept as 1) of the first (or, with
/// `last`, the last) maximum (or, with `!max`, minimum) of `x`; `ramp` is
/// set to the position constant.
///
/// NaN as onnxruntime 1.30 treats it (measured with onnxruntime-node on
/// rows with a NaN first, inside and last): its scan starts from the first
/// element and takes an element only when it compares greater (or equal,
/// for the last position), which NaN never does. So a NaN is skipped,
/// unless it is the first element, which then stays the answer: the
/// extreme is taken over the other elements (NaN replaced by -inf, or
/// +inf for the minimum), and a NaN first element gives position 0.
Value Importer::extremePosition(Value x, ArrayRef<int64_t> axes, bool max,
                                bool last, Location loc,
                                const std::string &name, Value &ramp) {
  ArrayRef<int64_t> shape = shapeOf(x);
  SmallVector<int64_t> kept(shape);
  int64_t count = 1;
  for (int64_t axis : axes) {
    kept[axis] = 1;
    count *= shape[axis];
  }
  auto keptType = tensorType(kept, builder);
  auto scalar = [&](double v, StringRef suffix) {
    return materialize(ConstTensor{{}, {v}}, loc, name + suffix.str());
  };
  Value number = EqualOp::create(builder, loc, x.getType(), x, x);
  Value clean = WhereOp::create(builder, loc, x.getType(), number, x,
                                scalar(max ? -INFINITY : INFINITY, "_nan"));
  Value extreme =
      max ? ReduceMaxOp::create(builder, loc, keptType, clean, axes).getResult()
          : ReduceMinOp::create(builder, loc, keptType, clean, axes)
                .getResult();
  Value hits = EqualOp::create(builder, loc, x.getType(), x, extreme);
  ramp = materialize(positionRamp(shape, axes), loc, name + "_positions");
  Value candidates = WhereOp::create(
      builder, loc, x.getType(), hits, ramp,
      scalar(last ? -1.0 : (double)count, "_no_position"));
  Value position =
      last ? ReduceMaxOp::create(builder, loc, keptType, candidates, axes)
                 .getResult()
           : ReduceMinOp::create(builder, loc, keptType, candidates, axes)
                 .getResult();
  Value firstIsNumber = firstIsNumberAlong(builder, loc, x, axes, keptType);
  return WhereOp::create(builder, loc, keptType, firstIsNumber, position,
                         scalar(0.0, "_zero"));
}

/// ArgMax and ArgMin along `axis` (default 0): keepdims, select_last_index
/// (opset 12). The INT64 result is exact float32 data.
bool Importer::importArgExtreme(const onnx::NodeProto &node) {
  Value x;
  if (!floatInput(node, 0, x))
    return false;
  ArrayRef<int64_t> shape = shapeOf(x);
  int64_t rank = shape.size(), axis = getInt(node, "axis", 0);
  if (!normalizeAxis(axis, rank))
    return fail(node, "axis " + Twine(getInt(node, "axis", 0)) +
                          " out of range for rank " + Twine(rank));
  if (!staticAxes(shape, {axis}))
    return fail(node, "finding the position along the run-time batch "
                      "dimension (axis " + Twine(axis) + " of " +
                          dimsToString(shape) +
                          ") needs the batch size: fix it with "
                          "--input-shape or --dim");
  bool last = opset >= 12 && getInt(node, "select_last_index", 0);
  Location loc = locFor(node);
  Value ramp;
  Value index = extremePosition(x, {axis}, node.op_type() == "ArgMax", last,
                                loc, node.output(0), ramp);
  if (getInt(node, "keepdims", 1))
    return bind(node, index);
  SmallVector<int64_t> dropped(shape);
  dropped.erase(dropped.begin() + axis);
  return bind(node, reshapeTo(index, dropped, loc));
}

/// Hardmax: 1 at the first maximum, 0 elsewhere; along `axis` (default
/// -1) from opset 13, before it over the flattened dimensions from `axis`
/// (default 1) on. NaN as onnxruntime's running maximum (a NaN first
/// element gives zeros, any other NaN is skipped); its SIMD maximum over
/// rows of four or more elements pairs them differently (not followed).
bool Importer::importHardmax(const onnx::NodeProto &node) {
  Value x;
  if (!floatInput(node, 0, x))
    return false;
  ArrayRef<int64_t> shape = shapeOf(x);
  int64_t rank = shape.size();
  int64_t axis = getInt(node, "axis", opset >= 13 ? -1 : 1);
  if (!normalizeAxis(axis, rank))
    return fail(node, "axis " + Twine(getInt(node, "axis", 0)) +
                          " out of range for rank " + Twine(rank));
  SmallVector<int64_t> axes{axis};
  if (opset < 13)
    for (int64_t d = axis + 1; d < rank; ++d)
      axes.push_back(d);
  if (!staticAxes(shape, axes))
    return fail(node, "Hardmax over the run-time batch dimension needs the "
                      "batch size: fix it with --input-shape or --dim");
  Location loc = locFor(node);
  Value ramp;
  Value index = extremePosition(x, axes, /*max=*/true, /*last=*/false, loc,
                                node.output(0), ramp);
  Value hot = EqualOp::create(builder, loc, x.getType(), ramp, index);
  // onnxruntime's row maximum starts from the first element and keeps it
  // over a NaN, so a NaN first element is the maximum, which no element
  // equals: the row is all zeros (measured; docs/SupportedOps.md).
  SmallVector<int64_t> kept(shapeOf(x));
  for (int64_t a : axes)
    kept[a] = 1;
  auto keptType = tensorType(kept, builder);
  Value firstIsNumber = firstIsNumberAlong(builder, loc, x, axes, keptType);
  return bind(node,
              AndOp::create(builder, loc, x.getType(), hot, firstIsNumber));
}

/// CumSum along a constant axis (input 1): each output the previous one
/// plus the next input, one slice at a time as onnxruntime adds them;
/// exclusive starts from 0, reverse runs from the end.
bool Importer::importCumSum(const onnx::NodeProto &node) {
  Value x;
  std::vector<int64_t> axisValues;
  if (!floatInput(node, 0, x) || !intsInput(node, 1, "axis", axisValues))
    return false;
  ArrayRef<int64_t> shape = shapeOf(x);
  int64_t rank = shape.size();
  if (axisValues.size() != 1)
    return fail(node, "axis must hold one integer, has " +
                          Twine(axisValues.size()));
  int64_t axis = axisValues[0];
  if (!normalizeAxis(axis, rank))
    return fail(node, "axis " + Twine(axisValues[0]) +
                          " out of range for rank " + Twine(rank));
  if (!staticAxes(shape, {axis}))
    return fail(node, "CumSum along the run-time batch dimension needs the "
                      "batch size: fix it with --input-shape or --dim");
  int64_t n = shape[axis];
  if (n > kMaxCumSumLength)
    return fail(node, "CumSum along a dimension of " + Twine(n) +
                          " (at most " + Twine(kMaxCumSumLength) +
                          " elements, one add each)");
  bool exclusive = getInt(node, "exclusive", 0);
  bool reverse = getInt(node, "reverse", 0);
  Location loc = locFor(node);
  SmallVector<int64_t> one(shape);
  one[axis] = 1;
  auto sliceType = tensorType(one, builder);
  auto at = [&](int64_t i) -> Value {
    return SliceOp::create(builder, loc, sliceType, x,
                           builder.getDenseI64ArrayAttr({axis}),
                           builder.getDenseI64ArrayAttr({i}),
                           builder.getDenseI64ArrayAttr({i + 1}));
  };
  Value zero = materialize(ConstTensor{{}, {0.0}}, loc,
                           node.output(0) + "_zero");
  SmallVector<Value> outputs(n);
  Value sum;
  for (int64_t k = 0; k < n; ++k) {
    int64_t i = reverse ? n - 1 - k : k;
    Value next = at(i);
    if (exclusive)
      // The first is 0 in a slice's shape (a Where selecting none of x,
      // which stays 0 where x is not finite).
      outputs[i] = sum ? sum
                       : WhereOp::create(builder, loc, sliceType, zero, next,
                                         zero)
                             .getResult();
    sum = sum ? AddOp::create(builder, loc, sliceType, sum, next).getResult()
              : next;
    if (!exclusive)
      outputs[i] = sum;
  }
  if (n == 1)
    return bind(node, outputs[0]);
  return bind(node, ConcatOp::create(builder, loc, x.getType(), outputs,
                                     (uint64_t)axis));
}

/// Trilu: the upper (upper = 1, the default) or lower triangle of the last
/// two dimensions from diagonal k (input 1, a constant, default 0), zeros
/// elsewhere: a Where of a constant mask.
bool Importer::importTrilu(const onnx::NodeProto &node) {
  Value x;
  if (!floatInput(node, 0, x))
    return false;
  std::vector<int64_t> kValues;
  if (hasInput(node, 1) && !intsInput(node, 1, "k", kValues))
    return false;
  if (kValues.size() > 1)
    return fail(node, "k must hold one integer, has " + Twine(kValues.size()));
  int64_t k = kValues.empty() ? 0 : kValues[0];
  ArrayRef<int64_t> shape = shapeOf(x);
  int64_t rank = shape.size();
  if (rank < 2)
    return fail(node, "the input must have rank 2 or more, has " +
                          Twine(rank));
  int64_t rows = shape[rank - 2], cols = shape[rank - 1];
  if (!staticAxes(shape, {rank - 2, rank - 1}))
    return fail(node, "Trilu over the run-time batch dimension needs the "
                      "batch size: fix it with --input-shape or --dim");
  bool upper = getInt(node, "upper", 1);
  ConstTensor mask;
  mask.shape = {rows, cols};
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      mask.data.push_back((upper ? j - i >= k : j - i <= k) ? 1.0 : 0.0);
  Location loc = locFor(node);
  Value zero = materialize(ConstTensor{{}, {0.0}}, loc, node.output(0) + "_zero");
  return bind(node,
              WhereOp::create(builder, loc, x.getType(),
                              materialize(mask, loc, node.output(0) + "_mask"),
                              x, zero));
}

/// TopK with a constant k (input 1 from opset 10, attribute k before):
/// k rounds of selection along `axis`, each taking the extreme of the
/// elements not yet taken and its first position, so equal values come
/// in increasing position, as onnxruntime orders them. largest (opset 11);
/// sorted = 0 leaves the order to the implementation: this one is sorted.
/// Values and INT64 Indices are concatenated along the axis.
///
/// NaN: each round is onnxruntime's k = 1 scan (ArgMax's rule, measured
/// with onnxruntime-node; docs/SupportedOps.md) over the elements not yet
/// taken: it starts at the first of them and moves only to an element that
/// compares greater (less), so a NaN is taken only when it is the first
/// element left. For k > 1 onnxruntime's own order with NaN is its heap's
/// or sort's artifact (no rule); this one keeps every index in range, each
/// once, with the value at it.
bool Importer::importTopK(const onnx::NodeProto &node) {
  Value x;
  if (!floatInput(node, 0, x))
    return false;
  int64_t k = 0;
  if (opset < 10) {
    if (!findAttr(node, "k"))
      return fail(node, "attribute 'k' is required");
    k = getInt(node, "k", 0);
  } else {
    std::vector<int64_t> kValues;
    if (!intsInput(node, 1, "K", kValues))
      return false;
    if (kValues.size() != 1)
      return fail(node, "K must hold one integer, has " +
                            Twine(kValues.size()));
    k = kValues[0];
  }
  ArrayRef<int64_t> shape = shapeOf(x);
  int64_t rank = shape.size(), axis = getInt(node, "axis", -1);
  if (!normalizeAxis(axis, rank))
    return fail(node, "axis " + Twine(getInt(node, "axis", -1)) +
                          " out of range for rank " + Twine(rank));
  if (!staticAxes(shape, {axis}))
    return fail(node, "TopK along the run-time batch dimension needs the "
                      "batch size: fix it with --input-shape or --dim");
  if (k < 1 || k > shape[axis])
    return fail(node, "k " + Twine(k) + " must be in [1, " +
                          Twine(shape[axis]) + "] (the axis length)");
  if (k > kMaxTopK)
    return fail(node, "k " + Twine(k) + " is more than " + Twine(kMaxTopK) +
                          " (one round of selection each)");
  bool largest = opset < 11 || getInt(node, "largest", 1);
  Location loc = locFor(node);
  std::string name = node.output(0).empty() ? node.output(1) : node.output(0);
  int64_t n = shape[axis];
  SmallVector<int64_t> one(shape);
  one[axis] = 1;
  auto oneType = tensorType(one, builder);
  Type xType = x.getType();
  auto scalar = [&](double v, StringRef suffix) {
    return materialize(ConstTensor{{}, {v}}, loc, name + suffix.str());
  };
  auto reduce = [&](Value v, bool max) -> Value {
    if (max)
      return ReduceMaxOp::create(builder, loc, oneType, v,
                                 ArrayRef<int64_t>{axis});
    return ReduceMinOp::create(builder, loc, oneType, v,
                               ArrayRef<int64_t>{axis});
  };
  Value ramp = materialize(positionRamp(shape, {axis}), loc,
                           name + "_positions");
  Value excluded = scalar(largest ? -INFINITY : INFINITY, "_taken");
  Value none = scalar((double)n, "_no_position");
  Value nan = scalar(NAN, "_nan");
  // NaN compares neither greater nor less: it takes part as `excluded`,
  // and only the first element left can be a NaN answer.
  Value isNumber = EqualOp::create(builder, loc, xType, x, x);
  Value isNaN = NotOp::create(builder, loc, isNumber);
  Value numbers = WhereOp::create(builder, loc, xType, isNumber, x, excluded);
  Value taken; // 1 where an element was already selected
  SmallVector<Value> values, indices;
  for (int64_t round = 0; round < k; ++round) {
    Value left = taken ? NotOp::create(builder, loc, taken).getResult()
                       : Value();
    Value candidates =
        taken ? WhereOp::create(builder, loc, xType, taken, excluded, numbers)
                    .getResult()
              : numbers;
    Value extreme = reduce(candidates, largest);
    Value hits = EqualOp::create(builder, loc, xType, x, extreme);
    if (taken)
      hits = AndOp::create(builder, loc, xType, hits, left);
    Value index = reduce(
        WhereOp::create(builder, loc, xType, hits, ramp, none), false);
    // The first element left, and whether it is a NaN (then the answer).
    Value first, firstIsNaN;
    if (taken) {
      first = reduce(WhereOp::create(builder, loc, xType, left, ramp, none),
                     false);
      Value atFirst = EqualOp::create(builder, loc, xType, ramp, first);
      firstIsNaN =
          reduce(AndOp::create(builder, loc, xType, atFirst, isNaN), true);
    } else {
      first = scalar(0.0, "_first");
      firstIsNaN = SliceOp::create(builder, loc, oneType, isNaN,
                                   builder.getDenseI64ArrayAttr({axis}),
                                   builder.getDenseI64ArrayAttr({0}),
                                   builder.getDenseI64ArrayAttr({1}));
    }
    index = WhereOp::create(builder, loc, oneType, firstIsNaN, first, index);
    values.push_back(
        WhereOp::create(builder, loc, oneType, firstIsNaN, nan, extreme));
    indices.push_back(index);
    if (round + 1 == k)
      break;
    Value picked = EqualOp::create(builder, loc, xType, ramp, index);
    taken = taken ? OrOp::create(builder, loc, xType, taken, picked)
                        .getResult()
                  : picked;
  }
  SmallVector<int64_t> result(shape);
  result[axis] = k;
  auto join = [&](ArrayRef<Value> parts) -> Value {
    if (parts.size() == 1)
      return parts[0];
    return ConcatOp::create(builder, loc, tensorType(result, builder), parts,
                            (uint64_t)axis);
  };
  return bindOutput(node, 0, join(values)) &&
         bindOutput(node, 1, join(indices));
}

} // namespace rebocc::onnxfe
