//===- AdcNeedTest.cpp - ADC bits the programmed weights need, by hand ----===//
//
// AnalogTest.cpp's tiny layer: weights 0.7 and -0.7 at scale 0.1 (codes 7
// and -7), 4-bit weights on 2-bit cells (two slices, LSB first), one weight
// column over 2 rows. Every expected number is worked out in the comments.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "rebocc/Target/Program/AdcNeed.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace rebocc;

namespace {

program::AdcNeed tinyNeed(const std::string &encoding) {
  model::HardwareDesc hw;
  hw.xbarRows = 2;
  hw.xbarCols = 2;
  hw.weightBits = 4;
  hw.cellBits = 2;
  hw.inputBits = 2;
  std::string error;
  EXPECT_TRUE(model::applyHardwareOverrides(
      hw, {"weight_encoding=" + encoding}, true, error))
      << error;
  program::CrossbarLayer L =
      test::makeLayer("fc", 1, 2, 1, 1, program::Mapping::A, false, hw, 1);
  L.weights = {0.7f, -0.7f};
  L.bias = {0.0f};
  L.weightScale = 0.1f;
  return program::adcNeed(L, hw);
}

using Histogram = std::map<int64_t, int64_t>;

TEST(AdcNeed, BitsForASum) {
  // 2^b - 1 >= sum: 0 and 1 fit one bit, 3 two, 4 three; ISAAC's 384 nine.
  EXPECT_EQ(program::adcBitsFor(0), 1);
  EXPECT_EQ(program::adcBitsFor(1), 1);
  EXPECT_EQ(program::adcBitsFor(2), 2);
  EXPECT_EQ(program::adcBitsFor(3), 2);
  EXPECT_EQ(program::adcBitsFor(4), 3);
  EXPECT_EQ(program::adcBitsFor(255), 8);
  EXPECT_EQ(program::adcBitsFor(256), 9);
  EXPECT_EQ(program::adcBitsFor(384), 9);
}

TEST(AdcNeed, OffsetEncoding) {
  // q + 8 = 15 = (3,3) and 1 = (1,0): slice 0 sums 3 + 1 = 4 (3 bits),
  // slice 1 sums 3 + 0 = 3 (2 bits).
  program::AdcNeed need = tinyNeed("offset");
  EXPECT_EQ(need.maxSum, 4);
  EXPECT_EQ(need.maxBits, 3);
  EXPECT_EQ(need.bits, (Histogram{{2, 1}, {3, 1}}));
}

TEST(AdcNeed, FlippedEncoding) {
  // As offset, but slice 0's 4 is past half of 2 rows * 3 = 6, so it stores
  // the complements: 6 - 4 = 2 (2 bits); slice 1's 3 is not past half.
  program::AdcNeed need = tinyNeed("flipped");
  EXPECT_EQ(need.maxSum, 3);
  EXPECT_EQ(need.maxBits, 2);
  EXPECT_EQ(need.bits, (Histogram{{2, 2}}));
}

TEST(AdcNeed, DifferentialEncoding) {
  // Positive array holds (7, 0) = slices (3,1) and (0,0): sums 3 and 1; the
  // negative array (0, 7): sums 3 and 1. Four columns: two of 2 bits, two of 1.
  program::AdcNeed need = tinyNeed("differential");
  EXPECT_EQ(need.maxSum, 3);
  EXPECT_EQ(need.maxBits, 2);
  EXPECT_EQ(need.bits, (Histogram{{1, 2}, {2, 2}}));
}

TEST(AdcNeed, Json) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::json::OStream json(os);
  program::writeAdcNeedJson(json, tinyNeed("offset"));
  os.flush();
  EXPECT_EQ(text, R"({"max":3,"max_sum":4,"histogram":{"2":1,"3":1}})");
}

} // namespace
