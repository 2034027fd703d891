//===- CostModel.h - cycles, energy, area of a mapped program ---*- C++ -*-===//
//
// Charges every event the interpreter counts with the hardware description's
// cited constants (docs/CostModel.md), and adds the static power of every
// provisioned component over the run. No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_MODEL_COSTMODEL_H
#define REBOCC_MODEL_COSTMODEL_H

#include "rebocc/Model/Hardware.h"
#include "rebocc/Model/Events.h"
#include "rebocc/Target/Program/Program.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rebocc::model {

/// Energy by component, in joules. `total()` is their sum.
struct EnergyBreakdown {
  double adc = 0;            // ADC conversions
  double dac = 0;            // 1-bit DAC row drives (per input bit)
  double crossbar = 0;       // array reads
  double sampleHold = 0;     // sample-and-hold per column read
  double shiftAdd = 0;       // shift-and-add (IMA and tile)
  double inputRegister = 0;  // IMA input register writes/reads
  double outputRegister = 0; // IMA and tile output registers
  double rotator = 0;        // input slice rotations (ReBoc)
  double buffer = 0;         // eDRAM buffer reads and writes
  double bus = 0;            // eDRAM-to-IMA bus transfers
  double network = 0;        // router / NoC hops between tiles
  double interChip = 0;      // HyperTransport-style links between chips
  double hostIo = 0;         // the same links: inputs in, outputs out (run
                             // level, in no layer's breakdown)
  double digital = 0;        // digital unit (bias, activation, pooling, ...)
  double programming = 0;    // ReRAM writes (only when reprogramming)
  double staticEnergy = 0;   // static power of provisioned components x time
  double total() const;
};

/// How the layers of one inference are scheduled.
enum class PipelineMode {
  IntraLayer, // ReBoc: layers run one after another, each pipelined inside
  InterLayer, // ISAAC: all layers resident, pipelined across layers
};

/// What to do when the mapped model needs more crossbars than one chip has.
enum class OverflowPolicy {
  MultiChip, // spread over ceil(needed / per-chip) chips; charge inter-chip
             // traffic for activations crossing chips
  Reprogram, // one chip; rewrite crossbars between layer groups, charging
             // write energy and latency for every cell programmed
};

struct CostOptions {
  PipelineMode pipeline = PipelineMode::IntraLayer;
  OverflowPolicy overflow = OverflowPolicy::MultiChip;
  /// Inferences the counts cover (the batch size of the run).
  int64_t inferences = 1;
  /// Static power: false (default) charges every tile of every provisioned
  /// chip and its links for the whole run (ISAAC has no power gating); true
  /// charges only the tiles the model's layers occupy (plus the links when
  /// there are several chips), as if idle tiles were power-gated. Area is
  /// always whole chips.
  bool gateIdleTiles = false;
};

/// "intra" / "inter", "chips" / "reprogram"; parse returns false on
/// anything else.
const char *pipelineModeName(PipelineMode mode);
const char *overflowPolicyName(OverflowPolicy policy);
bool parsePipelineMode(const std::string &text, PipelineMode &out);
bool parseOverflowPolicy(const std::string &text, OverflowPolicy &out);

/// Per-event energies and rates derived from the hardware description
/// (docs/CostModel.md, "Derived values"). Every dynamic energy is
/// (1 - static_power_fraction) * (Table I power of the units) / (their event
/// rate at full activity), so a component busy at its full rate draws exactly
/// its Table I power. Energies in pJ, rates per ns, powers in mW unless named.
struct EventCosts {
  // Dynamic energy per event, pJ.
  double adcPerSample = 0;          // one ADC conversion (one column, one bit)
  double dacPerDrive = 0;           // one 1-bit DAC row drive (one row, one bit)
  double xbarPerArrayCycle = 0;     // one array, one read cycle
  double sampleHoldPerSample = 0;   // one column sampled, one bit
  double imaShiftAddPerSample = 0;  // IMA shift-and-add of one ADC output
  double inputRegisterPerDrive = 0; // input-register bit read for one drive
  double imaOutputRegisterPerSample = 0;
  double edramPerByte = 0;          // eDRAM read or write, per byte
  double busPerByte = 0;            // eDRAM-to-IMA bus, per byte
  double routerPerByteHop = 0;      // one byte through one router
  double htPerBit = 0;              // one bit over a HyperTransport link
  double tileShiftAddPerAdd = 0;    // partial-sum reduction / element add
  double tileOutputRegisterPerValue = 0;
  double sigmoidPerElement = 0;     // activation functions
  double maxPoolPerElement = 0;     // pooling, per input element
  double rotatorPerWord = 0;        // typed assumption, no static share
  double writePerCellPulse = 0;     // typed assumption, no static share
  // Rates and bandwidths.
  double adcSamplesPerNsPerIma = 0;
  double edramBytesPerNsPerTile = 0;  // = GB/s
  double busBytesPerNsPerTile = 0;
  double routerPortBytesPerNs = 0;    // one port (a tile's ejection port)
  double htBytesPerNsPerLink = 0;
  double tileValuesPerNsFull = 0;     // tile outputs per ns, all arrays busy
  // Full-activity power and area of the provisioned units.
  double imaPowerMw = 0, tilePowerMw = 0, chipPowerW = 0;
  double imaAreaMm2 = 0, tileAreaMm2 = 0, chipAreaMm2 = 0;
};
EventCosts deriveEventCosts(const HardwareDesc &hw);

