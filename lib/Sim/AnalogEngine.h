//===- AnalogEngine.h - bit-sliced crossbars with ADCs and noise -*- C++ -*-===//
//
// Private to lib/Sim. The fixed-point engine that runs the programmed cells
// the way the arrays would: inputs bit-serially, each column's analog sum
// (per input bit, per cell slice) through an ADC of adc_bits, the weight
// encoding undone digitally, shift-and-add over slices and input bits. Device
// non-idealities act on the conductances of the physical cells. The model is
// docs/Accuracy.md; CrossbarEngine.cpp chooses between this engine and the
// exact direct product (isLossless).
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_LIB_SIM_ANALOGENGINE_H
#define REBOCC_LIB_SIM_ANALOGENGINE_H

#include "CrossbarSchedule.h"
#include "rebocc/Model/Hardware.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace rebocc::sim {

/// The ADC of docs/Accuracy.md: an analog column sum a (in column-sum units,
/// a cell at level l driven by a 1 bit adds l) becomes the code
/// clamp(floor(a/step + 1/2), 0, maxCode); the digital side reads code*step.
struct AdcLaw {
  int64_t maxCode = 0; // 2^adc_bits - 1
  double step = 1;     // full scale / maxCode, or 1 while the bits suffice
  bool unitStep = true;

  int64_t convert(double a) const {
    // floor(c) <= 0 iff c < 1; between 1 and maxCode truncation is floor
    // (a libm call on baseline x86-64, hot in noisy runs).
    const double c = a / step + 0.5;
    return c < 1.0 ? 0 : c >= static_cast<double>(maxCode)
                             ? maxCode
                             : static_cast<int64_t>(c);
  }
  int64_t convert(int64_t a) const {
    if (!unitStep)
      return convert(static_cast<double>(a));
    return a <= 0 ? 0 : a >= maxCode ? maxCode : a;
  }
};

/// The hardware's ADC at `adcBits` (the layer's, program::layerAdcBits);
/// `ideal` gives an ADC that neither rounds nor clips.
/// `calibratedFullScale`: the layer's full scale for adc_range = calibrated
/// (the step is then never below one level).
AdcLaw adcLaw(const model::HardwareDesc &hw, int64_t adcBits, bool ideal,
              double calibratedFullScale = 0);

/// The largest analog column sum the weight encoding allows on `rows` driven
/// rows: rows * (2^cell_bits - 1), half of it (rounded down) when flipped.
int64_t maxColumnSum(const model::HardwareDesc &hw, int64_t rows);

/// True when the engine provably computes the exact product on `L`: ideal
/// devices, a unit ADC step and no column sum of its arrays beyond the
/// largest code (with adc_bits = auto the layer's bits hold its largest
/// programmed column sum by construction). Only then may the direct product replace the cells.
bool isLossless(const program::CrossbarLayer &L, const model::HardwareDesc &hw,
                const AdcLaw &law);

/// What a run adds to the hardware: the noise seed, the layer's index (part
/// of every noise key) and the ideal mode (no ADC limits, ideal devices:
/// the reference of the accuracy report).
struct AnalogOptions {
  uint64_t seed = 0;
  int64_t layer = 0;
  bool ideal = false;
  double calibratedFullScale = 0;
  /// When set (ideal integer cells only), every column sum of a read with a
  /// driven row is counted: (*histogram)[sum] += 1.
  std::vector<int64_t> *histogram = nullptr;
};

