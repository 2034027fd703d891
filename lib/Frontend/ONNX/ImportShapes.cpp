//===- ImportShapes.cpp - ONNX shape computations and data movement -------===//
//
// Reshape targets must be known at compile time, so the shape arithmetic
// exporters emit (Shape -> Gather -> Unsqueeze -> Concat -> Reshape, as
// torch writes x.view(x.size(0), -1)) is evaluated here on constants. The
// run-time batch size travels through it as batchDim(c) (Importer.h). On
// run-time data these operators become circulant.reshape, concat, pad and
// transpose. The run-time batch is one dynamic dimension that may sit at
// any position (a Transpose moves it, a Reshape merges it with static dims);
// an operator that would need its size (a Gather or Concat along it) is
// rejected unless the batch is fixed (docs/SupportedOps.md, "The batch").
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"
#include "rebocc/Support/CastTypes.h"
#include "rebocc/Support/HalfFloat.h"

#include "llvm/Support/CheckedArithmetic.h"

#include <array>
#include <cmath>
#include <cstdio>

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

Value Importer::reshapeTo(Value input, ArrayRef<int64_t> shape, Location loc) {
  return ReshapeOp::create(builder, loc, tensorType(shape, builder), input);
}

bool Importer::checkOneBatchDim(const onnx::NodeProto &node,
                                ArrayRef<int64_t> shape, const Twine &what) {
  if (llvm::count_if(shape, ShapedType::isDynamic) > 1)
    return fail(node, what + " " + dimsToString(shape) +
                          " has more than one run-time dimension; only the "
                          "batch may be dynamic (fix it with --input-shape)");
  return true;
}

int64_t Importer::batchMultipleOf(Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.hasStaticShape())
    return 0;
  if (auto found = batchMultiples.find(value); found != batchMultiples.end())
    return found->second;
  // Reshapes keep the element count: c * static(out) = c' * static(in).
  // Any other operator keeps the dynamic dim of its first dynamic operand
  // (those that would change it, a Concat or Tile along it, are rejected).
  int64_t multiple = 1;
  Operation *op = value.getDefiningOp();
  if (auto branches = dyn_cast_or_null<IfOp>(op)) {
    // A run-time If yields one shape from both branches: the then branch's.
    Block &then = branches.getThenRegion().front();
    multiple = std::max<int64_t>(
        1, batchMultipleOf(then.getTerminator()->getOperand(
               cast<OpResult>(value).getResultNumber())));
  } else if (op) {
    for (Value operand : op->getOperands()) {
      int64_t in = batchMultipleOf(operand);
      if (!in)
        continue;
      multiple = in;
      if (isa<ReshapeOp, FlattenOp>(op)) {
        auto staticCount = [](ArrayRef<int64_t> dims) {
          int64_t count = 1;
          for (int64_t dim : dims)
            count *= ShapedType::isDynamic(dim) ? 1 : dim;
          return count;
        };
        int64_t inCount = in * staticCount(shapeOf(operand));
        int64_t outCount = staticCount(type.getShape());
        multiple = outCount && inCount % outCount == 0 ? inCount / outCount
                                                       : 1;
      }
      break;
    }
  }
  batchMultiples[value] = multiple;
  return multiple;
}

/// Row-major strides of `shape`.
static std::vector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;)
    strides[d - 1] = strides[d] * shape[d];
  return strides;
}

/// Builds a constant of `shape` whose element at each multi-index is read
/// from `source` at the flat index `map` returns for it.
template <typename MapFn>
static ConstTensor gatherElements(const ConstTensor &source,
                                  std::vector<int64_t> shape, MapFn map) {
  ConstTensor out;
  out.isFloat = source.isFloat;
  out.shape = std::move(shape);
  int64_t count = out.numElements();
  out.data.resize(count);
  std::vector<int64_t> index(out.shape.size(), 0);
  for (int64_t flat = 0; flat < count; ++flat) {
    out.data[flat] = source.data[map(index)];
    for (size_t d = index.size(); d-- > 0;) {
      if (++index[d] < out.shape[d])
        break;
      index[d] = 0;
    }
  }
  return out;
}

//===----------------------------------------------------------------------===//
// Shape tensors: Shape, Gather, Unsqueeze, Squeeze, Slice, Cast
//===----------------------------------------------------------------------===//

