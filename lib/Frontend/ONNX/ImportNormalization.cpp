//===- ImportNormalization.cpp - ONNX layer and instance normalization ----===//
//
// LayerNormalization and InstanceNormalization: circulant.normalize (zero
// mean, unit variance over the trailing dimensions from an axis) followed by
// the scale (a broadcasting mul) and the bias (a broadcasting add).
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
  // for bit, not S * (1 / n); test/e2e/div-ort.test). Below 8 normalized
  // elements it keeps a running mean instead (m += (x - m) / k), which
  // neither S / n nor S * (1 / n) reproduces bit for bit.
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
  Value normalized =
      NormalizeOp::create(builder, loc, x, axis, APFloat(epsilon));
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
  auto [mean, inverse] =
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
