//===- ImportQuantize.cpp - ONNX QDQ and QOperator quantized models -------===//
//
// QuantizeLinear and DequantizeLinear are digital ops on the integer values,
// which run-time data carries as float32 (exact: every 8-bit value is a
// float32):
//
//   DequantizeLinear: (x - zero_point) * scale
//   QuantizeLinear:   clip(round(x / scale) + zero_point, qmin, qmax)
//
// with round half to even (circulant.round). Both fold on constants, so the
// DequantizeLinear of a constant integer weight (QDQ models) is the float
// weight of the crossbar layer it feeds. The QOperator layers are imported
// as the ONNX specification defines them, as a piece of QDQ graph:
//
//   QLinearConv(x, xs, xz, w, ws, wz, ys, yz, B)
//     = Quantize(Conv(Dequantize(x), Dequantize(w, axis 0), B * xs * ws))
//   QLinearMatMul(a, as, az, b, bs, bz, ys, yz)
//     = Quantize(MatMul(Dequantize(a), Dequantize(b, axis 1)))
//   ConvInteger(x, w, xz, wz) = round(Conv(x - xz, w - wz))
//   MatMulInteger(a, b, az, bz) = round(MatMul(a - az, b - bz))
//
// The round of the integer layers makes them exact while the crossbar's
// fixed-point error stays below one half.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"
#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Support/HalfFloat.h"
#include "rebocc/Support/NarrowTypes.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/bit.h"

#include <cmath>

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

/// Scale and zero point of one QuantizeLinear or DequantizeLinear, per
/// tensor (one element) or per `axis` (one element per index along it).
struct Importer::QuantParams {
  std::vector<double> scale, zeroPoint;
  int64_t axis = 0;
  /// The quantized element type (QuantizeLinear's result).
  int dataType = onnx::TensorProto::UINT8;
  double lo = 0, hi = 255;
};

static std::string dataTypeName(int type) {
  if (const char *narrow = support::narrowTypeName(type))
    return narrow;
  return onnx::TensorProto_DataType_IsValid(type)
             ? onnx::TensorProto_DataType_Name((onnx::TensorProto_DataType)type)
             : "type " + std::to_string(type);
}

/// The range of the quantized type `dataType` (QuantizeLinear saturates to
/// it); false for a type rebocc does not quantize to (`reason` says why).
/// The float8 types have none: only their DequantizeLinear of a constant
/// is imported (importDequantizeLinear).
static bool quantizedRange(int dataType, double &lo, double &hi,
                           std::string &reason) {
  switch (dataType) {
  case onnx::TensorProto::UINT8: lo = 0, hi = 255; return true;
  case onnx::TensorProto::INT8: lo = -128, hi = 127; return true;
  case onnx::TensorProto::UINT16: lo = 0, hi = 65535; return true;
  case onnx::TensorProto::INT16: lo = -32768, hi = 32767; return true;
  case support::kUint4: lo = 0, hi = 15; return true;
  case support::kInt4: lo = -8, hi = 7; return true;
  // DequantizeLinear of int32 (a QDQ bias); float32 holds it exactly up to
  // 2^24, as far as the float bias it becomes is exact anyway.
  case onnx::TensorProto::INT32:
    lo = -2147483648.0, hi = 2147483647.0;
    return true;
  default:
    if (support::isFloat8Type(dataType)) {
      lo = -INFINITY, hi = INFINITY;
      return true;
    }
    reason = "the quantized type " + dataTypeName(dataType) +
             " is not supported (uint8, int8, uint16, int16, uint4 and "
             "int4, float8 for the DequantizeLinear of a constant, and "
             "int32 for DequantizeLinear)";
    return false;
  }
}

/// The signed bits of the integer type `dataType` (8 for uint8 as for
/// int8: a layer of its weights holds w - z), 0 for the others.
static int64_t integerTypeBits(int dataType) {
  switch (dataType) {
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::INT8: return 8;
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::INT16: return 16;
  case support::kUint4:
  case support::kInt4: return 4;
  default: return 0;
  }
}

bool Importer::quantParams(const onnx::NodeProto &node, int rank,
                           QuantParams &q) {
  if (getInt(node, "block_size", 0) != 0)
    return fail(node, "blocked quantization (block_size) is not supported");
  const ConstTensor *scale = constantInput(node, 1, "the scale");
  if (!scale)
    return false;
  if (!scale->isFloat)
    return fail(node, "the scale must be a float tensor");
  if (scale->shape.size() > 1)
    return fail(node, "the scale must be a scalar or 1-D (per axis)");
  q.scale = scale->data;
  q.axis = 0; // per tensor: the axis does not matter
  if (q.scale.size() != 1 && !quantAxis(node, rank, q.axis))
    return false;
  q.zeroPoint.assign(q.scale.size(), 0.0);
  int64_t outputType = getInt(node, "output_dtype", 0);
  if (outputType)
    q.dataType = outputType;
  if (hasInput(node, 2)) {
    const ConstTensor *zp = constantInput(node, 2, "the zero point");
    if (!zp)
      return false;
    if (zp->isFloat && zp->dataType != 0 &&
        !support::isFloat8Type(zp->dataType))
      return fail(node, "the zero point has type " +
                            dataTypeName(zp->dataType) +
                            ": float zero points are not supported");
    if (zp->data.size() != scale->data.size())
      return fail(node, "the zero point and the scale differ in length");
    if (outputType && zp->dataType != 0 && zp->dataType != outputType)
      return fail(node, "output_dtype " + dataTypeName(outputType) +
                            " differs from the zero point's type " +
                            dataTypeName(zp->dataType));
    q.zeroPoint = zp->data;
    if (zp->dataType != 0)
      q.dataType = zp->dataType;
  }
  std::string reason;
  if (!quantizedRange(q.dataType, q.lo, q.hi, reason))
    return fail(node, reason);
  return true;
}

/// The index along `axis` of each element of a tensor of `shape`.
static std::vector<int64_t> channelOf(ArrayRef<int64_t> shape, int64_t axis,
                                      size_t channels) {
  int64_t inner = 1, count = 1;
  for (size_t d = 0; d < shape.size(); ++d) {
    count *= shape[d];
    if ((int64_t)d > axis)
      inner *= shape[d];
  }
  std::vector<int64_t> channel(count, 0);
  if (channels > 1)
    for (int64_t i = 0; i < count; ++i)
      channel[i] = (i / inner) % (int64_t)channels;
  return channel;
}

