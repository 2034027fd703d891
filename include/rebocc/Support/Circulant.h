//===- Circulant.h - Block-circulant matrix math ----------------*- C++ -*-===//
//
// Dense weights are row-major m x n (outputs x inputs). Defining vectors are
// p*q*k floats, p = ceil(m/k), q = ceil(n/k), index (i*q + j)*k + t, and
//   W_ij[r][c] = w_ij[(c - r) mod k]
// (REBOC.md convention). Positions beyond m or n are zero padding.
// No MLIR dependency; used by the block-partition pass and the unit tests.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_CIRCULANT_H
#define REBOCC_SUPPORT_CIRCULANT_H

#include <cstdint>
#include <vector>

namespace rebocc::circulant {

/// Expands defining vectors to the dense m x n matrix.
std::vector<float> expand(const float *w, int64_t m, int64_t n, int64_t k);

/// Least-squares projection of dense W onto block-circulant matrices with
/// block size k: each defining entry is the mean of its circulant diagonal
/// (padding positions excluded). `relError` = ||W - expand(w)||_F / ||W||_F
/// (0 when W is zero).
std::vector<float> project(const float *dense, int64_t m, int64_t n, int64_t k,
                           double &relError);

/// Largest deviation |W - expand(project(W))| relative to max|W|.
double maxRelativeDeviation(const float *dense, int64_t m, int64_t n,
                            int64_t k);

/// Whether every entry of the m x n matrix at `dense` (rows `rowStride`
/// floats apart) lies within `bound` of the entry its circulant diagonal
/// starts with (row 0 of its block); k must divide m and n. Stops at the
/// first violation, so a non-circulant k is rejected after a few entries;
/// when it holds, no entry is further than 2 * `bound` from the projection.
bool diagonalsWithin(const float *dense, int64_t m, int64_t n,
                     int64_t rowStride, int64_t k, double bound);

/// The largest candidate k dividing both m and n whose blocks are circulant
/// within `relTol`: every entry lies within relTol * max|W| of the first
/// entry of its circulant diagonal. Returns 1 when no candidate qualifies.
int64_t detectBlockSize(const float *dense, int64_t m, int64_t n,
                        const std::vector<int64_t> &candidates, double relTol);

} // namespace rebocc::circulant

#endif // REBOCC_SUPPORT_CIRCULANT_H
