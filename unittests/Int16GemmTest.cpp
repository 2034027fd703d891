//===- Int16GemmTest.cpp - the VNNI GEMM against a naive int64 loop -------===//
//
// int16gemm::multiply against sums of products in int64 (an independent
// computation), over edge shapes (rows not a multiple of the tile, odd
// depths, columns around the 16- and 32-column panels, depths around the 128-pair
// block), negative codes, and the codes that drive an int32 lane to the
// bound fits() allows.
//
//===----------------------------------------------------------------------===//

#include "../lib/Sim/CrossbarSchedule.h"
#include "../lib/Sim/Int16Gemm.h"

#include <gtest/gtest.h>

#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace rebocc::sim;

namespace {

/// Runs the kernel on rows x depth codes `a` and depth x n codes `b` and
/// compares every output with the int64 sum.
void expectExact(int64_t rows, int64_t depth, int64_t n,
                 const std::vector<int64_t> &a, const std::vector<int16_t> &b) {
  std::vector<double> ad(a.begin(), a.end());
  int16gemm::PackedWeights A;
  int16gemm::packWeights(ad.data(), rows, depth, depth, A);
  std::vector<int16_t> packed(int16gemm::packedColumnsSize(depth, n));
  int16gemm::packColumns(b.data(), n, depth, n, packed.data());
  const int64_t ldc = int16gemm::paddedCols(n) + 8; // a wider row is allowed
  std::vector<double> c(int16gemm::paddedRows(rows) * ldc, -1.0);
  int16gemm::multiply(A, packed.data(), n, c.data(), ldc);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < n; ++j) {
      int64_t sum = 0;
      for (int64_t k = 0; k < depth; ++k)
        sum += a[r * depth + k] * b[k * n + j];
      ASSERT_EQ(c[r * ldc + j], static_cast<double>(sum))
          << rows << "x" << depth << "x" << n << " at " << r << "," << j;
      if (sum == 0)
        ASSERT_FALSE(std::signbit(c[r * ldc + j])) << "a -0.0 output";
    }
}

TEST(Int16Gemm, Bound) {
  const int64_t max16 = INT16_MAX;
  // 128 pairs of 32767 * 255 = 2,139,029,760 <= 2^31 - 1.
  EXPECT_TRUE(int16gemm::fits(max16, max16));
  EXPECT_FALSE(int16gemm::fits(max16 + 1, max16));
  EXPECT_FALSE(int16gemm::fits(max16, max16 + 1));
  EXPECT_TRUE(int16gemm::fits(127, 127));
  EXPECT_EQ(int16gemm::pairsOf(0), 0);
  EXPECT_EQ(int16gemm::pairsOf(3), 2);
  EXPECT_EQ(int16gemm::paddedRows(5), 8);
  EXPECT_EQ(int16gemm::paddedCols(49), 64);
}

TEST(Int16Gemm, EdgeShapesAndNegativeCodes) {
  if (!int16gemm::available())
    GTEST_SKIP() << "no AVX-512 VNNI on this CPU";
  std::mt19937_64 rng(15);
  std::uniform_int_distribution<int64_t> code(-32767, 32767);
  for (int64_t rows : {1, 3, 4, 5, 9})
    for (int64_t depth : {0, 1, 2, 3, 255, 256, 257, 300})
      for (int64_t n : {1, 15, 16, 17, 31, 32, 33, 48, 49, 97}) {
        std::vector<int64_t> a(rows * depth);
        std::vector<int16_t> b(depth * n);
        for (auto &v : a)
          v = code(rng);
        for (auto &v : b)
          v = static_cast<int16_t>(code(rng));
        expectExact(rows, depth, n, a, b);
      }
}

TEST(Int16Gemm, LanesAtTheBound) {
  if (!int16gemm::available())
    GTEST_SKIP() << "no AVX-512 VNNI on this CPU";
  // 32767 = 127 * 256 + 255 and -1 = -1 * 256 + 255 have the largest low
  // byte; -32767 = -128 * 256 + 1 the most negative high byte. Every input
  // at +-32767 with one sign makes each 128-pair block's low lane reach
  // 2,139,029,760; 4608 terms (ResNet's 3x3x512) sum to about 2^42.
  for (int64_t w : {32767, -1, -32767, 255})
    for (int16_t x : {int16_t(32767), int16_t(-32767)}) {
      const int64_t rows = 4, depth = 4608, n = 48;
      std::vector<int64_t> a(rows * depth, w);
      std::vector<int16_t> b(depth * n, x);
      expectExact(rows, depth, n, a, b);
    }
}

