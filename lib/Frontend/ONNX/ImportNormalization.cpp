//===- ImportNormalization.cpp - ONNX Layer/InstanceNormalization, LRN ---===//
//
// LayerNormalization and InstanceNormalization: circulant.normalize (zero
// mean, unit variance over the trailing dimensions from an axis) followed by
// the scale (a broadcasting mul) and the bias (a broadcasting add). A
// LayerNormalization over a last dimension of fewer than 8 elements is
// onnxruntime's float32 running computation instead, in digital ops. LRN
// is onnxruntime's running sum along the channels, in digital ops too.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

#include <cmath>

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

namespace rebocc::onnxfe {

/// LRN (local response normalization across channels, the Caffe-era
/// classics' layer): y = x * (bias + alpha / size * sum(x^2 over the
/// channels c - floor((size-1)/2) .. c + ceil((size-1)/2)))^-beta.
///
/// Measured against onnxruntime-node 1.30 (docs/SupportedOps.md, "LRN
/// against onnxruntime"): onnxruntime's kernel keeps a running sum along
/// the channels, in float32,
///   s_0 = bias + q_0 + ... + q_(size-1),   q = (alpha / size) * padded x^2
///   s_c = (s_(c-1) + q_(c+size-1)) + (-q_(c-1)),
/// which its scales equal bit for bit (a window sum does not: the running
/// one cancels). Each step is a digital op on one channel's slices; the
/// power is the pow instruction (std::pow), which differs from
/// onnxruntime's Eigen pow in the last bit of some elements.
bool Importer::importLRN(const onnx::NodeProto &node) {
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  ArrayRef<int64_t> shape = shapeOf(x);
  if (shape.size() < 3)
    return fail(node, "the input must be (N, C, D1, ...), has rank " +
                          Twine(shape.size()));
  const onnx::AttributeProto *sizeAttr = findAttr(node, "size");
  if (!sizeAttr)
    return fail(node, "attribute 'size' is required");
  int64_t size = getInt(node, "size", 0);
  float alpha = getFloat(node, "alpha", 1e-4f);
  float beta = getFloat(node, "beta", 0.75f);
  float bias = getFloat(node, "bias", 1.0f);
  if (size < 1 || size > kMaxWindow)
    return fail(node, "size " + Twine(size) + " must be in [1, " +
                          Twine(kMaxWindow) + "]");
  // onnxruntime rejects beta <= 0 too (its kernel checks beta > 0).
  if (!(beta > 0.0f) || !std::isfinite(beta))
    return fail(node, "beta must be positive and finite");
  if (!std::isfinite(alpha) || !std::isfinite(bias))
    return fail(node, "alpha and bias must be finite");
  Location loc = locFor(node);
  std::string name = node.output(0);
  int64_t rank = shape.size(), channels = shape[1];
  int64_t before = (size - 1) / 2, after = size - 1 - before;
  auto scalar = [&](double v, StringRef suffix) {
    return materialize(ConstTensor{{}, {v}}, loc, name + suffix.str());
  };
  // q = (alpha / size) * x^2, padded with zero channels on both sides.
  Value squares = MulOp::create(builder, loc, x.getType(), x, x);
  SmallVector<int64_t> padded(shape);
  padded[1] = channels + size - 1;
  SmallVector<int64_t> pads(2 * rank, 0);
  pads[1] = before;
  pads[rank + 1] = after;
  Value p = PadOp::create(builder, loc, tensorType(padded, builder), squares,
                          pads, "constant", APFloat(0.0f));
  float alphaOverSize = alpha / (float)size;
  Value q = MulOp::create(builder, loc, p.getType(), p,
                          scalar(alphaOverSize, "_alpha_over_size"));
  Value negQ = NegOp::create(builder, loc, q);
  SmallVector<int64_t> one(shape);
  one[1] = 1;
  auto channelType = tensorType(one, builder);
  auto channel = [&](Value v, int64_t c) -> Value {
    return SliceOp::create(builder, loc, channelType, v,
                           builder.getDenseI64ArrayAttr({1}),
                           builder.getDenseI64ArrayAttr({c}),
                           builder.getDenseI64ArrayAttr({c + 1}));
  };
  Value s = scalar(bias, "_bias");
  for (int64_t c = 0; c < size; ++c)
    s = AddOp::create(builder, loc, channelType, s, channel(q, c));
  SmallVector<Value> scales{s};
  for (int64_t c = 1; c < channels; ++c) {
    s = AddOp::create(builder, loc, channelType, s, channel(q, c + size - 1));
    s = AddOp::create(builder, loc, channelType, s, channel(negQ, c - 1));
    scales.push_back(s);
  }
  Value scale = scales.size() == 1
                    ? scales[0]
                    : ConcatOp::create(builder, loc, x.getType(), scales, 1)
                          .getResult();
  Value power = PowOp::create(builder, loc, x.getType(), scale,
                              scalar(-beta, "_minus_beta"));
  return bind(node, MulOp::create(builder, loc, x.getType(), power, x));
}

} // namespace rebocc::onnxfe
