//===- NoisyCodes.cpp - The ADC codes of noisy reads ----------------------===//
//
// A noisy read's ADC code is a monotone function of its read-noise normal z
// (every IEEE operation on the way is), so where the codes of the tabulated
// bounds of z (noise::bracketEdges) agree, that is the code, and z itself is
// evaluated only for the few reads whose bounds straddle a code boundary: the
// codes are exactly those of evaluating every normal. The pass over a
// column's reads draws the uniforms, finds the bounds and converts both; it
// is vectorized by hand with AVX2 and AVX-512 clones chosen at run time (the
// build stays baseline x86-64). Only intrinsics and separate statements do
// the arithmetic, so nothing contracts into a fused multiply-add.
//
//===----------------------------------------------------------------------===//

#include "NoisyCodes.h"
#include "Noise.h"
#include "TargetClones.h"

#include <cfloat>
#include <cmath>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace rebocc::sim {

namespace {

const bool kAvx2 = noise::hasAvx2();

/// AdcLaw::convert of an analog sum a, in a form that vectorizes (codes up
/// to maxCode <= INT32_MAX); monotone in a, as IEEE rounding is.
REBOCC_INLINE int32_t adcCode(double a, double step, double maxCode) {
  double c = a / step + 0.5;
  c = c < 1.0 ? 0.0 : c;
  c = c >= maxCode ? maxCode : c;
  return static_cast<int32_t>(c);
}

REBOCC_INLINE double squareRoot(double x) {
#if defined(__clang__)
  return __builtin_elementwise_sqrt(x); // no errno: vectorizes
#else
  return std::sqrt(x);
#endif
}

/// code[i * lanes + k] = the ADC code of column sum sum[i * w + k], without
/// read noise.
REBOCC_INLINE void quietCodes(const double *sum, int64_t reads, int64_t lanes,
                              int64_t w, double step, double maxCode,
                              int32_t *code) {
  for (int64_t i = 0; i < reads; ++i, sum += w, code += lanes)
    for (int64_t k = 0; k < lanes; ++k)
      code[k] = adcCode(sum[k], step, maxCode);
}

/// The same with read noise (docs/Accuracy.md, sections 3 and 4): the code of
/// a = sum + readSigma * sqrt(sum of squares sum[i * w + lanes + k]) * z with
/// z = normal(mix(key[k] ^ read[i])), key[k] the hash of the key words up to
/// the column. The code is monotone in z, so it is the code of both bounds of
/// z (noise::bracketEdges) when they agree; -1 where they do not, for
/// noisyCodes to decide with z itself.
REBOCC_INLINE void bracketCodes(const uint64_t *key, const uint64_t *read,
                                const double *sum, int64_t reads,
                                int64_t lanes, int64_t w, double readSigma,
                                double step, double maxCode,
                                const double *edge, int32_t *code,
                                std::vector<int64_t> &undecided) {
  for (int64_t i = 0; i < reads; ++i, sum += w, code += lanes)
    for (int64_t k = 0; k < lanes; ++k) {
      const double p = noise::uniform(noise::mix(key[k] ^ read[i]));
      const bool low = p < 0.5;
      const uint64_t b = noise::bracketIndex(low ? p : 1.0 - p);
      const double e0 = edge[b] - noise::kBracketMargin;
      const double e1 = edge[b + 1] + noise::kBracketMargin;
      const double s = readSigma * squareRoot(sum[lanes + k]);
      const int32_t c0 = adcCode(sum[k] + s * (low ? e0 : -e1), step, maxCode);
      const int32_t c1 = adcCode(sum[k] + s * (low ? e1 : -e0), step, maxCode);
      code[k] = c0;
      if (c0 != c1)
        undecided.push_back(i * lanes + k);
    }
}

REBOCC_AVX2 void quietCodesAvx2(const double *sum, int64_t reads,
                                int64_t lanes, int64_t w, double step,
                                double maxCode, int32_t *code) {
  quietCodes(sum, reads, lanes, w, step, maxCode, code);
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
/// The low 64 bits of a * b per lane, b's high halves given (AVX2 has no
/// 64-bit multiply).
REBOCC_AVX2 REBOCC_INLINE __m256i mul64(__m256i a, __m256i b, __m256i bHigh) {
  const __m256i low = _mm256_mul_epu32(a, b);
  const __m256i cross = _mm256_add_epi64(
      _mm256_mul_epu32(_mm256_srli_epi64(a, 32), b), _mm256_mul_epu32(a, bHigh));
  return _mm256_add_epi64(low, _mm256_slli_epi64(cross, 32));
}

/// AdcLaw::convert of four sums, as adcCode.
template <bool UnitStep>
REBOCC_AVX2 REBOCC_INLINE __m128i adcCodes(__m256d a, __m256d step,
                                           __m256d maxCode) {
  // a / 1 is a: a unit step (lossless ADC) spares the division.
  __m256d c = _mm256_add_pd(UnitStep ? a : _mm256_div_pd(a, step),
                            _mm256_set1_pd(0.5));
  c = _mm256_andnot_pd(_mm256_cmp_pd(c, _mm256_set1_pd(1.0), _CMP_LT_OQ), c);
  c = _mm256_blendv_pd(c, maxCode, _mm256_cmp_pd(c, maxCode, _CMP_GE_OQ));
  return _mm256_cvttpd_epi32(c);
}

/// bracketCodes four lanes at a time (lanes a multiple of 4), with the
/// table reads as gathers, which the compiler does not emit by itself. The
/// bucket comes from the hash's bits: p = (u + 1/2) 2^-53 with u = h >> 11 is
/// below 1/2 iff h's top bit is clear, and then r = p; else r = 1 - p =
/// (v + 1/2) 2^-53 with v = 2^53 - 1 - u = u ^ (2^53 - 1), both exact.
template <bool UnitStep>
REBOCC_AVX2 REBOCC_INLINE void
bracketCodes4(const uint64_t *key, const uint64_t *read, const double *sum,
              int64_t reads, int64_t lanes, int64_t w, double readSigma,
              double step, double maxCode, const double *edge, int32_t *code,
              std::vector<int64_t> &undecided) {
  const __m256i gamma = _mm256_set1_epi64x(int64_t(0x9E3779B97F4A7C15ull));
  const __m256i m1 = _mm256_set1_epi64x(int64_t(0xBF58476D1CE4E5B9ull));
  const __m256i m2 = _mm256_set1_epi64x(int64_t(0x94D049BB133111EBull));
  const __m256i m1High = _mm256_srli_epi64(m1, 32);
  const __m256i m2High = _mm256_srli_epi64(m2, 32);
  const __m256i low53 = _mm256_set1_epi64x((int64_t(1) << 53) - 1);
  const __m256i exponent52 = _mm256_set1_epi64x(0x4330000000000000ll);
  const __m256i first = _mm256_set1_epi64x(int64_t(noise::kBracketFirst));
  const __m256d two52 = _mm256_set1_pd(0x1.0p52), half = _mm256_set1_pd(0.5);
  const __m256d ulp = _mm256_set1_pd(0x1.0p-53);
  const __m256d margin = _mm256_set1_pd(noise::kBracketMargin);
  const __m256d sigma = _mm256_set1_pd(readSigma);
  const __m256d stepV = _mm256_set1_pd(step), top = _mm256_set1_pd(maxCode);
  const __m256d negate = _mm256_set1_pd(-0.0);
  for (int64_t i = 0; i < reads; ++i, sum += w, code += lanes) {
    const __m256i r = _mm256_set1_epi64x(int64_t(read[i]));
    for (int64_t k = 0; k < lanes; k += 4) {
      // h = mix(key ^ read), as noise::mix.
      __m256i h = _mm256_add_epi64(
          _mm256_xor_si256(
              _mm256_loadu_si256(reinterpret_cast<const __m256i *>(key + k)),
              r),
          gamma);
      h = mul64(_mm256_xor_si256(h, _mm256_srli_epi64(h, 30)), m1, m1High);
      h = mul64(_mm256_xor_si256(h, _mm256_srli_epi64(h, 27)), m2, m2High);
      h = _mm256_xor_si256(h, _mm256_srli_epi64(h, 31));
      // high: p > 1/2 (all ones); v as above; r = (v + 1/2) 2^-53.
      const __m256i high = _mm256_cmpgt_epi64(_mm256_setzero_si256(), h);
      const __m256i v = _mm256_xor_si256(_mm256_srli_epi64(h, 11),
                                         _mm256_and_si256(high, low53));
      const __m256d vd = _mm256_sub_pd(
          _mm256_castsi256_pd(_mm256_or_si256(v, exponent52)), two52);
      const __m256d rr = _mm256_mul_pd(_mm256_add_pd(vd, half), ulp);
      const __m256i b = _mm256_sub_epi64(
          _mm256_srli_epi64(_mm256_castpd_si256(rr), 52 - noise::kBracketBits),
          first);
      // Four loads beat the gather instruction here.
      alignas(32) uint64_t bi[4];
      _mm256_store_si256(reinterpret_cast<__m256i *>(bi), b);
      const __m256d e0 = _mm256_sub_pd(
          _mm256_setr_pd(edge[bi[0]], edge[bi[1]], edge[bi[2]], edge[bi[3]]),
          margin);
      const __m256d e1 = _mm256_add_pd(
          _mm256_setr_pd(edge[bi[0] + 1], edge[bi[1] + 1], edge[bi[2] + 1],
                         edge[bi[3] + 1]),
          margin);
      const __m256d highD = _mm256_castsi256_pd(high);
      const __m256d zLow =
          _mm256_blendv_pd(e0, _mm256_xor_pd(e1, negate), highD);
      const __m256d zHigh =
          _mm256_blendv_pd(e1, _mm256_xor_pd(e0, negate), highD);
      const __m256d a = _mm256_loadu_pd(sum + k);
      const __m256d s =
          _mm256_mul_pd(sigma, _mm256_sqrt_pd(_mm256_loadu_pd(sum + lanes + k)));
      const __m128i c0 = adcCodes<UnitStep>(
          _mm256_add_pd(a, _mm256_mul_pd(s, zLow)), stepV, top);
      const __m128i c1 = adcCodes<UnitStep>(
          _mm256_add_pd(a, _mm256_mul_pd(s, zHigh)), stepV, top);
      _mm_storeu_si128(reinterpret_cast<__m128i *>(code + k), c0);
      const int same = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(c0, c1)));
      for (int t = 0; same != 0xF && t < 4; ++t)
        if (!((same >> t) & 1))
          undecided.push_back(i * lanes + k + t);
    }
  }
}

