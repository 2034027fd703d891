//===- NoiseTest.cpp - The batched normal quantiles -----------------------===//
//
// lib/Sim/Noise.cpp evaluates normalQuantile for many arguments at once, its
// central branch vectorized and its tails gathered; the noisy reads rely on
// it giving normalQuantile's values bit for bit (docs/Accuracy.md, section
// 4, and test/Sim/device-noise.test, which checks normalQuantile itself
// against Python's statistics.NormalDist).
//
//===----------------------------------------------------------------------===//

#include "../lib/Sim/Noise.h"
#include "../lib/Sim/NoisyCodes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

using namespace rebocc::sim::noise;

namespace {

uint64_t bits(double x) {
  uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

TEST(NoiseTest, BatchedQuantilesEqualScalarOnesBitForBit) {
  std::vector<double> p;
  for (uint64_t i = 0; i < 100000; ++i)
    p.push_back(uniform(hash({7, kRead, i})));
  // The branch boundaries (|p - 0.5| = 0.425, r = 5) and the extremes.
  for (double b : {0.075, 0.925, 0.5, 0.0, 1.0})
    for (double d = -4; d <= 4; ++d) {
      double x = b;
      for (int k = 0; k < std::fabs(d); ++k)
        x = std::nextafter(x, d < 0 ? 0.0 : 1.0);
      if (x > 0 && x < 1)
        p.push_back(x);
    }
  p.push_back(std::exp(-25.0)); // r = 5 exactly at the tail switch
  p.push_back(0.5 * 0x1.0p-53); // uniform()'s smallest value
  std::vector<double> z(p.size());
  normalQuantiles(p.data(), z.data(), static_cast<int64_t>(p.size()));
  int64_t tails = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    ASSERT_EQ(bits(z[i]), bits(normalQuantile(p[i]))) << "p = " << p[i];
    tails += std::fabs(p[i] - 0.5) > 0.425;
  }
  EXPECT_GT(tails, 10000); // both passes ran
}

TEST(NoiseTest, BatchedQuantilesAreTheNormalQuantiles) {
  // Phi^-1 to 16 digits (Wichura's AS 241 is accurate to about 1e-16):
  // 0.975 -> 1.9599639845400536, 0.3 -> -0.5244005127080407,
  // 1e-10 -> -6.361340902404056 (the r > 5 tail).
  const double p[] = {0.975, 0.3, 1e-10};
  const double want[] = {1.9599639845400536, -0.5244005127080407,
                         -6.361340902404056};
  double z[3];
  normalQuantiles(p, z, 3);
  for (int i = 0; i < 3; ++i)
    EXPECT_NEAR(z[i], want[i], 1e-14 * std::fabs(want[i]));
}

double fromBits(uint64_t b) {
  double x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

// The noisy reads take a code from the tabulated bounds of the normal when
// both bounds give it (lib/Sim/NoisyReads.cpp); that is exact only if every
// normalQuantile(p) lies within the bounds of p's bucket.
TEST(NoiseTest, BracketsHoldTheQuantileOfEveryArgument) {
  const double *edge = bracketEdges();
  // The buckets of r = min(p, 1 - p) span uniform()'s range: its smallest
  // value is bucket 0, the largest r below 1/2 the last bucket; their edges
  // rise to normalQuantile(1/2) = 0.
  EXPECT_EQ(bracketIndex(0x1.0p-54), 0u);
  EXPECT_EQ(bracketIndex(std::nextafter(0.5, 0.0)), uint64_t(kBrackets - 1));
  EXPECT_EQ(edge[kBrackets], 0.0);
  // Phi^-1(2^-54) = -8.29236107581359553823 (mpmath, 40 digits).
  EXPECT_NEAR(edge[0], -8.2923610758135955, 1e-14 * 8.3);
  for (int64_t k = 0; k < kBrackets; ++k)
    ASSERT_LT(edge[k], edge[k + 1]) << "bucket " << k;

  // Arguments: every bucket's lowest and highest doubles and a few ulps
  // around them, its midpoint, and a million draws of uniform().
  std::vector<double> r;
  for (int64_t k = 0; k < kBrackets; ++k) {
    const uint64_t lo = (kBracketFirst + uint64_t(k)) << (52 - kBracketBits);
    const uint64_t hi = lo + (uint64_t(1) << (52 - kBracketBits));
    for (uint64_t d = 0; d < 3; ++d) {
      r.push_back(fromBits(lo + d));
      r.push_back(fromBits(hi - 1 - d));
    }
    r.push_back(fromBits(lo + (hi - lo) / 2));
  }
  for (uint64_t i = 0; i < 1000000; ++i) {
    const double p = uniform(hash({11, kRead, i}));
    r.push_back(p < 0.5 ? p : 1.0 - p);
  }
  double worst = 0; // how far a quantile falls outside its unwidened bucket
  for (double x : r) {
    const uint64_t k = bracketIndex(x);
    ASSERT_LT(k, uint64_t(kBrackets)) << "r = " << x;
    const double z = normalQuantile(x);
    worst = std::max({worst, edge[k] - z, z - edge[k + 1]});
    ASSERT_GE(z, edge[k] - kBracketMargin) << "r = " << x;
    ASSERT_LE(z, edge[k + 1] + kBracketMargin) << "r = " << x;
    // p = 1 - r takes the negated bounds: normalQuantile is odd where 1 - r
    // is exact, as it is for every r of a draw p > 1/2.
    if (1.0 - (1.0 - x) == x)
      ASSERT_EQ(bits(normalQuantile(1.0 - x)), bits(-z)) << "r = " << x;
  }
  // AS 241 departs from a monotone function by rounding only: the margin
  // covers it many times over.
  EXPECT_LT(worst, 1e-14);
}

// The noisy reads' codes from single-precision sums (NoisyCodes.h): every code
// the float bounds decide is the code of the double sums, and the reads they
// do not decide are reported. The sums are built here, in double row by row
// and in float in the opposite order, from conductances of 2-bit cells with
// 5 % variation over 128 rows; read noise of 0.3 steps makes both decided
// and undecided codes.
TEST(NoisyCodes, FloatBoundsDecideTheDoubleCodes) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
  if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512dq"))
    GTEST_SKIP() << "AVX-512 only";
#else
  GTEST_SKIP() << "AVX-512 only";
#endif
  constexpr int64_t kRows = 128, kReads = 4000, kLanes = 8;
  std::vector<float> g(kRows * kLanes);
  for (int64_t i = 0; i < kRows * kLanes; ++i)
    g[i] = static_cast<float>(
        double(hash({5, uint64_t(i)}) % 4) *
        (1.0 + 0.05 * normal(hash({6, uint64_t(i)}))));
  std::vector<double> exact(kReads * 2 * kLanes, 0.0);
  std::vector<float> approx(kReads * 2 * kLanes, 0.0f);
  std::vector<uint64_t> read(kReads), key(kLanes);
  for (int64_t k = 0; k < kLanes; ++k)
    key[k] = hash({7, uint64_t(k)});
  for (int64_t i = 0; i < kReads; ++i) {
    read[i] = uint64_t(i);
    const uint64_t driven[2] = {hash({8, uint64_t(i)}), hash({9, uint64_t(i)})};
    for (int64_t k = 0; k < kLanes; ++k) {
      double *e = &exact[i * 2 * kLanes];
      float *a = &approx[i * 2 * kLanes];
      for (int64_t r = 0; r < kRows; ++r)
        if ((driven[r / 64] >> (r % 64)) & 1) {
          const double G = g[r * kLanes + k];
          e[k] += G;
          e[kLanes + k] += G * G;
        }
      for (int64_t r = kRows - 1; r >= 0; --r)
        if ((driven[r / 64] >> (r % 64)) & 1) {
          const float G = g[r * kLanes + k];
          a[k] += G;
          a[kLanes + k] += G * G;
        }
    }
  }
  const double readSigma = 0.3 / std::sqrt(128 * 9 / 2.0), step = 1;
  std::vector<int32_t> want(kReads * kLanes), got(kReads * kLanes, -1);
  rebocc::sim::columnCodes(key.data(), read.data(), exact.data(), kReads,
                           kLanes, 2 * kLanes, readSigma, step, 255,
                           want.data());
  std::vector<int64_t> redo;
  rebocc::sim::boundedColumnCodes(key.data(), read.data(), approx.data(),
                                  kReads, kRows, readSigma, step, 255,
                                  got.data(), redo);
  std::vector<uint8_t> undecided(kReads, 0);
  for (int64_t i : redo)
    undecided[i] = 1;
  for (int64_t i = 0; i < kReads; ++i)
    for (int64_t k = 0; !undecided[i] && k < kLanes; ++k)
      ASSERT_EQ(got[i * kLanes + k], want[i * kLanes + k])
          << "read " << i << " lane " << k;
  // Both kinds occur, and the bounds decide most reads.
  EXPECT_GT(redo.size(), 0u);
  EXPECT_LT(redo.size(), size_t(kReads / 10));

  // The same reads through subsetTableColumnCodes, which forms the float
  // sums itself from 4-row and from 8-row subset tables (in other orders):
  // every decided code is the double one, and it decides about as many reads.
  std::vector<float> cell(kRows * 2 * kLanes);
  for (int64_t r = 0; r < kRows; ++r)
    for (int64_t k = 0; k < kLanes; ++k) {
      const float G = g[r * kLanes + k];
      cell[r * 2 * kLanes + k] = G;
      cell[r * 2 * kLanes + kLanes + k] = G * G;
    }
  for (int64_t bits : {4, 8}) {
    const int64_t groups = kRows / bits, subsets = int64_t(1) << bits;
    std::vector<uint16_t> entry(kReads * groups);
    for (int64_t i = 0; i < kReads; ++i) {
      const uint64_t driven[2] = {hash({8, uint64_t(i)}),
                                  hash({9, uint64_t(i)})};
      for (int64_t q = 0; q < groups; ++q)
        entry[i * groups + q] = static_cast<uint16_t>(
            q * subsets +
            ((driven[q * bits / 64] >> (q * bits % 64)) & (subsets - 1)));
    }
    std::vector<float> table(groups * subsets * 2 * kLanes);
    std::vector<int32_t> quad(kReads * kLanes, -1);
    std::vector<int64_t> quadRedo;
    rebocc::sim::subsetTableColumnCodes(
        cell.data(), kRows, entry.data(), groups, bits, kReads, table.data(),
        key.data(), read.data(), readSigma, step, 255, quad.data(), quadRedo);
    std::fill(undecided.begin(), undecided.end(), 0);
    for (int64_t i : quadRedo)
      undecided[i] = 1;
    for (int64_t i = 0; i < kReads; ++i)
      for (int64_t k = 0; !undecided[i] && k < kLanes; ++k)
        ASSERT_EQ(quad[i * kLanes + k], want[i * kLanes + k])
            << bits << "-row groups, read " << i << " lane " << k;
    EXPECT_GT(quadRedo.size(), 0u);
    EXPECT_LT(quadRedo.size(), size_t(kReads / 10));
  }
}

} // namespace
