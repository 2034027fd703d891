//===- Pipeline.cpp - latency, throughput and run time of a model ---------===//
//
// Composes the layers' stage times into the run: one layer after another in
// ReBoc's intra-layer pipeline, or all layers resident and pipelined across
// layers as in ISAAC, where spare IMAs replicate the slowest layers
// (docs/CostModel.md, "Pipelines").
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CostStages.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace rebocc::model {

namespace {

/// A time in read cycles; saturates instead of overflowing (estimateCost
/// rejects a run whose cycle count does not fit).
int64_t toCycles(double seconds, double tRead) {
  double cycles = std::ceil(seconds / tRead);
  return cycles < 9.0e18 ? static_cast<int64_t>(cycles) : INT64_MAX;
}

/// ISAAC's balancing: bisection on the slowest stage time S. Crossbar layer l
/// needs ceil(stage_l / S) copies (a digital layer runs on its producer's
/// copies), which must fit the spare IMAs of the provisioned chips. The
/// smallest feasible S is the best balance the chip allows.
std::vector<int64_t> replicate(const std::vector<LayerTime> &times,
                               const std::vector<double> &digitalS,
                               const std::vector<int64_t> &digitalOf,
                               const Placement &placement, double spareImas,
                               double N) {
  const size_t L = times.size(), D = digitalS.size();
  auto needs = [&](double S, std::vector<double> &need) {
    need.assign(L, 1.0);
    for (size_t l = 0; l < L; ++l) {
      double st = times[l].coreS / N;
      if (st > S)
        need[l] = std::ceil(st / S);
    }
    for (size_t d = 0; d < D; ++d) {
      double st = digitalS[d] / N;
      if (st <= S)
        continue;
      if (digitalOf[d] < 0)
        return false;
      need[digitalOf[d]] = std::max(need[digitalOf[d]], std::ceil(st / S));
    }
    double extra = 0;
    for (size_t l = 0; l < L; ++l) {
      double imas = static_cast<double>(placement.layers[l].imas);
      if (need[l] > 1 && imas == 0)
        return false;
      extra += (need[l] - 1) * imas;
    }
    return extra <= spareImas;
  };
  std::vector<int64_t> replication(L, 1);
  double hi = 0;
  for (const LayerTime &t : times)
    hi = std::max(hi, t.coreS / N);
  for (double s : digitalS)
    hi = std::max(hi, s / N);
  if (hi <= 0)
    return replication;
  double lo = 0;
  std::vector<double> need;
  for (int it = 0; it < 200 && hi - lo > 1e-9 * hi; ++it) {
    double mid = 0.5 * (lo + hi);
    if (needs(mid, need))
      hi = mid;
    else
      lo = mid;
  }
  if (needs(hi, need))
    for (size_t l = 0; l < L; ++l)
      replication[l] = static_cast<int64_t>(need[l]);
  return replication;
}

} // namespace

void composePipeline(const std::vector<LayerTime> &times,
                     const std::vector<double> &digitalS,
                     const std::vector<int64_t> &digitalOf,
                     const Placement &placement, const HardwareDesc &hw,
                     const CostOptions &options, CostReport &out) {
  const size_t L = times.size(), D = digitalS.size();
  const double N = static_cast<double>(options.inferences);
  const double tRead = hw.readCycleNs * 1e-9;
  const int64_t imasPerChip = hw.tilesPerChip * hw.imasPerTile;
  const bool inter =
      options.pipeline == PipelineMode::InterLayer && !placement.reprogram;
  std::vector<int64_t> replication(L, 1);
  if (inter)
    replication = replicate(
        times, digitalS, digitalOf, placement,
        static_cast<double>(placement.chips * imasPerChip - placement.imasNeeded),
        N);

  double latency = 0, maxStage = 0;
  for (size_t l = 0; l < L; ++l) {
    LayerCost &lc = out.layers[l];
    const LayerTime &t = times[l];
    lc.replication = replication[l];
    double r = static_cast<double>(replication[l]);
    lc.stageS = t.coreS / N / r;
    lc.latencyS = inter ? t.coreS / N / std::min(r, t.parallel) + t.fillS / N
                        : (t.coreS + t.fillS) / N;
    lc.cycles =
        toCycles(inter ? lc.stageS * N : t.coreS + t.fillS, tRead);
    latency += lc.latencyS;
    maxStage = std::max(maxStage, lc.stageS);
  }
  for (size_t d = 0; d < D; ++d) {
    LayerCost &lc = out.layers[L + d];
    int64_t p = digitalOf[d];
    double r = inter && p >= 0 ? static_cast<double>(replication[p]) : 1.0;
    lc.replication = static_cast<int64_t>(r);
    lc.stageS = digitalS[d] / N / r;
    lc.latencyS =
        inter ? digitalS[d] / N / std::min(r, p >= 0 ? times[p].parallel : 1.0)
              : digitalS[d] / N;
    lc.cycles = toCycles(lc.stageS * N, tRead);
    latency += lc.latencyS;
    maxStage = std::max(maxStage, lc.stageS);
  }
  // Host I/O is in series with one inference, and in the inter-layer
  // pipeline a stage of its own that replicas cannot shorten; reprogramming
  // is in series.
  latency += out.hostIoS + out.programmingS;
  maxStage = std::max(maxStage, out.hostIoS);
  out.latencyS = latency;
  if (inter && maxStage > 0) {
    out.throughputPerS = 1.0 / maxStage;
    out.runS = latency + (N - 1) * maxStage;
  } else {
    out.throughputPerS = latency > 0 ? 1.0 / latency : 0.0;
    out.runS = N * latency;
  }
  out.cycles = toCycles(out.runS, tRead);
}

} // namespace rebocc::model
