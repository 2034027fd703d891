//===- CostModel.cpp - cycles, energy, area of a mapped program -----------===//
//
// Every formula here is written out in docs/CostModel.md; the unit tests
// (unittests/CostModelTest.cpp) check each one on hand-computed cases.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CostModel.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rebocc::model {

using program::CrossbarLayer;
using program::Program;

double EnergyBreakdown::total() const {
  return adc + dac + crossbar + sampleHold + shiftAdd + inputRegister +
         outputRegister + rotator + buffer + bus + network + interChip + hostIo +
         digital + programming + staticEnergy;
}

const char *pipelineModeName(PipelineMode mode) {
  return mode == PipelineMode::IntraLayer ? "intra" : "inter";
}
const char *overflowPolicyName(OverflowPolicy policy) {
  return policy == OverflowPolicy::MultiChip ? "chips" : "reprogram";
}
bool parsePipelineMode(const std::string &text, PipelineMode &out) {
  if (text == "intra")
    return out = PipelineMode::IntraLayer, true;
  if (text == "inter")
    return out = PipelineMode::InterLayer, true;
  return false;
}
bool parseOverflowPolicy(const std::string &text, OverflowPolicy &out) {
  if (text == "chips")
    return out = OverflowPolicy::MultiChip, true;
  if (text == "reprogram")
    return out = OverflowPolicy::Reprogram, true;
  return false;
}

