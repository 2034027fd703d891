//===- ImportSignal.cpp - ONNX audio front-end operators ------------------===//
//
// HannWindow, HammingWindow, BlackmanWindow and MelWeightMatrix (opset 17)
// of constant parameters fold to constants: the windows and filter banks a
// keyword-spotting front end multiplies by. STFT of a real signal is a
// crossbar layer: every frame times the windowed DFT basis is a 1-D
// convolution (docs/SupportedOps.md).
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

/// One scalar (or one-element) constant input, read as a double.
static bool scalarValue(const ConstTensor &tensor, double &value) {
  if (tensor.numElements() != 1 || tensor.shape.size() > 1)
    return false;
  value = tensor.data[0];
  return true;
}

/// The constant scalar input `index` of `node`, named `what` in errors.
bool Importer::scalarInput(const onnx::NodeProto &node, int index,
                           StringRef what, double &value) {
  const ConstTensor *tensor = constantInput(node, index, what);
  if (!tensor)
    return false;
  if (!scalarValue(*tensor, value))
    return fail(node, what + " must be a scalar");
  return true;
}

/// output_datatype (FLOAT by default): FLOAT rounds the double values once,
/// DOUBLE keeps them (doubleConstants).
bool Importer::bindSignalConstant(const onnx::NodeProto &node,
                                  ConstTensor out) {
  int64_t type = getInt(node, "output_datatype", onnx::TensorProto::FLOAT);
  if (type != onnx::TensorProto::FLOAT && type != onnx::TensorProto::DOUBLE)
    return fail(node, "output_datatype " + Twine(type) +
                          " is not supported (only FLOAT and DOUBLE)");
  out.isFloat = true;
  out.dataType = static_cast<int>(type);
  if (type == onnx::TensorProto::FLOAT)
    out.roundToFloat32();
  else
    doubleConstants.insert(node.output(0));
  return bindConstant(node, std::move(out));
}

/// The generalized cosine windows of ONNX (opset 17): y[n] = a0 -
/// a1 cos(2 pi n / N) + a2 cos(4 pi n / N), N the size when periodic (the
/// default), size - 1 otherwise. Hann: a0 = a1 = 0.5; Hamming: a0 = 25/46,
/// a1 = 21/46; Blackman: 0.42, 0.5, 0.08. Computed in double with pi, then
/// rounded once (ONNX's function body uses float32 2 pi).
bool Importer::importWindow(const onnx::NodeProto &node) {
  StringRef op = node.op_type();
  double a0 = 0.5, a1 = 0.5, a2 = 0;
  if (op == "HammingWindow") {
    a0 = 25.0 / 46.0;
    a1 = 21.0 / 46.0;
  } else if (op == "BlackmanWindow") {
    a0 = 0.42;
    a1 = 0.5;
    a2 = 0.08;
  }
  double size;
  if (!scalarInput(node, 0, "size", size))
    return false;
  if (size < 1 || size > (1 << 24) || size != std::floor(size))
    return fail(node, "size " + Twine(static_cast<int64_t>(size)) +
                          " must be a positive integer (at most 2^24)");
  int64_t n = static_cast<int64_t>(size);
  int64_t periodic = getInt(node, "periodic", 1);
  double denominator = periodic ? n : n - 1;
  ConstTensor out;
  out.shape = {n};
  out.data.resize(n);
  for (int64_t i = 0; i < n; ++i) {
    // A symmetric window of one sample is 0 / 0: ONNX's function gives NaN.
    double angle = 2 * M_PI * static_cast<double>(i) / denominator;
    out.data[i] = a0 - a1 * std::cos(angle) + a2 * std::cos(2 * angle);
  }
  return bindSignalConstant(node, std::move(out));
}

