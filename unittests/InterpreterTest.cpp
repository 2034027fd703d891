//===- InterpreterTest.cpp - Digital instructions and reports -------------===//

#include "TestUtil.h"
#include "rebocc/Sim/Interpreter.h"

#include <gtest/gtest.h>

using namespace rebocc;
using program::Instruction;
using program::OpCode;
using test::inst;

namespace {

/// Runs a program in float mode; returns the error ("" on success).
std::string runIt(const program::Program &P,
                  const std::vector<sim::Tensor> &inputs,
                  std::vector<sim::Tensor> &outputs) {
  sim::RunOptions options;
  options.arithmetic = sim::Arithmetic::FloatReference;
  model::RunReport report;
  std::string error;
  if (!sim::run(P, inputs, options, outputs, report, error))
    return error.empty() ? "(empty error)" : error;
  return "";
}

TEST(Interpreter, Elementwise) {
  program::Program P;
  P.values = {{"x", {-1, 3}}, {"r", {-1, 3}}, {"s", {-1, 3}}, {"i", {-1, 3}}};
  P.inputs = {0};
  P.outputs = {1, 2, 3};
  P.instructions = {inst(OpCode::Relu, {0}, 1), inst(OpCode::Sigmoid, {0}, 2),
                    inst(OpCode::Identity, {0}, 3)};
  std::vector<sim::Tensor> out;
  ASSERT_EQ(runIt(P, {{{2, 3}, {-1, 0, 2, 3, -4, 0.5}}}, out), "");
  EXPECT_EQ(out[0].data, (std::vector<float>{0, 0, 2, 3, 0, 0.5}));
  EXPECT_NEAR(out[1].data[0], 1 / (1 + std::exp(1.0)), 1e-7);
  EXPECT_NEAR(out[1].data[1], 0.5, 1e-7);
  EXPECT_EQ(out[2].data, (std::vector<float>{-1, 0, 2, 3, -4, 0.5}));
}

TEST(Interpreter, SoftmaxIsStableAndNormalized) {
  program::Program P;
  P.values = {{"x", {2, 3}}, {"y", {2, 3}}, {"z", {2, 3}}};
  P.inputs = {0};
  P.outputs = {1, 2};
  Instruction s1 = inst(OpCode::Softmax, {0}, 1);
  s1.axis = 1;
  Instruction s0 = inst(OpCode::Softmax, {0}, 2);
  s0.axis = 0;
  P.instructions = {s1, s0};
  std::vector<sim::Tensor> out;
  ASSERT_EQ(runIt(P, {{{2, 3}, {1000, 1001, 1002, 1, 2, 3}}}, out), "");
  double e0 = 1, e1 = std::exp(1.0), e2 = std::exp(2.0), sum = e0 + e1 + e2;
  for (int r = 0; r < 2; ++r) {
    EXPECT_NEAR(out[0].data[r * 3 + 0], e0 / sum, 1e-6);
    EXPECT_NEAR(out[0].data[r * 3 + 2], e2 / sum, 1e-6);
  }
  // Along axis 0, the 1000-offset row dominates.
  EXPECT_NEAR(out[1].data[0], 1.0, 1e-6);
  EXPECT_NEAR(out[1].data[3], 0.0, 1e-6);
}

TEST(Interpreter, Broadcasting) {
  program::Program P;
  P.values = {{"a", {2, 1, 3}}, {"b", {4, 1}}, {"sum", {2, 4, 3}},
              {"c", {3}},       {"prod", {2, 1, 3}}};
  P.inputs = {0, 1};
  P.outputs = {2, 4};
  P.constants = {{"c", {3}, {10, 20, 30}}};
  Instruction c = inst(OpCode::Constant, {}, 3);
  c.index = 0;
  P.instructions = {inst(OpCode::Add, {0, 1}, 2), c,
                    inst(OpCode::Mul, {0, 3}, 4)};
  sim::Tensor a{{2, 1, 3}, {1, 2, 3, 4, 5, 6}};
  sim::Tensor b{{4, 1}, {100, 200, 300, 400}};
  std::vector<sim::Tensor> out;
  ASSERT_EQ(runIt(P, {a, b}, out), "");
  ASSERT_EQ(out[0].shape, (std::vector<int64_t>{2, 4, 3}));
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 4; ++j)
      for (int k = 0; k < 3; ++k)
        EXPECT_EQ(out[0].data[(i * 4 + j) * 3 + k],
                  a.data[i * 3 + k] + b.data[j]);
  EXPECT_EQ(out[1].data, (std::vector<float>{10, 40, 90, 40, 100, 180}));
}

