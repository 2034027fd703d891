//===- ImportMicrosoftQLinear.cpp - QLinearAdd, QLinearMul, QLinearConcat -===//
//
// ONNX Runtime's QOperator contrib ops (domain com.microsoft) on 8-bit codes,
// which run-time data carries as float32. Each gives onnxruntime 1.30's codes
// bit for bit, in its float32 operations as measured on x86-64 (exhaustive
// over the 65536 code pairs, docs/SupportedOps.md), with per-tensor constant
// scales and zero points:
//
//   QLinearAdd:    rX = sX / sC, rS = sS / sC (X, S: A and B, see below)
//                  o  = zC - fma(rX, zX, rS * zS)                 (constant)
//                  C  = clamp(round(fma(X, rX, fma(S, rS, o))))
//   QLinearMul:    M  = sA * sB / sC                              (constant)
//                  C  = clamp(round((A - zA) * (B - zB) * M + zC))
//   QLinearConcat: each input Quantize(Dequantize(X_i)) by the output's
//                  scale and zero point (as it is when they are its own)
//
// with round half to even. QLinearAdd's two fused multiply-adds round once
// each (circulant.fma): onnxruntime's AVX2 kernel fuses them, and a mul and
// an add give other codes. S, the operand added first, is B unless A is
// broadcast along the result's innermost axis (onnxruntime then swaps the
// operands and adds A first).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

#include <cmath>

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

/// The range of the 8-bit type `type` (uint8 or int8).
static void codeRange(int type, float &lo, float &hi) {
  lo = type == onnx::TensorProto::UINT8 ? 0.0f : -128.0f;
  hi = type == onnx::TensorProto::UINT8 ? 255.0f : 127.0f;
}

/// The constant per-tensor scale (input `scaleIndex`) and optional zero
/// point (the next input; 0 without one) of operand `name`, and the zero
/// point's element type (0 without one); one error naming what is wrong.
bool Importer::qlinearScaleZeroPoint(const onnx::NodeProto &node,
                                     int scaleIndex, const std::string &name,
                                     QLinearOperand &q) {
  const ConstTensor *scale = constantInput(node, scaleIndex, name + "_scale");
  if (!scale)
    return false;
  if (scale->data.size() != 1)
    return fail(node, name + "_scale must be one value (per-tensor "
                             "quantization)");
  if (!scale->isFloat)
    return fail(node, name + "_scale must be a float");
  q.scale = (float)scale->data[0];
  if (!(q.scale > 0) || !std::isfinite(q.scale))
    return fail(node, name + "_scale must be positive and finite");
  q.zeroPoint = 0;
  q.type = 0;
  if (!hasInput(node, scaleIndex + 1))
    return true;
  const ConstTensor *zp =
      constantInput(node, scaleIndex + 1, name + "_zero_point");
  if (!zp)
    return false;
  if (zp->data.size() != 1)
    return fail(node, name + "_zero_point must be one value (per-tensor "
                             "quantization)");
  q.zeroPoint = (float)zp->data[0];
  q.type = zp->dataType;
  return true;
}

bool Importer::qlinearOperand(const onnx::NodeProto &node, int dataIndex,
                              int scaleIndex, const std::string &name,
                              QLinearOperand &q) {
  if (!qlinearScaleZeroPoint(node, scaleIndex, name, q))
    return false;
  // Without a zero point, the data's own type.
  if (!q.type && dataIndex >= 0) {
    const Binding *data = lookup(node, dataIndex);
    if (!data)
      return false;
    auto it = runtimeTypes.find(node.input(dataIndex));
    q.type = data->known ? data->known->dataType
                         : (it != runtimeTypes.end() ? it->second : 0);
  }
  if (q.type != onnx::TensorProto::UINT8 && q.type != onnx::TensorProto::INT8)
    return fail(node, name + " must be uint8 or int8 (its zero point's type)");
  return true;
}

/// Whether A is the operand onnxruntime's QLinearAdd adds first: when it is
/// one value along the result's innermost axis that is not 1 (onnxruntime's
/// broadcast loop then calls the kernel with A as its scalar B operand), or
/// when the result is a single value.
static bool addsAFirst(ArrayRef<int64_t> a, ArrayRef<int64_t> b,
                       ArrayRef<int64_t> result) {
  auto dimAt = [&](ArrayRef<int64_t> shape, size_t axis) -> int64_t {
    size_t fromEnd = result.size() - axis;
    return fromEnd <= shape.size() ? shape[shape.size() - fromEnd] : 1;
  };
  for (size_t axis = result.size(); axis-- > 0;) {
    if (result[axis] == 1)
      continue;
    return dimAt(a, axis) == 1 && dimAt(b, axis) != 1;
  }
  return true;
}

/// A rank-0 float32 constant.
Value Importer::scalarConstant(float value, Location loc, StringRef name) {
  ConstTensor c;
  c.data = {value};
  return materialize(c, loc, name);
}

