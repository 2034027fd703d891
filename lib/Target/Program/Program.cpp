//===- Program.cpp - The tile/crossbar program, in memory -----------------===//
//
// verify() is the single definition of a well-formed program: the writer
// refuses to write anything it rejects and the reader runs it last, so the
// interpreter may index without further checks.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Target/Program/Program.h"
#include "rebocc/Target/Program/Layout.h"
#include "rebocc/Support/CastTypes.h"
#include "rebocc/Support/Shapes.h"
#include "rebocc/Support/RnnActivation.h"
#include "rebocc/Support/UnaryFunction.h"

#include "llvm/ADT/bit.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace rebocc::program {

using support::ceilDiv;

const char *mappingName(Mapping mapping) {
  switch (mapping) {
  case Mapping::A: return "A";
  case Mapping::B: return "B";
  case Mapping::C: return "C";
  case Mapping::E: return "E";
  }
  return "?";
}

const char *opcodeName(OpCode op) {
  switch (op) {
  case OpCode::Crossbar: return "crossbar";
  case OpCode::Relu: return "relu";
  case OpCode::Sigmoid: return "sigmoid";
  case OpCode::Softmax: return "softmax";
  case OpCode::Add: return "add";
  case OpCode::Mul: return "mul";
  case OpCode::Reshape: return "reshape";
  case OpCode::Flatten: return "flatten";
  case OpCode::Constant: return "constant";
  case OpCode::Identity: return "identity";
  case OpCode::MaxPool: return "max_pool";
  case OpCode::AveragePool: return "average_pool";
  case OpCode::GlobalAveragePool: return "global_average_pool";
  case OpCode::Clip: return "clip";
  case OpCode::LeakyRelu: return "leaky_relu";
  case OpCode::HardSigmoid: return "hard_sigmoid";
  case OpCode::HardSwish: return "hard_swish";
  case OpCode::PRelu: return "prelu";
  case OpCode::Concat: return "concat";
  case OpCode::Pad: return "pad";
  case OpCode::Transpose: return "transpose";
  case OpCode::Sqrt: return "sqrt";
  case OpCode::Erf: return "erf";
  case OpCode::Exp: return "exp";
  case OpCode::Log: return "log";
  case OpCode::Neg: return "neg";
  case OpCode::Abs: return "abs";
  case OpCode::Tanh: return "tanh";
  case OpCode::Round: return "round";
  case OpCode::Div: return "div";
  case OpCode::Gelu: return "gelu";
  case OpCode::GeluTanh: return "gelu_tanh";
  case OpCode::Not: return "not";
  case OpCode::Pow: return "pow";
  case OpCode::Min: return "min";
  case OpCode::Max: return "max";
  case OpCode::Equal: return "equal";
  case OpCode::Greater: return "greater";
  case OpCode::GreaterOrEqual: return "greater_or_equal";
  case OpCode::And: return "and";
  case OpCode::Or: return "or";
  case OpCode::Where: return "where";
  case OpCode::ReduceMax: return "reduce_max";
  case OpCode::ReduceMin: return "reduce_min";
  case OpCode::ReduceSum: return "reduce_sum";
  case OpCode::LogSoftmax: return "log_softmax";
  case OpCode::Normalize: return "normalize";
  case OpCode::Slice: return "slice";
  case OpCode::Resize: return "resize";
  case OpCode::MatMul: return "matmul";
  case OpCode::Lstm: return "lstm";
  case OpCode::Gru: return "gru";
  case OpCode::If: return "if";
  case OpCode::Phi: return "phi";
  case OpCode::Cast: return "cast";
  case OpCode::Gather: return "gather";
  case OpCode::Xor: return "xor";
  case OpCode::Unary: return "unary";
  case OpCode::Fma: return "fma";
  }
  return "?";
}

const char *layerKindName(LayerKind kind) {
  return kind == LayerKind::Convolution ? "conv" : "fc";
}

namespace {

std::string str(int64_t v) { return std::to_string(v); }

std::string layerPlace(const CrossbarLayer &layer, size_t index) {
  return "layer " + str(static_cast<int64_t>(index)) + " '" + layer.name + "'";
}

/// Product of dims with overflow check; -1 when it overflows 2^62.
int64_t elementCount(const std::vector<int64_t> &shape) {
  int64_t count = 1;
  for (int64_t dim : shape)
    if (dim < 0 || __builtin_mul_overflow(count, dim, &count) ||
        count > (int64_t(1) << 62))
      return -1;
  return count;
}

/// The largest |x| bit pattern of `values`: for IEEE binary32 with the sign
/// cleared, integer order is magnitude order, and patterns from 0x7f800000 up
/// are infinities and NaNs. One integer max a pass, which vectorizes (an
/// unsigned max needs SSE4.1, hence the AVX2 clone chosen at run time); a
/// program's weights are read through it several times per run.
template <int Unused = 0>
uint32_t maxAbsBitsOf(const char *values, size_t n) {
  uint32_t most = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t bits;
    std::memcpy(&bits, values + 4 * i, 4);
    most = std::max(most, bits & 0x7fffffffu);
  }
  return most;
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
__attribute__((target("avx2"))) uint32_t maxAbsBitsAvx2(const char *values,
                                                        size_t n) {
  return maxAbsBitsOf<1>(values, n);
}
#endif

/// Read as bytes: a program read from a file views it at any alignment.
uint32_t maxAbsBits(const support::FloatArray &values) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2)
    return maxAbsBitsAvx2(values.bytes(), values.size());
