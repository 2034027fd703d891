//===- CostStages.h - the named stages of a cost estimate -------*- C++ -*-===//
//
// estimateCost (CostModel.h) is these stages in order: placement, per-layer
// stage timing and dynamic energy, pipeline composition, static energy and
// area. Each is a function of its own so that it can be tested on its own
// and read next to its section of docs/CostModel.md.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_MODEL_COSTSTAGES_H
#define REBOCC_MODEL_COSTSTAGES_H

#include "rebocc/Model/CostModel.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace rebocc::model {

//===----------------------------------------------------------------------===//
// Placement
//===----------------------------------------------------------------------===//

/// Where one crossbar layer's arrays sit: IMA slots [start, start + imas),
/// global over the chips (multi-chip) or local to its chip load (reprogram).
/// Derived from the program's array places by placeLayers.
struct LayerPlacement {
  int64_t start = 0, imas = 0;
  int64_t load = 0;   // reprogram: chip load holding the layer (first chunk)
  int64_t chunks = 1; // reprogram: loads a layer larger than a chip takes
};

/// One chip load when the model is reprogrammed in pieces.
struct ChipLoad {
  int64_t imas = 0, arrays = 0, cells = 0, maxRows = 0;
};

struct Placement {
  std::vector<LayerPlacement> layers;
  std::vector<ChipLoad> loads; // reprogram only
  int64_t chips = 1;
  int64_t imasNeeded = 0, crossbarsNeeded = 0;
  bool fits = true;       // the whole model on one chip
  bool reprogram = false; // loads instead of chips
};

/// The cost model's view of where the program's arrays sit (Array::place,
/// made by model::placeArrays for `program.overflow`): per layer the IMAs
/// its arrays occupy, its first IMA and chip load and the loads it spans;
/// the chips, or the chip loads with their arrays, cells and rows. Fails
/// when `options.overflow` is not the program's policy, when the placement
/// breaks program::verifyPlacement on `hw`, or when `hw` has no links for a
/// multi-chip or reprogrammed model.
bool placeLayers(const program::Program &program, const RunReport &counts,
                 const HardwareDesc &hw, const CostOptions &options,
                 Placement &out, std::string &error);

/// Router mesh of one chip: routers in a square-ish grid, router r at
/// (r % width, r / width); tile t uses router t / tiles_per_router.
struct Mesh {
  int64_t tilesPerChip, tilesPerRouter, width;
  explicit Mesh(const HardwareDesc &hw);
  int64_t chipOf(int64_t tile) const { return tile / tilesPerChip; }
  /// Hops from router 0 of the tile's chip (the chip's link port) to it.
  int64_t fromPort(int64_t tile) const;
  /// Routers traversed from tile a to tile b (at least one).
  int64_t hops(int64_t a, int64_t b) const;
};

//===----------------------------------------------------------------------===//
// Per-layer stage timing and dynamic energy
//===----------------------------------------------------------------------===//

/// A layer's time for the whole run, before pipeline composition.
struct LayerTime {
  double coreS = 0;    // slowest stage, whole run
  double fillS = 0;    // the other stages once, plus one read cycle to drain
  /// The slowest stage and the fill with no more copies than one
  /// inference's input vectors can use: what an inference waits for in the
  /// inter-layer pipeline (coreS and fillS when there are no more copies).
  double latencyCoreS = 0, latencyFillS = 0;
};

/// An input buffer of `words` words (input_bits each) in bytes, and what
/// the eDRAM of `tiles` tiles holds: the two sides of a layer's buffer
/// occupancy (docs/CostModel.md, "Buffer capacity").
double bufferBytes(int64_t words, const HardwareDesc &hw);
double bufferCapacityBytes(int64_t tiles, const HardwareDesc &hw);

/// IMAs that `replicas` copies of a layer of `arrays` arrays on `imas` IMAs
/// occupy: copies of a layer smaller than an IMA share IMAs array by array
/// (a 1-array convolution packs 8 copies per IMA), larger ones take whole
/// IMAs each.
int64_t replicaImas(int64_t arrays, int64_t imas, int64_t replicas,
                    const HardwareDesc &hw);