/// Checks a per-axis scale against the data's dimension.
static bool perAxisFits(const std::vector<double> &scale,
                        ArrayRef<int64_t> shape, int64_t axis) {
  if (scale.size() == 1)
    return true;
  return axis < (int64_t)shape.size() &&
         !ShapedType::isDynamic(shape[axis]) &&
         shape[axis] == (int64_t)scale.size();
}

/// One error when a per-axis scale does not fit the data (perAxisFits).
bool Importer::checkPerAxis(const onnx::NodeProto &node, const QuantParams &q,
                            ArrayRef<int64_t> shape) {
  if (perAxisFits(q.scale, shape, q.axis))
    return true;
  return fail(node, "the scale has " + Twine(q.scale.size()) +
                        " elements, not one per index of axis " + Twine(q.axis));
}

bool Importer::quantAxis(const onnx::NodeProto &node, int64_t rank,
                         int64_t &axis) {
  axis = getInt(node, "axis", 1);
  if (normalizeAxis(axis, rank))
    return true;
  return fail(node, "axis " + Twine(axis) + " is out of range for rank " +
                        Twine(rank));
}

/// Signed bits that hold every x - z of a type of range [lo, hi] under the
/// crossbar's symmetric clamp (|code| <= 2^(bits-1) - 1): 9 for uint8 and
/// int8, whatever the zero point.
static int64_t codeBits(double lo, double hi, double z) {
  auto maxAbs = (uint64_t)std::max(std::fabs(lo - z), std::fabs(hi - z));
  return llvm::bit_width(maxAbs) + 1;
}

/// Records the codes x - z (`codes`) of a run-time DequantizeLinear of
/// 4-, 8- or (on a chip of 17 input bits or more) 16-bit data with one scale and a typed zero point: its output is then on
/// the model's integer grid (IntegerActivations). The data is an integer of
/// the type's range wherever it comes from (QuantizeLinear clips it, data
/// movement and the integer ops keep it; checkIntegerDataUses rejects the
/// rest), and the simulator checks every code it drives.
bool Importer::recordActivationCodes(const onnx::NodeProto &node,
                                     const QuantParams &q, Value codes) {
  if (q.scale.size() != 1 || !hasInput(node, 2) || !(q.scale[0] > 0) ||
      !std::isfinite(q.scale[0]))
    return false;
  int64_t typeBits = integerTypeBits(q.dataType);
  int64_t bits = codeBits(q.lo, q.hi, q.zeroPoint[0]);
  // 16-bit codes take 17 signed bits, more than ISAAC-CE's 16 input bits:
  // on such a chip those layers re-quantize their float input as any
  // other (8- and 4-bit codes always fit a chip that runs the model; a
  // narrower one is an error at the layer).
  if (typeBits != 8 && typeBits != 4 &&
      !(typeBits == 16 && bits <= chipInputBits))
    return false;
  std::string name = node.output(0) + "/rebocc.codes";
  env[name] = Binding{codes, std::nullopt};
  integerActivations[node.output(0)] =
      IntegerActivations{name, q.scale[0], bits};
  return true;
}

/// Data movement that keeps values on the integer grid exactly: on x =
/// scale * codes (one scale > 0) it gives scale * op(codes), the same
/// float32 values, since copying commutes with the product and so does the
/// max (the rounded product is monotone). Concat needs one scale on every
/// input, Pad the value 0 (importOnCodes). Expand and Tile would move the
/// product onto their larger result, so they keep the float path.
static bool movesCodes(StringRef op) {
  return llvm::is_contained({"Identity", "Reshape", "Flatten", "Transpose",
                             "Squeeze", "Unsqueeze", "Slice", "Gather",
                             "Split", "Concat", "Pad", "MaxPool",
                             "DepthToSpace", "SpaceToDepth"},
                            op);
}

Value Importer::scaleCodes(const onnx::NodeProto &node,
                           const std::string &name, Value codes,
                           double scale) {
  if (scale == 1)
    return codes;
  Location loc = locFor(node);
  int64_t rank = shapeOf(codes).size();
  Value v = MulOp::create(
      builder, loc, codes.getType(), codes,
      materialize(constAlongAxis({scale}, 0, rank), loc, name + "/scale"));
  codeScalings.push_back(v.getDefiningOp());
  return v;
}

std::optional<bool> Importer::importOnCodes(const onnx::NodeProto &node) {
  StringRef op = node.op_type();
  if ((!node.domain().empty() && node.domain() != "ai.onnx") ||
      !movesCodes(op) || node.input_size() < 1)
    return std::nullopt;
  // The data: every input of a Concat, the first of the others.
  onnx::NodeProto piece = node;
  int data = op == "Concat" ? node.input_size() : 1;
  double scale = 0;
  int64_t bits = 0;
  for (int i = 0; i < data; ++i) {
    auto it = integerActivations.find(node.input(i));
    if (it == integerActivations.end() ||
        (i > 0 && it->second.scale != scale))
      return std::nullopt;
    scale = it->second.scale;
    bits = std::max(bits, it->second.bits);
    piece.set_input(i, it->second.codes);
  }
  // A constant Pad's value v is the code v / scale: only 0 is one for sure.
  if (op == "Pad" && getString(node, "mode", "constant") == "constant") {
    if (opset < 11 && getFloat(node, "value", 0.0f) != 0.0f)
      return std::nullopt;
    if (opset >= 11 && hasInput(node, 2)) {
      if (!decodePending(node.input(2)))
        return false;
      auto value = env.find(node.input(2));
      if (value == env.end() || !value->second.known ||
          value->second.known->data.size() != 1 ||
          value->second.known->data[0] != 0)
        return std::nullopt;
    }
  }
  // The codes of each result (a Split has several; MaxPool's Indices are
  // the same either way).
  int results = op == "Split" ? node.output_size() : 1;
  for (int i = 0; i < results; ++i)
    if (!node.output(i).empty())
      piece.set_output(i, node.output(i) + "/rebocc.codes");
  if (!importNode(piece)) {
    // The error names the model's node, not the piece.
    std::string from = describeNode(piece);
    size_t at = error.find(from);
    if (at != std::string::npos)
      error.replace(at, from.size(), describeNode(node));
    return false;
  }
  for (int i = 0; i < results; ++i) {
    const std::string &out = node.output(i);
    if (out.empty())
      continue;
    Binding codes = env[piece.output(i)];
    if (!codes.value) {
      env[out] = codes;
      continue;
    }
    env[out] = Binding{scaleCodes(node, out, codes.value, scale), std::nullopt};
    integerActivations[out] = IntegerActivations{piece.output(i), scale, bits};
  }
  return true;
}

