//===- ImportConvTranspose.cpp - ONNX ConvTranspose as a crossbar Conv ----===//
//
// A transposed convolution is a convolution over a strided, padded input:
// insert stride - 1 zeros between the input's pixels, pad each side by
// dilation * (kernel - 1) less the ConvTranspose pads, and convolve with
// stride 1 and the kernel flipped in space with its two channel dimensions
// swapped (per group). The importer builds exactly that, so the layer is an
// ordinary circulant.conv on crossbars (block-circulant detection applies)
// and the zero insertion is a reshape, a pad (a copy the cost model
// charges) and a reshape:
//
//   (N, C, H, W) -> (N, C, H, 1, W, 1) -pad-> (N, C, H, sh, W, sw)
//                -> (N, C, H * sh, W * sw)
//
// which leaves sh - 1 (sw - 1) zeros after the last pixel; the conv's end
// padding is reduced by as many (a slice cuts what a negative pad would).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"
#include "rebocc/Dialect/Circulant/Utils.h"

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

namespace {
/// The attributes of one ConvTranspose, per spatial dimension (two; a 1-D
/// one is lifted to H = 1), and the padding of the equivalent convolution.
struct TransposedWindow {
  int64_t kernel[2], strides[2], dilations[2];
  /// Pads of the equivalent stride-1 convolution over the zero-inserted
  /// input of length in * stride (begin, end); either may be negative.
  int64_t begin[2], end[2];
  int64_t out[2];
};
} // namespace

/// The pads ConvTranspose applies (`begin`, `end`) for one spatial
/// dimension, from pads, auto_pad or output_shape as the ONNX specification
/// gives them. `natural` is the output size without pads,
/// stride * (in - 1) + output_padding + dilation * (kernel - 1) + 1.
static void transposedPads(const std::string &autoPad, int64_t natural,
                           int64_t in, int64_t stride,
                           std::optional<int64_t> outputShape, int64_t &begin,
                           int64_t &end) {
  if (!outputShape && autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return; // the pads attribute (VALID: zeros), already in begin / end
  int64_t target = outputShape ? *outputShape : in * stride;
  int64_t total = natural - target;
  if (total < 0) {
    // A larger requested output extends the end (as output_padding does).
    begin = 0;
    end = total;
    return;
  }
  // SAME_UPPER puts the odd pixel of padding at the end; SAME_LOWER and an
  // explicit output_shape at the beginning.
  begin = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
  end = total - begin;
}

/// Reads the window attributes for the (lifted) 2-D `in` and `kernel` and
/// fills `w`; `spatial` is 1 or 2, the node's own dimension count.
static bool readTransposedWindow(const onnx::NodeProto &node,
                                 ArrayRef<int64_t> in, ArrayRef<int64_t> kernel,
                                 size_t spatial, TransposedWindow &w,
                                 std::string &error) {
  auto ints = [&](StringRef name, size_t count, int64_t fallback) {
    return getInts(node, name).value_or(std::vector<int64_t>(count, fallback));
  };
  std::vector<int64_t> strides = ints("strides", spatial, 1),
                       dilations = ints("dilations", spatial, 1),
                       pads = ints("pads", 2 * spatial, 0),
                       outputPadding = ints("output_padding", spatial, 0);
  std::optional<std::vector<int64_t>> outputShape =
      getInts(node, "output_shape");
  // Some exporters write the full (N, C, spatial...) shape.
  if (outputShape && outputShape->size() == spatial + 2)
    outputShape->erase(outputShape->begin(), outputShape->begin() + 2);
  if (strides.size() != spatial || dilations.size() != spatial ||
      outputPadding.size() != spatial || pads.size() != 2 * spatial ||
      (outputShape && outputShape->size() != spatial)) {
    error = "strides, dilations, output_padding and output_shape need " +
            std::to_string(spatial) + " entries and pads " +
            std::to_string(2 * spatial);
    return false;
  }
  std::string autoPad = getString(node, "auto_pad", "NOTSET");
  if (autoPad.empty())
    autoPad = "NOTSET";
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER") {
    error = "unknown auto_pad '" + autoPad + "'";
    return false;
  }
  size_t lift = 2 - spatial;
  for (size_t d = 0; d < 2; ++d) {
    bool lifted = d < lift;
    size_t a = d - lift; // the attribute index of a real dimension
    w.kernel[d] = kernel[d];
    w.strides[d] = lifted ? 1 : strides[a];
    w.dilations[d] = lifted ? 1 : dilations[a];
    int64_t outPad = lifted ? 0 : outputPadding[a];
    int64_t padBegin = lifted || autoPad == "VALID" ? 0 : pads[a];
    int64_t padEnd = lifted || autoPad == "VALID" ? 0 : pads[a + spatial];
    auto bad = [](int64_t v) { return v < 1 || v > kMaxWindow; };
    if (bad(w.strides[d]) || bad(w.dilations[d]) || bad(w.kernel[d])) {
      error = "kernel, strides and dilations must be in [1, " +
              std::to_string(kMaxWindow) + "]";
      return false;
    }
    if (padBegin < 0 || padEnd < 0 || padBegin > kMaxWindow ||
        padEnd > kMaxWindow || outPad < 0 ||
        outPad >= std::max(w.strides[d], w.dilations[d])) {
      error = "pads must be in [0, " + std::to_string(kMaxWindow) +
              "] and output_padding in [0, max(stride, dilation))";
      return false;
    }
    int64_t dk = w.dilations[d] * (w.kernel[d] - 1);
    int64_t natural = w.strides[d] * (in[2 + d] - 1) + outPad + dk + 1;
    std::optional<int64_t> target;
    if (outputShape && !lifted)
      target = (*outputShape)[a];
    if (target && (*target < 1 || *target > natural + kMaxWindow)) {
      error = "output_shape " + std::to_string(*target) + " is out of range";
      return false;
    }
    transposedPads(autoPad, natural, in[2 + d], w.strides[d],
                   lifted ? std::nullopt : target, padBegin, padEnd);
    w.out[d] = natural - padBegin - padEnd;
    if (w.out[d] < 1) {
      error = "the pads leave no output";
      return false;
    }
    // Over the zero-inserted length in * stride, whose last stride - 1
    // entries are already zeros at the end.
    w.begin[d] = dk - padBegin;
    w.end[d] = dk - padEnd + outPad - (w.strides[d] - 1);
  }
  return true;
}

