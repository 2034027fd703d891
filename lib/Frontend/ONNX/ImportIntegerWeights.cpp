//===- ImportIntegerWeights.cpp - crossbar layers of integer weights ------===//
//
// A Conv, MatMul or Gemm whose weight is the DequantizeLinear of a constant
// int8, uint8, int4, uint4, int16 or uint16 tensor (QDQ models, and the
// pieces QLinearConv, QLinearMatMul, ConvInteger and MatMulInteger import
// as) keeps the model's integers on the crossbars instead of re-quantizing
// the dequantized floats with rebocc's own scale:
//
//   Conv(x, DequantizeLinear(w, s, z), B)
//     = Conv(x, w - z) * s + B         (s per tensor or per output channel)
//
// The layer holds w - z in the model's 8 bits (4 for int4 and uint4, 16 for
// int16 and uint16; one more where a value needs it: int8's -128 under the
// crossbar encoding's symmetric range, or a uint8 weight far from its zero
// point), so it takes ceil(bits / cell_bits) cells per weight, not the
// chip's weight_bits; the scale and bias are digital instructions after it.
// A weight quantized along another axis (not per output channel) stays a
// float weight.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

#include "llvm/ADT/bit.h"

#include <cmath>

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

/// The layer's weight bits: the model's (`typeBits`: 8, 4 or 16), or one
/// more when a code does not fit them under the symmetric clamp of the
/// crossbar's encoding (|code| <= 2^(bits-1) - 1): int8's -128, int4's -8,
/// or an unsigned weight far from its zero point.
static int64_t weightBits(ArrayRef<float> codes, int64_t typeBits) {
  uint64_t maxAbs = 0;
  for (float c : codes)
    maxAbs = std::max<uint64_t>(maxAbs, (uint64_t)std::fabs(c));
  return std::max<int64_t>(typeBits, llvm::bit_width(maxAbs) + 1);
}

/// The weight axis that indexes the layer's outputs, and the result axis it
/// becomes (-1: the last); false when the layer cannot take integers as
/// they are (a Gemm's alpha or beta would scale them).
static bool outputAxes(const onnx::NodeProto &node, int64_t weightRank,
                       int64_t &weightAxis, int64_t &resultAxis) {
  StringRef op = node.op_type();
  if (op == "Conv") {
    weightAxis = 0, resultAxis = 1;
    return true;
  }
  if (op == "MatMul") {
    weightAxis = 1, resultAxis = -1;
    return weightRank == 2;
  }
  for (const onnx::AttributeProto &attr : node.attribute())
    if ((attr.name() == "alpha" || attr.name() == "beta") && attr.f() != 1.0f)
      return false;
  bool transB = false;
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == "transB")
      transB = attr.i() != 0;
  weightAxis = transB ? 0 : 1, resultAxis = 1;
  return weightRank == 2;
}

std::optional<bool>
Importer::importIntegerWeightLayer(const onnx::NodeProto &node) {
  if (node.input_size() < 2)
    return std::nullopt;
  auto found = integerWeights.find(node.input(1));
  if (found == integerWeights.end())
    return std::nullopt;
  const IntegerWeights &weights = found->second;
  int64_t weightAxis, resultAxis;
  if (!outputAxes(node, weights.shape.size(), weightAxis, resultAxis) ||
      (weights.scale.size() != 1 && weights.axis != weightAxis))
    return std::nullopt;

  // The layer of the integers, without the bias (added after the scale).
  // Input on the model's integer grid feeds its codes as they are.
  const std::string base = node.output(0) + "/rebocc.";
  ConstTensor codes;
  codes.shape = weights.shape;
  codes.data.assign(weights.codes.begin(), weights.codes.end());
  bindName(base + "codes", std::move(codes));
  auto activations = integerActivations.find(node.input(0));
  const IntegerActivations *input =
      activations == integerActivations.end() ? nullptr : &activations->second;
  std::vector<std::string> inputs = {input ? input->codes : node.input(0),
                                     base + "codes"};
  if (!importPiece(node, node.op_type(), inputs, base + "acc", true))
    return false;
  for (auto &[layer, tensor] : layerTensor) {
    if (tensor != base + "acc")
      continue;
    layer->setAttr("weight_bits",
                   builder.getI64IntegerAttr(
                       weightBits(weights.codes, weights.typeBits)));
    if (input)
      layer->setAttr("input_bits", builder.getI64IntegerAttr(input->bits));
    // The layer keeps the model's name, not the piece's: an unnamed
    // QLinearConv's Conv piece is named after its output "y/rebocc.y".
    onnx::NodeProto named;
    const std::string &out = node.output(0);
    named.set_name(node.name().empty() ? out.substr(0, out.find("/rebocc."))
                                       : node.name());
    layer->setAttr("name", builder.getStringAttr(layerName(named)));
  }

  // The product's scale: the weight's, times the input's where the layer
  // took its codes (a float32 product, as onnxruntime's x_scale * w_scale).
  std::vector<double> scale = weights.scale;
  if (input)
    for (double &s : scale)
      s = (float)s * (float)input->scale;
  Location loc = locFor(node);
  Value y = env[base + "acc"].value;
  int64_t rank = shapeOf(y).size();
  int64_t axis = resultAxis < 0 ? rank - 1 : resultAxis;
  if (llvm::any_of(scale, [](double s) { return s != 1; }))
    y = MulOp::create(builder, loc, y.getType(), y,
                      materialize(constAlongAxis(scale, axis, rank), loc,
                                  node.name() + "/weight_scale"));
  if (!hasInput(node, 2) || node.op_type() == "MatMul")
    return bind(node, y);
  if (node.op_type() == "Gemm") {
    // C broadcasts to the (batch, outputs) result as Gemm defines.
    env[base + "scaled"] = Binding{y, std::nullopt};
    return importPiece(node, "Add", {base + "scaled", node.input(2)},
                       node.output(0), false);
  }
  const ConstTensor *bias = constantInput(node, 2, "the bias B");
  if (!bias)
    return false;
  if (bias->shape.size() != 1 || bias->shape[0] != shapeOf(y)[1])
    return fail(node, "the bias B must have one value per output channel");
  y = AddOp::create(builder, loc, y.getType(), y,
                    materialize(constAlongAxis(bias->data, 1, rank), loc,
                                node.name() + "/bias"));
  return bind(node, y);
}

} // namespace rebocc::onnxfe
