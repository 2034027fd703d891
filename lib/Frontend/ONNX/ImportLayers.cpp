//===- ImportLayers.cpp - ONNX layers that become crossbar layers ---------===//
//
// Gemm, MatMul and Conv with constant weights become circulant.fc and
// circulant.conv (dense, block_size = 1). A bias Add after a MatMul and an
// inference BatchNormalization after any of them fold into the layer's
// weights and bias when nothing else reads the layer's result, so the
// crossbar computes them for free.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"
#include "rebocc/Dialect/Circulant/Utils.h"

#include <cmath>

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

//===----------------------------------------------------------------------===//
// Folding into layers
//===----------------------------------------------------------------------===//

bool Importer::bindLayer(const onnx::NodeProto &node, Operation *layer,
                         Value bound) {
  layerTensor[layer] = node.output(0);
  return bind(node, bound ? bound : layer->getResult(0));
}

/// The fc/conv op whose raw result input `index` is (possibly through the
/// reshape back from a lifted 1-D convolution), if this node is its only
/// reader (so folding into it changes nothing else).
Operation *Importer::exclusiveLayer(const onnx::NodeProto &node, int index) {
  auto it = env.find(node.input(index));
  if (it == env.end() || !it->second.value)
    return nullptr;
  Operation *layer = it->second.value.getDefiningOp();
  if (auto reshape = dyn_cast_or_null<ReshapeOp>(layer))
    layer = reshape->getOperand(0).getDefiningOp();
  auto tensor = layerTensor.find(layer);
  if (!layer || tensor == layerTensor.end() ||
      tensor->second != node.input(index) ||
      consumers.lookup(node.input(index)) != 1)
    return nullptr;
  return layer;
}

/// A MatMul layer followed by an Add of a per-output constant is one layer
/// with a bias. Returns true when it folded (and bound the node).
bool Importer::foldMatMulBias(const onnx::NodeProto &node) {
  for (int dataIndex = 0; dataIndex < 2; ++dataIndex) {
    Operation *layer = exclusiveLayer(node, dataIndex);
    const Binding *other = lookup(node, 1 - dataIndex);
    if (!layer || !biaslessFromMatMul.count(layer) || !other || !other->known)
      continue;
    auto fc = cast<FullyConnectedOp>(layer);
    const ConstTensor &bias = *other->known;
    int64_t m = fc.getOutFeatures();
    bool perOutput = bias.numElements() == m &&
                     (bias.shape.size() == 1 ||
                      (bias.shape.size() == 2 && bias.shape[0] == 1));
    if (!perOutput || !bias.isFloat)
      continue;
    fc.setBiasAttr(makeFloatAttr(tensorType({m}, builder), toFloats(bias),
                                 (fc.getName() + "_b").str()));
    biaslessFromMatMul.erase(layer);
    // The sum stands for what the product stood for: the layer's result,
    // or its reshape back to N-D for a MatMul of N-D data.
    return bindLayer(node, layer, env.lookup(node.input(dataIndex)).value);
  }
  return false;
}

/// W' = W * scale and b' = b * scale + shift per output channel.
bool Importer::foldScaleShift(const onnx::NodeProto &node, Operation *layer,
                              ArrayRef<float> scale, ArrayRef<float> shift) {
  auto weightAttr = layer->getAttrOfType<ElementsAttr>("weight");
  auto biasAttr = layer->getAttrOfType<ElementsAttr>("bias");
  std::optional<std::vector<float>> weight = getFloatValues(weightAttr);
  std::optional<std::vector<float>> bias = getFloatValues(biasAttr);
  if (!weight || !bias)
    return fail(node, "cannot read the preceding layer's weights");
  // Both layouts put the output channel (within its group) outermost:
  // fc [m, n, 1], conv [groups, m, kh, kw, n, 1]; channel c = g*m + i.
  int64_t channels = bias->size();
  int64_t perChannel = weight->size() / channels;
  for (int64_t c = 0; c < channels; ++c) {
    for (int64_t e = 0; e < perChannel; ++e)
      (*weight)[c * perChannel + e] *= scale[c];
    (*bias)[c] = (*bias)[c] * scale[c] + shift[c];
  }
  std::string name = layer->getAttrOfType<StringAttr>("name").str();
  layer->setAttr("weight",
                 makeFloatAttr(cast<ShapedType>(weightAttr.getType()), *weight,
                               name + "_w"));
  layer->setAttr("bias", makeFloatAttr(cast<ShapedType>(biasAttr.getType()),
                                       *bias, name + "_b"));
  // The zero bias is no longer zero: a later Add must not overwrite it.
  biaslessFromMatMul.erase(layer);
  // The node now stands for what its input stood for: the layer's result,
  // or its reshape back to (N, C, L) for a lifted 1-D convolution.
  return bindLayer(node, layer, env.lookup(node.input(0)).value);
}

