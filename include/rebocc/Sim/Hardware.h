//===- Hardware.h - Hardware description ------------------------*- C++ -*-===//
//
// Every hardware constant the compiler and interpreter use. Defaults are the
// ISAAC-CE configuration (Shafiee et al., ISCA 2016, Table I); docs/Hardware.md
// cites each value. Users copy hw/isaac-ce.json and change it.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SIM_HARDWARE_H
#define REBOCC_SIM_HARDWARE_H

#include <cstdint>
#include <string>

namespace rebocc::sim {

struct HardwareDesc {
  std::string name = "isaac-ce";
  // Crossbar geometry and precision.
  int64_t xbarRows = 128;
  int64_t xbarCols = 128;
  int64_t weightBits = 16;   // signed fixed-point weights
  int64_t cellBits = 2;      // bits per ReRAM cell
  int64_t inputBits = 16;    // signed fixed-point activations, 1 bit per cycle
  int64_t adcBits = 8;
  int64_t xbarsPerIma = 8;
  int64_t imasPerTile = 12;
  int64_t tilesPerChip = 168;
  double readCycleNs = 100.0;
  // Per-event energies (pJ); see docs/Hardware.md for derivations.
  double adcEnergyPj = 1.56;
  double dacEnergyPj = 0.39;
  double bufferReadEnergyPjPerByte = 2.0;

  /// ceil(weightBits / cellBits): adjacent physical columns per weight.
  int64_t cellsPerWeight() const {
    return (weightBits + cellBits - 1) / cellBits;
  }
};

/// One field of HardwareDesc as it appears in the JSON description and in the
/// program's `hw` line. Exactly one of the member pointers is set, matching
/// `kind`. The JSON parser, the program writer and reader and docs/Hardware.md
/// all follow this table, so a new field is added in one place.
struct HardwareField {
  enum Kind { String, Int, Real };
  const char *key; // snake_case JSON / program key
  Kind kind;
  std::string HardwareDesc::*str;
  int64_t HardwareDesc::*integer;
  double HardwareDesc::*real;
};

/// All fields, in the order the program format writes them.
const HardwareField *hardwareFieldsBegin();
const HardwareField *hardwareFieldsEnd();

/// Parses a hardware description (JSON object; unknown keys are errors, missing
/// keys keep their defaults; keys starting with "_" are comments/citations
/// and are ignored). On error returns false and sets `error` to one
/// line naming the file, the key or byte offset, and the problem.
bool parseHardwareDesc(const std::string &jsonText, const std::string &fileName,
                       HardwareDesc &out, std::string &error);
bool loadHardwareDesc(const std::string &path, HardwareDesc &out,
                      std::string &error);

/// Checks ranges (positive sizes, cell bits <= weight bits, bits <= 24, ...).
std::string validate(const HardwareDesc &hw);

} // namespace rebocc::sim

#endif // REBOCC_SIM_HARDWARE_H