/// AdcLaw::convert of eight sums, as adcCode.
template <bool UnitStep>
REBOCC_AVX512 REBOCC_INLINE __m256i adcCodes8(__m512d a, __m512d step,
                                              __m512d maxCode) {
  __m512d c = _mm512_add_pd(UnitStep ? a : _mm512_div_pd(a, step),
                            _mm512_set1_pd(0.5));
  c = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(c, _mm512_set1_pd(1.0), _CMP_LT_OQ),
                           c, _mm512_setzero_pd());
  c = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(c, maxCode, _CMP_GE_OQ), c,
                           maxCode);
  return _mm512_cvttpd_epi32(c);
}

/// The bounds [zLow, zHigh] of the normals normal(mix(key[k] ^ read)) of 8
/// lanes from their buckets' edges (noise::bracketEdges): the hash as
/// noise::mix, the bucket from its bits as bracketCodes4 explains.
REBOCC_AVX512 REBOCC_INLINE void normalBounds8(__m512i key, __m512i read,
                                               const double *edge,
                                               __m512d &zLow, __m512d &zHigh) {
  const __m512i gamma = _mm512_set1_epi64(int64_t(0x9E3779B97F4A7C15ull));
  const __m512i m1 = _mm512_set1_epi64(int64_t(0xBF58476D1CE4E5B9ull));
  const __m512i m2 = _mm512_set1_epi64(int64_t(0x94D049BB133111EBull));
  const __m512i low53 = _mm512_set1_epi64((int64_t(1) << 53) - 1);
  const __m512i first = _mm512_set1_epi64(int64_t(noise::kBracketFirst));
  const __m512d margin = _mm512_set1_pd(noise::kBracketMargin);
  __m512i h = _mm512_add_epi64(_mm512_xor_si512(key, read), gamma);
  h = _mm512_mullo_epi64(_mm512_xor_si512(h, _mm512_srli_epi64(h, 30)), m1);
  h = _mm512_mullo_epi64(_mm512_xor_si512(h, _mm512_srli_epi64(h, 27)), m2);
  h = _mm512_xor_si512(h, _mm512_srli_epi64(h, 31));
  const __mmask8 high = _mm512_cmplt_epi64_mask(h, _mm512_setzero_si512());
  const __m512i u = _mm512_srli_epi64(h, 11);
  const __m512i v = _mm512_mask_xor_epi64(u, high, u, low53);
  const __m512d rr = _mm512_mul_pd(
      _mm512_add_pd(_mm512_cvtepu64_pd(v), _mm512_set1_pd(0.5)),
      _mm512_set1_pd(0x1.0p-53));
  const __m512i b = _mm512_sub_epi64(
      _mm512_srli_epi64(_mm512_castpd_si512(rr), 52 - noise::kBracketBits),
      first);
  // Sixteen loads beat two gather instructions here.
  alignas(64) uint64_t bi[8];
  _mm512_store_si512(bi, b);
  const __m512d e0 = _mm512_sub_pd(
      _mm512_setr_pd(edge[bi[0]], edge[bi[1]], edge[bi[2]], edge[bi[3]],
                     edge[bi[4]], edge[bi[5]], edge[bi[6]], edge[bi[7]]),
      margin);
  const __m512d e1 = _mm512_add_pd(
      _mm512_setr_pd(edge[bi[0] + 1], edge[bi[1] + 1], edge[bi[2] + 1],
                     edge[bi[3] + 1], edge[bi[4] + 1], edge[bi[5] + 1],
                     edge[bi[6] + 1], edge[bi[7] + 1]),
      margin);
  const __m512d zero = _mm512_setzero_pd();
  zLow = _mm512_mask_blend_pd(high, e0, _mm512_sub_pd(zero, e1));
  zHigh = _mm512_mask_blend_pd(high, e1, _mm512_sub_pd(zero, e0));
}

