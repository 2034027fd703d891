//===- Replication.cpp - spare IMAs spent on copies of layers -------------===//
//
// A chip of fixed size runs a model on part of its IMAs; the rest can hold
// copies of layers that work on different input vectors (output positions
// of a convolution, rows of a batch) at once. ISAAC balances its inter-layer
// pipeline this way; the intra-layer pipeline spends them where they save
// the most run time (docs/CostModel.md, "Replication"). Copies change no
// event count, only the resources the events are spread over.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CostStages.h"

#include <algorithm>
#include <limits>
#include <queue>

namespace rebocc::model {

namespace {

/// Copies of layers that fit one IMA pack array by array: the next count
/// worth trying is the one that fills one more IMA.
int64_t nextReplicas(int64_t arrays, int64_t imas, int64_t r, int64_t cap,
                     const HardwareDesc &hw) {
  if (r >= cap)
    return r;
  if (arrays >= hw.xbarsPerIma || arrays <= 0)
    return r + 1;
  // Fill the IMAs the copies already use, then one more.
  int64_t used = replicaImas(arrays, imas, r, hw);
  int64_t fill = used * hw.xbarsPerIma / arrays;
  if (fill <= r)
    fill = (used + 1) * hw.xbarsPerIma / arrays;
  return std::min(cap, std::max(r + 1, fill));
}

/// Greedy on the run time saved per extra IMA: the intra-layer pipeline
/// runs layers one after another, so the run is the sum of their times.
std::vector<int64_t> greedy(const std::vector<int64_t> &caps,
                            const std::vector<int64_t> &arrays,
                            const Placement &placement, const HardwareDesc &hw,
                            const ReplicaTimer &timeOf, int64_t spare) {
  const size_t L = caps.size();
  std::vector<int64_t> r(L, 1);
  std::vector<double> now(L);
  struct Step {
    double gainPerIma;
    size_t layer;
    int64_t replicas;
    bool operator<(const Step &o) const { return gainPerIma < o.gainPerIma; }
  };
  std::priority_queue<Step> steps;
  auto propose = [&](size_t l) {
    const int64_t imas = placement.layers[l].imas;
    int64_t next = nextReplicas(arrays[l], imas, r[l], caps[l], hw);
    if (next == r[l])
      return;
    double cost = static_cast<double>(replicaImas(arrays[l], imas, next, hw) -
                                      replicaImas(arrays[l], imas, r[l], hw));
    double gain = now[l] - timeOf(l, next).total;
    if (gain <= 0)
      return;
    // Copies that fit in the IMAs a layer already has cost nothing.
    steps.push({cost > 0 ? gain / cost
                         : std::numeric_limits<double>::infinity(),
                l, next});
  };
  for (size_t l = 0; l < L; ++l) {
    now[l] = timeOf(l, 1).total;
    propose(l);
  }
  while (!steps.empty()) {
    Step s = steps.top();
    steps.pop();
    const int64_t imas = placement.layers[s.layer].imas;
    int64_t cost = replicaImas(arrays[s.layer], imas, s.replicas, hw) -
                   replicaImas(arrays[s.layer], imas, r[s.layer], hw);
    if (cost > spare)
      continue; // a smaller step of another layer may still fit
    spare -= cost;
    r[s.layer] = s.replicas;
    now[s.layer] = timeOf(s.layer, s.replicas).total;
    propose(s.layer);
  }
  return r;
}

/// The fewest copies (at most `cap`) whose stage takes at most S, or -1.
int64_t copiesFor(double S, size_t l, int64_t cap, const ReplicaTimer &timeOf) {
  if (timeOf(l, 1).stage <= S)
    return 1;
  if (timeOf(l, cap).stage > S)
    return -1;
  int64_t lo = 1, hi = cap; // stage(lo) > S >= stage(hi)
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    (timeOf(l, mid).stage <= S ? hi : lo) = mid;
  }
  return hi;
}

/// ISAAC's balancing: bisection on the slowest stage time S; every layer is
/// copied until its stage takes at most S, within the spare IMAs.
std::vector<int64_t> balance(const std::vector<int64_t> &caps,
                             const std::vector<int64_t> &arrays,
                             const Placement &placement, const HardwareDesc &hw,
                             const ReplicaTimer &timeOf, int64_t spare,
                             double fixedStageS) {
  const size_t L = caps.size();
  auto plan = [&](double S, std::vector<int64_t> &r) {
    r.assign(L, 1);
    int64_t extra = 0;
    for (size_t l = 0; l < L; ++l) {
      r[l] = copiesFor(S, l, caps[l], timeOf);
      if (r[l] < 0)
        return false;
      const int64_t imas = placement.layers[l].imas;
      extra += replicaImas(arrays[l], imas, r[l], hw) - imas;
      if (extra > spare)
        return false;
    }
    return true;
  };
  double lo = fixedStageS, hi = fixedStageS;
  for (size_t l = 0; l < L; ++l)
    hi = std::max(hi, timeOf(l, 1).stage);
  std::vector<int64_t> best(L, 1), r;
  if (hi <= lo)
    return best;
  for (int it = 0; it < 100 && hi - lo > 1e-6 * hi; ++it) {
    double mid = 0.5 * (lo + hi);
    if (plan(mid, r))
      hi = mid, best = r;
    else
      lo = mid;
  }
  if (plan(hi, r))
    best = r;
  return best;
}

} // namespace

std::vector<int64_t> chooseReplication(const std::vector<int64_t> &caps,
                                       const std::vector<int64_t> &arrays,
                                       const Placement &placement,
                                       const HardwareDesc &hw,
                                       const CostOptions &options,
                                       const ReplicaTimer &timeOf,
                                       double fixedStageS) {
  std::vector<int64_t> ones(caps.size(), 1);
  if (!options.replicate || placement.reprogram)
    return ones;
  const int64_t imasPerChip = hw.tilesPerChip * hw.imasPerTile;
  const int64_t spare = placement.chips * imasPerChip - placement.imasNeeded;
  if (spare <= 0)
    return ones;
  if (options.pipeline == PipelineMode::InterLayer)
    return balance(caps, arrays, placement, hw, timeOf, spare, fixedStageS);
  return greedy(caps, arrays, placement, hw, timeOf, spare);
}

} // namespace rebocc::model