/// MelWeightMatrix (opset 17) as ONNX's reference defines it: num_mel_bins +
/// 2 points evenly spaced on the mel scale mel(f) = 2595 log10(1 + f / 700)
/// from lower_edge_hertz with step (mel(upper) - mel(lower)) /
/// (num_mel_bins + 2) (both in float32, as the reference and onnxruntime),
/// each mapped back to hertz and to the integer bin floor((dft_length + 1)
/// f / sample_rate) (in double, as the reference); triangle i rises from
/// bin i to bin i + 1 and falls to bin i + 2. The result is
/// [dft_length / 2 + 1, num_mel_bins].
bool Importer::importMelWeightMatrix(const onnx::NodeProto &node) {
  double melBins, dftLength, sampleRate, lower, upper;
  if (!scalarInput(node, 0, "num_mel_bins", melBins) ||
      !scalarInput(node, 1, "dft_length", dftLength) ||
      !scalarInput(node, 2, "sample_rate", sampleRate) ||
      !scalarInput(node, 3, "lower_edge_hertz", lower) ||
      !scalarInput(node, 4, "upper_edge_hertz", upper))
    return false;
  if (melBins < 1 || dftLength < 1 || sampleRate < 1 || melBins > 4096 ||
      dftLength > (1 << 20))
    return fail(node, "num_mel_bins (1 to 4096), dft_length (1 to 2^20) and "
                      "sample_rate must be positive");
  if (!(lower >= 0 && lower < upper))
    return fail(node, "lower_edge_hertz must be at least 0 and below "
                      "upper_edge_hertz");
  int64_t mels = static_cast<int64_t>(melBins);
  int64_t length = static_cast<int64_t>(dftLength);
  int64_t spectrumBins = length / 2 + 1;
  auto toMel = [](float hz) {
    return 2595.0f * std::log10(1.0f + hz / 700.0f);
  };
  float lowMel = toMel(static_cast<float>(lower));
  float highMel = toMel(static_cast<float>(upper));
  float melStep = (highMel - lowMel) / static_cast<float>(mels + 2);
  std::vector<int64_t> bins(mels + 2);
  for (int64_t i = 0; i < mels + 2; ++i) {
    double mel = static_cast<double>(i) * melStep + lowMel;
    double hz = 700 * (std::pow(10.0, mel / 2595) - 1);
    bins[i] = static_cast<int64_t>(std::floor((length + 1) * hz / sampleRate));
  }
  if (bins.back() > spectrumBins)
    return fail(node, "upper_edge_hertz maps to bin " + Twine(bins.back()) +
                          ", beyond the " + Twine(spectrumBins) +
                          " bins of a " + Twine(length) + "-point DFT");
  ConstTensor out;
  out.shape = {spectrumBins, mels};
  out.data.assign(spectrumBins * mels, 0.0);
  auto at = [&](int64_t bin, int64_t mel) -> double & {
    return out.data[bin * mels + mel];
  };
  for (int64_t i = 0; i < mels; ++i) {
    int64_t left = bins[i], center = bins[i + 1], right = bins[i + 2];
    if (center >= spectrumBins)
      return fail(node, "mel bin " + Twine(i) + " is centred on bin " +
                            Twine(center) + ", beyond the " +
                            Twine(spectrumBins) + " bins");
    if (center == left)
      at(center, i) = 1;
    else
      for (int64_t j = left; j <= center; ++j)
        at(j, i) = static_cast<double>(j - left) / (center - left);
    for (int64_t j = center; j < right; ++j)
      at(j, i) = static_cast<double>(right - j) / (right - center);
  }
  return bindSignalConstant(node, std::move(out));
}

/// cos and sin of 2 pi m / n (m in [0, n)), exact at the multiples of a
/// quarter turn (where cos(pi) etc. would leave 1e-16 for 0, a weight the
/// crossbar's scaling would have to represent).
static void unitCircle(int64_t m, int64_t n, double &c, double &s) {
  if ((4 * m) % n == 0) {
    static const double kCos[] = {1, 0, -1, 0}, kSin[] = {0, 1, 0, -1};
    c = kCos[4 * m / n];
    s = kSin[4 * m / n];
    return;
  }
  double angle = 2 * M_PI * static_cast<double>(m) / static_cast<double>(n);
  c = std::cos(angle);
  s = std::sin(angle);
}

/// The STFT basis as Conv weights [2 * bins, 1, 1, length]: output channel
/// 2k is the real part of bin k, sum_n w[n] x[n] cos(2 pi k n / length), and
/// 2k + 1 the imaginary part, -sum_n w[n] x[n] sin(2 pi k n / length). Each
/// weight is computed in double (k n reduced modulo length; unitCircle) and
/// rounded once to float32.
static ConstTensor stftBasis(ArrayRef<double> window, int64_t bins) {
  int64_t length = window.size();
  ConstTensor basis;
  basis.shape = {2 * bins, 1, 1, length};
  basis.data.resize(2 * bins * length);
  for (int64_t k = 0; k < bins; ++k)
    for (int64_t n = 0; n < length; ++n) {
      double cosine, sine;
      unitCircle((k * n) % length, length, cosine, sine);
      basis.data[(2 * k) * length + n] = window[n] * cosine;
      basis.data[(2 * k + 1) * length + n] = -window[n] * sine;
    }
  basis.roundToFloat32();
  return basis;
}

