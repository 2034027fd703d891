//===- CostModel.cpp - cycles, energy, area of a mapped program -----------===//
//
// The stages of CostStages.h in order. Every formula is written out in
// docs/CostModel.md; the unit tests (unittests/CostModelTest.cpp) check each
// stage, and the calibration and hand-derived cross-check tests check the
// whole against numbers computed without this code.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CostStages.h"
#include "rebocc/Support/Shapes.h"
#include "rebocc/Target/Program/AdcNeed.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace rebocc::model {

using support::ceilDiv;
using program::CrossbarLayer;
using program::Program;

namespace {

constexpr double kPico = 1e-12, kNano = 1e-9;

std::string checkInputs(const Program &P, const RunReport &counts,
                        const HardwareDesc &hw, const CostOptions &options) {
  std::string e = validate(hw);
  if (!e.empty())
    return "hardware description: " + e;
  if (counts.layers.size() != P.layers.size())
    return "the run report has " + std::to_string(counts.layers.size()) +
           " crossbar layers, the program " + std::to_string(P.layers.size());
  if (options.inferences < 1)
    return "the number of inferences must be at least 1";
  for (const DigitalReport &d : counts.digital)
    if (d.afterLayer >= static_cast<int64_t>(P.layers.size()))
      return "digital op '" + d.name + "' refers to a missing layer";
  return "";
}

/// Tiles holding arrays: layers are packed by IMA, so a tile may hold several
/// layers; copies of layers occupy IMAs too.
int64_t usedTiles(const Placement &placement, const CostReport &report,
                  const HardwareDesc &hw) {
  int64_t tiles = 0;
  if (placement.reprogram) {
    for (const ChipLoad &load : placement.loads)
      tiles = std::max(tiles, ceilDiv(load.imas, hw.imasPerTile));
    return tiles;
  }
  int64_t imas = 0;
  for (size_t l = 0; l < placement.layers.size(); ++l)
    imas += report.layers[l].activeImas;
  return ceilDiv(std::max(imas, placement.imasNeeded), hw.imasPerTile);
}

/// IMAs holding blocks that are driven with rotated inputs (k/d > 1 steps).
int64_t rotatedImas(const Placement &placement, const RunReport &counts,
                    const CostReport &report, const HardwareDesc &hw) {
  int64_t imas = 0;
  for (size_t l = 0; l < placement.layers.size(); ++l)
    if (counts.layers[l].steps > 1)
      imas += report.layers[l].activeImas;
  if (placement.reprogram)
    imas = std::min(imas, hw.tilesPerChip * hw.imasPerTile);
  return imas;
}

/// The tiles of each crossbar layer: the span of its own IMAs and, since
/// copies are counted but not placed, its copies' further IMAs taken on the
/// spare IMAs after every layer's own, layer after layer (the IMAs
/// usedTiles counts). Reprogrammed: the span of one chunk, as `tiles`.
std::vector<std::set<int64_t>> layerTiles(const Placement &placement,
                                          const CostReport &report,
                                          const HardwareDesc &hw) {
  const size_t L = placement.layers.size();
  std::vector<std::set<int64_t>> tiles(L);
  int64_t spare = placement.imasNeeded;
  for (const LayerPlacement &p : placement.layers)
    spare = std::max(spare, p.start + p.imas);
  for (size_t l = 0; l < L; ++l) {
    const LayerCost &lc = report.layers[l];
    if (placement.reprogram) {
      for (int64_t t = 0; t < std::max<int64_t>(1, lc.tiles); ++t)
        tiles[l].insert(lc.firstTile + t);
      continue;
    }
    const LayerPlacement &p = placement.layers[l];
    for (int64_t ima = p.start; ima < p.start + std::max<int64_t>(p.imas, 1);
         ++ima)
      tiles[l].insert(ima / hw.imasPerTile);
    const int64_t copies = std::max<int64_t>(0, lc.activeImas - p.imas);
    for (int64_t ima = spare; ima < spare + copies; ++ima)
      tiles[l].insert(ima / hw.imasPerTile);
    spare += copies;
  }
  return tiles;
}

/// Tiles holding a vector functional unit: every tile of the crossbar
/// layer whose output a VFU instruction reads, copies included (layerTiles),
/// and the chip's first tile for one before any crossbar layer; our
/// assumption, docs/CostModel.md section 7.
int64_t vfuTiles(const Placement &placement, const RunReport &counts,
                 const CostReport &report, const HardwareDesc &hw) {
  const std::vector<std::set<int64_t>> byLayer =
      layerTiles(placement, report, hw);
  const size_t crossbarLayers = placement.layers.size();
  std::set<int64_t> tiles;
  for (size_t i = 0; i < counts.digital.size(); ++i) {
    if (!report.layers[crossbarLayers + i].vfu)
      continue;
    const int64_t producer = counts.digital[i].afterLayer;
    if (producer < 0)
      tiles.insert(0);
    else
      tiles.insert(byLayer[producer].begin(), byLayer[producer].end());
  }
  return static_cast<int64_t>(tiles.size());
}

/// Where layer l's input comes from: the previous crossbar layer's middle
/// tile, or the chip's port (-1) for the first layer and, when reprogrammed,
/// for the first layer of a load (kept meanwhile in the eDRAM of the chip's
/// first tile).
int64_t producerOf(size_t l, const Placement &placement,
                   const HardwareDesc &hw) {
  if (l == 0 || (placement.reprogram &&
                 placement.layers[l].load != placement.layers[l - 1].load))
    return -1;
  const LayerPlacement &p = placement.layers[l - 1];
  int64_t first = p.start / hw.imasPerTile;
  int64_t last = (p.start + std::max<int64_t>(p.imas, 1) - 1) / hw.imasPerTile;
  return (first + last) / 2;
}

/// The input vectors of crossbar layer l that can run at once (so the most
/// copies that can share them): all of them, per group, except for a
/// recurrent R layer, whose time steps run one after another.
int64_t concurrentVectors(const CrossbarLayer &layer, const LayerReport &count) {
  int64_t vectors = count.vectors / std::max<int64_t>(1, layer.groups);
  if (count.vectorsPerStep > 0)
    vectors = std::min(vectors, count.vectorsPerStep);
  return vectors;
}

/// Every layer's cost with `replicas[l]` copies of crossbar layer l; the
/// digital instructions run on the tiles of the crossbar layer before them.
void costLayers(const Program &P, const RunReport &counts,
                const Placement &placement, const HardwareDesc &hw,
                const EventCosts &c, const std::vector<EventCosts> &layerCosts,
                const std::vector<int64_t> &replicas, double N,
                CostReport &out, std::vector<LayerTime> &times,
                std::vector<double> &digitalS,
                std::vector<int64_t> &digitalOf) {
  const size_t L = P.layers.size();
  out.layers.clear();
  times.assign(L, LayerTime());
  digitalS.clear();
  digitalOf.clear();
  for (size_t l = 0; l < L; ++l) {
    out.layers.push_back(costCrossbarLayer(
        P.layers[l], counts.layers[l], placement.layers[l],
        placement.reprogram, producerOf(l, placement, hw), hw, layerCosts[l],
        times[l], replicas[l]));
    // One inference can use no more copies than it has input vectors.
    double perInference = concurrentVectors(P.layers[l], counts.layers[l]) / N;
    int64_t rLatency = std::min<int64_t>(
        replicas[l], std::max<int64_t>(1, static_cast<int64_t>(perInference)));
    LayerTime t = times[l];
    if (rLatency != replicas[l])
      costCrossbarLayer(P.layers[l], counts.layers[l], placement.layers[l],
                        placement.reprogram, producerOf(l, placement, hw), hw,
                        layerCosts[l], t, rLatency);
    times[l].latencyCoreS = t.coreS;
    times[l].latencyFillS = t.fillS;
  }
  std::vector<LayerCost> crossbarLayers(out.layers.begin(), out.layers.end());
  for (const DigitalReport &d : counts.digital) {
    double seconds = 0;
    out.layers.push_back(costDigitalLayer(d, crossbarLayers, hw, c, seconds));
    digitalS.push_back(seconds);
    digitalOf.push_back(d.afterLayer);
  }
}

/// Copies of each crossbar layer, chosen by chooseReplication on the layers'
/// times with r copies.
std::vector<int64_t> replicate(const Program &P, const RunReport &counts,
                               const Placement &placement,
                               const HardwareDesc &hw, const EventCosts &c,
                               const std::vector<EventCosts> &layerCosts,
                               const CostOptions &options, double hostIoS) {
  const size_t L = P.layers.size();
  const double N = static_cast<double>(options.inferences);
  std::vector<int64_t> caps(L), arrays(L);
  const bool stream = options.pipeline == PipelineMode::InterLayer;
  const int64_t spare =
      placement.chips * hw.tilesPerChip * hw.imasPerTile - placement.imasNeeded;
  for (size_t l = 0; l < L; ++l) {
    arrays[l] = static_cast<int64_t>(P.layers[l].arrays.size());
    const int64_t imas = std::max<int64_t>(1, placement.layers[l].imas);
    if (stream) {
      // The inter-layer pipeline is fed a stream of inferences: copies take
      // different inferences' vectors, as many as the spare IMAs hold.
      caps[l] = arrays[l] > 0 && arrays[l] < hw.xbarsPerIma
                    ? (imas + std::max<int64_t>(spare, 0)) * hw.xbarsPerIma /
                          arrays[l]
                    : 1 + std::max<int64_t>(spare, 0) / imas;
    } else {
      // The intra-layer pipeline runs the batch layer by layer: copies share
      // the run's input vectors (output positions and images).
      caps[l] = concurrentVectors(P.layers[l], counts.layers[l]);
    }
    caps[l] = std::max<int64_t>(1, caps[l]);
  }
  // Digital instructions by producer, timed on its tiles.
  std::vector<int64_t> ones(L, 1);
  CostReport base;
  std::vector<LayerTime> times;
  std::vector<double> digitalS;
  std::vector<int64_t> digitalOf;
  costLayers(P, counts, placement, hw, c, layerCosts, ones, N, base, times,
             digitalS, digitalOf);
  auto timeOf = [&](size_t l, int64_t r) {
    LayerTime t;
    LayerCost lc = costCrossbarLayer(P.layers[l], counts.layers[l],
                                     placement.layers[l], placement.reprogram,
                                     producerOf(l, placement, hw), hw,
                                     layerCosts[l], t, r);
    ReplicatedTime out;
    out.total = t.coreS + t.fillS;
    out.stage = t.coreS;
    for (size_t d = 0; d < digitalS.size(); ++d)
      if (digitalOf[d] == static_cast<int64_t>(l)) {
        double s = digitalS[d] * base.layers[l].tiles / lc.tiles;
        out.total += s;
        out.stage = std::max(out.stage, s);
      }
    out.total /= N;
    out.stage /= N;
    return out;
  };
  return chooseReplication(caps, arrays, placement, hw, options, timeOf,
                           hostIoS);
}

/// The per-event costs of every crossbar layer at its ADCs' resolution
/// (program::layerAdcBits); `chip` gets those of an IMA that holds no layer:
/// with adc_bits = auto the largest layer's resolution (a chip whose every
/// IMA can hold any of the model's layers), else adc_bits.
std::vector<EventCosts> layerEventCosts(const Program &P,
                                        const HardwareDesc &hw,
                                        EventCosts &chip) {
  if (!hw.adcBitsAuto) {
    chip = deriveEventCosts(hw);
    return std::vector<EventCosts>(P.layers.size(), chip);
  }
  std::vector<EventCosts> costs;
  int64_t idleBits = 0;
  for (const CrossbarLayer &layer : P.layers) {
    costs.push_back(deriveEventCosts(hw, program::layerAdcBits(layer, hw)));
    idleBits = std::max(idleBits, costs.back().adcBits);
  }
  chip = idleBits > 0 ? deriveEventCosts(hw, idleBits) : deriveEventCosts(hw);
  return costs;
}

/// adc_bits = auto: the provisioned IMAs by their ADCs' bits. An IMA's ADCs
/// are sized at design time for the layers placed on it (TinyADC): the
/// largest of their needs, over all chip loads when reprogrammed; the spare
/// IMAs that hold a layer's copies get that layer's; the others `idleBits`.
std::map<int64_t, int64_t> sizeAdcs(const Program &P,
                                    const Placement &placement,
                                    const CostReport &report,
                                    int64_t idleBits,
                                    const HardwareDesc &hw) {
  const int64_t imasPerChip = hw.tilesPerChip * hw.imasPerTile;
  std::map<int64_t, int64_t> slotBits; // IMA slot over the chips -> bits
  for (size_t l = 0; l < P.layers.size(); ++l)
    for (const program::Array &a : P.layers[l].arrays) {
      int64_t &bits = slotBits[a.place.chip * imasPerChip +
                               a.place.tile * hw.imasPerTile + a.place.ima];
      bits = std::max(bits, report.layers[l].adcBits);
    }
  std::map<int64_t, int64_t> imas;
  int64_t sized = static_cast<int64_t>(slotBits.size());
  for (const auto &[slot, bits] : slotBits)
    ++imas[bits];
  for (size_t l = 0; !placement.reprogram && l < P.layers.size(); ++l) {
    const int64_t copies =
        report.layers[l].activeImas - placement.layers[l].imas;
    if (copies > 0) {
      imas[report.layers[l].adcBits] += copies;
      sized += copies;
    }
  }
  const int64_t idle = report.chips * imasPerChip - sized;
  if (idle > 0)
    imas[idleBits] += idle;
  return imas;
}

void summarize(const RunReport &counts, const HardwareDesc &hw,
               const EventCosts &c, CostReport &out) {
  for (const LayerCost &lc : out.layers) {
    out.dynamicJ += lc.dynamicJ;
    out.denseOps += lc.denseOps;
    if (lc.kind == "crossbar")
      out.adcs += lc.adcs;
  }
  out.dynamicJ.hostIo = out.hostIoBytes * c.htPerByte * kPico;
  out.energyJ = out.dynamicJ.total() + out.staticJ.total();
  out.areaMm2 = provisionedAreaMm2(out, hw, c);
  const double N = static_cast<double>(out.inferences);
  out.powerW = out.runS > 0 ? out.energyJ / out.runS : 0.0;
  out.gopsPerW = out.energyJ > 0 ? out.denseOps / out.energyJ / 1e9 : 0.0;
  out.gopsPerSMm2 = out.areaMm2 > 0 ? out.denseOps / N * out.throughputPerS /
                                          1e9 / out.areaMm2
                                    : 0.0;
  out.uOcc = counts.total.uOcc;
  out.uUniq = counts.total.uUniq;
  out.crossbars = out.crossbarsNeeded;
}

} // namespace

