//===- DirectMatrix.h - the integer matrix of a crossbar layer --*- C++ -*-===//
//
// Private to lib/Sim. The exact engines (CrossbarEngine.cpp's integer direct
// product, ExactGemm.cpp's double GEMM) multiply by the matrix the bit-sliced
// arrays compute when nothing rounds (isLossless), built here once.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_LIB_SIM_DIRECTMATRIX_H
#define REBOCC_LIB_SIM_DIRECTMATRIX_H

#include "CrossbarSchedule.h"
#include "rebocc/Model/Hardware.h"

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace rebocc::sim {

/// The integer linear map the bit-sliced arrays compute, as one dense
/// matrix per group: D[(g*m + o)*rows + x] is the coefficient of gathered
/// input x in output o. In every mapping the schedule (planSchedule,
/// weightIndex) drives output o = i*k + e with the cells of w_ij[(t - e) mod k]
/// on gathered input J*k + t, each exactly once, and the unit column cancels
/// the bias encoding of those cells exactly, so D holds the quantized
/// defining vectors rotated by e. Returns false (use the cell path) when the
/// matrix is too large or an output could overflow int64; `maxEntry`
/// receives max |D|. WeightT must hold weightBits-bit codes; `maxEntries`
/// bounds the matrix (its memory).
template <typename WeightT>
bool buildDirectMatrix(const program::CrossbarLayer &L,
                       const model::HardwareDesc &hw, const LayerPlan &S,
                       std::vector<WeightT> &D, int64_t &maxEntry,
                       int64_t maxEntries = int64_t(1) << 30) {
  const int64_t maxW = (int64_t(1) << (hw.weightBits - 1)) - 1;
  const int64_t maxX = (int64_t(1) << (hw.inputBits - 1)) - 1;
  const int64_t R = S.rows, k = L.k, blocks = R / k;
  int64_t entries, bound;
  if (__builtin_mul_overflow(L.groups * L.m, R, &entries) ||
      entries > maxEntries || __builtin_mul_overflow(maxW * maxX, R, &bound))
    return false;
  std::vector<WeightT> q(L.weights.size());
  maxEntry = 0;
  if constexpr (std::is_same_v<WeightT, double>) {
    maxEntry = quantizeWeightCodes(L, maxW, q.data());
  } else {
    for (size_t w = 0; w < L.weights.size(); ++w) {
      q[w] = static_cast<WeightT>(quantizeWeight(L, w, maxW));
      const int64_t code = static_cast<int64_t>(q[w]);
      maxEntry = std::max(maxEntry, code < 0 ? -code : code);
    }
  }
  if (k == 1) { // no rotation: D is the codes, row o = block-row i = o
    D = std::move(q);
    return true;
  }
  D.resize(entries);
  for (int64_t g = 0; g < L.groups; ++g)
    for (int64_t o = 0; o < L.m; ++o) {
      const int64_t i = o / k, e = o % k;
      WeightT *d = D.data() + (g * L.m + o) * R;
      for (int64_t J = 0; J < blocks; ++J) {
        const WeightT *w = q.data() + ((g * L.p + i) * blocks + J) * k;
        // d[J*k + t] = w[(t - e) mod k]
        for (int64_t t = 0; t < e; ++t)
          d[J * k + t] = w[t - e + k];
        for (int64_t t = e; t < k; ++t)
          d[J * k + t] = w[t - e];
      }
    }
  return true;
}

} // namespace rebocc::sim

#endif // REBOCC_LIB_SIM_DIRECTMATRIX_H
