//===- Noise.cpp - Batched standard normal quantiles ----------------------===//
//
// A noisy read draws one normal per column (docs/Accuracy.md, section 3), a
// billion of them for one ResNet-18 image. normalQuantile's central branch
// is a rational function without log or sqrt that vectorizes when evaluated
// for many arguments at once; its tails stay scalar. The results are those
// of normalQuantile bit for bit: the same operations in the same order, with
// IEEE double lanes and no contraction into fused multiply-adds (the avx2
// clone does not enable FMA, and contraction is off here regardless).
//
//===----------------------------------------------------------------------===//

#include "Noise.h"

#include <vector>

#pragma STDC FP_CONTRACT OFF

namespace rebocc::sim::noise {

namespace {

/// z[i] = the central branch of normalQuantile(p[i]) (meaningless where
/// |p - 0.5| > 0.425, which normalQuantiles redoes).
template <int Unused = 0>
inline __attribute__((always_inline)) void centralQuantiles(const double *p, double *z, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    z[i] = centralQuantile(p[i] - 0.5);
}

/// z[j] = normalQuantile(p[j]) for tail arguments (|p - 0.5| > 0.425),
/// given t[j] = -log(min(p, 1 - p)): both of its rational functions for
/// every argument, the one its branch takes kept.
template <int Unused = 0>
inline __attribute__((always_inline)) void tailQuantiles(const double *p, const double *t, double *z, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const double q = p[i] - 0.5;
#if defined(__clang__)
    const double root = __builtin_elementwise_sqrt(t[i]);
#else
    const double root = std::sqrt(t[i]);
#endif
    double r = root - 1.6;
    const double num1 =
        (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) *
                  r + 2.41780725177450611770e-1) * r +
              1.27045825245236838258e+0) * r + 3.64784832476320460504e+0) *
            r + 5.76949722146069140550e+0) * r + 4.63033784615654529590e+0) *
          r + 1.42343711074968357734e+0);
    const double den1 =
        (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) *
                  r + 1.51986665636164571966e-2) * r +
              1.48103976427480074590e-1) * r + 6.89767334985100004550e-1) *
            r + 1.67638483018380384940e+0) * r + 2.05319162663775882187e+0) *
          r + 1.0);
    r = root - 5.0;
    const double num2 =
        (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) *
                  r + 1.24266094738807843860e-3) * r +
              2.65321895265761230930e-2) * r + 2.96560571828504891230e-1) *
            r + 1.78482653991729133580e+0) * r + 5.46378491116411436990e+0) *
          r + 6.65790464350110377720e+0);
    const double den2 =
        (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) *
                  r + 1.84631831751005468180e-5) * r +
              7.86869131145613259100e-4) * r + 1.48753612908506148525e-2) *
            r + 1.36929880922735805310e-1) * r + 5.99832206555887937690e-1) *
          r + 1.0);
    const double x = root <= 5.0 ? num1 / den1 : num2 / den2;
    z[i] = q < 0.0 ? -x : x;
  }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
__attribute__((target("avx2"))) void
centralQuantilesAvx2(const double *p, double *z, int64_t n) {
  centralQuantiles<1>(p, z, n);
}
__attribute__((target("avx2"))) void
tailQuantilesAvx2(const double *p, const double *t, double *z, int64_t n) {
  tailQuantiles<1>(p, t, z, n);
}
#endif

const bool kAvx2 = hasAvx2();

} // namespace

void normalQuantiles(const double *p, double *z, int64_t n) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
  if (kAvx2)
    centralQuantilesAvx2(p, z, n);
  else
#endif
    centralQuantiles<0>(p, z, n);
  // About one argument in seven is in a tail: gather them, take their logs
  // (libm, scalar), then finish them together.
  std::vector<int64_t> index(n);
  int64_t m = 0;
  for (int64_t i = 0; i < n; ++i) {
    index[m] = i;
    m += !(std::fabs(p[i] - 0.5) <= 0.425);
  }
  std::vector<double> tp(m), t(m), tz(m);
  for (int64_t j = 0; j < m; ++j) {
    const double pj = p[index[j]];
    tp[j] = pj;
    t[j] = -std::log(pj - 0.5 <= 0.0 ? pj : 1.0 - pj);
  }
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
  if (kAvx2)
    tailQuantilesAvx2(tp.data(), t.data(), tz.data(), m);
  else
#endif
    tailQuantiles<0>(tp.data(), t.data(), tz.data(), m);
  for (int64_t j = 0; j < m; ++j)
    z[index[j]] = tz[j];
}

const double *bracketEdges() {
  static const std::vector<double> edges = [] {
    std::vector<double> e(kBrackets + 1);
    for (int64_t k = 0; k <= kBrackets; ++k) {
      const uint64_t b = (kBracketFirst + uint64_t(k)) << (52 - kBracketBits);
      double r;
      __builtin_memcpy(&r, &b, sizeof r);
      e[k] = normalQuantile(r);
    }
    return e;
  }();
  return edges.data();
}

bool hasAvx2() {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
  return __builtin_cpu_supports("avx2");
#else
  return false;
#endif
}

} // namespace rebocc::sim::noise