/// Time spent in one stage or shared resource of a layer, whole run.
struct StageTime {
  std::string stage; // "crossbar", "adc", "buffer", "bus", "reduction",
                     // "network", "interchip", "digital"
  double seconds = 0;
};

/// Figures of one crossbar or digital layer.
struct LayerCost {
  std::string name;
  std::string kind = "crossbar"; // "crossbar" or "digital" (op name in `op`)
  std::string op;              // digital: opcode name; crossbar: mapping label
  int64_t blockSize = 1;
  int64_t crossbars = 0;
  int64_t imas = 0;            // IMAs its arrays occupy (a layer owns whole IMAs)
  int64_t adcs = 0;            // imas * adcs_per_ima
  int64_t tiles = 0;           // tiles its arrays occupy
  int64_t chipsSpanned = 0;    // chips its arrays occupy (multi-chip)
  int64_t chunks = 1;          // reprogram: pieces of a layer larger than a chip
  int64_t replication = 1;     // copies of the whole layer (inter-layer mode)
  double uOcc = 0, uUniq = 0;
  int64_t cycles = 0;          // pipeline cycles of this layer for the run
  double latencyS = 0;         // time for one inference through the layer
  double stageS = 0;           // inter-layer: the layer's pipeline stage time
                               // per inference (after replication)
  std::string bottleneck;      // slowest stage or shared resource
  std::vector<StageTime> stages;
  EnergyBreakdown energy;
  double denseOps = 0;         // dense-equivalent ops (2 * MACs)
};

struct CostReport {
  std::string mapping;         // "reboc" or "dense" (set by the caller)
  PipelineMode pipeline = PipelineMode::IntraLayer;
  OverflowPolicy overflow = OverflowPolicy::MultiChip;
  int64_t chips = 1;
  int64_t inferences = 1;
  int64_t crossbarsNeeded = 0, crossbarsPerChip = 0;
  int64_t imasNeeded = 0, imasPerChip = 0; // placement is by whole IMAs
  bool fits = true;            // whole model on one chip
  bool reprogrammed = false;   // crossbars rewritten during inference
  int64_t programLoads = 0;     // reprogram: chip loads per inference
  double programmingS = 0;     // reprogram: write time per inference
  bool rotatorProvisioned = false; // some layer uses rotation steps
  bool gateIdleTiles = false;      // CostOptions::gateIdleTiles
  int64_t tilesUsed = 0;           // tiles holding arrays (per chip load)
  double staticPowerW = 0;         // static power charged over the run
  double hostIoBytes = 0;          // program inputs in + outputs out, run
  double hostIoS = 0;              // their time on the links, per inference
  std::vector<LayerCost> layers;   // crossbar and digital layers, in order
  double uOcc = 0, uUniq = 0;      // whole model
  int64_t crossbars = 0, adcs = 0; // used by the model
  int64_t cycles = 0;          // whole run
  double runS = 0;             // whole run (all inferences)
  double latencyS = 0;         // one inference, first input to last output
  double throughputPerS = 0;   // steady-state inferences per second
  EnergyBreakdown energy;      // whole run
  double energyJ = 0;          // energy.total()
  double areaMm2 = 0;          // provisioned chips
  double powerW = 0;           // energy / run time
  double denseOps = 0;         // dense-equivalent ops of the run
  double gopsPerW = 0;         // denseOps / energy / 1e9
  double gopsPerSMm2 = 0;      // throughput ops / area
};

/// Cost of running `program` as counted in `counts` (the interpreter's report
/// for the same program) on `hw`. Fails with a message on inconsistent input.
bool estimateCost(const program::Program &program, const RunReport &counts,
                  const HardwareDesc &hw, const CostOptions &options,
                  CostReport &out, std::string &error);

/// ISAAC's peak figures for `hw`: every crossbar of every tile busy on
/// 16-bit dense MACs at the full rate (ISAAC, ISCA 2016, Table IV:
/// 478.95 GOPS/(s*mm^2) and 627.5 GOPS/W for ISAAC-CE).
struct PeakFigures {
  double gopsPerS = 0, gopsPerSMm2 = 0, gopsPerW = 0, areaMm2 = 0, powerW = 0;
};
PeakFigures peakFigures(const HardwareDesc &hw);

std::string costToJson(const CostReport &report);
std::string costToTable(const CostReport &report);
/// A standalone HTML page with inline SVG plots (energy by component per
/// layer, utilization per layer, and the reports side by side when several
/// are given, e.g. ReBoc against the dense baseline).
std::string costToHtml(const std::vector<CostReport> &reports,
                       const std::vector<RunReport> &counts);

} // namespace rebocc::model

#endif // REBOCC_MODEL_COSTMODEL_H