/// A bound of s = readSigma * sqrt(q) as the codes compute it (both
/// roundings), below (Up false) or above it, from the 14-bit reciprocal
/// square root: sa = readSigma * q * rsqrt14(q) is within 2^-13 of s, so
/// sa * (1 -+ 2^-12), rounded, bounds s. s is monotone in q, so the lower
/// bound takes 0 below the smallest normal double and the upper one takes
/// that normal instead (rsqrt14 is not specified there); q = 0 gives 0.
template <bool Up>
REBOCC_AVX512 REBOCC_INLINE __m512d sigmaBound8(__m512d q, __m512d sigma) {
  const __m512d normal = _mm512_set1_pd(DBL_MIN);
  const __mmask8 conducts =
      Up ? _mm512_cmp_pd_mask(q, _mm512_setzero_pd(), _CMP_GT_OQ)
         : _mm512_cmp_pd_mask(q, normal, _CMP_GE_OQ);
  const __m512d n = Up ? _mm512_max_pd(q, normal) : q;
  const __m512d sa = _mm512_maskz_mul_pd(
      conducts, sigma, _mm512_mul_pd(n, _mm512_rsqrt14_pd(n)));
  return _mm512_mul_pd(sa,
                       _mm512_set1_pd(Up ? 1.0 + 0x1.0p-12 : 1.0 - 0x1.0p-12));
}

