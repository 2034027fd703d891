//===- ImportMicrosoftQLinearUnary.cpp - QOperator contrib ops, one input -===//
//
// ONNX Runtime's contrib operators (domain com.microsoft) of one quantized
// input that its quantizer writes into QOperator models: QLinearSigmoid,
// QLinearLeakyRelu, QLinearGlobalAveragePool and QLinearAveragePool. Each
// computes what onnxruntime-node 1.30 computes on the 8-bit codes, bit for
// bit (measured: docs/SupportedOps.md, "ONNX Runtime's QOperator contrib
// ops"), except QLinearSigmoid's table next to a rounding tie (below):
//
//  - QLinearSigmoid and QLinearLeakyRelu are a lookup table over the 256
//    codes, dequantize -> f -> quantize in float32, as onnxruntime builds
//    it; rebocc folds the table at compile time and gathers from it by the
//    run-time codes (one gather instruction, exact in every mode). Its
//    Sigmoid is the logistic function rounded once to float32, where
//    onnxruntime's is an approximation: a code whose value lies within a
//    few float32 steps of a rounding tie can round the other way.
//  - QLinearGlobalAveragePool sums the codes exactly and requantizes the
//    sum with one float32 multiplier: round((sum - n * x_zp) *
//    (x_scale / (y_scale * n))) + y_zp.
//  - QLinearAveragePool dequantizes, sums each window in float32 in its
//    row-major order, divides by the count and quantizes as
//    round(mean / y_scale + y_zp): the same float32 operations, so the
//    same roundings.
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