/// The dims of the input as an int64 constant, the batch as batchDim(c);
/// start/end (opset 15) select a range, clamped like Python slices.
bool Importer::importShape(const onnx::NodeProto &node) {
  const Binding *input = lookup(node, 0);
  if (!input)
    return false;
  std::vector<int64_t> shape = shapeOfInput(*input);
  int64_t rank = shape.size();
  // batchMultipleOf knows one multiple per value: a MatMul across the batch
  // (batch x batch scores) has two dynamic dims.
  if (!checkOneBatchDim(node, shape, "the data"))
    return false;
  auto clampIndex = [&](int64_t i) {
    return std::clamp<int64_t>(i < 0 ? i + rank : i, 0, rank);
  };
  int64_t start = clampIndex(getInt(node, "start", 0));
  int64_t end = clampIndex(getInt(node, "end", rank));
  ConstTensor out;
  out.isFloat = false;
  out.shape = {std::max<int64_t>(0, end - start)};
  for (int64_t d = start; d < end; ++d)
    out.data.push_back(ShapedType::isDynamic(shape[d])
                           ? batchDim(batchMultipleOf(input->value))
                           : (double)shape[d]);
  return bindConstant(node, std::move(out));
}

/// Gather on constants (typically one dimension out of a shape).
/// Gather of run-time data by constant indices: one slice of width 1 per
/// index along `axis`, concatenated, then viewed in the result's shape. Each
/// index is one instruction, so their count is bounded.
bool Importer::importRuntimeGather(const onnx::NodeProto &node, Value x) {
  const ConstTensor *indices = constantInput(node, 1, "the indices");
  if (!indices || !integerIndices(node, *lookup(node, 1)))
    return false;
  std::vector<int64_t> in = shapeOf(x);
  int64_t rank = in.size();
  int64_t axis = getInt(node, "axis", 0);
  if (!normalizeAxis(axis, rank))
    return fail(node, "axis " + Twine(axis) + " out of range");
  if (ShapedType::isDynamic(in[axis]))
    return fail(node, "Gather along the run-time batch dimension (axis " +
                          Twine(axis) + " of " + dimsToString(in) +
                          ") needs the batch size: fix it with --input-shape "
                          "or --dim");
  // More indices than slices worth one instruction each: one gather
  // instruction reading them as a constant.
  const size_t kMaxIndices = 4096;
  if (indices->data.size() > kMaxIndices)
    return importGatherOp(node, support::GatherKind::Axis);
  if (indices->data.empty())
    return fail(node, "Gather of run-time data by no indices (an empty "
                      "result) is not supported");
  Location loc = locFor(node);
  std::vector<int64_t> piece = in;
  piece[axis] = 1;
  SmallVector<Value> pieces;
  for (double value : indices->data) {
    int64_t index = toInt(value), dim = in[axis];
    if (index < -dim || index >= dim)
      return fail(node, "index " + Twine(index) + " out of range");
    index = index < 0 ? index + dim : index;
    pieces.push_back(SliceOp::create(builder, loc,
                                     tensorType(piece, builder), x, {axis},
                                     {index}, {index + 1}));
  }
  std::vector<int64_t> joined = in;
  joined[axis] = pieces.size();
  Value all = pieces.size() == 1
                  ? pieces[0]
                  : ConcatOp::create(builder, loc, tensorType(joined, builder),
                                     pieces, (uint64_t)axis);
  // Result: data[:axis] + indices.shape + data[axis+1:].
  std::vector<int64_t> shape(in.begin(), in.begin() + axis);
  shape.insert(shape.end(), indices->shape.begin(), indices->shape.end());
  shape.insert(shape.end(), in.begin() + axis + 1, in.end());
  return bind(node, reshapeTo(all, shape, loc));
}

