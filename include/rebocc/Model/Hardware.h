//===- Hardware.h - Hardware description ------------------------*- C++ -*-===//
//
// Every hardware constant the compiler and interpreter use. Defaults are the
// ISAAC-CE configuration (Shafiee et al., ISCA 2016, Table I); docs/Hardware.md
// cites each value. Users copy hw/isaac-ce.json and change it.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_MODEL_HARDWARE_H
#define REBOCC_MODEL_HARDWARE_H

#include "rebocc/Support/Shapes.h"

#include <cstdint>
#include <string>
#include <vector>

namespace llvm::json {
class OStream;
} // namespace llvm::json

namespace rebocc::model {

/// What to do when the mapped model needs more crossbars than one chip has.
/// The placement of the arrays is made for one policy, and a program records
/// which (docs/ProgramFormat.md).
enum class OverflowPolicy {
  MultiChip, // spread over ceil(needed / per-chip) chips; charge inter-chip
             // traffic for activations crossing chips
  Reprogram, // one chip; rewrite crossbars between layer groups, charging
             // write energy and latency for every cell programmed
};

/// "chips" / "reprogram"; parse returns false on anything else.
const char *overflowPolicyName(OverflowPolicy policy);
bool parseOverflowPolicy(const std::string &text, OverflowPolicy &out);

struct HardwareDesc {
  std::string name = "isaac-ce";
  // Crossbar geometry and precision.
  int64_t xbarRows = 128;
  int64_t xbarCols = 128;
  int64_t weightBits = 16;   // signed fixed-point weights
  int64_t cellBits = 2;      // bits per ReRAM cell
  int64_t inputBits = 16;    // signed fixed-point activations, 1 bit per cycle
  int64_t adcBits = 8;
  /// adc_bits = auto: each crossbar layer's ADCs at the bits its programmed
  /// columns need (TinyADC; program::layerAdcBits, docs/Accuracy.md); adcBits
  /// is then unused.
  bool adcBitsAuto = false;
  int64_t xbarsPerIma = 8;
  int64_t imasPerTile = 12;
  int64_t tilesPerChip = 168;
  double readCycleNs = 100.0;

