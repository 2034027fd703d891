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

#include <vector>

namespace rebocc::model {

int64_t poweredTiles(const CostReport &report, const HardwareDesc &hw,
                     const CostOptions &options) {
  if (!options.gateIdleTiles)
    return report.chips * hw.tilesPerChip;
  return report.tilesUsed;
}

namespace {

/// Power-gated: a layer's IMAs leak while the layer is busy, as PUMAsim
/// counts leakage over each IMA's active cycles (src/hw_stats.py); copies of
/// the layer leak on the IMAs they occupy (activeImas: copies of a layer
/// smaller than an IMA share IMAs) while the layer is busy. Tiles leak
/// while any of their layers is busy: in the intra-layer pipeline layers run
/// one after another, so that is the sum of their busy times; in the
/// inter-layer pipeline they all run at once and every used tile (holding
/// the buffers between stages) leaks for the whole run.
void chargeGated(const HardwareDesc &hw, const EventCosts &c,
                 double inferences, CostReport &report) {
  // A reprogrammed model runs its loads one after another (the intra-layer
  // formulas, whatever the pipeline option).
  const bool inter =
      report.pipeline == PipelineMode::InterLayer && !report.reprogrammed;
  std::vector<double> busyS;
  double busyTotal = 0;
  for (const LayerCost &lc : report.layers) {
    busyS.push_back((inter ? lc.stageS : lc.latencyS) * inferences);
    busyTotal += busyS.back();
  }
  EnergyBreakdown interTilesJ = c.tileStaticMw.scaled(
      1e-3 * static_cast<double>(report.tilesUsed) * report.runS);
  // The VFUs leak with their tiles: in the inter-layer pipeline for the
  // whole run, else while their layer runs on them.
  interTilesJ.digital += 1e-3 * static_cast<double>(report.vfuTiles) *
                         hw.vfuLeakPowerMw * report.runS;
  EnergyBreakdown total;
  for (size_t i = 0; i < report.layers.size(); ++i) {
    LayerCost &lc = report.layers[i];
    // adc_bits = auto: the layer's IMAs leak at its ADCs' resolution.
    const EnergyBreakdown imaStaticMw =
        lc.adcBits > 0 && lc.adcBits != c.adcBits
            ? deriveEventCosts(hw, lc.adcBits).imaStaticMw
            : c.imaStaticMw;
    lc.staticJ = imaStaticMw.scaled(
        1e-3 * static_cast<double>(lc.activeImas) * busyS[i]);
    if (!inter) {
      lc.staticJ += c.tileStaticMw.scaled(
          1e-3 * static_cast<double>(lc.tiles) * busyS[i]);
      if (lc.vfu)
        lc.staticJ.digital += 1e-3 * static_cast<double>(lc.tiles) *
                              hw.vfuLeakPowerMw * busyS[i];
    }
    else if (busyTotal > 0)
      lc.staticJ += interTilesJ.scaled(busyS[i] / busyTotal);
    total += lc.staticJ;
  }
  if (inter && busyTotal <= 0)
    total += interTilesJ;
  report.staticJ = total;
}

/// Not gated: every powered tile leaks for the whole run, shared out to the
/// layers by their latency.
void chargeWholeRun(const HardwareDesc &hw, const EventCosts &c,
                    int64_t tilesPowered, CostReport &report) {
  EnergyBreakdown powerMw = c.imaStaticMw.scaled(
      static_cast<double>(tilesPowered) * hw.imasPerTile);
  // adc_bits = auto: every provisioned IMA (all are powered) leaks at its
  // ADCs' resolution.
  if (!report.adcImasByBits.empty()) {
    powerMw = EnergyBreakdown();
    for (const auto &[bits, imas] : report.adcImasByBits)
      powerMw += deriveEventCosts(hw, bits).imaStaticMw.scaled(
          static_cast<double>(imas));
  }
  powerMw += c.tileStaticMw.scaled(static_cast<double>(tilesPowered));
  powerMw.digital += static_cast<double>(report.vfuTiles) * hw.vfuLeakPowerMw;
  const EnergyBreakdown runJ = powerMw.scaled(1e-3 * report.runS);
  double layersLatency = 0;
  for (const LayerCost &lc : report.layers)
    layersLatency += lc.latencyS;
  // The run's figure is the sum of the layers' shares, as chargeGated's,
  // so that it equals that sum in every bit (docs/Report.md).
  EnergyBreakdown total;
  for (LayerCost &lc : report.layers) {
    double share = layersLatency > 0 ? lc.latencyS / layersLatency
                                     : 1.0 / report.layers.size();
    lc.staticJ = runJ.scaled(share);
    total += lc.staticJ;
  }
  report.staticJ = report.layers.empty() ? runJ : total;
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
