//===- NoisyReads.cpp - The reads of device cells, many vectors at once ---===//
//
// AnalogEngine<true>'s reads (docs/Accuracy.md, sections 2 to 4): the cells
// are float conductances, so a column sum cannot use bit-plane popcounts.
// The reads of a batch of vectors (every input bit of each) go through one
// array together, one weight column at a time, in three passes:
//  * the column sums (and sums of squares, for read noise) of all reads. An
//    input bit-plane drives its rows in groups of 8, and every group sum is a
//    sum over one of 256 row subsets; with enough reads the 256 subset sums
//    of each group are tabulated once and each read adds one table row per
//    group (the "four Russians" method of Arlazarov et al., 1970), 8 times
//    fewer additions than adding the driven rows one by one;
//  * the ADC codes of all reads, read noise included (NoisyCodes.cpp);
//  * the decoding into the outputs, as one linear form of the codes summed
//    over each vector's input bits.
// With AVX-512, 8 lanes and read noise, the first two passes are one, on
// float sums kept in registers, whose error bounds decide almost every code
// (floatSumCodes); the other reads are summed in double and coded as before.
// A group's sum adds its driven rows from the highest to the lowest, then the
// groups add in row order, both with or without the table, so a read's sum
// depends on its own bits only, never on the batch.
//
//===----------------------------------------------------------------------===//

#include "AnalogEngine.h"
#include "Noise.h"
#include "NoisyCodes.h"
#include "TargetClones.h"

#include <algorithm>
#include <climits>
#include <cmath>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace rebocc::sim {

using namespace program;