void Importer::dropUnreadScalings() {
  for (Operation *op : llvm::reverse(codeScalings)) {
    if (!op->use_empty())
      continue;
    // The scale's constant, now unread too.
    Operation *constant = op->getOperand(1).getDefiningOp();
    op->erase();
    if (constant && constant->use_empty())
      constant->erase();
  }
  codeScalings.clear();
}

/// The DequantizeLinear of a constant integer tensor quantized in blocks
/// (opset 21, `block_size`: int4 weights usually are): x's scale and zero
/// point have x's rank, and along `axis` one element per block of
/// block_size indices. Folded to the float weight (x - z) * s, as the
/// per-axis form; the layer it feeds quantizes it as any float weight.
bool Importer::dequantizeBlocked(const onnx::NodeProto &node,
                                 int64_t blockSize) {
  const Binding *x = lookup(node, 0);
  if (!x)
    return false;
  if (!x->known || x->known->isFloat)
    return fail(node, "blocked quantization (block_size) is supported for "
                      "the DequantizeLinear of a constant integer tensor "
                      "only");
  if (blockSize < 0)
    return fail(node, "block_size " + Twine(blockSize) + " is negative");
  const ConstTensor &data = *x->known;
  const ConstTensor *scale = constantInput(node, 1, "the scale");
  if (!scale)
    return false;
  int64_t rank = data.shape.size();
  int64_t axis;
  if (!quantAxis(node, rank, axis))
    return false;
  // The scale's shape: x's, with ceil(dim / block_size) along the axis.
  std::vector<int64_t> blocks = data.shape;
  blocks[axis] = (data.shape[axis] + blockSize - 1) / blockSize;
  if (!scale->isFloat || scale->shape != blocks)
    return fail(node, "the scale of blocked quantization must have shape " +
                          dimsToString(blocks) + " (x's, with one element "
                          "per block of " + Twine(blockSize) + " along axis " +
                          Twine(axis) + ")");
  std::vector<double> zero(scale->data.size(), 0.0);
  if (hasInput(node, 2)) {
    const ConstTensor *zp = constantInput(node, 2, "the zero point");
    if (!zp)
      return false;
    if (zp->shape != blocks || zp->isFloat ||
        (zp->dataType != 0 && zp->dataType != data.dataType))
      return fail(node, "the zero point must have the scale's shape and "
                        "x's type");
    zero = zp->data;
  }
  ConstTensor out;
  out.shape = data.shape;
  out.data.resize(data.data.size());
  // Row-major strides of x and of the blocks.
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < rank; ++d)
    inner *= data.shape[d];
  int64_t dim = data.shape[axis], blockDim = blocks[axis];
  for (size_t i = 0; i < out.data.size(); ++i) {
    int64_t outer = (int64_t)i / (inner * dim);
    int64_t along = ((int64_t)i / inner) % dim, rest = (int64_t)i % inner;
    size_t j = (outer * blockDim + along / blockSize) * inner + rest;
    out.data[i] = (float)(data.data[i] - zero[j]) * (float)scale->data[j];
  }
  return bindConstant(node, std::move(out));
}

bool Importer::importDequantizeLinear(const onnx::NodeProto &node) {
  if (int64_t blockSize = getInt(node, "block_size", 0))
    return dequantizeBlocked(node, blockSize);
  const Binding *x = lookup(node, 0);
  if (!x)
    return false;
  for (int i = 1; i <= 2; ++i) {
    const Binding *param = hasInput(node, i) ? lookup(node, i) : nullptr;
    if (hasInput(node, i) && !param)
      return false;
    if (param && !param->known)
      return dequantizeAtRunTime(node);
  }
  std::vector<int64_t> shape = shapeOfInput(*x);
  QuantParams q;
  if (!quantParams(node, shape.size(), q))
    return false;
  if (!checkPerAxis(node, q, shape))
    return false;
  // x and its zero point have one type (a folded constant may have none).
  int xType = x->known ? x->known->dataType : 0;
  bool quantizedX = integerTypeBits(xType) || support::isFloat8Type(xType);
  if (quantizedX && hasInput(node, 2) && xType != q.dataType)
    return fail(node, "x has type " + dataTypeName(xType) +
                          " but its zero point " + dataTypeName(q.dataType));
  if (support::isFloat8Type(q.dataType) || support::isFloat8Type(xType))
    return dequantizeFloat8(node, q);
  if (x->known) {
    if (x->known->isFloat)
      return fail(node, "x must be an integer or float8 tensor, not " +
                            dataTypeName(xType));
    ConstTensor out;
    out.shape = x->known->shape;
    out.data.resize(x->known->data.size());
    std::vector<int64_t> channel = channelOf(out.shape, q.axis, q.scale.size());
    // As onnxruntime: the integer difference, then a float32 product.
    IntegerWeights integers{out.shape, {}, q.scale, q.axis};
    integers.codes.resize(out.data.size());
    for (size_t i = 0; i < out.data.size(); ++i) {
      integers.codes[i] = (float)(x->known->data[i] - q.zeroPoint[channel[i]]);
      out.data[i] = integers.codes[i] * (float)q.scale[channel[i]];
    }
    // An 8-, 4- or 16-bit weight: a crossbar layer it feeds holds the
    // integers, in the type's bits.
    integers.typeBits = integerTypeBits(xType);
    if (integers.typeBits)
      integerWeights[node.output(0)] = std::move(integers);
    return bindConstant(node, std::move(out));
  }
  Location loc = locFor(node);
  Value v = x->value;
  int64_t rank = shape.size();
  if (llvm::any_of(q.zeroPoint, [](double z) { return z != 0; })) {
    std::vector<double> negated;
    for (double z : q.zeroPoint)
      negated.push_back(-z);
    v = AddOp::create(builder, loc, v.getType(), v,
                      materialize(constAlongAxis(negated, q.axis, rank), loc,
                                  node.name() + "/zero_point"));
  }
  if (recordActivationCodes(node, q, v))
    return bind(node, scaleCodes(node, node.name(), v, q.scale[0]));
  // A scale of 1 (ConvInteger, MatMulInteger) is no multiplication.
  if (llvm::any_of(q.scale, [](double s) { return s != 1; }))
    v = MulOp::create(builder, loc, v.getType(), v,
                      materialize(constAlongAxis(q.scale, q.axis, rank), loc,
                                  node.name() + "/scale"));
  return bind(node, v);
}