//===----------------------------------------------------------------------===//
// Fully connected layers
//===----------------------------------------------------------------------===//

static bool isPerOutputBias(const ConstTensor &c, int64_t m) {
  return c.numElements() == m &&
         (c.shape.size() == 1 || (c.shape.size() == 2 && c.shape[0] == 1));
}

bool Importer::createFullyConnected(const onnx::NodeProto &node, Value input,
                                    std::vector<float> weight,
                                    std::vector<float> bias, int64_t m,
                                    bool fromMatMul) {
  ArrayRef<int64_t> inShape = shapeOf(input);
  int64_t n = inShape[1];
  if ((int64_t)weight.size() != m * n)
    return fail(node, "weight shape does not match the input features");
  std::string name = layerName(node);
  auto weightType = tensorType({m, n, 1}, builder);
  auto biasType = tensorType({m}, builder);
  auto resultType = tensorType({inShape[0], m}, builder);
  auto fc = FullyConnectedOp::create(
      builder, locFor(node), resultType, input, name, /*block_size=*/1,
      makeFloatAttr(weightType, std::move(weight), name + "_w"),
      makeFloatAttr(biasType, std::move(bias), name + "_b"), MappingAttr(),
      IntegerAttr(),
      /*shared_input=*/false, IntegerAttr(),
      /*weight_bits=*/IntegerAttr(), /*input_bits=*/IntegerAttr());
  if (fromMatMul)
    biaslessFromMatMul.insert(fc);
  return bindLayer(node, fc);
}

/// Gemm's A as a (rows, features) value. transA = 1 transposes it; the
/// run-time batch may be in the rows, never in the features.
bool Importer::gemmInputA(const onnx::NodeProto &node, Value &a) {
  if (!runtimeInput(node, 0, a))
    return false;
  if (shapeOf(a).size() != 2)
    return fail(node, "A and B must be 2-D");
  bool transA = getInt(node, "transA", 0) != 0;
  ArrayRef<int64_t> shape = shapeOf(a);
  if (ShapedType::isDynamic(shape[transA ? 0 : 1]))
    return fail(node, Twine(transA ? "transA = 1 would move" : "A has") +
                          " the run-time batch dimension" +
                          (transA ? " of A into" : " in") +
                          " the features, which is not supported");
  if (!transA)
    return true;
  a = TransposeOp::create(builder, locFor(node),
                          tensorType({shape[1], shape[0]}, builder), a,
                          ArrayRef<int64_t>{1, 0});
  return true;
}