bool Importer::importGather(const onnx::NodeProto &node) {
  // Indices known only at run time: one gather instruction (ImportGather.cpp).
  if (const Binding *indices = lookup(node, 1); indices && indices->value)
    return importGatherOp(node, support::GatherKind::Axis);
  if (const Binding *input = lookup(node, 0); input && input->value)
    return importRuntimeGather(node, input->value);
  const ConstTensor *data = constantInput(
      node, 0, "the data",
      /*allowBatch=*/true);
  const ConstTensor *indices = data ? constantInput(node, 1, "the indices")
                                    : nullptr;
  if (!indices || !integerIndices(node, *lookup(node, 1)))
    return false;
  int64_t rank = data->shape.size();
  int64_t axis = getInt(node, "axis", 0);
  if (!normalizeAxis(axis, rank))
    return fail(node, "axis " + Twine(axis) + " out of range");
  int64_t dim = data->shape[axis];
  std::vector<int64_t> picks;
  for (double value : indices->data) {
    int64_t index = toInt(value);
    if (index < -dim || index >= dim)
      return fail(node, "index " + Twine(index) + " out of range");
    picks.push_back(index < 0 ? index + dim : index);
  }
  // Output shape: data[:axis] + indices.shape + data[axis+1:].
  std::vector<int64_t> shape(data->shape.begin(), data->shape.begin() + axis);
  shape.insert(shape.end(), indices->shape.begin(), indices->shape.end());
  shape.insert(shape.end(), data->shape.begin() + axis + 1, data->shape.end());
  if (!checkShape(node, shape, "the result shape", sizeof(double)))
    return false;
  std::vector<int64_t> strides = stridesOf(data->shape);
  int64_t indexRank = indices->shape.size();
  std::vector<int64_t> indexStrides = stridesOf(indices->shape);
  return bindConstant(
      node, gatherElements(*data, shape, [&](ArrayRef<int64_t> at) {
        int64_t pick = 0;
        for (int64_t d = 0; d < indexRank; ++d)
          pick += at[axis + d] * indexStrides[d];
        int64_t flat = picks[pick] * strides[axis];
        for (int64_t d = 0; d < axis; ++d)
          flat += at[d] * strides[d];
        for (int64_t d = axis + 1; d < rank; ++d)
          flat += at[d + indexRank - 1] * strides[d];
        return flat;
      }));
}

/// Unsqueeze inserts and Squeeze removes size-1 dimensions; axes are an
/// attribute before opset 13 and an input from it on. Squeeze without
/// axes drops every (static) 1.
bool Importer::importUnsqueezeSqueeze(const onnx::NodeProto &node) {
  bool unsqueeze = node.op_type() == "Unsqueeze";
  const Binding *input = lookup(node, 0);
  if (!input)
    return false;
  std::optional<std::vector<int64_t>> axes;
  if (opset < 13) {
    axes = getInts(node, "axes");
  } else if (hasInput(node, 1)) {
    axes.emplace();
    if (!intsInput(node, 1, "axes", *axes))
      return false;
  }
  if (unsqueeze && !axes)
    return fail(node, "axes are required");
  std::vector<int64_t> in = shapeOfInput(*input);
  int64_t outRank = in.size() + (unsqueeze ? axes->size() : 0);
  std::vector<bool> marked(unsqueeze ? outRank : in.size(), false);
  for (int64_t axis : axes.value_or(std::vector<int64_t>{})) {
    if (!normalizeAxis(axis, marked.size()) || marked[axis])
      return fail(node, "axis " + Twine(axis) + " is out of range or repeated");
    marked[axis] = true;
  }
  std::vector<int64_t> shape;
  for (size_t d = 0, next = 0; d < marked.size(); ++d) {
    if (unsqueeze) {
      shape.push_back(marked[d] ? 1 : in[next++]);
      continue;
    }
    bool drop = axes ? marked[d] : in[d] == 1;
    if (drop && in[d] != 1)
      return fail(node, "cannot squeeze dimension " + Twine(d) +
                            ", which is not 1");
    if (!drop)
      shape.push_back(in[d]);
  }
  if (input->known) {
    ConstTensor folded = *input->known;
    folded.shape = shape;
    return bindConstant(node, std::move(folded));
  }
  if (!checkOneBatchDim(node, shape, "the new shape"))
    return false;
  if (ArrayRef<int64_t>(shape) == shapeOf(input->value))
    return bind(node, input->value);
  return bind(node, reshapeTo(input->value, shape, locFor(node)));
}

/// Python-style bounds of one sliced axis: first index, step and count.
static bool sliceAxis(int64_t dim, int64_t start, int64_t end, int64_t &step,
                      int64_t &first, int64_t &count) {
  if (step == 0)
    return false;
  start = start < 0 ? start + dim : start;
  end = end < 0 ? end + dim : end;
  // A step longer than the axis takes at most one element; clamping it
  // keeps the arithmetic below from overflowing.
  step = std::clamp<int64_t>(step, -(dim + 1), dim + 1);
  if (step > 0) {
    first = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
    count = end > first ? (end - first - 1) / step + 1 : 0;
  } else {
    first = std::clamp<int64_t>(start, 0, dim - 1);
    end = std::clamp<int64_t>(end, -1, dim - 1);
    count = first > end ? (first - end - 1) / -step + 1 : 0;
  }
  return true;
}