/// bracketCodes4 eight lanes at a time (lanes a multiple of 8) where the CPU
/// has AVX-512: a 64-bit multiply, an exact conversion of v and masks make
/// it several times fewer instructions, and the noise's sigma is bounded
/// (sigmaBound8) instead of evaluated. The code is monotone in z and, with
/// z's sign, in sigma: the lower bound takes the larger sigma where zLow <
/// 0, the upper one the smaller where zHigh < 0. Only intrinsics do
/// arithmetic here, so nothing contracts into a fused multiply-add.
template <bool UnitStep>
REBOCC_AVX512 void bracketCodes8(const uint64_t *key, const uint64_t *read,
                                 const double *sum, int64_t reads,
                                 int64_t lanes, int64_t w, double readSigma,
                                 double step, double maxCode,
                                 const double *edge, int32_t *code,
                                 std::vector<int64_t> &undecided) {
  const __m512d sigma = _mm512_set1_pd(readSigma);
  const __m512d stepV = _mm512_set1_pd(step), top = _mm512_set1_pd(maxCode);
  const __m512d zero = _mm512_setzero_pd();
  for (int64_t i = 0; i < reads; ++i, sum += w, code += lanes) {
    const __m512i r = _mm512_set1_epi64(int64_t(read[i]));
    for (int64_t k = 0; k < lanes; k += 8) {
      __m512d zLow, zHigh;
      normalBounds8(_mm512_loadu_si512(key + k), r, edge, zLow, zHigh);
      const __m512d a = _mm512_loadu_pd(sum + k);
      const __m512d q = _mm512_loadu_pd(sum + lanes + k);
      const __m512d sLo = sigmaBound8<false>(q, sigma);
      const __m512d sHi = sigmaBound8<true>(q, sigma);
      const __m512d s0 = _mm512_mask_blend_pd(
          _mm512_cmp_pd_mask(zLow, zero, _CMP_LT_OQ), sLo, sHi);
      const __m512d s1 = _mm512_mask_blend_pd(
          _mm512_cmp_pd_mask(zHigh, zero, _CMP_LT_OQ), sHi, sLo);
      const __m256i c0 = adcCodes8<UnitStep>(
          _mm512_add_pd(a, _mm512_mul_pd(s0, zLow)), stepV, top);
      const __m256i c1 = adcCodes8<UnitStep>(
          _mm512_add_pd(a, _mm512_mul_pd(s1, zHigh)), stepV, top);
      _mm256_storeu_si256(reinterpret_cast<__m256i *>(code + k), c0);
      const unsigned same = _mm256_cmpeq_epi32_mask(c0, c1);
      for (int t = 0; same != 0xFF && t < 8; ++t)
        if (!((same >> t) & 1))
          undecided.push_back(i * lanes + k + t);
    }
  }
}