/// The DequantizeLinear of a constant float8 tensor (weight-only float8):
/// the float32 product x * scale, as onnxruntime computes it (every float8
/// value is a float32). The zero point, "usually not used" for float8 (the
/// operator's documentation), must be 0.
bool Importer::dequantizeFloat8(const onnx::NodeProto &node,
                                const QuantParams &q) {
  const Binding *x = lookup(node, 0);
  if (!x->known)
    return fail(node, "the DequantizeLinear of run-time " +
                          dataTypeName(q.dataType) +
                          " (float8) data is not supported, only of "
                          "constant weights");
  if (!support::isFloat8Type(x->known->dataType))
    return fail(node, "x has type " + dataTypeName(x->known->dataType) +
                          " but its zero point " + dataTypeName(q.dataType));
  if (llvm::any_of(q.zeroPoint, [](double z) { return z != 0; }))
    return fail(node, "a float8 zero point must be 0");
  ConstTensor out;
  out.shape = x->known->shape;
  out.data.resize(x->known->data.size());
  std::vector<int64_t> channel = channelOf(out.shape, q.axis, q.scale.size());
  for (size_t i = 0; i < out.data.size(); ++i)
    out.data[i] = (float)x->known->data[i] * (float)q.scale[channel[i]];
  return bindConstant(node, std::move(out));
}

bool Importer::importQuantizeLinear(const onnx::NodeProto &node) {
  const Binding *x = lookup(node, 0);
  if (!x)
    return false;
  // Computed from the data (a DynamicQuantizeLinear written out as ONNX
  // operators) or a graph input: the digital ops on the run-time values.
  for (int i = 1; i <= 2; ++i) {
    const Binding *param = hasInput(node, i) ? lookup(node, i) : nullptr;
    if (hasInput(node, i) && !param)
      return false;
    if (param && !param->known) {
      Value v;
      return floatInput(node, 0, v) && quantizeAtRunTime(node, v);
    }
  }
  std::vector<int64_t> shape = shapeOfInput(*x);
  QuantParams q;
  if (!quantParams(node, shape.size(), q))
    return false;
  if (q.dataType == onnx::TensorProto::INT32)
    return fail(node, "QuantizeLinear to INT32 is not an ONNX type");
  if (support::isFloat8Type(q.dataType))
    return fail(node, "QuantizeLinear to " + dataTypeName(q.dataType) +
                          " (float8) is not supported: of float8, only the "
                          "DequantizeLinear of constant weights is");
  if (!checkPerAxis(node, q, shape))
    return false;
  if (llvm::any_of(q.scale,
                   [](double s) { return !(s > 0) || !std::isfinite(s); }))
    return fail(node, "the scale must be positive and finite");
  // onnxruntime divides by the scale (checked with onnxruntime-node: with
  // scale 0.1, x * (1 / scale) rounds 34 of 750 boundary values the other
  // way); a power-of-two scale's reciprocal is exact, and its
  // multiplication the cheaper VFU operation.
  const bool multiply = llvm::all_of(q.scale, hasExactReciprocal);
  std::vector<double> divisor;
  for (double s : q.scale)
    divisor.push_back(multiply ? 1.0f / (float)s : (float)s);
  if (x->known) {
    ConstTensor out;
    out.shape = x->known->shape;
    out.isFloat = false;
    out.dataType = q.dataType;
    out.data.resize(x->known->data.size());
    std::vector<int64_t> channel = channelOf(out.shape, q.axis, q.scale.size());
    for (size_t i = 0; i < out.data.size(); ++i) {
      const float value = (float)x->known->data[i];
      const float d = (float)divisor[channel[i]];
      float scaled = multiply ? value * d : value / d;
      double v = std::nearbyint(scaled) + q.zeroPoint[channel[i]];
      // NaN saturates to the type's low end, as in onnxruntime.
      out.data[i] = std::isnan(v) ? q.lo : std::min(std::max(v, q.lo), q.hi);
    }
    return bindConstant(node, std::move(out));
  }
  Location loc = locFor(node);
  int64_t rank = shape.size();
  Value d = materialize(constAlongAxis(divisor, q.axis, rank), loc,
                        node.name() + (multiply ? "/inverse_scale" : "/scale"));
  Value v = multiply
                ? Value(MulOp::create(builder, loc, x->value.getType(),
                                      x->value, d))
                : Value(DivOp::create(builder, loc, x->value.getType(),
                                      x->value, d));
  v = RoundOp::create(builder, loc, v);
  if (llvm::any_of(q.zeroPoint, [](double z) { return z != 0; }))
    v = AddOp::create(builder, loc, v.getType(), v,
                      materialize(constAlongAxis(q.zeroPoint, q.axis, rank), loc,
                                  node.name() + "/zero_point"));
  // NaN data saturates to the type's low end, as in onnxruntime.
  v = ClipOp::create(builder, loc, v, builder.getF32FloatAttr(q.lo),
                     builder.getF32FloatAttr(q.hi), builder.getUnitAttr());
  runtimeTypes[node.output(0)] = q.dataType;
  return bind(node, v);
}

/// The element type of the run-time zero point `name` (0 when unknown).
static int runtimeZeroPointType(const llvm::StringMap<int> &types,
                                StringRef name) {
  auto it = types.find(name);
  return it == types.end() ? 0 : it->second;
}