void chargeProgramming(const Placement &placement, const RunReport &counts,
                       const HardwareDesc &hw, const EventCosts &c, double N,
                       CostReport &out) {
  for (const ChipLoad &load : placement.loads) {
    int64_t tiles = std::max<int64_t>(1, ceilDiv(load.imas, hw.imasPerTile));
    int64_t waves =
        ceilDiv(load.arrays, tiles * hw.writeParallelArraysPerTile);
    double writeS = static_cast<double>(waves) * load.maxRows *
                    hw.writeVerifyIterations * hw.writeLatencyNsPerRow * kNano;
    double bytes = static_cast<double>(load.cells) * hw.cellBits / 8.0;
    double transferS = bytes / (hw.htLinks * c.htBytesPerNsPerLink) * kNano;
    out.programmingS += std::max(writeS, transferS);
  }
  for (size_t l = 0; l < placement.layers.size(); ++l) {
    // Both arrays of a differential pair are written.
    double cells = static_cast<double>(counts.layers[l].occupiedCells) *
                   arraysPerCrossbar(hw);
    LayerCost &lc = out.layers[l];
    lc.dynamicJ.programming =
        N * cells * hw.writeVerifyIterations * c.writePerCellPulse * kPico;
    lc.dynamicJ.interChip += N * cells * hw.cellBits / 8.0 * c.htPerByte * kPico;
  }
}