/// The bounds boundedCodes8 works with, set once per column.
struct FloatBounds {
  __m512d shrink, grow, slack, sigma, step, top;
  __m512i keys;
  const double *edge;
};

REBOCC_AVX512 REBOCC_INLINE FloatBounds floatBounds(const uint64_t *key,
                                                    int64_t rows,
                                                    double readSigma,
                                                    double step,
                                                    double maxCode) {
  const double rel = static_cast<double>(rows + 2) * 0x1.0p-23;
  return {_mm512_set1_pd(1.0 - rel),
          _mm512_set1_pd(1.0 + rel),
          _mm512_set1_pd(static_cast<double>(rows + 2) * 0x1.0p-125),
          _mm512_set1_pd(readSigma),
          _mm512_set1_pd(step),
          _mm512_set1_pd(maxCode),
          _mm512_loadu_si512(key),
          noise::bracketEdges()};
}

/// The 8 codes of one read from its float sums f (8 sums, then 8 sums of
/// squares) as boundedCodes8 explains; false where the bounds do not decide
/// them all.
template <bool UnitStep>
REBOCC_AVX512 REBOCC_INLINE bool boundedReadCodes8(const FloatBounds &c,
                                                   uint64_t read, __m512 f,
                                                   int32_t *code) {
  const __m512d zero = _mm512_setzero_pd();
  __m512d zLow, zHigh;
  normalBounds8(c.keys, _mm512_set1_epi64(int64_t(read)), c.edge, zLow, zHigh);
  const __m512d a = _mm512_cvtps_pd(_mm512_castps512_ps256(f));
  const __m512d q = _mm512_cvtps_pd(_mm512_extractf32x8_ps(f, 1));
  const __m512d aLo = _mm512_sub_pd(_mm512_mul_pd(a, c.shrink), c.slack);
  const __m512d aHi = _mm512_add_pd(_mm512_mul_pd(a, c.grow), c.slack);
  const __m512d sLo = sigmaBound8<false>(
      _mm512_sub_pd(_mm512_mul_pd(q, c.shrink), c.slack), c.sigma);
  const __m512d sHi = sigmaBound8<true>(
      _mm512_add_pd(_mm512_mul_pd(q, c.grow), c.slack), c.sigma);
  const __m512d s0 = _mm512_mask_blend_pd(
      _mm512_cmp_pd_mask(zLow, zero, _CMP_LT_OQ), sLo, sHi);
  const __m512d s1 = _mm512_mask_blend_pd(
      _mm512_cmp_pd_mask(zHigh, zero, _CMP_LT_OQ), sHi, sLo);
  const __m256i c0 = adcCodes8<UnitStep>(
      _mm512_add_pd(aLo, _mm512_mul_pd(s0, zLow)), c.step, c.top);
  const __m256i c1 = adcCodes8<UnitStep>(
      _mm512_add_pd(aHi, _mm512_mul_pd(s1, zHigh)), c.step, c.top);
  _mm256_storeu_si256(reinterpret_cast<__m256i *>(code), c0);
  return _mm256_cmpeq_epi32_mask(c0, c1) == 0xFF;
}