#endif
  return maxAbsBitsOf<0>(values.bytes(), values.size());
}

/// "" when the largest |x| pattern `most` of `values` is finite, else which
/// value (`what` index) is not.
std::string checkFinite(const char *what, const support::FloatArray &values,
                        uint32_t most) {
  if (most < 0x7f800000u)
    return "";
  for (size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      return std::string(what) + " " + str(static_cast<int64_t>(i)) +
             " is not finite";
  return "";
}

std::string checkGeometry(const CrossbarLayer &L,
                          const model::HardwareDesc &hw);

/// "what = got, expected want", or "" when they agree.
std::string expectEq(const char *what, int64_t got, int64_t want) {
  if (got == want)
    return std::string();
  return std::string(what) + " = " + str(got) + ", expected " + str(want);
}

/// A layer of the model's own integer weights: weight_bits in [2, the
/// chip's], weight_scale 1, and integers that fit weight_bits signed bits
/// (|w| <= 2^(weight_bits-1) - 1, so no weight is clamped).
std::string checkIntegerWeights(const CrossbarLayer &L,
                                const model::HardwareDesc &hw, float maxAbs) {
  if (L.weightBits < 2 || L.weightBits > hw.weightBits)
    return "weight_bits " + str(L.weightBits) + " must be in [2, the chip's " +
           str(hw.weightBits) + "]";
  if (L.weightScale != 1.0f)
    return "a layer with its own weight_bits has weight_scale 1";
  if (maxAbs > static_cast<float>((int64_t(1) << (L.weightBits - 1)) - 1))
    return "a weight magnitude exceeds what " + str(L.weightBits) +
           " signed bits hold";
  for (float w : L.weights)
    if (w != std::nearbyint(w))
      return "a layer with its own weight_bits has integer weights";
  return "";
}

/// "" when `scale` is the scale of weights whose largest magnitude has the
/// bits `maxAbsBits`: max |w| / (2^(weightBits-1) - 1), or 1 where that is
/// 0 (zeros, or weights so small the quotient underflows: their codes are 0).
std::string checkScale(const std::string &what, float scale,
                       uint32_t maxAbsBits, int64_t weightBits) {
  float maxAbs;
  std::memcpy(&maxAbs, &maxAbsBits, 4);
  float levels = static_cast<float>((int64_t(1) << (weightBits - 1)) - 1);
  float expectedScale = maxAbs / levels > 0.0f ? maxAbs / levels : 1.0f;
  if (std::fabs(scale - expectedScale) <= 1e-5f * expectedScale)
    return "";
  char message[200];
  std::snprintf(message, sizeof(message),
                "%s %.8g does not match the weights (max |w| / %lld = %.8g)",
                what.c_str(), scale, static_cast<long long>(levels),
                expectedScale);
  return message;
}

/// weight_scale_granularity = channel: one scale per block-row, each its block-row's;
/// otherwise none.
std::string checkChannelScales(const CrossbarLayer &L,
                               const model::HardwareDesc &hw) {
  if (!model::channelWeightScales(hw))
    return L.channelScales.empty()
               ? ""
               : "has channel_scales, but the hardware's weight_scale_granularity is "
                 "layer";
  const int64_t rows = L.groups * L.p, perRow = L.logicalRows();
  if (static_cast<int64_t>(L.channelScales.size()) != rows)
    return "has " + str(static_cast<int64_t>(L.channelScales.size())) +
           " channel_scales, expected groups*p = " + str(rows) +
           " (weight_scale_granularity = channel)";
  for (int64_t r = 0; r < rows; ++r) {
    std::string e = checkScale(
        "channel_scales[" + str(r) + "]", L.channelScales[r],
        maxAbsBitsOf<0>(L.weights.bytes() + 4 * r * perRow, perRow), hw.weightBits);
    if (!e.empty())
      return e;
  }
  return "";
}

std::string verifyLayer(const CrossbarLayer &L, const model::HardwareDesc &hw) {
  // Bounding sizes by 2^40 (geometry by 2^20) keeps products checkable.
  const int64_t limit = int64_t(1) << 40, geomLimit = int64_t(1) << 20;
  if (L.m < 1 || L.n < 1 || L.m > limit || L.n > limit)
    return "m = " + str(L.m) + ", n = " + str(L.n) +
           " must be in [1, 2^40]";
  if (L.k < 1 || L.k > hw.xbarRows)
    return "block size k = " + str(L.k) + " must be in [1, xbar_rows = " +
           str(hw.xbarRows) + "]";
  std::string e;
  if (!(e = expectEq("p", L.p, ceilDiv(L.m, L.k))).empty() ||
      !(e = expectEq("q", L.q, ceilDiv(L.n, L.k))).empty())
    return e + " (ceil of m/k, n/k)";
  if (L.dup < 1 || L.k % L.dup != 0)
    return "duplication d = " + str(L.dup) + " must divide k = " + str(L.k);
  if (L.mapping == Mapping::A && L.dup != 1)
    return "mapping A requires d = 1, got " + str(L.dup);
  if (L.mapping == Mapping::E && L.dup != L.k)
    return "mapping E requires d = k = " + str(L.k) + ", got " + str(L.dup);
  if (!std::isfinite(L.weightScale) || !(L.weightScale > 0))
    return "weight scale must be finite and positive";

  // Geometry.
  if (L.kind == LayerKind::FullyConnected) {
    if (L.groups != 1 || L.kernelH != 1 || L.kernelW != 1 ||
        L.strideH != 1 || L.strideW != 1 || L.dilationH != 1 ||
        L.dilationW != 1 || L.padTop != 0 || L.padLeft != 0 ||
        L.padBottom != 0 || L.padRight != 0)
      return "a fully connected layer needs groups = 1, kernel 1x1, stride "
             "1x1, dilation 1x1 and zero pads";
  } else {
    if (L.groups < 1 || L.groups > limit)
      return "groups = " + str(L.groups) + " must be in [1, 2^40]";
    auto inRange = [&](const char *what, int64_t a, int64_t b, int64_t lo) {
      if (a >= lo && b >= lo && a <= geomLimit && b <= geomLimit)
        return std::string();
      return std::string(what) + " " + str(a) + "x" + str(b) + " must be in [" +
             str(lo) + ", 2^20]";
    };
    if (!(e = inRange("kernel", L.kernelH, L.kernelW, 1)).empty() ||
        !(e = inRange("stride", L.strideH, L.strideW, 1)).empty() ||
        !(e = inRange("dilation", L.dilationH, L.dilationW, 1)).empty() ||
        !(e = inRange("pads (top, left)", L.padTop, L.padLeft, 0)).empty() ||
        !(e = inRange("pads (bottom, right)", L.padBottom, L.padRight, 0))
             .empty())
      return e;
  }

  int64_t unique, biasCount;
  if (__builtin_mul_overflow(L.groups, L.p, &unique) ||
      __builtin_mul_overflow(unique, L.kernelH * L.kernelW, &unique) ||
      __builtin_mul_overflow(unique, L.q, &unique) ||
      __builtin_mul_overflow(unique, L.k, &unique) || unique > limit ||
      __builtin_mul_overflow(L.groups, L.m, &biasCount) || biasCount > limit)
    return "groups*p*kernelH*kernelW*q*k or groups*m exceeds 2^40";
  if (static_cast<int64_t>(L.weights.size()) != unique)
    return "has " + str(static_cast<int64_t>(L.weights.size())) +
           " weights, expected groups*p*(kernelH*kernelW*q)*k = " + str(unique);
  if (static_cast<int64_t>(L.bias.size()) != biasCount)
    return "has " + str(static_cast<int64_t>(L.bias.size())) +
           " bias entries, expected groups*m = " + str(biasCount);
  const uint32_t maxAbsWeightBits = maxAbsBits(L.weights);
  if ((e = checkFinite("weight", L.weights, maxAbsWeightBits)).empty())
    e = checkFinite("bias", L.bias, maxAbsBits(L.bias));
  if (!e.empty())
    return e;

  // Integer input is driven in its own width, at most the input register's.
  if (L.inputBits != 0 && (L.inputBits < 2 || L.inputBits > hw.inputBits))
    return "input_bits " + str(L.inputBits) + " must be in [2, the chip's " +
           str(hw.inputBits) + "]";
  float maxAbs;
  std::memcpy(&maxAbs, &maxAbsWeightBits, 4);
  if (L.weightBits > 0) {
    if (!L.channelScales.empty())
      return "a layer with its own weight_bits has no channel_scales (the "
             "model's scales are digital instructions after it)";
    if ((e = checkIntegerWeights(L, hw, maxAbs)).empty())
      e = checkGeometry(L, hw);
    return e;
  }
  // The weight scales are derived (max |w| over the largest signed
  // fixed-point value), so a value that disagrees with the checksummed
  // weights means the text section was corrupted or mis-edited.
  if (!(e = checkScale("weight_scale", L.weightScale, maxAbsWeightBits,
                       hw.weightBits))
           .empty() ||
      !(e = checkChannelScales(L, hw)).empty())
    return e;
  return checkGeometry(L, hw);
}

/// The layout fields and arrays of `L` against what planArrays builds.
std::string checkGeometry(const CrossbarLayer &L,
                          const model::HardwareDesc &hw) {
  std::string e;
  LayerGeometry G;
  e = planGeometry(L, hw, G);
  if (!e.empty())
    return e;
  if (!(e = expectEq("rows_per_array", L.rowsPerArray, G.rowsPerArray))
           .empty() ||
      !(e = expectEq("weight_cols_per_array", L.weightColsPerArray,
                     G.weightColsPerArray))
           .empty() ||
      !(e = expectEq("row_tiles", L.rowTiles, G.rowTiles)).empty() ||
      !(e = expectEq("col_tiles", L.colTiles, G.colTiles)).empty())
    return e + " (see planArrays)";
  if (static_cast<int64_t>(L.arrays.size()) != G.arrays)
    return "has " + str(static_cast<int64_t>(L.arrays.size())) +
           " arrays, expected groups*row_tiles*col_tiles = " + str(G.arrays);
  // Compare each array with what planArrays builds: the arrays then cover
  // every group's logical matrix exactly once.
  for (int64_t a = 0; a < G.arrays; ++a) {
    const Array &A = L.arrays[a];
    Array W = plannedArray(G, a);
    if (A.group != W.group || A.rowTile != W.rowTile ||
        A.colTile != W.colTile || A.rowBegin != W.rowBegin ||
        A.rowCount != W.rowCount || A.weightColBegin != W.weightColBegin ||
        A.weightColCount != W.weightColCount)
      return "array " + str(a) + " does not match the planned layout (group " +
             str(W.group) + ", tile " + str(W.rowTile) + "," +
             str(W.colTile) + ", rows " + str(W.rowBegin) + "+" +
             str(W.rowCount) + ", weight columns " + str(W.weightColBegin) +
             "+" + str(W.weightColCount) + ")";
  }
  return "";
}


/// "[a,b,c]" of a list attribute, for messages.
std::string listString(const std::vector<int64_t> &v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i)
    out += (i ? "," : "") + str(v[i]);
  return out + "]";
}