EventCosts deriveEventCosts(const HardwareDesc &hw) {
  EventCosts c;
  const double dyn = 1.0 - hw.adcStaticFraction;
  const double tRead = hw.readCycleNs;
  const double clock = hw.tileClockGhz; // cycles per ns
  // IMA. mW / (events per ns) = pJ per event.
  c.adcSamplesPerNsPerIma = hw.adcsPerIma * hw.adcSampleRateGsps;
  c.adcPerSample = dyn * hw.adcPowerMw / c.adcSamplesPerNsPerIma;
  c.dacPerDrive = dyn * hw.dacPowerMw / hw.dacsPerIma * tRead;
  c.xbarPerArrayCycle = dyn * hw.xbarPowerMw / hw.xbarsPerIma * tRead;
  c.sampleHoldPerSample =
      dyn * hw.sampleHoldPowerMw / hw.sampleHoldsPerIma * tRead;
  c.imaShiftAddPerSample =
      dyn * hw.imaShiftAddPowerMw / c.adcSamplesPerNsPerIma;
  c.imaOutputRegisterPerSample =
      dyn * hw.imaOutputRegisterPowerMw / c.adcSamplesPerNsPerIma;
  // The input register feeds every DAC one bit per read cycle.
  c.inputRegisterPerDrive =
      dyn * hw.inputRegisterPowerMw / (hw.dacsPerIma / tRead);
  // Tile: ports of width bits per tile clock.
  c.edramBytesPerNsPerTile = hw.edramWidthBits / 8.0 * clock;
  c.edramPerByte = dyn * hw.edramPowerMw / c.edramBytesPerNsPerTile;
  c.busBytesPerNsPerTile = hw.busWires / 8.0 * clock;
  c.busPerByte = dyn * hw.busPowerMw / c.busBytesPerNsPerTile;
  c.routerPortBytesPerNs = hw.routerFlitBits / 8.0 * clock;
  c.routerPerByteHop =
      dyn * hw.routerPowerMw / (hw.routerPorts * c.routerPortBytesPerNs);
  // Digital units are sized for the tile's full output rate: every array
  // yields floor(cols / cpw) values per input_bits read cycles.
  int64_t weightCols = std::max<int64_t>(1, hw.xbarCols / hw.cellsPerWeight());
  c.tileValuesPerNsFull = static_cast<double>(hw.imasPerTile) * hw.xbarsPerIma *
                          weightCols / (hw.inputBits * tRead);
  c.tileShiftAddPerAdd = dyn * hw.tileShiftAddPowerMw / c.tileValuesPerNsFull;
  c.tileOutputRegisterPerValue =
      dyn * hw.tileOutputRegisterPowerMw / c.tileValuesPerNsFull;
  c.sigmoidPerElement = dyn * hw.sigmoidPowerMw / c.tileValuesPerNsFull;
  c.maxPoolPerElement = dyn * hw.maxPoolPowerMw / c.tileValuesPerNsFull;
  // Chip links: W / (Gbit/s) = nJ/bit; x1000 = pJ/bit.
  c.htBytesPerNsPerLink = hw.htLinkGBps;
  c.htPerBit = hw.htLinks > 0 ? dyn * hw.htPowerW * 1e3 /
                                    (hw.htLinks * hw.htLinkGBps * 8.0)
                              : 0.0;
  c.rotatorPerWord = hw.rotatorEnergyPjPerWord;
  c.writePerCellPulse = hw.writeEnergyPjPerCell;
  // Full-activity power and area (Table I sums).
  c.imaPowerMw = hw.adcPowerMw + hw.dacPowerMw + hw.sampleHoldPowerMw +
                 hw.xbarPowerMw + hw.imaShiftAddPowerMw +
                 hw.inputRegisterPowerMw + hw.imaOutputRegisterPowerMw;
  c.imaAreaMm2 = hw.adcAreaMm2 + hw.dacAreaMm2 + hw.sampleHoldAreaMm2 +
                 hw.xbarAreaMm2 + hw.imaShiftAddAreaMm2 +
                 hw.inputRegisterAreaMm2 + hw.imaOutputRegisterAreaMm2;
  c.tilePowerMw = hw.imasPerTile * c.imaPowerMw + hw.edramPowerMw +
                  hw.busPowerMw + hw.routerPowerMw / hw.tilesPerRouter +
                  hw.sigmoidPowerMw + hw.tileShiftAddPowerMw +
                  hw.maxPoolPowerMw + hw.tileOutputRegisterPowerMw;
  c.tileAreaMm2 = hw.imasPerTile * c.imaAreaMm2 + hw.edramAreaMm2 +
                  hw.busAreaMm2 + hw.routerAreaMm2 / hw.tilesPerRouter +
                  hw.sigmoidAreaMm2 + hw.tileShiftAddAreaMm2 +
                  hw.maxPoolAreaMm2 + hw.tileOutputRegisterAreaMm2;
  c.chipPowerW = hw.tilesPerChip * c.tilePowerMw * 1e-3 +
                 (hw.htLinks > 0 ? hw.htPowerW : 0.0);
  c.chipAreaMm2 =
      hw.tilesPerChip * c.tileAreaMm2 + (hw.htLinks > 0 ? hw.htAreaMm2 : 0.0);
  return c;
}

PeakFigures peakFigures(const HardwareDesc &hw) {
  PeakFigures p;
  if (!validate(hw).empty())
    return p;
  EventCosts c = deriveEventCosts(hw);
  // ISAAC's accounting: a w-bit weight on cpw cells, an input_bits-bit input
  // streamed one bit per read cycle. One array completes rows x
  // floor(cols / cpw) w-bit MACs every input_bits read cycles, unless its
  // share of the IMA's ADCs cannot convert its columns that fast.
  double weightCols = static_cast<double>(hw.xbarCols / hw.cellsPerWeight());
  double xbarNs = hw.inputBits * hw.readCycleNs;
  double adcNs = hw.inputBits * static_cast<double>(hw.xbarCols) *
                 hw.xbarsPerIma / c.adcSamplesPerNsPerIma;
  double activationNs = std::max(xbarNs, adcNs);
  double arrays =
      static_cast<double>(hw.tilesPerChip) * hw.imasPerTile * hw.xbarsPerIma;
  double macsPerNs = arrays * hw.xbarRows * weightCols / activationNs;
  p.gopsPerS = 2.0 * macsPerNs; // ops per ns = GOPS
  p.powerW = c.chipPowerW;
  p.areaMm2 = c.chipAreaMm2;
  p.gopsPerW = p.gopsPerS / p.powerW;
  p.gopsPerSMm2 = p.gopsPerS / p.areaMm2;
  return p;
}