bool estimateCost(const Program &P, const RunReport &counts,
                  const HardwareDesc &hw, const CostOptions &options,
                  CostReport &out, std::string &error) {
  out = CostReport();
  error = checkInputs(P, counts, hw, options);
  if (!error.empty())
    return false;
  EventCosts c;
  const std::vector<EventCosts> layerCosts = layerEventCosts(P, hw, c);
  const double N = static_cast<double>(options.inferences);
  out.pipeline = options.pipeline;
  out.overflow = options.overflow;
  out.inferences = options.inferences;
  out.gateIdleTiles = options.gateIdleTiles;
  out.fullLoadStaticShare = c.fullLoadStaticShare;
  out.adcEnergyRatio = c.adcEnergyRatio;
  out.adcAreaRatio = c.adcAreaRatio;
  out.imasPerChip = hw.tilesPerChip * hw.imasPerTile;
  out.crossbarsPerChip =
      out.imasPerChip * hw.xbarsPerIma * arraysPerCrossbar(hw);

  Placement placement;
  if (!placeLayers(P, counts, hw, options, placement, error))
    return false;
  out.chips = placement.chips;
  out.fits = placement.fits;
  out.reprogrammed = placement.reprogram;
  out.programLoads = static_cast<int64_t>(placement.loads.size());
  out.imasNeeded = placement.imasNeeded;
  out.crossbarsNeeded = placement.crossbarsNeeded * arraysPerCrossbar(hw);
  for (size_t l = 0; l < P.layers.size(); ++l)
    for (size_t a = 0; a < P.layers[l].arrays.size(); ++a)
      out.arrays.push_back({static_cast<int64_t>(l), P.layers[l].name,
                            static_cast<int64_t>(a),
                            P.layers[l].arrays[a].place});

  if (hw.htLinks > 0) {
    const double wordBytes = hw.inputBits / 8.0;
    out.hostIoBytes =
        static_cast<double>(counts.inputElements + counts.outputElements) *
        wordBytes;
    out.hostIoS =
        out.hostIoBytes / N / (hw.htLinks * c.htBytesPerNsPerLink) * kNano;
  }
  std::vector<int64_t> replicas =
      replicate(P, counts, placement, hw, c, layerCosts, options, out.hostIoS);
  std::vector<LayerTime> times;
  std::vector<double> digitalS;
  std::vector<int64_t> digitalOf;
  costLayers(P, counts, placement, hw, c, layerCosts, replicas, N, out, times,
             digitalS, digitalOf);
  if (placement.reprogram)
    chargeProgramming(placement, counts, hw, c, N, out);
  composePipeline(times, digitalS, digitalOf, placement, hw, options, out);
  // validate() bounds every rate and duration, but extreme values of several
  // keys at once on a long run can still exceed 2^63 read cycles: an error,
  // never a wrapped count. The run's count bounds every layer's.
  const double runCycles = out.runS / (hw.readCycleNs * kNano);
  if (!(runCycles < 9.0e18)) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.3g", runCycles);
    error = std::string("the run lasts ") + buf +
            " read cycles, more than a 64-bit cycle count holds (check the "
            "hardware description's rates, durations and counts)";
    return false;
  }
  out.tilesUsed = usedTiles(placement, out, hw);
  out.rotatorImas = rotatedImas(placement, counts, out, hw);
  out.vfuTiles = vfuTiles(placement, counts, out, hw);
  if (hw.adcBitsAuto)
    out.adcImasByBits = sizeAdcs(P, placement, out, c.adcBits, hw);
  chargeStaticEnergy(hw, c, options, out);
  summarize(counts, hw, c, out);
  return true;
}

} // namespace rebocc::model
