//===- AnalogEngine.cpp - bit-sliced crossbars with ADCs and noise --------===//
//
// docs/Accuracy.md is the specification this file implements:
//  * programming: each unique weight is quantized once and encoded (offset,
//    flipped or differential), sliced into cells of cell_bits, LSB first;
//    a flipped column stores 2^cell_bits - 1 - level in its programmed rows;
//  * devices (only when a non-ideality is set): stuck-at faults, finite
//    on/off ratio and programming variation turn each physical cell's level
//    into a conductance, drawn once per cell from its key;
//  * reads: input bit j of every driven row at once; each physical column's
//    sum (plus read noise) goes through the ADC; the digital side unflips,
//    subtracts the offset with the exact count of driven rows, shift-adds the
//    slices and weighs bit j by 2^j (-2^j for the two's-complement sign bit).
//
//===----------------------------------------------------------------------===//

#include "AnalogEngine.h"
#include "Noise.h"
#include "TargetClones.h"

#include <algorithm>
#include <limits>

namespace rebocc::sim {

using namespace program;
using model::WeightEncoding;

namespace {

/// The ideal column sums of `columns` columns: sum[c] = sum_k 2^k
/// popcount(mask & plane_k(c)), word w of plane k of column c at plane[(k *
/// words + w) * columns + c], so that the columns vectorize. The build targets
/// baseline x86-64, whose popcount is a dozen instructions; CPUs with POPCNT
/// (all since 2008) or AVX-512's VPOPCNTQ (eight per instruction) get the
/// clones below, chosen once at run time.
template <int Unused = 0>
REBOCC_INLINE void planeSums(const uint64_t *mask, const uint64_t *plane,
                             int64_t columns, int64_t planes, int64_t words,
                             int64_t *sum) {
  std::fill(sum, sum + columns, 0);
  for (int64_t k = 0; k < planes; ++k)
    for (int64_t w = 0; w < words; ++w, plane += columns) {
      const uint64_t m = mask[w];
      if (!m)
        continue;
      for (int64_t c = 0; c < columns; ++c)
        sum[c] += int64_t(__builtin_popcountll(m & plane[c])) << k;
    }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
__attribute__((target("popcnt"))) void
planeSumsPopcnt(const uint64_t *mask, const uint64_t *plane, int64_t columns,
                int64_t planes, int64_t words, int64_t *sum) {
  planeSums<1>(mask, plane, columns, planes, words, sum);
}
__attribute__((target("popcnt,avx512f,avx512vpopcntdq"))) void
planeSumsVpopcnt(const uint64_t *mask, const uint64_t *plane, int64_t columns,
                 int64_t planes, int64_t words, int64_t *sum) {
  planeSums<2>(mask, plane, columns, planes, words, sum);
}
#endif

using PlaneSumFn = void (*)(const uint64_t *, const uint64_t *, int64_t,
                            int64_t, int64_t, int64_t *);

PlaneSumFn choosePlaneSum() {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
  if (__builtin_cpu_supports("avx512f") &&
      __builtin_cpu_supports("avx512vpopcntdq"))
    return planeSumsVpopcnt;
  if (__builtin_cpu_supports("popcnt"))
    return planeSumsPopcnt;
#endif
  return planeSums<0>;
}

const PlaneSumFn kPlaneSums = choosePlaneSum();

} // namespace

AdcLaw adcLaw(const model::HardwareDesc &hw, int64_t adcBits, bool ideal,
              double calibratedFullScale) {
  AdcLaw law;
  if (ideal) {
    law.maxCode = std::numeric_limits<int64_t>::max();
    return law;
  }
  law.maxCode = (int64_t(1) << adcBits) - 1;
  const double range = model::adcRangeValue(hw);
  const double maxCode = static_cast<double>(law.maxCode);
  if (hw.adcRange == "calibrated") {
    // A step below one level resolves nothing more of integer level sums.
    law.step = std::max(1.0, calibratedFullScale / maxCode);
  } else if (range == 0) {
    // `max`: the full scale is the largest sum the encoding allows on a full
    // array; while the codes reach it the step stays one level. With
    // adc_bits = auto it is the layer's largest programmed column sum, which
    // its bits hold: the step is one level.
    const int64_t fullScale = maxColumnSum(hw, hw.xbarRows);
    if (!hw.adcBitsAuto && fullScale > law.maxCode)
      law.step = static_cast<double>(fullScale) / maxCode;
  } else {
    law.step = range / maxCode;
  }
  law.unitStep = law.step == 1.0;
  return law;
}

int64_t maxColumnSum(const model::HardwareDesc &hw, int64_t rows) {
  const int64_t full = rows * ((int64_t(1) << hw.cellBits) - 1);
  // ISAAC's flip: a column whose levels sum past half the range stores the
  // complements, so no column sums past half (Shafiee et al., ISCA 2016).
  return model::weightEncoding(hw) == WeightEncoding::Flipped ? full / 2
                                                              : full;
}

bool isLossless(const CrossbarLayer &L, const model::HardwareDesc &hw,
                const AdcLaw &law) {
  if (model::hasDeviceNonIdealities(hw))
    return false;
  int64_t rows = 0;
  for (const Array &a : L.arrays)
    rows = std::max(rows, a.rowCount);
  return law.unitStep &&
         (hw.adcBitsAuto || maxColumnSum(hw, rows) <= law.maxCode);
}

template <bool Devices>
AnalogEngine<Devices>::AnalogEngine(const CrossbarLayer &L,
                                  const model::HardwareDesc &hw,
                                  const LayerPlan &S,
                                  const AnalogOptions &options,
                                  const AdcLaw &adc)
    : L(L), S(S), options(options), encoding(model::weightEncoding(hw)),
      cpw(hw.cellsPerWeight()), cellBits(hw.cellBits),
      levelMax((int64_t(1) << hw.cellBits) - 1),
      offset(int64_t(1) << (hw.weightBits - 1)), inputBits(hw.inputBits),
      halves(encoding == WeightEncoding::Differential ? 2 : 1),
      maxX(static_cast<double>((int64_t(1) << (hw.inputBits - 1)) - 1)),
      readSigma(options.ideal ? 0.0 : hw.readSigma), adc(adc) {
  program(hw);
}

template <bool Devices>
void AnalogEngine<Devices>::program(const model::HardwareDesc &hw) {
  const bool differential = encoding == WeightEncoding::Differential;
  // Each unique weight once: |q| and its sign (differential) or q + offset.
  std::vector<uint32_t> value(L.weights.size());
  std::vector<uint8_t> negative(L.weights.size(), 0);
  for (size_t w = 0; w < L.weights.size(); ++w) {
    int64_t q = quantizeWeight(L, w, offset - 1);
    negative[w] = q < 0;
    value[w] = static_cast<uint32_t>(differential ? (q < 0 ? -q : q)
                                                  : q + offset);
  }
  const uint32_t mask = static_cast<uint32_t>(levelMax);
  cells.resize(L.arrays.size() * halves);
  planes.resize(L.arrays.size() * halves);
  flipped.resize(L.arrays.size() * halves);
  std::vector<uint32_t> level;
  for (size_t ai = 0; ai < L.arrays.size(); ++ai) {
    const Array &a = L.arrays[ai];
    const ArrayPlan &A = S.arrays[ai % S.perGroup];
    const int64_t rows = a.rowCount, pc = a.weightColCount * cpw;
    for (int64_t h = 0; h < halves; ++h) {
      const int64_t pa = static_cast<int64_t>(ai) * halves + h;
      level.assign(rows * pc, 0);
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < a.weightColCount; ++c) {
          int64_t w = weightIndex(L, a, r, c);
          if (w < 0)
            continue; // mapping C off-diagonal: never programmed, level 0
          uint32_t v = differential && negative[w] != (h == 1) ? 0 : value[w];
          for (int64_t b = 0; b < cpw; ++b)
            level[r * pc + c * cpw + b] = (v >> (b * cellBits)) & mask;
        }
      flipped[pa].assign(pc, 0);
      if (encoding == WeightEncoding::Flipped)
        for (int64_t col = 0; col < pc; ++col) {
          const int64_t c = col / cpw, lo = A.colRowLo[c], hi = A.colRowHi[c];
          int64_t sum = 0;
          for (int64_t r = lo; r < hi; ++r)
            sum += level[r * pc + col];
          if (2 * sum <= (hi - lo) * levelMax)
            continue;
          flipped[pa][col] = 1;
          for (int64_t r = lo; r < hi; ++r)
            level[r * pc + col] = mask - level[r * pc + col];
        }
      if constexpr (Devices)
        applyDevices(hw, pa, level, cells[pa]);
      else
        storePlanes(pa, level, rows, pc);
    }
  }
}

template <bool Devices>
void AnalogEngine<Devices>::storePlanes(int64_t pa,
                                        const std::vector<uint32_t> &level,
                                        int64_t rows, int64_t pc) {
  const int64_t words = (rows + 63) / 64;
  std::vector<uint64_t> &p = planes[pa];
  p.assign(pc * cellBits * words, 0);
  for (int64_t r = 0; r < rows; ++r) {
    const uint32_t *l = level.data() + r * pc;
    for (int64_t k = 0; k < cellBits; ++k) {
      uint64_t *word = p.data() + (k * words + r / 64) * pc;
      for (int64_t col = 0; col < pc; ++col)
        word[col] |= uint64_t((l[col] >> k) & 1) << (r % 64);
    }
  }
}

template <bool Devices>
void AnalogEngine<Devices>::applyDevices(const model::HardwareDesc &hw,
                                         int64_t pa,
                                         const std::vector<uint32_t> &level,
                                         std::vector<float> &g) const {
  const double ratio = model::onOffRatioValue(hw);
  const double top = static_cast<double>(levelMax);
  const double gMin = std::isinf(ratio) ? 0.0 : top / ratio;
  const double gStep = (top - gMin) / top;
  const double p0 = hw.stuckAtZeroRate, p1 = hw.stuckAtOneRate;
  const uint64_t seed = options.seed, layer = options.layer;
  g.resize(level.size());
  // The programming variations of all cells in one batch (bit for bit the
  // scalar noise::normal, faster).
  std::vector<double> n;
  if (hw.cellSigma > 0) {
    std::vector<double> p(level.size());
    for (size_t i = 0; i < level.size(); ++i)
      p[i] = noise::uniform(noise::hash(
          {seed, noise::kProgram, layer, uint64_t(pa), uint64_t(i)}));
    n.resize(level.size());
    noise::normalQuantiles(p.data(), n.data(), static_cast<int64_t>(p.size()));
  }
  for (size_t i = 0; i < level.size(); ++i) {
    if (p0 + p1 > 0) {
      double u = noise::uniform(noise::hash(
          {seed, noise::kStuck, layer, uint64_t(pa), uint64_t(i)}));
      if (u < p0 + p1) {
        g[i] = static_cast<float>(u < p0 ? gMin : top);
        continue;
      }
    }
    double G = gMin + static_cast<double>(level[i]) * gStep;
    if (hw.cellSigma > 0)
      G *= 1.0 + hw.cellSigma * n[i];
    g[i] = static_cast<float>(std::max(G, 0.0));
  }
}

template <bool Devices>
void AnalogEngine<Devices>::columnSums(int64_t pa, int64_t half,
                                       const ArrayPlan &A,
                                       const uint64_t *mask) {
  const int64_t pc = A.cols * cpw;
  colSum[half].resize(pc);
  kPlaneSums(mask, planes[pa].data(), pc, cellBits, (A.rows + 63) / 64,
             colSum[half].data());
}

template <bool Devices>
void AnalogEngine<Devices>::record(const ArrayPlan &A, const int64_t *out) {
  std::vector<int64_t> &h = *options.histogram;
  for (int64_t half = 0; half < halves; ++half)
    for (int64_t c = 0; c < A.cols; ++c)
      for (int64_t b = 0; out[c] >= 0 && b < cpw; ++b) {
        const size_t sum = static_cast<size_t>(colSum[half][c * cpw + b]);
        if (sum >= h.size())
          h.resize(sum + 1, 0);
        ++h[sum];
      }
}

namespace {

/// The input bit-planes of `rows` inputs as row masks: bit r % 64 of
/// mask[j * words + r / 64] is bit j of x[r] (two's complement); each word
/// one OR reduction, which vectorizes (variable shifts: the AVX2 clone).
template <int Unused = 0>
REBOCC_INLINE void inputBitMasks(const uint32_t *x, int64_t rows,
                                 int64_t bits, uint64_t *mask) {
  const int64_t words = (rows + 63) / 64;
  for (int64_t j = 0; j < bits; ++j)
    for (int64_t w = 0; w < words; ++w) {
      const int64_t lo = w * 64, n = std::min<int64_t>(64, rows - lo);
      uint64_t word = 0;
      for (int64_t t = 0; t < n; ++t)
        word |= uint64_t((x[lo + t] >> j) & 1) << t;
      mask[j * words + w] = word;
    }
}

REBOCC_AVX2 void inputBitMasksAvx2(const uint32_t *x, int64_t rows,
                                   int64_t bits, uint64_t *mask) {
  inputBitMasks<1>(x, rows, bits, mask);
}

const bool kAvx2 = noise::hasAvx2();

/// t[i] += weight * convert(sum[i]): the ADC codes of one input bit, weighed
/// by it, summed per physical column over the bits.
template <int Unused = 0>
REBOCC_INLINE void addCodes(const AdcLaw &adc, const int64_t *sum, int64_t n,
                            int64_t weight, int64_t *t) {
  if (adc.unitStep) {
    const int64_t top = adc.maxCode;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t a = sum[i];
      t[i] += weight * (a <= 0 ? 0 : a >= top ? top : a);
    }
    return;
  }
  for (int64_t i = 0; i < n; ++i)
    t[i] += weight * adc.convert(sum[i]);
}

REBOCC_AVX2 void addCodesAvx2(const AdcLaw &adc, const int64_t *sum,
                              int64_t n, int64_t weight, int64_t *t) {
  addCodes<1>(adc, sum, n, weight, t);
}

} // namespace

