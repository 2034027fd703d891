//===- MappingTest.cpp - Every mapping equals the dense product -----------===//
//
// Builds one crossbar layer through planArrays for many shapes, mappings and
// crossbar geometries, runs it in both arithmetics and compares with the
// dense product W x + b, W = circulant::expand(w).
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "rebocc/Sim/Interpreter.h"

#include <gtest/gtest.h>

using namespace rebocc;
using program::Mapping;

namespace {

struct Case {
  int64_t m, n, k, dup;
  Mapping mapping;
  bool shared;
  int64_t rows, cols, weightBits, cellBits;
};

std::string describe(const Case &c) {
  return "m=" + std::to_string(c.m) + " n=" + std::to_string(c.n) +
         " k=" + std::to_string(c.k) + " d=" + std::to_string(c.dup) + " " +
         program::mappingName(c.mapping) + " xbar " + std::to_string(c.rows) +
         "x" + std::to_string(c.cols) + " w" + std::to_string(c.weightBits) +
         "/c" + std::to_string(c.cellBits);
}

// Readable, deterministic parameter text for test listings (gtest would
// otherwise dump the struct's bytes, padding included).
void PrintTo(const Case &c, std::ostream *os) { *os << describe(c); }

class MappingTest : public ::testing::TestWithParam<Case> {};

TEST_P(MappingTest, MatchesDenseProduct) {
  const Case &c = GetParam();
  SCOPED_TRACE(describe(c));
  model::HardwareDesc hw;
  hw.xbarRows = c.rows;
  hw.xbarCols = c.cols;
  hw.weightBits = c.weightBits;
  hw.cellBits = c.cellBits;
  ASSERT_EQ(model::validate(hw), "");
  program::CrossbarLayer L = test::makeLayer("fc", c.m, c.n, c.k, c.dup,
                                             c.mapping, c.shared, hw, 42);
  program::Program P = test::makeLayerProgram(L, hw);
  ASSERT_EQ(program::verify(P), "");

  const int64_t batch = 3;
  sim::Tensor x{{batch, c.n}, test::randomVector(batch * c.n, 5)};
  x.data[0] = 0; // exercise exact zeros
  std::vector<float> W = circulant::expand(L.weights.data(), c.m, c.n, c.k);

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
    ASSERT_EQ(outputs[0].shape, (std::vector<int64_t>{batch, c.m}));

    const double maxX =
        static_cast<double>((int64_t(1) << (hw.inputBits - 1)) - 1);
    for (int64_t b = 0; b < batch; ++b) {
      const float *xb = &x.data[b * c.n];
      double sumAbsX = 0, maxAbsX = 0;
      for (int64_t i = 0; i < c.n; ++i) {
        sumAbsX += std::fabs(xb[i]);
        maxAbsX = std::max(maxAbsX, std::fabs(static_cast<double>(xb[i])));
      }
      double sx = maxAbsX / maxX;
      for (int64_t o = 0; o < c.m; ++o) {
        double ref = L.bias[o], mag = 0, sumAbsW = 0;
        for (int64_t i = 0; i < c.n; ++i) {
          double wv = W[o * c.n + i];
          ref += wv * xb[i];
          mag += std::fabs(wv * xb[i]);
          sumAbsW += std::fabs(wv);
        }
        double got = outputs[0].data[b * c.m + o];
        double tol;
        if (!fixed) {
          tol = 1e-4 * std::max(1.0, mag);
        } else {
          // Rounding bound: |dw| <= s_w/2 per weight, |dx| <= s_x/2 per
          // input, so |error| <= s_w/2 * sum|x| + s_x/2 * sum|w|
          // + n * s_w * s_x / 4, plus float rounding of the result.
          double sw = L.weightScale;
          tol = sw / 2 * sumAbsX + sx / 2 * sumAbsW + c.n * sw * sx / 4 +
                1e-5 * std::max(1.0, mag);
        }
        ASSERT_NEAR(got, ref, tol) << "batch " << b << " output " << o;
      }
    }

    // Counters follow the documented formulas.
    const model::LayerReport &r = report.layers[0];
    int64_t steps = c.k / c.dup, crossbars = L.arrays.size();
    int64_t cpw = hw.cellsPerWeight(), columns = 0, realRows = 0;
    for (const program::Array &a : L.arrays) {
      columns += a.weightColCount * cpw;
      realRows += program::realRows(L, a);
    }
    EXPECT_EQ(r.crossbars, crossbars);
    EXPECT_EQ(r.steps, steps);
    EXPECT_EQ(r.vectors, batch);
    EXPECT_EQ(r.xbarActivations, batch * crossbars * steps);
    EXPECT_EQ(r.adcConversions, batch * columns * steps);
    EXPECT_EQ(r.rotations, batch * crossbars * (steps - 1));
    EXPECT_EQ(r.reductionAdds, batch * (L.rowTiles - 1) * c.m);
    int64_t words = c.shared ? c.n : realRows;
    EXPECT_EQ(r.bufferWords, words);
    EXPECT_EQ(r.bufferReads, batch * words);
    EXPECT_EQ(r.bufferWrites, batch * words);
    EXPECT_LE(r.uOcc, 1.0);
    // uUniq counts the padded p*q*k defining entries, uOcc only rows with
    // real inputs, so the two compare only when k divides n.
    if (c.n % c.k == 0) {
      EXPECT_LE(r.uUniq, r.uOcc + 1e-12);
      if (c.dup == 1)
        EXPECT_DOUBLE_EQ(r.uUniq, r.uOcc); // A stores each weight once
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, MappingTest,
    ::testing::Values(
        // Ragged n, several row and column tiles, 4-bit weights on 2-bit cells.
        Case{40, 50, 4, 1, Mapping::A, false, 16, 16, 4, 2},
        Case{40, 50, 4, 2, Mapping::B, true, 16, 16, 4, 2},
        Case{40, 50, 4, 4, Mapping::E, false, 16, 16, 4, 2},
        // Ragged m and n, cpw 8 (16-bit weights): 2 weight columns per array.
        Case{37, 29, 4, 1, Mapping::A, true, 16, 16, 16, 2},
        Case{37, 29, 4, 2, Mapping::B, false, 16, 16, 16, 2},
        Case{37, 29, 4, 4, Mapping::E, true, 16, 16, 16, 2},
        // k = 1: a dense layer, both names for d = 1 = k.
        Case{20, 23, 1, 1, Mapping::A, false, 16, 16, 8, 2},
        Case{20, 23, 1, 1, Mapping::E, true, 16, 16, 8, 2},
        // k = 8 on 16 rows, larger layer, 8-bit weights on 4-bit cells.
        Case{33, 70, 8, 1, Mapping::A, false, 16, 16, 8, 4},
        Case{33, 70, 8, 2, Mapping::B, true, 16, 16, 8, 4},
        Case{33, 70, 8, 4, Mapping::B, false, 16, 16, 8, 4},
        Case{33, 70, 8, 8, Mapping::E, true, 16, 16, 8, 4},
        // k equals the row count: one slice per array.
        Case{50, 40, 16, 4, Mapping::B, false, 16, 16, 16, 2},
        // k not a power of two; rows per array 15 of 16.
        Case{10, 11, 3, 1, Mapping::A, false, 16, 16, 16, 2},
        Case{10, 11, 3, 3, Mapping::E, true, 16, 16, 16, 2},
        // Non-square crossbars, 1-bit cells (cpw 6).
        Case{24, 36, 6, 3, Mapping::B, false, 32, 20, 6, 1},
        // m, n smaller than k.
        Case{3, 5, 8, 2, Mapping::B, true, 16, 16, 16, 2},
        // Mapping C(d): d block-diagonal copies in one array.
        Case{6, 7, 2, 2, Mapping::C, false, 16, 16, 4, 2},
        Case{5, 6, 4, 2, Mapping::C, true, 32, 32, 8, 2},
        Case{3, 5, 8, 4, Mapping::C, false, 32, 32, 8, 2},
        Case{8, 8, 4, 4, Mapping::C, true, 32, 32, 8, 2},
        Case{10, 11, 3, 1, Mapping::C, true, 16, 16, 8, 4}),
    [](const ::testing::TestParamInfo<Case> &info) {
      const Case &c = info.param;
      return "m" + std::to_string(c.m) + "_n" + std::to_string(c.n) + "_k" +
             std::to_string(c.k) + "_" + program::mappingName(c.mapping) +
             std::to_string(c.dup) + (c.shared ? "_shared" : "_private") +
             "_xbar" + std::to_string(c.rows) + "x" + std::to_string(c.cols) +
             "_w" + std::to_string(c.weightBits) + "c" +
             std::to_string(c.cellBits);
    });

struct Example {
  int64_t dup;
  Mapping mapping;
  int64_t crossbars, steps;
  double uOcc, uUniq;
};

void PrintTo(const Example &e, std::ostream *os) {
  *os << program::mappingName(e.mapping) << " d=" << e.dup;
}

class WorkedExample : public ::testing::TestWithParam<Example> {};

// REBOC.md: FC 1024x1024, k = 16, 16-bit weights on 2-bit cells, 128x128.
TEST_P(WorkedExample, MatchesReboc) {
  const Example &e = GetParam();
  model::HardwareDesc hw; // ISAAC-CE defaults
  ASSERT_EQ(hw.cellsPerWeight(), 8);
  program::CrossbarLayer L = test::makeLayer("fc", 1024, 1024, 16, e.dup,
                                             e.mapping, true, hw, 3);
  EXPECT_EQ(program::countArrays(L.p, L.q, L.k, L.dup, hw), e.crossbars);
  program::Program P = test::makeLayerProgram(L, hw);
  sim::Tensor x{{1, 1024}, test::randomVector(1024, 4)};
  std::vector<sim::Tensor> out;
  model::RunReport report;
  std::string error;
  sim::RunOptions options;
  ASSERT_TRUE(sim::run(P, {x}, options, out, report, error)) << error;
  const model::LayerReport &r = report.layers[0];
  EXPECT_EQ(r.crossbars, e.crossbars);
  EXPECT_EQ(r.steps, e.steps);
  EXPECT_EQ(r.xbarActivations, 512);
  EXPECT_EQ(r.adcConversions, 65536);
  EXPECT_DOUBLE_EQ(r.uOcc, e.uOcc);
  EXPECT_DOUBLE_EQ(r.uUniq, e.uUniq);
  EXPECT_EQ(r.bufferReads, 1024); // shared input: one read per word

  // Spot-check numerics against the dense product.
  std::vector<float> W = circulant::expand(L.weights.data(), 1024, 1024, 16);
  for (int64_t o : {0, 1, 15, 16, 500, 1023}) {
    double ref = L.bias[o];
    for (int64_t i = 0; i < 1024; ++i)
      ref += static_cast<double>(W[o * 1024 + i]) * x.data[i];
    EXPECT_NEAR(out[0].data[o], ref, 2e-3) << "output " << o;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Reboc, WorkedExample,
    ::testing::Values(Example{16, Mapping::E, 512, 1, 1.0, 1.0 / 16},
                      Example{1, Mapping::A, 32, 16, 1.0, 1.0},
                      Example{4, Mapping::B, 128, 4, 1.0, 0.25}),
    [](const ::testing::TestParamInfo<Example> &info) {
      const Example &e = info.param;
      return std::string(program::mappingName(e.mapping)) +
             std::to_string(e.dup);
    });

TEST(Layout, PrivateInputBuffersCountRealRows) {
  model::HardwareDesc hw;
  program::CrossbarLayer L =
      test::makeLayer("fc", 1024, 1024, 16, 16, Mapping::E, false, hw, 3);
  model::LayerReport r = model::staticLayerReport(L, hw);
  EXPECT_EQ(r.bufferWords, 512 * 128); // every array its own 128 rows
  EXPECT_EQ(r.mapping, "E");
  L.mapping = Mapping::B;
  EXPECT_EQ(model::mappingLabel(L), "B(16)");
}

TEST(Layout, MappingCOccupancy) {
  // FC 8x8, k = 4, C(2): 16 rows, 2 copies of 2 weight columns; each copy
  // programs its own 8 rows, off-diagonal cells stay empty.
  model::HardwareDesc hw;
  hw.xbarRows = 16;
  hw.xbarCols = 32;
  hw.weightBits = 8;
  program::CrossbarLayer L =
      test::makeLayer("fc", 8, 8, 4, 2, Mapping::C, true, hw, 3);
  ASSERT_EQ(L.arrays.size(), 1u);
  EXPECT_EQ(L.arrays[0].rowCount, 16);
  EXPECT_EQ(L.arrays[0].weightColCount, 4);
  EXPECT_TRUE(program::fitsMappingC(L, 2, hw));
  EXPECT_FALSE(program::fitsMappingC(L, 4, hw)); // 32 rows
  model::LayerReport r = model::staticLayerReport(L, hw);
  EXPECT_EQ(r.mapping, "C(2)");
  EXPECT_EQ(r.occupiedCells, 2 * 8 * 2 * 4);
  EXPECT_EQ(r.uniqueCells, 8 * 2 * 4);
  EXPECT_EQ(r.bufferWords, 8); // shared: n
  L.sharedInput = false;
  EXPECT_EQ(model::staticLayerReport(L, hw).bufferWords, 16); // one per copy
}

TEST(Layout, PlanErrors) {
  model::HardwareDesc hw;
  hw.xbarRows = 16;
  program::CrossbarLayer L;
  L.p = 1;
  L.q = 1;
  L.k = 32;
  EXPECT_NE(program::planArrays(L, hw).find("exceeds"), std::string::npos);
  L.k = 8;
  L.dup = 3;
  EXPECT_NE(program::planArrays(L, hw).find("divisor"), std::string::npos);
  EXPECT_EQ(program::countArrays(1, 1, 8, 3, hw), 0);
  L.dup = 2;
  EXPECT_EQ(program::planArrays(L, hw), "");
}

} // namespace