TEST(Int16Gemm, ZeroSumIsPositiveZero) {
  if (!int16gemm::available())
    GTEST_SKIP() << "no AVX-512 VNNI on this CPU";
  // 3 * -5 + 5 * 3 = 0 and 0 * -7: +0.0, as the cells' integer sum.
  expectExact(2, 2, 16, {3, 5, 0, 0},
              std::vector<int16_t>{-5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5,
                                   -5, -5, -5, -5, -5, 3,  3,  3,  3,  3,  3,
                                   3,  3,  3,  3,  3,  3,  3,  3,  3,  3});
}

TEST(Int16Gemm, FinishRowIsUnfused) {
  if (!int16gemm::available())
    GTEST_SKIP() << "no AVX-512 VNNI on this CPU";
  // acc * ws * sx + bias as three roundings (this file is compiled without
  // FMA contraction), then to float; tails of 1 to 17 values, a zero sum
  // with a -0.0 bias (+0.0 out).
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int64_t> code(-(int64_t(1) << 40),
                                              int64_t(1) << 40);
  std::uniform_real_distribution<double> unit(0.5, 2.0);
  for (int64_t n = 1; n <= 17; ++n) {
    std::vector<double> acc(n);
    for (auto &a : acc)
      a = static_cast<double>(code(rng));
    acc[0] = 0.0;
    const double ws = unit(rng) * 1e-5, sx = unit(rng) * 1e-4;
    const float bias = n == 1 ? -0.0f : static_cast<float>(unit(rng) - 1.2);
    std::vector<float> out(n + 1, 42.0f);
    int16gemm::finishRow(acc.data(), n, ws, sx, bias, out.data());
    for (int64_t e = 0; e < n; ++e) {
      volatile double product = acc[e] * ws;
      volatile double scaled = product * sx;
      const float expected = static_cast<float>(scaled + bias);
      ASSERT_EQ(std::memcmp(&out[e], &expected, sizeof expected), 0)
          << "n " << n << " element " << e << ": " << out[e] << " vs "
          << expected;
    }
    EXPECT_EQ(out[n], 42.0f) << "wrote past the row";
  }
}

/// The int16 codes of quantizeInput (a multiply and a check, with AVX-512)
/// against round-half-away of x / s computed in long double, clamped.
void expectCodes(const std::vector<float> &x) {
  const double maxX = 32767;
  std::vector<int16_t> codes(x.size(), 7);
  double scale = -1;
  std::string error;
  ASSERT_TRUE(rebocc::sim::quantizeInput(x.data(), x.size(), maxX,
                                         codes.data(), scale, error))
      << error;
  long double maxAbs = 0;
  for (float v : x)
    maxAbs = std::max(maxAbs, std::fabs(static_cast<long double>(v)));
  ASSERT_EQ(scale, static_cast<double>(maxAbs) / maxX);
  for (size_t e = 0; e < x.size(); ++e) {
    // The double quotient (correctly rounded, as the reference path's),
    // rounded half away from zero by hand.
    const double q = maxAbs == 0 ? 0.0 : static_cast<double>(x[e]) / scale;
    long double r = std::floor(std::fabs(static_cast<long double>(q)) + 0.5L);
    r = std::min<long double>(r, maxX);
    const int64_t expected = static_cast<int64_t>(q < 0 ? -r : r);
    ASSERT_EQ(codes[e], expected) << "element " << e << " = " << x[e];
  }
}

TEST(QuantizeInt16, RandomScalesAndTails) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<float> value(-3.0f, 3.0f);
  for (size_t count : {size_t(1), size_t(7), size_t(8), size_t(9), size_t(17),
                       size_t(1000), size_t(4099)}) {
    std::vector<float> x(count);
    for (auto &v : x)
      v = value(rng);
    expectCodes(x);
  }
  expectCodes(std::vector<float>(13, 0.0f)); // all zero: codes 0
  expectCodes({1e-45f, -1e-45f, 0.0f});      // a subnormal maximum
}

