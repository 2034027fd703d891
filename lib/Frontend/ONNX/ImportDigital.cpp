//===- ImportDigital.cpp - ONNX operators run by the digital units --------===//
//
// Elementwise arithmetic (folded when both operands are constants),
// activations, softmax and pooling. None of these touch the crossbars.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

#include <cfloat>
#include <cmath>
#include <cstdio>

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

//===----------------------------------------------------------------------===//
// Add, Sub, Mul, Div
//===----------------------------------------------------------------------===//

namespace {
enum class BinaryKind { Add, Sub, Mul, Div };
} // namespace

static BinaryKind binaryKind(const std::string &op) {
  return op == "Add"   ? BinaryKind::Add
         : op == "Sub" ? BinaryKind::Sub
         : op == "Mul" ? BinaryKind::Mul
                       : BinaryKind::Div;
}

static double apply(BinaryKind kind, double x, double y, bool isFloat) {
  switch (kind) {
  case BinaryKind::Add:
    return x + y;
  case BinaryKind::Sub:
    return x - y;
  case BinaryKind::Mul:
    return x * y;
  case BinaryKind::Div:
    // Integer division truncates (as onnxruntime does).
    return isFloat ? x / y : std::trunc(x / y);
  }
  return 0;
}

/// Shape arithmetic on the run-time batch (Importer.h): c * N times or
/// exactly divided by a positive static integer stays c' * N (attention's
/// batch * heads); any other result needs the batch size (nullopt).
static std::optional<double> applyBatch(BinaryKind kind, double x, double y) {
  std::optional<int64_t> bx = batchMultiple(x), by = batchMultiple(y);
  if (!bx && !by)
    return apply(kind, x, y, /*isFloat=*/false);
  if (bx && by)
    return std::nullopt;
  int64_t multiple = bx ? *bx : *by, k = toInt(bx ? y : x);
  if (k < 1 || k > kMaxBatchMultiple)
    return std::nullopt;
  if (kind == BinaryKind::Mul && multiple <= kMaxBatchMultiple / k)
    return batchDim(multiple * k);
  if (kind == BinaryKind::Div && bx && multiple % k == 0)
    return batchDim(multiple / k);
  return std::nullopt;
}

/// Evaluates a broadcasting binary op on two constants. Integer operands
/// may hold the batch (applyBatch); `batchOk` turns false when a result
/// would need its size.
static ConstTensor foldBinary(const ConstTensor &a, const ConstTensor &b,
                              const std::vector<int64_t> &shape,
                              BinaryKind kind, bool *batchOk = nullptr) {
  ConstTensor out;
  out.shape = shape;
  out.isFloat = a.isFloat || b.isFloat;
  int64_t count = out.numElements();
  out.data.resize(count);
  size_t rank = shape.size();
  auto indexInto = [&](const ConstTensor &t, int64_t flat) {
    int64_t index = 0, stride = 1;
    for (size_t d = rank; d-- > 0;) {
      int64_t coord = flat % shape[d];
      flat /= shape[d];
      size_t td = d + t.shape.size();
      if (td < rank)
        continue;
      td -= rank;
      if (t.shape[td] != 1)
        index += coord * stride;
      stride *= t.shape[td];
    }
    return index;
  };
  for (int64_t i = 0; i < count; ++i) {
    double x = a.data[indexInto(a, i)], y = b.data[indexInto(b, i)];
    if (batchOk && !out.isFloat) {
      std::optional<double> value = applyBatch(kind, x, y);
      *batchOk &= value.has_value();
      out.data[i] = value.value_or(0);
      continue;
    }
    out.data[i] = apply(kind, x, y, out.isFloat);
  }
  return out;
}

/// The float constant `c` with every element mapped by `fn`.
template <typename Fn>
static ConstTensor mapConstant(const ConstTensor &c, Fn fn) {
  ConstTensor out = c;
  out.isFloat = true;
  for (double &value : out.data)
    value = fn(value);
  return out;
}