/// The Conv weight (C_out, C_in / group, kh, kw) equivalent to the
/// ConvTranspose weight `w` (C_in, C_out / group, kh, kw): per group the two
/// channel dimensions swapped and the kernel turned by 180 degrees.
static ConstTensor flippedKernel(const ConstTensor &w, ArrayRef<int64_t> shape,
                                 int64_t groups) {
  int64_t cIn = shape[0], m = shape[1], kh = shape[2], kw = shape[3];
  int64_t n = cIn / groups;
  ConstTensor out;
  out.shape = {groups * m, n, kh, kw};
  out.data.resize(w.data.size());
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t o = 0; o < m; ++o)
      for (int64_t i = 0; i < n; ++i)
        for (int64_t y = 0; y < kh; ++y)
          for (int64_t x = 0; x < kw; ++x)
            out.data[(((g * m + o) * n + i) * kh + y) * kw + x] =
                w.data[(((g * n + i) * m + o) * kh + (kh - 1 - y)) * kw +
                       (kw - 1 - x)];
  return out;
}

/// `x` (N, C, H, W) with stride - 1 zeros after every pixel, then cut to
/// the part the convolution reads where its pads in `w` are negative (the
/// pads become zero there).
static Value stridedInput(OpBuilder &builder, Value x, TransposedWindow &w,
                          Location loc) {
  auto reshapeTo = [&](Value value, ArrayRef<int64_t> shape) -> Value {
    return ReshapeOp::create(builder, loc, tensorType(shape, builder), value);
  };
  ArrayRef<int64_t> in = shapeOf(x);
  int64_t sh = w.strides[0], sw = w.strides[1];
  Value spread = x;
  std::vector<int64_t> len = {in[2], in[3]};
  if (sh > 1 || sw > 1) {
    Value split = reshapeTo(x, {in[0], in[1], in[2], 1, in[3], 1});
    SmallVector<int64_t> pads(12, 0);
    pads[6 + 3] = sh - 1;
    pads[6 + 5] = sw - 1;
    Value padded = PadOp::create(
        builder, loc, tensorType({in[0], in[1], in[2], sh, in[3], sw}, builder),
        split, pads, "constant", llvm::APFloat(0.0f));
    len = {in[2] * sh, in[3] * sw};
    spread = reshapeTo(padded, {in[0], in[1], len[0], len[1]});
  }
  SmallVector<int64_t> axes, starts, ends;
  for (int d = 0; d < 2; ++d) {
    if (w.begin[d] >= 0 && w.end[d] >= 0)
      continue;
    axes.push_back(2 + d);
    starts.push_back(std::max<int64_t>(0, -w.begin[d]));
    ends.push_back(len[d] + std::min<int64_t>(0, w.end[d]));
    len[d] = ends.back() - starts.back();
    w.begin[d] = std::max<int64_t>(0, w.begin[d]);
    w.end[d] = std::max<int64_t>(0, w.end[d]);
  }
  if (axes.empty())
    return spread;
  return SliceOp::create(builder, loc,
                         tensorType({in[0], in[1], len[0], len[1]}, builder),
                         spread, axes, starts, ends);
}