namespace {


constexpr int64_t kGroupRows = 8, kSubsets = 256;
/// Below this many reads a table costs more than adding driven rows.
constexpr int64_t kMinTableReads = 96;
/// The groups whose tables groupSums16Avx512 holds at once.
constexpr int64_t kSpan = 4;

/// sum[i * W + k] = sum over groups of table[(g * 256 + bytes[i * groups +
/// g]) * W + k], groups in order, empty subsets skipped.
template <int W>
REBOCC_INLINE void tableSums(const double *table, const uint8_t *bytes, int64_t groups,
               int64_t reads, double *sum) {
  for (int64_t i = 0; i < reads; ++i, bytes += groups, sum += W) {
    double s[W] = {};
    for (int64_t g = 0; g < groups; ++g) {
      if (!bytes[g])
        continue;
      const double *t = table + (g * kSubsets + bytes[g]) * W;
      for (int k = 0; k < W; ++k)
        s[k] += t[k];
    }
    for (int k = 0; k < W; ++k)
      sum[k] = s[k];
  }
}

/// tableSums for any width w.
void tableSumsAny(const double *table, const uint8_t *bytes, int64_t groups,
                  int64_t reads, int64_t w, double *sum) {
  for (int64_t i = 0; i < reads; ++i, bytes += groups, sum += w) {
    std::fill(sum, sum + w, 0.0);
    for (int64_t g = 0; g < groups; ++g) {
      if (!bytes[g])
        continue;
      const double *t = table + (g * kSubsets + bytes[g]) * w;
      for (int64_t k = 0; k < w; ++k)
        sum[k] += t[k];
    }
  }
}

// Widths 4 (cells per weight, no read noise), 8 and 16; the AVX2 clones run
// four lanes per instruction where the CPU has them (chosen once).
REBOCC_AVX2 void tableSums4Avx2(const double *t, const uint8_t *b, int64_t g,
                                int64_t n, double *s) {
  tableSums<4>(t, b, g, n, s);
}
REBOCC_AVX2 void tableSums8Avx2(const double *t, const uint8_t *b, int64_t g,
                                int64_t n, double *s) {
  tableSums<8>(t, b, g, n, s);
}
REBOCC_AVX2 void tableSums16Avx2(const double *t, const uint8_t *b, int64_t g,
                                 int64_t n, double *s) {
  tableSums<16>(t, b, g, n, s);
}

const bool kAvx2 = noise::hasAvx2();

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
const bool kAvx512 = __builtin_cpu_supports("avx512f") &&
                     __builtin_cpu_supports("avx512dq") &&
                     __builtin_cpu_supports("avx512vl");

/// subsetSums of width 16 with AVX-512: the same sums (each subset's row is
/// the row of the subset without its lowest row plus that row), built by
/// lowest row from the highest down, so that no row waits on the one just
/// stored.
REBOCC_AVX512 void subsetSums16Avx512(const double *cell, int64_t rows,
                                      int64_t groups, double *table) {
  for (int64_t g = 0; g < groups; ++g) {
    double *t = table + g * kSubsets * 16;
    _mm512_storeu_pd(t, _mm512_setzero_pd());
    _mm512_storeu_pd(t + 8, _mm512_setzero_pd());
    for (int64_t b = kGroupRows - 1; b >= 0; --b) {
      const int64_t r = g * kGroupRows + b;
      __m512d c0 = _mm512_setzero_pd(), c1 = _mm512_setzero_pd();
      if (r < rows) { // a row past the array is never driven
        c0 = _mm512_loadu_pd(cell + r * 16);
        c1 = _mm512_loadu_pd(cell + r * 16 + 8);
      }
      // e = (higher rows' subset) * 2^(b+1) + 2^b: its row is that of
      // e - 2^b, built in an earlier round (or the empty subset).
      for (int64_t e = int64_t(1) << b; e < kSubsets;
           e += int64_t(2) << b) {
        const double *prev = t + (e - (int64_t(1) << b)) * 16;
        double *cur = t + e * 16;
        __m512d a0 = _mm512_loadu_pd(prev), a1 = _mm512_loadu_pd(prev + 8);
        if (r < rows) {
          a0 = _mm512_add_pd(a0, c0);
          a1 = _mm512_add_pd(a1, c1);
        }
        _mm512_storeu_pd(cur, a0);
        _mm512_storeu_pd(cur + 8, a1);
      }
    }
  }
}

/// The table sums of width 16, kSpan groups at a time: their subset sums
/// (kSpan * 32 KiB, built as subsetSums16Avx512 does) stay in the nearer
/// caches while every read adds its rows of them to its running sum, which
/// streams through in order once per kSpan groups instead of the rows of all
/// groups being looked up at random. Each read's sum adds the same rows in
/// the same group order as tableSums, from +0 (an empty subset adds its +0
/// row, which changes no sum: all are +0 or positive): the same bits.
REBOCC_AVX512 void groupSums16Avx512(const double *cell, int64_t rows,
                                     const uint8_t *bytes, int64_t groups,
                                     int64_t reads, double *table,
                                     double *sum) {
  for (int64_t i = 0; i < reads * 16; i += 8)
    _mm512_storeu_pd(sum + i, _mm512_setzero_pd());
  for (int64_t g = 0; g < groups; g += kSpan) {
    const int64_t n = std::min(kSpan, groups - g);
    subsetSums16Avx512(cell + g * kGroupRows * 16, rows - g * kGroupRows, n,
                       table);
    const uint8_t *b = bytes + g;
    double *s = sum;
    for (int64_t i = 0; i < reads; ++i, b += groups, s += 16) {
      __m512d s0 = _mm512_loadu_pd(s), s1 = _mm512_loadu_pd(s + 8);
      for (int64_t k = 0; k < n; ++k) {
        const double *t = table + (k * kSubsets + b[k]) * 16;
        s0 = _mm512_add_pd(s0, _mm512_loadu_pd(t));
        s1 = _mm512_add_pd(s1, _mm512_loadu_pd(t + 8));
      }
      _mm512_storeu_pd(s, s0);
      _mm512_storeu_pd(s + 8, s1);
    }
  }
}

#else
const bool kAvx512 = false;
void subsetSums16Avx512(const double *, int64_t, int64_t, double *) {}
void groupSums16Avx512(const double *, int64_t, const uint8_t *, int64_t,
                       int64_t, double *, double *) {}
#endif

void columnTableSums(const double *table, const uint8_t *bytes,
                     int64_t groups, int64_t reads, int64_t w, double *sum) {
  switch (w) {
  case 4:
    return kAvx2 ? tableSums4Avx2(table, bytes, groups, reads, sum)
                 : tableSums<4>(table, bytes, groups, reads, sum);
  case 8:
    return kAvx2 ? tableSums8Avx2(table, bytes, groups, reads, sum)
                 : tableSums<8>(table, bytes, groups, reads, sum);
  case 16:
    return kAvx2 ? tableSums16Avx2(table, bytes, groups, reads, sum)
                 : tableSums<16>(table, bytes, groups, reads, sum);
  default:
    return tableSumsAny(table, bytes, groups, reads, w, sum);
  }
}

/// The subset sums of every group: table[(g * 256 + e) * w + k] adds
/// cell[(g * 8 + r) * w + k] over the set bits r of e, highest first.
REBOCC_INLINE void subsetSums(const double *cell, int64_t rows,
                              int64_t groups, int64_t w, double *table) {
  for (int64_t g = 0; g < groups; ++g) {
    double *t = table + g * kSubsets * w;
    std::fill(t, t + w, 0.0);
    for (int64_t e = 1; e < kSubsets; ++e) {
      const int64_t r = g * kGroupRows + __builtin_ctzll(e);
      const double *prev = t + (e & (e - 1)) * w;
      double *cur = t + e * w;
      if (r >= rows) { // a row past the array: never driven
        std::copy(prev, prev + w, cur);
        continue;
      }
      const double *c = cell + r * w;
      for (int64_t k = 0; k < w; ++k)
        cur[k] = prev[k] + c[k];
    }
  }
}

REBOCC_AVX2 void subsetSumsAvx2(const double *cell, int64_t rows,
                                int64_t groups, int64_t w, double *table) {
  subsetSums(cell, rows, groups, w, table);
}

void buildTable(const double *cell, int64_t rows, int64_t groups, int64_t w,
                std::vector<double> &table) {
  table.resize(groups * kSubsets * w);
  if (kAvx2)
    subsetSumsAvx2(cell, rows, groups, w, table.data());
  else
    subsetSums(cell, rows, groups, w, table.data());
}

/// tableSums without a table, in the same order.
void directSums(const double *cell, const uint8_t *bytes, int64_t groups,
                int64_t reads, int64_t w, double *sum) {
  std::vector<double> part(w);
  for (int64_t i = 0; i < reads; ++i, bytes += groups, sum += w) {
    std::fill(sum, sum + w, 0.0);
    for (int64_t g = 0; g < groups; ++g) {
      const unsigned e = bytes[g];
      if (!e)
        continue;
      std::fill(part.begin(), part.end(), 0.0);
      for (int64_t b = kGroupRows - 1; b >= 0; --b)
        if ((e >> b) & 1)
          for (int64_t k = 0; k < w; ++k)
            part[k] += cell[(g * kGroupRows + b) * w + k];
      for (int64_t k = 0; k < w; ++k)
        sum[k] += part[k];
    }
  }
}

/// The input bit-planes of 8-row groups: bit t of plane[j * groups + g] is
/// bit j of x[8g + t].
template <int Unused = 0>
void bitPlanes(const uint32_t *x, int64_t groups, int64_t bits,
               uint8_t *plane) {
  for (int64_t g = 0; g < groups; ++g, x += kGroupRows)
    for (int64_t j = 0; j < bits; ++j) {
      uint32_t byte = 0;
      for (int64_t t = 0; t < kGroupRows; ++t)
        byte |= ((x[t] >> j) & 1) << t;
      plane[j * groups + g] = static_cast<uint8_t>(byte);
    }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
/// bitPlanes with each byte one movemask of the 8 rows shifted so that bit j
/// is their sign bit.
REBOCC_AVX2 void bitPlanesAvx2(const uint32_t *x, int64_t groups,
                               int64_t bits, uint8_t *plane) {
  for (int64_t g = 0; g < groups; ++g, x += kGroupRows) {
    const __m256i rowsOfGroup =
        _mm256_loadu_si256(reinterpret_cast<const __m256i *>(x));
    for (int64_t j = 0; j < bits; ++j)
      plane[j * groups + g] = static_cast<uint8_t>(
          _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_sll_epi32(
              rowsOfGroup, _mm_cvtsi32_si128(static_cast<int>(31 - j))))));
  }
}
#endif