/// As for constants, y = clip(round(x / scale) + zero_point, qmin, qmax),
/// with the scale and zero point read at run time and broadcast along the
/// axis: always a div instruction (onnxruntime divides, and whether the
/// scale's reciprocal is exact is not known at compile time). The scale is
/// not checked: by a scale of 0, below 0 or not finite the ops compute what
/// onnxruntime's division, rounding and saturation give.
bool Importer::quantizeAtRunTime(const onnx::NodeProto &node, Value x) {
  if (getInt(node, "block_size", 0) != 0)
    return fail(node, "blocked quantization (block_size) is not supported");
  // The quantized type: output_dtype, else the zero point's, else uint8.
  int64_t outputType = getInt(node, "output_dtype", 0);
  int dataType = outputType ? outputType : onnx::TensorProto::UINT8;
  const Binding *scale = lookup(node, 1);
  const Binding *zp = hasInput(node, 2) ? lookup(node, 2) : nullptr;
  if (!scale || (hasInput(node, 2) && !zp))
    return false;
  if (zp) {
    int zpType = zp->known ? zp->known->dataType
                           : runtimeZeroPointType(runtimeTypes, node.input(2));
    if (!zp->known && !zpType && !outputType)
      return fail(node, "the type of the run-time zero point '" +
                            node.input(2) + "' is not known (it is followed "
                            "from integer graph inputs, Cast, the quantize "
                            "operators and data movement; output_dtype "
                            "gives it too)");
    if (zpType == onnx::TensorProto::FLOAT ||
        (zp->known && zp->known->isFloat && zpType &&
         !support::isFloat8Type(zpType)))
      return fail(node, "the zero point has type " + dataTypeName(zpType) +
                            ": float zero points are not supported");
    if (outputType && zpType && zpType != outputType)
      return fail(node, "output_dtype " + dataTypeName(outputType) +
                            " differs from the zero point's type " +
                            dataTypeName(zpType));
    if (zpType)
      dataType = zpType;
  }
  if (dataType == onnx::TensorProto::INT32)
    return fail(node, "QuantizeLinear to INT32 is not an ONNX type");
  if (support::isFloat8Type(dataType))
    return fail(node, "QuantizeLinear to " + dataTypeName(dataType) +
                          " (float8) is not supported: of float8, only the "
                          "DequantizeLinear of constant weights is");
  double lo, hi;
  std::string reason;
  if (!quantizedRange(dataType, lo, hi, reason))
    return fail(node, reason);
  if (scale->known) {
    if (!scale->known->isFloat)
      return fail(node, "the scale must be a float tensor");
    if (llvm::any_of(scale->known->data,
                     [](double s) { return !(s > 0) || !std::isfinite(s); }))
      return fail(node, "the scale must be positive and finite");
  } else if (int type = runtimeZeroPointType(runtimeTypes, node.input(1));
             type && !support::isHalfType(type)) {
    return fail(node, "the scale has type " + dataTypeName(type) +
                          ": it must be a float tensor");
  }
  SmallVector<int64_t> along;
  if (!runtimeParamShape(node, shapeOf(x), *scale, zp, along))
    return false;
  Location loc = locFor(node);
  Value s, z;
  if (!floatInput(node, 1, s) || (zp && !floatInput(node, 2, z)))
    return false;
  Value v = DivOp::create(builder, loc, x.getType(), x,
                          reshapeTo(s, along, loc));
  v = RoundOp::create(builder, loc, v);
  bool zeroPointIsZero =
      !zp || (zp->known && llvm::all_of(zp->known->data,
                                        [](double z) { return z == 0; }));
  if (!zeroPointIsZero)
    v = AddOp::create(builder, loc, v.getType(), v, reshapeTo(z, along, loc));
  // A NaN quotient (0 / 0 when the data and its range are all zero, as a
  // written-out DynamicQuantizeLinear computes its scale, or NaN data) is
  // qmin in onnxruntime (measured; its saturation drops the NaN): the
  // clip's nan=min, as for a constant scale.
  v = ClipOp::create(builder, loc, v, builder.getF32FloatAttr(lo),
                     builder.getF32FloatAttr(hi), builder.getUnitAttr());
  runtimeTypes[node.output(0)] = dataType;
  return bind(node, v);
}

bool Importer::runtimeParamShape(const onnx::NodeProto &node,
                                 ArrayRef<int64_t> shape, const Binding &scale,
                                 const Binding *zp,
                                 SmallVectorImpl<int64_t> &along) {
  // Per tensor (one element) or per axis (one per index of `axis` of x).
  int64_t rank = shape.size();
  std::vector<int64_t> scaleShape = shapeOfInput(scale);
  if (scaleShape.size() > 1 || llvm::any_of(scaleShape, ShapedType::isDynamic))
    return fail(node, "the scale must be a scalar or 1-D (per axis) of a "
                      "known length");
  int64_t count = product(scaleShape);
  along.assign(rank, 1);
  if (count != 1) {
    int64_t axis;
    if (!quantAxis(node, rank, axis))
      return false;
    if (shape[axis] != count)
      return fail(node, "the scale has " + Twine(count) +
                            " elements, not one per index of axis " +
                            Twine(axis));
    along[axis] = count;
  }
  if (zp && shapeOfInput(*zp) != scaleShape)
    return fail(node, "the zero point " + dimsToString(shapeOfInput(*zp)) +
                          " and the scale " + dimsToString(scaleShape) +
                          " differ in shape");
  return true;
}

/// y = (x - zero_point) * scale with the scale or the zero point read at
/// run time, broadcast along the axis: an add of the negated zero point
/// (exact: both are integers of the type's range, carried as float32) and
/// a mul, the float32 product onnxruntime computes on the integer
/// difference. x must be integer data (checkIntegerDataUses lets
/// DequantizeLinear read it); the scale a FLOAT tensor (a FLOAT16 or
/// BFLOAT16 scale would make the result half).
bool Importer::dequantizeAtRunTime(const onnx::NodeProto &node) {
  const Binding *x = lookup(node, 0);
  const Binding *scale = lookup(node, 1);
  const Binding *zp = hasInput(node, 2) ? lookup(node, 2) : nullptr;
  if (!x || !scale || (hasInput(node, 2) && !zp))
    return false;
  auto typeOf = [&](const Binding *b, int index) {
    return b->known ? b->known->dataType
                    : runtimeZeroPointType(runtimeTypes, node.input(index));
  };
  int xType = typeOf(x, 0), zpType = zp ? typeOf(zp, 2) : 0;
  if ((x->known && x->known->isFloat) || xType == onnx::TensorProto::FLOAT ||
      (!x->known && !xType))
    return fail(node, "x must be an integer tensor, not " +
                          dataTypeName(xType ? xType
                                             : onnx::TensorProto::FLOAT));
  if (support::isFloat8Type(xType) || support::isFloat8Type(zpType))
    return fail(node, "the DequantizeLinear of float8 data is supported for "
                      "constant weights with a constant scale only");
  if (xType && zpType && xType != zpType)
    return fail(node, "x has type " + dataTypeName(xType) +
                          " but its zero point " + dataTypeName(zpType));
  if (int type = typeOf(scale, 1);
      (scale->known && !scale->known->isFloat) ||
      (type && type != onnx::TensorProto::FLOAT))
    return fail(node, "the scale has type " + dataTypeName(type) +
                          ": a run-time DequantizeLinear takes a FLOAT scale");
  Value v;
  if (!floatInput(node, 0, v))
    return false;
  SmallVector<int64_t> along;
  if (!runtimeParamShape(node, shapeOf(v), *scale, zp, along))
    return false;
  Location loc = locFor(node);
  Value s;
  if (!floatInput(node, 1, s))
    return false;
  bool zeroPointIsZero =
      !zp || (zp->known && llvm::all_of(zp->known->data,
                                        [](double z) { return z == 0; }));
  if (!zeroPointIsZero) {
    Value z;
    if (!floatInput(node, 2, z))
      return false;
    z = NegOp::create(builder, loc, z);
    v = AddOp::create(builder, loc, v.getType(), v, reshapeTo(z, along, loc));
  }
  v = MulOp::create(builder, loc, v.getType(), v, reshapeTo(s, along, loc));
  return bind(node, v);
}