/// Add, Mul and Div of run-time data are digital ops; Sub becomes an Add of
/// the negated operand and Div by a constant power of two a Mul by its
/// reciprocal. Constants only are folded.
bool Importer::importBinary(const onnx::NodeProto &node) {
  BinaryKind kind = binaryKind(node.op_type());
  const Binding *lhs = lookup(node, 0);
  const Binding *rhs = lookup(node, 1);
  if (!lhs || !rhs)
    return false;
  std::optional<std::vector<int64_t>> shape =
      support::broadcastShapes(shapeOfInput(*lhs), shapeOfInput(*rhs));
  if (!shape)
    return fail(node, "operand shapes do not broadcast");
  if (lhs->known && rhs->known) {
    // Shape arithmetic on the batch size: only c * N by static integers.
    bool batch =
        lhs->known->hasBatchSentinel() || rhs->known->hasBatchSentinel();
    bool isFloat = lhs->known->isFloat || rhs->known->isFloat;
    if (batch && (isFloat || kind == BinaryKind::Add ||
                  kind == BinaryKind::Sub))
      return fail(node, dependsOnBatch("the result"));
    if (kind == BinaryKind::Div && !isFloat &&
        llvm::is_contained(rhs->known->data, 0.0))
      return fail(node, "integer division by zero");
    if (!checkShape(node, *shape, "the folded result shape", sizeof(double)))
      return false;
    bool batchOk = true;
    ConstTensor folded = foldBinary(*lhs->known, *rhs->known, *shape, kind,
                                    batch ? &batchOk : nullptr);
    if (!batchOk)
      return fail(node, dependsOnBatch("the result"));
    // onnxruntime folds constant subgraphs with its float32 kernels, one
    // rounding per node: a chain folded in double and rounded once when
    // materialized differs in the last bit of many values. A fold of
    // DOUBLE constants stays double (checkDoubleFolding).
    if (folded.isFloat && !doubleConstants.contains(node.output(0)))
      folded.roundToFloat32();
    return bindConstant(node, std::move(folded));
  }
  if (kind == BinaryKind::Add && foldMatMulBias(node))
    return true;
  Location loc = locFor(node);
  Type type = tensorType(*shape, builder);
  Value a, b;
  if (!runtimeInput(node, 0, a))
    return false;
  if (kind == BinaryKind::Div) {
    if (rhs->known && !rhs->known->isFloat)
      return fail(node, "the divisor is an integer tensor");
    // Powers of two only: x * 2^-k is x / 2^k exactly (one rounding of the
    // same real number, subnormal quotients included) and a multiplication
    // is the cheaper VFU operation.
    if (rhs->known && llvm::all_of(rhs->known->data, hasExactReciprocal)) {
      b = materialize(
          mapConstant(*rhs->known, [](double v) { return 1.0 / (float)v; }),
          loc, node.output(0) + "_reciprocal");
      return bind(node, MulOp::create(builder, loc, type, a, b));
    }
    // Any other divisor, constant (materialized as its float32 value) or
    // run-time (the LayerNorm models write by hand divide by a run-time
    // standard deviation): one division, rounded once as onnxruntime's
    // a / b is, not a * (1 / b), which rounds twice and is off in the last
    // bit of about a quarter of the quotients.
    if (!runtimeInput(node, 1, b))
      return false;
    return bind(node, DivOp::create(builder, loc, type, a, b));
  }
  if (kind == BinaryKind::Sub && rhs->known) {
    if (!rhs->known->isFloat)
      return fail(node, "the subtrahend is an integer tensor");
    b = materialize(mapConstant(*rhs->known, [](double v) { return -v; }), loc,
                    node.output(0) + "_negated");
    return bind(node, AddOp::create(builder, loc, type, a, b));
  }
  if (!runtimeInput(node, 1, b))
    return false;
  if (kind == BinaryKind::Sub) {
    Value minusOne = materialize(ConstTensor{{}, {-1.0}}, loc,
                                 node.output(0) + "_minus_one");
    b = MulOp::create(builder, loc, b.getType(), b, minusOne);
  }
  if (kind == BinaryKind::Mul)
    return bind(node, MulOp::create(builder, loc, type, a, b));
  return bind(node, AddOp::create(builder, loc, type, a, b));
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

bool Importer::importActivation(const onnx::NodeProto &node) {
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  Location loc = locFor(node);
  const std::string &op = node.op_type();
  if (op == "Relu")
    return bind(node, ReluOp::create(builder, loc, x));
  if (op == "Sigmoid")
    return bind(node, SigmoidOp::create(builder, loc, x));
  if (op == "LeakyRelu")
    return bind(node, LeakyReluOp::create(
                          builder, loc, x,
                          builder.getF32FloatAttr(getFloat(node, "alpha", 0.01f))));
  if (op == "HardSigmoid")
    return bind(node, HardSigmoidOp::create(
                          builder, loc, x,
                          builder.getF32FloatAttr(getFloat(node, "alpha", 0.2f)),
                          builder.getF32FloatAttr(getFloat(node, "beta", 0.5f))));
  return bind(node, HardSwishOp::create(builder, loc, x));
}

/// Clip bounds: attributes before opset 11, optional inputs from it on
/// (constant, or scalar run-time values). A missing bound is +-infinity,
/// which float32 holds as +-FLT_MAX (the fixed-point path needs finite
/// numbers).
bool Importer::importClip(const onnx::NodeProto &node) {
  double bounds[2] = {-FLT_MAX, FLT_MAX};
  const char *names[2] = {"min", "max"};
  Value runtimeBounds[2];
  for (int i = 0; i < 2; ++i) {
    if (opset < 11) {
      bounds[i] = getFloat(node, names[i], (float)bounds[i]);
    } else if (hasInput(node, i + 1)) {
      const Binding *binding = lookup(node, i + 1);
      if (!binding)
        return false;
      if (binding->value) {
        // A run-time bound (a spectrogram's floor: its max - 80 dB) is a
        // digital Max / Min after the clip of the constant bounds.
        if (shapeOfInput(*binding).size() > 1 ||
            product(shapeOfInput(*binding)) != 1)
          return fail(node, Twine("the ") + names[i] +
                                " bound must be a scalar");
        runtimeBounds[i] = binding->value;
        continue;
      }
      const ConstTensor *bound =
          constantInput(node, i + 1, Twine("the ") + names[i] + " bound");
      if (!bound)
        return false;
      if (bound->numElements() != 1)
        return fail(node, Twine("the ") + names[i] + " bound must be a scalar");
      bounds[i] = bound->data[0];
    }
    bounds[i] = std::clamp<double>(bounds[i], -FLT_MAX, FLT_MAX);
  }
  if (bounds[0] > bounds[1]) {
    char text[80];
    std::snprintf(text, sizeof(text), "min (%g) exceeds max (%g)", bounds[0],
                  bounds[1]);
    return fail(node, text);
  }
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  Location loc = locFor(node);
  Value y = ClipOp::create(builder, loc, x, builder.getF32FloatAttr(bounds[0]),
                           builder.getF32FloatAttr(bounds[1]));
  if (runtimeBounds[0])
    y = MaxOp::create(builder, loc, y.getType(), y, runtimeBounds[0]);
  if (runtimeBounds[1])
    y = MinOp::create(builder, loc, y.getType(), y, runtimeBounds[1]);
  return bind(node, y);
}

/// The slope broadcasts to X numpy-style (unidirectionally) from opset 7;
/// before, a [C] slope is per channel, i.e. [C, 1, ..., 1].
bool Importer::importPRelu(const onnx::NodeProto &node) {
  Value x;
  const Binding *slope = lookup(node, 1);
  if (!slope || !runtimeInput(node, 0, x))
    return false;
  ArrayRef<int64_t> xShape = shapeOf(x);
  std::vector<int64_t> sShape = shapeOfInput(*slope);
  if (opset < 7 && sShape.size() == 1 && xShape.size() >= 3 &&
      sShape[0] == xShape[1] && sShape[0] != 1)
    sShape.resize(xShape.size() - 1, 1);
  std::optional<std::vector<int64_t>> shape =
      support::broadcastShapes(xShape, sShape);
  if (!shape || ArrayRef<int64_t>(*shape) != xShape)
    return fail(node, "the slope does not broadcast to the input");
  Value s;
  if (slope->known) {
    ConstTensor reshaped = *slope->known;
    reshaped.shape = sShape;
    if (!reshaped.isFloat)
      return fail(node, "the slope must be float32");
    s = materialize(reshaped, locFor(node), node.input(1));
  } else {
    s = slope->value;
    if (shapeOf(s) != ArrayRef<int64_t>(sShape))
      s = reshapeTo(s, sShape, locFor(node));
  }
  return bind(node, PReluOp::create(builder, locFor(node), x.getType(), x, s));
}

//===----------------------------------------------------------------------===//
// Softmax, LogSoftmax
//===----------------------------------------------------------------------===//

bool Importer::importSoftmax(const onnx::NodeProto &node) {
  Value input;
  if (!runtimeInput(node, 0, input))
    return false;
  ArrayRef<int64_t> shape = shapeOf(input);
  int64_t rank = shape.size();
  int64_t axis = getInt(node, "axis", opset >= 13 ? -1 : 1);
  if (!normalizeAxis(axis, rank))
    return fail(node, "axis " + Twine(axis) + " out of range");
  Location loc = locFor(node);
  // LogSoftmax changed with Softmax, in the same opsets.
  auto normalize = [&](Value x) -> Value {
    if (node.op_type() == "LogSoftmax")
      return LogSoftmaxOp::create(builder, loc, x, axis);
    return SoftmaxOp::create(builder, loc, x, axis);
  };
  if (opset >= 13 || axis == rank - 1)
    return bind(node, normalize(input));
  // Before opset 13, Softmax normalizes over all dimensions from axis on,
  // as if the input were flattened to [prod(dims[:axis]), prod(dims[axis:])].
  // Merging only the trailing dimensions, [d0, ..., d(axis-1),
  // prod(dims[axis:])], and normalizing over the last axis is the same and
  // keeps a dynamic batch in front (prod(dims[:axis]) would fold it into the
  // rows).
  int64_t inner = product(shape.drop_front(axis));
  if (ShapedType::isDynamic(inner))
    return fail(node, "cannot normalize over the batch dimension");
  SmallVector<int64_t> merged(shape.take_front(axis));
  merged.push_back(inner);
  Value flat = reshapeTo(input, merged, loc);
  return bind(node, reshapeTo(normalize(flat), shape, loc));
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// 1-D pooling over (N, C, L) is 2-D pooling over (N, C, 1, L) with kernel
/// (1, k), strides (1, s), pads (0, b, 0, e) and dilations (1, d).
/// The spatial axes (2, 3, ...) of an (N, C, D1, ...) input, which global
/// pooling reduces, and the input shape with them reduced to 1.
bool Importer::spatialAxes(const onnx::NodeProto &node, ArrayRef<int64_t> in,
                           SmallVectorImpl<int64_t> &axes,
                           SmallVectorImpl<int64_t> &reduced) {
  if (in.size() < 3)
    return fail(node, "the input must be (N, C, D1, ...), has rank " +
                          Twine(in.size()));
  reduced.assign(in.begin(), in.end());
  for (int64_t d = 2; d < (int64_t)in.size(); ++d) {
    axes.push_back(d);
    reduced[d] = 1;
  }
  return true;
}

bool Importer::importPool(const onnx::NodeProto &node) {
  bool isMax = node.op_type() == "MaxPool";
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  ArrayRef<int64_t> in = shapeOf(x);
  if (isMax && getInt(node, "storage_order", 0) != 0)
    return fail(node, "storage_order = 1 (column-major indices) is not "
                      "supported");
  if (isMax && !rejectUsedOutput(node, 1, "the Indices output"))
    return false;
  Location loc = locFor(node);
  SmallVector<int64_t, 4> in4;
  Window w;
  bool is1D;
  if (!readPoolWindow(node, in, in4, w, is1D))
    return false;
  if (!isMax && llvm::any_of(w.dilations, [](int64_t d) { return d != 1; }))
    return fail(node, "dilated average pooling is not supported");
  Value x4 = is1D ? reshapeTo(x, in4, loc) : x;
  auto type = tensorType({in[0], in[1], w.outH, w.outW}, builder);
  Value pooled;
  if (isMax)
    pooled = MaxPoolOp::create(builder, loc, type, x4, w.kernel, w.strides,
                               w.pads, w.dilations, w.ceilMode);
  else
    pooled = AvgPoolOp::create(builder, loc, type, x4, w.kernel, w.strides,
                               w.pads, w.ceilMode,
                               getInt(node, "count_include_pad", 0) != 0,
                               /*dilations=*/nullptr);
  if (is1D)
    pooled = reshapeTo(pooled, {in[0], in[1], w.outW}, loc);
  return bind(node, pooled);
}

bool Importer::importGlobalAveragePool(const onnx::NodeProto &node) {
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  ArrayRef<int64_t> in = shapeOf(x);
  if (in.size() != 3 && in.size() != 4)
    return fail(node, "only (N, C, L) and (N, C, H, W) inputs are supported");
  Location loc = locFor(node);
  // (N, C, L) pools as (N, C, 1, L).
  Value x4 = in.size() == 3 ? reshapeTo(x, {in[0], in[1], 1, in[2]}, loc) : x;
  Value pooled = GlobalAvgPoolOp::create(
      builder, loc, tensorType({in[0], in[1], 1, 1}, builder), x4);
  if (in.size() == 3)
    pooled = reshapeTo(pooled, {in[0], in[1], 1}, loc);
  return bind(node, pooled);
}

/// GlobalMaxPool: the maximum over every spatial dimension of (N, C, D1,
/// ...) data, kept as 1 (a ReduceMax; NaN propagates).
bool Importer::importGlobalMaxPool(const onnx::NodeProto &node) {
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  ArrayRef<int64_t> in = shapeOf(x);
  SmallVector<int64_t> axes, shape;
  if (!spatialAxes(node, in, axes, shape))
    return false;
  return bind(node, ReduceMaxOp::create(builder, locFor(node),
                                        tensorType(shape, builder), x, axes));
}

/// The p of LpPool / GlobalLpPool: a FLOAT attribute in opset 1, an INT
/// from opset 2 on; 2 by default. Only positive integers are supported (the
/// later opsets allow nothing else).
static double lpPoolP(const onnx::NodeProto &node) {
  const onnx::AttributeProto *attr = findAttr(node, "p");
  if (!attr)
    return 2;
  return attr->type() == onnx::AttributeProto::FLOAT ? attr->f()
                                                     : (double)attr->i();
}

/// |x|^p elementwise as onnxruntime's LpPool computes it:
/// float(pow(double(|x|), p)), the product x * x for p = 2 (exact in double,
/// so one rounding either way) and the pow instruction (powf) for p > 2.
static Value absPower(OpBuilder &builder, Location loc, Value x, int64_t p,
                      function_ref<Value(double, StringRef)> scalar) {
  if (p == 2)
    return MulOp::create(builder, loc, x.getType(), x, x);
  Value a = AbsOp::create(builder, loc, x);
  if (p == 1)
    return a;
  return PowOp::create(builder, loc, x.getType(), a, scalar((double)p, "_p"));
}

/// sum^(1/p) as onnxruntime: powf(sum, 1.0f / p), the sum itself for p = 1.
static Value rootOf(OpBuilder &builder, Location loc, Value sum, int64_t p,
                    function_ref<Value(double, StringRef)> scalar) {
  if (p == 1)
    return sum;
  float inverse = 1.0f / (float)p;
  return PowOp::create(builder, loc, sum.getType(), sum,
                       scalar(inverse, "_inverse_p"));
}

/// LpPool and GlobalLpPool: (sum over the window of |x|^p)^(1/p).
///
/// Measured against onnxruntime-node 1.30 (docs/SupportedOps.md, "LpPool
/// against onnxruntime"): each term is float(pow(double(|x|), p)), the
/// window's real (unpadded) elements are summed in float32 and the root is
/// powf(sum, 1.0f / p). The window sum here is an average pool over the
/// real elements (with the window's dilations) times their (compile-time)
/// count, the global one a
/// reduce_sum (accumulated in double): within an ulp or two of
/// onnxruntime's running float sum, not bit for bit.
bool Importer::importLpPool(const onnx::NodeProto &node) {
  bool global = node.op_type() == "GlobalLpPool";
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  double pValue = lpPoolP(node);
  if (!(pValue >= 1) || pValue > 1024 || pValue != std::floor(pValue)) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", pValue);
    return fail(node, "p is " + Twine(text) +
                          ", must be a positive integer (at most 1024)");
  }
  int64_t p = (int64_t)pValue;
  ArrayRef<int64_t> in = shapeOf(x);
  Location loc = locFor(node);
  std::string name = node.output(0);
  auto scalar = [&](double v, StringRef suffix) {
    return materialize(ConstTensor{{}, {v}}, loc, name + suffix.str());
  };
  if (global) {
    SmallVector<int64_t> axes, shape;
    if (!spatialAxes(node, in, axes, shape))
      return false;
    Value sum = ReduceSumOp::create(builder, loc, tensorType(shape, builder),
                                    absPower(builder, loc, x, p, scalar), axes);
    return bind(node, rootOf(builder, loc, sum, p, scalar));
  }
  SmallVector<int64_t, 4> in4;
  Window w;
  bool is1D;
  if (!readPoolWindow(node, in, in4, w, is1D))
    return false;
  // The number of real elements in each window (the padding holds none),
  // which the average pool divides by.
  auto realCount = [&](int64_t o, int dim) {
    int64_t start = o * w.strides[dim] - w.pads[dim], count = 0;
    for (int64_t u = 0; u < w.kernel[dim]; ++u) {
      int64_t at = start + u * w.dilations[dim];
      count += at >= 0 && at < in4[2 + dim];
    }
    return count;
  };
  ConstTensor counts{{1, 1, w.outH, w.outW}, {}};
  for (int64_t oy = 0; oy < w.outH; ++oy)
    for (int64_t ox = 0; ox < w.outW; ++ox)
      counts.data.push_back((double)(realCount(oy, 0) * realCount(ox, 1)));
  Value x4 = is1D ? reshapeTo(x, in4, loc) : x;
  auto type = tensorType({in[0], in[1], w.outH, w.outW}, builder);
  Value mean = AvgPoolOp::create(builder, loc, type,
                                 absPower(builder, loc, x4, p, scalar),
                                 w.kernel, w.strides, w.pads, w.ceilMode,
                                 /*count_include_pad=*/false,
                                 builder.getDenseI64ArrayAttr(w.dilations));
  Value sum = MulOp::create(builder, loc, type, mean,
                            materialize(counts, loc, name + "_counts"));
  Value pooled = rootOf(builder, loc, sum, p, scalar);
  if (is1D)
    pooled = reshapeTo(pooled, {in[0], in[1], w.outW}, loc);
  return bind(node, pooled);
}

/// ReduceMean over the two spatial dimensions of NCHW data is a global
/// average pool (then dropping them unless keepdims). Axes are an attribute
/// before opset 18 and an input from it on.
bool Importer::importReduceMean(const onnx::NodeProto &node) {
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  ArrayRef<int64_t> in = shapeOf(x);
  std::vector<int64_t> axes;
  if (opset < 18)
    axes = getInts(node, "axes").value_or(std::vector<int64_t>{});
  else if (hasInput(node, 1) && !intsInput(node, 1, "axes", axes))
    return false;
  for (int64_t &axis : axes)
    if (!normalizeAxis(axis, in.size()))
      return fail(node, "axis " + Twine(axis) + " out of range");
  llvm::sort(axes);
  if (in.size() != 4 || axes != std::vector<int64_t>{2, 3})
    return fail(node, "only the mean over the spatial axes (2, 3) of "
                      "(N, C, H, W) data is supported");
  Location loc = locFor(node);
  Value pooled = GlobalAvgPoolOp::create(
      builder, loc, tensorType({in[0], in[1], 1, 1}, builder), x);
  if (getInt(node, "keepdims", 1) != 0)
    return bind(node, pooled);
  return bind(node, reshapeTo(pooled, {in[0], in[1]}, loc));
}

//===----------------------------------------------------------------------===//
// Identity, Dropout
//===----------------------------------------------------------------------===//

/// Identity, and Dropout at inference (an identity; its mask must be
/// unused). Constants stay constants.
bool Importer::importIdentity(const onnx::NodeProto &node) {
  if (node.op_type() == "Dropout") {
    if (getInt(node, "is_test", 1) == 0)
      return fail(node, "training-mode Dropout (is_test = 0) is not supported");
    if (hasInput(node, 2)) {
      const ConstTensor *training = constantInput(node, 2, "training_mode");
      if (!training)
        return false;
      if (training->numElements() != 1)
        return fail(node, "training_mode must be a single boolean");
      // In training mode ONNX Dropout zeroes a random `ratio` of the
      // elements and scales the rest by 1 / (1 - ratio): with ratio 0 it is
      // the identity (torch exports modules that only run in train mode so,
      // with dropout 0).
      const ConstTensor *ratio =
          training->data[0] == 0 || !hasInput(node, 1)
              ? nullptr
              : constantInput(node, 1, "ratio");
      if (training->data[0] != 0 &&
          (!ratio || ratio->numElements() != 1 || ratio->data[0] != 0))
        return fail(node, "training-mode Dropout is only supported with a "
                          "constant ratio of 0 (otherwise it is random)");
    }
    if (!rejectUsedOutput(node, 1, "the mask"))
      return false;
  }
  const Binding *input = lookup(node, 0);
  if (!input)
    return false;
  if (node.output_size() < 1 || node.output(0).empty())
    return fail(node, "has no output");
  env[node.output(0)] = *input;
  return true;
}

} // namespace rebocc::onnxfe