bool Importer::importConvTranspose(const onnx::NodeProto &node) {
  Value x;
  const ConstTensor *w = convOperands(node, "transposed convolutions",
                                      "C_in, C_out / group", x);
  if (!w)
    return false;
  if (w->numElements() == 0)
    return fail(node, "the weight W is empty");
  size_t spatial = w->shape.size() - 2;
  ArrayRef<int64_t> in = shapeOf(x);
  int64_t groups = getInt(node, "group", 1);
  if (groups < 1 || w->shape[0] % groups || w->shape[0] != in[1])
    return fail(node, "W has " + Twine(w->shape[0]) +
                          " input channels, the "
                          "input " +
                          Twine(in[1]) + ", in " + Twine(groups) + " groups");
  if (std::optional<std::vector<int64_t>> ks = getInts(node, "kernel_shape"))
    if (ArrayRef<int64_t>(*ks) != ArrayRef<int64_t>(w->shape).drop_front(2))
      return fail(node, "kernel_shape does not match W");
  SmallVector<int64_t, 4> in4(in), wShape(w->shape.begin(), w->shape.end());
  if (spatial == 1) {
    in4.insert(in4.begin() + 2, 1);
    wShape.insert(wShape.begin() + 2, 1);
  }
  TransposedWindow win;
  std::string reason;
  if (!readTransposedWindow(node, in4, ArrayRef<int64_t>(wShape).drop_front(2),
                            spatial, win, reason))
    return fail(node, reason);
  int64_t cOut = groups * wShape[1];
  std::vector<float> bias;
  if (!convBias(node, cOut, bias))
    return false;
  Location loc = locFor(node);
  std::string name = layerName(node);
  Value x4 = spatial == 1 ? reshapeTo(x, in4, loc) : x;
  Value strided = stridedInput(builder, x4, win, loc);
  ConstTensor kernel = flippedKernel(*w, wShape, groups);
  int64_t m = wShape[1], n = in[1] / groups;
  auto weightType =
      tensorType({groups, m, wShape[2], wShape[3], n, 1}, builder);
  SmallVector<int64_t> ones = {1, 1},
                       pads = {win.begin[0], win.begin[1], win.end[0],
                               win.end[1]},
                       dilations = {win.dilations[0], win.dilations[1]};
  auto conv = ConvOp::create(
      builder, loc, tensorType({in[0], cOut, win.out[0], win.out[1]}, builder),
      strided, name, /*block_size=*/1, groups, ones, pads, dilations,
      makeFloatAttr(weightType, convWeight(kernel, kernel.shape, groups),
                    name + "_w"),
      makeFloatAttr(tensorType({cOut}, builder), bias, name + "_b"),
      MappingAttr(), IntegerAttr(), /*shared_input=*/false, IntegerAttr(),
      /*weight_bits=*/IntegerAttr(), /*input_bits=*/IntegerAttr());
  if (spatial == 2)
    return bindLayer(node, conv);
  return bindLayer(node, conv,
                   reshapeTo(conv.getResult(), {in[0], cOut, win.out[1]}, loc));
}

} // namespace rebocc::onnxfe