/// ONNX's DynamicQuantizeLinear, as digital ops on the run-time tensor:
///
///   y_scale = (max(0, max x) - min(0, min x)) / 255, 1 when that range is 0
///   y_zero_point = clip(round(-min(0, min x) / y_scale), 0, 255)
///   y = clip(round(x / y_scale) + y_zero_point, 0, 255)
///
/// with round half to even. The divisions are the div instruction: a
/// multiplication by the reciprocal would round some ties of x / y_scale
/// the other way (test_dynamicquantizelinear's -2.5).
bool Importer::importDynamicQuantizeLinear(const onnx::NodeProto &node) {
  Value x;
  if (!floatInput(node, 0, x))
    return false;
  ArrayRef<int64_t> shape = shapeOf(x);
  if (llvm::any_of(shape, ShapedType::isDynamic))
    return fail(node, "the scale is over the whole tensor, which needs every "
                      "dimension known (fix the batch with --input-shape)");
  Location loc = locFor(node);
  SmallVector<int64_t> axes, ones(shape.size(), 1);
  for (int64_t d = 0; d < (int64_t)shape.size(); ++d)
    axes.push_back(d);
  RankedTensorType one = tensorType(ones, builder);
  auto constant = [&](double v, const char *what) {
    return materialize(ConstTensor{{}, {v}}, loc, node.output(0) + what);
  };
  Value zero = constant(0.0, "/rebocc.zero");
  Value hi = MaxOp::create(
      builder, loc, one, ReduceMaxOp::create(builder, loc, one, x, axes), zero);
  Value lo = MinOp::create(
      builder, loc, one, ReduceMinOp::create(builder, loc, one, x, axes), zero);
  Value negLo = NegOp::create(builder, loc, lo);
  Value range = AddOp::create(builder, loc, one, hi, negLo);
  // The range of an all-zero tensor is 0: onnxruntime's scale is then 1
  // (measured, as ONNX's reference computes it), where 0 / 255 would make
  // every x / y_scale NaN.
  Value scale = WhereOp::create(
      builder, loc, one, EqualOp::create(builder, loc, one, range, zero),
      constant(1.0, "/rebocc.one"),
      DivOp::create(builder, loc, one, range,
                    constant(255.0, "/rebocc.range")));
  auto clip = [&](Value v) {
    return ClipOp::create(builder, loc, v, builder.getF32FloatAttr(0),
                          builder.getF32FloatAttr(255));
  };
  Value zeroPoint = clip(RoundOp::create(
      builder, loc, DivOp::create(builder, loc, one, negLo, scale)));
  Value y = clip(AddOp::create(
      builder, loc, x.getType(),
      RoundOp::create(builder, loc,
                      DivOp::create(builder, loc, x.getType(), x, scale)),
      zeroPoint));
  // y_scale and y_zero_point are scalars.
  if (node.output_size() > 1 && !node.output(1).empty())
    env[node.output(1)] = Binding{reshapeTo(scale, {}, loc), std::nullopt};
  if (node.output_size() > 2 && !node.output(2).empty())
    env[node.output(2)] = Binding{reshapeTo(zeroPoint, {}, loc), std::nullopt};
  runtimeTypes[node.output(0)] = onnx::TensorProto::UINT8;
  if (node.output_size() > 2)
    runtimeTypes[node.output(2)] = onnx::TensorProto::UINT8;
  return bind(node, y);
}

//===----------------------------------------------------------------------===//
// QOperator layers, as pieces of QDQ graph
//===----------------------------------------------------------------------===//

bool Importer::bindName(const std::string &name, ConstTensor tensor) {
  env[name] = Binding{Value(), std::move(tensor)};
  return true;
}

/// Imports one node `opType`(inputs) -> output standing for part of `node`
/// (whose name it keeps, so errors name the model's node); with
/// `copyAttributes` it has `node`'s attributes (a Conv's window), else the
/// `axis` of a DequantizeLinear.
bool Importer::importPiece(const onnx::NodeProto &node, StringRef opType,
                           std::vector<std::string> inputs,
                           const std::string &output, bool copyAttributes,
                           int64_t axis) {
  onnx::NodeProto piece;
  piece.set_op_type(opType.str());
  piece.set_name(node.name());
  for (std::string &input : inputs)
    *piece.add_input() = std::move(input);
  piece.add_output(output);
  if (copyAttributes) {
    *piece.mutable_attribute() = node.attribute();
  } else {
    onnx::AttributeProto *attr = piece.add_attribute();
    attr->set_name("axis");
    attr->set_type(onnx::AttributeProto::INT);
    attr->set_i(axis);
  }
  if (importNode(piece))
    return true;
  // The error names the model's node, not the piece.
  std::string from = describeNode(piece);
  size_t at = error.find(from);
  if (at != std::string::npos)
    error.replace(at, from.size(),
                  describeNode(node) + ", its " + opType.str());
  return false;
}

/// The name of an input of `node`, or "" when it is absent.
static std::string inputName(const onnx::NodeProto &node, int index) {
  return index < node.input_size() ? node.input(index) : std::string();
}