bool Importer::qlinearUnaryParams(const onnx::NodeProto &node,
                                  QLinearUnaryParams &p) {
  if (node.input_size() < 4 || !hasInput(node, 0) || !hasInput(node, 1) ||
      !hasInput(node, 3))
    return fail(node, "needs the inputs X, X_scale, X_zero_point (may be "
                      "empty), Y_scale and Y_zero_point (optional)");
  QLinearOperand xq, yq;
  if (!qlinearScaleZeroPoint(node, 1, "X", xq) ||
      !qlinearScaleZeroPoint(node, 3, "Y", yq))
    return false;
  p.x = {xq.scale, xq.zeroPoint};
  p.y = {yq.scale, yq.zeroPoint};
  int xType = xq.type, yType = yq.type;
  if (xType && yType && xType != yType)
    return fail(node, "X_zero_point is " + typeName(xType) +
                          " but Y_zero_point " + typeName(yType));
  // X holds 8-bit codes: integer data at run time, or an integer constant.
  const Binding *x = lookup(node, 0);
  if (!x)
    return false;
  if (x->known ? x->known->isFloat
               : !integerData.contains(node.input(0)) &&
                     !castIntegers.contains(node.input(0)))
    return fail(node, "X '" + node.input(0) +
                          "' is float data; it must be uint8 or int8 codes");
  auto runtimeType = runtimeTypes.find(node.input(0));
  int xDataType = x->known ? x->known->dataType
                  : runtimeType == runtimeTypes.end() ? 0
                                                      : runtimeType->second;
  int type = xType ? xType : yType;
  if (type && xDataType && type != xDataType)
    return fail(node, "X is " + typeName(xDataType) +
                          " but its zero point " + typeName(type));
  if (!type)
    type = xDataType ? xDataType : onnx::TensorProto::UINT8;
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

/// The divisor of each output position along one axis: the window clipped
/// to the padded input (count_include_pad) or to the input.
static std::vector<int64_t> windowCounts(int64_t out, int64_t size,
                                         int64_t kernel, int64_t stride,
                                         int64_t padBegin, int64_t padEnd,
                                         bool includePad) {
  std::vector<int64_t> counts;
  for (int64_t o = 0; o < out; ++o) {
    int64_t start = o * stride - padBegin;
    int64_t end = std::min(start + kernel, size + (includePad ? padEnd : 0));
    counts.push_back(end - (includePad ? start : std::max<int64_t>(start, 0)));
  }
  return counts;
}

bool Importer::importQLinearAveragePool(const onnx::NodeProto &node) {
  QLinearUnaryParams p;
  if (!qlinearUnaryParams(node, p))
    return false;
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  if (getInt(node, "channels_last", 0) != 0)
    return fail(node, "channels_last = 1 is not supported");
  ArrayRef<int64_t> in = shapeOf(x);
  SmallVector<int64_t, 4> in4;
  Window w;
  bool is1D;
  if (!readPoolWindow(node, in, in4, w, is1D))
    return false;
  if (llvm::any_of(w.dilations, [](int64_t d) { return d != 1; }))
    return fail(node, "dilated average pooling is not supported");
  for (int d = 2; d < 4; ++d)
    if (ShapedType::isDynamic(in4[d]))
      return fail(node, "the spatial dimensions of X " + dimsToString(in) +
                            " must be known");
  Location loc = locFor(node);
  int64_t n = in4[0], c = in4[1];
  SmallVector<int64_t, 2> size = {in4[2], in4[3]}, out = {w.outH, w.outW};
  auto scalar = [&](double value, const char *what) {
    return materialize(constAlongAxis({value}, 0, 4), loc,
                       node.output(0) + "/rebocc." + what);
  };
  // Dequantized as onnxruntime does, (x - x_zp) * x_scale in float32.
  Value v = is1D ? reshapeTo(x, in4, loc) : x;
  RankedTensorType inType = tensorType(in4, builder);
  if (p.x.zeroPoint != 0)
    v = AddOp::create(builder, loc, inType, v,
                      scalar(-p.x.zeroPoint, "x_zero_point"));
  v = MulOp::create(builder, loc, inType, v, scalar(p.x.scale, "x_scale"));
  // Window sums at stride 1 (the strided ones picked after): the padded
  // input's slices added in the window's row-major order, one float32
  // rounding each, as onnxruntime's loop adds. A padding zero adds nothing.
  SmallVector<int64_t, 2> span, padEnd;
  for (int d = 0; d < 2; ++d) {
    span.push_back((out[d] - 1) * w.strides[d] + 1);
    padEnd.push_back(std::max<int64_t>(
        0, span[d] - 1 + w.kernel[d] - w.pads[d] - size[d]));
  }
  if (w.pads[0] || w.pads[1] || padEnd[0] || padEnd[1]) {
    SmallVector<int64_t> pads = {0, 0, w.pads[0], w.pads[1],
                                 0, 0, padEnd[0],  padEnd[1]};
    v = PadOp::create(builder, loc,
                      tensorType({n, c, w.pads[0] + size[0] + padEnd[0],
                                  w.pads[1] + size[1] + padEnd[1]},
                                 builder),
                      v, pads, "constant", llvm::APFloat(0.0f));
  }
  RankedTensorType spanType = tensorType({n, c, span[0], span[1]}, builder);
  Value sum;
  for (int64_t i = 0; i < w.kernel[0]; ++i)
    for (int64_t j = 0; j < w.kernel[1]; ++j) {
      Value term = SliceOp::create(builder, loc, spanType, v,
                                   ArrayRef<int64_t>{2, 3},
                                   ArrayRef<int64_t>{i, j},
                                   ArrayRef<int64_t>{i + span[0], j + span[1]});
      sum = sum ? Value(AddOp::create(builder, loc, spanType, sum, term))
                : term;
    }
  SmallVector<int64_t, 4> shape = {n, c, span[0], span[1]};
  for (int d = 0; d < 2; ++d) {
    if (span[d] == out[d]) // stride 1, or one window
      continue;
    ConstTensor picks;
    picks.shape = {out[d]};
    for (int64_t o = 0; o < out[d]; ++o)
      picks.data.push_back((double)(o * w.strides[d]));
    shape[2 + d] = out[d];
    sum = GatherOp::create(
        builder, loc, tensorType(shape, builder), sum,
        materialize(picks, loc, node.output(0) + "/rebocc.picks"),
        builder.getStringAttr(support::gatherKindName(support::GatherKind::Axis)),
        builder.getI64IntegerAttr(2 + d));
  }
  // The mean: a float32 division by each window's count.
  bool includePad = getInt(node, "count_include_pad", 0) != 0;
  std::vector<int64_t> rows = windowCounts(out[0], size[0], w.kernel[0],
                                           w.strides[0], w.pads[0], w.pads[2],
                                           includePad);
  std::vector<int64_t> cols = windowCounts(out[1], size[1], w.kernel[1],
                                           w.strides[1], w.pads[1], w.pads[3],
                                           includePad);
  ConstTensor counts;
  counts.shape = {1, 1, out[0], out[1]};
  for (int64_t r : rows)
    for (int64_t col : cols)
      counts.data.push_back((double)(r * col));
  RankedTensorType type = tensorType(shape, builder);
  sum = DivOp::create(builder, loc, type, sum,
                      materialize(counts, loc, node.output(0) + "/rebocc.counts"));
  // onnxruntime's quantization here: round(mean / y_scale + y_zp), the zero
  // point added in float32 before rounding.
  v = DivOp::create(builder, loc, type, sum, scalar(p.y.scale, "y_scale"));
  if (p.y.zeroPoint != 0)
    v = AddOp::create(builder, loc, type, v, scalar(p.y.zeroPoint, "y_zero_point"));
  v = RoundOp::create(builder, loc, v);
  v = ClipOp::create(builder, loc, v, builder.getF32FloatAttr(p.lo),
                     builder.getF32FloatAttr(p.hi), builder.getUnitAttr());
  if (is1D)
    v = reshapeTo(v, {n, c, out[1]}, loc);
  runtimeTypes[node.output(0)] = p.dataType;
  return bind(node, v);
}

} // namespace rebocc::onnxfe