bool Importer::importQLinearBinary(const onnx::NodeProto &node) {
  const bool isAdd = node.op_type() == "QLinearAdd";
  if (node.input_size() < 7)
    return fail(node, "needs 7 or 8 inputs (A, A_scale, A_zero_point, B, "
                      "B_scale, B_zero_point, C_scale and C_zero_point)");
  // C's type is its zero point's, else A's.
  QLinearOperand a, b, c;
  if (!qlinearOperand(node, 0, 1, "A", a) ||
      !qlinearOperand(node, 3, 4, "B", b) ||
      !qlinearOperand(node, 0, 6, "C", c))
    return false;
  if (a.type != b.type || a.type != c.type)
    return fail(node, "A, B and C must have one type (uint8 or int8)");
  const Binding *x = lookup(node, 0), *y = lookup(node, 3);
  if (!x || !y)
    return false;
  std::vector<int64_t> aShape = shapeOfInput(*x), bShape = shapeOfInput(*y);
  std::optional<std::vector<int64_t>> shape =
      support::broadcastShapes(aShape, bShape);
  if (!shape)
    return fail(node, "A and B do not broadcast");
  Value A, B;
  if (!floatInput(node, 0, A) || !floatInput(node, 3, B))
    return false;
  Location loc = locFor(node);
  const std::string base = node.output(0) + "/rebocc.";
  auto type = tensorType(*shape, builder);
  Value v;
  if (isAdd) {
    // The ratios and the constant part in onnxruntime's float32 order.
    float rA = a.scale / c.scale, rB = b.scale / c.scale;
    bool aFirst = addsAFirst(aShape, bShape, *shape);
    Value X = aFirst ? B : A, S = aFirst ? A : B;
    float rX = aFirst ? rB : rA, rS = aFirst ? rA : rB;
    float zX = aFirst ? b.zeroPoint : a.zeroPoint;
    float zS = aFirst ? a.zeroPoint : b.zeroPoint;
    float sPart = rS * zS;
    float o = c.zeroPoint - std::fma(rX, zX, sPart);
    Value inner = FmaOp::create(builder, loc, S.getType(), S,
                                scalarConstant(rS, loc, base + "ratio_s"),
                                scalarConstant(o, loc, base + "offset"));
    v = FmaOp::create(builder, loc, type, X,
                      scalarConstant(rX, loc, base + "ratio_x"), inner);
  } else {
    // The integer product (exact in float32: |(A - zA)(B - zB)| <= 2^16)
    // times sA * sB / sC, then zC added: two roundings.
    auto minusZero = [&](Value data, float zeroPoint, StringRef name) {
      if (zeroPoint == 0)
        return data;
      return Value(AddOp::create(builder, loc, data.getType(), data,
                                 scalarConstant(-zeroPoint, loc, name)));
    };
    Value product = MulOp::create(builder, loc, type,
                                  minusZero(A, a.zeroPoint, base + "za"),
                                  minusZero(B, b.zeroPoint, base + "zb"));
    float m = a.scale * b.scale / c.scale;
    v = MulOp::create(builder, loc, type, product,
                      scalarConstant(m, loc, base + "multiplier"));
    if (c.zeroPoint != 0)
      v = AddOp::create(builder, loc, type, v,
                        scalarConstant(c.zeroPoint, loc, base + "zc"));
  }
  v = RoundOp::create(builder, loc, v);
  float lo, hi;
  codeRange(c.type, lo, hi);
  v = ClipOp::create(builder, loc, v, builder.getF32FloatAttr(lo),
                     builder.getF32FloatAttr(hi), UnitAttr());
  runtimeTypes[node.output(0)] = c.type;
  return bind(node, v);
}

bool Importer::importQLinearConcat(const onnx::NodeProto &node) {
  int inputs = node.input_size() - 2;
  if (inputs < 3 || inputs % 3 != 0)
    return fail(node, "needs Y_scale, Y_zero_point and a (X, X_scale, "
                      "X_zero_point) triple per input");
  QLinearOperand out;
  if (!qlinearOperand(node, -1, 0, "Y", out))
    return false;
  const std::string base = node.output(0) + "/rebocc.";
  std::vector<std::string> pieces;
  for (int i = 0; i < inputs / 3; ++i) {
    const std::string name = "X" + std::to_string(i);
    QLinearOperand in;
    if (!qlinearOperand(node, 2 + 3 * i, 3 + 3 * i, name, in))
      return false;
    if (in.type != out.type)
      return fail(node, name + " has another type than Y");
    // onnxruntime copies an input of the output's scale and zero point.
    if (in.scale == out.scale && in.zeroPoint == out.zeroPoint) {
      pieces.push_back(node.input(2 + 3 * i));
      continue;
    }
    const std::string dq = base + "x" + std::to_string(i);
    const std::string q = base + "y" + std::to_string(i);
    if (!importPiece(node, "DequantizeLinear",
                     {node.input(2 + 3 * i), node.input(3 + 3 * i),
                      node.input(4 + 3 * i)},
                     dq, false, 1) ||
        !importPiece(node, "QuantizeLinear", {dq, node.input(0), node.input(1)},
                     q, false, 1))
      return false;
    pieces.push_back(q);
  }
  if (!importPiece(node, "Concat", pieces, node.output(0), true))
    return false;
  runtimeTypes[node.output(0)] = out.type;
  return true;
}

} // namespace rebocc::onnxfe