/// `what` must have `size` entries in [lo, 2^20].
std::string checkList(const char *what, const std::vector<int64_t> &v,
                      size_t size, int64_t lo) {
  bool ok = v.size() == size;
  for (size_t i = 0; ok && i < v.size(); ++i)
    ok = v[i] >= lo && v[i] <= (int64_t(1) << 20);
  if (ok)
    return "";
  return std::string(what) + " " + listString(v) + " must have " +
         str(static_cast<int64_t>(size)) + " entries in [" + str(lo) +
         ", 2^20]";
}

/// A resize's tables against its operand `in` and result `out` (whose
/// resized dims are -1 or the sizes the tables are for): per (increasing)
/// axis a positive input and output size, a tap count, and output size x
/// taps sources in the axis and as many finite weights; the other dims kept.
std::string verifyResize(const Instruction &I, const std::vector<int64_t> &in,
                         const std::vector<int64_t> &out) {
  int64_t rank = static_cast<int64_t>(in.size());
  if (static_cast<int64_t>(out.size()) != rank)
    return "result must have the operand's rank " + str(rank);
  size_t axes = I.axes.size();
  if (!axes || I.taps.size() != axes || I.from.size() != axes ||
      I.to.size() != axes)
    return "resize needs from, to and taps for each axis, at least one axis";
  const int64_t limit = int64_t(1) << 31;
  size_t entries = 0;
  std::vector<char> resized(rank, 0);
  for (size_t i = 0; i < axes; ++i) {
    int64_t axis = I.axes[i];
    if (axis < 0 || axis >= rank || (i && axis <= I.axes[i - 1]))
      return "resize axes " + listString(I.axes) +
             " must be increasing and in [0, " + str(rank) + ")";
    if (I.from[i] < 1 || I.from[i] > limit || I.to[i] < 1 ||
        I.to[i] > limit || I.taps[i] < 1 || I.taps[i] > (int64_t(1) << 20))
      return "resize from " + listString(I.from) + ", to " +
             listString(I.to) + " must be in [1, 2^31] and taps " +
             listString(I.taps) + " in [1, 2^20]";
    if ((in[axis] != -1 && in[axis] != I.from[i]) ||
        (out[axis] != -1 && out[axis] != I.to[i]))
      return "resize of axis " + str(axis) + " from " + str(I.from[i]) +
             " to " + str(I.to[i]) + " does not match operand " +
             listString(in) + " and result " + listString(out);
    resized[axis] = 1;
    size_t count = static_cast<size_t>(I.to[i] * I.taps[i]);
    for (size_t e = entries; e < entries + count && e < I.sources.size(); ++e)
      if (I.sources[e] < 0 || I.sources[e] >= I.from[i])
        return "resize source " + str(I.sources[e]) + " is outside axis " +
               str(axis) + " (size " + str(I.from[i]) + ")";
    entries += count;
  }
  if (I.sources.size() != entries || I.weights.size() != entries)
    return "resize needs " + str(static_cast<int64_t>(entries)) +
           " sources and weights (output size x taps per axis)";
  for (float w : I.weights)
    if (!std::isfinite(w))
      return "resize weights must be finite";
  for (int64_t d = 0; d < rank; ++d)
    if (!resized[d] && out[d] != in[d])
      return "resize result " + listString(out) +
             " changes a dimension that is not resized";
  return "";
}

