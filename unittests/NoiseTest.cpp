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

} // namespace