/// STFT (opset 17) of a real run-time signal [batch, length, 1] with a
/// constant frame_step and a constant window and/or frame_length: a Conv
/// over the signal lifted to [batch, 1, 1, length] with kernel
/// frame_length, stride frame_step and the basis of stftBasis, its
/// [batch, 2 * bins, 1, frames] result reshaped and transposed to ONNX's
/// [batch, frames, bins, 2]. bins is frame_length / 2 + 1 when onesided
/// (the default), frame_length otherwise.
bool Importer::importSTFT(const onnx::NodeProto &node) {
  double step;
  if (!scalarInput(node, 1, "frame_step", step))
    return false;
  std::vector<double> window;
  if (hasInput(node, 2)) {
    const ConstTensor *w = constantInput(node, 2, "the window");
    if (!w)
      return false;
    if (w->shape.size() != 1)
      return fail(node, "the window must be 1-D");
    window = w->data;
  }
  double frameLength = 0;
  if (hasInput(node, 3) &&
      !scalarInput(node, 3, "frame_length", frameLength))
    return false;
  if (window.empty() && frameLength == 0)
    return fail(node, "needs a window or a frame_length");
  if (window.empty())
    window.assign(static_cast<size_t>(std::max(frameLength, 0.0)), 1.0);
  int64_t length = window.size();
  if (frameLength != 0 && frameLength != static_cast<double>(length))
    return fail(node, "frame_length " + Twine(int64_t(frameLength)) +
                          " differs from the window's " + Twine(length));
  if (step < 1 || step != std::floor(step) || length < 1)
    return fail(node, "frame_step and frame_length must be positive integers");
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  ArrayRef<int64_t> in = shapeOf(x);
  if (in.size() != 3 || in[2] != 1)
    return fail(node, "the signal " + dimsToString(in) +
                          " must be real, [batch, length, 1] (a complex "
                          "signal, [batch, length, 2], is not supported)");
  if (ShapedType::isDynamic(in[1]) || in[1] < length)
    return fail(node, "the signal's length " + dimsToString(in) +
                          " must be static and at least frame_length " +
                          Twine(length));
  int64_t hop = static_cast<int64_t>(step);
  int64_t frames = (in[1] - length) / hop + 1;
  int64_t bins = getInt(node, "onesided", 1) ? length / 2 + 1 : length;
  ConstTensor basis = stftBasis(window, bins);
  Location loc = locFor(node);
  std::string name = layerName(node);
  int64_t batch = in[0], channels = 2 * bins;
  Value lifted = reshapeTo(x, {batch, 1, 1, in[1]}, loc);
  auto weightType = tensorType({1, channels, 1, length, 1, 1}, builder);
  SmallVector<int64_t> strides = {1, hop}, pads = {0, 0, 0, 0},
                       dilations = {1, 1};
  auto conv = ConvOp::create(
      builder, loc, tensorType({batch, channels, 1, frames}, builder), lifted,
      name, /*block_size=*/1, /*groups=*/1, strides, pads, dilations,
      makeFloatAttr(weightType, convWeight(basis, basis.shape, 1),
                    name + "_w"),
      makeFloatAttr(tensorType({channels}, builder),
                    std::vector<float>(channels, 0.0f), name + "_b"),
      MappingAttr(), IntegerAttr(), /*shared_input=*/false, IntegerAttr(),
      /*weight_bits=*/IntegerAttr(), /*input_bits=*/IntegerAttr());
  Value flat = reshapeTo(conv.getResult(), {batch, channels, frames}, loc);
  SmallVector<int64_t> perm = {0, 2, 1};
  Value frameMajor = TransposeOp::create(
      builder, loc, tensorType({batch, frames, channels}, builder), flat, perm);
  // Bound as a plain value: a bias after it must not fold into the layer,
  // whose channels are not the result's last dimension.
  return bind(node, reshapeTo(frameMajor, {batch, frames, bins, 2}, loc));
}

/// The DFT basis as a MatMul weight [length * c, bins * 2] for `length`
/// input samples of c components (1: real, 2: complex), the first
/// min(length, n) of them transformed with an n-point DFT (the rest
/// truncated; fewer samples are zero-padded): row i * c + part, column
/// k * 2 + (0: real, 1: imaginary). The forward transform multiplies by
/// e^(-2 pi i k j / n), the inverse by e^(2 pi i k j / n) / n; computed in
/// double and rounded once.
static ConstTensor dftBasis(int64_t length, int64_t c, int64_t n,
                            int64_t bins, bool inverse) {
  ConstTensor basis;
  basis.shape = {length * c, bins * 2};
  basis.data.assign(length * c * bins * 2, 0.0);
  double sign = inverse ? 1 : -1, scale = inverse ? 1.0 / n : 1;
  for (int64_t j = 0; j < std::min(length, n); ++j)
    for (int64_t k = 0; k < bins; ++k) {
      double cosine, sine;
      unitCircle((k * j) % n, n, cosine, sine);
      double re = scale * cosine, im = scale * sign * sine;
      double *realRow = &basis.data[(j * c) * bins * 2];
      // (a + ib)(re + i im) = (a re - b im) + i (a im + b re).
      realRow[k * 2] = re;
      realRow[k * 2 + 1] = im;
      if (c == 2) {
        double *imagRow = &basis.data[(j * c + 1) * bins * 2];
        imagRow[k * 2] = -im;
        imagRow[k * 2 + 1] = re;
      }
    }
  basis.roundToFloat32();
  return basis;
}