/// boundedColumnCodes (NoisyCodes.h). A float sum of m <= rows nonnegative
/// terms (the squares rounded to float once), added in any order, is within
/// (m + 1) 2^-24 of the exact sum, relatively, and the double sums within
/// m 2^-53: twice the first, plus an absolute (rows + 2) 2^-125 for terms
/// below float's normal range, bounds the double sums. The codes are
/// monotone in the sum, in z, and in s with z's sign, so the codes of the
/// lower bounds (sum, z, and s as z's sign asks) and of the upper ones bound
/// the code.
template <bool UnitStep>
REBOCC_AVX512 void boundedCodes8(const uint64_t *key, const uint64_t *read,
                                 const float *sum, int64_t reads,
                                 int64_t rows, double readSigma, double step,
                                 double maxCode, int32_t *code,
                                 std::vector<int64_t> &redo) {
  const FloatBounds c = floatBounds(key, rows, readSigma, step, maxCode);
  for (int64_t i = 0; i < reads; ++i, sum += 16, code += 8)
    if (!boundedReadCodes8<UnitStep>(c, read[i], _mm512_loadu_ps(sum), code))
      redo.push_back(i);
}

/// subsetTableColumnCodes (NoisyCodes.h): the subset sums of each group of
/// rows, then per read its groups' entries added in two running sums, kept
/// in registers and coded at once, so no sum goes through memory.
template <bool UnitStep>
REBOCC_AVX512 void subsetTableCodes8(const float *cell, int64_t rows,
                                     const uint16_t *entry, int64_t groups,
                                     int64_t groupBits, int64_t reads,
                                     float *table, const uint64_t *key,
                                     const uint64_t *read, double readSigma,
                                     double step, double maxCode,
                                     int32_t *code,
                                     std::vector<int64_t> &redo) {
  const int64_t subsets = int64_t(1) << groupBits;
  for (int64_t g = 0; g < groups; ++g) {
    float *t = table + g * subsets * 16;
    _mm512_storeu_ps(t, _mm512_setzero_ps());
    for (int64_t e = 1; e < subsets; ++e) {
      const int64_t r = g * groupBits + __builtin_ctzll(e);
      const __m512 prev = _mm512_loadu_ps(t + (e & (e - 1)) * 16);
      _mm512_storeu_ps(t + e * 16,
                       r < rows ? _mm512_add_ps(prev,
                                                _mm512_loadu_ps(cell + r * 16))
                                : prev);
    }
  }
  const FloatBounds c = floatBounds(key, rows, readSigma, step, maxCode);
  for (int64_t i = 0; i < reads; ++i, entry += groups, code += 8) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    int64_t g = 0;
    for (; g + 1 < groups; g += 2) {
      s0 = _mm512_add_ps(s0, _mm512_loadu_ps(table + entry[g] * 16));
      s1 = _mm512_add_ps(s1, _mm512_loadu_ps(table + entry[g + 1] * 16));
    }
    if (g < groups)
      s0 = _mm512_add_ps(s0, _mm512_loadu_ps(table + entry[g] * 16));
    if (!boundedReadCodes8<UnitStep>(c, read[i], _mm512_add_ps(s0, s1), code))
      redo.push_back(i);
  }
}

const bool kAvx512 = __builtin_cpu_supports("avx512f") &&
                     __builtin_cpu_supports("avx512dq") &&
                     __builtin_cpu_supports("avx512vl");

