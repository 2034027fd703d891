//===- ImportMicrosoftQLinearUnary.cpp - QOperator contrib ops, one input -===//
//
// ONNX Runtime's contrib operators (domain com.microsoft) of one quantized
// input that its quantizer writes into QOperator models: QLinearSigmoid,
// QLinearLeakyRelu and QLinearGlobalAveragePool. Each computes what
// onnxruntime-node 1.30 computes on the 8-bit codes, bit for bit (measured:
// docs/SupportedOps.md, "ONNX Runtime's QOperator contrib ops"):
//
//  - QLinearSigmoid and QLinearLeakyRelu are a lookup table over the 256
//    codes, dequantize -> f -> quantize in float32, as onnxruntime builds
//    it; rebocc folds the table at compile time and gathers from it by the
//    run-time codes (one gather instruction, exact in every mode).
//  - QLinearGlobalAveragePool sums the codes exactly and requantizes the
//    sum with one float32 multiplier: round((sum - n * x_zp) *
//    (x_scale / (y_scale * n))) + y_zp.
//
// The scales and zero points must be constants (onnxruntime's quantizer
// writes initializers); the codes are uint8 or int8, carried as float32.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

#include <cmath>

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

/// An ONNX element type's name (UINT8, INT16, ...).
static std::string typeName(int type) {
  return onnx::TensorProto_DataType_IsValid(type)
             ? onnx::TensorProto_DataType_Name((onnx::TensorProto_DataType)type)
             : "type " + std::to_string(type);
}

/// The scale (input `scaleIndex`) and zero point (the next input, optional:
/// 0) of `node` as constant scalars; one error naming what is wrong.
bool Importer::readQuantization(const onnx::NodeProto &node, int scaleIndex,
                                const char *side, QLinearUnaryParams::Side &q,
                                int &zeroPointType) {
  const ConstTensor *scale = constantInput(
      node, scaleIndex, Twine(side) + "_scale");
  if (!scale)
    return false;
  if (scale->data.size() != 1 || !scale->isFloat)
    return fail(node, Twine(side) + "_scale must be one float (per tensor)");
  q.scale = (float)scale->data[0];
  if (!(q.scale > 0) || !std::isfinite(q.scale))
    return fail(node, Twine(side) + "_scale must be positive and finite");
  if (!hasInput(node, scaleIndex + 1))
    return true;
  const ConstTensor *zp = constantInput(
      node, scaleIndex + 1, Twine(side) + "_zero_point");
  if (!zp)
    return false;
  if (zp->data.size() != 1)
    return fail(node, Twine(side) + "_zero_point must be one value (per "
                                   "tensor)");
  q.zeroPoint = (float)zp->data[0];
  zeroPointType = zp->dataType;
  return true;
}

bool Importer::qlinearUnaryParams(const onnx::NodeProto &node,
                                  QLinearUnaryParams &p) {
  if (node.input_size() < 4 || !hasInput(node, 0) || !hasInput(node, 1) ||
      !hasInput(node, 3))
    return fail(node, "needs the inputs X, X_scale, X_zero_point (may be "
                      "empty), Y_scale and Y_zero_point (optional)");
  int xType = 0, yType = 0;
  if (!readQuantization(node, 1, "X", p.x, xType) ||
      !readQuantization(node, 3, "Y", p.y, yType))
    return false;
  if (xType && yType && xType != yType)
    return fail(node, "X_zero_point is " + typeName(xType) +
                          " but Y_zero_point " + typeName(yType));
  int type = xType ? xType : yType;
  if (!type) {
    auto it = runtimeTypes.find(node.input(0));
    type = it == runtimeTypes.end() ? onnx::TensorProto::UINT8 : it->second;
  }
  if (type == onnx::TensorProto::UINT8)
    p.lo = 0, p.hi = 255;
  else if (type == onnx::TensorProto::INT8)
    p.lo = -128, p.hi = 127;
  else
    return fail(node, "the codes are " + typeName(type) +
                          "; only uint8 and int8 are supported");
  p.dataType = type;
  return true;
}

/// onnxruntime's quantization of a float32 result: round(v / scale) ties
/// to even, plus the zero point, saturated (onnxruntime divides; the
/// reciprocal's product rounds other values the other way).
static float quantizeCode(float v, const QLinearUnaryParams &p) {
  float code = std::nearbyint(v / p.y.scale) + p.y.zeroPoint;
  return std::isnan(code) ? p.lo : std::min(std::max(code, p.lo), p.hi);
}