bool Importer::importQLinearLayer(const onnx::NodeProto &node) {
  bool isConv = node.op_type() == "QLinearConv";
  if (node.input_size() < 8)
    return fail(node, "needs 8 inputs (x, its scale and zero point, the "
                      "weight, its scale and zero point, the output's scale "
                      "and zero point)");
  const std::string base = node.output(0) + "/rebocc.";
  // The weight is the quantized input 3; per output channel along axis 0
  // of a Conv weight and axis 1 (columns) of a MatMul's.
  if (!importPiece(node, "DequantizeLinear",
                   {node.input(0), node.input(1), node.input(2)}, base + "x",
                   false, 1) ||
      !importPiece(node, "DequantizeLinear",
                   {node.input(3), node.input(4), node.input(5)}, base + "w",
                   false, isConv ? 0 : 1))
    return false;
  std::vector<std::string> layerInputs = {base + "x", base + "w"};
  if (isConv && hasInput(node, 8)) {
    // The int32 bias has the scale xs * ws (per output channel), zero
    // point 0.
    const ConstTensor *bias = constantInput(node, 8, "the bias B");
    const ConstTensor *xs = constantInput(node, 1, "the input scale");
    const ConstTensor *ws = constantInput(node, 4, "the weight scale");
    if (!bias || !xs || !ws)
      return false;
    if (xs->data.size() != 1)
      return fail(node, "the input scale must be per tensor");
    if (ws->data.size() != 1 && ws->data.size() != bias->data.size())
      return fail(node, "the weight scale and the bias differ in length");
    ConstTensor b;
    b.shape = bias->shape;
    for (size_t c = 0; c < bias->data.size(); ++c)
      b.data.push_back((float)bias->data[c] *
                       ((float)xs->data[0] *
                        (float)ws->data[ws->data.size() == 1 ? 0 : c]));
    bindName(base + "b", std::move(b));
    layerInputs.push_back(base + "b");
  }
  if (!importPiece(node, isConv ? "Conv" : "MatMul", layerInputs, base + "y",
                   isConv))
    return false;
  onnx::NodeProto quantize;
  quantize.set_op_type("QuantizeLinear");
  quantize.set_name(node.name());
  quantize.add_input(base + "y");
  quantize.add_input(node.input(6));
  quantize.add_input(node.input(7));
  quantize.add_output(node.output(0));
  return importNode(quantize);
}

/// x - x_zero_point of a ConvInteger or MatMulInteger, bound to `name`. A
/// run-time zero point (DynamicQuantizeLinear's) is subtracted digitally; a
/// constant or missing one (0) by a DequantizeLinear with scale 1.
bool Importer::integerLayerInput(const onnx::NodeProto &node,
                                 const std::string &name) {
  const Binding *zp = hasInput(node, 2) ? lookup(node, 2) : nullptr;
  if (hasInput(node, 2) && !zp)
    return false;
  if (zp && !zp->known) {
    Value x, z;
    if (!runtimeInput(node, 0, x) || !runtimeInput(node, 2, z))
      return false;
    if (shapeOf(z).size() > 1 ||
        (shapeOf(z).size() == 1 && shapeOf(z)[0] != 1))
      return fail(node, "a run-time x_zero_point must be a scalar");
    Location loc = locFor(node);
    Value difference = AddOp::create(builder, loc, x.getType(), x,
                                     NegOp::create(builder, loc, z));
    env[name] = Binding{difference, std::nullopt};
  } else {
    ConstTensor one;
    one.data = {1.0};
    bindName(name + ".one", one);
    if (!importPiece(node, "DequantizeLinear",
                     {node.input(0), name + ".one", inputName(node, 2)}, name,
                     false, 1))
      return false;
  }
  // x and its zero point are both int8 or both uint8 (the operators' type
  // constraint), so |x - x_zero_point| <= 255: the codes, in 9 bits.
  integerActivations[name] = IntegerActivations{name, 1.0, 9};
  return true;
}

bool Importer::importIntegerLayer(const onnx::NodeProto &node) {
  bool isConv = node.op_type() == "ConvInteger";
  if (node.input_size() < 2)
    return fail(node, "needs the data and the weight");
  const std::string base = node.output(0) + "/rebocc.";
  if (!integerLayerInput(node, base + "x"))
    return false;
  // The weight's zero point is per tensor or per output channel (axis 0 of
  // a Conv weight, axis 1 of a MatMul's).
  const ConstTensor *wz =
      hasInput(node, 3) ? constantInput(node, 3, "the weight zero point")
                        : nullptr;
  if (hasInput(node, 3) && !wz)
    return false;
  ConstTensor ones;
  ones.data.assign(wz ? wz->data.size() : 1, 1.0);
  if (wz && !wz->shape.empty())
    ones.shape = wz->shape;
  bindName(base + "ones", ones);
  if (!importPiece(node, "DequantizeLinear",
                   {node.input(1), base + "ones", inputName(node, 3)},
                   base + "w", false, isConv ? 0 : 1))
    return false;
  if (!importPiece(node, isConv ? "Conv" : "MatMul", {base + "x", base + "w"},
                   base + "y", isConv))
    return false;
  Value y = env[base + "y"].value;
  return bind(node, RoundOp::create(builder, locFor(node), y));
}

//===----------------------------------------------------------------------===//
// Integer data carried as float32
//===----------------------------------------------------------------------===//

/// Operators whose results are integer data (8-bit, or int32 for the
/// *Integer ops) when they run at run time.
static bool producesIntegerData(StringRef op) {
  return llvm::is_contained({"QuantizeLinear", "QLinearConv", "QLinearMatMul",
                             "QLinearAdd", "QLinearMul", "QLinearConcat",
                             "ConvInteger", "MatMulInteger",
                             "DynamicQuantizeLinear",
                             "QLinearAveragePool", "QLinearGlobalAveragePool",
                             "QLinearLeakyRelu",
                             "QLinearSigmoid", "ArgMax", "ArgMin"},
                            op);
}

/// Operators that move values without arithmetic (or only compare them):
/// on integer data their results are the same integers.
static bool passesIntegersThrough(StringRef op) {
  return llvm::is_contained({"Reshape", "Flatten", "Transpose", "Squeeze",
                             "Unsqueeze", "Identity", "Concat", "Slice",
                             "Gather", "GatherElements", "GatherND", "Split",
                             "Expand", "Tile", "Pad", "MaxPool",
                             "DepthToSpace", "SpaceToDepth",
                             "Trilu"},
                            op);
}

/// The gathers read their indices (input 1) exactly but copy only their
/// data (input 0): the result is integer when the data is.
static bool integerResult(StringRef op, const onnx::NodeProto &node,
                          const llvm::StringSet<> &integer) {
  if (op == "Gather" || op == "GatherElements" || op == "GatherND")
    return node.input_size() > 0 && integer.contains(node.input(0));
  return passesIntegersThrough(op);
}

