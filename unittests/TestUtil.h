//===- TestUtil.h - Helpers shared by the unit tests ------------*- C++ -*-===//

#ifndef REBOCC_UNITTESTS_TESTUTIL_H
#define REBOCC_UNITTESTS_TESTUTIL_H

#include "rebocc/Support/Circulant.h"
#include "rebocc/Target/Program/Layout.h"
#include "rebocc/Target/Program/Program.h"

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace rebocc::test {

inline std::vector<float> randomVector(size_t size, unsigned seed,
                                       float lo = -1.0f, float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(size);
  for (float &x : v)
    x = dist(rng);
  return v;
}

/// A block-circulant layer with random weights and bias, planned on `hw`.
/// weightScale maps the largest weight to the largest fixed-point code.
inline program::CrossbarLayer makeLayer(const std::string &name, int64_t m,
                                        int64_t n, int64_t k, int64_t dup,
                                        program::Mapping mapping, bool shared,
                                        const sim::HardwareDesc &hw,
                                        unsigned seed) {
  program::CrossbarLayer L;
  L.name = name;
  L.m = m;
  L.n = n;
  L.k = k;
  L.p = circulant::ceilDiv(m, k);
  L.q = circulant::ceilDiv(n, k);
  L.dup = dup;
  L.mapping = mapping;
  L.sharedInput = shared;
  L.weights = randomVector(L.p * L.q * k, seed);
  L.bias = randomVector(m, seed + 1, -0.5f, 0.5f);
  float maxAbs = 0;
  for (float w : L.weights)
    maxAbs = std::max(maxAbs, std::fabs(w));
  L.weightScale =
      maxAbs / static_cast<float>((int64_t(1) << (hw.weightBits - 1)) - 1);
  std::string error = program::planArrays(L, hw);
  (void)error;
  return L;
}

/// Program: x (batch, n) -> crossbar layer -> y (batch, m).
inline program::Program makeLayerProgram(const program::CrossbarLayer &layer,
                                         const sim::HardwareDesc &hw) {
  program::Program P;
  P.hw = hw;
  P.values = {{"x", {-1, layer.n}}, {"y", {-1, layer.m}}};
  P.inputs = {0};
  P.outputs = {1};
  P.layers = {layer};
  program::Instruction I;
  I.op = program::OpCode::Crossbar;
  I.name = layer.name;
  I.operands = {0};
  I.result = 1;
  I.index = 0;
  P.instructions = {I};
  return P;
}

} // namespace rebocc::test

#endif // REBOCC_UNITTESTS_TESTUTIL_H
