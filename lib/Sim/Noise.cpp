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

#pragma STDC FP_CONTRACT OFF

namespace rebocc::sim::noise {

namespace {

/// z[i] = the central branch of normalQuantile(p[i]) (meaningless where
/// |p - 0.5| > 0.425, which normalQuantiles redoes).
template <int Unused = 0>
void centralQuantiles(const double *p, double *z, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const double q = p[i] - 0.5;
    const double r = 0.180625 - q * q;
    const double num =
        (((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r +
              6.7265770927008700853e+4) * r + 4.5921953931549871457e+4) * r +
            1.3731693765509461125e+4) * r + 1.9715909503065514427e+3) * r +
          1.3314166789178437745e+2) * r + 3.3871328727963666080e+0) * q;
    const double den =
        (((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r +
              3.9307895800092710610e+4) * r + 2.1213794301586595867e+4) * r +
            5.3941960214247511077e+3) * r + 6.8718700749205790830e+2) * r +
          4.2313330701600911252e+1) * r + 1.0);
    z[i] = num / den;
  }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
__attribute__((target("avx2"))) void
centralQuantilesAvx2(const double *p, double *z, int64_t n) {
  centralQuantiles<1>(p, z, n);
}
#endif

using CentralFn = void (*)(const double *, double *, int64_t);

CentralFn chooseCentral() {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
  if (__builtin_cpu_supports("avx2"))
    return centralQuantilesAvx2;
#endif
  return centralQuantiles<0>;
}

const CentralFn kCentral = chooseCentral();

} // namespace

void normalQuantiles(const double *p, double *z, int64_t n) {
  kCentral(p, z, n);
  for (int64_t i = 0; i < n; ++i)
    if (!(std::fabs(p[i] - 0.5) <= 0.425))
      z[i] = normalQuantile(p[i]);
}

} // namespace rebocc::sim::noise
