//===- AdcNeed.cpp - ADC resolution the programmed weights need -----------===//
//
// Programs the cells the way lib/Sim/AnalogEngine.cpp does (docs/Accuracy.md:
// quantize, encode, slice LSB first, flip a column past half its range) but
// keeps only each physical column's level sum over its programmed rows.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Target/Program/AdcNeed.h"
#include "rebocc/Target/Program/Cells.h"

#include "llvm/Support/JSON.h"

#include <algorithm>
#include <string>
#include <vector>

namespace rebocc::program {

using model::WeightEncoding;

int64_t adcBitsFor(int64_t maxSum) {
  int64_t bits = 1;
  while ((int64_t(1) << bits) - 1 < maxSum)
    ++bits;
  return bits;
}

namespace {

/// The encoded value of every unique weight for array half `h` (differential:
/// h = 0 holds the positive weights, h = 1 the magnitudes of the negative).
std::vector<uint32_t> encodedWeights(const CrossbarLayer &L,
                                     const model::HardwareDesc &hw,
                                     WeightEncoding encoding, int64_t h) {
  const int64_t offset = int64_t(1) << (hw.weightBits - 1);
  std::vector<uint32_t> value(L.weights.size());
  for (size_t w = 0; w < L.weights.size(); ++w) {
    const int64_t q = quantizeWeight(L, w, offset - 1);
    if (encoding != WeightEncoding::Differential)
      value[w] = static_cast<uint32_t>(q + offset);
    else
      value[w] = (q < 0) == (h == 1) ? static_cast<uint32_t>(q < 0 ? -q : q)
                                     : 0;
  }
  return value;
}

/// Adds the needs of array `a`'s physical columns (one half) to `need`.
/// Each cell's weight is looked up once for all its slices.
void addArray(const CrossbarLayer &L, const Array &a,
              const std::vector<uint32_t> &value, int64_t cpw,
              int64_t cellBits, bool flip, AdcNeed &need) {
  const int64_t levelMax = (int64_t(1) << cellBits) - 1;
  std::vector<int64_t> sum(cpw);
  for (int64_t c = 0; c < a.weightColCount; ++c) {
    std::fill(sum.begin(), sum.end(), 0);
    int64_t rows = 0;
    for (int64_t r = 0; r < a.rowCount; ++r) {
      const int64_t w = weightIndex(L, a, r, c);
      if (w < 0)
        continue; // never programmed: level 0
      for (int64_t b = 0; b < cpw; ++b)
        sum[b] += (value[w] >> (b * cellBits)) & levelMax;
      ++rows;
    }
    for (int64_t b = 0; b < cpw; ++b) {
      // ISAAC's flip stores the complements of a column past half its range.
      const int64_t s =
          flip && 2 * sum[b] > rows * levelMax ? rows * levelMax - sum[b]
                                               : sum[b];
      const int64_t bits = adcBitsFor(s);
      need.maxSum = std::max(need.maxSum, s);
      need.maxBits = std::max(need.maxBits, bits);
      ++need.bits[bits];
    }
  }
}

} // namespace

AdcNeed adcNeed(const CrossbarLayer &L, const model::HardwareDesc &chip) {
  const model::HardwareDesc hw = layerHardware(L, chip);
  const WeightEncoding encoding = model::weightEncoding(hw);
  const int64_t halves = encoding == WeightEncoding::Differential ? 2 : 1;
  AdcNeed need;
  for (int64_t h = 0; h < halves; ++h) {
    const std::vector<uint32_t> value = encodedWeights(L, hw, encoding, h);
    for (const Array &a : L.arrays)
      addArray(L, a, value, hw.cellsPerWeight(), hw.cellBits,
               encoding == WeightEncoding::Flipped, need);
  }
  return need;
}

int64_t layerAdcBits(const CrossbarLayer &L, const model::HardwareDesc &hw) {
  // A layer without columns needs nothing; its ADCs still have one bit.
  return hw.adcBitsAuto ? std::max<int64_t>(1, adcNeed(L, hw).maxBits)
                        : hw.adcBits;
}

void writeAdcNeedJson(llvm::json::OStream &json, const AdcNeed &need) {
  json.object([&] {
    json.attribute("max", need.maxBits);
    json.attribute("max_sum", need.maxSum);
    json.attributeObject("histogram", [&] {
      for (const auto &[bits, columns] : need.bits)
        json.attribute(std::to_string(bits), columns);
    });
  });
}

} // namespace rebocc::program
