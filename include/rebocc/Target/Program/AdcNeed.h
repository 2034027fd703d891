//===- AdcNeed.h - ADC resolution the programmed weights need ---*- C++ -*-===//
//
// TinyADC's observation (Zhang et al., DATE 2021): the ADC must resolve only
// the largest sum a column can actually produce, which the programmed cells
// bound. With 1-bit inputs (bit-serial) that sum is the column's levels added
// over its programmed rows, once the weight encoding has been applied.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_TARGET_PROGRAM_ADCNEED_H
#define REBOCC_TARGET_PROGRAM_ADCNEED_H

#include "rebocc/Model/Hardware.h"
#include "rebocc/Target/Program/Program.h"

#include <cstdint>
#include <map>

namespace llvm::json {
class OStream;
} // namespace llvm::json

namespace rebocc::program {

/// The ADC bits one layer's physical columns need to be lossless.
struct AdcNeed {
  int64_t maxBits = 0;             // over the layer's columns
  int64_t maxSum = 0;              // the largest column sum
  std::map<int64_t, int64_t> bits; // bits -> number of physical columns
};

/// Bits that resolve every sum in [0, maxSum]: ceil(log2(maxSum + 1)), at
/// least 1.
int64_t adcBitsFor(int64_t maxSum);

/// The need of every physical column of `L` (every array, cell slice and,
/// with the differential encoding, both arrays) under `hw`'s weight bits,
/// cell bits and weight encoding, programmed as the simulator programs them.
AdcNeed adcNeed(const CrossbarLayer &L, const model::HardwareDesc &hw);

/// The ADC bits layer `L` runs at: `adc_bits`, or with `adc_bits = auto` its
/// need, adcNeed(L, hw).maxBits (lossless by construction).
int64_t layerAdcBits(const CrossbarLayer &L, const model::HardwareDesc &hw);

/// {"max": bits, "max_sum": sum, "histogram": {"bits": columns, ...}}.
void writeAdcNeedJson(llvm::json::OStream &json, const AdcNeed &need);

} // namespace rebocc::program

#endif // REBOCC_TARGET_PROGRAM_ADCNEED_H
