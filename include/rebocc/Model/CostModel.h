//===- CostModel.h - cycles, energy, area of a mapped program ---*- C++ -*-===//
//
// Charges every event a run makes (Events.h) with per-component energies
// derived from the hardware description's cited constants, and the static
// (leakage) power of every powered component over the run
// (docs/CostModel.md). The stages of the estimate are separate functions
// (CostStages.h), each tested on its own; estimateCost composes them. No
// MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_MODEL_COSTMODEL_H
#define REBOCC_MODEL_COSTMODEL_H

#include "rebocc/Model/Events.h"
#include "rebocc/Model/Hardware.h"
#include "rebocc/Target/Program/Program.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rebocc::model {

/// One value per component: joules of energy, or milliwatts of power.
/// `total()` is their sum.
struct EnergyBreakdown {
  double adc = 0;            // ADC conversions
  double dac = 0;            // 1-bit DAC row drives (per input bit)
  double crossbar = 0;       // array reads
  double sampleHold = 0;     // sample-and-hold per column read
  double shiftAdd = 0;       // shift-and-add (IMA and tile)
  double inputRegister = 0;  // IMA input register reads
  double outputRegister = 0; // IMA and tile output registers
  double rotator = 0;        // input slice rotations (ReBoc)
  double buffer = 0;         // eDRAM buffer reads and writes
  double bus = 0;            // eDRAM-to-IMA bus transfers
  double network = 0;        // routers: NoC hops between tiles
  double interChip = 0;      // HyperTransport links between chips
  double hostIo = 0;         // the same links: inputs in, outputs out (run
                             // level, in no layer's breakdown)
  double digital = 0;        // digital units (activation, pooling)
  double programming = 0;    // ReRAM writes (only when reprogramming)
  double total() const;
  EnergyBreakdown &operator+=(const EnergyBreakdown &other);
  EnergyBreakdown scaled(double factor) const;
};

/// A component of EnergyBreakdown and its name in the reports.
struct EnergyComponent {
  const char *key; // "adc", "sample_hold", ...
  double EnergyBreakdown::*field;
};
/// Every component, in the one order the JSON, the table and the HTML page
/// list them.
llvm::ArrayRef<EnergyComponent> energyComponents();

/// How the layers of one inference are scheduled.
enum class PipelineMode {
  IntraLayer, // ReBoc: layers run one after another, each pipelined inside
  InterLayer, // ISAAC: all layers resident, pipelined across layers
};

struct CostOptions {
  PipelineMode pipeline = PipelineMode::IntraLayer;
  OverflowPolicy overflow = OverflowPolicy::MultiChip;
  /// Inferences the counts cover (the batch size of the run).
  int64_t inferences = 1;
  /// Static power: true (default) charges only the tiles the model's layers
  /// occupy (with their replicas), as PUMAsim and NeuroSim do (unused units
  /// power-gated); false charges every tile of every provisioned chip for the
  /// whole run. Area is always whole chips.
  bool gateIdleTiles = true;
  /// Spend the spare IMAs of the provisioned chips on copies of layers that
  /// work on different input vectors at once (both pipelines). Off for the
  /// compiler's per-layer predictions, which price a mapping on its own.
  bool replicate = true;
};

/// "intra" / "inter"; parse returns false on anything else. (The overflow
/// policy's names are in Hardware.h: programs record it.)
const char *pipelineModeName(PipelineMode mode);
bool parsePipelineMode(const std::string &text, PipelineMode &out);

/// The ADC resolution law (docs/CostModel.md, "ADC resolution"): the
/// Murmann-survey fit of the Accelergy ADC plug-in (model.py,
/// adc_data/model.yaml). Energy per conversion in pJ and area in um^2 of the
/// best-fit ADC with `bits` of resolution at `techNm` and `rateHz` samples
/// per second per ADC. The cost model uses only ratios of these to Table I's
/// point at adc_reference_bits.
double surveyAdcEnergyPj(double bits, double techNm, double rateHz);
double surveyAdcAreaUm2(double bits, double techNm, double rateHz);

