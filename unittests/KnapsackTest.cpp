//===- KnapsackTest.cpp - the chip budget's knapsack ----------------------===//
//
// bestWeightedPlan and bestProductPlan against enumerating every plan.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Support/Knapsack.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <random>

using namespace rebocc::support;

namespace {

/// Every plan within `budget`, as (cost, latency saved, energy saved).
template <typename Visit>
void enumeratePlans(const KnapsackItems &items, int64_t budget, Visit visit) {
  std::vector<int> picks(items.size(), -1);
  std::function<void(size_t, int64_t, double, double)> walk =
      [&](size_t i, int64_t cost, double latency, double energy) {
        if (cost > budget)
          return;
        if (i == items.size()) {
          visit(picks, cost, latency, energy);
          return;
        }
        picks[i] = -1;
        walk(i + 1, cost, latency, energy);
        for (size_t o = 0; o < items[i].size(); ++o) {
          picks[i] = static_cast<int>(o);
          const KnapsackOption &x = items[i][o];
          walk(i + 1, cost + x.cost, latency + x.latencySaved,
               energy + x.energySaved);
        }
        picks[i] = -1;
      };
  walk(0, 0, 0, 0);
}

/// Random items: costs 0..4, savings that may be negative in one of the two.
KnapsackItems randomItems(std::mt19937 &rng, size_t count) {
  std::uniform_int_distribution<int> options(0, 4), cost(0, 4);
  std::uniform_real_distribution<double> saving(-1.0, 10.0);
  KnapsackItems items(count);
  for (auto &item : items) {
    int n = options(rng);
    for (int o = 0; o < n; ++o)
      item.push_back({cost(rng), saving(rng), saving(rng)});
  }
  return items;
}

TEST(Knapsack, WeightedPlanIsTheBestSum) {
  // Two layers, three spare units: {a1} saves 5 in 2, {a2} 8 in 3, {b1} 4 in
  // 1: the best is a1 + b1 (9 in 3), not the single largest saving (a2).
  KnapsackItems items = {{{2, 5, 0}, {3, 8, 0}}, {{1, 4, 0}}};
  KnapsackPlan plan = bestWeightedPlan(items, 3, 1, 0);
  EXPECT_EQ(plan.picks, (std::vector<int>{0, 0}));
  EXPECT_EQ(plan.cost, 3);
  EXPECT_DOUBLE_EQ(plan.latencySaved, 9);
  // Energy weighs the other saving; an option saving nothing is not taken.
  items = {{{1, 5, -1}, {2, 6, 3}}, {{0, 0, 2}}};
  plan = bestWeightedPlan(items, 2, 0, 1);
  EXPECT_EQ(plan.picks, (std::vector<int>{1, 0}));
  EXPECT_DOUBLE_EQ(plan.energySaved, 5);
  plan = bestWeightedPlan(items, 2, 1, 0);
  EXPECT_EQ(plan.picks, (std::vector<int>{1, -1}));
  // Equal savings: the cheaper plan.
  items = {{{2, 4, 0}}, {{1, 4, 0}}};
  plan = bestWeightedPlan(items, 2, 1, 0);
  EXPECT_EQ(plan.picks, (std::vector<int>{-1, 0}));
  // No budget: nothing with a cost.
  plan = bestWeightedPlan(items, 0, 1, 0);
  EXPECT_EQ(plan.picks, (std::vector<int>{-1, -1}));
}

TEST(Knapsack, ProductPlanBalancesTheTwoSums) {
  // Base latency 10, energy 10. One item: a fast option (latency 2, energy
  // 10: product 20), a frugal one (10 x 2 = 20) and a balanced one (4 x 4 =
  // 16), which neither the latency nor the energy knapsack picks.
  KnapsackItems items = {{{1, 8, 0}, {1, 0, 8}, {1, 6, 6}}};
  KnapsackPlan plan = bestProductPlan(items, 1, 10, 10);
  EXPECT_EQ(plan.picks, (std::vector<int>{2}));
  // The product is of the sums, not a sum of products: a second item whose
  // latency dwarfs everything makes energy the lever.
  items = {{{0, 8, 0}, {0, 0, 8}}, {}};
  plan = bestProductPlan(items, 0, 1010, 10);
  EXPECT_EQ(plan.picks, (std::vector<int>{1, -1})); // 1010 x 2 < 1002 x 10
  plan = bestProductPlan(items, 0, 10, 1010);
  EXPECT_EQ(plan.picks, (std::vector<int>{0, -1}));
}

TEST(Knapsack, MatchesEnumerationOnRandomCases) {
  std::mt19937 rng(20240611);
  for (int trial = 0; trial < 300; ++trial) {
    KnapsackItems items = randomItems(rng, 1 + trial % 5);
    int64_t budget = trial % 9;
    // Bases large enough that every remainder stays positive.
    double baseL = 5 + trial % 60, baseE = 5 + (trial * 7) % 60;
    for (auto [wl, we] : {std::pair{1.0, 0.0}, {0.0, 1.0}, {0.3, 2.0}}) {
      double best = 0;
      enumeratePlans(items, budget,
                     [&](const std::vector<int> &, int64_t, double l,
                         double e) { best = std::max(best, wl * l + we * e); });
      KnapsackPlan plan = bestWeightedPlan(items, budget, wl, we);
      EXPECT_LE(plan.cost, budget);
      EXPECT_NEAR(wl * plan.latencySaved + we * plan.energySaved, best,
                  1e-9 * (1 + best))
          << "trial " << trial;
    }
    double bestProduct = std::numeric_limits<double>::infinity();
    enumeratePlans(items, budget,
                   [&](const std::vector<int> &, int64_t, double l, double e) {
                     bestProduct =
                         std::min(bestProduct, (baseL + 100 - l) *
                                                   (baseE + 100 - e));
                   });
    KnapsackPlan plan = bestProductPlan(items, budget, baseL + 100, baseE + 100);
    EXPECT_LE(plan.cost, budget);
    double product =
        (baseL + 100 - plan.latencySaved) * (baseE + 100 - plan.energySaved);
    EXPECT_NEAR(product, bestProduct, 1e-9 * bestProduct) << "trial " << trial;
  }
}

} // namespace