/// Slice: starts/ends/axes are attributes before opset 10 and inputs (with
/// steps) from it on. Constants (typically shapes) fold with any step;
/// run-time data becomes one slice instruction (the batch whole), and the
/// axes with another step a pick of their indices (pickAlong).
bool Importer::importSlice(const onnx::NodeProto &node) {
  const Binding *input = lookup(node, 0);
  if (!input)
    return false;
  std::vector<int64_t> in = shapeOfInput(*input);
  int64_t rank = in.size();
  std::vector<int64_t> starts, ends, axes, steps;
  if (opset < 10) {
    starts = getInts(node, "starts").value_or(std::vector<int64_t>{});
    ends = getInts(node, "ends").value_or(std::vector<int64_t>{});
    axes = getInts(node, "axes").value_or(std::vector<int64_t>{});
  } else if (!intsInput(node, 1, "starts", starts) ||
             !intsInput(node, 2, "ends", ends) ||
             (hasInput(node, 3) && !intsInput(node, 3, "axes", axes)) ||
             (hasInput(node, 4) && !intsInput(node, 4, "steps", steps))) {
    return false;
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return fail(node, "starts, ends, axes and steps differ in length");
  if (input->value)
    return importRuntimeSlice(node, input->value, in, starts, ends, axes,
                              steps);
  const ConstTensor *data = constantInput(node, 0, "the data",
                                          /*allowBatch=*/true);
  if (!data)
    return false;
  std::vector<int64_t> first(rank, 0), step(rank, 1), shape = data->shape;
  for (size_t i = 0; i < starts.size(); ++i) {
    int64_t axis = axes[i];
    if (!normalizeAxis(axis, rank))
      return fail(node, "axis " + Twine(axes[i]) + " out of range");
    step[axis] = steps[i];
    if (!sliceAxis(data->shape[axis], starts[i], ends[i], step[axis],
                   first[axis], shape[axis]))
      return fail(node, "a step is 0");
  }
  std::vector<int64_t> strides = stridesOf(data->shape);
  return bindConstant(
      node, gatherElements(*data, shape, [&](ArrayRef<int64_t> at) {
        int64_t flat = 0;
        for (int64_t d = 0; d < rank; ++d)
          flat += (first[d] + at[d] * step[d]) * strides[d];
        return flat;
      }));
}

/// At most this many indices are picked along an axis with a step other
/// than 1: each is one instruction.
constexpr int64_t kMaxPicks = 4096;

/// `x` keeping, along `axis`, the `count` indices first, first + step, ...
/// (a step other than 1; a negative one reverses): one width-1 slice per
/// index, concatenated, as a Gather of run-time data by constant indices.
static Value pickAlong(OpBuilder &builder, Location loc, Value x,
                       int64_t axis, int64_t first, int64_t step,
                       int64_t count) {
  std::vector<int64_t> piece(shapeOf(x)), joined = piece;
  piece[axis] = 1;
  joined[axis] = count;
  SmallVector<Value> pieces;
  for (int64_t j = 0, index = first; j < count; ++j, index += step)
    pieces.push_back(SliceOp::create(builder, loc, tensorType(piece, builder),
                                     x, {axis}, {index}, {index + 1}));
  return ConcatOp::create(builder, loc, tensorType(joined, builder), pieces,
                          (uint64_t)axis);
}

/// Slice of run-time data on static axes, starts and ends clamped as ONNX
/// defines (sliceAxis); the run-time batch only whole (start 0, end at or
/// past its end, step 1). Axes of step 1 (or of one element) are one slice
/// instruction; each other axis is then a pick of its indices.
bool Importer::importRuntimeSlice(const onnx::NodeProto &node, Value x,
                                  ArrayRef<int64_t> in,
                                  ArrayRef<int64_t> starts,
                                  ArrayRef<int64_t> ends,
                                  ArrayRef<int64_t> axesIn,
                                  ArrayRef<int64_t> steps) {
  int64_t rank = in.size();
  std::vector<int64_t> shape(in.begin(), in.end()), axes, first, last;
  // (axis, first index, step, count) of the axes picked after the slice.
  std::vector<std::array<int64_t, 4>> picks;
  std::vector<bool> seen(rank, false);
  for (size_t i = 0; i < starts.size(); ++i) {
    int64_t axis = axesIn[i];
    if (!normalizeAxis(axis, rank) || seen[axis])
      return fail(node, "axis " + Twine(axesIn[i]) +
                            " out of range or given twice");
    seen[axis] = true;
    if (ShapedType::isDynamic(in[axis])) {
      if (starts[i] == 0 && ends[i] >= (int64_t{1} << 31) && steps[i] == 1)
        continue; // The whole batch.
      return fail(node, "slicing the run-time batch dimension (axis " +
                            Twine(axis) + " of " + dimsToString(in) +
                            ") needs the batch size: fix it with "
                            "--input-shape or --dim");
    }
    int64_t step = steps[i], begin = 0, count = 0;
    if (!sliceAxis(in[axis], starts[i], ends[i], step, begin, count))
      return fail(node, "a step is 0");
    shape[axis] = count;
    if (count == 0)
      continue; // The result is empty, whatever the data (below).
    if (step != 1 && count > 1) {
      if (count > kMaxPicks)
        return fail(node, "a step other than 1 on run-time data takes at "
                          "most " +
                              Twine(kMaxPicks) + " elements of an axis, not " +
                              Twine(count));
      picks.push_back({axis, begin, step, count});
      continue;
    }
    axes.push_back(axis);
    first.push_back(begin);
    last.push_back(begin + count);
  }
  // An empty axis makes the result an empty constant: no data to move.
  if (llvm::is_contained(shape, 0)) {
    if (llvm::any_of(shape, ShapedType::isDynamic))
      return fail(node, "the slice is empty, which is supported only with "
                        "every dimension known (fix the batch with "
                        "--input-shape)");
    ConstTensor empty;
    empty.shape = shape;
    return bindConstant(node, std::move(empty));
  }
  Location loc = locFor(node);
  for (auto [axis, begin, step, count] : picks)
    x = pickAlong(builder, loc, x, axis, begin, step, count);
  if (axes.empty())
    return bind(node, x);
  // The instruction wants increasing axes.
  std::vector<size_t> order(axes.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  llvm::sort(order, [&](size_t a, size_t b) { return axes[a] < axes[b]; });
  std::vector<int64_t> sortedAxes, sortedFirst, sortedLast;
  for (size_t i : order) {
    sortedAxes.push_back(axes[i]);
    sortedFirst.push_back(first[i]);
    sortedLast.push_back(last[i]);
  }
  return bind(node, SliceOp::create(builder, loc, tensorType(shape, builder),
                                    x, sortedAxes, sortedFirst, sortedLast));
}

/// Integer constants are held as the nearest double of each value (exact up
/// to 2^53): a cast that needs the exact integer of a larger one cannot be
/// folded. A double of 2^53 itself may stand for 2^53 + 1 (ties to even).
constexpr double kTwo53 = 9007199254740992.0;

/// Why element `i` of the integer constant `name` cannot be cast to `what`.
static std::string beyondTwo53(const std::string &name, size_t i, double value,
                               const std::string &what) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  return "element " + std::to_string(i) + " (" + text +
         ") of the integer constant '" + name +
         "' is 2^53 or more in magnitude: rebocc holds integer constants as "
         "doubles, which do not keep every such integer, and its Cast to " +
         what + " needs the exact value";
}

/// The values onnxruntime's Cast of the constant `in` to the integer
/// `type` gives, into `out`, each as the nearest double: a float32 or
/// DOUBLE constant as onnxruntime's vectorized x86 conversion
/// (support::castDoubleToInteger: truncation, the results of NaN and
/// out-of-range values), an integer one wrapped to the type (the batch of a
/// shape kept). An empty string, or why an element beyond 2^53 cannot be
/// cast.
static std::string castConstantToInteger(ConstTensor &out,
                                         const ConstTensor &in,
                                         const std::string &name,
                                         support::CastType type) {
  for (size_t i = 0; i < in.data.size(); ++i) {
    double value = in.data[i];
    int64_t bits;
    if (in.isFloat) {
      bits = support::castDoubleToInteger(value, type);
    } else if (batchMultiple(value)) {
      out.data[i] = value; // a shape's run-time batch (Importer.h)
      continue;
    } else if (std::fabs(value) >= kTwo53) {
      // The nearest double is the result when the cast keeps the value:
      // INT64 below 2^63 (or 2^63 itself from int64 data: INT64_MAX and
      // its neighbours round to it), UINT64 of non-negatives.
      bool keeps = (type == support::CastType::Int64 &&
                    (value < 9223372036854775808.0 ||
                     (value == 9223372036854775808.0 &&
                      in.dataType != onnx::TensorProto::UINT64))) ||
                   (type == support::CastType::UInt64 && value >= 0);
      if (!keeps)
        return beyondTwo53(name, i, value, support::castTypeName(type));
      out.data[i] = value;
      continue;
    } else {
      bits = support::wrapInteger((int64_t)value, type);
    }
    out.data[i] = support::integerCastValue(bits, type).value;
  }
  return "";
}

/// Whether the double `value` lies halfway between two float32 values: the
/// integer it stands for may have been on either side.
static bool isFloat32Tie(double value) {
  float nearest = static_cast<float>(value);
  if ((double)nearest == value || !std::isfinite(nearest))
    return false;
  float other = (double)nearest < value ? std::nextafter(nearest, INFINITY)
                                        : std::nextafter(nearest, -INFINITY);
  return value - (double)nearest == (double)other - value;
}

/// Cast between float, integer and boolean constants (shape tensors are
/// int64). Run-time data is float32: a cast to float32 or DOUBLE is the
/// identity (ImportDouble.cpp) and one to BOOL is x != 0, Not(Not(x)) (booleans are 0 / 1 floats at run
/// time); one to an integer or half type is a circulant.cast, whose result
/// is the target type's value as a float32 (support::castFloat).
bool Importer::importCast(const onnx::NodeProto &node) {
  const Binding *input = lookup(node, 0);
  if (!input)
    return false;
  int64_t to = getInt(node, "to", 0);
  bool toFloat = to == onnx::TensorProto::FLOAT ||
                 to == onnx::TensorProto::DOUBLE ||
                 to == onnx::TensorProto::FLOAT16 ||
                 to == onnx::TensorProto::BFLOAT16;
  bool toBool = to == onnx::TensorProto::BOOL;
  bool toInt =
      to == onnx::TensorProto::INT64 || to == onnx::TensorProto::INT32 ||
      to == onnx::TensorProto::INT16 || to == onnx::TensorProto::INT8 ||
      to == onnx::TensorProto::UINT64 || to == onnx::TensorProto::UINT32 ||
      to == onnx::TensorProto::UINT16 || to == onnx::TensorProto::UINT8;
  std::string typeName =
      onnx::TensorProto_DataType_IsValid(to)
          ? onnx::TensorProto_DataType_Name((onnx::TensorProto_DataType)to)
          : "unknown";
  if (!input->known) {
    Location loc = locFor(node);
    if (toBool) {
      Value negated = NotOp::create(builder, loc, input->value);
      return bind(node, NotOp::create(builder, loc, negated));
    }
    if (to == onnx::TensorProto::FLOAT)
      return bind(node, input->value);
    // A double holds every float32 value: the widened data is the float32
    // data, carried as it is; checkDoubleUses lets only copies read it.
    if (to == onnx::TensorProto::DOUBLE) {
      doubleData.insert(node.output(0));
      return bind(node, input->value);
    }
    std::optional<support::CastType> type = support::castTypeOfOnnx(to);
    if (!type)
      return fail(node, "casting run-time data to " + typeName +
                            " is not supported (only to FLOAT, DOUBLE, the "
                            "integer types, FLOAT16, BFLOAT16 and BOOL)");
    runtimeTypes[node.output(0)] = to; // a QuantizeLinear zero point's type
    // Later readers must keep the integers exact (checkCastIntegerUses).
    if (support::isIntegerCastType(*type))
      castIntegers.insert(node.output(0));
    else
      castHalves.insert(node.output(0));
    return bind(node, CastOp::create(builder, loc, input->value,
                                     support::castTypeName(*type)));
  }
  if (!toFloat && !toInt && !toBool)
    return fail(node, "casting to " + typeName + " is not supported");
  if ((toFloat || toBool) && input->known->hasBatchSentinel())
    return fail(node, dependsOnBatch("the result"));
  ConstTensor out = *input->known;
  out.isFloat = toFloat;
  // The result's type: a Cast of a DOUBLE constant is DOUBLE no more
  // (isDoubleConstant), one to UINT8 gives a uint8 zero point.
  out.dataType = static_cast<int>(to);
  if (toBool)
    for (double &value : out.data)
      value = value != 0;
  if (toInt) {
    std::string error = castConstantToInteger(
        out, *input->known, node.input(0), *support::castTypeOfOnnx(to));
    if (!error.empty())
      return fail(node, error);
  }
  if (support::isHalfType(to))
    for (double &value : out.data)
      value = support::roundToHalfType(static_cast<float>(value), to);
  // Constants are held as doubles: a DOUBLE constant (or one folded in
  // double) cast to FLOAT rounds here, as onnxruntime's Cast does, not only
  // when it is materialized.
  if (to == onnx::TensorProto::FLOAT)
    for (size_t i = 0; i < out.data.size(); ++i) {
      double &value = out.data[i];
      if (!input->known->isFloat && std::fabs(value) > kTwo53 &&
          isFloat32Tie(value))
        return fail(node, beyondTwo53(node.input(0), i, value, "FLOAT"));
      value = static_cast<float>(value);
    }
  return bindConstant(node, std::move(out));
}

//===----------------------------------------------------------------------===//
// Concat, Pad, Transpose
//===----------------------------------------------------------------------===//

/// Concatenates constants along `axis` (shapes already checked).
static ConstTensor concatConstants(ArrayRef<const ConstTensor *> inputs,
                                   int64_t axis) {
  ConstTensor out;
  out.isFloat = inputs[0]->isFloat;
  out.shape = inputs[0]->shape;
  out.shape[axis] = 0;
  for (const ConstTensor *input : inputs)
    out.shape[axis] += input->shape[axis];
  int64_t outer = product(ArrayRef<int64_t>(out.shape).take_front(axis));
  for (int64_t o = 0; o < outer; ++o)
    for (const ConstTensor *input : inputs) {
      int64_t chunk = product(ArrayRef<int64_t>(input->shape).drop_front(axis));
      out.data.insert(out.data.end(), input->data.begin() + o * chunk,
                      input->data.begin() + (o + 1) * chunk);
    }
  return out;
}

bool Importer::importConcat(const onnx::NodeProto &node) {
  if (node.input_size() == 0)
    return fail(node, "has no inputs");
  std::vector<const Binding *> inputs;
  bool allKnown = true;
  for (int i = 0; i < node.input_size(); ++i) {
    const Binding *binding = lookup(node, i);
    if (!binding)
      return false;
    inputs.push_back(binding);
    allKnown &= binding->known.has_value();
  }
  std::vector<int64_t> first = shapeOfInput(*inputs[0]);
  int64_t rank = first.size();
  int64_t axis = getInt(node, "axis", opset < 4 ? 1 : INT64_MAX);
  if (axis == INT64_MAX)
    return fail(node, "axis is required");
  if (!normalizeAxis(axis, rank))
    return fail(node, "axis " + Twine(axis) + " out of range");
  std::vector<int64_t> joined = first;
  joined[axis] = 0;
  for (const Binding *input : inputs) {
    std::vector<int64_t> shape = shapeOfInput(*input);
    bool same = (int64_t)shape.size() == rank;
    for (int64_t d = 0; same && d < rank; ++d)
      same = d == axis || shape[d] == first[d];
    if (!same)
      return fail(node, "the inputs differ in rank or in a dimension other "
                        "than the axis (a constant cannot match the run-time "
                        "batch size)");
    if (ShapedType::isDynamic(shape[axis]))
      continue;
    std::optional<int64_t> sum = llvm::checkedAdd(joined[axis], shape[axis]);
    joined[axis] = sum.value_or(-1);
    if (!sum || !checkShape(node, joined, "the result shape", sizeof(double)))
      return fail(node, "the concatenated axis overflows int64");
  }
  if (allKnown) {
    std::vector<const ConstTensor *> constants;
    for (const Binding *input : inputs)
      constants.push_back(&*input->known);
    return bindConstant(node, concatConstants(constants, axis));
  }
  if (ShapedType::isDynamic(first[axis]))
    return fail(node, "concatenating along the run-time batch dimension (axis " +
                          Twine(axis) + " of " + dimsToString(first) +
                          ") needs the batch size: fix it with --input-shape "
                          "or --dim");
  SmallVector<Value> values;
  int64_t total = 0;
  for (int i = 0; i < node.input_size(); ++i) {
    std::vector<int64_t> shape = shapeOfInput(*inputs[i]);
    if (shape[axis] == 0)
      continue; // Empty pieces (some exporters emit them) add nothing.
    Value value;
    if (!runtimeInput(node, i, value))
      return false;
    values.push_back(value);
    total += shape[axis];
  }
  if (values.empty())
    return fail(node, "every input is empty");
  if (values.size() == 1)
    return bind(node, values[0]);
  first[axis] = total;
  return bind(node, ConcatOp::create(builder, locFor(node),
                                     tensorType(first, builder), values,
                                     (uint64_t)axis));
}

/// Pad amounts for all 2 x rank dimensions (begins, then ends) and the
/// fill value: attributes before opset 11; from it on pads, an optional
/// constant_value and (opset 18) axes are constant inputs.
bool Importer::readPads(const onnx::NodeProto &node, int64_t rank,
                        std::vector<int64_t> &full, float &value) {
  std::vector<int64_t> pads, axes;
  value = 0.0f;
  if (opset < 11) {
    pads = getInts(node, opset < 2 ? "paddings" : "pads")
               .value_or(std::vector<int64_t>{});
    value = getFloat(node, "value", 0.0f);
  } else {
    if (!intsInput(node, 1, "pads", pads))
      return false;
    if (hasInput(node, 2)) {
      const ConstTensor *c = constantInput(node, 2, "constant_value");
      if (!c)
        return false;
      if (c->numElements() != 1)
        return fail(node, "constant_value must be a scalar");
      value = (float)c->data[0];
    }
    if (hasInput(node, 3) && !intsInput(node, 3, "axes", axes))
      return false;
  }
  if (axes.empty())
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  if (pads.size() != 2 * axes.size())
    return fail(node, "pads needs " + Twine(2 * axes.size()) + " entries");
  full.assign(2 * rank, 0);
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t axis = axes[i];
    if (!normalizeAxis(axis, rank))
      return fail(node, "axis " + Twine(axes[i]) + " out of range");
    full[axis] = pads[i];
    full[axis + rank] = pads[i + axes.size()];
  }
  return true;
}