/// Per-event energies, rates, static powers and areas derived from the
/// hardware description (docs/CostModel.md, "Derived values"). A component
/// with Table I power P (all units of its kind in one IMA or tile), static
/// fraction f and full-activity event rate r costs (1 - f) * P / r per event
/// and leaks f * P while powered, so at full activity it draws exactly P.
/// Energies in pJ, rates per ns, powers in mW unless named.
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
  double htPerByte = 0;             // one byte over a link: link power x time
  double tileShiftAddPerAdd = 0;    // partial-sum reduction / element add
  double tileOutputRegisterPerValue = 0;
  double sigmoidPerElement = 0;     // activation functions
  double maxPoolPerElement = 0;     // pooling, per input element
  double rotatorPerWord = 0;        // our assumption, no static share
  // PUMA's vector functional unit: one operation of each class, its dynamic
  // power x vfu_latency_cycles x vfu_cycle_ns.
  double vfuDivPerOp = 0, vfuMulPerOp = 0, vfuOtherPerOp = 0;
  double vfuNsPerOp = 0;            // one operation on one VFU
  double writePerCellPulse = 0;     // NVSim cell, no static share
  // Rates and bandwidths.
  double adcSamplesPerNsPerIma = 0;
  double edramBytesPerNsPerTile = 0;  // = GB/s
  double busBytesPerNsPerTile = 0;
  double routerPortBytesPerNs = 0;    // one port (a tile's ejection port)
  double routerBytesPerNs = 0;        // all ports of one router
  double htBytesPerNsPerLink = 0;
  double tileValuesPerNsFull = 0;     // tile outputs per ns, all arrays busy
  // The ADC resolution these costs are at, and the ADC law's ratios to
  // Table I's reference resolution.
  int64_t adcBits = 0;
  double adcEnergyRatio = 1, adcAreaRatio = 1;
  // Static power while powered, mW, by component: one IMA; one tile's own
  // components (without its IMAs; the router's share is network); all links.
  EnergyBreakdown imaStaticMw, tileStaticMw, linksStaticMw;
  // Full-activity power and area (Table I sums, ADC scaled by the law).
  double imaPowerMw = 0, tilePowerMw = 0, chipPowerW = 0;
  double imaAreaMm2 = 0, tileAreaMm2 = 0, chipAreaMm2 = 0;
  /// Static share of the chip's full-activity power that the cited fractions
  /// give (docs/CostModel.md reports it).
  double fullLoadStaticShare = 0;
};
/// The costs with the ADCs at `adcBits`; without it at `adc_bits`, or
/// with `adc_bits = auto` (which sizes the ADCs per layer: estimateCost) at
/// `adc_reference_bits`.
EventCosts deriveEventCosts(const HardwareDesc &hw, int64_t adcBits);
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
  std::string attention;       // matmul: "digital" or "reprogram"
  int64_t blockSize = 1;
  int64_t crossbars = 0;
  int64_t imas = 0;            // IMAs its arrays occupy (a layer owns whole IMAs)
  int64_t adcBits = 0;         // crossbar: its ADCs' resolution (adc_bits, or
                               // with auto its need: program::layerAdcBits)
  int64_t firstIma = 0;        // placement: first IMA slot (global over chips,
                               // or local to the chip load when reprogrammed)
  int64_t adcs = 0;            // imas * adcs_per_ima
  int64_t tiles = 0;           // tiles its arrays (and replicas) occupy
  int64_t firstTile = 0;       // placement: first tile (global over chips)
  int64_t chipsSpanned = 0;    // chips its arrays occupy (multi-chip)
  int64_t chunks = 1;          // reprogram: pieces of a layer larger than a chip
  int64_t replication = 1;     // copies of the layer on spare IMAs
  int64_t activeImas = 0;      // IMAs of all its copies (copies of a layer
                               // smaller than an IMA share IMAs)
  double uOcc = 0, uUniq = 0;
  int64_t cycles = 0;          // pipeline cycles of this layer for the run
  double latencyS = 0;         // time for one inference through the layer
  double stageS = 0;           // inter-layer: the layer's pipeline stage time
                               // per inference (after replication)
  std::string bottleneck;      // slowest stage or shared resource
  std::vector<StageTime> stages;
  double bufferBytes = 0;      // input working set in the layer's eDRAM
  double bufferCapacityBytes = 0; // eDRAM of the layer's tiles
  double spillWords = 0;       // words re-fetched because the buffer overflows
  EnergyBreakdown dynamicJ;    // events x per-event energy
  EnergyBreakdown staticJ;     // its share of the run's static energy
  double denseOps = 0;         // dense-equivalent ops (2 * MACs)
  bool vfu = false;            // digital: runs on its tiles' VFUs
  double energyJ() const { return dynamicJ.total() + staticJ.total(); }
  /// bufferBytes / bufferCapacityBytes (0 without a buffer).
  double bufferOccupancy() const;
};