REBOCC_AVX2 void bracketCodesAvx2(const uint64_t *key, const uint64_t *read,
                                  const double *sum, int64_t reads,
                                  int64_t lanes, int64_t w, double readSigma,
                                  double step, double maxCode,
                                  const double *edge, int32_t *code,
                                  std::vector<int64_t> &undecided) {
  if (kAvx512 && lanes % 8 == 0) {
    if (step == 1.0)
      return bracketCodes8<true>(key, read, sum, reads, lanes, w, readSigma,
                                 step, maxCode, edge, code, undecided);
    return bracketCodes8<false>(key, read, sum, reads, lanes, w, readSigma,
                                step, maxCode, edge, code, undecided);
  }
  if (lanes % 4)
    bracketCodes(key, read, sum, reads, lanes, w, readSigma, step, maxCode,
                 edge, code, undecided);
  else if (step == 1.0)
    bracketCodes4<true>(key, read, sum, reads, lanes, w, readSigma, step,
                        maxCode, edge, code, undecided);
  else
    bracketCodes4<false>(key, read, sum, reads, lanes, w, readSigma, step,
                         maxCode, edge, code, undecided);
}

#else
void bracketCodesAvx2(const uint64_t *key, const uint64_t *read,
                      const double *sum, int64_t reads, int64_t lanes,
                      int64_t w, double readSigma, double step,
                      double maxCode, const double *edge, int32_t *code,
                      std::vector<int64_t> &undecided) {
  bracketCodes(key, read, sum, reads, lanes, w, readSigma, step, maxCode, edge,
               code, undecided);
}
#endif

} // namespace

void columnCodes(const uint64_t *key, const uint64_t *read, const double *sum,
                 int64_t reads, int64_t lanes, int64_t w, double readSigma,
                 double step, double maxCode, int32_t *code) {
  if (readSigma <= 0) {
    if (kAvx2)
      return quietCodesAvx2(sum, reads, lanes, w, step, maxCode, code);
    return quietCodes(sum, reads, lanes, w, step, maxCode, code);
  }
  static const double *const edge = noise::bracketEdges();
  std::vector<int64_t> undecided;
  if (kAvx2)
    bracketCodesAvx2(key, read, sum, reads, lanes, w, readSigma, step,
                     maxCode, edge, code, undecided);
  else
    bracketCodes(key, read, sum, reads, lanes, w, readSigma, step, maxCode,
                 edge, code, undecided);
  // The undecided codes: their normals, batched, then the codes.
  const int64_t n = static_cast<int64_t>(undecided.size());
  std::vector<double> p(n), z(n);
  for (int64_t u = 0; u < n; ++u) {
    const int64_t i = undecided[u] / lanes, k = undecided[u] % lanes;
    p[u] = noise::uniform(noise::mix(key[k] ^ read[i]));
  }
  noise::normalQuantiles(p.data(), z.data(), n);
  for (int64_t u = 0; u < n; ++u) {
    const int64_t i = undecided[u] / lanes, k = undecided[u] % lanes;
    const double *si = sum + i * w;
    const double s = readSigma * squareRoot(si[lanes + k]);
    code[undecided[u]] = adcCode(si[k] + s * z[u], step, maxCode);
  }
}

void boundedColumnCodes(const uint64_t *key, const uint64_t *read,
                        const float *sum, int64_t reads, int64_t rows,
                        double readSigma, double step, double maxCode,
                        int32_t *code, std::vector<int64_t> &redo) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
  if (step == 1.0)
    return boundedCodes8<true>(key, read, sum, reads, rows, readSigma, step,
                               maxCode, code, redo);
  return boundedCodes8<false>(key, read, sum, reads, rows, readSigma, step,
                              maxCode, code, redo);
#else
  for (int64_t i = 0; i < reads; ++i)
    redo.push_back(i); // never called: AVX-512 only
#endif
}

void subsetTableColumnCodes(const float *cell, int64_t rows,
                            const uint16_t *entry, int64_t groups,
                            int64_t groupBits, int64_t reads, float *table,
                            const uint64_t *key, const uint64_t *read,
                            double readSigma, double step, double maxCode,
                            int32_t *code, std::vector<int64_t> &redo) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
  if (step == 1.0)
    return subsetTableCodes8<true>(cell, rows, entry, groups, groupBits, reads,
                                   table, key, read, readSigma, step, maxCode,
                                   code, redo);
  return subsetTableCodes8<false>(cell, rows, entry, groups, groupBits, reads,
                                  table, key, read, readSigma, step, maxCode,
                                  code, redo);
#else
  for (int64_t i = 0; i < reads; ++i)
    redo.push_back(i); // never called: AVX-512 only
#endif
}

} // namespace rebocc::sim
