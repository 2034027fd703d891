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

/// Standard normal by Box-Muller from uniform(h) and uniform(mix(h)).
inline double normal(uint64_t h) {
  const double u1 = uniform(h), u2 = uniform(mix(h));
  return std::sqrt(-2.0 * std::log(u1)) *
         std::cos(6.283185307179586476925 * u2);
}

} // namespace rebocc::sim::noise

#endif // REBOCC_LIB_SIM_NOISE_H
