//===- FastPathTest.cpp - Direct fixed point equals the bit-sliced cells --===//
//
// The default fixed-point path computes each output of a provably lossless
// layer as one integer product of the quantized weights and inputs;
// RunOptions::bitSliced runs the programmed cells bit-serially through the
// ADCs (flipped encoding, shift-and-add, unit column). With an ADC whose codes
// reach the largest column sum both are exact, so every output float and
// every counter must be identical. Sweeps FC and convolution layers over
// mappings A/B/C/E, block sizes, ragged sizes, groups and hardware bit widths.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "rebocc/Sim/Interpreter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace rebocc;
using program::Mapping;

namespace {

/// Expects bit-identical outputs and identical reports.
void expectSameOutputs(const std::vector<sim::Tensor> &a,
                       const std::vector<sim::Tensor> &b,
                       const model::RunReport &reportA,
                       const model::RunReport &reportB) {
  const std::vector<sim::Tensor> out[2] = {a, b};
  ASSERT_EQ(out[0].size(), out[1].size());
  for (size_t i = 0; i < out[0].size(); ++i) {
    ASSERT_EQ(out[0][i].shape, out[1][i].shape);
    ASSERT_EQ(out[0][i].data.size(), out[1][i].data.size());
    EXPECT_EQ(std::memcmp(out[0][i].data.data(), out[1][i].data.data(),
                          out[0][i].data.size() * sizeof(float)),
              0);
    for (size_t e = 0; e < out[0][i].data.size(); ++e)
      ASSERT_EQ(out[0][i].data[e], out[1][i].data[e]) << "element " << e;
  }
  EXPECT_EQ(model::reportToJson(reportA), model::reportToJson(reportB));
}

/// Runs `P` on `inputs` on both paths, the fast one also on 3 threads;
/// expects bit-identical outputs and identical reports.
void expectSamePaths(const program::Program &P,
                     const std::vector<sim::Tensor> &inputs) {
  std::vector<sim::Tensor> out[3];
  model::RunReport report[3];
  for (int run = 0; run < 3; ++run) {
    sim::RunOptions options;
    options.bitSliced = run == 1;
    options.threads = run == 2 ? 3 : 1;
    std::string error;
    ASSERT_TRUE(sim::run(P, inputs, options, out[run], report[run], error))
        << error;
  }
  for (int run = 1; run < 3; ++run)
    expectSameOutputs(out[0], out[run], report[0], report[run]);
}

struct Mappings {
  Mapping mapping;
  int64_t dup;
};

/// A, every B(d) with 1 < d < k, C(d) for every divisor d, E.
std::vector<Mappings> mappingsFor(int64_t k) {
  std::vector<Mappings> out = {{Mapping::A, 1}};
  for (int64_t d = 2; d < k; ++d)
    if (k % d == 0)
      out.push_back({Mapping::B, d});
  for (int64_t d = 1; d <= k; ++d)
    if (k % d == 0)
      out.push_back({Mapping::C, d});
  if (k > 1)
    out.push_back({Mapping::E, k});
  return out;
}

struct Bits {
  int64_t weightBits, cellBits, inputBits;
};

const Bits kBits[] = {
    {16, 2, 16}, {8, 1, 8}, {8, 3, 12}, {24, 4, 24}, {12, 12, 16}};

/// The ADC bits that keep `hw` lossless, at least ISAAC's 8: a flipped
/// column sums to at most floor(rows * (2^cell_bits - 1) / 2) (worked out
/// here, not taken from the simulator).
int64_t losslessAdcBits(const model::HardwareDesc &hw) {
  int64_t maxSum = hw.xbarRows * ((int64_t(1) << hw.cellBits) - 1) / 2;
  int64_t bits = 8;
  while ((int64_t(1) << bits) - 1 < maxSum)
    ++bits;
  return bits;
}

/// Makes some weights clamp: a weight scale below max|w| / maxW.
void shrinkScale(program::CrossbarLayer &L, unsigned seed) {
  if (seed % 3 == 0)
    L.weightScale *= 0.8f;
}

std::vector<float> inputData(size_t size, unsigned seed) {
  std::vector<float> x = test::randomVector(size, seed);
  for (size_t e = 0; e < x.size(); e += 7)
    x[e] = 0; // exact zeros
  if (x.size() > 3)
    x[3] = seed % 2 ? 1e-30f : -4.0f; // tiny / dominant values
  return x;
}

TEST(FastPath, FullyConnectedMatchesBitSliced) {
  int runs = 0;
  unsigned seed = 1;
  for (int64_t k : {1, 3, 4, 8, 16})
    for (auto [m, n] : std::vector<std::pair<int64_t, int64_t>>{
             {16, 16}, {37, 29}, {5, 70}, {64, 48}})
      for (const Mappings &mp : mappingsFor(k))
        for (const Bits &bits : kBits)
          for (bool shared : {false, true}) {
            ++seed;
            model::HardwareDesc hw;
            hw.xbarRows = k <= 8 && seed % 2 ? 16 : 32;
            hw.xbarCols = 32;
            hw.weightBits = bits.weightBits;
            hw.cellBits = bits.cellBits;
            hw.inputBits = bits.inputBits;
            hw.adcBits = losslessAdcBits(hw);
            if (!model::validate(hw).empty())
              continue;
            program::CrossbarLayer L = test::makeLayer(
                "fc", m, n, k, mp.dup, mp.mapping, shared, hw, seed);
            shrinkScale(L, seed);
            if (!program::planArrays(L, hw).empty())
              continue; // e.g. mapping C does not fit this geometry
            program::Program P = test::makeLayerProgram(L, hw);
            if (!program::verify(P).empty())
              continue;
            SCOPED_TRACE("k=" + std::to_string(k) + " m=" + std::to_string(m) +
                         " n=" + std::to_string(n) + " " +
                         model::mappingLabel(L) +
                         " wb=" + std::to_string(bits.weightBits) +
                         " cb=" + std::to_string(bits.cellBits) +
                         " ib=" + std::to_string(bits.inputBits));
            const int64_t batch = 3;
            expectSamePaths(P, {{{batch, n}, inputData(batch * n, seed)}});
            ++runs;
          }
  EXPECT_GT(runs, 400);
}

// A zero input against all-negative weights: every product is -0.0 in
// double arithmetic, the cells' integer sum is plain 0. With a bias of -0.0
// only the sign of a zero output could tell the paths apart (memcmp does).
TEST(FastPath, ZeroSumHasNoSign) {
  model::HardwareDesc hw;
  program::CrossbarLayer L =
      test::makeLayer("fc", 4, 8, 1, 1, Mapping::A, false, hw, 3);
  for (float &w : L.weights)
    w = -std::fabs(w);
  for (float &b : L.bias)
    b = -0.0f;
  program::Program P = test::makeLayerProgram(L, hw);
  ASSERT_EQ(program::verify(P), "");
  sim::Tensor x;
  x.shape = {2, 8};
  x.data.assign(16, 0.0f);
  x.data[8] = 1.0f; // the second row is not all zero: codes 0 and 32767
  expectSamePaths(P, {x});
}

TEST(FastPath, ConvolutionMatchesBitSliced) {
  struct Shape {
    int64_t groups, n, m, kH, kW, stride, dilation, pad, H, W;
  };
  const Shape shapes[] = {
      {1, 3, 8, 3, 3, 1, 1, 1, 7, 7},   // first layer, ragged
      {1, 16, 16, 3, 3, 1, 1, 1, 6, 6}, // multiples of k
      {1, 12, 10, 3, 2, 2, 1, 0, 9, 7}, // ragged, stride 2, non-square kernel
      {2, 8, 6, 3, 3, 1, 2, 2, 8, 8},   // groups 2, dilation 2
      {4, 1, 1, 3, 3, 2, 1, 1, 7, 7},   // depthwise
      {1, 16, 16, 1, 1, 1, 1, 0, 5, 4}, // pointwise
  };
  int runs = 0;
  unsigned seed = 1000;
  for (int64_t k : {1, 3, 4, 8, 16})
    for (const Shape &s : shapes)
      for (const Mappings &mp : mappingsFor(k))
        for (const Bits &bits : {kBits[0], kBits[2], kBits[3]}) {
          ++seed;
          model::HardwareDesc hw;
          hw.xbarRows = hw.xbarCols = 32;
          hw.weightBits = bits.weightBits;
          hw.cellBits = bits.cellBits;
          hw.inputBits = bits.inputBits;
          hw.adcBits = losslessAdcBits(hw);
          if (!model::validate(hw).empty())
            continue;
          test::ConvGeometry g;
          g.groups = s.groups;
          g.kernelH = s.kH;
          g.kernelW = s.kW;
          g.strideH = g.strideW = s.stride;
          g.dilationH = g.dilationW = s.dilation;
          g.padTop = g.padLeft = s.pad;
          g.padBottom = g.padRight = s.pad > 0 ? s.pad - seed % 2 : 0;
          std::string error;
          program::CrossbarLayer L =
              test::makeConvLayer("conv", s.m, s.n, k, mp.dup, mp.mapping,
                                  seed % 2 == 0, g, hw, seed, &error);
          if (!error.empty())
            continue; // mapping C does not fit this geometry
          shrinkScale(L, seed);
          program::Program P = test::makeConvProgram(L, hw);
          if (!program::verify(P).empty())
            continue;
          SCOPED_TRACE(
              "k=" + std::to_string(k) + " groups=" + std::to_string(s.groups) +
              " n=" + std::to_string(s.n) + " m=" + std::to_string(s.m) + " " +
              model::mappingLabel(L) +
              " wb=" + std::to_string(bits.weightBits));
          const int64_t N = 2, C = s.groups * s.n;
          expectSamePaths(
              P, {{{N, C, s.H, s.W}, inputData(N * C * s.H * s.W, seed)}});
          ++runs;
        }
  EXPECT_GT(runs, 150);
}

/// Two layers reading one shared input (buffer counts across layers), an
/// all-zero input row and an all-zero image.
TEST(FastPath, SharedInputAndZeros) {
  model::HardwareDesc hw;
  hw.xbarRows = hw.xbarCols = 32;
  program::CrossbarLayer A =
      test::makeLayer("a", 20, 24, 4, 2, Mapping::B, true, hw, 3);
  program::CrossbarLayer B =
      test::makeLayer("b", 20, 24, 4, 4, Mapping::E, true, hw, 4);
  program::Program P;
  P.hw = hw;
  P.values = {{"x", {-1, 24}}, {"ya", {-1, 20}}, {"yb", {-1, 20}}};
  P.inputs = {0};
  P.outputs = {1, 2};
  P.layers = {A, B};
  for (int i = 0; i < 2; ++i) {
    program::Instruction I;
    I.op = program::OpCode::Crossbar;
    I.name = P.layers[i].name;
    I.operands = {0};
    I.result = i + 1;
    I.index = i;
    P.instructions.push_back(I);
  }
  ASSERT_EQ(program::verify(P), "");
  std::vector<float> x = inputData(2 * 24, 8);
  std::fill(x.begin(), x.begin() + 24, 0.0f);
  expectSamePaths(P, {{{2, 24}, x}});

  test::ConvGeometry g;
  g.kernelH = g.kernelW = 3;
  g.padTop = g.padLeft = g.padBottom = g.padRight = 1;
  program::CrossbarLayer L =
      test::makeConvLayer("conv", 8, 8, 4, 1, Mapping::A, true, g, hw, 9);
  program::Program Pc = test::makeConvProgram(L, hw);
  std::vector<float> img = inputData(2 * 8 * 5 * 5, 10);
  std::fill(img.begin(), img.begin() + 8 * 5 * 5, 0.0f);
  expectSamePaths(Pc, {{{2, 8, 5, 5}, img}});
}

} // namespace