void bitPlanes(const uint32_t *x, int64_t groups, int64_t bits,
               uint8_t *plane) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
  if (kAvx2)
    return bitPlanesAvx2(x, groups, bits, plane);
#endif
  bitPlanes<0>(x, groups, bits, plane);
}

/// t[k] = sum_i +-code[i * 8 + k] << readBit[i] over reads i in [from, to),
/// minus where readBit[i] is signBit, as decodeReads adds them.
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
REBOCC_AVX2 void weighCodes8(const int32_t *code, const int64_t *readBit,
                             int64_t from, int64_t to, int64_t signBit,
                             int64_t *t) {
  __m256i t0 = _mm256_setzero_si256(), t1 = _mm256_setzero_si256();
  for (int64_t i = from; i < to; ++i) {
    const __m256i c =
        _mm256_loadu_si256(reinterpret_cast<const __m256i *>(code + i * 8));
    const __m128i j = _mm_cvtsi64_si128(readBit[i]);
    const __m256i c0 =
        _mm256_sll_epi64(_mm256_cvtepi32_epi64(_mm256_castsi256_si128(c)), j);
    const __m256i c1 = _mm256_sll_epi64(
        _mm256_cvtepi32_epi64(_mm256_extracti128_si256(c, 1)), j);
    if (readBit[i] == signBit) {
      t0 = _mm256_sub_epi64(t0, c0);
      t1 = _mm256_sub_epi64(t1, c1);
    } else {
      t0 = _mm256_add_epi64(t0, c0);
      t1 = _mm256_add_epi64(t1, c1);
    }
  }
  _mm256_storeu_si256(reinterpret_cast<__m256i *>(t), t0);
  _mm256_storeu_si256(reinterpret_cast<__m256i *>(t + 4), t1);
}
#else
void weighCodes8(const int32_t *code, const int64_t *readBit, int64_t from,
                 int64_t to, int64_t signBit, int64_t *t) {}