  // Cost model (docs/CostModel.md cites every default; "Table I" is ISAAC,
  // Shafiee et al., ISCA 2016). Powers are full-activity powers of ALL units
  // of that kind in one IMA / tile / chip, as Table I lists them; per-event
  // energies are derived from them (CostModel.h: deriveEventCosts).
  // Chip: HyperTransport links.
  int64_t htLinks = 4;
  double htPowerW = 10.4;      // all links
  double htAreaMm2 = 22.88;    // all links
  double htLinkGBps = 6.4;     // per link, GB/s
  // Tile.
  int64_t edramBytes = 65536;
  double edramPowerMw = 20.7;
  double edramAreaMm2 = 0.083;
  int64_t edramWidthBits = 256; // bits per tile clock
  double tileClockGhz = 1.2;    // Table I header
  int64_t busWires = 384;
  double busPowerMw = 7.0;
  double busAreaMm2 = 0.090;
  double routerPowerMw = 42.0; // one router, shared by tilesPerRouter tiles
  double routerAreaMm2 = 0.151;
  int64_t tilesPerRouter = 4;
  int64_t routerFlitBits = 32;
  int64_t routerPorts = 8;
  int64_t sigmoidUnits = 2;
  double sigmoidPowerMw = 0.52;
  double sigmoidAreaMm2 = 0.0006;
  double tileShiftAddPowerMw = 0.05;
  double tileShiftAddAreaMm2 = 0.00006;
  double maxPoolPowerMw = 0.4;
  double maxPoolAreaMm2 = 0.00024;
  int64_t tileOutputRegisterBytes = 3072;
  double tileOutputRegisterPowerMw = 1.68;
  double tileOutputRegisterAreaMm2 = 0.0032;
  // PUMA's vector functional unit ALU (A. Ankit et al., ASPLOS 2019;
  // PUMAsim include/constants.py, "ALU (Part of Vector Functional Unit)"):
  // the digital elementwise instructions ISAAC's Table I has no unit for.
  // Dynamic power per operation class, one operation per vfuLatencyCycles
  // cycles of vfuCycleNs; one VFU in each tile that runs such work (our
  // assumption, docs/CostModel.md), with its leakage and area.
  double vfuDivPowerMw = 1.52 * 32.0 / 45.0;   // alu_pow_div_dyn
  double vfuMulPowerMw = 0.795 * 32.0 / 45.0;  // alu_pow_mul_dyn
  double vfuOtherPowerMw = 0.373 * 32.0 / 45.0; // alu_pow_others_dyn
  double vfuLeakPowerMw = 0.27 * 32.0 / 45.0;  // alu_pow_leak
  double vfuAreaMm2 = 0.00567 * 32.0 / 45.0;   // alu_area
  int64_t vfuLatencyCycles = 1;                // alu_lat
  double vfuCycleNs = 1.0;                     // cycle_time
  // IMA (all units of the kind in one IMA).
  int64_t adcsPerIma = 8;
  double adcSampleRateGsps = 1.28; // per ADC
  double adcPowerMw = 16.0;
  double adcAreaMm2 = 0.0096;
  int64_t dacsPerIma = 1024;
  double dacPowerMw = 4.0;
  double dacAreaMm2 = 0.00017;
  int64_t sampleHoldsPerIma = 1024;
  double sampleHoldPowerMw = 0.01;
  double sampleHoldAreaMm2 = 0.00004;
  double xbarPowerMw = 2.4;  // all xbarsPerIma arrays
  double xbarAreaMm2 = 0.0002;
  int64_t imaShiftAddUnits = 4;
  double imaShiftAddPowerMw = 0.2;
  double imaShiftAddAreaMm2 = 0.00024;
  int64_t inputRegisterBytes = 2048;
  double inputRegisterPowerMw = 1.24;
  double inputRegisterAreaMm2 = 0.0021;
  int64_t imaOutputRegisterBytes = 256;
  double imaOutputRegisterPowerMw = 0.23;
  double imaOutputRegisterAreaMm2 = 0.00077;
  // ReBoc input rotator, one per IMA (our assumption, docs/CostModel.md).
  double rotatorEnergyPjPerWord = 2.0;
  double rotatorAreaMm2 = 0.0021;
  // ReRAM programming (NVSim's sample RRAM cell and ISAAC's read cycle; the
  // iteration count and write parallelism are our assumptions;
  // docs/CostModel.md).
  double writeEnergyPjPerCell = 0.7;    // one pulse + verify read, one cell
  double writeLatencyNsPerRow = 110.0;  // one pulse + verify read, whole row
  int64_t writeVerifyIterations = 5;
  int64_t writeParallelArraysPerTile = 1;
  // ADC resolution law (docs/CostModel.md, "ADC resolution"): energy per
  // conversion and area follow the Murmann-survey fit of the Accelergy ADC
  // plug-in, as a ratio to Table I's point at adc_reference_bits, evaluated
  // at adc_tech_nm and the per-ADC sample rate.
  int64_t adcReferenceBits = 8;
  double adcTechNm = 32.0;
  // Static (leakage) share of each component's Table I power, from PUMAsim's
  // constants (include/constants.py: leak / (dyn + leak)); docs/CostModel.md.
  double adcStaticFraction = 0.10;
  double dacStaticFraction = 0.10;
  double sampleHoldStaticFraction = 0.10;
  double xbarStaticFraction = 0.0;
  double imaShiftAddStaticFraction = 0.10;
  double inputRegisterStaticFraction = 0.023;
  double imaOutputRegisterStaticFraction = 0.20;
  double edramStaticFraction = 0.051;
  double busStaticFraction = 0.143;
  double routerStaticFraction = 0.020;
  double sigmoidStaticFraction = 0.10;
  double tileShiftAddStaticFraction = 0.10;
  double maxPoolStaticFraction = 0.10;
  double tileOutputRegisterStaticFraction = 0.20;
  double htStaticFraction = 0.0;