/// Charges one crossbar layer: its events with per-event energies, its
/// stages (crossbar, ADC, eDRAM, bus, reduction, network, inter-chip) with
/// its resources, `replicas` copies sharing its input vectors. `producerTile`
/// is where its input comes from, -1 for the chip's port (router 0: the
/// host, or a reprogrammed load's first tile).
LayerCost costCrossbarLayer(const program::CrossbarLayer &layer,
                            const LayerReport &counts,
                            const LayerPlacement &place, bool reprogram,
                            int64_t producerTile, const HardwareDesc &hw,
                            const EventCosts &c, LayerTime &time,
                            int64_t replicas = 1);

/// Charges one digital instruction on the digital units of the tiles of the
/// crossbar layer before it (one tile when there is none).
LayerCost costDigitalLayer(const DigitalReport &counts,
                           const std::vector<LayerCost> &crossbarLayers,
                           const HardwareDesc &hw, const EventCosts &c,
                           double &seconds);

/// Reprogramming (OverflowPolicy::Reprogram): every inference writes every
/// chip load (program-and-verify, NVSim's cell) after bringing its weights
/// over the links; sets `report.programmingS` per inference and adds write
/// and link energy to the crossbar layers.
void chargeProgramming(const Placement &placement, const RunReport &counts,
                       const HardwareDesc &hw, const EventCosts &c,
                       double inferences, CostReport &report);

//===----------------------------------------------------------------------===//
// Replication
//===----------------------------------------------------------------------===//

/// A layer's time per inference with a given number of copies, for
/// chooseReplication: `total` is what it adds to the run in the intra-layer
/// pipeline (its slowest stage, fill and the digital instructions it feeds),
/// `stage` its slowest pipeline stage in the inter-layer pipeline (its own or
/// a digital instruction's it feeds).
struct ReplicatedTime {
  double total = 0, stage = 0;
};
using ReplicaTimer = std::function<ReplicatedTime(size_t layer, int64_t replicas)>;

/// Spends the spare IMAs of the provisioned chips on copies of layers that
/// work on different input vectors at once, at most `caps[l]` copies of
/// layer l (the caller's: the run's vectors per group in the intra-layer
/// pipeline, what the spare IMAs hold for the inter-layer pipeline's stream
/// of inferences). Intra-layer pipeline: greedy on the run time saved per
/// IMA spent; a layer stops at its first step that saves nothing.
/// Inter-layer pipeline (ISAAC): bisection on the slowest stage time S, no
/// lower than `fixedStageS` (the host links' stage), each layer copied until
/// its stage takes at most S. `timeOf(l, r)` must not grow with r. All ones
/// when replication is off or the model is reprogrammed.
std::vector<int64_t> chooseReplication(const std::vector<int64_t> &caps,
                                       const std::vector<int64_t> &arrays,
                                       const Placement &placement,
                                       const HardwareDesc &hw,
                                       const CostOptions &options,
                                       const ReplicaTimer &timeOf,
                                       double fixedStageS);

//===----------------------------------------------------------------------===//
// Pipeline composition
//===----------------------------------------------------------------------===//

/// Sets every layer's latency, stage and cycles, and the run's latency,
/// throughput and run time, from stage times that already include the
/// layers' replicas. `layers` holds the crossbar layers first (matching
/// `times`) and then the digital ones (matching `digitalS` and `digitalOf`,
/// the producing crossbar layer or -1).
void composePipeline(const std::vector<LayerTime> &times,
                     const std::vector<double> &digitalS,
                     const std::vector<int64_t> &digitalOf,
                     const Placement &placement, const HardwareDesc &hw,
                     const CostOptions &options, CostReport &report);

//===----------------------------------------------------------------------===//
// Static energy and area
//===----------------------------------------------------------------------===//

/// Tiles that can leak: those holding arrays (with replicas) when idle units
/// are gated, else every tile of every provisioned chip.
int64_t poweredTiles(const CostReport &report, const HardwareDesc &hw,
                     const CostOptions &options);

/// Static energy by component and layer. Gated (the default): each layer's
/// IMAs and tiles leak while it is busy. Not gated: every tile of every chip
/// leaks for the whole run, shared out by latency. The links leak for the
/// whole run either way. Needs the pipeline composed.
void chargeStaticEnergy(const HardwareDesc &hw, const EventCosts &c,
                        const CostOptions &options, CostReport &report);

/// Provisioned chips plus a rotator on every IMA that holds rotated blocks.
double provisionedAreaMm2(const CostReport &report, const HardwareDesc &hw,
                          const EventCosts &c);

} // namespace rebocc::model

#endif // REBOCC_MODEL_COSTSTAGES_H