/// A recurrent cell's operands, layers and result: x (T*B, G*H), h0 (B,
/// H) with H static, c0 like h0 and peepholes (3H) for lstm; each layer a
/// fully connected H -> G*H (gru without linear_before_reset: H -> 2H for
/// the update and reset gates, then H -> H; gru mode rnn: H -> H and a
/// known activation); the result (T + 1 or 2, B, H).
std::string verifyRecurrent(const Program &P, const Instruction &I) {
  auto shapeOf = [&](size_t i) -> const std::vector<int64_t> & {
    return P.values[I.operands[i]].shape;
  };
  bool lstm = I.op == OpCode::Lstm;
  if (lstm && I.operands.size() != 3 && I.operands.size() != 4)
    return "lstm takes x, h0, c0 and optional peepholes, has " +
           str(static_cast<int64_t>(I.operands.size())) + " operands";
  const std::vector<int64_t> &x = shapeOf(0), &h0 = shapeOf(1);
  if (h0.size() != 2 || h0[1] < 1)
    return "h0 " + listString(h0) + " must be B x H with a static H";
  const bool rnn = I.op == OpCode::Gru && I.mode == "rnn";
  if (I.op == OpCode::Gru && !rnn && !I.mode.empty())
    return "gru mode '" + I.mode + "' is not empty or rnn";
  if (rnn) {
    const support::RnnActivation *f = support::findRnnActivation(I.activation);
    if (!f)
      return "rnn activation '" + I.activation + "' is not an ONNX RNN "
             "activation";
    if (!std::isfinite(I.activationAlpha) || !std::isfinite(I.activationBeta))
      return "rnn activation alpha and beta must be finite";
  }
  int64_t hidden = h0[1], gates = lstm ? 4 : rnn ? 1 : 3;
  if (x.size() != 2 || x[1] != gates * hidden)
    return "x " + listString(x) + " must be T*B x " + str(gates) + "H = " +
           str(gates * hidden);
  if (lstm && shapeOf(2) != h0)
    return "c0 " + listString(shapeOf(2)) + " must have h0's shape " +
           listString(h0);
  if (lstm && I.operands.size() == 4 &&
      shapeOf(3) != std::vector<int64_t>{3 * hidden})
    return "peepholes " + listString(shapeOf(3)) + " must be [" +
           str(3 * hidden) + "]";
  std::vector<int64_t> outputs = {gates * hidden};
  if (!lstm && !rnn && !I.linearBeforeReset)
    outputs = {2 * hidden, hidden};
  if (I.layers.size() != outputs.size())
    return "needs " + str(static_cast<int64_t>(outputs.size())) +
           " recurrent layer(s), has " +
           str(static_cast<int64_t>(I.layers.size()));
  for (size_t i = 0; i < outputs.size(); ++i) {
    int64_t index = I.layers[i];
    if (index < 0 || index >= static_cast<int64_t>(P.layers.size()))
      return "layer index " + str(index) + " out of range";
    const CrossbarLayer &L = P.layers[index];
    if (L.kind != LayerKind::FullyConnected || L.n != hidden ||
        L.m != outputs[i])
      return "recurrent layer @" + str(index) + " must be fully connected " +
             str(hidden) + " -> " + str(outputs[i]);
  }
  if (!std::isfinite(I.alpha) || I.alpha < 0)
    return "clip must be finite and non-negative (0: none)";
  const std::vector<int64_t> &out = P.values[I.result].shape;
  if (out.size() != 3 || out[2] != hidden || out[1] != h0[0])
    return "result " + listString(out) + " must be (T + " +
           (lstm ? "2" : "1") + ") x B x H with h0 " + listString(h0);
  return "";
}

