//===- CrossbarSchedule.cpp - arrays, schedule and quantization -----------===//
//
// The tables CrossbarSchedule.h declares. REBOC.md describes the rotation
// schedule; docs/Design.md the quantization.
//
//===----------------------------------------------------------------------===//

#include "CrossbarSchedule.h"
#include "SimSupport.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#endif

namespace rebocc::sim {

using namespace program;

LayerPlan planSizes(const CrossbarLayer &L) {
  LayerPlan S;
  S.rows = L.logicalRows();
  S.steps = L.k / L.dup;
  S.perGroup = static_cast<int64_t>(L.arrays.size()) / L.groups;
  return S;
}

LayerPlan planSchedule(const CrossbarLayer &L) {
  LayerPlan S = planSizes(L);
  const bool C = L.mapping == Mapping::C;
  for (int64_t ai = 0; ai < S.perGroup; ++ai) {
    const Array &a = L.arrays[ai];
    ArrayPlan A;
    A.rows = a.rowCount;
    A.cols = a.weightColCount;
    A.drive.resize(S.steps * A.rows);
    A.output.resize(S.steps * A.cols);
    for (int64_t s = 0; s < S.steps; ++s) {
      int64_t s0 = s * L.dup;
      for (int64_t r = 0; r < A.rows; ++r) {
        int64_t row = a.rowBegin + r;
        int64_t u = C ? row / S.rows : 0, rr = C ? row % S.rows : row;
        A.drive[s * A.rows + r] = rr / L.k * L.k + (rr % L.k + s0 + u) % L.k;
      }
      for (int64_t c = 0; c < A.cols; ++c) {
        int64_t gc = a.weightColBegin + c;
        int64_t i = C ? gc % L.p : gc / L.dup, u = C ? gc / L.p : gc % L.dup;
        int64_t o = i * L.k + s0 + u;
        A.output[s * A.cols + c] = o < L.m ? o : -1;
      }
    }
    auto clamp = [](int64_t v, int64_t hi) {
      return std::max<int64_t>(0, std::min(v, hi));
    };
    for (int64_t r = 0; r < A.rows; ++r) {
      int64_t u = C ? (a.rowBegin + r) / S.rows : 0;
      A.rowColLo.push_back(C ? clamp(u * L.p - a.weightColBegin, A.cols) : 0);
      A.rowColHi.push_back(C ? clamp((u + 1) * L.p - a.weightColBegin, A.cols)
                             : A.cols);
    }
    for (int64_t c = 0; c < A.cols; ++c) {
      int64_t u = C ? (a.weightColBegin + c) / L.p : 0;
      A.colRowLo.push_back(C ? clamp(u * S.rows - a.rowBegin, A.rows) : 0);
      A.colRowHi.push_back(C ? clamp((u + 1) * S.rows - a.rowBegin, A.rows)
                             : A.rows);
    }
    S.arrays.push_back(std::move(A));
  }
  return S;
}

namespace {

/// clamp(round(w/s), +-limit) over n values (quantizeWeight, quantizeInput):
/// round half away from zero as trunc plus the carry of the fraction, exact
/// (the fraction of a clamped code is exact) and free of integer
/// conversions, so that with AVX2 (the clone below) the loop runs four
/// values per instruction.
template <int Unused = 0>
double quantizeCodes(const float *w, size_t n, double scale, double limit,
                     double *codes) {
  double maxAbs = 0;
  for (size_t i = 0; i < n; ++i) {
    const double v =
        std::min(limit, std::max(-limit, static_cast<double>(w[i]) / scale));
    const double t = std::trunc(v), f = v - t;
    const double q = t + (f >= 0.5 ? 1.0 : 0.0) - (f <= -0.5 ? 1.0 : 0.0);
    codes[i] = q;
    maxAbs = std::max(maxAbs, std::fabs(q));
  }
  return maxAbs;
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
__attribute__((target("avx2"))) double quantizeCodesAvx2(const float *w,
                                                         size_t n, double scale,
                                                         double limit,
                                                         double *codes) {
  return quantizeCodes<1>(w, n, scale, limit, codes);
}
#endif

using QuantizeCodesFn = double (*)(const float *, size_t, double, double,
                                   double *);

QuantizeCodesFn chooseQuantizeCodes() {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
  if (__builtin_cpu_supports("avx2"))
    return quantizeCodesAvx2;
#endif
  return quantizeCodes<0>;
}

const QuantizeCodesFn kQuantizeCodes = chooseQuantizeCodes();

} // namespace

int64_t quantizeWeightCodes(const program::CrossbarLayer &L, int64_t maxW,
                            double *codes) {
  // A program read from a file views its weights in the mapped file, at
  // whatever alignment they have there: they are quantized from aligned
  // chunks copied out of it (which stay in the L1 cache). With channel
  // scales a block-row's weights are contiguous (Program.h), each with its
  // scale, and a chunk never straddles two block-rows.
  constexpr size_t kChunk = 2048;
  float chunk[kChunk];
  const double limit = static_cast<double>(maxW);
  const size_t n = L.weights.size();
  const size_t perRow = L.channelScales.empty()
                            ? n
                            : static_cast<size_t>(L.logicalRows());
  double maxAbs = 0;
  for (size_t row = 0; row * perRow < n; ++row) {
    const float scale =
        L.channelScales.empty() ? L.weightScale : L.channelScales[row];
    const size_t end = std::min(n, (row + 1) * perRow);
    for (size_t i = row * perRow; i < end; i += kChunk) {
      const size_t count = std::min(kChunk, end - i);
      L.weights.copyTo(i, count, chunk);
      maxAbs = std::max(maxAbs,
                        kQuantizeCodes(chunk, count, scale, limit, codes + i));
    }
  }
  return static_cast<int64_t>(maxAbs);
}

/// max |x| over `count` values; false at the first non-finite one.
static bool maxMagnitude(const float *x, int64_t count, double &maxAbs,
                         std::string &error) {
  maxAbs = 0;
  for (int64_t e = 0; e < count; ++e) {
    if (!std::isfinite(x[e])) {
      error =
          "input element " + str(e) + " is not finite (fixed-point arithmetic)";
      return false;
    }
    maxAbs = std::max(maxAbs, std::fabs(static_cast<double>(x[e])));
  }
  return true;
}

/// The model's integer codes as they are (quantizeInput's `integer`):
/// out[e] = x[e], scale 1; false at the first value that is not an integer
/// within +-maxX (the layer's input_bits), which the importer's proof that
/// the input is on the model's integer grid rules out.
template <typename T>
static bool integerCodes(const float *x, int64_t count, double maxX, T *out,
                         double &scale, std::string &error) {
  scale = 1.0;
  for (int64_t e = 0; e < count; ++e) {
    const double v = x[e];
    if (!(std::fabs(v) <= maxX) || v != std::nearbyint(v)) {
      char value[32];
      std::snprintf(value, sizeof value, "%.9g", v);
      error = "input element " + str(e) + " is " + value +
              ", not an integer code within +-" +
              str(static_cast<int64_t>(maxX)) + " (the layer's input_bits)";
      return false;
    }
    out[e] = static_cast<T>(v);
  }
  return true;
}

bool quantizeInput(const float *x, int64_t count, double maxX,
                   std::vector<int32_t> &out, double &scale,
                   std::string &error, bool integer) {
  if (integer) {
    out.resize(count);
    return integerCodes(x, count, maxX, out.data(), scale, error);
  }
  double maxAbs;
  if (!maxMagnitude(x, count, maxAbs, error))
    return false;
  scale = maxAbs / maxX;
  out.resize(count);
  for (int64_t e = 0; e < count; ++e)
    // Clamped before rounding: maxX is an integer, so this equals rounding
    // first, and x/scale stays in range even when the scale underflows.
    out[e] = maxAbs > 0 ? static_cast<int32_t>(program::roundHalfAway(
                              std::min(maxX, std::max(-maxX, x[e] / scale))))
                        : 0;
  return true;
}

bool quantizeInput(const float *x, int64_t count, double maxX, double *out,
                   double &scale, std::string &error, bool integer) {
  if (integer)
    return integerCodes(x, count, maxX, out, scale, error);
  double maxAbs;
  if (!maxMagnitude(x, count, maxAbs, error))
    return false;
  scale = maxAbs / maxX;
  if (maxAbs > 0)
    kQuantizeCodes(x, static_cast<size_t>(count), scale, maxX, out);
  else
    std::fill(out, out + count, 0.0);
  return true;
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define REBOCC_AVX512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))

namespace {

/// max |x| as a float's magnitude bits: for non-negative floats the bits
/// order as the values, and a non-finite value's bits (>= 0x7f800000) are
/// above every finite one's.
REBOCC_AVX512 uint32_t maxMagnitudeBitsAvx512(const float *x, int64_t count) {
  const __m512i magnitude = _mm512_set1_epi32(0x7fffffff);
  __m512i m = _mm512_setzero_si512();
  for (int64_t e = 0; e < count; e += 16) {
    const __mmask16 k =
        count - e >= 16 ? __mmask16(0xffff) : __mmask16((1u << (count - e)) - 1);
    m = _mm512_max_epu32(
        m, _mm512_and_si512(_mm512_maskz_loadu_epi32(k, x + e), magnitude));
  }
  return _mm512_reduce_max_epu32(m);
}

/// quantizeCodes into int16 without a division per value: w = x * (1/s) is
/// within |x/s| * 2^-52 (two roundings) of x/s, and so is the division's
/// double, both within 2^-36 for codes up to 2^15. The code only changes
/// at half-integers, so where w is farther than 2^-30 from one it is the
/// code of x/s; a vector with a value nearer takes the division.
REBOCC_AVX512 void quantizeInt16Avx512(const float *x, int64_t count,
                                       double scale, double limit,
                                       int16_t *out) {
  const __m512d inv = _mm512_set1_pd(1.0 / scale), s = _mm512_set1_pd(scale);
  const __m512d hi = _mm512_set1_pd(limit), lo = _mm512_set1_pd(-limit);
  const __m512d half = _mm512_set1_pd(0.5), one = _mm512_set1_pd(1.0);
  const __m512d margin = _mm512_set1_pd(0x1p-30);
  constexpr int kTrunc = _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC;
  for (int64_t e = 0; e < count; e += 8) {
    const __mmask8 k =
        count - e >= 8 ? __mmask8(0xff) : __mmask8((1u << (count - e)) - 1);
    const __m512d xd = _mm512_cvtps_pd(_mm256_maskz_loadu_ps(k, x + e));
    __m512d v = _mm512_mul_pd(xd, inv);
    __m512d t = _mm512_roundscale_pd(v, kTrunc), f = _mm512_sub_pd(v, t);
    const __m512d gap = _mm512_abs_pd(_mm512_sub_pd(_mm512_abs_pd(f), half));
    if (_mm512_mask_cmp_pd_mask(k, gap, margin, _CMP_LT_OQ)) {
      // quantizeCodes' own steps: clamp the quotient, then round.
      v = _mm512_min_pd(hi, _mm512_max_pd(lo, _mm512_div_pd(xd, s)));
      t = _mm512_roundscale_pd(v, kTrunc);
      f = _mm512_sub_pd(v, t);
    }
    __m512d q = _mm512_mask_add_pd(
        t, _mm512_cmp_pd_mask(f, half, _CMP_GE_OQ), t, one);
    q = _mm512_mask_sub_pd(q, _mm512_cmp_pd_mask(f, -half, _CMP_LE_OQ), q,
                           one);
    q = _mm512_min_pd(hi, _mm512_max_pd(lo, q));
    _mm_mask_storeu_epi16(out + e, k,
                          _mm256_cvtepi32_epi16(_mm512_cvtpd_epi32(q)));
  }
}

bool hasAvx512() {
  static const bool has = __builtin_cpu_supports("avx512f") &&
                          __builtin_cpu_supports("avx512bw") &&
                          __builtin_cpu_supports("avx512dq") &&
                          __builtin_cpu_supports("avx512vl") &&
                          !std::getenv("REBOCC_SIM_NO_AVX512");
  return has;
}

} // namespace
#endif

bool quantizeInput(const float *x, int64_t count, double maxX, int16_t *out,
                   double &scale, std::string &error, bool integer) {
  if (integer)
    return integerCodes(x, count, maxX, out, scale, error);
  double maxAbs;
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
  if (hasAvx512()) {
    const uint32_t bits = maxMagnitudeBitsAvx512(x, count);
    if (bits >= 0x7f800000u) // not finite: the scalar pass names it
      return maxMagnitude(x, count, maxAbs, error);
    float m;
    std::memcpy(&m, &bits, sizeof m);
    maxAbs = m;
    scale = maxAbs / maxX;
    if (maxAbs == 0)
      std::fill(out, out + count, int16_t(0));
    else
      quantizeInt16Avx512(x, count, scale, maxX, out);
    return true;
  }
#endif
  if (!maxMagnitude(x, count, maxAbs, error))
    return false;
  scale = maxAbs / maxX;
  if (maxAbs == 0) {
    std::fill(out, out + count, int16_t(0));
    return true;
  }
  // The double codes a chunk at a time (in L1), then narrowed: the caller
  // guarantees maxX <= INT16_MAX.
  constexpr int64_t kChunk = 1024;
  double codes[kChunk];
  for (int64_t e = 0; e < count; e += kChunk) {
    const int64_t len = std::min(kChunk, count - e);
    kQuantizeCodes(x + e, static_cast<size_t>(len), scale, maxX, codes);
    for (int64_t i = 0; i < len; ++i)
      out[e + i] = static_cast<int16_t>(codes[i]);
  }
  return true;
}

} // namespace rebocc::sim
