//===- ChannelScaleTest.cpp - per-block-row weight scales, by hand --------===//
//
// weight_scale_granularity = channel (docs/Accuracy.md, section 1): each block-row of
// output channels gets max |w| / (2^(wb-1) - 1) of its own weights. Every
// expected number is worked out in the comments from 4-bit weights (codes
// up to 7) and inputs (1, 1), which 16-bit inputs hold exactly (scale
// 1 / 32767, codes 32767): an output is then (sum of its codes) * s_w.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "rebocc/Model/Events.h"
#include "rebocc/Sim/Interpreter.h"
#include "rebocc/Support/HalfFloat.h"

#include "onnx/onnx_pb.h"

#include <gtest/gtest.h>

using namespace rebocc;

namespace {

model::HardwareDesc hardware(const char *scale) {
  model::HardwareDesc hw;
  hw.weightBits = 4;
  std::string error;
  EXPECT_TRUE(model::applyHardwareOverrides(
      hw, {std::string("weight_scale_granularity=") + scale}, true, error))
      << error;
  return hw;
}

/// m = 4 outputs, n = 2 inputs, k = 2: block-row 0 has the defining vector
/// (1000, -600), so rows (1000, -600) and (-600, 1000) (W[r][c] =
/// w[(c - r) mod 2]); block-row 1 (0.012, 0.02): rows (0.012, 0.02) and
/// (0.02, 0.012). With k = 1 the same weights are four output channels of
/// two inputs each.
program::Program program(const model::HardwareDesc &hw, int64_t k,
                         std::vector<float> channelScales,
                         program::Mapping mapping = program::Mapping::A,
                         int64_t dup = 1) {
  program::CrossbarLayer L =
      test::makeLayer("fc", 4, 2, k, dup, mapping, false, hw, 1);
  L.weights = k == 2 ? std::vector<float>{1000, -600, 0.012f, 0.02f}
                     : std::vector<float>{1000, -600, -600, 1000,
                                          0.012f, 0.02f, 0.02f, 0.012f};
  L.bias = {0, 0, 0, 0};
  L.weightScale = 1000.0f / 7;
  L.channelScales = std::move(channelScales);
  return test::makeLayerProgram(L, hw);
}

std::vector<float> run(const program::Program &P, bool bitSliced) {
  sim::RunOptions options;
  options.bitSliced = bitSliced;
  std::vector<sim::Tensor> out;
  model::RunReport report;
  std::string error;
  EXPECT_TRUE(sim::run(P, {{{1, 2}, {1.0f, 1.0f}}}, options, out, report,
                       error))
      << error;
  return out.empty() ? std::vector<float>{} : out[0].data;
}

TEST(ChannelScale, LayerScaleLosesTheSmallBlockRow) {
  // s_w = 1000/7: codes (7, round(-4.2) = -4) sum to 3 -> 3000/7 =
  // 428.571; the small block-row's codes round(0.084/1000) = 0 -> 0.
  program::Program P = program(hardware("layer"), 2, {});
  ASSERT_EQ(program::verify(P), "");
  for (bool bitSliced : {false, true}) {
    std::vector<float> y = run(P, bitSliced);
    ASSERT_EQ(y.size(), 4u);
    EXPECT_NEAR(y[0], 428.571429, 1e-3);
    EXPECT_NEAR(y[1], 428.571429, 1e-3);
    EXPECT_EQ(y[2], 0.0f);
    EXPECT_EQ(y[3], 0.0f);
  }
}

TEST(ChannelScale, BlockRowScalesKeepIt) {
  // Block-row 1: s = 0.02/7, codes round(0.012*7/0.02) = round(4.2) = 4
  // and 7, both of its rows sum to 11 -> 11 * 0.02/7 = 0.0314286 (the
  // exact 0.032 to 4 bits). Block-row 0 as with the layer scale: 428.571.
  program::Program P = program(hardware("channel"), 2, {1000.0f / 7, 0.02f / 7});
  ASSERT_EQ(program::verify(P), "");
  for (bool bitSliced : {false, true}) {
    std::vector<float> y = run(P, bitSliced);
    ASSERT_EQ(y.size(), 4u);
    EXPECT_NEAR(y[0], 428.571429, 1e-3);
    EXPECT_NEAR(y[1], 428.571429, 1e-3);
    EXPECT_NEAR(y[2], 0.0314286, 1e-6);
    EXPECT_NEAR(y[3], 0.0314286, 1e-6);
  }
}

TEST(ChannelScale, EveryMappingReadsABlockRowWithItsScale) {
  // Duplicated copies (B(2), C(2)) and the dense layout (E) hold the same
  // defining vectors in other columns and rotation steps: the same outputs.
  using program::Mapping;
  for (auto [mapping, dup] : {std::pair{Mapping::B, int64_t(2)},
                              std::pair{Mapping::C, int64_t(2)},
                              std::pair{Mapping::E, int64_t(2)}}) {
    program::Program P = program(hardware("channel"), 2,
                                 {1000.0f / 7, 0.02f / 7}, mapping, dup);
    ASSERT_EQ(program::verify(P), "");
    for (bool bitSliced : {false, true}) {
      std::vector<float> y = run(P, bitSliced);
      ASSERT_EQ(y.size(), 4u);
      EXPECT_NEAR(y[0], 428.571429, 1e-3);
      EXPECT_NEAR(y[1], 428.571429, 1e-3);
      EXPECT_NEAR(y[2], 0.0314286, 1e-6);
      EXPECT_NEAR(y[3], 0.0314286, 1e-6);
    }
  }
}

TEST(ChannelScale, OnePerOutputChannelAtBlockSizeOne) {
  // k = 1: four block-rows, the scales 1000/7 twice and 0.02/7 twice.
  program::Program P = program(hardware("channel"), 1,
                               {1000.0f / 7, 1000.0f / 7, 0.02f / 7,
                                0.02f / 7});
  ASSERT_EQ(program::verify(P), "");
  for (bool bitSliced : {false, true}) {
    std::vector<float> y = run(P, bitSliced);
    ASSERT_EQ(y.size(), 4u);
    EXPECT_NEAR(y[2], 0.0314286, 1e-6);
    EXPECT_NEAR(y[3], 0.0314286, 1e-6);
  }
}

TEST(ChannelScale, VerifyChecksTheScales) {
  // One scale per block-row (2 at k = 2), each its own block-row's.
  EXPECT_NE(program::verify(program(hardware("channel"), 2, {})).find(
                "has 0 channel_scales, expected groups*p = 2"),
            std::string::npos);
  EXPECT_NE(
      program::verify(program(hardware("channel"), 2, {1000.0f / 7, 1.0f}))
          .find("channel_scales[1] 1 does not match the weights (max |w| / "
                "7 = 0.0028571"),
      std::string::npos);
  EXPECT_NE(program::verify(program(hardware("layer"), 2, {1, 1}))
                .find("has channel_scales, but the hardware's "
                      "weight_scale_granularity is layer"),
            std::string::npos);
}

TEST(ChannelScale, OneMultiplyPerOutput) {
  // One batch row: 4 outputs, so 4 multiplies; none with the layer scale.
  model::RunReport report;
  std::vector<sim::Tensor> out;
  std::string error;
  ASSERT_TRUE(sim::run(program(hardware("channel"), 2, {1000.0f / 7, 0.02f / 7}),
                       {{{1, 2}, {1.0f, 1.0f}}}, {}, out, report, error))
      << error;
  EXPECT_EQ(report.layers[0].scaleMultiplies, 4);
  ASSERT_TRUE(sim::run(program(hardware("layer"), 2, {}),
                       {{{1, 2}, {1.0f, 1.0f}}}, {}, out, report, error))
      << error;
  EXPECT_EQ(report.layers[0].scaleMultiplies, 0);
}

TEST(HalfFloat, WidensExactly) {
  using support::halfToFloat;
  EXPECT_EQ(halfToFloat(0x3c00), 1.0f);
  EXPECT_EQ(halfToFloat(0xc000), -2.0f);
  EXPECT_EQ(halfToFloat(0x7bff), 65504.0f);           // largest normal
  EXPECT_EQ(halfToFloat(0x0400), 6.103515625e-05f);   // 2^-14
  EXPECT_EQ(halfToFloat(0x0001), 5.9604644775390625e-08f); // 2^-24
  EXPECT_EQ(halfToFloat(0x03ff), 6.0975551605224609375e-05f); // 1023 * 2^-24
  EXPECT_EQ(halfToFloat(0x3555), 0.333251953125f); // 1 + 341/1024, * 2^-2
  EXPECT_TRUE(std::isinf(halfToFloat(0xfc00)) && halfToFloat(0xfc00) < 0);
  EXPECT_TRUE(std::isnan(halfToFloat(0x7e00)));
  EXPECT_TRUE(std::signbit(halfToFloat(0x8000)));
  EXPECT_EQ(support::bfloat16ToFloat(0x3f80), 1.0f);
  EXPECT_EQ(support::bfloat16ToFloat(0xc0a0), -5.0f);
}

TEST(HalfFloat, RoundsToNearestEven) {
  using support::floatToHalf;
  EXPECT_EQ(floatToHalf(1.0f / 3), 0x3555); // 0x3555.55..: down
  EXPECT_EQ(floatToHalf(1.0f + 0.00048828125f), 0x3c00); // 1 + 2^-11: tie, even
  EXPECT_EQ(floatToHalf(1.0f + 3 * 0.00048828125f), 0x3c02); // tie, up to even
  EXPECT_EQ(floatToHalf(65519.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00); // tie with 65536: infinity
  EXPECT_EQ(floatToHalf(-0.0f), 0x8000);
  EXPECT_EQ(floatToHalf(2.98023224e-08f), 0x0000); // 2^-25: tie, even (0)
  EXPECT_EQ(floatToHalf(4.47034836e-08f), 0x0001); // 1.5 * 2^-25: up
  EXPECT_EQ(floatToHalf(6.0975551605224609375e-05f), 0x03ff);
  EXPECT_EQ(support::floatToBfloat16(1.0f / 3), 0x3eab); // 0x3eaaaaab: up
  EXPECT_EQ(support::floatToBfloat16(1.00390625f), 0x3f80); // tie, even
}

TEST(HalfFloat, WidensTensorProtos) {
  // raw_data little-endian (0x3c00 = 1, 0xc000 = -2) and int32_data.
  onnx::TensorProto half;
  half.set_name("w");
  half.set_data_type(onnx::TensorProto::FLOAT16);
  half.add_dims(2);
  half.set_raw_data(std::string("\x00\x3c\x00\xc0", 4));
  onnx::TensorProto wide;
  std::string error;
  ASSERT_TRUE(support::widenHalfTensorProto(half, wide, error)) << error;
  EXPECT_EQ(wide.data_type(), onnx::TensorProto::FLOAT);
  ASSERT_EQ(wide.float_data_size(), 2);
  EXPECT_EQ(wide.float_data(0), 1.0f);
  EXPECT_EQ(wide.float_data(1), -2.0f);
  half.clear_raw_data();
  half.add_int32_data(0x3c00);
  half.add_int32_data(0x10000);
  EXPECT_FALSE(support::widenHalfTensorProto(half, wide, error));
  EXPECT_EQ(error, "int32_data value 65536 is not the 16 bits of a "
                   "half-precision value");
  half.set_raw_data(std::string("\x00", 1));
  EXPECT_FALSE(support::widenHalfTensorProto(half, wide, error));
}

} // namespace