/// Devices: each cell's conductance in level units is drawn (device
/// non-idealities; float cells, double column sums); the reads of up to
/// kBatch vectors run together, each weight column over all of them
/// (NoisyReads.cpp). Otherwise the cells hold ideal levels, stored as
/// bit-planes: a column sum over the driven rows is sum_k 2^k
/// popcount(rows & plane_k), exact and much faster than adding the rows.
template <bool Devices> class AnalogEngine {
public:
  using X = int32_t;
  /// The integer part of an output and its ADC codes (times step), apart so
  /// that a unit step keeps the sum exact.
  struct Acc {
    __int128 exact = 0, codes = 0;
  };
  static constexpr int64_t kBatch = Devices ? 256 : 1;

  AnalogEngine(const program::CrossbarLayer &L, const model::HardwareDesc &hw,
               const LayerPlan &S, const AnalogOptions &options,
               const AdcLaw &adc);

  bool quantize(const float *x, int64_t count, std::vector<X> &out,
                double &scale, std::string &error) {
    return quantizeInput(x, count, maxX, out, scale, error, L.inputBits > 0);
  }

  /// acc[v * m + o] += group g's product with gathered vector v (at xv + v *
  /// S.rows), v < count <= kBatch; vector v is numbered firstVector + v
  /// within the layer's run (read-noise key).
  bool mvm(int64_t g, const X *xv, int64_t count, Acc *acc,
           int64_t firstVector, std::string &error);

  float finish(const Acc &acc, double sx, float weightScale,
               float bias) const {
    double v = adc.unitStep ? static_cast<double>(acc.exact + acc.codes)
                            : static_cast<double>(acc.exact) +
                                  adc.step * static_cast<double>(acc.codes);
    return finishFixed(weightScale, v, sx, bias);
  }

private:
  void program(const model::HardwareDesc &hw);
  /// The conductances of physical array `pa` from its levels.
  void applyDevices(const model::HardwareDesc &hw, int64_t pa,
                    const std::vector<uint32_t> &level,
                    std::vector<float> &g) const;
  /// The bit-planes of physical array `pa`'s levels (rows x pc).
  void storePlanes(int64_t pa, const std::vector<uint32_t> &level,
                   int64_t rows, int64_t pc);
  /// Ideal cells: one vector through group g's arrays.
  void mvmIdeal(int64_t g, const X *xv, Acc *acc);
  /// colSum[half] of physical array `pa` over the rows set in `mask`
  /// (ceil(rows/64) words).
  void columnSums(int64_t pa, int64_t half, const ArrayPlan &A,
                  const uint64_t *mask);
  /// The digital side of weight column c of logical array `la` as a linear
  /// form of its slices' codes (undoing the weight encoding): codes = sum_k
  /// coef[k] * code(k / cpw, c * cpw + k % cpw) over the cpw * halves lanes
  /// (half k / cpw), shift-added by slice, and exact = the returned value
  /// times the column's driven rows (offset, unflip).
  int64_t decodeCoefficients(int64_t la, int64_t c, int64_t *coef) const;
  /// Counts the column sums of weight columns that produce an output.
  void record(const ArrayPlan &A, const int64_t *out);
  /// Device cells: the reads of `count` vectors through logical array
  /// `la` (position ai, step s); NoisyReads.cpp.
  void readNoisy(int64_t s, int64_t ai, int64_t la, const X *xv,
                 int64_t count, Acc *acc, int64_t firstVector);

  const program::CrossbarLayer &L;
  const LayerPlan &S;
  const AnalogOptions options;
  const model::WeightEncoding encoding;
  const int64_t cpw, cellBits, levelMax, offset, inputBits, halves;
  const double maxX, readSigma;
  const AdcLaw adc;
  /// Per physical array (logical array * halves + half). Devices: row-major
  /// rows x (weight columns * cpw) conductances. Otherwise planes: cell_bits
  /// planes of ceil(rows/64) words per physical column, word w of plane k of
  /// column col at (k * words + w) * pc + col, bit r%64 of word r/64 = bit k
  /// of row r's level. flipped: per physical column.
  std::vector<std::vector<float>> cells;
  std::vector<std::vector<uint64_t>> planes;
  std::vector<std::vector<uint8_t>> flipped;
  // Scratch of mvmIdeal.
  std::vector<int64_t> colSum[2];
  /// The driven inputs of an array; their bit-planes as row masks: bit
  /// r % 64 of word j * words + r / 64 is bit j of row r's input.
  std::vector<uint32_t> inputs;
  std::vector<uint64_t> inputMasks;
  /// Per physical column (half * pc + col), sum_j +-2^j * code_j; per weight
  /// column, sum_j +-2^j * (driven rows of the column).
  std::vector<int64_t> weighedCodes, weighedPops;
};

/// The rows among [lo, hi) set in `mask` (64 rows per word).
inline int64_t popRange(const uint64_t *mask, int64_t lo, int64_t hi) {
  int64_t n = 0;
  for (int64_t r = lo; r < hi;) {
    const int64_t w = r / 64, b = r % 64, end = std::min(hi, (w + 1) * 64);
    uint64_t m = mask[w] >> b;
    if (end - r < 64)
      m &= (uint64_t(1) << (end - r)) - 1;
    n += __builtin_popcountll(m);
    r = end;
  }
  return n;
}

template <bool Devices>
int64_t AnalogEngine<Devices>::decodeCoefficients(int64_t la, int64_t c,
                                                  int64_t *coef) const {
  const int64_t pa = la * halves;
  int64_t perPop =
      encoding == model::WeightEncoding::Differential ? 0 : -offset;
  for (int64_t b = 0; b < cpw; ++b) {
    const int64_t col = c * cpw + b, scale = int64_t(1) << (b * cellBits);
    if (encoding == model::WeightEncoding::Differential) {
      coef[b] = scale;
      coef[cpw + b] = -scale;
    } else if (flipped[pa][col]) {
      perPop += levelMax * scale; // unflip: L*pop - code
      coef[b] = -scale;
    } else {
      coef[b] = scale;
    }
  }
  return perPop;
}

// NoisyReads.cpp.
template <>
void AnalogEngine<true>::readNoisy(int64_t s, int64_t ai, int64_t la,
                                   const X *xv, int64_t count, Acc *acc,
                                   int64_t firstVector);
template <>
void AnalogEngine<false>::readNoisy(int64_t s, int64_t ai, int64_t la,
                                    const X *xv, int64_t count, Acc *acc,
                                    int64_t firstVector);

extern template class AnalogEngine<false>;
extern template class AnalogEngine<true>;

} // namespace rebocc::sim

#endif // REBOCC_LIB_SIM_ANALOGENGINE_H
