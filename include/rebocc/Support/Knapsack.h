//===- Knapsack.h - spending a budget on latency and energy ------*- C++ -*-===//
//
// The multiple-choice knapsack behind circulant-duplicate-weights' chip
// budget: every item (a layer) takes at most one of its options (a larger
// duplication), each costing whole units of a budget (IMAs) and saving some
// latency and some energy. Exact for a weighted sum of the two savings, and
// for the product of the remaining totals (the energy-delay product). No MLIR
// dependency.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_KNAPSACK_H
#define REBOCC_SUPPORT_KNAPSACK_H

#include <cstdint>
#include <vector>

namespace rebocc::support {

/// One option of one item: the budget units it takes on top of the item as
/// it is (>= 0), and what it saves against the item as it is (either may be
/// negative: an option may cost time or energy).
struct KnapsackOption {
  int64_t cost = 0;
  double latencySaved = 0, energySaved = 0;
};

/// Each item's options; staying as it is (no cost, no saving) is implicit.
using KnapsackItems = std::vector<std::vector<KnapsackOption>>;

/// One option per item (an index into its options, -1: stays) and the sums.
struct KnapsackPlan {
  std::vector<int> picks;
  int64_t cost = 0;
  double latencySaved = 0, energySaved = 0;
};

/// The plan with the largest weightL * latencySaved + weightE * energySaved
/// (weights >= 0, not both 0) whose cost is at most `budget`, exact, by
/// dynamic programming over the budget units: O(options * budget). Among
/// plans within a relative 1e-12 of the best, the cheapest. An option that
/// does not save anything of the weighted sum is never taken.
KnapsackPlan bestWeightedPlan(const KnapsackItems &items, int64_t budget,
                              double weightL, double weightE);

/// The plan with the smallest product (baseLatency - latencySaved) *
/// (baseEnergy - energySaved) within `budget`, exact (the bases are the
/// totals with every item as it is; both, and both remainders, positive).
/// Among plans within a relative 1e-12 of the best, the cheapest.
///
/// The product is not a sum over items, so no single knapsack finds it. But
/// it is quasi-concave on positive values (its square root, the geometric
/// mean, is concave), so over the finite set of plans within budget it is
/// smallest at a vertex of their convex hull in the (latency, energy) plane;
/// increasing in both, at a vertex of the hull's lower left side. Every such
/// vertex is the best plan for some weighting of latency and energy, which
/// bestWeightedPlan finds exactly. The vertices are enumerated by dichotomic
/// search (Aneja and Nair, 1979): start from the fastest and the most frugal
/// plan; between two neighbouring vertices, solve the knapsack weighted by
/// the normal of the segment joining them: a plan strictly below the segment
/// is a new vertex (search both halves), none means the segment is an edge of
/// the hull. That takes two knapsacks per vertex.
KnapsackPlan bestProductPlan(const KnapsackItems &items, int64_t budget,
                             double baseLatency, double baseEnergy);

} // namespace rebocc::support

#endif // REBOCC_SUPPORT_KNAPSACK_H