template <bool Devices>
void AnalogEngine<Devices>::mvmIdeal(int64_t g, const X *xv, Acc *acc) {
  std::vector<int64_t> coef(cpw * halves);
  for (int64_t s = 0; s < S.steps; ++s)
    for (int64_t ai = 0; ai < S.perGroup; ++ai) {
      const ArrayPlan &A = S.arrays[ai];
      const int64_t la = g * S.perGroup + ai, pc = A.cols * cpw;
      const int64_t *drive = &A.drive[s * A.rows];
      const int64_t *out = &A.output[s * A.cols];
      const int64_t words = (A.rows + 63) / 64;
      inputs.resize(A.rows);
      for (int64_t r = 0; r < A.rows; ++r)
        inputs[r] = static_cast<uint32_t>(xv[drive[r]]); // two's complement
      inputMasks.resize(inputBits * words);
      (kAvx2 ? inputBitMasksAvx2 : inputBitMasks<0>)(
          inputs.data(), A.rows, inputBits, inputMasks.data());
      // The decoding is linear in the codes and in the driven-row counts
      // (decodeCoefficients), so both are summed over the input bits first,
      // weighed by +-2^j, per physical column and per weight column: exact
      // integers, the same outputs as decoding every read.
      weighedCodes.assign(halves * pc, 0);
      weighedPops.assign(A.cols, 0);
      for (int64_t j = 0; j < inputBits; ++j) {
        const uint64_t *mask = inputMasks.data() + j * words;
        if (std::all_of(mask, mask + words, [](uint64_t m) { return !m; }))
          continue; // no row driven: no current, every code 0
        for (int64_t h = 0; h < halves; ++h)
          columnSums(la * halves + h, h, A, mask);
        if (options.histogram)
          record(A, out);
        // The two's-complement sign bit weighs -2^j.
        const int64_t weight =
            j == inputBits - 1 ? -(int64_t(1) << j) : int64_t(1) << j;
        for (int64_t h = 0; h < halves; ++h)
          (kAvx2 ? addCodesAvx2 : addCodes<0>)(adc, colSum[h].data(), pc,
                                               weight,
                                               weighedCodes.data() + h * pc);
        int64_t popLo = -1, popHi = -1, pop = 0;
        for (int64_t c = 0; c < A.cols; ++c) {
          if (A.colRowLo[c] != popLo || A.colRowHi[c] != popHi) {
            popLo = A.colRowLo[c];
            popHi = A.colRowHi[c];
            pop = popRange(mask, popLo, popHi);
          }
          weighedPops[c] += weight * pop;
        }
      }
      for (int64_t c = 0; c < A.cols; ++c) {
        if (out[c] < 0)
          continue; // padding output
        const int64_t perPop = decodeCoefficients(la, c, coef.data());
        __int128 codes = 0;
        for (int64_t k = 0; k < cpw * halves; ++k)
          codes += __int128(coef[k]) *
                   weighedCodes[(k / cpw) * pc + c * cpw + k % cpw];
        acc[out[c]].exact += __int128(perPop) * weighedPops[c];
        acc[out[c]].codes += codes;
      }
    }
}

template <bool Devices>
bool AnalogEngine<Devices>::mvm(int64_t g, const X *xv, int64_t count,
                                Acc *acc, int64_t firstVector, std::string &) {
  if constexpr (Devices) {
    for (int64_t s = 0; s < S.steps; ++s)
      for (int64_t ai = 0; ai < S.perGroup; ++ai)
        readNoisy(s, ai, g * S.perGroup + ai, xv, count, acc, firstVector);
  } else {
    for (int64_t v = 0; v < count; ++v)
      mvmIdeal(g, xv + v * S.rows, acc + v * L.m);
  }
  return true;
}

template class AnalogEngine<false>;
template class AnalogEngine<true>;

} // namespace rebocc::sim