bool Importer::importGemm(const onnx::NodeProto &node) {
  // The model's 8-bit weights go on the cells as they are.
  if (std::optional<bool> integer = importIntegerWeightLayer(node))
    return *integer;
  Value a;
  if (!gemmInputA(node, a))
    return false;
  // B read straight as float32 when only this node reads it, so a large
  // classifier's weights are never held as doubles.
  std::vector<float> bFloats;
  const bool direct = takePendingFloats(node, 1, bFloats);
  const Binding *b = lookup(node, 1);
  if (!b)
    return false;
  if (!b->known)
    return fail(node, "B must be a constant (an initializer or Constant): "
                      "crossbar weights are programmed before the network "
                      "runs");
  ArrayRef<int64_t> aShape = shapeOf(a);
  if (b->known->shape.size() != 2)
    return fail(node, "A and B must be 2-D");
  bool transB = getInt(node, "transB", 0) != 0;
  int64_t k = aShape[1];
  int64_t bRows = b->known->shape[0], bCols = b->known->shape[1];
  int64_t m = transB ? bRows : bCols;
  if ((transB ? bCols : bRows) != k)
    return fail(node, "inner dimensions of A and B differ");
  float alpha = getFloat(node, "alpha", 1.0f);
  float beta = getFloat(node, "beta", 1.0f);
  // W[o][i] is the weight from input i to output o.
  auto bAt = [&](int64_t e) {
    return direct ? bFloats[e] : (float)b->known->data[e];
  };
  std::vector<float> weight;
  if (direct && transB) {
    // B is W already: scaled in place, not copied (VGG-16's first
    // classifier layer is 411 MB).
    weight = std::move(bFloats);
    for (float &w : weight)
      w = alpha * w;
  } else {
    weight.resize(m * k);
    for (int64_t o = 0; o < m; ++o)
      for (int64_t i = 0; i < k; ++i)
        weight[o * k + i] =
            alpha * bAt(transB ? o * bCols + i : i * bCols + o);
    std::vector<float>().swap(bFloats);
  }

  // C folds into the layer's bias when it is a constant per output (or a
  // scalar); otherwise it is added digitally after the layer.
  std::vector<float> bias(m, 0.0f);
  const Binding *c = nullptr;
  if (hasInput(node, 2)) {
    if (!(c = lookup(node, 2)))
      return false;
    if (c->known) {
      const ConstTensor &ct = *c->known;
      int64_t count = ct.numElements();
      if (count == 1 || isPerOutputBias(ct, m)) {
        for (int64_t o = 0; o < m; ++o)
          bias[o] = beta * (float)ct.data[count == 1 ? 0 : o];
        c = nullptr;
      }
    }
  }
  if (!createFullyConnected(node, a, std::move(weight), std::move(bias), m,
                            false))
    return false;
  if (!c)
    return true;
  Value product = env[node.output(0)].value;
  Value addend;
  if (!runtimeInput(node, 2, addend))
    return false;
  auto resultType = cast<RankedTensorType>(product.getType());
  std::optional<std::vector<int64_t>> sumShape =
      support::broadcastShapes(resultType.getShape(), shapeOf(addend));
  if (!sumShape || ArrayRef<int64_t>(*sumShape) != resultType.getShape())
    return fail(node, "C does not broadcast to the result");
  if (beta != 1.0f) {
    Value betaValue = materialize(ConstTensor{{}, {beta}, true}, locFor(node),
                                  node.output(0) + "_beta");
    addend = MulOp::create(builder, locFor(node),
                           cast<RankedTensorType>(addend.getType()), addend,
                           betaValue);
  }
  auto sum = AddOp::create(builder, locFor(node), resultType, product, addend);
  return bind(node, sum);
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

/// Explicit pads for auto_pad SAME_UPPER/SAME_LOWER: the output is
/// ceil(in / stride) and the extra padding goes to the end (UPPER) or the
/// beginning (LOWER).
static void samePads(int64_t in, int64_t kernel, int64_t stride,
                     int64_t dilation, bool upper, int64_t &begin,
                     int64_t &end) {
  int64_t out = support::ceilDiv(in, stride);
  int64_t total =
      std::max<int64_t>(0, (out - 1) * stride + dilation * (kernel - 1) + 1 - in);
  begin = upper ? total / 2 : total - total / 2;
  end = total - begin;
}

/// The window of a 1-D (N, C, L) or 2-D (N, C, H, W) pooling node over the
/// input shape `in`: kernel_shape (required) and readWindow's attributes.
/// A 1-D pool comes back lifted to (N, C, 1, L), its shape in `in4`.
bool Importer::readPoolWindow(const onnx::NodeProto &node,
                              ArrayRef<int64_t> in,
                              SmallVectorImpl<int64_t> &in4, Window &w,
                              bool &is1D) {
  std::optional<std::vector<int64_t>> kernel = getInts(node, "kernel_shape");
  if (!kernel)
    return fail(node, "kernel_shape is required");
  if (in.size() > 4 || kernel->size() > 2) {
    int64_t dims = std::max<int64_t>((int64_t)in.size() - 2, kernel->size());
    return fail(node, "only 1-D (N, C, L) and 2-D (N, C, H, W) pooling are "
                      "supported; this one is " +
                          Twine(dims) + "-D");
  }
  is1D = in.size() == 3 && kernel->size() == 1;
  if (!is1D && (in.size() != 4 || kernel->size() != 2))
    return fail(node, "kernel_shape has " + Twine(kernel->size()) +
                          " entries for a rank-" + Twine(in.size()) +
                          " input; only 1-D (N, C, L) and 2-D (N, C, H, W) "
                          "pooling are supported");
  in4.assign(in.begin(), in.end());
  SmallVector<int64_t, 2> kernel2(kernel->begin(), kernel->end());
  if (is1D) {
    in4.insert(in4.begin() + 2, 1);
    kernel2.insert(kernel2.begin(), 1);
  }
  return readWindow(node, in4, kernel2, w, is1D);
}

/// Reads strides, dilations, pads/auto_pad and ceil_mode of a 2-D window
/// over the NCHW shape `input` and computes the output size. With `lift1D`
/// the node's attributes describe a 1-D window over L of (N, C, L), and
/// `input` and `kernel` are already lifted to (N, C, 1, L) and (1, k): the
/// window becomes strides (1, s), dilations (1, d), pads (0, b, 0, e).
bool Importer::readWindow(const onnx::NodeProto &node, ArrayRef<int64_t> input,
                          ArrayRef<int64_t> kernel, Window &w, bool lift1D) {
  w.kernel.assign(kernel.begin(), kernel.end());
  size_t rank = lift1D ? 1 : 2;
  std::vector<int64_t> strides = getInts(node, "strides").value_or(
      std::vector<int64_t>(rank, 1));
  std::vector<int64_t> dilations = getInts(node, "dilations").value_or(
      std::vector<int64_t>(rank, 1));
  std::vector<int64_t> pads = getInts(node, "pads").value_or(
      std::vector<int64_t>(2 * rank, 0));
  if (strides.size() != rank || dilations.size() != rank ||
      pads.size() != 2 * rank)
    return fail(node, lift1D ? "strides and dilations need 1 entry and pads "
                               "2 for a 1-D window"
                             : "strides and dilations need 2 entries and pads "
                               "4 for a 2-D window");
  if (lift1D) {
    strides.insert(strides.begin(), 1);
    dilations.insert(dilations.begin(), 1);
    pads = {0, pads[0], 0, pads[1]};
  }
  if (llvm::any_of(strides, [](int64_t v) { return v < 1; }) ||
      llvm::any_of(dilations, [](int64_t v) { return v < 1; }) ||
      llvm::any_of(kernel, [](int64_t v) { return v < 1; }))
    return fail(node, "kernel, strides and dilations must be positive");
  if (llvm::any_of(pads, [](int64_t v) { return v < 0; }))
    return fail(node, "negative pads are not supported");
  auto absurd = [](int64_t v) { return v > kMaxWindow; };
  if (llvm::any_of(strides, absurd) || llvm::any_of(dilations, absurd) ||
      llvm::any_of(kernel, absurd) || llvm::any_of(pads, absurd))
    return fail(node, "absurdly large kernel, strides, dilations or pads");
  w.strides.assign(strides.begin(), strides.end());
  w.dilations.assign(dilations.begin(), dilations.end());
  w.ceilMode = getInt(node, "ceil_mode", 0) != 0;
  std::string autoPad = getString(node, "auto_pad", "NOTSET");
  if (autoPad.empty())
    autoPad = "NOTSET"; // Some exporters write the default as "".
  // ONNX orders pads [h_begin, w_begin, h_end, w_end]: already (top, left,
  // bottom, right).
  w.pads.assign(pads.begin(), pads.end());
  if (autoPad == "VALID") {
    w.pads.assign(4, 0);
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int d = 0; d < 2; ++d)
      samePads(input[2 + d], kernel[d], strides[d], dilations[d],
               autoPad == "SAME_UPPER", w.pads[d], w.pads[d + 2]);
  } else if (autoPad != "NOTSET") {
    return fail(node, "unknown auto_pad '" + autoPad + "'");
  }
  w.outH = support::windowOutput(input[2], kernel[0], strides[0], w.pads[0],
                                 w.pads[2], dilations[0], w.ceilMode);
  w.outW = support::windowOutput(input[3], kernel[1], strides[1], w.pads[1],
                                 w.pads[3], dilations[1], w.ceilMode);
  if (w.outH < 1 || w.outW < 1)
    return fail(node, "the window does not fit in the padded input");
  return true;
}

