//===- AnalogTest.cpp - ADC law and weight encodings, worked by hand ------===//
//
// One fully connected layer small enough to follow by hand (docs/Accuracy.md
// gives the law): 2 inputs, 1 output, 4-bit weights on 2-bit cells (two
// slices), 2-bit inputs, 2-row crossbars. The weights are 0.7 and -0.7 (or
// -0.3), so the weight scale is 0.1 and the codes are q = 7, -7 (-3); the
// input is (0.5, 0.5): scale 0.5, codes (1, 1), so only input bit 0 drives,
// both rows. Every expected number below is worked out in the comments.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "rebocc/Sim/Accuracy.h"
#include "rebocc/Sim/Interpreter.h"

#include <gtest/gtest.h>

using namespace rebocc;

namespace {

model::HardwareDesc tinyHardware(const std::vector<std::string> &sets) {
  model::HardwareDesc hw;
  hw.xbarRows = 2;
  hw.xbarCols = 2;
  hw.weightBits = 4;
  hw.cellBits = 2;
  hw.inputBits = 2;
  std::string error;
  EXPECT_TRUE(model::applyHardwareOverrides(hw, sets, true, error)) << error;
  return hw;
}

program::Program tinyProgram(const model::HardwareDesc &hw, float w1) {
  program::CrossbarLayer L =
      test::makeLayer("fc", 1, 2, 1, 1, program::Mapping::A, false, hw, 1);
  L.weights = {0.7f, w1};
  L.bias = {0.0f};
  L.weightScale = 0.7f / 7.0f;
  program::Program P = test::makeLayerProgram(L, hw);
  EXPECT_EQ(program::verify(P), "");
  return P;
}

const std::vector<sim::Tensor> kInput = {{{1, 2}, {0.5f, 0.5f}}};

/// y = w0*x0 + w1*x1 on `hw` (no bias), input (0.5, 0.5).
float runTiny(const model::HardwareDesc &hw, float w1, bool bitSliced = false,
              bool ideal = false, std::vector<double> fullScale = {}) {
  program::Program P = tinyProgram(hw, w1);
  sim::RunOptions options;
  options.adcFullScale = fullScale;
  options.bitSliced = bitSliced;
  options.idealAnalog = ideal;
  std::vector<sim::Tensor> out;
  model::RunReport report;
  std::string error;
  EXPECT_TRUE(sim::run(P, kInput, options, out, report, error)) << error;
  return out.empty() ? NAN : out[0].data[0];
}

/// Output units: one integer step of the accumulator is s_w * s_x = 0.05.
constexpr double kUnit = 0.1 * 0.5;

TEST(Analog, OffsetEncodingRoundsOnATwoBitAdc) {
  // offset: u = q + 8 = 15, 1 -> slices (LSB first) (3,3) and (1,0). Column
  // sums with both rows driven: slice 0: 3 + 1 = 4, slice 1: 3 + 0 = 3.
  // max range: full scale 2 rows * 3 = 6 > 3 codes, step 6/3 = 2: codes
  // round(4/2) = 2 and round(3/2 + 1/2) = 2, read as 4 and 4.
  // Result 4 + 4*4 - 8*2 (offset times driven rows) = 4 (exact: 7 - 7 = 0).
  model::HardwareDesc hw =
      tinyHardware({"weight_encoding=offset", "adc_bits=2"});
  EXPECT_NEAR(runTiny(hw, -0.7f), 4 * kUnit, 1e-6);
  EXPECT_NEAR(runTiny(hw, -0.7f, /*bitSliced=*/true), 4 * kUnit, 1e-6);
  EXPECT_NEAR(runTiny(hw, -0.7f, false, /*ideal=*/true), 0.0, 1e-6);
  // 3 bits: full scale 6 <= 7 codes, step 1, exact.
  EXPECT_NEAR(runTiny(tinyHardware({"weight_encoding=offset", "adc_bits=3"}),
                      -0.7f),
              0.0, 1e-6);
}

TEST(Analog, NumericRangeClips) {
  // adc_range=3 on 2 bits: step 3/3 = 1, sums above 3 clip. Slice 0 sums to
  // 4 -> 3; slice 1 to 3. Result 3 + 3*4 - 16 = -1.
  EXPECT_NEAR(runTiny(tinyHardware({"weight_encoding=offset", "adc_bits=2",
                                    "adc_range=3"}),
                      -0.7f),
              -1 * kUnit, 1e-6);
  // adc_range=4.5: step 1.5; 4 -> round(2.67) = 3 -> 4.5, 3 -> 2 -> 3.
  // Result 4.5 + 3*4 - 16 = 0.5.
  EXPECT_NEAR(runTiny(tinyHardware({"weight_encoding=offset", "adc_bits=2",
                                    "adc_range=4.5"}),
                      -0.7f),
              0.5 * kUnit, 1e-6);
}

TEST(Analog, FlippedEncodingIsLosslessWhereOffsetIsNot) {
  // flipped: full scale floor(2 * 3 / 2) = 3 fits 2 bits, step 1. Slice 0
  // (3, 1) sums to 4 > 3 = half the range: stored flipped (0, 2), reads 2,
  // unflipped 3*2 - 2 = 4. Slice 1 (3, 0) sums to 3: kept, reads 3.
  // Result 4 + 3*4 - 16 = 0, exact.
  model::HardwareDesc hw = tinyHardware({"adc_bits=2"});
  EXPECT_NEAR(runTiny(hw, -0.7f, /*bitSliced=*/true), 0.0, 1e-6);
  EXPECT_NEAR(runTiny(hw, -0.7f), 0.0, 1e-6);
  // w1 = -0.3: q = -3, u = 5 = slices (1, 1); both columns (3, 1) flip.
  // Result 4 + 4*4 - 16 = 4 = 7 - 3.
  EXPECT_NEAR(runTiny(hw, -0.3f, true), 4 * kUnit, 1e-6);
}

TEST(Analog, DifferentialEncoding) {
  // differential, q = 7, -3: positive array |7| = slices (3, 1) in row 0,
  // negative array |-3| = (3, 0) in row 1. max range: 2 * 3 = 6, step 2.
  // Positive: slice 0 sums 3 -> code 2 (reads 4), slice 1 sums 1 -> code
  // round(0.5 + 0.5) = 1. Negative: slice 0 sums 3 -> 2, slice 1 sums 0 -> 0.
  // Codes (2 - 2) + (1 - 0)*4 = 4, times step 2 = 8 (exact 7 - 3 = 4).
  model::HardwareDesc hw =
      tinyHardware({"weight_encoding=differential", "adc_bits=2"});
  EXPECT_NEAR(runTiny(hw, -0.3f), 8 * kUnit, 1e-6);
  EXPECT_NEAR(runTiny(hw, -0.3f, false, true), 4 * kUnit, 1e-6);
  EXPECT_NEAR(runTiny(tinyHardware({"weight_encoding=differential",
                                    "adc_bits=3"}),
                      -0.3f),
              4 * kUnit, 1e-6);
}

TEST(Analog, StuckAtOneEverywhere) {
  // Every cell stuck at G_max = level 3, flipped encoding, 3-bit ADC (step
  // 1): each physical column reads 3 + 3 = 6. Slice 0 was stored flipped
  // (see above): 3*2 - 6 = 0; slice 1 not: 6. Result 0 + 6*4 - 16 = 8.
  EXPECT_NEAR(runTiny(tinyHardware({"adc_bits=3", "stuck_at_one_rate=1"}),
                      -0.7f),
              8 * kUnit, 1e-6);
  // Stuck at G_min = 0: every column reads 0; slice 0 unflips to 6.
  // Result 6 + 0 - 16 = -10.
  EXPECT_NEAR(runTiny(tinyHardware({"adc_bits=3", "stuck_at_zero_rate=1"}),
                      -0.7f),
              -10 * kUnit, 1e-6);
}

TEST(Analog, OnOffRatio) {
  // on_off_ratio = 4: G(l) = 3/4 + l * (3 - 3/4)/3 = 0.75 + 0.75 l, offset
  // encoding, 4-bit ADC (full scale 6 <= 15, step 1). Slice 0 levels (3, 1):
  // 3 + 1.5 = 4.5 -> round(5.0) = 5; slice 1 levels (3, 0): 3 + 0.75 =
  // 3.75 -> 4. Result 5 + 4*4 - 16 = 5.
  EXPECT_NEAR(runTiny(tinyHardware({"weight_encoding=offset", "adc_bits=4",
                                    "on_off_ratio=4"}),
                      -0.7f),
              5 * kUnit, 1e-6);
}

TEST(Analog, HistogramPercentile) {
  // Sums 0 x5, 1 x3, 2 x1, 3 x1: the smallest s with ceil(p% of 10) at or
  // below it.
  const std::vector<int64_t> h = {5, 3, 1, 1};
  EXPECT_EQ(sim::histogramPercentile(h, 50), 0);
  EXPECT_EQ(sim::histogramPercentile(h, 50.1), 1);
  EXPECT_EQ(sim::histogramPercentile(h, 80), 1);
  EXPECT_EQ(sim::histogramPercentile(h, 90), 2);
  EXPECT_EQ(sim::histogramPercentile(h, 99.99), 3);
  EXPECT_EQ(sim::histogramPercentile(h, 100), 3);
  EXPECT_EQ(sim::histogramPercentile({}, 99), 0);
  EXPECT_EQ(sim::histogramPercentile({0, 0, 4}, 60), 2);
}

TEST(Analog, CalibratedRange) {
  // offset encoding, q = 7, -7: one read (bit 0) with column sums 4 and 3.
  // The 99.99th percentile of {3, 4} is 4; at 50 % it is 3.
  model::HardwareDesc hw = tinyHardware(
      {"weight_encoding=offset", "adc_bits=2", "adc_range=calibrated"});
  program::Program P = tinyProgram(hw, -0.7f);
  std::vector<double> fullScale;
  std::string error;
  ASSERT_TRUE(sim::calibrateAdc(P, kInput, sim::RunOptions(), fullScale, error))
      << error;
  EXPECT_EQ(fullScale, std::vector<double>{4.0});
  // Step max(1, 4/3): 4 -> code 3 -> 4; 3 -> round(2.25) = 2 -> 8/3.
  // Result 4 + (8/3)*4 - 16 = -4/3.
  EXPECT_NEAR(runTiny(hw, -0.7f, false, false, fullScale), -4.0 / 3 * kUnit,
              1e-6);
  P.hw.adcClipPercentile = 50;
  ASSERT_TRUE(sim::calibrateAdc(P, kInput, sim::RunOptions(), fullScale, error))
      << error;
  EXPECT_EQ(fullScale, std::vector<double>{3.0});
  // Step 1, clip at 3: 3 + 3*4 - 16 = -1.
  hw.adcClipPercentile = 50;
  EXPECT_NEAR(runTiny(hw, -0.7f, false, false, fullScale), -1 * kUnit, 1e-6);
}

} // namespace
