//===- StaticEnergy.cpp - leakage of the powered components ---------------===//
//
// By default units are power-gated when idle, as in PUMAsim: a layer's IMAs
// and tiles leak while the layer is busy (ReRAM weights are non-volatile, so
// gating loses nothing). With --no-gate-idle-tiles every tile of every
// provisioned chip leaks for the whole run (ISAAC has no power gating). The
// links, which connect the host, are always powered (docs/CostModel.md,
// "Static energy").
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CostStages.h"
#include "rebocc/Support/Circulant.h"

#include <algorithm>

namespace rebocc::model {

int64_t poweredTiles(const CostReport &report, const HardwareDesc &hw,
                     const CostOptions &options) {
  if (!options.gateIdleTiles)
    return report.chips * hw.tilesPerChip;
  return report.tilesUsed;
}

namespace {

/// Power-gated: a layer's IMAs and tiles leak while the layer is busy, as
/// PUMAsim counts leakage over each IMA's and tile's active cycles
/// (src/hw_stats.py). Its replicas share its work, so they add IMAs for
/// proportionally less time.
void chargeGated(const HardwareDesc &hw, const EventCosts &c,
                 double inferences, CostReport &report) {
  const bool inter = report.pipeline == PipelineMode::InterLayer;
  EnergyBreakdown total;
  for (LayerCost &lc : report.layers) {
    // Busy time of each copy; replicas pack into whole tiles.
    double busyS = (inter ? lc.stageS : lc.latencyS) * inferences;
    int64_t imas = lc.imas * lc.replication;
    int64_t tiles =
        std::max(lc.tiles, circulant::ceilDiv(imas, hw.imasPerTile));
    EnergyBreakdown powerMw = c.imaStaticMw.scaled(static_cast<double>(imas));
    powerMw += c.tileStaticMw.scaled(static_cast<double>(tiles));
    lc.staticJ = powerMw.scaled(1e-3 * busyS);
    total += lc.staticJ;
  }
  report.staticJ = total;
}

/// Not gated: every powered tile leaks for the whole run, shared out to the
/// layers by their latency.
void chargeWholeRun(const HardwareDesc &hw, const EventCosts &c,
                    int64_t tilesPowered, CostReport &report) {
  EnergyBreakdown powerMw = c.imaStaticMw.scaled(
      static_cast<double>(tilesPowered) * hw.imasPerTile);
  powerMw += c.tileStaticMw.scaled(static_cast<double>(tilesPowered));
  report.staticJ = powerMw.scaled(1e-3 * report.runS);
  double layersLatency = 0;
  for (const LayerCost &lc : report.layers)
    layersLatency += lc.latencyS;
  for (LayerCost &lc : report.layers) {
    double share = layersLatency > 0 ? lc.latencyS / layersLatency
                                     : 1.0 / report.layers.size();
    lc.staticJ = report.staticJ.scaled(share);
  }
}

} // namespace

void chargeStaticEnergy(const HardwareDesc &hw, const EventCosts &c,
                        const CostOptions &options, CostReport &report) {
  report.tilesPowered = poweredTiles(report, hw, options);
  if (options.gateIdleTiles)
    chargeGated(hw, c, static_cast<double>(options.inferences), report);
  else
    chargeWholeRun(hw, c, report.tilesPowered, report);
  // The links connect the host: powered for the whole run.
  EnergyBreakdown linksJ;
  if (hw.htLinks > 0)
    linksJ = c.linksStaticMw.scaled(1e-3 * report.chips * report.runS);
  report.staticJ += linksJ;
  report.staticPowerW =
      report.runS > 0 ? report.staticJ.total() / report.runS : 0.0;
}

} // namespace rebocc::model