/// One array of the program and where it sits (program::Array::place).
struct PlacedArray {
  int64_t layer = 0;           // crossbar layer index in the program
  std::string layerName;
  int64_t array = 0;           // index among the layer's arrays
  program::ArrayPlace place;
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
  int64_t rotatorImas = 0;     // IMAs that hold rotated blocks (with replicas)
  int64_t vfuTiles = 0;        // tiles with a vector functional unit: those
                               // that run VFU instructions (our assumption)
  bool gateIdleTiles = true;   // CostOptions::gateIdleTiles
  int64_t tilesUsed = 0;       // tiles holding arrays (per chip load)
  int64_t tilesPowered = 0;    // tiles charged static power
  double staticPowerW = 0;     // static power charged over the run
  double fullLoadStaticShare = 0; // EventCosts::fullLoadStaticShare
  double adcEnergyRatio = 1, adcAreaRatio = 1; // EventCosts: the ADC law
  /// adc_bits = auto: the provisioned IMAs by the resolution of their ADCs
  /// (bits -> IMAs; docs/CostModel.md, "ADC resolution"); empty otherwise.
  std::map<int64_t, int64_t> adcImasByBits;
  double hostIoBytes = 0;      // program inputs in + outputs out, run
  double hostIoS = 0;          // their time on the links, per inference
  std::vector<LayerCost> layers; // crossbar and digital layers, in order
  std::vector<PlacedArray> arrays; // the placement the estimate read
  double uOcc = 0, uUniq = 0;  // whole model
  int64_t crossbars = 0, adcs = 0; // used by the model
  int64_t cycles = 0;          // whole run, in read cycles (read_cycle_ns)
  double runS = 0;             // whole run (all inferences)
  double latencyS = 0;         // one inference, first input to last output
  double throughputPerS = 0;   // steady-state inferences per second
  EnergyBreakdown dynamicJ;    // whole run, by component
  EnergyBreakdown staticJ;     // whole run, by component
  double energyJ = 0;          // dynamicJ.total() + staticJ.total()
  double areaMm2 = 0;          // provisioned chips
  double powerW = 0;           // energy / run time
  double denseOps = 0;         // dense-equivalent ops of the run
  double gopsPerW = 0;         // denseOps / energy / 1e9
  double gopsPerSMm2 = 0;      // throughput ops / area
};

/// Cost of running `program` as counted in `counts` (the interpreter's report
/// for the same program, or the shape-only count) on `hw`. Fails with a
/// message on inconsistent input.
bool estimateCost(const program::Program &program, const RunReport &counts,
                  const HardwareDesc &hw, const CostOptions &options,
                  CostReport &out, std::string &error);

/// ISAAC's closed-form peak for `hw`: every crossbar of every tile busy on
/// 16-bit dense MACs at the full rate, drawing the chip's Table I power
/// (ISAAC, ISCA 2016, Table IV: 478.95 GOPS/(s*mm^2) and 627.5 GOPS/W for
/// ISAAC-CE). A cross-check of the event path, which the calibration test
/// drives with a saturating workload.
struct PeakFigures {
  double gopsPerS = 0, gopsPerSMm2 = 0, gopsPerW = 0, areaMm2 = 0, powerW = 0;
};
PeakFigures peakFigures(const HardwareDesc &hw);

/// The report as one JSON object written to `json` (the run report's "cost").
void writeCostJson(llvm::json::OStream &json, const CostReport &report);
/// The report as a JSON document (writeCostJson).
std::string costToJson(const CostReport &report);
/// The "placement" member of writeCostJson: the overflow policy and one
/// object per array, {"layer", "layer_name", "array", "chip", "load", "tile",
/// "ima", "xbar"}.
void writePlacementJson(llvm::json::OStream &json, const CostReport &report);
std::string costToTable(const CostReport &report);
/// One self-contained HTML page (inline SVG and CSS, no script, nothing
/// fetched): the reports side by side (e.g. ReBoc against the dense
/// baseline), each with its per-layer latency and energy charts on a scale
/// shared by all reports, dynamic and static energy on separate axes, and
/// its utilization table; `counts[i]`, when given, as report i's event
/// counts. docs/Report.md, "HTML page".
std::string costToHtml(const std::vector<CostReport> &reports,
                       const std::vector<RunReport> &counts);

} // namespace rebocc::model

#endif // REBOCC_MODEL_COSTMODEL_H
