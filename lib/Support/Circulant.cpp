//===- Circulant.cpp - Block-circulant matrix math ------------------------===//
//
// Dense W is row-major m x n; defining vectors are indexed (i*q + j)*k + t and
// W_ij[r][c] = w_ij[(c - r) mod k]. Positions beyond m or n are padding.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Support/Circulant.h"
#include "rebocc/Support/Shapes.h"

#include <algorithm>
#include <cmath>

namespace rebocc::circulant {

using support::ceilDiv;

std::vector<float> expand(const float *w, int64_t m, int64_t n, int64_t k) {
  std::vector<float> dense(static_cast<size_t>(m * n), 0.0f);
  int64_t q = ceilDiv(n, k);
  for (int64_t o = 0; o < m; ++o) {
    int64_t i = o / k, r = o % k;
    for (int64_t c = 0; c < n; ++c) {
      int64_t j = c / k, t = ((c % k) - r + k) % k;
      dense[o * n + c] = w[(i * q + j) * k + t];
    }
  }
  return dense;
}

std::vector<float> project(const float *dense, int64_t m, int64_t n, int64_t k,
                           double &relError) {
  int64_t p = ceilDiv(m, k), q = ceilDiv(n, k);
  // Least squares onto circulant blocks: each defining entry is the mean of
  // the real (non-padding) entries on its circulant diagonal.
  std::vector<double> sum(static_cast<size_t>(p * q * k), 0.0);
  std::vector<int64_t> count(sum.size(), 0);
  for (int64_t o = 0; o < m; ++o) {
    int64_t i = o / k, r = o % k;
    for (int64_t c = 0; c < n; ++c) {
      int64_t j = c / k, t = ((c % k) - r + k) % k;
      size_t idx = static_cast<size_t>((i * q + j) * k + t);
      sum[idx] += dense[o * n + c];
      ++count[idx];
    }
  }
  std::vector<float> w(sum.size(), 0.0f);
  for (size_t idx = 0; idx < w.size(); ++idx)
    if (count[idx])
      w[idx] = static_cast<float>(sum[idx] / static_cast<double>(count[idx]));

  // Compare against the projection entry by entry, without materializing
  // the expanded matrix (layers can hold 10^8 weights).
  double diff = 0, norm = 0;
  for (int64_t o = 0; o < m; ++o) {
    int64_t i = o / k, r = o % k;
    for (int64_t c = 0; c < n; ++c) {
      int64_t j = c / k, t = ((c % k) - r + k) % k;
      double value = dense[o * n + c];
      double d = value - w[(i * q + j) * k + t];
      diff += d * d;
      norm += value * value;
    }
  }
  relError = norm > 0 ? std::sqrt(diff / norm) : 0.0;
  return w;
}

static double maxAbsolute(const float *dense, int64_t count) {
  double maxAbs = 0;
  for (int64_t e = 0; e < count; ++e)
    maxAbs = std::max(maxAbs, std::fabs(static_cast<double>(dense[e])));
  return maxAbs;
}

double maxRelativeDeviation(const float *dense, int64_t m, int64_t n,
                            int64_t k) {
  double relError;
  std::vector<float> w = project(dense, m, n, k, relError);
  int64_t q = ceilDiv(n, k);
  double maxDev = 0;
  for (int64_t o = 0; o < m; ++o) {
    int64_t i = o / k, r = o % k;
    for (int64_t c = 0; c < n; ++c) {
      int64_t j = c / k, t = ((c % k) - r + k) % k;
      maxDev = std::max(maxDev, std::fabs(static_cast<double>(dense[o * n + c]) -
                                          w[(i * q + j) * k + t]));
    }
  }
  double maxAbs = maxAbsolute(dense, m * n);
  return maxAbs > 0 ? maxDev / maxAbs : 0.0;
}

bool diagonalsWithin(const float *dense, int64_t m, int64_t n,
                     int64_t rowStride, int64_t k, double bound) {
  for (int64_t o = 0; o < m; ++o) {
    const float *row = dense + o * rowStride;
    const float *first = dense + (o / k) * k * rowStride;
    int64_t r = o % k;
    for (int64_t c = 0; c < n; ++c) {
      int64_t j = c / k, t = ((c % k) - r + k) % k;
      if (std::fabs(static_cast<double>(row[c]) - first[j * k + t]) > bound)
        return false;
    }
  }
  return true;
}

int64_t detectBlockSize(const float *dense, int64_t m, int64_t n,
                        const std::vector<int64_t> &candidates,
                        double relTol) {
  std::vector<int64_t> sizes(candidates);
  std::sort(sizes.rbegin(), sizes.rend());
  double bound = relTol * maxAbsolute(dense, m * n);
  for (int64_t k : sizes) {
    // Only exact tilings count: a padded layer is not evidence of structure.
    if (k <= 1 || m % k != 0 || n % k != 0)
      continue;
    if (diagonalsWithin(dense, m, n, /*rowStride=*/n, k, bound))
      return k;
  }
  return 1;
}

} // namespace rebocc::circulant