std::string verifyInstruction(const Program &P, const Instruction &I,
                              std::vector<char> &defined) {
  int64_t numValues = static_cast<int64_t>(P.values.size());
  int64_t want = operandCount(I.op);
  int64_t have = static_cast<int64_t>(I.operands.size());
  if (want >= 0 && have != want)
    return "takes " + str(want) + " operands, has " + str(have);
  if (want < 0 && have < 1)
    return "takes one or more operands, has none";
  for (int v : I.operands) {
    if (v < 0 || v >= numValues)
      return "operand %" + str(v) + " out of range";
    if (!defined[v])
      return "operand %" + str(v) + " ('" + P.values[v].name +
             "') used before it is defined";
  }
  if (I.result < 0 || I.result >= numValues)
    return "result %" + str(I.result) + " out of range";
  if (defined[I.result])
    return "result %" + str(I.result) + " ('" + P.values[I.result].name +
           "') is defined twice";
  defined[I.result] = 1;

  // Ranks are static; only -1 dimensions vary at run time.
  auto shapeOf = [&](int v) -> const std::vector<int64_t> & {
    return P.values[v].shape;
  };
  int64_t rank =
      I.operands.empty() ? 0 : static_cast<int64_t>(shapeOf(I.operands[0]).size());
  const std::vector<int64_t> &resultShape = shapeOf(I.result);
  int64_t resultRank = static_cast<int64_t>(resultShape.size());

  std::string e;
  switch (I.op) {
  case OpCode::Crossbar: {
    if (I.index < 0 || I.index >= static_cast<int64_t>(P.layers.size()))
      return "layer index " + str(I.index) + " out of range";
    const CrossbarLayer &L = P.layers[I.index];
    if (L.kind == LayerKind::Convolution) {
      const std::vector<int64_t> &in = shapeOf(I.operands[0]);
      if (rank != 4 || in[1] != L.groups * L.n)
        return "convolution input " + listString(in) +
               " must be N x C x H x W with C = groups*n = " +
               str(L.groups * L.n);
      if (resultRank != 4 || resultShape[1] != L.groups * L.m)
        return "convolution result " + listString(resultShape) +
               " must be N x C x H x W with C = groups*m = " +
               str(L.groups * L.m);
    }
    break;
  }
  case OpCode::Constant:
    if (I.index < 0 || I.index >= static_cast<int64_t>(P.constants.size()))
      return "constant index " + str(I.index) + " out of range";
    break;
  case OpCode::Softmax:
  case OpCode::LogSoftmax:
  case OpCode::Flatten: {
    int64_t maxAxis = I.op == OpCode::Flatten ? rank : rank - 1;
    if (I.axis < 0 || I.axis > maxAxis)
      return "axis " + str(I.axis) + " out of range for rank " + str(rank);
    break;
  }
  case OpCode::Reshape: {
    int inferred = 0;
    for (int64_t dim : I.shape) {
      if (dim < -1)
        return "reshape target dimension " + str(dim) + " is invalid";
      inferred += dim == -1;
    }
    if (inferred > 1)
      return "reshape target has more than one -1";
    break;
  }
  case OpCode::MaxPool:
  case OpCode::AveragePool:
    if (rank != 4 || resultRank != 4)
      return "operand and result must have rank 4 (N x C x H x W), have " +
             str(rank) + " and " + str(resultRank);
    if (!(e = checkList("kernel", I.kernel, 2, 1)).empty() ||
        !(e = checkList("strides", I.strides, 2, 1)).empty() ||
        !(e = checkList("pads", I.pads, 4, 0)).empty() ||
        !(e = checkList("dilations", I.dilations, 2, 1)).empty())
      return e;
    break;
  case OpCode::GlobalAveragePool:
    if (rank < 3 || resultRank != rank)
      return "operand must have rank >= 3 (N x C x spatial...) and the "
             "result the same rank, have " +
             str(rank) + " and " + str(resultRank);
    break;
  case OpCode::Clip:
    if (std::isnan(I.alpha) || std::isnan(I.beta) || I.alpha > I.beta)
      return "clip bounds min = " + std::to_string(I.alpha) +
             ", max = " + std::to_string(I.beta) + " need min <= max";
    if (!I.mode.empty() && I.mode != "nan_to_min")
      return "clip mode must be empty or nan_to_min, is '" + I.mode + "'";
    break;
  case OpCode::LeakyRelu:
    if (!std::isfinite(I.alpha))
      return "alpha must be finite";
    break;
  case OpCode::HardSigmoid:
    if (!std::isfinite(I.alpha) || !std::isfinite(I.beta))
      return "alpha and beta must be finite";
    break;
  case OpCode::Concat: {
    if (I.axis < 0 || I.axis >= rank)
      return "axis " + str(I.axis) + " out of range for rank " + str(rank);
    for (int v : I.operands) {
      const std::vector<int64_t> &s = shapeOf(v);
      if (static_cast<int64_t>(s.size()) != rank)
        return "operands must have the same rank";
      if (I.axis == 0 && s[0] == -1)
        return "cannot concatenate along the run-time batch dimension";
    }
    if (resultRank != rank)
      return "result must have the operands' rank " + str(rank);
    break;
  }
  case OpCode::Pad: {
    if (static_cast<int64_t>(I.pads.size()) != 2 * rank)
      return "pads " + listString(I.pads) + " must have 2 x rank = " +
             str(2 * rank) + " entries (begins, then ends)";
    for (int64_t v : I.pads)
      if (v < 0 || v > (int64_t(1) << 40))
        return "pads " + listString(I.pads) + " must be in [0, 2^40]";
    if (I.mode != "constant" && I.mode != "reflect" && I.mode != "edge")
      return "pad mode '" + I.mode + "' is not constant, reflect or edge";
    if (std::isnan(I.alpha))
      return "pad value must not be NaN";
    if (resultRank != rank)
      return "result must have the operand's rank " + str(rank);
    break;
  }
  case OpCode::Normalize:
    if (I.axis < 0 || I.axis >= rank)
      return "axis " + str(I.axis) + " out of range for rank " + str(rank);
    if (!std::isfinite(I.alpha) || I.alpha < 0)
      return "epsilon must be finite and non-negative";
    break;
  case OpCode::ReduceMax:
  case OpCode::ReduceMin:
  case OpCode::ReduceSum:
    if (I.axes.empty())
      return "reduction needs at least one axis";
    for (size_t i = 0; i < I.axes.size(); ++i)
      if (I.axes[i] < 0 || I.axes[i] >= rank ||
          (i && I.axes[i] <= I.axes[i - 1]))
        return "axes " + listString(I.axes) +
               " must be increasing and in [0, " + str(rank) + ")";
    if (resultRank != rank)
      return "result must have the operand's rank " + str(rank);
    break;
  case OpCode::Slice:
    if (I.axes.empty() || I.starts.size() != I.axes.size() ||
        I.ends.size() != I.axes.size())
      return "slice needs as many starts and ends as axes, at least one";
    for (size_t i = 0; i < I.axes.size(); ++i)
      if (I.axes[i] < 0 || I.axes[i] >= rank ||
          (i && I.axes[i] <= I.axes[i - 1]) || I.starts[i] < 0 ||
          I.ends[i] <= I.starts[i])
        return "slice axes " + listString(I.axes) + " must be increasing and "
               "in [0, " + str(rank) + "), each with 0 <= start < end";
    if (resultRank != rank)
      return "result must have the operand's rank " + str(rank);
    break;
  case OpCode::Resize:
    return verifyResize(I, shapeOf(I.operands[0]), resultShape);
  case OpCode::Cast:
    if (!support::castTypeNamed(I.mode))
      return "cast type '" + I.mode + "' is not int8, uint8, int16, uint16, "
             "int32, uint32, int64, uint64, float16 or bfloat16";
    if (resultShape != shapeOf(I.operands[0]))
      return "result must have the operand's shape";
    break;
  case OpCode::Unary: {
    const support::UnaryFunction *f = support::findUnaryFunction(I.mode);
    if (!f)
      return "unary function '" + I.mode + "' is not one of softplus ... "
             "is_inf (support::UnaryFunction)";
    std::string why = support::unaryParameterError(*f, I.alpha, I.beta);
    if (!why.empty())
      return "alpha and beta of " + I.mode + " " + why;
    if (resultShape != shapeOf(I.operands[0]))
      return "result must have the operand's shape";
    break;
  }
  case OpCode::Gather: {
    std::optional<support::GatherKind> kind = support::gatherKindNamed(I.mode);
    if (!kind)
      return "gather mode '" + I.mode + "' is not axis, elements or nd";
    const std::vector<int64_t> &data = shapeOf(I.operands[0]),
                               &indices = shapeOf(I.operands[1]);
    // A rank-4 value declares its last two dims open (-1): GatherND's
    // tuple length is then only known when it runs.
    if (*kind == support::GatherKind::ND && !indices.empty() &&
        indices.back() == -1) {
      if (I.axis < 0 || I.axis >= std::min<int64_t>(rank, indices.size()))
        return "gather batch_dims " + str(I.axis) + " out of range";
      break;
    }
    std::optional<std::vector<int64_t>> shape =
        support::gatherShape(*kind, data, indices, I.axis);
    if (!shape)
      return "gather mode=" + I.mode + " axis=" + str(I.axis) + " of data " +
             listString(data) + " by indices " + listString(indices) +
             " is invalid (axis or batch_dims out of range, ranks or the "
             "last index dimension wrong)";
    // -1 (a dynamic size) matches any size.
    bool agrees = shape->size() == resultShape.size();
    for (size_t d = 0; agrees && d < resultShape.size(); ++d)
      agrees = (*shape)[d] == resultShape[d] || (*shape)[d] == -1 ||
               resultShape[d] == -1;
    if (!agrees)
      return "gather result " + listString(resultShape) + " must be " +
             listString(*shape);
    break;
  }
  case OpCode::MatMul: {
    if (I.mode != "digital" && I.mode != "reprogram")
      return "matmul mode '" + I.mode + "' is not digital or reprogram";
    const std::vector<int64_t> &lhs = shapeOf(I.operands[0]),
                               &rhs = shapeOf(I.operands[1]);
    std::optional<std::vector<int64_t>> product =
        support::matmulShape(lhs, rhs);
    if (!product)
      return "matmul operands " + listString(lhs) + " and " +
             listString(rhs) + " do not multiply (rank >= 2, equal inner "
             "dims, broadcasting batch dims)";
    if (*product != resultShape)
      return "matmul result " + listString(resultShape) + " must be " +
             listString(*product);
    break;
  }
  case OpCode::Lstm:
  case OpCode::Gru:
    return verifyRecurrent(P, I);
  case OpCode::Transpose: {
    if (static_cast<int64_t>(I.perm.size()) != rank)
      return "perm " + listString(I.perm) + " must have rank = " + str(rank) +
             " entries";
    std::vector<char> seen(I.perm.size(), 0);
    for (int64_t v : I.perm) {
      if (v < 0 || v >= rank || seen[v])
        return "perm " + listString(I.perm) + " is not a permutation of 0.." +
               str(rank - 1);
      seen[v] = 1;
    }
    if (resultRank != rank)
      return "result must have the operand's rank " + str(rank);
    break;
  }
  default:
    break;
  }
  return "";
}