TEST(Interpreter, BroadcastErrorNamesInstruction) {
  program::Program P;
  P.values = {{"a", {2, 3}}, {"b", {2, 4}}, {"c", {2, 4}}};
  P.inputs = {0, 1};
  P.outputs = {2};
  P.instructions = {inst(OpCode::Add, {0, 1}, 2, "my_add")};
  std::vector<sim::Tensor> out;
  std::string e =
      runIt(P, {{{2, 3}, std::vector<float>(6)}, {{2, 4}, std::vector<float>(8)}},
            out);
  EXPECT_NE(e.find("my_add"), std::string::npos) << e;
  EXPECT_NE(e.find("broadcast"), std::string::npos) << e;
}

TEST(Interpreter, ReshapeAndFlatten) {
  program::Program P;
  P.values = {{"x", {-1, 2, 3, 4}}, {"r", {-1, 2, 12}}, {"f", {-1, 24}},
              {"g", {1, -1}}};
  P.values[3].shape = {1, 48}; // flatten axis 0 of a batch of 2
  P.inputs = {0};
  P.outputs = {1, 2, 3};
  Instruction r = inst(OpCode::Reshape, {0}, 1);
  r.shape = {0, 0, -1};
  Instruction f = inst(OpCode::Flatten, {0}, 2);
  f.axis = 1;
  Instruction g = inst(OpCode::Flatten, {0}, 3);
  g.axis = 0;
  P.instructions = {r, f, g};
  sim::Tensor x{{2, 2, 3, 4}, test::randomVector(48, 1)};
  std::vector<sim::Tensor> out;
  ASSERT_EQ(runIt(P, {x}, out), "");
  EXPECT_EQ(out[0].shape, (std::vector<int64_t>{2, 2, 12}));
  EXPECT_EQ(out[1].shape, (std::vector<int64_t>{2, 24}));
  EXPECT_EQ(out[2].shape, (std::vector<int64_t>{1, 48}));
  EXPECT_EQ(out[0].data, x.data);
}

TEST(Interpreter, ReshapeErrorNamesInstruction) {
  program::Program P;
  P.values = {{"x", {-1, 6}}, {"r", {-1, 4}}};
  P.inputs = {0};
  P.outputs = {1};
  Instruction r = inst(OpCode::Reshape, {0}, 1, "bad_reshape");
  r.shape = {-1, 4};
  P.instructions = {r};
  std::vector<sim::Tensor> out;
  std::string e = runIt(P, {{{1, 6}, std::vector<float>(6)}}, out);
  EXPECT_NE(e.find("bad_reshape"), std::string::npos) << e;
}

TEST(Interpreter, DeclaredShapeMismatchIsAnError) {
  program::Program P;
  P.values = {{"x", {-1, 6}}, {"r", {-1, 5}}};
  P.inputs = {0};
  P.outputs = {1};
  P.instructions = {inst(OpCode::Relu, {0}, 1, "relu7")};
  std::vector<sim::Tensor> out;
  std::string e = runIt(P, {{{1, 6}, std::vector<float>(6)}}, out);
  EXPECT_NE(e.find("relu7"), std::string::npos) << e;
  // Wrong input shape and count.
  e = runIt(P, {{{1, 7}, std::vector<float>(7)}}, out);
  EXPECT_NE(e.find("input 0"), std::string::npos) << e;
  e = runIt(P, {}, out);
  EXPECT_NE(e.find("1 inputs"), std::string::npos) << e;
}