/// Operators that read integer data exactly: the quantized operators,
/// data movement, DequantizeLinear and Cast, and the comparisons (exact in
/// float32 up to 2^24: a sample rate against its constants), which give
/// booleans that If, Not, And, Or and Xor read exactly as 0 / 1 (a flag).
static bool readsIntegersExactly(StringRef op) {
  bool compares = op == "Equal" || op == "Greater" || op == "Less" ||
                  op == "GreaterOrEqual" || op == "LessOrEqual" ||
                  op == "If" || op == "Not" || op == "And" || op == "Or" ||
                  op == "Xor";
  // Where selects values; Shape and Size read no values.
  bool selects = op == "Where" || op == "Shape" || op == "Size";
  return producesIntegerData(op) || passesIntegersThrough(op) ||
         op == "DequantizeLinear" || op == "Cast" || op == "CastLike" ||
         compares || selects;
}

bool Importer::checkCastIntegerUses(const onnx::NodeProto &node) {
  auto read = llvm::find_if(node.input(), [&](const std::string &in) {
    return castIntegers.contains(in);
  });
  if (read == node.input().end())
    return true;
  StringRef op = node.op_type();
  if (!readsIntegersExactly(op))
    return fail(node, "reads '" + *read + "', the integer result of a "
                      "run-time Cast: rebocc carries integer tensors as "
                      "float32 values, which is exact only through the "
                      "quantized operators, data movement and Cast, not "
                      "through " + op.str());
  // Where's result is integer when its values are (not its condition).
  bool selectsIntegers =
      op == "Where" && node.input_size() == 3 &&
      (castIntegers.contains(node.input(1)) ||
       castIntegers.contains(node.input(2)));
  if (integerResult(op, node, castIntegers) || selectsIntegers)
    for (const std::string &out : node.output())
      castIntegers.insert(out);
  return true;
}

/// A half-precision run-time value is carried as the float32 that holds it
/// and computed on in float32. ONNX rounds every half result, and
/// onnxruntime 1.30 on x86-64 drops even the Cast's rounding around an
/// operator without a half kernel (Mul, Relu: measured, docs/SupportedOps.md),
/// so such a model's outputs can match neither: said once, not silently.
void Importer::checkCastHalfUses(const onnx::NodeProto &node) {
  auto read = llvm::find_if(node.input(), [&](const std::string &in) {
    return castHalves.contains(in);
  });
  if (read == node.input().end())
    return;
  StringRef op = node.op_type();
  if (passesIntegersThrough(op)) { // copies: still the half values
    for (const std::string &out : node.output())
      castHalves.insert(out);
    return;
  }
  if (op == "Cast" || warnedHalfUse)
    return;
  warnedHalfUse = true;
  warnings.push_back(
      fileName + ": " + describeNode(node) + " computes on '" + *read +
      "', the half-precision result of a run-time Cast: rebocc computes in "
      "float32 on the rounded values, where ONNX rounds every half result "
      "and onnxruntime 1.30 (CPU) can skip the Cast's rounding too, so the "
      "outputs can differ from both (docs/SupportedOps.md, Cast of run-time "
      "data)");
}

void Importer::recordRuntimeTypes(const onnx::NodeProto &node) {
  StringRef op = node.op_type();
  // The data inputs: Concat's all, Where's values, the others' first.
  int first = op == "Where" ? 1 : 0;
  int last = op == "Concat" || op == "Where" ? node.input_size() - 1 : 0;
  if ((!passesIntegersThrough(op) && op != "Where") || node.input_size() <= last)
    return;
  int type = 0;
  for (int i = first; i <= last && !type; ++i) {
    auto it = runtimeTypes.find(node.input(i));
    if (it != runtimeTypes.end())
      type = it->second;
  }
  // Split's pieces all carry the data; MaxPool's Indices are int64.
  int results = op == "Split" ? node.output_size() : 1;
  for (int i = 0; type && i < results; ++i)
    if (!node.output(i).empty())
      runtimeTypes[node.output(i)] = type;
}

/// Integer tensors run as float32 values, which is exact through the
/// quantized operators (they compute in ONNX's integer semantics), data
/// movement and Cast. Any other operator would compute in float where ONNX
/// computes in the integer type (a uint8 Div truncates, an Add wraps), so
/// reading integer run-time data elsewhere is an error, not a silent
/// difference.
bool Importer::checkIntegerDataUses(
    const onnx::GraphProto &graph, ArrayRef<const onnx::NodeProto *> order) {
  llvm::StringSet<> integer;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    int elem = input.type().tensor_type().elem_type();
    auto it = env.find(input.name());
    // DOUBLE inputs hold floats (checkDoubleUses).
    if (elem != onnx::TensorProto::FLOAT &&
        elem != onnx::TensorProto::DOUBLE && it != env.end() &&
        !it->second.known)
      integer.insert(input.name());
  }
  for (const onnx::NodeProto *nodePtr : order) {
    const onnx::NodeProto &node = *nodePtr;
    StringRef op = node.op_type();
    bool readsInteger = llvm::any_of(node.input(), [&](const std::string &in) {
      return integer.contains(in);
    });
    if (readsInteger && !readsIntegersExactly(op)) {
      std::string name = *llvm::find_if(node.input(), [&](const std::string &in) {
        return integer.contains(in);
      });
      return fail(node, "reads '" + name + "', integer data at run time: "
                        "rebocc carries integer tensors as float32 values, "
                        "which is exact only through the quantized operators, "
                        "data movement and Cast, not through " + op.str());
    }
    // Run-time Casts to an integer type are checked as they are imported
    // (checkCastIntegerUses): only then is it known which read run-time
    // data.
    if (producesIntegerData(op) && node.output_size() > 0)
      integer.insert(node.output(0));
    // TopK's Indices (output 1) are INT64.
    if (op == "TopK" && node.output_size() > 1)
      integer.insert(node.output(1));
    // DynamicQuantizeLinear's y_zero_point is uint8 too.
    if (op == "DynamicQuantizeLinear" && node.output_size() > 2)
      integer.insert(node.output(2));
    else if (readsInteger && integerResult(op, node, integer))
      for (const std::string &out : node.output())
        integer.insert(out);
    // Where's result is integer when its values are (not its condition).
    else if (op == "Where" && node.input_size() == 3 &&
             (integer.contains(node.input(1)) ||
              integer.contains(node.input(2))))
      integer.insert(node.output(0));
  }
  for (const auto &name : integer)
    integerData.insert(name.getKey());
  return true;
}

} // namespace rebocc::onnxfe
