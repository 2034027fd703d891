//===- Circulant.cpp - Block-circulant matrix math ------------------------===//
//
// Dense W is row-major m x n; defining vectors are indexed (i*q + j)*k + t and
// W_ij[r][c] = w_ij[(c - r) mod k]. Positions beyond m or n are padding.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Support/Circulant.h"

#include <algorithm>
#include <cmath>

namespace rebocc::circulant {

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

  std::vector<float> back = expand(w.data(), m, n, k);
  double diff = 0, norm = 0;
  for (int64_t e = 0; e < m * n; ++e) {
    double d = static_cast<double>(dense[e]) - back[e];
    diff += d * d;
    norm += static_cast<double>(dense[e]) * dense[e];
  }
  relError = norm > 0 ? std::sqrt(diff / norm) : 0.0;
  return w;
}

double maxRelativeDeviation(const float *dense, int64_t m, int64_t n,
                            int64_t k) {
  double relError;
  std::vector<float> w = project(dense, m, n, k, relError);
  std::vector<float> back = expand(w.data(), m, n, k);
  double maxAbs = 0, maxDev = 0;
  for (int64_t e = 0; e < m * n; ++e) {
    maxAbs = std::max(maxAbs, std::fabs(static_cast<double>(dense[e])));
    maxDev = std::max(maxDev,
                      std::fabs(static_cast<double>(dense[e]) - back[e]));
  }
  return maxAbs > 0 ? maxDev / maxAbs : 0.0;
}

int64_t detectBlockSize(const float *dense, int64_t m, int64_t n,
                        const std::vector<int64_t> &candidates,
                        double relTol) {
  int64_t best = 1;
  for (int64_t k : candidates) {
    // Only exact tilings count: a padded layer is not evidence of structure.
    if (k <= best || m % k != 0 || n % k != 0)
      continue;
    if (maxRelativeDeviation(dense, m, n, k) <= relTol)
      best = k;
  }
  return best;
}

} // namespace rebocc::circulant