/// Conv weights W[C_out][C_in/groups][kh][kw] (`shape`; a 1-D W[C_out]
/// [C_in/groups][k] is read as kh = 1) in the circulant.conv layout for
/// block_size 1: weight[g][i][u][v][j][0] = W[g*m + i][j][u][v].
template <typename T>
static std::vector<float> convWeightFrom(ArrayRef<T> data,
                                         ArrayRef<int64_t> shape,
                                         int64_t groups) {
  int64_t cOut = shape[0], n = shape[1], kh = shape[2], kw = shape[3];
  int64_t m = cOut / groups;
  std::vector<float> out(data.size());
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t u = 0; u < kh; ++u)
        for (int64_t v = 0; v < kw; ++v)
          for (int64_t j = 0; j < n; ++j)
            out[(((g * m + i) * kh + u) * kw + v) * n + j] =
                (float)data[((g * m + i) * n + j) * kh * kw + u * kw + v];
  return out;
}

std::vector<float> convWeight(const ConstTensor &w, ArrayRef<int64_t> shape,
                              int64_t groups) {
  return convWeightFrom(ArrayRef<double>(w.data), shape, groups);
}

std::vector<float> convWeight(ArrayRef<float> w, ArrayRef<int64_t> shape,
                              int64_t groups) {
  return convWeightFrom(w, shape, groups);
}