  // Analog accuracy (docs/Accuracy.md). The defaults are ideal devices and an
  // ADC that is lossless for ISAAC-CE: 128 rows x 2-bit cells reach 384 per
  // column, which 8 bits hold only with ISAAC's flipped encoding (at most
  // half the range, 192).
  std::string weightEncoding = "flipped"; // flipped | offset | differential
  std::string adcRange = "max"; // max | calibrated | full scale (sum units)
  double adcClipPercentile = 99.99; // calibrated: percentile of the sums
  double cellSigma = 0.0;       // programming variation, relative std of G
  double readSigma = 0.0;       // read noise, relative std of G per read
  double stuckAtZeroRate = 0.0; // probability a cell is stuck at G_min
  double stuckAtOneRate = 0.0;  // probability a cell is stuck at G_max
  std::string onOffRatio = "inf"; // G_max / G_min: inf | a number > 1
  // Weight quantization (docs/Accuracy.md, section 1): one scale per layer
  // (ISAAC), or one per block-row of output channels (per output channel at
  // k = 1), applied by a multiply per output on the tile's digital unit.
  std::string weightScale = "layer"; // weight_scale_granularity: layer | channel

  /// ceil(weightBits / cellBits): adjacent physical columns per weight.
  int64_t cellsPerWeight() const {
    return support::ceilDiv(weightBits, cellBits);
  }
};

/// What a field's value measures. The kind decides the range validate()
/// enforces (docs/Hardware.md, "Validation"):
///  * Name: a non-empty string.
///  * Count, Bits: an integer in the field's [minInt, maxInt].
///  * Frequency, Bandwidth, Duration, Length: finite and within
///    [1e-6, 1e6] x the field's default (kRatioBound), so a time or a cycle
///    count derived from it stays in range.
///  * Power, Area, Energy: finite and within [0, 1e6 x default].
///  * Fraction: a probability in [0, 1].
enum class HardwareKind {
  Name,
  Count,     // units, wires, widths, bytes, iterations
  Bits,      // precision (weights, cells, inputs, ADC)
  Frequency, // GHz, GS/s
  Bandwidth, // GB/s
  Duration,  // ns
  Length,    // nm (technology node)
  Power,     // mW, W
  Area,      // mm^2
  Energy,    // pJ
  Fraction,  // share in [0, 1]
  Sigma,     // relative standard deviation in [0, kMaxSigma]
  Probability, // a rate in [0, 1]
  Percentile, // in [50, 100]
  Choice,    // one of the field's words
  ChoiceOrNumber, // one of the field's words or a number above numberAbove
};

/// Largest relative standard deviation validate() accepts (1000%).
constexpr double kMaxSigma = 10.0;

/// Bound of the ratio kinds (Frequency, Bandwidth, Duration, Length): a value
/// must lie in [default / kRatioBound, default * kRatioBound]; Power, Area and
/// Energy in [0, default * kRatioBound].
constexpr double kRatioBound = 1e6;

/// "count", "bits", "frequency", ... (the word docs/Hardware.md uses).
const char *hardwareKindName(HardwareKind kind);

/// One field of HardwareDesc as it appears in the JSON description and in the
/// program's `hw` line. Exactly one of the member pointers is set, matching
/// `kind`. The JSON parser, the program writer and reader, validate(), the
/// --hw-set overrides and docs/Hardware.md all follow this table, so a new
/// field is added in one place.
struct HardwareField {
  enum Kind { String, Int, Real }; // how the value is stored
  const char *key; // snake_case JSON / program key
  Kind kind;
  std::string HardwareDesc::*str;
  int64_t HardwareDesc::*integer;
  double HardwareDesc::*real;
  HardwareKind quantity; // what the value measures: decides its range
  /// The compiled program's layout depends on the value (array geometry,
  /// weight quantization and slicing, the chip capacity the mapping was
  /// budgeted for): rebocc-sim refuses to override it (--hw-set).
  bool placement;
  int64_t minInt, maxInt; // Count and Bits only: the valid range
  /// Choice and ChoiceOrNumber only: the valid words, '|'-separated
  /// ("flipped|offset|differential"), and for ChoiceOrNumber the exclusive
  /// lower bound of a numeric value.
  const char *words = nullptr;
  double numberAbove = 0;
  /// Int only: the field also takes the word `auto`, which sets this flag
  /// (and a number clears it). adc_bits is the one such field.
  bool HardwareDesc::*autoFlag = nullptr;
};

/// The field is an Int that takes `auto` and `hw` holds `auto` in it.
inline bool isAutoValue(const HardwareField &f, const HardwareDesc &hw) {
  return f.autoFlag && hw.*(f.autoFlag);
}

/// How signed weights are stored in the cells (docs/Accuracy.md).
enum class WeightEncoding {
  Flipped,      // offset, and a column whose cells sum past half the range
                // stores L - level (ISAAC)
  Offset,       // w + 2^(weight_bits-1) in unsigned cells, unit column
  Differential, // |w| in one array of a pair, by sign
};

/// The parsed analog keys of a validated HardwareDesc.
WeightEncoding weightEncoding(const HardwareDesc &hw);
/// weight_scale_granularity = channel: a scale per block-row of outputs.
bool channelWeightScales(const HardwareDesc &hw);
/// Physical arrays behind each placed crossbar: 2 for the differential
/// encoding (a pair, docs/CostModel.md "Weight encodings"), else 1.
int64_t arraysPerCrossbar(const HardwareDesc &hw);
/// The ADC full scale in column-sum units (a cell at level l driven by a 1
/// bit adds l), or 0 for `max` and `calibrated`.
double adcRangeValue(const HardwareDesc &hw);
/// G_max / G_min; +infinity for `inf`.
double onOffRatioValue(const HardwareDesc &hw);
/// Any device non-ideality set (sigma, stuck-at rate, finite on/off ratio).
bool hasDeviceNonIdealities(const HardwareDesc &hw);

/// All fields, in the order the program format writes them.
const HardwareField *hardwareFieldsBegin();
const HardwareField *hardwareFieldsEnd();

/// The field named `key`, or null.
const HardwareField *findHardwareField(const std::string &key);

/// The valid key nearest to `key` by edit distance (case-insensitive), or ""
/// when none is within max(2, size/3) edits.
std::string nearestHardwareKey(const std::string &key);

/// "unknown key 'adc_bit'; did you mean 'adc_bits'?" (without the question
/// when no key is near). Used by the JSON reader, the program reader and
/// --hw-set alike.
std::string unknownHardwareKeyMessage(const std::string &key);

/// Parses a hardware description (JSON object; unknown keys are errors, missing
/// keys keep their defaults; keys starting with "_" are comments/citations
/// and are ignored). On error returns false and sets `error` to one
/// line naming the file, the key or byte offset, and the problem.
bool parseHardwareDesc(const std::string &jsonText, const std::string &fileName,
                       HardwareDesc &out, std::string &error);
bool loadHardwareDesc(const std::string &path, HardwareDesc &out,
                      std::string &error);

/// Checks every field against its kind's range (HardwareKind), then the
/// relations between fields (cell bits <= weight bits, a weight fits the
/// columns, column sums fit 64 bits). Returns "" or one message naming the
/// key. The JSON reader, the program reader and --hw-set all call it.
std::string validate(const HardwareDesc &hw);

// --hw-set KEY=VALUE ---------------------------------------------------------

/// Splits `keyValue` at the first '=' and stores VALUE into the field KEY of
/// `hw` (a number for number keys: decimal, no trailing characters; an
/// integer for integer keys; any non-empty text for `name`). Does not call
/// validate(): several overrides may only be consistent together. On error
/// returns false, leaves `hw` unchanged and sets `error` to one line naming
/// the key. `field`, if given, is set to the field that was written.
bool applyHardwareOverride(HardwareDesc &hw, const std::string &keyValue,
                           std::string &error,
                           const HardwareField **field = nullptr);

/// Applies every KEY=VALUE of `keyValues` in order (a key given twice is an
/// error), then validate(). With `allowPlacement` false (rebocc-sim, which
/// runs an already compiled program), changing a placement field
/// (HardwareField::placement) to a different value is an error:
/// "--hw-set xbar_rows: changes the mapping; recompile with rebocc". On error
/// returns false and leaves `hw` unchanged.
bool applyHardwareOverrides(HardwareDesc &hw,
                            const std::vector<std::string> &keyValues,
                            bool allowPlacement, std::string &error);

/// Writes `hw` as a JSON object: every field under its key, in table order.
/// The object parses back (parseHardwareDesc) to the same description.
void writeHardwareJson(llvm::json::OStream &json, const HardwareDesc &hw);

} // namespace rebocc::model

#endif // REBOCC_MODEL_HARDWARE_H
