//===- ImportNormalization.cpp - ONNX layer and instance normalization ----===//
//
// LayerNormalization and InstanceNormalization: circulant.normalize (zero
// mean, unit variance over the trailing dimensions from an axis) followed by
// the scale (a broadcasting mul) and the bias (a broadcasting add). A
// LayerNormalization over a last dimension of fewer than 8 elements is
// onnxruntime's float32 running computation instead, in digital ops.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

/// x * scale + bias (bias optional), the scale and bias broadcasting to x's
/// shape, which the result keeps.
static bool scaleShift(OpBuilder &b, Location loc, Value x, Value scale,
                       Value bias, Value &result, std::string &reason) {
  ArrayRef<int64_t> shape = shapeOf(x);
  for (Value v : {scale, bias}) {
    if (!v)
      continue;
    std::optional<std::vector<int64_t>> both =
        support::broadcastShapes(shape, shapeOf(v));
    if (!both || ArrayRef<int64_t>(*both) != shape) {
      reason = "shape " + dimsToString(shapeOf(v)) +
               " does not broadcast to the input " + dimsToString(shape);
      return false;
    }
  }
  result = MulOp::create(b, loc, x.getType(), x, scale);
  if (bias)
    result = AddOp::create(b, loc, x.getType(), result, bias);
  return true;
}

/// The statistics come from the broadcasting ops: the normalization itself
/// does not keep them.
std::pair<Value, Value> Importer::layerNormStatistics(Value x, int64_t axis,
                                                      float epsilon,
                                                      const std::string &name,
                                                      Location loc) {
  ArrayRef<int64_t> shape = shapeOf(x);
  SmallVector<int64_t> axes, reduced(shape);
  for (int64_t d = axis; d < (int64_t)shape.size(); ++d) {
    axes.push_back(d);
    reduced[d] = 1;
  }
  auto type = tensorType(reduced, builder);
  auto scalar = [&](double v, StringRef suffix) {
    return materialize(ConstTensor{{}, {v}}, loc, name + suffix.str());
  };
  // onnxruntime (1.30, CPU) divides the sums by the count (checked with
  // onnxruntime-node on sums exact in float32: its Mean output is S / n bit
  // for bit, not S * (1 / n); test/e2e/div-ort.test). From 8 normalized
  // elements on its mean is the double-precision S / n rounded once, which
  // the float32 S / n here is not when S is not exact in float32; below 8
  // (a last dimension: runningLayerNorm) it keeps a running mean.
  int64_t count = product(shape.drop_front(axis));
  auto meanOf = [&](Value v, StringRef what) -> Value {
    Value sum = ReduceSumOp::create(builder, loc, type, v, axes);
    return divideByCount(sum, count, loc, name + what.str());
  };
  Value mean = meanOf(x, "_mean_count");
  Value centered = AddOp::create(builder, loc, x.getType(), x,
                                 NegOp::create(builder, loc, mean));
  Value variance =
      meanOf(MulOp::create(builder, loc, x.getType(), centered, centered),
             "_variance_count");
  Value shifted = AddOp::create(builder, loc, type, variance,
                                scalar(epsilon, "_epsilon"));
  Value inverse = PowOp::create(builder, loc, type, shifted,
                                scalar(-0.5, "_minus_half"));
  return {mean, inverse};
}

/// Normalized sizes below this one onnxruntime (1.30, CPU) computes with a
/// running mean; from it on its mean is the double-precision sum over n
/// (docs/SupportedOps.md).
constexpr int64_t kRunningMeanBelow = 8;

std::tuple<Value, Value, Value>
Importer::runningLayerNorm(Value x, float epsilon, const std::string &name,
                           Location loc) {
  // Measured against onnxruntime-node 1.30 bit for bit (all three outputs;
  // test/e2e/layernorm-small-ort.test): per row, in float32,
  //   d = x_k - m;  m = m + d / k;  M2 = M2 + d * (x_k - m)   (k = 1..n)
  //   sigma = sqrt(M2 / n + epsilon);  y = (x - m) / sigma
  // and InvStdDev = 1 / sigma: each a digital op on the row's slices.
  ArrayRef<int64_t> shape = shapeOf(x);
  int64_t last = shape.size() - 1, n = shape[last];
  SmallVector<int64_t> column(shape);
  column[last] = 1;
  auto type = tensorType(column, builder);
  auto scalar = [&](double v, const std::string &suffix) {
    return materialize(ConstTensor{{}, {v}}, loc, name + suffix);
  };
  auto minus = [&](Value a, Value b) {
    return AddOp::create(builder, loc, type, a, NegOp::create(builder, loc, b));
  };
  Value m = scalar(0.0, "_mean_start"), m2 = m;
  for (int64_t k = 1; k <= n; ++k) {
    Value xk = SliceOp::create(builder, loc, type, x,
                               builder.getDenseI64ArrayAttr({last}),
                               builder.getDenseI64ArrayAttr({k - 1}),
                               builder.getDenseI64ArrayAttr({k}));
    Value d = minus(xk, m);
    m = AddOp::create(builder, loc, type, m,
                      divideByCount(d, k, loc, name + "_count" + std::to_string(k)));
    m2 = AddOp::create(builder, loc, type, m2,
                       MulOp::create(builder, loc, type, d, minus(xk, m)));
  }
  Value variance = divideByCount(m2, n, loc, name + "_variance_count");
  Value sigma = SqrtOp::create(
      builder, loc,
      AddOp::create(builder, loc, type, variance, scalar(epsilon, "_epsilon")));
  Value centered = AddOp::create(builder, loc, x.getType(), x,
                                 NegOp::create(builder, loc, m));
  Value y = DivOp::create(builder, loc, x.getType(), centered, sigma);
  Value inverse = DivOp::create(builder, loc, type, scalar(1.0, "_one"), sigma);
  return {y, m, inverse};
}

