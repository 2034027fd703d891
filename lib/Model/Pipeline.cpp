//===- Pipeline.cpp - latency, throughput and run time of a model ---------===//
//
// Composes the layers' stage times into the run: one layer after another in
// ReBoc's intra-layer pipeline, or all layers resident and pipelined across
// layers as in ISAAC (docs/CostModel.md, "Pipelines"). Replicas are chosen
// before (Replication.cpp) and are in the stage times.
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

} // namespace

void composePipeline(const std::vector<LayerTime> &times,
                     const std::vector<double> &digitalS,
                     const std::vector<int64_t> &digitalOf,
                     const Placement &placement, const HardwareDesc &hw,
                     const CostOptions &options, CostReport &out) {
  const size_t L = times.size(), D = digitalS.size();
  const double N = static_cast<double>(options.inferences);
  const double tRead = hw.readCycleNs * 1e-9;
  const bool inter =
      options.pipeline == PipelineMode::InterLayer && !placement.reprogram;
  // The stage times already include the layers' replicas.
  double latency = 0, maxStage = 0;
  for (size_t l = 0; l < L; ++l) {
    LayerCost &lc = out.layers[l];
    const LayerTime &t = times[l];
    lc.stageS = t.coreS / N;
    lc.latencyS = inter ? (t.latencyCoreS + t.latencyFillS) / N
                        : (t.coreS + t.fillS) / N;
    lc.cycles =
        toCycles(inter ? lc.stageS * N : t.coreS + t.fillS, tRead);
    latency += lc.latencyS;
    maxStage = std::max(maxStage, lc.stageS);
  }
  for (size_t d = 0; d < D; ++d) {
    LayerCost &lc = out.layers[L + d];
    int64_t p = digitalOf[d];
    lc.replication = p >= 0 ? out.layers[p].replication : 1;
    lc.stageS = digitalS[d] / N;
    lc.latencyS = digitalS[d] / N;
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
