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

} // namespace