namespace {

int64_t ceilDiv(int64_t a, int64_t b) { return b > 0 ? (a + b - 1) / b : 0; }

void addInto(EnergyBreakdown &to, const EnergyBreakdown &e) {
  to.adc += e.adc;
  to.dac += e.dac;
  to.crossbar += e.crossbar;
  to.sampleHold += e.sampleHold;
  to.shiftAdd += e.shiftAdd;
  to.inputRegister += e.inputRegister;
  to.outputRegister += e.outputRegister;
  to.rotator += e.rotator;
  to.buffer += e.buffer;
  to.bus += e.bus;
  to.network += e.network;
  to.interChip += e.interChip;
  to.hostIo += e.hostIo;
  to.digital += e.digital;
  to.programming += e.programming;
  to.staticEnergy += e.staticEnergy;
}

/// Where a layer's IMAs sit: [start, start + imas) in IMA slots, global over
/// the chips (multi-chip) or local to the chip load (reprogram).
struct Placement {
  int64_t start = 0, imas = 0;
  int64_t group = 0; // reprogram: chip load holding the layer (first chunk)
};

/// Router mesh of one chip: routers in a square-ish grid, router r at
/// (r % width, r / width); tile t uses router t / tiles_per_router.
struct Mesh {
  int64_t tilesPerChip, tilesPerRouter, width;
  explicit Mesh(const HardwareDesc &hw)
      : tilesPerChip(hw.tilesPerChip), tilesPerRouter(hw.tilesPerRouter) {
    int64_t routers = ceilDiv(hw.tilesPerChip, hw.tilesPerRouter);
    width = 1;
    while (width * width < routers)
      ++width;
  }
  int64_t chipOf(int64_t tile) const { return tile / tilesPerChip; }
  /// Hops from router 0 of the tile's chip (the chip's link port) to it.
  int64_t fromPort(int64_t tile) const {
    int64_t r = (tile % tilesPerChip) / tilesPerRouter;
    return r % width + r / width;
  }
  /// Routers traversed from tile a to tile b (at least one).
  int64_t hops(int64_t a, int64_t b) const {
    if (chipOf(a) != chipOf(b))
      return fromPort(a) + fromPort(b) + 2;
    int64_t ra = (a % tilesPerChip) / tilesPerRouter;
    int64_t rb = (b % tilesPerChip) / tilesPerRouter;
    return std::abs(ra % width - rb % width) +
           std::abs(ra / width - rb / width) + 1;
  }
};

enum class DigitalUnit { None, Sigmoid, MaxPool, ShiftAdd };

DigitalUnit unitOf(const std::string &op, bool &countInputs) {
  countInputs = false;
  if (op == "relu" || op == "sigmoid" || op == "clip" || op == "leaky_relu" ||
      op == "hard_sigmoid" || op == "hard_swish" || op == "prelu")
    return DigitalUnit::Sigmoid;
  if (op == "softmax")
    return countInputs = true, DigitalUnit::Sigmoid;
  if (op == "max_pool" || op == "average_pool" || op == "global_average_pool")
    return countInputs = true, DigitalUnit::MaxPool;
  if (op == "add" || op == "mul")
    return DigitalUnit::ShiftAdd;
  return DigitalUnit::None; // layout only: reshape, flatten, concat, ...
}

/// Sets `layer.bottleneck` to the slowest stage and returns its time.
double slowest(LayerCost &layer) {
  double worst = 0;
  layer.bottleneck = layer.stages.empty() ? "-" : layer.stages[0].stage;
  for (const StageTime &s : layer.stages)
    if (s.seconds > worst) {
      worst = s.seconds;
      layer.bottleneck = s.stage;
    }
  return worst;
}

} // namespace