/// The float32 function of the lookup table of `opType`.
static float tableFunction(StringRef opType, float x, float alpha) {
  if (opType == "QLinearLeakyRelu")
    return x >= 0 ? x : x * alpha;
  // The logistic function rounded once to float32 (onnxruntime's is an
  // approximation of it: see docs/SupportedOps.md).
  return (float)(1.0 / (1.0 + std::exp(-(double)x)));
}

bool Importer::importQLinearLookup(const onnx::NodeProto &node) {
  QLinearUnaryParams p;
  if (!qlinearUnaryParams(node, p))
    return false;
  const Binding *x = lookup(node, 0);
  if (!x)
    return false;
  float alpha = getFloat(node, "alpha", 0.01f);
  // The table by gather index: code q at q (uint8) or at q mod 256 (int8:
  // the gather wraps negative indices as ONNX's Gather does).
  ConstTensor table;
  table.shape = {256};
  table.data.resize(256);
  for (int q = (int)p.lo; q <= (int)p.hi; ++q) {
    float dequantized = p.x.scale * (float)(q - (int)p.x.zeroPoint);
    table.data[q & 255] =
        quantizeCode(tableFunction(node.op_type(), dequantized, alpha), p);
  }
  if (x->known) {
    ConstTensor out;
    out.shape = x->known->shape;
    out.isFloat = false;
    out.dataType = p.dataType;
    for (double code : x->known->data)
      out.data.push_back(table.data[(int64_t)code & 255]);
    return bindConstant(node, std::move(out));
  }
  Location loc = locFor(node);
  Value lut = materialize(table, loc, node.output(0) + "/rebocc.table");
  Value y = GatherOp::create(builder, loc, x->value.getType(), lut, x->value,
                             builder.getStringAttr(support::gatherKindName(
                                 support::GatherKind::Axis)),
                             builder.getI64IntegerAttr(0));
  runtimeTypes[node.output(0)] = p.dataType;
  return bind(node, y);
}

bool Importer::importQLinearGlobalAveragePool(const onnx::NodeProto &node) {
  QLinearUnaryParams p;
  if (!qlinearUnaryParams(node, p))
    return false;
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  ArrayRef<int64_t> in = shapeOf(x);
  int64_t rank = in.size();
  if (rank < 3)
    return fail(node, "X must be (N, C, D1, ...) or, with channels_last, "
                      "(N, D1, ..., C); it has rank " + Twine(rank));
  bool channelsLast = getInt(node, "channels_last", 0) != 0;
  SmallVector<int64_t> axes, shape(in);
  int64_t count = 1;
  for (int64_t d = channelsLast ? 1 : 2; d < (channelsLast ? rank - 1 : rank);
       ++d) {
    if (ShapedType::isDynamic(in[d]))
      return fail(node, "spatial dimension " + Twine(d) + " of X " +
                            dimsToString(in) + " is not known");
    axes.push_back(d);
    count *= in[d];
    shape[d] = 1;
  }
  // The exact integer sum (float32 holds integers up to 2^24) bounds the
  // window; onnxruntime's accumulator is int32.
  if (count > 65536)
    return fail(node, "the pooled window has " + Twine(count) +
                          " elements; at most 65536 are supported");
  // onnxruntime's multiplier, x_scale / (y_scale * n) in float32.
  float multiplier = p.x.scale / (p.y.scale * (float)count);
  Location loc = locFor(node);
  RankedTensorType type = tensorType(shape, builder);
  auto scalar = [&](double value, const char *what) {
    return materialize(constAlongAxis({value}, 0, rank), loc,
                       node.output(0) + "/rebocc." + what);
  };
  // The sum of at most 2^16 codes is an integer below 2^24: exact.
  Value v = ReduceSumOp::create(builder, loc, type, x, axes);
  if (p.x.zeroPoint != 0)
    v = AddOp::create(builder, loc, type, v,
                      scalar(-(double)count * p.x.zeroPoint, "zero_points"));
  v = MulOp::create(builder, loc, type, v, scalar(multiplier, "multiplier"));
  v = RoundOp::create(builder, loc, v);
  if (p.y.zeroPoint != 0)
    v = AddOp::create(builder, loc, type, v,
                      scalar(p.y.zeroPoint, "zero_point"));
  v = ClipOp::create(builder, loc, v, builder.getF32FloatAttr(p.lo),
                     builder.getF32FloatAttr(p.hi), builder.getUnitAttr());
  runtimeTypes[node.output(0)] = p.dataType;
  return bind(node, v);
}

} // namespace rebocc::onnxfe
