//===- ImportReductions.cpp - ONNX ReduceMax/Min/Sum/Mean/L2 --------------===//
//
// The reductions over any axes of run-time data. ReduceMax, ReduceMin and
// ReduceSum are circulant ops that keep the reduced dimensions as 1;
// ReduceMean is the sum divided by the count, ReduceL2 the square root of the
// sum of x * x, ReduceSumSquare, ReduceL1 and ReduceLogSum sums of x * x,
// |x| and log of the sum, ReduceLogSumExp onnxruntime's max-shifted form
// and ReduceProd pairwise products of slices; keepdims = 0 then drops the
// reduced dimensions with a reshape. The axes are an attribute until they became an input (opset 13
// for ReduceSum, 18 for the others), and noop_with_empty_axes came with the
// input. LpNormalization and MeanVarianceNormalization are built from the
// same sums: x over its L1 / L2 norm, and x less its mean over its standard
// deviation, as onnxruntime computes them.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

#include <limits>

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

/// The sorted, distinct axes `node` reduces over an input of rank `rank`;
/// empty when the node is an identity (noop_with_empty_axes = 1).
bool Importer::reductionAxes(const onnx::NodeProto &node, int64_t rank,
                             std::vector<int64_t> &axes) {
  int64_t inputSince = node.op_type() == "ReduceSum" ? 13 : 18;
  axes.clear();
  if (opset < inputSince) {
    axes = getInts(node, "axes").value_or(std::vector<int64_t>{});
  } else if (hasInput(node, 1) && !intsInput(node, 1, "axes", axes)) {
    return false;
  }
  bool noop = opset >= inputSince && getInt(node, "noop_with_empty_axes", 0);
  if (axes.empty() && !noop)
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  for (int64_t &axis : axes)
    if (!normalizeAxis(axis, rank))
      return fail(node, "axis " + Twine(axis) + " out of range for rank " +
                            Twine(rank));
  llvm::sort(axes);
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
    return fail(node, "an axis is repeated");
  return true;
}

/// The circulant reduction `op_type` names, over `axes`, keeping them.
static Value createReduce(OpBuilder &b, Location loc, StringRef opType,
                          Value x, ArrayRef<int64_t> axes) {
  SmallVector<int64_t> shape(shapeOf(x));
  for (int64_t axis : axes)
    shape[axis] = 1;
  RankedTensorType type = tensorType(shape, b);
  if (opType == "ReduceMax")
    return ReduceMaxOp::create(b, loc, type, x, axes);
  if (opType == "ReduceMin")
    return ReduceMinOp::create(b, loc, type, x, axes);
  return ReduceSumOp::create(b, loc, type, x, axes);
}

// onnxruntime (1.30, CPU) divides the sum by the count in every layout of
// ReduceMean (checked with onnxruntime-node on sums exact in float32, so
// the summation order cannot matter: S / n matched on every output, S *
// (1 / n) differed on about a quarter; test/e2e/div-ort.test keeps that
// check). x * (1 / n) rounds twice and is off in the last bit of those.
Value Importer::divideByCount(Value sum, int64_t count, Location loc,
                              const std::string &name) {
  auto type = sum.getType();
  // A power-of-two count: the multiplication by its reciprocal is exact and
  // the cheaper VFU operation.
  if (hasExactReciprocal((double)count)) {
    Value scale = materialize(ConstTensor{{}, {1.0 / (double)(float)count}},
                              loc, name + "_reciprocal");
    return MulOp::create(builder, loc, type, sum, scale);
  }
  Value divisor = materialize(ConstTensor{{}, {(double)count}}, loc, name);
  return DivOp::create(builder, loc, type, sum, divisor);
}

/// What a reduction over no axes (noop_with_empty_axes = 1) gives,
/// measured with onnxruntime-node 1.30: its elementwise part alone (x * x
/// for ReduceSumSquare, |x| for ReduceL1 and ReduceL2, log x for
/// ReduceLogSum), the input itself for the others.
Value Importer::noopReduce(StringRef opType, Value x, Location loc) {
  if (opType == "ReduceSumSquare")
    return MulOp::create(builder, loc, x.getType(), x, x);
  if (opType == "ReduceL1" || opType == "ReduceL2")
    return AbsOp::create(builder, loc, x);
  if (opType == "ReduceLogSum")
    return LogOp::create(builder, loc, x);
  return x;
}