/// An input's declared shape (Value::declared) against its program shape:
/// the same rank, each dimension -1 or 1..kMaxDeclaredDim, equal to the
/// program's where that is static, and -1 only where the program's is -1
/// too (the program's shape is the declared one with image sizes opened).
/// Checked dimension by dimension before anything is sized by them.
std::string verifyDeclared(const Value &V) {
  const std::vector<int64_t> &declared = *V.declared;
  std::string what = "declared shape " + support::shapeToString(declared);
  if (declared.size() != V.shape.size())
    return what + " has rank " + str(static_cast<int64_t>(declared.size())) +
           ", the input's shape " + support::shapeToString(V.shape) +
           " has rank " + str(static_cast<int64_t>(V.shape.size()));
  int64_t count = 1;
  for (size_t d = 0; d < declared.size(); ++d) {
    int64_t dim = declared[d], own = V.shape[d];
    std::string at = what + ": dimension " + str(static_cast<int64_t>(d));
    if (dim != -1 && (dim < 1 || dim > kMaxDeclaredDim))
      return at + " is " + str(dim) +
             " (a declared size is 1 .. 2^31, or -1 for an open one)";
    if (own != -1 && dim != own)
      return at + " is " + str(dim) + ", the input's shape " +
             support::shapeToString(V.shape) + " has " + str(own);
    if (dim != -1 && (__builtin_mul_overflow(count, dim, &count) ||
                      count > (int64_t(1) << 62)))
      return what + " has more elements than a 64-bit count holds";
  }
  return "";
}

} // namespace

