//===- Int16Gemm.cpp - exact integer GEMM on AVX-512 VNNI -----------------===//
//
// Int16Gemm.h. The loops are GotoBLAS's, cut to this one shape: per block
// of kBlockPairs pairs of terms (the int32 lanes' limit), per tile of
// kTileRows rows of A (4 KiB of packed weights per block, in L1), per panel
// of B (16 KiB per block), a micro-kernel keeps 4 x 2 x 2 int32 vectors (16
// columns each, low and high bytes) in registers and adds them into C at the
// end of the block. (Clang spills a 4 x 3 tile's 24 accumulators, which
// measured 30 % slower.) Only multiply() needs AVX-512; it is compiled for
// it with a target attribute and run only where available() says the CPU
// has it.
//
//===----------------------------------------------------------------------===//

#include "Int16Gemm.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define REBOCC_INT16GEMM_X86 1
#endif

namespace rebocc::sim::int16gemm {

bool available() {
#ifdef REBOCC_INT16GEMM_X86
  // REBOCC_SIM_NO_AVX512 set: the portable path, as on a CPU without it
  // (the tests run both).
  static const bool has = __builtin_cpu_supports("avx512f") &&
                          __builtin_cpu_supports("avx512bw") &&
                          __builtin_cpu_supports("avx512vnni") &&
                          !std::getenv("REBOCC_SIM_NO_AVX512");
  return has;
#else
  return false;
#endif
}

bool fits(int64_t maxWeight, int64_t maxInput) {
  // The low byte's lane: kBlockPairs pairs of products up to maxInput * 255
  // (the high byte's, up to maxInput * 128, is smaller).
  return maxWeight >= 0 && maxWeight <= INT16_MAX && maxInput >= 0 &&
         maxInput <= INT16_MAX &&
         kBlockPairs * 2 * maxInput * 255 <= int64_t(INT32_MAX);
}

void packWeights(const double *codes, int64_t rows, int64_t depth, int64_t ld,
                 PackedWeights &A) {
  const int64_t pairs = pairsOf(depth), tiles = paddedRows(rows) / kTileRows;
  A.rows = rows;
  A.depth = depth;
  A.data.assign(tiles * pairs * 2 * kTileRows, 0);
  auto code = [&](int64_t r, int64_t k) -> int32_t {
    return r < rows && k < depth ? static_cast<int32_t>(codes[r * ld + k]) : 0;
  };
  // One int16 pair in an int32: the first term in the low half (the lane
  // order vpdpwssd multiplies with B's pairs).
  auto pair = [](int32_t a, int32_t b) {
    return static_cast<int32_t>(static_cast<uint32_t>(a & 0xffff) |
                                static_cast<uint32_t>(b & 0xffff) << 16);
  };
  for (int64_t t = 0; t < tiles; ++t)
    for (int64_t kp = 0; kp < pairs; ++kp) {
      int32_t *out = A.data.data() + (t * pairs + kp) * 2 * kTileRows;
      for (int64_t i = 0; i < kTileRows; ++i) {
        const int32_t a = code(t * kTileRows + i, 2 * kp);
        const int32_t b = code(t * kTileRows + i, 2 * kp + 1);
        // a = 256 * (a >> 8) + (a & 255): an arithmetic shift floors.
        out[i] = pair(a & 255, b & 255);
        out[kTileRows + i] = pair(a >> 8, b >> 8);
      }
    }
}

#ifdef REBOCC_INT16GEMM_X86
/// A whole panel's 32 columns of two rows, interleaved by two permutes.
__attribute__((target("avx512f,avx512bw"))) static void
interleavePanel(const int16_t *r0, const int16_t *r1, int16_t *out) {
  alignas(64) static constexpr int16_t kLow[32] = {
      0, 32, 1, 33, 2,  34, 3,  35, 4,  36, 5,  37, 6,  38, 7,  39,
      8, 40, 9, 41, 10, 42, 11, 43, 12, 44, 13, 45, 14, 46, 15, 47};
  const __m512i low = _mm512_load_si512(kLow);
  const __m512i high = _mm512_add_epi16(low, _mm512_set1_epi16(16));
  const __m512i a = _mm512_loadu_si512(r0), b = _mm512_loadu_si512(r1);
  _mm512_storeu_si512(out, _mm512_permutex2var_epi16(a, low, b));
  _mm512_storeu_si512(out + 32, _mm512_permutex2var_epi16(a, high, b));
}
#endif

void packPair(const int16_t *r0, const int16_t *r1, int64_t kp, int64_t depth,
              int64_t n, int16_t *packed) {
  const int64_t pairs = pairsOf(depth), padded = paddedCols(n);
  for (int64_t j0 = 0; j0 < padded; j0 += kPanelCols) {
    const int64_t width = std::min(kPanelCols, padded - j0);
    const int64_t valid = std::min(width, n - j0);
    int16_t *out = packed + j0 * pairs * 2 + kp * width * 2;
#ifdef REBOCC_INT16GEMM_X86
    if (r1 && valid == kPanelCols && available()) {
      interleavePanel(r0 + j0, r1 + j0, out);
      continue;
    }
#endif
    for (int64_t j = 0; j < valid; ++j) {
      out[2 * j] = r0[j0 + j];
      out[2 * j + 1] = r1 ? r1[j0 + j] : int16_t(0);
    }
    std::fill(out + 2 * valid, out + 2 * width, int16_t(0));
  }
}

void packColumns(const int16_t *codes, int64_t ld, int64_t depth, int64_t n,
                 int16_t *packed) {
  for (int64_t kp = 0; kp < pairsOf(depth); ++kp)
    packPair(codes + 2 * kp * ld,
             2 * kp + 1 < depth ? codes + (2 * kp + 1) * ld : nullptr, kp,
             depth, n, packed);
}

#ifdef REBOCC_INT16GEMM_X86
namespace {

#define REBOCC_AVX512_VNNI                                                     \
  __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512vnni")))

/// C[0..4) x [0..16*NR) (+)= the block's kpn pairs: A holds 8 int32 per
/// pair (4 low, 4 high), B 16*NR int32 per pair.
template <int NR>
REBOCC_AVX512_VNNI void microKernel(int64_t kpn, const int32_t *A,
                                    const int16_t *B, double *C, int64_t ldc,
                                    bool first) {
  __m512i lo[kTileRows][NR], hi[kTileRows][NR];
  for (int i = 0; i < kTileRows; ++i)
    for (int v = 0; v < NR; ++v)
      lo[i][v] = hi[i][v] = _mm512_setzero_si512();
  for (int64_t kp = 0; kp < kpn; ++kp, A += 2 * kTileRows, B += 32 * NR) {
    __m512i b[NR];
    for (int v = 0; v < NR; ++v)
      b[v] = _mm512_loadu_si512(B + 32 * v);
    for (int i = 0; i < kTileRows; ++i) {
      const __m512i al = _mm512_set1_epi32(A[i]);
      for (int v = 0; v < NR; ++v)
        lo[i][v] = _mm512_dpwssd_epi32(lo[i][v], b[v], al);
    }
    for (int i = 0; i < kTileRows; ++i) {
      const __m512i ah = _mm512_set1_epi32(A[kTileRows + i]);
      for (int v = 0; v < NR; ++v)
        hi[i][v] = _mm512_dpwssd_epi32(hi[i][v], b[v], ah);
    }
  }
  const __m512d k256 = _mm512_set1_pd(256.0);
  for (int i = 0; i < kTileRows; ++i)
    for (int v = 0; v < NR; ++v) {
      double *c = C + i * ldc + 16 * v;
      for (int half = 0; half < 2; ++half) {
        const __m512d l = _mm512_cvtepi32_pd(
            half ? _mm512_extracti64x4_epi64(lo[i][v], 1)
                 : _mm512_castsi512_si256(lo[i][v]));
        const __m512d h = _mm512_cvtepi32_pd(
            half ? _mm512_extracti64x4_epi64(hi[i][v], 1)
                 : _mm512_castsi512_si256(hi[i][v]));
        // 256 * h + l is an integer below 2^40: the fused rounding is exact.
        __m512d s = _mm512_fmadd_pd(h, k256, l);
        if (!first)
          s = _mm512_add_pd(_mm512_loadu_pd(c + 8 * half), s);
        _mm512_storeu_pd(c + 8 * half, s);
      }
    }
}

REBOCC_AVX512_VNNI void multiplyAvx512(const PackedWeights &A,
                                       const int16_t *packed, int64_t n,
                                       double *C, int64_t ldc) {
  const int64_t pairs = pairsOf(A.depth), tiles = paddedRows(A.rows) / kTileRows;
  const int64_t padded = paddedCols(n);
  for (int64_t kb = 0; kb < pairs || kb == 0; kb += kBlockPairs) {
    const int64_t kpn = std::min(kBlockPairs, pairs - kb);
    for (int64_t t = 0; t < tiles; ++t) {
      const int32_t *a = A.data.data() + (t * pairs + kb) * 2 * kTileRows;
      for (int64_t j0 = 0; j0 < padded; j0 += kPanelCols) {
        const int64_t width = std::min(kPanelCols, padded - j0);
        const int16_t *b = packed + j0 * pairs * 2 + kb * width * 2;
        double *c = C + t * kTileRows * ldc + j0;
        if (width == 16)
          microKernel<1>(kpn, a, b, c, ldc, kb == 0);
        else
          microKernel<2>(kpn, a, b, c, ldc, kb == 0);
      }
    }
  }
}

REBOCC_AVX512_VNNI void finishRowAvx512(const double *acc, int64_t n,
                                        double weightScale, double inputScale,
                                        float bias, float *out) {
  const __m512d zero = _mm512_setzero_pd(), ws = _mm512_set1_pd(weightScale);
  const __m512d sx = _mm512_set1_pd(inputScale);
  const __m512d b = _mm512_set1_pd(static_cast<double>(bias));
  for (int64_t e = 0; e < n; e += 8) {
    const __mmask8 k =
        n - e >= 8 ? __mmask8(0xff) : __mmask8((1u << (n - e)) - 1);
    __m512d v = _mm512_add_pd(_mm512_maskz_loadu_pd(k, acc + e), zero);
    v = _mm512_add_pd(_mm512_mul_pd(_mm512_mul_pd(v, ws), sx), b);
    _mm256_mask_storeu_ps(out + e, k, _mm512_cvtpd_ps(v));
  }
}

} // namespace
#endif

void finishRow(const double *acc, int64_t n, double weightScale,
               double inputScale, float bias, float *out) {
#ifdef REBOCC_INT16GEMM_X86
  finishRowAvx512(acc, n, weightScale, inputScale, bias, out);
#else
  (void)acc, (void)n, (void)weightScale, (void)inputScale, (void)bias,
      (void)out;
#endif
}

void multiply(const PackedWeights &A, const int16_t *packed, int64_t n,
              double *C, int64_t ldc) {
#ifdef REBOCC_INT16GEMM_X86
  multiplyAvx512(A, packed, n, C, ldc);
#else
  (void)A, (void)packed, (void)n, (void)C, (void)ldc;
#endif
}

} // namespace rebocc::sim::int16gemm