#endif

/// The decoding of one weight column's reads (in vector order): per vector
/// v, add(v, exact, codes) with exact = perPop * sum_i +-2^j_i pop_i and
/// codes = sum_k coef[k] * t_k, t_k = sum_i +-2^j_i code_ik (input bit j
/// weighs 2^j, the two's-complement sign bit -2^j). The decoding is linear,
/// so these are the integers of decoding each read and adding; t_k and the
/// pop sum fit int64 (codes < 2^31, at most 24 bits of 2^j each; codes and
/// pops are nonnegative, so the shifts are defined), and t's update
/// vectorizes over the lanes.
template <typename AddFn>
void decodeReads(const int64_t *coef, int64_t lanes, int64_t perPop,
                 const int32_t *code, const int64_t *pop,
                 const int64_t *readVector, const int64_t *readBit,
                 int64_t reads, int64_t inputBits, int64_t *t, AddFn add) {
  for (int64_t i = 0; i < reads;) {
    const int64_t v = readVector[i];
    std::fill(t, t + lanes, 0);
    int64_t pops = 0;
    if (lanes == 8 && kAvx2) { // the common case, 4 lanes an instruction
      const int64_t from = i;
      for (; i < reads && readVector[i] == v; ++i) {
        const int64_t p = pop[i] << readBit[i];
        pops += readBit[i] == inputBits - 1 ? -p : p;
      }
      weighCodes8(code, readBit, from, i, inputBits - 1, t);
    }
    for (; i < reads && readVector[i] == v; ++i) {
      const int32_t *ci = code + i * lanes;
      const int64_t j = readBit[i];
      if (j == inputBits - 1) {
        for (int64_t k = 0; k < lanes; ++k)
          t[k] -= int64_t(ci[k]) << j;
        pops -= pop[i] << j;
      } else {
        for (int64_t k = 0; k < lanes; ++k)
          t[k] += int64_t(ci[k]) << j;
        pops += pop[i] << j;
      }
    }
    __int128 codes = 0;
    for (int64_t k = 0; k < lanes; ++k)
      codes += __int128(coef[k]) * t[k];
    add(v, __int128(perPop) * pops, codes);
  }
}