bool estimateCost(const Program &P, const RunReport &counts,
                  const HardwareDesc &hw, const CostOptions &options,
                  CostReport &out, std::string &error) {
  out = CostReport();
  std::string e = validate(hw);
  if (!e.empty()) {
    error = "hardware description: " + e;
    return false;
  }
  if (counts.layers.size() != P.layers.size()) {
    error = "the run report has " + std::to_string(counts.layers.size()) +
            " crossbar layers, the program " + std::to_string(P.layers.size());
    return false;
  }
  if (options.inferences < 1) {
    error = "the number of inferences must be at least 1";
    return false;
  }
  for (const DigitalReport &d : counts.digital)
    if (d.afterLayer >= static_cast<int64_t>(P.layers.size())) {
      error = "digital op '" + d.name + "' refers to a missing layer";
      return false;
    }

  const EventCosts c = deriveEventCosts(hw);
  const double pJ = 1e-12, ns = 1e-9;
  const double tRead = hw.readCycleNs * ns;
  const double wordBytes = hw.inputBits / 8.0;
  const double N = static_cast<double>(options.inferences);
  const int64_t imasPerChip = hw.tilesPerChip * hw.imasPerTile;
  const Mesh mesh(hw);

  out.pipeline = options.pipeline;
  out.overflow = options.overflow;
  out.inferences = options.inferences;
  out.imasPerChip = imasPerChip;
  out.crossbarsPerChip = imasPerChip * hw.xbarsPerIma;

  // --- Placement: every layer owns whole IMAs, packed in program order.
  const size_t L = P.layers.size();
  std::vector<Placement> place(L);
  std::vector<int64_t> chunks(L, 1);
  for (size_t l = 0; l < L; ++l) {
    int64_t arrays = static_cast<int64_t>(P.layers[l].arrays.size());
    place[l].imas = ceilDiv(arrays, hw.xbarsPerIma);
    out.crossbarsNeeded += arrays;
    out.imasNeeded += place[l].imas;
    if (place[l].imas > imasPerChip)
      chunks[l] = ceilDiv(place[l].imas, imasPerChip);
  }
  out.fits = out.imasNeeded <= imasPerChip;
  const bool reprogram =
      !out.fits && options.overflow == OverflowPolicy::Reprogram;
  out.reprogrammed = reprogram;
  // Chip loads for reprogramming: consecutive layers while they fit; a layer
  // larger than a chip takes `chunks` loads of its own.
  struct Load {
    int64_t imas = 0, arrays = 0, cells = 0, maxRows = 0;
  };
  std::vector<Load> loads;
  if (!reprogram) {
    out.chips = std::max<int64_t>(1, ceilDiv(out.imasNeeded, imasPerChip));
    int64_t at = 0;
    for (size_t l = 0; l < L; ++l) {
      place[l].start = at;
      at += place[l].imas;
    }
    if (out.chips > 1 && hw.htLinks == 0) {
      error = "the model needs " + std::to_string(out.chips) +
              " chips but ht_links = 0 (no inter-chip links)";
      return false;
    }
  } else {
    out.chips = 1;
    if (hw.htLinks == 0) {
      error = "reprogramming needs ht_links > 0 to bring the weights on chip";
      return false;
    }
    int64_t at = 0;
    for (size_t l = 0; l < L; ++l) {
      const CrossbarLayer &layer = P.layers[l];
      int64_t rows = 0;
      for (const program::Array &a : layer.arrays)
        rows = std::max(rows, a.rowCount);
      int64_t arrays = static_cast<int64_t>(layer.arrays.size());
      int64_t cells = counts.layers[l].occupiedCells;
      if (chunks[l] > 1 || loads.empty() || at + place[l].imas > imasPerChip) {
        at = 0;
        loads.push_back(Load());
      }
      if (chunks[l] > 1) {
        // Its own loads; the next layer starts a new one.
        for (int64_t k = 0; k < chunks[l]; ++k) {
          if (k)
            loads.push_back(Load());
          loads.back().imas = imasPerChip;
          loads.back().arrays = ceilDiv(arrays, chunks[l]);
          loads.back().cells = cells / chunks[l];
          loads.back().maxRows = rows;
        }
        place[l].group = static_cast<int64_t>(loads.size()) - chunks[l];
        place[l].start = 0;
        at = imasPerChip; // force a new load for the next layer
        continue;
      }
      place[l].group = static_cast<int64_t>(loads.size()) - 1;
      place[l].start = at;
      at += place[l].imas;
      loads.back().imas += place[l].imas;
      loads.back().arrays += arrays;
      loads.back().cells += cells;
      loads.back().maxRows = std::max(loads.back().maxRows, rows);
    }
    out.programLoads = static_cast<int64_t>(loads.size());
  }

  // --- Crossbar layers: events, stages, energy.
  std::vector<double> coreS(L, 0), fillS(L, 0), parallel(L, 1);
  std::vector<int64_t> firstTile(L, 0), lastTile(L, 0);
  for (size_t l = 0; l < L; ++l) {
    const CrossbarLayer &layer = P.layers[l];
    const LayerReport &r = counts.layers[l];
    LayerCost lc;
    lc.name = layer.name;
    lc.kind = "crossbar";
    lc.op = mappingLabel(layer);
    lc.blockSize = layer.k;
    lc.crossbars = static_cast<int64_t>(layer.arrays.size());
    lc.imas = place[l].imas;
    lc.adcs = lc.imas * hw.adcsPerIma;
    lc.chunks = chunks[l];
    lc.uOcc = r.uOcc;
    lc.uUniq = r.uUniq;
    if (layer.k > 1 && r.steps > 1)
      out.rotatorProvisioned = true;

    // Resources one chunk works with (all of them unless reprogrammed in
    // pieces).
    int64_t imasEff =
        reprogram ? ceilDiv(place[l].imas, chunks[l]) : place[l].imas;
    double arraysEff = static_cast<double>(lc.crossbars) / chunks[l];
    firstTile[l] = place[l].start / hw.imasPerTile;
    lastTile[l] =
        (place[l].start + std::max<int64_t>(imasEff, 1) - 1) / hw.imasPerTile;
    lc.tiles = lastTile[l] - firstTile[l] + 1;
    lc.chipsSpanned =
        reprogram ? 1
                  : mesh.chipOf(lastTile[l]) - mesh.chipOf(firstTile[l]) + 1;

    // Per-group geometry: rows driven per rotation step.
    int64_t groupRows = 0;
    for (const program::Array &a : layer.arrays)
      if (a.group == 0)
        groupRows += a.rowCount;
    double vectors = static_cast<double>(r.vectors);
    double steps = static_cast<double>(r.steps);
    double samples = static_cast<double>(r.adcConversions) * hw.inputBits;
    double drives = vectors * steps * groupRows * hw.inputBits;
    double arrayCycles = static_cast<double>(r.xbarActivations) * hw.inputBits;
    double rotatedWords = r.steps > 1 ? vectors * (steps - 1) * groupRows : 0.0;
    double outputs = vectors * layer.m;
    double reads = static_cast<double>(r.bufferReads) * chunks[l];
    double writes = static_cast<double>(r.bufferWrites);
    double inbound = writes * wordBytes;

    // Traffic from the producer (previous crossbar layer, or the chip's
    // port for the first) through the NoC and, across chips, the links.
    int64_t fromTile = l == 0 ? 0 : (firstTile[l - 1] + lastTile[l - 1]) / 2;
    int64_t toTile = (firstTile[l] + lastTile[l]) / 2;
    if (reprogram && l > 0 && place[l].group != place[l - 1].group)
      fromTile = 0; // stored in the eDRAM of the chip's first tile meanwhile
    double hops = static_cast<double>(mesh.hops(fromTile, toTile));
    double crossing = 0;
    if (!reprogram) {
      if (l > 0 && mesh.chipOf(fromTile) != mesh.chipOf(toTile))
        crossing += inbound;
      // A layer spread over several chips: its input goes to each, and its
      // partial sums come back once per extra chip.
      crossing += (lc.chipsSpanned - 1) * (inbound + outputs * wordBytes);
    }

    EnergyBreakdown &en = lc.energy;
    en.adc = samples * c.adcPerSample * pJ;
    en.dac = drives * c.dacPerDrive * pJ;
    en.crossbar = arrayCycles * c.xbarPerArrayCycle * pJ;
    en.sampleHold = samples * c.sampleHoldPerSample * pJ;
    en.shiftAdd = (samples * c.imaShiftAddPerSample +
                   r.reductionAdds * c.tileShiftAddPerAdd) *
                  pJ;
    en.inputRegister = drives * c.inputRegisterPerDrive * pJ;
    en.outputRegister = (samples * c.imaOutputRegisterPerSample +
                         outputs * c.tileOutputRegisterPerValue) *
                        pJ;
    en.rotator = rotatedWords * c.rotatorPerWord * pJ;
    en.buffer = (reads + writes) * wordBytes * c.edramPerByte * pJ;
    en.bus = (reads + outputs) * wordBytes * c.busPerByte * pJ;
    en.network = inbound * hops * c.routerPerByteHop * pJ;
    en.interChip = crossing * 8.0 * c.htPerBit * pJ;

    // Stages, whole run. Arrays of a chunk run in parallel; the ADCs of the
    // layer's IMAs share its conversions; tiles bring their own eDRAM port,
    // bus, tile shift-and-add and router ejection port.
    double tiles = static_cast<double>(lc.tiles);
    auto stage = [&](const char *name, double seconds) {
      lc.stages.push_back({name, seconds});
    };
    if (lc.crossbars > 0) {
      // Each chunk: activations / chunks on arraysEff arrays, one after the
      // other.
      stage("crossbar", static_cast<double>(r.xbarActivations) / chunks[l] /
                            arraysEff * chunks[l] * hw.inputBits * tRead);
      stage("adc", samples / (imasEff * c.adcSamplesPerNsPerIma) * ns);
    }
    stage("buffer", (reads + writes) * wordBytes /
                        (tiles * c.edramBytesPerNsPerTile) * ns);
    stage("bus", (reads + outputs) * wordBytes /
                     (tiles * c.busBytesPerNsPerTile) * ns);
    stage("reduction", static_cast<double>(r.reductionAdds) /
                           (tiles * hw.tileClockGhz) * ns);
    stage("network", inbound / (tiles * c.routerPortBytesPerNs) * ns);
    if (crossing > 0)
      stage("interchip", crossing / (hw.htLinks * c.htBytesPerNsPerLink) * ns);
    coreS[l] = slowest(lc);
    // One step through the pipeline: a bit-serial read of input_bits cycles,
    // then conversion, shift-and-add and write back (one more read cycle).
    fillS[l] = r.vectors > 0 ? (hw.inputBits + 1) * tRead : 0.0;
    // Vectors of one inference that replicas could share.
    parallel[l] =
        std::max(1.0, vectors / N / std::max<int64_t>(1, layer.groups));
    lc.denseOps = 2.0 * layer.kernelH * layer.kernelW *
                  static_cast<double>(layer.n) * layer.m * vectors;
    out.layers.push_back(lc);
  }

  // --- Digital layers.
  std::vector<double> digitalS;
  std::vector<int64_t> digitalOf; // producing crossbar layer or -1
  for (const DigitalReport &d : counts.digital) {
    bool countInputs = false;
    DigitalUnit unit = unitOf(d.op, countInputs);
    LayerCost lc;
    lc.name = d.name;
    lc.kind = "digital";
    lc.op = d.op;
    double events =
        static_cast<double>(countInputs ? d.inputElements : d.outputElements);
    double tiles = d.afterLayer >= 0
                       ? static_cast<double>(out.layers[d.afterLayer].tiles)
                       : 1.0;
    lc.tiles = static_cast<int64_t>(tiles);
    double pjPer = 0, units = 1;
    switch (unit) {
    case DigitalUnit::Sigmoid:
      pjPer = c.sigmoidPerElement;
      units = static_cast<double>(hw.sigmoidUnits);
      break;
    case DigitalUnit::MaxPool:
      pjPer = c.maxPoolPerElement;
      break;
    case DigitalUnit::ShiftAdd:
      pjPer = c.tileShiftAddPerAdd;
      break;
    case DigitalUnit::None:
      events = 0;
      break;
    }
    lc.energy.digital = events * pjPer * pJ;
    lc.stages.push_back(
        {"digital", events / (tiles * units * hw.tileClockGhz) * ns});
    digitalS.push_back(slowest(lc));
    digitalOf.push_back(d.afterLayer);
    out.layers.push_back(lc);
  }

  // --- Programming (reprogram policy only; never when the model fits).
  if (reprogram) {
    for (const Load &ld : loads) {
      int64_t tilesUsed =
          std::max<int64_t>(1, ceilDiv(ld.imas, hw.imasPerTile));
      int64_t waves =
          ceilDiv(ld.arrays, tilesUsed * hw.writeParallelArraysPerTile);
      double writeS = static_cast<double>(waves) * ld.maxRows *
                      hw.writeVerifyIterations * hw.writeLatencyNsPerRow * ns;
      double bytes = static_cast<double>(ld.cells) * hw.cellBits / 8.0;
      double transferS = bytes / (hw.htLinks * c.htBytesPerNsPerLink) * ns;
      out.programmingS += std::max(writeS, transferS);
    }
    // Energy by layer, from its programmed cells.
    for (size_t l = 0; l < L; ++l) {
      double cells = static_cast<double>(counts.layers[l].occupiedCells);
      LayerCost &lc = out.layers[l];
      lc.energy.programming =
          N * cells * hw.writeVerifyIterations * c.writePerCellPulse * pJ;
      lc.energy.interChip += N * cells * hw.cellBits * c.htPerBit * pJ;
    }
  }

  // --- Time: latency, throughput, run.
  const size_t D = digitalS.size();
  std::vector<int64_t> replication(L, 1);
  bool inter = options.pipeline == PipelineMode::InterLayer && !reprogram;
  if (inter) {
    // ISAAC: spend spare IMAs of the provisioned chips on copies of layers
    // to balance the pipeline. Bisection on the slowest stage time S: layer
    // l needs ceil(stage_l / S) copies (a digital layer runs on its
    // producer's copies), which must fit the spare IMAs. The smallest
    // feasible S is the best balance the chip allows.
    const double spare =
        static_cast<double>(out.chips * imasPerChip - out.imasNeeded);
    auto needs = [&](double S, std::vector<double> &need) {
      need.assign(L, 1.0);
      for (size_t l = 0; l < L; ++l) {
        double st = coreS[l] / N;
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
        if (need[l] > 1 && place[l].imas == 0)
          return false;
        extra += (need[l] - 1) * static_cast<double>(place[l].imas);
      }
      return extra <= spare;
    };
    double hi = 0;
    for (size_t l = 0; l < L; ++l)
      hi = std::max(hi, coreS[l] / N);
    for (size_t d = 0; d < D; ++d)
      hi = std::max(hi, digitalS[d] / N);
    std::vector<double> need;
    if (hi > 0) {
      double lo = 0;
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
    }
  }
  double latency = 0, maxStage = 0;
  for (size_t l = 0; l < L; ++l) {
    LayerCost &lc = out.layers[l];
    lc.replication = replication[l];
    double r = static_cast<double>(replication[l]);
    lc.stageS = coreS[l] / N / r;
    lc.latencyS = coreS[l] / N / std::min(r, parallel[l]) + fillS[l] / N;
    if (!inter)
      lc.latencyS = (coreS[l] + fillS[l]) / N;
    lc.cycles = static_cast<int64_t>(std::ceil(
        inter ? lc.stageS * N / tRead : (coreS[l] + fillS[l]) / tRead));
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
        inter ? digitalS[d] / N / std::min(r, p >= 0 ? parallel[p] : 1.0)
              : digitalS[d] / N;
    lc.cycles = static_cast<int64_t>(std::ceil(lc.stageS * N / tRead));
    latency += lc.latencyS;
    maxStage = std::max(maxStage, lc.stageS);
  }
  // The host sends the program's inputs and takes its outputs over the chip's
  // links: in series with one inference, and in the inter-layer pipeline a
  // stage of its own that replicas cannot shorten.
  if (hw.htLinks > 0) {
    out.hostIoBytes =
        static_cast<double>(counts.inputElements + counts.outputElements) *
        wordBytes;
    out.hostIoS =
        out.hostIoBytes / N / (hw.htLinks * c.htBytesPerNsPerLink) * ns;
  }
  const double layersLatency = latency;
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
  out.cycles = static_cast<int64_t>(std::ceil(out.runS / tRead));

  // --- Static energy over the run, shared out by layer latency.
  // Tiles holding arrays: layers are packed by IMA, so a tile may hold
  // several layers.
  int64_t tilesUsed = 0;
  if (reprogram) {
    for (const Load &ld : loads)
      tilesUsed = std::max(tilesUsed, ceilDiv(ld.imas, hw.imasPerTile));
  } else {
    // Replicas (inter-layer pipeline) occupy IMAs too.
    int64_t imasUsed = 0;
    for (size_t l = 0; l < L; ++l)
      imasUsed += place[l].imas * replication[l];
    tilesUsed = ceilDiv(std::max(imasUsed, out.imasNeeded), hw.imasPerTile);
  }
  out.tilesUsed = tilesUsed;
  out.gateIdleTiles = options.gateIdleTiles;
  double chipsStaticW =
      options.gateIdleTiles
          ? hw.adcStaticFraction *
                (tilesUsed * c.tilePowerMw * 1e-3 +
                 (out.chips > 1 || reprogram ? out.chips * hw.htPowerW : 0.0))
          : hw.adcStaticFraction * c.chipPowerW * out.chips;
  out.staticPowerW = chipsStaticW;
  double staticJ = chipsStaticW * out.runS;
  for (LayerCost &lc : out.layers) {
    double share = layersLatency > 0 ? lc.latencyS / layersLatency
                                     : 1.0 / out.layers.size();
    lc.energy.staticEnergy = staticJ * share;
    addInto(out.energy, lc.energy);
    out.denseOps += lc.denseOps;
  }
  if (out.layers.empty())
    out.energy.staticEnergy = staticJ;
  out.energy.hostIo = out.hostIoBytes * 8.0 * c.htPerBit * pJ;

  out.energyJ = out.energy.total();
  out.areaMm2 = out.chips * c.chipAreaMm2;
  if (out.rotatorProvisioned)
    out.areaMm2 += out.chips * imasPerChip * hw.rotatorAreaMm2;
  out.powerW = out.runS > 0 ? out.energyJ / out.runS : 0.0;
  out.gopsPerW = out.energyJ > 0 ? out.denseOps / out.energyJ / 1e9 : 0.0;
  out.gopsPerSMm2 = out.areaMm2 > 0 ? out.denseOps / N * out.throughputPerS /
                                          1e9 / out.areaMm2
                                    : 0.0;
  out.uOcc = counts.total.uOcc;
  out.uUniq = counts.total.uUniq;
  out.crossbars = out.crossbarsNeeded;
  for (size_t l = 0; l < L; ++l)
    out.adcs += out.layers[l].adcs;
  return true;
}

} // namespace rebocc::model