TEST(Interpreter, CrossbarRankOneInputAndErrors) {
  model::HardwareDesc hw;
  hw.xbarRows = hw.xbarCols = 32;
  program::CrossbarLayer L = test::makeLayer("fc", 8, 12, 4, 2,
                                             program::Mapping::B, true, hw, 1);
  program::Program P = test::makeLayerProgram(L, hw);
  P.values[0].shape = {12};
  P.values[1].shape = {8};
  std::vector<sim::Tensor> out;
  ASSERT_EQ(runIt(P, {{{12}, test::randomVector(12, 2)}}, out), "");
  EXPECT_EQ(out[0].shape, (std::vector<int64_t>{8}));

  // Rank 3 input to a crossbar.
  P.values[0].shape = {1, 1, 12};
  std::string e = runIt(P, {{{1, 1, 12}, std::vector<float>(12)}}, out);
  EXPECT_NE(e.find("rank"), std::string::npos) << e;

  // Non-finite input in fixed point.
  program::Program Q = test::makeLayerProgram(L, hw);
  sim::RunOptions options;
  model::RunReport report;
  std::vector<float> bad(12, 1.0f);
  bad[3] = NAN;
  EXPECT_FALSE(sim::run(Q, {{{1, 12}, bad}}, options, out, report, e));
  EXPECT_NE(e.find("not finite"), std::string::npos) << e;
}

TEST(Interpreter, ZeroInputGivesBias) {
  model::HardwareDesc hw;
  program::CrossbarLayer L = test::makeLayer("fc", 20, 30, 8, 1,
                                             program::Mapping::A, false, hw, 8);
  program::Program P = test::makeLayerProgram(L, hw);
  sim::RunOptions options;
  model::RunReport report;
  std::vector<sim::Tensor> out;
  std::string e;
  ASSERT_TRUE(sim::run(P, {{{2, 30}, std::vector<float>(60, 0.0f)}}, options,
                       out, report, e))
      << e;
  for (int b = 0; b < 2; ++b)
    for (int o = 0; o < 20; ++o)
      EXPECT_FLOAT_EQ(out[0].data[b * 20 + o], L.bias[o]);
}

TEST(Interpreter, ReportFormats) {
  model::HardwareDesc hw;
  program::CrossbarLayer L1 = test::makeLayer(
      "fc1", 1024, 1024, 16, 4, program::Mapping::B, true, hw, 1);
  program::CrossbarLayer L2 = test::makeLayer(
      "fc2", 10, 1024, 1, 1, program::Mapping::E, false, hw, 2);
  program::Program P;
  P.hw = hw;
  P.values = {{"x", {-1, 1024}}, {"h", {-1, 1024}}, {"y", {-1, 10}}};
  P.inputs = {0};
  P.outputs = {2};
  P.layers = {L1, L2};
  Instruction a = inst(OpCode::Crossbar, {0}, 1, "fc1");
  a.index = 0;
  Instruction b = inst(OpCode::Crossbar, {1}, 2, "fc2");
  b.index = 1;
  P.instructions = {a, b};
  sim::RunOptions options;
  model::RunReport report;
  std::vector<sim::Tensor> out;
  std::string e;
  ASSERT_TRUE(sim::run(P, {{{2, 1024}, test::randomVector(2048, 3)}}, options,
                       out, report, e))
      << e;
  EXPECT_EQ(report.total.crossbars, 128 + 8);
  EXPECT_EQ(report.total.xbarActivations, 2 * (512 + 8));
  EXPECT_NEAR(report.total.uOcc,
              double(report.layers[0].occupiedCells +
                     report.layers[1].occupiedCells) /
                  double(136 * 128 * 128),
              1e-12);
  std::string json = model::reportToJson(report);
  for (const char *key :
       {"\"hw\": \"isaac-ce\"", "\"arithmetic\": \"fixed-point\"",
        "\"layers\"", "\"name\": \"fc1\"", "\"block_size\": 16",
        "\"mapping\": \"B(4)\"", "\"crossbars\": 128", "\"u_occ\"",
        "\"u_uniq\"", "\"steps\": 4", "\"xbar_activations\": 1024",
        "\"adc_conversions\"", "\"buffer_reads\": 2048", "\"buffer_writes\"",
        "\"buffer_words\": 1024", "\"rotations\": 768",
        "\"reduction_adds\"", "\"totals\"", "\"mapping\": \"E\""})
    EXPECT_NE(json.find(key), std::string::npos) << key << "\n" << json;
  std::string table = model::reportToTable(report);
  EXPECT_NE(table.find("fc1"), std::string::npos);
  EXPECT_NE(table.find("total"), std::string::npos);
  EXPECT_NE(table.find("B(4)"), std::string::npos);
}

} // namespace
