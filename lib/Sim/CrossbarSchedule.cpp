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

namespace rebocc::sim {

using namespace program;

LayerPlan planSchedule(const CrossbarLayer &L) {
  LayerPlan S;
  S.rows = L.logicalRows();
  S.steps = L.k / L.dup;
  S.perGroup = static_cast<int64_t>(L.arrays.size()) / L.groups;
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
  const double limit = static_cast<double>(maxW);
  if (L.channelScales.empty())
    return static_cast<int64_t>(kQuantizeCodes(
        L.weights.data(), L.weights.size(), L.weightScale, limit, codes));
  // A block-row's weights are contiguous (Program.h), each with its scale.
  const size_t perRow = static_cast<size_t>(L.logicalRows());
  double most = 0;
  for (size_t r = 0; r < L.channelScales.size(); ++r)
    most = std::max(most, kQuantizeCodes(L.weights.data() + r * perRow, perRow,
                                         L.channelScales[r], limit,
                                         codes + r * perRow));
  return static_cast<int64_t>(most);
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

bool quantizeInput(const float *x, int64_t count, double maxX,
                   std::vector<int32_t> &out, double &scale,
                   std::string &error) {
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
                   double &scale, std::string &error) {
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

} // namespace rebocc::sim
