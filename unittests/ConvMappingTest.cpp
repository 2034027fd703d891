//===- ConvMappingTest.cpp - Convolution layers equal the direct conv -----===//
//
// Builds one convolution crossbar layer through planArrays for many channel
// counts, block sizes, kernels, strides, pads, dilations, groups, mappings
// and crossbar geometries, runs it in both arithmetics and compares with a
// direct (7-loop) convolution using the expanded block-circulant weights.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "rebocc/Sim/Interpreter.h"

#include <gtest/gtest.h>

using namespace rebocc;
using program::Mapping;

namespace {

struct ConvCase {
  const char *label;
  int64_t groups, n, m, k, dup; // per group: n inputs, m outputs
  Mapping mapping;
  bool shared;
  int64_t kH, kW, sH, sW, dH, dW, pt, pl, pb, pr;
  int64_t rows, cols, weightBits, cellBits;
  int64_t H, W;
};

void PrintTo(const ConvCase &c, std::ostream *os) { *os << c.label; }

test::ConvGeometry geometry(const ConvCase &c) {
  test::ConvGeometry g;
  g.groups = c.groups;
  g.kernelH = c.kH;
  g.kernelW = c.kW;
  g.strideH = c.sH;
  g.strideW = c.sW;
  g.dilationH = c.dH;
  g.dilationW = c.dW;
  g.padTop = c.pt;
  g.padLeft = c.pl;
  g.padBottom = c.pb;
  g.padRight = c.pr;
  return g;
}

/// Direct convolution with the expanded block-circulant weights; also the
/// quantities the fixed-point error bound needs, per output.
struct Reference {
  std::vector<double> y, mag, sumAbsX, sumAbsW;
  std::vector<int64_t> terms;
  int64_t Ho = 0, Wo = 0;
};

Reference directConv(const program::CrossbarLayer &L, const sim::Tensor &x) {
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  Reference R;
  R.Ho = (H + L.padTop + L.padBottom - L.dilationH * (L.kernelH - 1) - 1) /
             L.strideH +
         1;
  R.Wo = (W + L.padLeft + L.padRight - L.dilationW * (L.kernelW - 1) - 1) /
             L.strideW +
         1;
  const int64_t Cout = L.groups * L.m, KK = L.kernelH * L.kernelW;
  // dense[g][uv]: m x n matrix of kernel position uv of group g.
  std::vector<std::vector<std::vector<float>>> dense(L.groups);
  for (int64_t g = 0; g < L.groups; ++g)
    for (int64_t uv = 0; uv < KK; ++uv) {
      std::vector<float> w(L.p * L.q * L.k);
      for (int64_t i = 0; i < L.p; ++i)
        for (int64_t j = 0; j < L.q; ++j)
          for (int64_t t = 0; t < L.k; ++t)
            w[(i * L.q + j) * L.k + t] =
                L.weights[((g * L.p + i) * KK * L.q + uv * L.q + j) * L.k + t];
      dense[g].push_back(circulant::expand(w.data(), L.m, L.n, L.k));
    }
  size_t outs = N * Cout * R.Ho * R.Wo;
  R.y.assign(outs, 0);
  R.mag.assign(outs, 0);
  R.sumAbsX.assign(outs, 0);
  R.sumAbsW.assign(outs, 0);
  R.terms.assign(outs, 0);
  for (int64_t b = 0; b < N; ++b)
    for (int64_t g = 0; g < L.groups; ++g)
      for (int64_t o = 0; o < L.m; ++o)
        for (int64_t oy = 0; oy < R.Ho; ++oy)
          for (int64_t ox = 0; ox < R.Wo; ++ox) {
            size_t at = ((b * Cout + g * L.m + o) * R.Ho + oy) * R.Wo + ox;
            double acc = L.bias[g * L.m + o];
            for (int64_t c = 0; c < L.n; ++c)
              for (int64_t u = 0; u < L.kernelH; ++u)
                for (int64_t v = 0; v < L.kernelW; ++v) {
                  int64_t iy = oy * L.strideH - L.padTop + u * L.dilationH;
                  int64_t ix = ox * L.strideW - L.padLeft + v * L.dilationW;
                  if (iy < 0 || iy >= H || ix < 0 || ix >= W)
                    continue;
                  double wv = dense[g][u * L.kernelW + v][o * L.n + c];
                  double xv = x.data[((b * C + g * L.n + c) * H + iy) * W + ix];
                  acc += wv * xv;
                  R.mag[at] += std::fabs(wv * xv);
                  R.sumAbsX[at] += std::fabs(xv);
                  R.sumAbsW[at] += std::fabs(wv);
                  ++R.terms[at];
                }
            R.y[at] = acc;
          }
  return R;
}

/// Runs `P` on `x` in both arithmetics and checks against the direct
/// convolution and the documented counters.
void checkConv(const program::Program &P, const sim::Tensor &x) {
  const program::CrossbarLayer &L = P.layers[0];
  const model::HardwareDesc &hw = P.hw;
  Reference R = directConv(L, x);
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  const double maxX =
      static_cast<double>((int64_t(1) << (hw.inputBits - 1)) - 1);

  for (auto arithmetic :
       {sim::Arithmetic::FloatReference, sim::Arithmetic::FixedPoint}) {
    bool fixed = arithmetic == sim::Arithmetic::FixedPoint;
    SCOPED_TRACE(fixed ? "fixed-point" : "float-reference");
    sim::RunOptions options;
    options.arithmetic = arithmetic;
    std::vector<sim::Tensor> outputs;
    model::RunReport report;
    std::string error;
    ASSERT_TRUE(sim::run(P, {x}, options, outputs, report, error)) << error;
    ASSERT_EQ(outputs.size(), 1u);
    ASSERT_EQ(outputs[0].shape,
              (std::vector<int64_t>{N, L.groups * L.m, R.Ho, R.Wo}));
    for (int64_t b = 0; b < N; ++b) {
      // Fixed point: one input scale per image.
      double maxAbs = 0;
      for (int64_t e = 0; e < C * H * W; ++e)
        maxAbs = std::max(
            maxAbs, std::fabs(static_cast<double>(x.data[b * C * H * W + e])));
      double sx = maxAbs / maxX, sw = L.weightScale;
      int64_t perImage = L.groups * L.m * R.Ho * R.Wo;
      for (int64_t e = 0; e < perImage; ++e) {
        size_t at = b * perImage + e;
        double tol;
        if (!fixed)
          tol = 1e-4 * std::max(1.0, R.mag[at]);
        else
          // Rounding bound: |dw| <= s_w/2, |dx| <= s_x/2 per term.
          tol = sw / 2 * R.sumAbsX[at] + sx / 2 * R.sumAbsW[at] +
                R.terms[at] * sw * sx / 4 + 1e-5 * std::max(1.0, R.mag[at]);
        ASSERT_NEAR(outputs[0].data[at], R.y[at], tol)
            << "image " << b << " element " << e;
      }
    }

    // Counters: one im2col vector per output position and group.
    const model::LayerReport &r = report.layers[0];
    int64_t perGroup = L.arrays.size() / L.groups, steps = L.k / L.dup;
    int64_t cpw = hw.cellsPerWeight(), columns = 0, realRows = 0;
    for (int64_t a = 0; a < perGroup; ++a) {
      columns += L.arrays[a].weightColCount * cpw;
      realRows += program::realRows(L, L.arrays[a]);
    }
    int64_t vectors = N * R.Ho * R.Wo * L.groups;
    EXPECT_EQ(r.vectors, vectors);
    EXPECT_EQ(r.steps, steps);
    EXPECT_EQ(r.crossbars, static_cast<int64_t>(L.arrays.size()));
    EXPECT_EQ(r.xbarActivations, vectors * perGroup * steps);
    EXPECT_EQ(r.adcConversions, vectors * columns * steps);
    EXPECT_EQ(r.rotations, vectors * perGroup * (steps - 1));
    EXPECT_EQ(r.reductionAdds, vectors * (L.rowTiles - 1) * L.m);
    // Every mapping receives its input once over the NoC.
    EXPECT_EQ(r.inputWords, N * C * H * W);
    if (L.sharedInput) {
      // Each vector's kernelH x kernelW x n window is read once and
      // broadcast; each input word is written once.
      EXPECT_EQ(r.bufferReads, vectors * L.kernelH * L.kernelW * L.n);
      EXPECT_EQ(r.bufferWrites, N * C * H * W);
      EXPECT_EQ(r.bufferWords,
                C * W * std::min(H, L.dilationH * (L.kernelH - 1) + 1));
    } else {
      EXPECT_EQ(r.bufferReads, vectors * realRows);
      EXPECT_EQ(r.bufferWrites, vectors * realRows);
      EXPECT_EQ(r.bufferWords, L.groups * realRows);
    }
    EXPECT_EQ(r.uniqueCells,
              L.groups * L.p * L.kernelH * L.kernelW * L.q * L.k * cpw);
    EXPECT_LE(r.uOcc, 1.0);
    EXPECT_GT(r.uOcc, 0.0);
  }
}

class ConvMappingTest : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvMappingTest, MatchesDirectConvolution) {
  const ConvCase &c = GetParam();
  model::HardwareDesc hw;
  hw.xbarRows = c.rows;
  hw.xbarCols = c.cols;
  hw.weightBits = c.weightBits;
  hw.cellBits = c.cellBits;
  ASSERT_EQ(model::validate(hw), "");
  std::string error;
  program::CrossbarLayer L =
      test::makeConvLayer("conv", c.m, c.n, c.k, c.dup, c.mapping, c.shared,
                          geometry(c), hw, 42, &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(program::countLayerArrays(L, hw),
            static_cast<int64_t>(L.arrays.size()));
  program::Program P = test::makeConvProgram(L, hw);
  ASSERT_EQ(program::verify(P), "");
  const int64_t N = 2, C = c.groups * c.n;
  sim::Tensor x{{N, C, c.H, c.W}, test::randomVector(N * C * c.H * c.W, 5)};
  x.data[0] = 0; // exact zeros
  // The second image is much smaller: its own (per-image) scale keeps it
  // accurate.
  for (int64_t e = C * c.H * c.W; e < N * C * c.H * c.W; ++e)
    x.data[e] *= 0.01f;
  checkConv(P, x);
}

// Geometry: groups, n, m, k, d, mapping, shared, kH, kW, sH, sW, dH, dW,
// pads t, l, b, r; crossbar rows, cols, weight bits, cell bits; H, W.
// clang-format off
INSTANTIATE_TEST_SUITE_P(
    Convs, ConvMappingTest,
    ::testing::Values(
        // First layer, dense (k = 1), 27 rows on 16-row arrays, 2x2 tiles.
        ConvCase{"dense_first_3x3", 1, 3, 8, 1, 1, Mapping::A, true, 3, 3, 1,
                 1, 1, 1, 1, 1, 1, 1, 16, 16, 8, 2, 7, 7},
        // Ragged channels vs k = 4, stride 2, asymmetric pads.
        ConvCase{"ragged_A_s2_asym", 1, 6, 5, 4, 1, Mapping::A, false, 3, 3, 2,
                 2, 1, 1, 0, 1, 2, 1, 16, 16, 8, 2, 9, 8},
        ConvCase{"ragged_B2_s2_asym", 1, 6, 5, 4, 2, Mapping::B, true, 3, 3, 2,
                 2, 1, 1, 0, 1, 2, 1, 16, 16, 8, 2, 9, 8},
        ConvCase{"ragged_E_s2_asym", 1, 6, 5, 4, 4, Mapping::E, false, 3, 3, 2,
                 2, 1, 1, 0, 1, 2, 1, 16, 16, 8, 2, 9, 8},
        // k = 2, mapping C(2): 1x1 and 3x3 kernels.
        ConvCase{"C2_1x1", 1, 4, 4, 2, 2, Mapping::C, false, 1, 1, 1, 1, 1, 1,
                 0, 0, 0, 0, 16, 16, 4, 2, 5, 6},
        ConvCase{"C2_3x3_ragged", 1, 3, 3, 2, 2, Mapping::C, true, 3, 3, 1, 1,
                 1, 1, 1, 1, 1, 1, 128, 32, 8, 2, 6, 5},
        ConvCase{"C2_3x3_private", 1, 2, 2, 2, 2, Mapping::C, false, 3, 3, 1,
                 1, 1, 1, 1, 1, 1, 1, 64, 16, 8, 2, 6, 6},
        // k = 8, B(4), 4-bit cells.
        ConvCase{"k8_B4_3x3", 1, 16, 16, 8, 4, Mapping::B, true, 3, 3, 1, 1, 1,
                 1, 1, 1, 1, 1, 32, 32, 8, 4, 6, 6},
        ConvCase{"k8_A_ragged", 1, 12, 10, 8, 1, Mapping::A, false, 3, 3, 1, 1,
                 1, 1, 1, 1, 1, 1, 32, 32, 8, 4, 5, 5},
        // Dilation 2 (and mixed stride/dilation, 3x2 kernel).
        ConvCase{"dilation2", 1, 4, 6, 2, 1, Mapping::A, false, 3, 3, 1, 1, 2,
                 2, 2, 2, 2, 2, 16, 16, 8, 2, 8, 8},
        ConvCase{"mixed_3x2_d21_s12", 1, 4, 4, 4, 2, Mapping::B, true, 3, 2, 1,
                 2, 2, 1, 1, 0, 0, 1, 16, 16, 8, 2, 9, 7},
        // Groups 2, depthwise, grouped C(2).
        ConvCase{"groups2_B2", 2, 4, 3, 2, 2, Mapping::B, false, 3, 3, 1, 1, 1,
                 1, 1, 1, 1, 1, 16, 16, 8, 2, 6, 6},
        ConvCase{"depthwise_s2", 6, 1, 1, 1, 1, Mapping::A, true, 3, 3, 2, 2,
                 1, 1, 1, 1, 1, 1, 16, 16, 8, 2, 7, 7},
        ConvCase{"depthwise_C1", 4, 1, 1, 1, 1, Mapping::C, false, 3, 3, 1, 1,
                 1, 1, 1, 1, 1, 1, 16, 16, 8, 2, 5, 5},
        ConvCase{"groups2_C2", 2, 4, 4, 2, 2, Mapping::C, true, 1, 1, 1, 1, 1,
                 1, 0, 0, 0, 0, 16, 16, 4, 2, 4, 4},
        // 5x5 kernels: 16-bit weights (2 weight columns per array), and E
        // with k = 8 over 26 arrays.
        ConvCase{"5x5_A_w16", 1, 4, 8, 4, 1, Mapping::A, false, 5, 5, 1, 1, 1,
                 1, 2, 2, 2, 2, 16, 16, 16, 2, 6, 6},
        ConvCase{"5x5_E_k8_s2", 1, 8, 8, 8, 8, Mapping::E, true, 5, 5, 2, 2, 1,
                 1, 0, 0, 0, 0, 16, 16, 8, 2, 9, 9},
        // Pads as large as the kernel: border outputs see only padding.
        ConvCase{"big_pads", 1, 2, 3, 1, 1, Mapping::E, false, 2, 2, 1, 1, 1,
                 1, 3, 0, 0, 3, 16, 16, 8, 2, 4, 4},
        // Non-square crossbar, 1-bit cells.
        ConvCase{"xbar32x20_c1", 1, 6, 6, 3, 3, Mapping::B, false, 3, 3, 1, 1,
                 1, 1, 1, 1, 1, 1, 32, 20, 6, 1, 5, 5}),
    [](const ::testing::TestParamInfo<ConvCase> &info) {
      return std::string(info.param.label);
    });
// clang-format on

TEST(ConvLayer, SameProgramAnyResolution) {
  model::HardwareDesc hw;
  hw.xbarRows = hw.xbarCols = 16;
  hw.weightBits = 8;
  test::ConvGeometry g;
  g.kernelH = g.kernelW = 3;
  g.padTop = g.padLeft = g.padBottom = g.padRight = 1;
  g.strideH = g.strideW = 2;
  program::CrossbarLayer L =
      test::makeConvLayer("conv", 8, 4, 4, 2, Mapping::B, true, g, hw, 7);
  const program::Program P = test::makeConvProgram(L, hw);
  for (int64_t size : {8, 16}) {
    SCOPED_TRACE(size);
    sim::Tensor x{{1, 4, size, size}, test::randomVector(4 * size * size, 9)};
    checkConv(P, x);
  }
  // Non-square too.
  checkConv(P, {{3, 4, 5, 11}, test::randomVector(3 * 4 * 5 * 11, 10)});
}

// Mapping C on fully connected layers lives in MappingTest.cpp.

TEST(ConvLayer, Errors) {
  model::HardwareDesc hw;
  hw.xbarRows = hw.xbarCols = 16;
  test::ConvGeometry g;
  g.kernelH = g.kernelW = 3;
  program::CrossbarLayer L =
      test::makeConvLayer("conv", 4, 4, 2, 1, Mapping::A, true, g, hw, 7);
  program::Program P = test::makeConvProgram(L, hw);
  sim::RunOptions options;
  model::RunReport report;
  std::vector<sim::Tensor> out;
  std::string e;
  // Image smaller than the kernel.
  EXPECT_FALSE(sim::run(P, {{{1, 4, 2, 5}, std::vector<float>(40)}}, options,
                        out, report, e));
  EXPECT_NE(e.find("instruction 0 (crossbar 'conv')"), std::string::npos) << e;
  EXPECT_NE(e.find("smaller than the 3x3 kernel"), std::string::npos) << e;
  // Wrong channel count (the declared shape catches it first).
  EXPECT_FALSE(sim::run(P, {{{1, 3, 5, 5}, std::vector<float>(75)}}, options,
                        out, report, e));
  EXPECT_NE(e.find("input 0"), std::string::npos) << e;
  // Non-finite input in fixed point names the image.
  std::vector<float> bad(2 * 4 * 5 * 5, 1.0f);
  bad[150] = INFINITY;
  EXPECT_FALSE(sim::run(P, {{{2, 4, 5, 5}, bad}}, options, out, report, e));
  EXPECT_NE(e.find("not finite"), std::string::npos) << e;
  EXPECT_NE(e.find("image 1"), std::string::npos) << e;
  // Zero input gives the bias everywhere.
  ASSERT_TRUE(sim::run(P, {{{1, 4, 5, 5}, std::vector<float>(100)}}, options,
                       out, report, e))
      << e;
  for (int64_t o = 0; o < 4; ++o)
    for (int64_t pos = 0; pos < 9; ++pos)
      EXPECT_FLOAT_EQ(out[0].data[o * 9 + pos], L.bias[o]);
}

TEST(ConvLayer, LayoutAndMappingC) {
  model::HardwareDesc hw; // 128x128, cpw 8
  test::ConvGeometry g;
  g.kernelH = g.kernelW = 3;
  // 3x3, 16 -> 16 channels, k = 4: 144 logical rows per group.
  program::CrossbarLayer L =
      test::makeConvLayer("conv", 16, 16, 4, 1, Mapping::A, true, g, hw, 1);
  EXPECT_EQ(L.logicalRows(), 144);
  EXPECT_EQ(L.rowTiles, 2);
  EXPECT_EQ(L.colTiles, 1);
  EXPECT_EQ(L.arrays.size(), 2u);
  EXPECT_FALSE(program::fitsMappingC(L, 2, hw)); // 288 rows
  g.groups = 4;
  program::CrossbarLayer G =
      test::makeConvLayer("conv", 4, 4, 4, 1, Mapping::A, true, g, hw, 1);
  EXPECT_EQ(G.logicalRows(), 36);
  ASSERT_EQ(G.arrays.size(), 4u); // one per group
  for (int64_t a = 0; a < 4; ++a)
    EXPECT_EQ(G.arrays[a].group, a);
  EXPECT_TRUE(program::fitsMappingC(G, 2, hw));  // 72 rows, 2*1*8 columns
  EXPECT_FALSE(program::fitsMappingC(G, 4, hw)); // 144 rows
  EXPECT_FALSE(program::fitsMappingC(G, 3, hw)); // 3 does not divide 4
  G.mapping = Mapping::C;
  G.dup = 4;
  EXPECT_NE(program::planArrays(G, hw).find("mapping C(4) needs"),
            std::string::npos);
  EXPECT_EQ(program::countLayerArrays(G, hw), 0);
  G.dup = 2;
  EXPECT_EQ(program::planArrays(G, hw), "");
  EXPECT_EQ(program::countLayerArrays(G, hw), 4);
  EXPECT_EQ(G.arrays[3].rowCount, 72);
  EXPECT_EQ(G.arrays[3].weightColCount, 2);
  EXPECT_EQ(program::realRows(G, G.arrays[3]), 72);
  model::LayerReport r = model::staticLayerReport(G, hw);
  EXPECT_EQ(r.mapping, "C(2)");
  // Each copy programs its own 36 rows x 1 weight column: 2*36*8 cells.
  EXPECT_EQ(r.occupiedCells, 4 * 2 * 36 * 8);
  EXPECT_EQ(r.uniqueCells, 4 * 36 * 8);
  // A fully connected layer cannot have groups or a kernel.
  program::CrossbarLayer F = G;
  F.kind = program::LayerKind::FullyConnected;
  EXPECT_NE(program::planArrays(F, hw).find("fully connected"),
            std::string::npos);
  // countArrays (FC, A/B/E) is unchanged.
  EXPECT_EQ(program::countArrays(64, 64, 16, 16, hw), 512);
}

} // namespace
