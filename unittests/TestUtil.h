//===- TestUtil.h - Helpers shared by the unit tests ------------*- C++ -*-===//

#ifndef REBOCC_UNITTESTS_TESTUTIL_H
#define REBOCC_UNITTESTS_TESTUTIL_H

#include "rebocc/Support/Circulant.h"
#include "rebocc/Support/Shapes.h"
#include "rebocc/Target/Program/Layout.h"
#include "rebocc/Target/Program/Program.h"

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace rebocc::test {

/// An instruction of `op` on value ids `operands` into value `result`.
inline program::Instruction inst(program::OpCode op, std::vector<int> operands,
                                 int result, const std::string &name = "op") {
  program::Instruction I;
  I.op = op;
  I.name = name;
  I.operands = std::move(operands);
  I.result = result;
  return I;
}

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
                                        const model::HardwareDesc &hw,
                                        unsigned seed) {
  program::CrossbarLayer L;
  L.name = name;
  L.m = m;
  L.n = n;
  L.k = k;
  L.p = support::ceilDiv(m, k);
  L.q = support::ceilDiv(n, k);
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

/// Convolution geometry for makeConvLayer.
struct ConvGeometry {
  int64_t groups = 1, kernelH = 1, kernelW = 1, strideH = 1, strideW = 1,
          dilationH = 1, dilationW = 1, padTop = 0, padLeft = 0,
          padBottom = 0, padRight = 0;
};

/// A block-circulant convolution (per group m outputs, n inputs) with random
/// weights and bias, planned on `hw`. `error` receives planArrays' message.
inline program::CrossbarLayer
makeConvLayer(const std::string &name, int64_t m, int64_t n, int64_t k,
              int64_t dup, program::Mapping mapping, bool shared,
              const ConvGeometry &g, const model::HardwareDesc &hw,
              unsigned seed, std::string *error = nullptr) {
  program::CrossbarLayer L;
  L.name = name;
  L.kind = program::LayerKind::Convolution;
  L.m = m;
  L.n = n;
  L.k = k;
  L.p = support::ceilDiv(m, k);
  L.q = support::ceilDiv(n, k);
  L.dup = dup;
  L.mapping = mapping;
  L.sharedInput = shared;
  L.groups = g.groups;
  L.kernelH = g.kernelH;
  L.kernelW = g.kernelW;
  L.strideH = g.strideH;
  L.strideW = g.strideW;
  L.dilationH = g.dilationH;
  L.dilationW = g.dilationW;
  L.padTop = g.padTop;
  L.padLeft = g.padLeft;
  L.padBottom = g.padBottom;
  L.padRight = g.padRight;
  L.weights = randomVector(g.groups * L.p * L.logicalRows(), seed);
  L.bias = randomVector(g.groups * m, seed + 1, -0.5f, 0.5f);
  float maxAbs = 0;
  for (float w : L.weights)
    maxAbs = std::max(maxAbs, std::fabs(w));
  L.weightScale =
      maxAbs / static_cast<float>((int64_t(1) << (hw.weightBits - 1)) - 1);
  std::string e = program::planArrays(L, hw);
  if (error)
    *error = e;
  return L;
}

/// Program: x (N, groups*n, H, W) -> conv layer -> y (N, groups*m, Ho, Wo),
/// every dimension but the channels dynamic (-1).
inline program::Program makeConvProgram(const program::CrossbarLayer &layer,
                                        const model::HardwareDesc &hw) {
  program::Program P;
  P.hw = hw;
  P.values = {{"x", {-1, layer.groups * layer.n, -1, -1}},
              {"y", {-1, layer.groups * layer.m, -1, -1}}};
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

/// Program: x (batch, n) -> crossbar layer -> y (batch, m).
inline program::Program makeLayerProgram(const program::CrossbarLayer &layer,
                                         const model::HardwareDesc &hw) {
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