TEST(QuantizeInt16, ExactTiesRoundAwayFromZero) {
  // max |x| = 32767 makes the scale 1: x = k + 0.5 are exact ties, which
  // round away from zero (2.5 -> 3, -2.5 -> -3); max |x| = 32767 / 4 makes
  // it 0.25, so x = (k + 0.5) / 4 are ties too.
  std::vector<float> x = {32767.0f, 0.5f,    -0.5f,    2.5f,     -2.5f,
                          1.5f,     32766.5f, -32766.5f, 100.49999f, 7.0f};
  expectCodes(x);
  std::vector<int16_t> codes(x.size());
  double scale;
  std::string error;
  ASSERT_TRUE(rebocc::sim::quantizeInput(x.data(), x.size(), 32767,
                                         codes.data(), scale, error));
  EXPECT_EQ(codes, (std::vector<int16_t>{32767, 1, -1, 3, -3, 2, 32767,
                                         -32767, 100, 7}));
  for (float &v : x)
    v /= 4;
  expectCodes(x);
}

TEST(QuantizeInt16, NonFiniteIsNamed) {
  std::vector<float> x(20, 1.0f);
  x[17] = std::numeric_limits<float>::infinity();
  std::vector<int16_t> codes(x.size());
  double scale;
  std::string error;
  EXPECT_FALSE(rebocc::sim::quantizeInput(x.data(), x.size(), 32767,
                                          codes.data(), scale, error));
  EXPECT_EQ(error,
            "input element 17 is not finite (fixed-point arithmetic)");
  x[17] = 1.0f;
  x[3] = std::nanf("");
  EXPECT_FALSE(rebocc::sim::quantizeInput(x.data(), x.size(), 32767,
                                          codes.data(), scale, error));
  EXPECT_EQ(error, "input element 3 is not finite (fixed-point arithmetic)");
}

/// A layer's own input_bits: the model's codes are driven as they are, with
/// scale 1 (the dynamic scale would be 200 / 255 and move every code), in
/// each code type; a value off the grid is an error, never clamped.
TEST(QuantizeInteger, CodesAsTheyAre) {
  const std::vector<float> x = {-128, 0, 5, 127, 200, -255, 1};
  std::vector<int16_t> c16(x.size());
  std::vector<double> cd(x.size());
  std::vector<int32_t> c32;
  double s16 = 0, sd = 0, s32 = 0;
  std::string error;
  ASSERT_TRUE(rebocc::sim::quantizeInput(x.data(), x.size(), 255, c16.data(),
                                         s16, error, true));
  ASSERT_TRUE(rebocc::sim::quantizeInput(x.data(), x.size(), 255, cd.data(),
                                         sd, error, true));
  ASSERT_TRUE(rebocc::sim::quantizeInput(x.data(), x.size(), 255, c32, s32,
                                         error, true));
  EXPECT_EQ(s16, 1.0);
  EXPECT_EQ(sd, 1.0);
  EXPECT_EQ(s32, 1.0);
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(c16[i], static_cast<int16_t>(x[i]));
    EXPECT_EQ(cd[i], x[i]);
    EXPECT_EQ(c32[i], static_cast<int32_t>(x[i]));
  }
  std::vector<float> off = {1, 2, 256};
  EXPECT_FALSE(rebocc::sim::quantizeInput(off.data(), off.size(), 255,
                                          c16.data(), s16, error, true));
  EXPECT_EQ(error, "input element 2 is 256, not an integer code within +-255 "
                   "(the layer's input_bits)");
  off = {0.5f, 2, 3};
  EXPECT_FALSE(rebocc::sim::quantizeInput(off.data(), off.size(), 255, c32,
                                          s32, error, true));
  EXPECT_EQ(error, "input element 0 is 0.5, not an integer code within +-255 "
                   "(the layer's input_bits)");
  off = {1, std::nanf("")};
  EXPECT_FALSE(rebocc::sim::quantizeInput(off.data(), off.size(), 255,
                                          cd.data(), sd, error, true));
  EXPECT_EQ(error, "input element 1 is nan, not an integer code within +-255 "
                   "(the layer's input_bits)");
}

} // namespace
