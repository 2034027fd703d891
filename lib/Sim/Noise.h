//===- Noise.h - Counter-based random numbers for device noise --*- C++ -*-===//
//
// Private to lib/Sim. Every random draw of the analog model is a pure function
// of a key (seed, stream, layer, array, cell or column, read), never the state
// of a sequential generator, so a result does not depend on the order in
// which layers, arrays or vectors are evaluated, nor on a thread count. The
// hash is SplitMix64's output function (Steele, Lea, Flood, "Fast Splittable
// Pseudorandom Number Generators", OOPSLA 2014) chained over the key words;
// docs/Accuracy.md gives the exact recipe (test/Sim/Inputs/analog_model.py
// reimplements it).
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_LIB_SIM_NOISE_H
#define REBOCC_LIB_SIM_NOISE_H

#include <cmath>
#include <cstdint>
#include <initializer_list>

namespace rebocc::sim::noise {

/// What a draw is for; part of the key so the streams are independent.
enum Stream : uint64_t {
  kStuck = 1,   // uniform: is the cell stuck, and at which level
  kProgram = 2, // normal: programming variation of one cell
  kRead = 3,    // normal: read noise of one column in one read
};

/// SplitMix64's finalizer of z + golden gamma.
inline uint64_t mix(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// h = mix(k0); h = mix(h ^ k) for each further word.
inline uint64_t hash(std::initializer_list<uint64_t> key) {
  uint64_t h = 0;
  bool first = true;
  for (uint64_t k : key) {
    h = first ? mix(k) : mix(h ^ k);
    first = false;
  }
  return h;
}

/// Uniform in (0, 1): the top 53 bits, centred in their interval.
inline double uniform(uint64_t h) {
  return (static_cast<double>(h >> 11) + 0.5) * 0x1.0p-53;
}

/// Whether this CPU runs AVX2: the batched draws and the noisy reads pick
/// their AVX2 clones with it (the build itself stays baseline x86-64).
bool hasAvx2();

/// AS 241's central region, |q| <= 0.425 with q = p - 0.5: one rational
/// function, shared by the scalar draw and the batched one (Noise.cpp) so the
/// two give the same bits.
inline __attribute__((always_inline)) double centralQuantile(double q) {
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
  return num / den;
}

/// The standard normal quantile of p in (0, 1): Wichura's AS 241 (PPND16,
/// Applied Statistics 37(3), 1988), relative error about 1e-16, in the
/// operation order of Python's statistics.NormalDist.inv_cdf. Six of seven
/// draws take the central branch, a rational function without log or sqrt,
/// which makes a draw several times cheaper than Box-Muller.
inline double normalQuantile(double p) {
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425)
    return centralQuantile(q);
  double r = q <= 0.0 ? p : 1.0 - p;
  r = std::sqrt(-std::log(r));
  double num, den;
  if (r <= 5.0) {
    r = r - 1.6;
    num = (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) *
                    r + 2.41780725177450611770e-1) * r +
                1.27045825245236838258e+0) * r + 3.64784832476320460504e+0) *
              r + 5.76949722146069140550e+0) * r + 4.63033784615654529590e+0) *
            r + 1.42343711074968357734e+0);
    den = (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) *
                    r + 1.51986665636164571966e-2) * r +
                1.48103976427480074590e-1) * r + 6.89767334985100004550e-1) *
              r + 1.67638483018380384940e+0) * r + 2.05319162663775882187e+0) *
            r + 1.0);
  } else {
    r = r - 5.0;
    num = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) *
                    r + 1.24266094738807843860e-3) * r +
                2.65321895265761230930e-2) * r + 2.96560571828504891230e-1) *
              r + 1.78482653991729133580e+0) * r + 5.46378491116411436990e+0) *
            r + 6.65790464350110377720e+0);
    den = (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) *
                    r + 1.84631831751005468180e-5) * r +
                7.86869131145613259100e-4) * r + 1.48753612908506148525e-2) *
              r + 1.36929880922735805310e-1) * r + 5.99832206555887937690e-1) *
            r + 1.0);
  }
  const double x = num / den;
  return q < 0.0 ? -x : x;
}

/// Standard normal by inversion: normalQuantile(uniform(h)).
inline double normal(uint64_t h) { return normalQuantile(uniform(h)); }

/// z[i] = normalQuantile(p[i]) for i < n, bit for bit, faster: the central
/// branch of every p in one vectorized pass, then the tails (Noise.cpp).
void normalQuantiles(const double *p, double *z, int64_t n);

/// Bounds of normalQuantile(p) from a table, without evaluating it. A read's
/// ADC code is a monotone function of its normal, so where both bounds give
/// the same code so does the normal (NoisyReads.cpp); with read noise much
/// smaller than an ADC step that spares almost every evaluation.
///
/// r = min(p, 1 - p) lies in [2^-54, 1/2) for every p = uniform(h); the
/// doubles of each binade of r split into 2^kBracketBits buckets by their
/// top significand bits, so the bucket is the top bits of r's representation
/// (monotone in r). With R_k the smallest double of bucket k and
/// bracketEdge(k) = normalQuantile(R_k), every r of bucket k has
/// normalQuantile(r) within [bracketEdge(k), bracketEdge(k + 1)] widened by
/// kBracketMargin, far more than the few ulps by which AS 241 departs from
/// the monotone Phi^-1 (unittests/NoiseTest.cpp checks both). normalQuantile
/// is odd bit for bit (q = p - 1/2 and 1 - p are exact for p in (0, 1)), so
/// p > 1/2 takes the negated bounds of r = 1 - p.
constexpr int kBracketBits = 7;
constexpr uint64_t kBracketFirst = uint64_t(1023 - 54) << kBracketBits;
constexpr int64_t kBrackets = int64_t(1022 - (1023 - 54)) << kBracketBits;
constexpr double kBracketMargin = 1e-9;

/// The bucket of r = min(p, 1 - p) in [2^-54, 1/2).
inline uint64_t bracketIndex(double r) {
  uint64_t b;
  __builtin_memcpy(&b, &r, sizeof b);
  return (b >> (52 - kBracketBits)) - kBracketFirst;
}

/// normalQuantile(R_k) for k = 0 .. kBrackets (R_kBrackets = 1/2, edge 0).
const double *bracketEdges();

} // namespace rebocc::sim::noise

#endif // REBOCC_LIB_SIM_NOISE_H