const ConstTensor *Importer::convOperands(const onnx::NodeProto &node,
                                          StringRef what, StringRef layout,
                                          Value &x) {
  const Binding *wb = lookup(node, 1);
  if (!wb)
    return nullptr;
  if (!wb->known) {
    fail(node, "the weight W must be a constant (an initializer or "
               "Constant): crossbar weights are programmed before the "
               "network runs");
    return nullptr;
  }
  const ConstTensor *w = constantInput(node, 1, "the weight W");
  if (!w)
    return nullptr;
  const size_t rank = w->shape.size();
  if (rank > 4) {
    fail(node, "only 1-D (N, C, L) and 2-D (N, C, H, W) " + what +
                   " are supported; this one is " + Twine((int64_t)rank - 2) +
                   "-D");
    return nullptr;
  }
  if (rank < 3) {
    fail(node, "the weight W must be 3-D (" + layout + ", k) or 4-D (" +
                   layout + ", kh, kw)");
    return nullptr;
  }
  if (!runtimeInput(node, 0, x))
    return nullptr;
  if (shapeOf(x).size() != rank) {
    fail(node, rank == 3 ? "the input must be 3-D (N, C, L) for a 1-D weight"
                         : "the input must be 4-D (N, C, H, W) for a 2-D "
                           "weight");
    return nullptr;
  }
  return w;
}

/// Conv's and ConvTranspose's optional constant bias B, one value per output
/// channel (zeros without it).
bool Importer::convBias(const onnx::NodeProto &node, int64_t cOut,
                        std::vector<float> &bias) {
  bias.assign(cOut, 0.0f);
  if (!hasInput(node, 2))
    return true;
  const ConstTensor *b = constantInput(node, 2, "the bias B");
  if (!b)
    return false;
  if (b->numElements() != cOut)
    return fail(node, "the bias B must have one value per output channel");
  bias = toFloats(*b);
  return true;
}

bool Importer::importConv(const onnx::NodeProto &node) {
  // The model's 8-bit weights go on the cells as they are.
  if (std::optional<bool> integer = importIntegerWeightLayer(node))
    return *integer;
  // W read straight as float32 when only this node reads it (as Gemm's B):
  // a network's weights are then never decoded into doubles.
  std::vector<float> wFloats;
  const bool direct = takePendingFloats(node, 1, wFloats);
  Value x;
  const ConstTensor *w =
      convOperands(node, "convolutions", "C_out, C_in / group", x);
  if (!w)
    return false;
  // 1-D: (N, C, L) convolves as (N, C, 1, L) with a (1, k) kernel.
  bool is1D = w->shape.size() == 3;
  ArrayRef<int64_t> in = shapeOf(x);
  int64_t groups = getInt(node, "group", 1);
  if (groups < 1)
    return fail(node, "group must be positive");
  int64_t cOut = w->shape[0];
  if (w->numElements() == 0)
    return fail(node, "the weight W is empty");
  if (in[1] % groups || cOut % groups ||
      w->shape[1] * groups != in[1])
    return fail(node, "W has " + Twine(w->shape[1]) + " input channels per "
                      "group, the input " + Twine(in[1]) + " channels in " +
                      Twine(groups) + " groups");
  if (std::optional<std::vector<int64_t>> ks = getInts(node, "kernel_shape"))
    if (ArrayRef<int64_t>(*ks) != ArrayRef<int64_t>(w->shape).drop_front(2))
      return fail(node, "kernel_shape does not match W");
  SmallVector<int64_t, 4> in4(in), wShape(w->shape.begin(), w->shape.end());
  if (is1D) {
    in4.insert(in4.begin() + 2, 1);
    wShape.insert(wShape.begin() + 2, 1);
  }
  ArrayRef<int64_t> kernel = ArrayRef<int64_t>(wShape).drop_front(2);
  Window win;
  if (!readWindow(node, in4, kernel, win, is1D))
    return false;
  if (win.ceilMode)
    return fail(node, "ceil_mode is not a Conv attribute");
  std::vector<float> bias;
  if (!convBias(node, cOut, bias))
    return false;
  std::string name = layerName(node);
  Location loc = locFor(node);
  int64_t m = cOut / groups, n = in[1] / groups;
  auto weightType =
      tensorType({groups, m, kernel[0], kernel[1], n, 1}, builder);
  Value x4 = is1D ? reshapeTo(x, in4, loc) : x;
  auto conv = ConvOp::create(
      builder, loc, tensorType({in[0], cOut, win.outH, win.outW}, builder), x4,
      name, /*block_size=*/1, groups, win.strides, win.pads, win.dilations,
      makeFloatAttr(weightType,
                    direct ? convWeight(wFloats, wShape, groups)
                           : convWeight(*w, wShape, groups),
                    name + "_w"),
      makeFloatAttr(tensorType({cOut}, builder), bias, name + "_b"),
      MappingAttr(), IntegerAttr(), /*shared_input=*/false, IntegerAttr(),
      /*weight_bits=*/IntegerAttr(), /*input_bits=*/IntegerAttr());
  if (!is1D)
    return bindLayer(node, conv);
  return bindLayer(node, conv,
                   reshapeTo(conv.getResult(), {in[0], cOut, win.outW}, loc));
}