/// DFT (opsets 17 and 20) along a constant-length axis of run-time data
/// [..., c] (c = 1 real, 2 complex): the axis moved next to the last one,
/// the two merged, one MatMul by dftBasis (a crossbar layer), and the
/// result [..., bins, 2] moved back. axis is an attribute before opset 20
/// (default 1), then a constant input (default -2); dft_length a constant.
bool Importer::importDFT(const onnx::NodeProto &node) {
  Value x;
  if (!runtimeInput(node, 0, x))
    return false;
  std::vector<int64_t> in(shapeOf(x));
  int64_t rank = in.size();
  if (rank < 3 || (in.back() != 1 && in.back() != 2))
    return fail(node, "the input " + dimsToString(in) +
                          " must be [batch, ..., 1] (real) or [batch, ..., "
                          "2] (complex)");
  int64_t c = in.back();
  double axisValue = opset >= 20 ? -2 : getInt(node, "axis", 1);
  if (opset >= 20 && hasInput(node, 2) &&
      !scalarInput(node, 2, "axis", axisValue))
    return false;
  int64_t axis = static_cast<int64_t>(axisValue);
  if (!normalizeAxis(axis, rank) || axis == rank - 1)
    return fail(node, "axis " + Twine(int64_t(axisValue)) +
                          " is not a signal axis of the input " +
                          dimsToString(in));
  if (axis == 0 || ShapedType::isDynamic(in[axis]))
    return fail(node, "the DFT along the run-time batch is not supported");
  int64_t length = in[axis], n = length;
  if (hasInput(node, 1)) {
    double dftLength;
    if (!scalarInput(node, 1, "dft_length", dftLength))
      return false;
    if (dftLength < 1 || dftLength > (1 << 16))
      return fail(node, "dft_length must be 1 to 65536");
    n = static_cast<int64_t>(dftLength);
  }
  bool onesided = getInt(node, "onesided", 0) != 0;
  bool inverse = getInt(node, "inverse", 0) != 0;
  if (onesided && c == 2)
    return fail(node, "onesided needs a real input (ONNX)");
  int64_t bins = onesided ? n / 2 + 1 : n;
  Location loc = locFor(node);
  // The axis next to the last one: [batch, others..., length, c].
  SmallVector<int64_t> perm, moved;
  for (int64_t d = 0; d < rank - 1; ++d)
    if (d != axis)
      perm.push_back(d);
  perm.push_back(axis);
  perm.push_back(rank - 1);
  for (int64_t d : perm)
    moved.push_back(in[d]);
  Value a = x;
  bool identity = axis == rank - 2;
  if (!identity)
    a = TransposeOp::create(builder, loc, tensorType(moved, builder), x, perm);
  SmallVector<int64_t> flat(moved.begin(), moved.end() - 2);
  flat.push_back(length * c);
  a = reshapeTo(a, flat, loc);
  if (!matMulByWeight(node, a, dftBasis(length, c, n, bins, inverse)))
    return false;
  Value product = env[node.output(0)].value;
  // A bias after it must not fold into the layer (its columns are not the
  // result's last dimension): the layer is no longer this tensor's.
  Operation *layer = product.getDefiningOp();
  if (auto reshape = dyn_cast<ReshapeOp>(layer))
    layer = reshape->getOperand(0).getDefiningOp();
  layerTensor.erase(layer);
  SmallVector<int64_t> out(moved.begin(), moved.end() - 2);
  out.push_back(bins);
  out.push_back(2);
  Value result = reshapeTo(product, out, loc);
  if (!identity) {
    SmallVector<int64_t> back(rank), backShape(rank);
    for (int64_t d = 0; d < rank; ++d)
      back[perm[d]] = d;
    for (int64_t d = 0; d < rank; ++d)
      backShape[d] = out[back[d]];
    result = TransposeOp::create(builder, loc, tensorType(backShape, builder),
                                 result, back);
  }
  return bind(node, result);
}

} // namespace rebocc::onnxfe
