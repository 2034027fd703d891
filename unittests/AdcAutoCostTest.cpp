//===- AdcAutoCostTest.cpp - adc_bits = auto in the cost model ------------===//
//
// With adc_bits = auto each crossbar layer's ADCs run at the bits its
// programmed columns need (program::layerAdcBits) and the cost model charges
// each layer's ADC energy, and each IMA's ADC area, at that resolution
// (docs/CostModel.md, "ADC resolution"). A mutation check: changing one
// layer's need changes that layer's ADC figures and nothing else. The
// per-layer energies are pinned against an independent script in
// test/Sim/adc-auto.test.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "rebocc/Model/CostModel.h"
#include "rebocc/Model/Placement.h"
#include "rebocc/Sim/Interpreter.h"
#include "rebocc/Target/Program/AdcNeed.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace rebocc;
using namespace rebocc::model;

namespace {

/// fc1 256 -> 64 and fc2 64 -> 32 (mapping A, k = 1: 8 and 2 arrays),
/// chained, placed for `policy`.
program::Program twoLayers(const HardwareDesc &hw,
                           OverflowPolicy policy = OverflowPolicy::MultiChip) {
  program::Program P;
  P.hw = hw;
  P.values = {{"x", {-1, 256}}, {"h", {-1, 64}}, {"y", {-1, 32}}};
  P.inputs = {0};
  P.layers = {
      test::makeLayer("fc1", 64, 256, 1, 1, program::Mapping::A, true, hw, 1),
      test::makeLayer("fc2", 32, 64, 1, 1, program::Mapping::A, true, hw, 2)};
  for (int l = 0; l < 2; ++l) {
    program::Instruction I;
    I.op = program::OpCode::Crossbar;
    I.name = P.layers[l].name;
    I.operands = {l};
    I.result = l + 1;
    I.index = l;
    P.instructions.push_back(I);
  }
  P.outputs = {2};
  EXPECT_EQ(placeProgram(P, hw, policy), "");
  return P;
}

/// Keeps one weight in eight of layer `l` (and its largest, which sets its
/// weight scale).
void prune(program::Program &P, size_t l) {
  float *weights = P.layers[l].weights.data();
  const size_t count = P.layers[l].weights.size();
  const size_t largest = static_cast<size_t>(
      std::max_element(weights, weights + count,
                       [](float a, float b) {
                         return std::fabs(a) < std::fabs(b);
                       }) -
      weights);
  for (size_t w = 0; w < count; ++w)
    if (w % 8 != 0 && w != largest)
      weights[w] = 0.0f;
}

CostReport costOf(const program::Program &P, const CostOptions &options) {
  std::vector<sim::Tensor> outs;
  sim::RunReport counts;
  std::string error;
  sim::Tensor x{{2, 256}, test::randomVector(2 * 256, 3)};
  EXPECT_TRUE(sim::run(P, {x}, sim::RunOptions(), outs, counts, error))
      << error;
  CostReport out;
  EXPECT_TRUE(estimateCost(P, counts, P.hw, options, out, error)) << error;
  return out;
}

#define EXPECT_SAME_EXCEPT_ADC(a, b, what)                                     \
  do {                                                                         \
    EnergyBreakdown x = (a), y = (b);                                          \
    x.adc = y.adc = 0;                                                         \
    EXPECT_EQ(x.total(), y.total()) << what;                                   \
    EXPECT_EQ(x.dac, y.dac) << what;                                           \
    EXPECT_EQ(x.crossbar, y.crossbar) << what;                                 \
    EXPECT_EQ(x.shiftAdd, y.shiftAdd) << what;                                 \
  } while (0)

TEST(AdcAutoCost, OneLayersNeedChangesOnlyItsAdcFigures) {
  // The differential encoding stores |q| without an offset, so pruning a
  // layer lowers its column sums (with the offset encodings the slice that
  // holds the offset bit keeps them near half the range).
  HardwareDesc hw;
  hw.adcBitsAuto = true;
  hw.weightEncoding = "differential";
  program::Program P = twoLayers(hw);
  // The mutation: fc2 keeps one weight in eight, which lowers its need.
  program::Program Q = P;
  prune(Q, 1);
  const int64_t fc1 = program::layerAdcBits(P.layers[0], hw);
  const int64_t before = program::layerAdcBits(P.layers[1], hw);
  const int64_t after = program::layerAdcBits(Q.layers[1], hw);
  ASSERT_EQ(program::layerAdcBits(Q.layers[0], hw), fc1);
  ASSERT_NE(before, after);
  // fc1 sets the resolution of the IMAs that hold no layer either way.
  ASSERT_GE(fc1, std::max(before, after));

  for (bool gate : {true, false}) {
    SCOPED_TRACE(gate ? "gated" : "not gated");
    CostOptions o;
    o.gateIdleTiles = gate;
    o.inferences = 2;
    CostReport a = costOf(P, o), b = costOf(Q, o);
    ASSERT_EQ(a.layers.size(), 2u);
    EXPECT_EQ(a.layers[0].adcBits, fc1);
    EXPECT_EQ(a.layers[1].adcBits, before);
    EXPECT_EQ(b.layers[1].adcBits, after);
    // fc1: its dynamic energy equal and, gated, its static energy (not
    // gated, every layer takes a share of the whole chip's leakage).
    EXPECT_EQ(b.layers[0].dynamicJ.total(), a.layers[0].dynamicJ.total());
    EXPECT_EQ(b.layers[0].dynamicJ.adc, a.layers[0].dynamicJ.adc);
    if (gate)
      EXPECT_EQ(b.layers[0].staticJ.total(), a.layers[0].staticJ.total());
    // fc2: its ADC energy, dynamic and static, by the law's ratio; the rest
    // equal. Timing does not depend on the resolution.
    const double rate = hw.adcSampleRateGsps * 1e9;
    const double ratio = surveyAdcEnergyPj(after, hw.adcTechNm, rate) /
                         surveyAdcEnergyPj(before, hw.adcTechNm, rate);
    EXPECT_NE(b.layers[1].dynamicJ.adc, a.layers[1].dynamicJ.adc);
    EXPECT_NEAR(b.layers[1].dynamicJ.adc, ratio * a.layers[1].dynamicJ.adc,
                1e-12 * a.layers[1].dynamicJ.adc);
    EXPECT_SAME_EXCEPT_ADC(b.layers[1].dynamicJ, a.layers[1].dynamicJ,
                           "fc2 dynamic");
    if (gate) {
      EXPECT_NEAR(b.layers[1].staticJ.adc, ratio * a.layers[1].staticJ.adc,
                  1e-12 * a.layers[1].staticJ.adc);
      EXPECT_SAME_EXCEPT_ADC(b.layers[1].staticJ, a.layers[1].staticJ,
                             "fc2 static");
    } else {
      // Not gated, every IMA leaks for the whole run: fc2's IMA changes the
      // run's ADC leakage by its own difference, shared out by latency.
      const double imaAdcStaticMw = hw.adcStaticFraction * hw.adcPowerMw;
      const double rhoB = surveyAdcEnergyPj(before, hw.adcTechNm, rate) /
                          surveyAdcEnergyPj(8, hw.adcTechNm, rate);
      EXPECT_NEAR(b.staticJ.adc - a.staticJ.adc,
                  a.layers[1].imas * imaAdcStaticMw * rhoB * (ratio - 1) *
                      1e-3 * a.runS,
                  1e-9 * a.staticJ.adc);
    }
    EXPECT_EQ(b.latencyS, a.latencyS);
    EXPECT_EQ(b.cycles, a.cycles);
    // Area: fc2's IMAs' ADCs at the new resolution, the rest unchanged.
    const double areaRatio = [&](int64_t bits) {
      return surveyAdcAreaUm2(bits, hw.adcTechNm, rate) /
             surveyAdcAreaUm2(8, hw.adcTechNm, rate);
    }(after) - surveyAdcAreaUm2(before, hw.adcTechNm, rate) /
                   surveyAdcAreaUm2(8, hw.adcTechNm, rate);
    EXPECT_NEAR(b.areaMm2 - a.areaMm2,
                a.layers[1].imas * hw.adcAreaMm2 * areaRatio, 1e-9);
    EXPECT_EQ(a.adcImasByBits.at(before), a.layers[1].imas);
  }
}

TEST(AdcAutoCost, AutoAtOneResolutionCostsAsThatResolution) {
  // When every layer needs the same bits, the IMAs holding no layer get them
  // too: the estimate equals the fixed resolution's, figure by figure.
  HardwareDesc hw;
  hw.adcBitsAuto = true;
  program::Program P = twoLayers(hw);
  P.layers.resize(1);
  P.instructions.resize(1);
  P.outputs = {1};
  P.values.resize(2);
  HardwareDesc fixed = hw;
  fixed.adcBitsAuto = false;
  fixed.adcBits = program::layerAdcBits(P.layers[0], hw);
  program::Program F = P;
  F.hw = fixed;
  for (bool gate : {true, false}) {
    SCOPED_TRACE(gate ? "gated" : "not gated");
    CostOptions o;
    o.gateIdleTiles = gate;
    CostReport a = costOf(P, o), b = costOf(F, o);
    EXPECT_EQ(a.adcImasByBits.size(), 1u);
    EXPECT_EQ(a.layers[0].adcBits, b.layers[0].adcBits);
    EXPECT_EQ(a.dynamicJ.adc, b.dynamicJ.adc);
    EXPECT_NEAR(a.staticJ.adc, b.staticJ.adc, 1e-12 * b.staticJ.adc);
    EXPECT_NEAR(a.energyJ, b.energyJ, 1e-12 * b.energyJ);
    EXPECT_NEAR(a.areaMm2, b.areaMm2, 1e-12 * b.areaMm2);
  }
}

TEST(AdcAutoCost, ReprogrammedImasTakeTheLargestNeedOfTheirLoads) {
  // A chip of one IMA: fc1's 8 arrays fill it, fc2's 2 need another. Over
  // two chips each IMA is sized for its layer; reprogrammed, the one IMA
  // serves both loads and takes the larger need.
  HardwareDesc hw;
  hw.adcBitsAuto = true;
  hw.weightEncoding = "differential";
  hw.tilesPerChip = 1;
  hw.imasPerTile = 1;
  hw.tilesPerRouter = 1;
  CostOptions o;
  for (OverflowPolicy policy :
       {OverflowPolicy::MultiChip, OverflowPolicy::Reprogram}) {
    program::Program P = twoLayers(hw, policy);
    prune(P, 1);
    const int64_t fc1 = program::layerAdcBits(P.layers[0], hw);
    const int64_t fc2 = program::layerAdcBits(P.layers[1], hw);
    ASSERT_GT(fc1, fc2);
    o.overflow = policy;
    CostReport r = costOf(P, o);
    if (policy == OverflowPolicy::MultiChip) {
      EXPECT_EQ(r.chips, 2);
      EXPECT_EQ(r.adcImasByBits, (std::map<int64_t, int64_t>{{fc2, 1},
                                                             {fc1, 1}}));
    } else {
      EXPECT_TRUE(r.reprogrammed);
      EXPECT_EQ(r.adcImasByBits, (std::map<int64_t, int64_t>{{fc1, 1}}));
    }
  }
}

} // namespace