/// The ADC's largest code as the codes' pass takes it: codes fit int32
/// (device runs never use the ideal ADC, CrossbarEngine).
double maxCode(const AdcLaw &adc) {
  return static_cast<double>(std::min<int64_t>(adc.maxCode, INT32_MAX));
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
/// directSums of one read of width 16 (cell: rows x 16 doubles), with
/// AVX-512 and masks instead of branches: an undriven row or an empty
/// group keeps the sum as it is, as skipping it does (the same additions in
/// the same order).
REBOCC_AVX512 void directSums16(const double *cell, const uint8_t *bytes,
                                int64_t groups, double *sum) {
  __m512d s0 = _mm512_setzero_pd(), s1 = _mm512_setzero_pd();
  for (int64_t g = 0; g < groups; ++g) {
    const unsigned e = bytes[g];
    const __mmask8 any = e ? 0xFF : 0;
    __m512d p0 = _mm512_setzero_pd(), p1 = _mm512_setzero_pd();
    for (int64_t b = kGroupRows - 1; b >= 0; --b) {
      const __mmask8 driven = ((e >> b) & 1) ? 0xFF : 0;
      const double *c = cell + (g * kGroupRows + b) * 16;
      p0 = _mm512_mask_add_pd(p0, driven, p0, _mm512_loadu_pd(c));
      p1 = _mm512_mask_add_pd(p1, driven, p1, _mm512_loadu_pd(c + 8));
    }
    s0 = _mm512_mask_add_pd(s0, any, s0, p0);
    s1 = _mm512_mask_add_pd(s1, any, s1, p1);
  }
  _mm512_storeu_pd(sum, s0);
  _mm512_storeu_pd(sum + 8, s1);
}
#else
void directSums16(const double *cell, const uint8_t *bytes, int64_t groups,
                  double *sum) {
  directSums(cell, bytes, groups, 1, 16, sum);
}
#endif

/// The scratch of floatSumCodes, kept over a call's weight columns; entry
/// (each read's subset table entries) is the same for all of them.
struct FloatSumScratch {
  std::vector<float> cell, table;
  std::vector<uint16_t> entry;
  std::vector<int64_t> redo;
  std::vector<uint64_t> redoRead;
  std::vector<double> exact;
  std::vector<int32_t> redoCode;
};

/// With this many reads or more, the float path tabulates 8-row groups (16
/// KiB of subset sums each, in L2 together: half the additions per read);
/// with fewer, 4-row groups (1 KiB each, cheaper to build).
constexpr int64_t kMinOctetReads = 512;

/// The entries of subsetTableColumnCodes for reads of the given 8-row group
/// bytes: with 8-row groups the byte of group g; with 4-row groups, the low
/// half of group g's byte is group 2g's subset, the high half group 2g+1's.
void subsetEntries(const uint8_t *bytes, int64_t groups, int64_t reads,
                   int64_t groupBits, std::vector<uint16_t> &entry) {
  entry.resize(reads * groups * (groupBits == 8 ? 1 : 2));
  uint16_t *e = entry.data();
  for (int64_t i = 0; i < reads; ++i)
    for (int64_t g = 0; g < groups; ++g, ++bytes) {
      if (groupBits == 8) {
        *e++ = static_cast<uint16_t>(g * kSubsets + *bytes);
        continue;
      }
      *e++ = static_cast<uint16_t>(2 * g * 16 + (*bytes & 15));
      *e++ = static_cast<uint16_t>((2 * g + 1) * 16 + (*bytes >> 4));
    }
}

/// The codes of one weight column's reads with 8 lanes and read noise
/// (cell: rows x 16 doubles, conductances and their squares), from sums in
/// single precision where they decide the codes: subsetTableColumnCodes
/// bounds each read's double sums, and only the reads whose bounds straddle
/// a code are summed in double (directSums16, in the tables' order: the same
/// sums) and coded by columnCodes: the same codes.
void floatSumCodes(const double *cell, int64_t rows, const uint8_t *bytes,
                   int64_t groups, int64_t reads, const uint64_t *key,
                   const uint64_t *readNumber, double readSigma,
                   const AdcLaw &adc, int32_t *code, FloatSumScratch &f) {
  constexpr int64_t kLanes = 8, kW = 16;
  const int64_t groupBits = reads >= kMinOctetReads ? 8 : 4;
  const int64_t tableGroups = groups * kGroupRows / groupBits;
  f.cell.assign(groups * kGroupRows * kW, 0.0f);
  f.table.resize(tableGroups * (int64_t(1) << groupBits) * kW);
  if (f.entry.empty())
    subsetEntries(bytes, groups, reads, groupBits, f.entry);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t k = 0; k < kLanes; ++k) {
      const float G = static_cast<float>(cell[r * kW + k]); // exact
      f.cell[r * kW + k] = G;
      f.cell[r * kW + kLanes + k] = G * G;
    }
  f.redo.clear();
  subsetTableColumnCodes(f.cell.data(), rows, f.entry.data(), tableGroups,
                         groupBits, reads, f.table.data(), key, readNumber,
                         readSigma, adc.step, maxCode(adc), code, f.redo);
  const int64_t n = static_cast<int64_t>(f.redo.size());
  f.exact.resize(n * kW);
  f.redoRead.resize(n);
  f.redoCode.resize(n * kLanes);
  for (int64_t u = 0; u < n; ++u) {
    directSums16(cell, bytes + f.redo[u] * groups, groups,
                 f.exact.data() + u * kW);
    f.redoRead[u] = readNumber[f.redo[u]];
  }
  columnCodes(key, f.redoRead.data(), f.exact.data(), n, kLanes, kW,
              readSigma, adc.step, maxCode(adc), f.redoCode.data());
  for (int64_t u = 0; u < n; ++u)
    std::copy_n(f.redoCode.data() + u * kLanes, kLanes,
                code + f.redo[u] * kLanes);
}

} // namespace