/// log(sum(exp(x - m))) + m over `axes` (kept), m the maximum, or 0 where
/// that is infinite, as onnxruntime computes it (no overflow of exp).
Value Importer::logSumExp(Value x, ArrayRef<int64_t> axes, Location loc,
                          const std::string &name) {
  Value max = createReduce(builder, loc, "ReduceMax", x, axes);
  auto type = max.getType();
  auto scalar = [&](double v, StringRef suffix) {
    return materialize(ConstTensor{{}, {v}}, loc, name + suffix.str());
  };
  Value infinite =
      EqualOp::create(builder, loc, type, AbsOp::create(builder, loc, max),
                      scalar(std::numeric_limits<double>::infinity(), "_inf"));
  Value shift =
      WhereOp::create(builder, loc, type, infinite, scalar(0.0, "_zero"), max);
  Value centered = AddOp::create(builder, loc, x.getType(), x,
                                 NegOp::create(builder, loc, shift));
  Value sum = createReduce(builder, loc, "ReduceSum",
                           ExpOp::create(builder, loc, centered), axes);
  return AddOp::create(builder, loc, type, LogOp::create(builder, loc, sum),
                       shift);
}

/// The product of `x` along `axis` (kept as 1): pairwise products of its
/// halves (an odd element carried along) until one is left, so a dimension
/// of n takes about log2(n) multiplications.
Value Importer::productAlong(Value x, int64_t axis, Location loc) {
  auto slice = [&](Value v, int64_t begin, int64_t end) -> Value {
    SmallVector<int64_t> shape(shapeOf(v));
    shape[axis] = end - begin;
    return SliceOp::create(builder, loc, tensorType(shape, builder), v,
                           builder.getDenseI64ArrayAttr({axis}),
                           builder.getDenseI64ArrayAttr({begin}),
                           builder.getDenseI64ArrayAttr({end}));
  };
  for (int64_t n = shapeOf(x)[axis]; n > 1; n = shapeOf(x)[axis]) {
    int64_t half = n / 2;
    Value low = slice(x, 0, half), high = slice(x, half, 2 * half);
    Value product = MulOp::create(builder, loc, low.getType(), low, high);
    if (n % 2) {
      SmallVector<int64_t> shape(shapeOf(product));
      shape[axis] += 1;
      product = ConcatOp::create(builder, loc, tensorType(shape, builder),
                                 ValueRange{product, slice(x, n - 1, n)},
                                 (uint64_t)axis);
    }
    x = product;
  }
  return x;
}

bool Importer::importReduce(const onnx::NodeProto &node) {
  Value x;
  if (!floatInput(node, 0, x))
    return false;
  ArrayRef<int64_t> in = shapeOf(x);
  std::vector<int64_t> axes;
  if (!reductionAxes(node, in.size(), axes))
    return false;
  StringRef opType = node.op_type();
  // The spatial mean of NCHW data stays the global average pool it always
  // was (its outputs are pinned bit for bit by the end-to-end tests).
  if (opType == "ReduceMean" && in.size() == 4 &&
      axes == std::vector<int64_t>{2, 3})
    return importReduceMean(node);
  Location loc = locFor(node);
  if (axes.empty())
    return bind(node, noopReduce(opType, x, loc));
  if (!checkStaticAxes(node, in, axes))
    return false;
  Value result;
  if (opType == "ReduceL2") {
    Value squares = MulOp::create(builder, loc, x.getType(), x, x);
    Value sum = createReduce(builder, loc, "ReduceSum", squares, axes);
    result = SqrtOp::create(builder, loc, sum);
  } else if (opType == "ReduceSumSquare") {
    Value squares = MulOp::create(builder, loc, x.getType(), x, x);
    result = createReduce(builder, loc, "ReduceSum", squares, axes);
  } else if (opType == "ReduceL1") {
    result = createReduce(builder, loc, "ReduceSum",
                          AbsOp::create(builder, loc, x), axes);
  } else if (opType == "ReduceLogSum") {
    result = LogOp::create(builder, loc,
                           createReduce(builder, loc, "ReduceSum", x, axes));
  } else if (opType == "ReduceLogSumExp") {
    result = logSumExp(x, axes, loc, node.output(0));
  } else if (opType == "ReduceProd") {
    result = x;
    for (int64_t axis : axes)
      result = productAlong(result, axis, loc);
  } else {
    result = createReduce(builder, loc,
                          opType == "ReduceMean" ? "ReduceSum" : opType, x,
                          axes);
  }
  if (opType == "ReduceMean") {
    int64_t count = 1;
    for (int64_t axis : axes)
      count *= in[axis];
    result = divideByCount(result, count, loc, node.output(0) + "_count");
  }
  if (getInt(node, "keepdims", 1))
    return bind(node, result);
  SmallVector<int64_t> kept;
  for (int64_t d = 0; d < (int64_t)in.size(); ++d)
    if (!llvm::is_contained(axes, d))
      kept.push_back(in[d]);
  return bind(node, reshapeTo(result, kept, loc));
}