std::string verify(const Program &P) {
  if (P.version != kFormatVersion)
    return "version " + str(P.version) + " is not supported (expected " +
           str(kFormatVersion) + ")";
  std::string e = model::validate(P.hw);
  if (!e.empty())
    return "hardware: " + e;

  int64_t numValues = static_cast<int64_t>(P.values.size());
  if (numValues > (int64_t(1) << 30))
    return "too many values";
  for (int64_t v = 0; v < numValues; ++v) {
    const Value &V = P.values[v];
    for (size_t d = 0; d < V.shape.size(); ++d)
      if (V.shape[d] < -1)
        return "value %" + str(v) + " ('" + V.name + "'): dimension " +
               str(V.shape[d]) + " at index " + str(static_cast<int64_t>(d)) +
               " is invalid (sizes are >= 0, or -1 for a run-time size)";
  }

  std::vector<char> defined(P.values.size(), 0);
  for (int v : P.inputs) {
    if (v < 0 || v >= numValues)
      return "input %" + str(v) + " out of range";
    if (defined[v])
      return "input %" + str(v) + " listed twice";
    defined[v] = 1;
  }
  for (int v : P.outputs)
    if (v < 0 || v >= numValues)
      return "output %" + str(v) + " out of range";
  for (int64_t v = 0; v < numValues; ++v)
    if (P.values[v].declared && !defined[v])
      return "value %" + str(v) + " ('" + P.values[v].name +
             "'): only a graph input has a declared shape";
  for (size_t i = 0; i < P.inputs.size(); ++i) {
    const Value &V = P.values[P.inputs[i]];
    e = V.declared ? verifyDeclared(V) : "";
    if (!e.empty())
      return "input " + str(static_cast<int64_t>(i)) + " ('" + V.name +
             "'): " + e;
  }
  for (int64_t v = 0; v < numValues; ++v)
    if (!P.values[v].dtype.empty() &&
        !support::valueTypeOnnx(P.values[v].dtype))
      return "value %" + str(v) + " ('" + P.values[v].name + "'): dtype '" +
             P.values[v].dtype +
             "' is not bool, int8 ... uint64, float16, bfloat16 or float64";

  for (size_t c = 0; c < P.constants.size(); ++c) {
    const Constant &C = P.constants[c];
    int64_t count = elementCount(C.shape);
    if (count < 0)
      return "constant #" + str(static_cast<int64_t>(c)) + " ('" + C.name +
             "'): invalid shape";
    if (count != static_cast<int64_t>(C.data.size()))
      return "constant #" + str(static_cast<int64_t>(c)) + " ('" + C.name +
             "'): shape has " + str(count) + " elements, data has " +
             str(static_cast<int64_t>(C.data.size()));
  }

  for (size_t l = 0; l < P.layers.size(); ++l) {
    e = verifyLayer(P.layers[l], P.hw);
    if (!e.empty())
      return layerPlace(P.layers[l], l) + ": " + e;
  }

  for (size_t i = 0; i < P.instructions.size(); ++i) {
    const Instruction &I = P.instructions[i];
    e = verifyInstruction(P, I, defined);
    if (!e.empty())
      return "instruction " + str(static_cast<int64_t>(i)) + " (" +
             opcodeName(I.op) + " '" + I.name + "'): " + e;
  }
  e = verifyBranches(P);
  if (!e.empty())
    return e;

  for (int v : P.outputs)
    if (!defined[v])
      return "output %" + str(v) + " ('" + P.values[v].name +
             "') is never defined";
  return "";
}

int64_t operandCount(OpCode op) {
  switch (op) {
  case OpCode::Constant: return 0;
  case OpCode::Add:
  case OpCode::Mul:
  case OpCode::PRelu:
  case OpCode::Pow:
  case OpCode::Div:
  case OpCode::Min:
  case OpCode::Max:
  case OpCode::Equal:
  case OpCode::Greater:
  case OpCode::GreaterOrEqual:
  case OpCode::And:
  case OpCode::Or:
  case OpCode::Xor:
  case OpCode::Gather:
  case OpCode::MatMul: return 2;
  case OpCode::Where:
  case OpCode::Fma:
  case OpCode::Phi: return 3;
  case OpCode::Gru: return 2;
  case OpCode::Concat:
  case OpCode::Lstm: return -1; // 3 or 4, checked by verifyRecurrent
  default: return 1;
  }
}

} // namespace rebocc::program