/// LayerNormalization (opset 17): normalized over the dimensions from
/// `axis` on, then times Scale plus B; the Mean and InvStdDev outputs when
/// something reads them.
bool Importer::importLayerNorm(const onnx::NodeProto &node) {
  Value x, scale, bias;
  if (!runtimeInput(node, 0, x) || !floatInput(node, 1, scale) ||
      (hasInput(node, 2) && !floatInput(node, 2, bias)))
    return false;
  ArrayRef<int64_t> shape = shapeOf(x);
  int64_t axis = getInt(node, "axis", -1);
  if (!normalizeAxis(axis, shape.size()))
    return fail(node, "axis " + Twine(axis) + " out of range for rank " +
                          Twine(shape.size()));
  if (ShapedType::isDynamic(product(shape.drop_front(axis))))
    return fail(node, "cannot normalize over the run-time batch dimension");
  // stash_type is the type the statistics are computed and kept in: only
  // float32 (1, the default) is implemented. Another (double, float16,
  // bfloat16) would change the Mean and InvStdDev outputs' type and their
  // rounding.
  int64_t stashType = getInt(node, "stash_type", 1);
  if (stashType != 1)
    return fail(node, "stash_type " + Twine(stashType) +
                          " is not supported: the statistics are float32 "
                          "(stash_type 1)");
  Location loc = locFor(node);
  float epsilon = getFloat(node, "epsilon", 1e-5f);
  // A short last dimension: onnxruntime's running mean, reproduced.
  bool running = axis == (int64_t)shape.size() - 1 &&
                 shape[axis] < kRunningMeanBelow;
  Value normalized, mean, inverse;
  if (running)
    std::tie(normalized, mean, inverse) =
        runningLayerNorm(x, epsilon, node.output(0), loc);
  else
    normalized = NormalizeOp::create(builder, loc, x, axis, APFloat(epsilon));
  Value result;
  std::string reason;
  if (!scaleShift(builder, loc, normalized, scale, bias, result, reason))
    return fail(node, "Scale or B: " + reason);
  if (!bind(node, result))
    return false;
  auto used = [&](int index) {
    return index < node.output_size() && !node.output(index).empty() &&
           consumers.lookup(node.output(index)) > 0;
  };
  if (!used(1) && !used(2))
    return true;
  if (!running)
    std::tie(mean, inverse) =
        layerNormStatistics(x, axis, epsilon, node.output(0), loc);
  return bindOutput(node, 1, mean) && bindOutput(node, 2, inverse);
}

/// InstanceNormalization: each channel of each sample normalized over its
/// spatial dimensions, then times scale[c] plus B[c].
bool Importer::importInstanceNorm(const onnx::NodeProto &node) {
  Value x, scale, bias;
  if (!runtimeInput(node, 0, x) || !floatInput(node, 1, scale) ||
      !floatInput(node, 2, bias))
    return false;
  ArrayRef<int64_t> shape = shapeOf(x);
  if (shape.size() < 3)
    return fail(node, "the input must be (N, C, D1, ...), has rank " +
                          Twine(shape.size()));
  // [C] -> [C, 1, ..., 1], aligned with dimension 1 of x.
  SmallVector<int64_t> perChannel(shape.size() - 1, 1);
  perChannel[0] = shape[1];
  Location loc = locFor(node);
  for (Value *v : {&scale, &bias}) {
    if (shapeOf(*v) != ArrayRef<int64_t>{shape[1]})
      return fail(node, "scale and B must have shape [" + Twine(shape[1]) +
                            "], one per channel");
    *v = reshapeTo(*v, perChannel, loc);
  }
  Value normalized = NormalizeOp::create(
      builder, loc, x, 2, APFloat(getFloat(node, "epsilon", 1e-5f)));
  Value result;
  std::string reason;
  if (!scaleShift(builder, loc, normalized, scale, bias, result, reason))
    return fail(node, reason);
  return bind(node, result);
}

} // namespace rebocc::onnxfe