//===----------------------------------------------------------------------===//
// BatchNormalization
//===----------------------------------------------------------------------===//

bool Importer::importBatchNorm(const onnx::NodeProto &node) {
  if (getInt(node, "training_mode", 0) != 0 || getInt(node, "is_test", 1) == 0)
    return fail(node, "only inference BatchNormalization is supported");
  for (int i = 1; i < node.output_size(); ++i)
    if (!rejectUsedOutput(node, i, "a training-mode statistic"))
      return false;
  const Binding *xb = lookup(node, 0);
  if (!xb)
    return false;
  std::vector<int64_t> shape = shapeOfInput(*xb);
  if (shape.size() < 2)
    return fail(node, "the input needs a channel dimension");
  const char *names[] = {"scale", "B", "mean", "var"};
  const ConstTensor *params[4];
  for (int i = 0; i < 4; ++i)
    if (!(params[i] = constantInput(node, i + 1, Twine("the ") + names[i])))
      return false;
  // Per-channel parameters; before opset 9, spatial = 0 may give one per
  // element of a sample (C x D1 x ...).
  int64_t count = params[0]->numElements();
  bool perChannel = count == shape[1];
  if (!perChannel && count != product(ArrayRef<int64_t>(shape).drop_front()))
    return fail(node, "scale, B, mean and var must have one value per "
                      "channel");
  for (int i = 1; i < 4; ++i)
    if (params[i]->numElements() != count)
      return fail(node, "scale, B, mean and var differ in size");
  float eps = getFloat(node, "epsilon", 1e-5f);
  std::vector<float> scale(count), shift(count);
  for (int64_t c = 0; c < count; ++c) {
    scale[c] = (float)(params[0]->data[c] / std::sqrt(params[3]->data[c] + eps));
    shift[c] = (float)(params[1]->data[c] - params[2]->data[c] * scale[c]);
  }
  if (perChannel)
    if (Operation *layer = exclusiveLayer(node, 0))
      return foldScaleShift(node, layer, scale, shift);
  // A digital scale-and-shift, the constants broadcast per channel.
  std::vector<int64_t> paramShape(shape.begin() + 1, shape.end());
  if (perChannel)
    std::fill(paramShape.begin() + 1, paramShape.end(), 1);
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  Location loc = locFor(node);
  Value s = materialize(ConstTensor{paramShape, {scale.begin(), scale.end()}},
                        loc, node.output(0) + "_scale");
  Value t = materialize(ConstTensor{paramShape, {shift.begin(), shift.end()}},
                        loc, node.output(0) + "_shift");
  Value scaled = MulOp::create(builder, loc, x.getType(), x, s);
  return bind(node, AddOp::create(builder, loc, x.getType(), scaled, t));
}

} // namespace rebocc::onnxfe
