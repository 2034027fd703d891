//===- Int16Gemm.h - exact integer GEMM on AVX-512 VNNI ---------*- C++ -*-===//
//
// Private to lib/Sim. The lossless crossbar product (ExactGemm.h) of 16-bit
// weight codes and 16-bit input codes, on vpdpwssd (two int16 products added
// to an int32 lane) instead of double FMAs: twice the products per
// instruction, and a quarter of the bytes to pack.
//
// A full 16 x 16-bit product takes 30 bits, so an int32 lane could add only
// two of them. Each weight code is therefore split at load into a high and a
// low byte, A = 256 * hi + lo with lo in [0, 255] and hi in [-128, 127]: a
// product with an input code then takes at most 24 bits (a pair 25), and
// kBlockPairs pairs fit an int32 lane (fits()). After each such block both
// lanes are converted to double and 256 * hi + lo is added to the output:
// every one of these doubles is an integer below 2^53 (fitsDoubleGemm), so
// the result is the exact integer product, whatever the blocking, as the
// double GEMM's is.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_LIB_SIM_INT16GEMM_H
#define REBOCC_LIB_SIM_INT16GEMM_H

#include <cstdint>
#include <vector>

namespace rebocc::sim::int16gemm {

/// Rows of A per micro-tile, columns of B per panel, and the pairs of terms
/// (k, k+1) an int32 lane adds before it is flushed to double.
constexpr int64_t kTileRows = 4;
constexpr int64_t kPanelCols = 32;
constexpr int64_t kBlockPairs = 128;

/// True when this CPU has the instructions (AVX-512 F/BW and VNNI).
bool available();

/// True when the int32 lanes provably cannot overflow: weight codes up to
/// `maxWeight` and input codes up to `maxInput` in magnitude, both int16,
/// and kBlockPairs pairs of (input * 255) products within INT32_MAX.
bool fits(int64_t maxWeight, int64_t maxInput);

/// Rows of the output buffer multiply() writes for `rows` rows of A, and
/// columns for `n` columns of B.
inline int64_t paddedRows(int64_t rows) {
  return (rows + kTileRows - 1) / kTileRows * kTileRows;
}
inline int64_t paddedCols(int64_t n) { return (n + 15) / 16 * 16; }
/// Pairs of terms over a depth of `depth` (the odd last term pairs with 0).
inline int64_t pairsOf(int64_t depth) { return (depth + 1) / 2; }

/// A (rows x depth integer codes, each in [-32768, 32767]) split and packed
/// for the kernel: per tile of kTileRows rows and pair of terms, the tile's
/// low-byte pairs then its high-byte pairs, one int32 (two int16) each.
struct PackedWeights {
  int64_t rows = 0, depth = 0;
  std::vector<int32_t> data;
};
/// Packs rows x depth codes, row r at codes + r * ld (any type holding
/// integers in int16's range: the double codes of buildDirectMatrix).
void packWeights(const double *codes, int64_t rows, int64_t depth, int64_t ld,
                 PackedWeights &A);

/// int16 entries packColumns writes for `n` columns over `depth` rows.
inline int64_t packedColumnsSize(int64_t depth, int64_t n) {
  return paddedCols(n) * pairsOf(depth) * 2;
}
/// Packs B (depth rows of n codes, row r at codes + r * ld) into panels of
/// kPanelCols columns (the last one of 16 or 32): per pair of rows, each
/// column's two codes side by side. Columns past n and an odd last row are 0.
void packColumns(const int16_t *codes, int64_t ld, int64_t depth, int64_t n,
                 int16_t *packed);
/// packColumns for rows 2 * kp (r0) and 2 * kp + 1 (r1, null past the depth)
/// alone, n codes each.
void packPair(const int16_t *r0, const int16_t *r1, int64_t kp, int64_t depth,
              int64_t n, int16_t *packed);

/// C = A * B exactly, for B packed by packColumns (the same depth) with n
/// columns. C has paddedRows(A.rows) rows of ldc >= paddedCols(n) doubles;
/// the padding rows and columns receive zeros or garbage. available() must
/// hold, and fits() for the codes.
void multiply(const PackedWeights &A, const int16_t *packed, int64_t n,
              double *C, int64_t ldc);

/// out[e] = float((acc[e] + 0.0) * weightScale * inputScale + bias) for e in
/// [0, n): finishFixed's operations in its order, unfused, 8 at a time
/// (available() must hold).
void finishRow(const double *acc, int64_t n, double weightScale,
               double inputScale, float bias, float *out);

} // namespace rebocc::sim::int16gemm

#endif // REBOCC_LIB_SIM_INT16GEMM_H