template <>
void AnalogEngine<true>::readNoisy(int64_t s, int64_t ai, int64_t la,
                                   const X *xv, int64_t count, Acc *acc,
                                   int64_t firstVector) {
  const ArrayPlan &A = S.arrays[ai];
  const int64_t rows = A.rows, words = (rows + 63) / 64;
  const int64_t groups = (rows + kGroupRows - 1) / kGroupRows;
  const int64_t *drive = &A.drive[s * rows];
  const int64_t *out = &A.output[s * A.cols];

  // The reads: every input bit of every vector that drives a row, as the
  // bytes of its 8-row groups, and as 64-row words.
  std::vector<uint8_t> bytes, plane(inputBits * groups);
  std::vector<uint32_t> x(groups * kGroupRows, 0); // rows past the array: 0
  std::vector<int64_t> readVector, readBit;
  const uint32_t bitMask =
      static_cast<uint32_t>((uint64_t(1) << inputBits) - 1);
  for (int64_t v = 0; v < count; ++v) {
    for (int64_t r = 0; r < rows; ++r) // two's complement
      x[r] = static_cast<uint32_t>(xv[v * S.rows + drive[r]]) & bitMask;
    bitPlanes(x.data(), groups, inputBits, plane.data());
    for (int64_t j = 0; j < inputBits; ++j) {
      const uint8_t *pj = plane.data() + j * groups;
      if (std::all_of(pj, pj + groups, [](uint8_t b) { return b == 0; }))
        continue; // no row driven: no current, every code 0
      readVector.push_back(v);
      readBit.push_back(j);
      bytes.insert(bytes.end(), pj, pj + groups);
    }
  }
  const int64_t reads = static_cast<int64_t>(readVector.size());
  if (reads == 0)
    return;
  std::vector<uint64_t> readNumber(reads), masks(reads * words, 0);
  for (int64_t i = 0; i < reads; ++i) {
    readNumber[i] = uint64_t(((firstVector + readVector[i]) * S.steps + s) *
                                 inputBits + readBit[i]);
    for (int64_t g = 0; g < groups; ++g)
      masks[i * words + g / 8] |= uint64_t(bytes[i * groups + g])
                                  << (8 * (g % 8));
  }

  // Per weight column: its lanes (cell slices, both halves), their
  // conductances and squares per row, and the read-noise key prefixes.
  const int64_t lanes = cpw * halves, pc = A.cols * cpw;
  const bool noisy = readSigma > 0;
  const int64_t w = noisy ? 2 * lanes : lanes;
  const bool useTable = reads >= kMinTableReads;
  const bool floatSums = useTable && kAvx512 && noisy && lanes == 8 &&
                         groups * kSubsets <= UINT16_MAX + 1; // entries
  FloatSumScratch floatScratch;
  std::vector<double> cell(groups * kGroupRows * w, 0.0), table,
      sum(floatSums ? 0 : reads * w); // floatSums: in FloatSumScratch
  std::vector<uint64_t> key(lanes);
  std::vector<int32_t> code(reads * lanes);
  std::vector<int64_t> coef(lanes), weighed(lanes), pop(reads);
  int64_t popLo = -1, popHi = -1;
  for (int64_t c = 0; c < A.cols; ++c) {
    if (out[c] < 0)
      continue; // padding output
    for (int64_t k = 0; k < lanes; ++k) {
      const int64_t h = k / cpw, col = c * cpw + k % cpw;
      const int64_t pa = la * halves + h;
      const float *g = cells[pa].data() + col;
      for (int64_t r = 0; r < rows; ++r) {
        const double G = g[r * pc];
        cell[r * w + k] = G;
        if (noisy)
          cell[r * w + lanes + k] = G * G;
      }
      key[k] = noise::hash({options.seed, noise::kRead,
                            uint64_t(options.layer), uint64_t(pa),
                            uint64_t(col)});
    }
    if (floatSums) {
      floatSumCodes(cell.data(), rows, bytes.data(), groups, reads,
                    key.data(), readNumber.data(), readSigma, adc,
                    code.data(), floatScratch);
    } else if (useTable && kAvx512 && w == 16) {
      table.resize(kSpan * kSubsets * w);
      groupSums16Avx512(cell.data(), rows, bytes.data(), groups, reads,
                        table.data(), sum.data());
    } else if (useTable) {
      buildTable(cell.data(), rows, groups, w, table);
      columnTableSums(table.data(), bytes.data(), groups, reads, w,
                      sum.data());
    } else {
      directSums(cell.data(), bytes.data(), groups, reads, w, sum.data());
    }
    // Independent per-cell read noise G*(1 + read_sigma*n) sums to one
    // normal per column with variance read_sigma^2 * sum(G^2).
    if (!floatSums)
      columnCodes(key.data(), readNumber.data(), sum.data(), reads, lanes, w,
                  readSigma, adc.step, maxCode(adc), code.data());
    // The digital side (decode) as a linear form of the codes, per read:
    // perPop * (driven rows of the column) + sum_k coef[k] * code[k], shifted
    // by the input bit and summed per vector.
    const int64_t perPop = decodeCoefficients(la, c, coef.data());
    if (A.colRowLo[c] != popLo || A.colRowHi[c] != popHi) {
      popLo = A.colRowLo[c];
      popHi = A.colRowHi[c];
      for (int64_t i = 0; i < reads; ++i)
        pop[i] = popRange(masks.data() + i * words, popLo, popHi);
    }
    decodeReads(coef.data(), lanes, perPop, code.data(), pop.data(),
                readVector.data(), readBit.data(), reads, inputBits,
                weighed.data(), [&](int64_t v, __int128 exact, __int128 codes) {
                  Acc &o = acc[v * L.m + out[c]];
                  o.exact += exact;
                  o.codes += codes;
                });
  }
}

template <>
void AnalogEngine<false>::readNoisy(int64_t, int64_t, int64_t, const X *,
                                    int64_t, Acc *, int64_t) {}

} // namespace rebocc::sim
