//===- Knapsack.cpp - spending a budget on latency and energy -------------===//

#include "rebocc/Support/Knapsack.h"

#include <cmath>
#include <utility>

namespace rebocc::support {

KnapsackPlan bestWeightedPlan(const KnapsackItems &items, int64_t budget,
                              double weightL, double weightE) {
  KnapsackPlan plan;
  plan.picks.assign(items.size(), -1);
  if (budget < 0)
    return plan;
  // value[j]: the largest weighted saving costing at most j over the items
  // so far; pick[i][j]: item i's option there (-1: stays).
  std::vector<double> value(budget + 1, 0.0);
  std::vector<std::vector<int>> pick(items.size(),
                                     std::vector<int>(budget + 1, -1));
  for (size_t i = 0; i < items.size(); ++i) {
    std::vector<double> next = value;
    for (size_t o = 0; o < items[i].size(); ++o) {
      const KnapsackOption &option = items[i][o];
      double saved =
          weightL * option.latencySaved + weightE * option.energySaved;
      if (!(saved > 0) || option.cost < 0 || option.cost > budget)
        continue;
      for (int64_t j = option.cost; j <= budget; ++j)
        if (value[j - option.cost] + saved > next[j]) {
          next[j] = value[j - option.cost] + saved;
          pick[i][j] = static_cast<int>(o);
        }
    }
    value = std::move(next);
  }
  int64_t j = 0;
  while (value[j] < value[budget] * (1 - 1e-12))
    ++j;
  for (size_t i = items.size(); i-- > 0;) {
    int o = pick[i][j];
    if (o < 0)
      continue;
    const KnapsackOption &option = items[i][o];
    plan.picks[i] = o;
    plan.cost += option.cost;
    plan.latencySaved += option.latencySaved;
    plan.energySaved += option.energySaved;
    j -= option.cost;
  }
  return plan;
}

KnapsackPlan bestProductPlan(const KnapsackItems &items, int64_t budget,
                             double baseLatency, double baseEnergy) {
  auto latency = [&](const KnapsackPlan &p) {
    return baseLatency - p.latencySaved;
  };
  auto energy = [&](const KnapsackPlan &p) {
    return baseEnergy - p.energySaved;
  };
  std::vector<KnapsackPlan> found = {bestWeightedPlan(items, budget, 1, 0),
                                     bestWeightedPlan(items, budget, 0, 1)};
  // Pairs of found vertices (the faster, the more frugal) to search between.
  std::vector<std::pair<size_t, size_t>> segments = {{0, 1}};
  while (!segments.empty()) {
    auto [fast, frugal] = segments.back();
    segments.pop_back();
    // The segment's normal: both plans weigh the same.
    double weightL = energy(found[fast]) - energy(found[frugal]);
    double weightE = latency(found[frugal]) - latency(found[fast]);
    if (!(weightL > 0) || !(weightE > 0))
      continue; // One end is at least as good in both: nothing in between.
    KnapsackPlan probe = bestWeightedPlan(items, budget, weightL, weightE);
    auto weighted = [&](const KnapsackPlan &p) {
      return weightL * latency(p) + weightE * energy(p);
    };
    double line = weighted(found[fast]);
    if (weighted(probe) >= line - 1e-12 * std::abs(line))
      continue; // The segment is an edge of the hull.
    bool known = false;
    for (const KnapsackPlan &p : found)
      known |= p.picks == probe.picks;
    if (known)
      continue; // Rounding only: every vertex is found once.
    found.push_back(std::move(probe));
    segments.push_back({fast, found.size() - 1});
    segments.push_back({found.size() - 1, frugal});
  }
  size_t best = 0;
  for (size_t i = 1; i < found.size(); ++i) {
    double product = latency(found[i]) * energy(found[i]);
    double bestProduct = latency(found[best]) * energy(found[best]);
    if (product < bestProduct * (1 - 1e-12) ||
        (product <= bestProduct * (1 + 1e-12) &&
         found[i].cost < found[best].cost))
      best = i;
  }
  return found[best];
}

} // namespace rebocc::support