/// Fails on `node` unless no axis of `axes` is the run-time batch of `in`.
bool Importer::checkStaticAxes(const onnx::NodeProto &node,
                               ArrayRef<int64_t> in, ArrayRef<int64_t> axes) {
  for (int64_t axis : axes)
    if (ShapedType::isDynamic(in[axis]))
      return fail(node, "reducing over the run-time batch dimension (axis " +
                            Twine(axis) + " of " + dimsToString(in) +
                            ") needs the batch size: fix it with "
                            "--input-shape or --dim");
  return true;
}

/// LpNormalization (ONNX opset 1): x / ||x||_p along axis
/// (default -1), p = 1 or 2 (default 2). onnxruntime's kernel (lp_norm.cc)
/// takes Eigen's lpNorm<p> of each vector and writes zeros where it is 0,
/// so a vector whose squares all underflow gives 0, not x / 0.
bool Importer::importLpNormalization(const onnx::NodeProto &node) {
  Value x;
  if (!floatInput(node, 0, x))
    return false;
  ArrayRef<int64_t> in = shapeOf(x);
  int64_t rank = in.size(), axis = getInt(node, "axis", -1);
  int64_t p = getInt(node, "p", 2);
  if (p != 1 && p != 2)
    return fail(node, "p is " + Twine(p) + ", must be 1 or 2");
  if (rank == 0)
    return fail(node, "the input must have rank 1 or more");
  if (!normalizeAxis(axis, rank))
    return fail(node, "axis " + Twine(getInt(node, "axis", -1)) +
                          " out of range for rank " + Twine(rank));
  if (!checkStaticAxes(node, in, {axis}))
    return false;
  Location loc = locFor(node);
  std::string name = node.output(0);
  Value magnitudes = p == 1 ? AbsOp::create(builder, loc, x).getResult()
                            : MulOp::create(builder, loc, x.getType(), x, x)
                                  .getResult();
  Value norm = createReduce(builder, loc, "ReduceSum", magnitudes, {axis});
  if (p == 2)
    norm = SqrtOp::create(builder, loc, norm);
  auto scalar = [&](double v, StringRef suffix) {
    return materialize(ConstTensor{{}, {v}}, loc, name + suffix.str());
  };
  Value zero = scalar(0.0, "_zero");
  Value isZero = EqualOp::create(builder, loc, norm.getType(), norm, zero);
  Value quotient = DivOp::create(builder, loc, x.getType(), x, norm);
  return bind(node, WhereOp::create(builder, loc, x.getType(), isZero, zero,
                                    quotient));
}

/// MeanVarianceNormalization (opsets 9 and 13; a function of ReduceMean,
/// Sub, Pow, Sqrt and Div): over `axes` (default [0, 2, 3]), as
/// onnxruntime's kernel (mean_variance_normalization.cc) computes it rather
/// than the function's E[x^2] - E[x]^2 + 1e-9: y = x - mean(x), then
/// y / sqrt(mean(y * y)), no epsilon (a constant slice gives 0 / 0 = NaN
/// in both).
bool Importer::importMeanVarianceNormalization(const onnx::NodeProto &node) {
  // Opset 1's was an experimental operator (across_channels,
  // normalize_variance) that onnxruntime no longer runs.
  if (opset < 9)
    return fail(node, "needs opset 9 or later (the model's is " +
                          Twine(opset) + ")");
  Value x;
  if (!floatInput(node, 0, x))
    return false;
  ArrayRef<int64_t> in = shapeOf(x);
  int64_t rank = in.size();
  std::vector<int64_t> axes =
      getInts(node, "axes").value_or(std::vector<int64_t>{0, 2, 3});
  if (axes.empty())
    return fail(node, "axes is empty");
  for (int64_t &axis : axes)
    if (!normalizeAxis(axis, rank))
      return fail(node, "axis " + Twine(axis) + " out of range for rank " +
                            Twine(rank));
  llvm::sort(axes);
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
    return fail(node, "an axis is repeated");
  if (!checkStaticAxes(node, in, axes))
    return false;
  Location loc = locFor(node);
  std::string name = node.output(0);
  int64_t count = 1;
  for (int64_t axis : axes)
    count *= in[axis];
  auto mean = [&](Value v, StringRef suffix) {
    Value sum = createReduce(builder, loc, "ReduceSum", v, axes);
    return divideByCount(sum, count, loc, name + suffix.str());
  };
  Value centered =
      AddOp::create(builder, loc, x.getType(), x,
                    NegOp::create(builder, loc, mean(x, "_count")));
  Value squares = MulOp::create(builder, loc, x.getType(), centered, centered);
  Value deviation = SqrtOp::create(builder, loc, mean(squares, "_var_count"));
  return bind(node,
              DivOp::create(builder, loc, x.getType(), centered, deviation));
}

} // namespace rebocc::onnxfe