bool Importer::importPad(const onnx::NodeProto &node) {
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  ArrayRef<int64_t> in = shapeOf(x);
  int64_t rank = in.size();
  std::string mode = getString(node, "mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return fail(node, "mode '" + mode + "' is not supported (only constant, "
                      "reflect and edge)");
  std::vector<int64_t> full;
  float value;
  if (!readPads(node, rank, full, value))
    return false;
  std::vector<int64_t> shape(in.begin(), in.end());
  for (int64_t d = 0; d < rank; ++d) {
    int64_t begin = full[d], end = full[d + rank];
    if (begin < 0 || end < 0)
      return fail(node, "negative pads (cropping) are not supported");
    if (begin > kMaxWindow || end > kMaxWindow)
      return fail(node, "absurdly large pads");
    if (!begin && !end)
      continue;
    if (ShapedType::isDynamic(in[d]))
      return fail(node, "padding the run-time batch dimension (axis " +
                            Twine(d) + " of " + dimsToString(in) +
                            ") needs the batch size: fix it with "
                            "--input-shape or --dim");
    if (mode == "reflect" && (begin >= in[d] || end >= in[d]))
      return fail(node, "reflect pads must be smaller than the dimension");
    shape[d] += begin + end;
  }
  if (llvm::all_of(full, [](int64_t p) { return p == 0; }))
    return bind(node, x);
  return bind(node, PadOp::create(builder, locFor(node),
                                  tensorType(shape, builder), x, full, mode,
                                  llvm::APFloat(value)));
}

bool Importer::importTranspose(const onnx::NodeProto &node) {
  const Binding *input = lookup(node, 0);
  if (!input)
    return false;
  std::vector<int64_t> in = shapeOfInput(*input);
  int64_t rank = in.size();
  std::vector<int64_t> perm;
  for (int64_t d = rank; d-- > 0;)
    perm.push_back(d); // The default reverses the dimensions.
  perm = getInts(node, "perm").value_or(perm);
  std::vector<bool> seen(rank, false);
  if ((int64_t)perm.size() != rank)
    return fail(node, "perm must have one entry per dimension");
  std::vector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return fail(node, "perm is not a permutation");
    seen[p] = true;
    shape.push_back(in[p]);
  }
  if (input->known) {
    std::vector<int64_t> strides = stridesOf(in);
    return bindConstant(
        node, gatherElements(*input->known, shape, [&](ArrayRef<int64_t> at) {
          int64_t flat = 0;
          for (int64_t d = 0; d < rank; ++d)
            flat += at[d] * strides[perm[d]];
          return flat;
        }));
  }
  if (llvm::all_of(llvm::enumerate(perm),
                   [](auto p) { return (int64_t)p.index() == p.value(); }))
    return bind(node, input->value);
  return bind(node, TransposeOp::create(builder, locFor(node),
                                        tensorType(shape, builder),
                                        input->value, perm));
}

} // namespace rebocc::onnxfe
