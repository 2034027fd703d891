//===- DriverTest.cpp - runProgramCommand end to end ----------------------===//
//
// Writes a program file and input tensors, runs the command as rebocc-sim
// does, and reads the outputs back. Also leaves example.rbp and input_0.pb in
// the scratch directory for trying rebocc-sim by hand.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "rebocc/Model/Placement.h"
#include "rebocc/Sim/Driver.h"
#include "rebocc/Support/FileIO.h"
#include "rebocc/Support/TensorIO.h"
#include "rebocc/Target/Program/ProgramIO.h"

#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace rebocc;

namespace {

std::string scratch(const std::string &name) {
  std::string dir = REBOCC_TEST_OUTPUT_DIR;
  std::string mk = "mkdir -p '" + dir + "'";
  EXPECT_EQ(std::system(mk.c_str()), 0);
  return dir + "/" + name;
}

program::Program twoLayerProgram() {
  model::HardwareDesc hw;
  program::Program P;
  P.hw = hw;
  P.values = {{"input", {-1, 256}}, {"h", {-1, 128}}, {"hr", {-1, 128}},
              {"logits", {-1, 10}}, {"probs", {-1, 10}}};
  P.inputs = {0};
  P.outputs = {4};
  P.layers = {test::makeLayer("fc1", 128, 256, 16, 4, program::Mapping::B,
                              true, hw, 1),
              test::makeLayer("fc2", 10, 128, 1, 1, program::Mapping::E,
                              false, hw, 2)};
  program::Instruction a;
  a.op = program::OpCode::Crossbar;
  a.name = "fc1";
  a.operands = {0};
  a.result = 1;
  a.index = 0;
  program::Instruction r;
  r.op = program::OpCode::Relu;
  r.name = "relu";
  r.operands = {1};
  r.result = 2;
  program::Instruction b = a;
  b.name = "fc2";
  b.operands = {2};
  b.result = 3;
  b.index = 1;
  program::Instruction s;
  s.op = program::OpCode::Softmax;
  s.name = "softmax";
  s.operands = {3};
  s.result = 4;
  s.axis = 1;
  P.instructions = {a, r, b, s};
  EXPECT_EQ(model::placeProgram(P, hw, model::OverflowPolicy::MultiChip), "");
  return P;
}

TEST(Driver, RunsProgramFromFiles) {
  program::Program P = twoLayerProgram();
  std::string error;
  std::string model = scratch("example.rbp");
  ASSERT_TRUE(program::writeProgramFile(P, model, error)) << error;
  sim::Tensor x{{2, 256}, test::randomVector(512, 7)};
  std::string input = scratch("input_0.pb");
  ASSERT_TRUE(writeTensorProto(input, x, "input", error)) << error;

  program::Program Q;
  ASSERT_TRUE(program::readProgramFile(model, Q, error)) << error;
  std::string outDir = scratch("out/nested");
  std::string report = scratch("report.json");
  sim::RunOptions options;
  testing::internal::CaptureStdout();
  int rc = sim::runProgramCommand(Q, {input}, outDir, report, options,
                                  "rebocc-sim");
  std::string table = testing::internal::GetCapturedStdout();
  ASSERT_EQ(rc, 0);
  EXPECT_NE(table.find("fc1"), std::string::npos) << table;

  sim::Tensor y;
  std::string name;
  ASSERT_TRUE(readTensorProto(outDir + "/output_0.pb", y, name, error))
      << error;
  EXPECT_EQ(name, "probs");
  EXPECT_EQ(y.shape, (std::vector<int64_t>{2, 10}));
  for (int b = 0; b < 2; ++b) {
    double sum = 0;
    for (int o = 0; o < 10; ++o)
      sum += y.data[b * 10 + o];
    EXPECT_NEAR(sum, 1.0, 1e-5);
  }
  // Same result as the in-memory run.
  std::vector<sim::Tensor> direct;
  model::RunReport rr;
  ASSERT_TRUE(sim::run(P, {x}, options, direct, rr, error)) << error;
  EXPECT_EQ(direct[0].data, y.data);

  std::string json;
  ASSERT_TRUE(readFileBytes(report, json, error)) << error;
  EXPECT_NE(json.find("\"totals\""), std::string::npos);
  // The cost model's object and table lines (docs/CostModel.md).
  EXPECT_NE(json.find("\"cost\": {"), std::string::npos);
  EXPECT_NE(json.find("\"throughput_inferences_per_s\""), std::string::npos);
  EXPECT_NE(json.find("\"inferences\": 2"), std::string::npos);
  EXPECT_NE(table.find("latency (one inference)"), std::string::npos);
}

TEST(Driver, CompareAndCostOptions) {
  program::Program P = twoLayerProgram();
  program::Program D = P;
  model::HardwareDesc hw;
  D.layers[0] = test::makeLayer("fc1", 128, 256, 16, 16, program::Mapping::E,
                                false, hw, 1);
  EXPECT_EQ(model::placeProgram(D, hw, model::OverflowPolicy::MultiChip), "");
  std::string error;
  sim::Tensor x{{1, 256}, test::randomVector(256, 9)};
  std::string input = scratch("compare_in.pb");
  ASSERT_TRUE(writeTensorProto(input, x, "input", error)) << error;
  std::string dir = scratch("compare");
  std::string report = scratch("compare.json");
  sim::CostRunOptions cost;
  cost.cost.pipeline = model::PipelineMode::InterLayer;
  cost.htmlPath = scratch("compare.html");
  testing::internal::CaptureStdout();
  int rc = sim::compareProgramsCommand({&P, &D}, {"reboc", "dense"}, {input},
                                       dir, report, sim::RunOptions(), cost,
                                       "tool");
  std::string table = testing::internal::GetCapturedStdout();
  ASSERT_EQ(rc, 0) << table;
  EXPECT_NE(table.find("## reboc"), std::string::npos);
  EXPECT_NE(table.find("ratio dense/reboc"), std::string::npos);
  std::string json, html;
  ASSERT_TRUE(readFileBytes(report, json, error)) << error;
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(json);
  ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError());
  const llvm::json::Object *top = parsed->getAsObject();
  ASSERT_TRUE(top);
  const llvm::json::Array *compare = top->getArray("compare");
  ASSERT_TRUE(compare);
  ASSERT_EQ(compare->size(), 2u);
  const llvm::json::Object *denseCost =
      (*compare)[1].getAsObject()->getObject("cost");
  ASSERT_TRUE(denseCost);
  EXPECT_EQ(denseCost->getString("mapping"), "dense");
  const llvm::json::Object *ratios = top->getObject("ratios");
  ASSERT_TRUE(ratios && ratios->getObject("dense/reboc"));
  EXPECT_TRUE(ratios->getObject("dense/reboc")->getNumber("latency"));
  const llvm::json::Object *attribution = top->getObject("attribution");
  ASSERT_TRUE(attribution && attribution->getArray("dense/reboc"));
  ASSERT_TRUE(readFileBytes(cost.htmlPath, html, error)) << error;
  EXPECT_NE(html.find("reboc against dense"), std::string::npos);
  sim::Tensor y;
  std::string name;
  EXPECT_TRUE(readTensorProto(dir + "/dense/output_0.pb", y, name, error))
      << error;
  // Mismatched labels are an error.
  testing::internal::CaptureStderr();
  EXPECT_EQ(sim::compareProgramsCommand({&P}, {}, {input}, dir, "",
                                        sim::RunOptions(), cost, "tool"),
            1);
  testing::internal::GetCapturedStderr();
  // --no-cost: no "cost" object.
  sim::CostRunOptions off;
  off.enabled = false;
  testing::internal::CaptureStdout();
  std::string plain = scratch("plain.json");
  ASSERT_EQ(sim::runProgramCommand(P, {input}, dir + "/plain", plain,
                                   sim::RunOptions(), off, "tool"),
            0);
  testing::internal::GetCapturedStdout();
  ASSERT_TRUE(readFileBytes(plain, json, error)) << error;
  EXPECT_EQ(json.find("\"cost\""), std::string::npos);
}

TEST(Driver, InputErrors) {
  program::Program P = twoLayerProgram();
  std::string error;
  sim::RunOptions options;
  std::string outDir = scratch("out2");
  // Wrong count.
  testing::internal::CaptureStderr();
  EXPECT_EQ(sim::runProgramCommand(P, {}, outDir, "", options, "tool"), 1);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("tool: error: the program has 1 input(s), 0"),
            std::string::npos)
      << err;
  // Wrong shape.
  std::string bad = scratch("bad_shape.pb");
  ASSERT_TRUE(writeTensorProto(bad, {{2, 255}, std::vector<float>(510)}, "x",
                               error));
  testing::internal::CaptureStderr();
  EXPECT_EQ(sim::runProgramCommand(P, {bad}, outDir, "", options, "tool"), 1);
  err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("bad_shape.pb: input 0 ('input'): shape [2,255]"),
            std::string::npos)
      << err;
  // Not a tensor file.
  std::string junk = scratch("junk.pb");
  ASSERT_TRUE(writeFileBytes(junk, "\xff\xff\xff garbage", error));
  testing::internal::CaptureStderr();
  EXPECT_EQ(sim::runProgramCommand(P, {junk}, outDir, "", options, "tool"), 1);
  err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("junk.pb"), std::string::npos) << err;
}

// runProgram, the Python package's run: the outputs and the report the
// command writes, from tensors in memory; nothing printed or written.
TEST(Driver, RunsProgramInMemory) {
  program::Program P = twoLayerProgram();
  sim::Tensor x{{3, 256}, test::randomVector(768, 11)};
  sim::RunOptions options;
  std::string error, report;
  std::vector<sim::Tensor> outputs;
  testing::internal::CaptureStdout();
  ASSERT_TRUE(sim::runProgram(P, {x}, options, sim::CostRunOptions(),
                              sim::AccuracyOptions(), outputs, report, error))
      << error;
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
  std::vector<sim::Tensor> direct;
  model::RunReport rr;
  ASSERT_TRUE(sim::run(P, {x}, options, direct, rr, error)) << error;
  ASSERT_EQ(outputs.size(), 1u);
  EXPECT_EQ(outputs[0].shape, (std::vector<int64_t>{3, 10}));
  EXPECT_EQ(outputs[0].data, direct[0].data);
  auto json = llvm::json::parse(report);
  ASSERT_TRUE(bool(json)) << llvm::toString(json.takeError());
  const llvm::json::Object *cost = json->getAsObject()->getObject("cost");
  ASSERT_TRUE(cost);
  EXPECT_EQ(cost->getInteger("inferences"), 3);

  // Cost only, no inputs: the declared shapes with a batch of 1.
  sim::CostRunOptions costOnly;
  costOnly.costOnly = true;
  ASSERT_TRUE(sim::runProgram(P, {}, options, costOnly, sim::AccuracyOptions(),
                              outputs, report, error))
      << error;
  EXPECT_TRUE(outputs.empty());
  EXPECT_NE(report.find("\"inferences\": 1"), std::string::npos) << report;

  // Labels in memory: one per row, each a class of the first output.
  sim::AccuracyOptions accuracy;
  accuracy.labels = std::vector<int64_t>{0, 1};
  EXPECT_FALSE(sim::runProgram(P, {x}, options, sim::CostRunOptions(),
                               accuracy, outputs, report, error));
  EXPECT_EQ(error, "labels: expected 3 labels (one per batch row of the "
                   "first output), got 2");
  accuracy.labels = std::vector<int64_t>{0, 10, 2};
  EXPECT_FALSE(sim::runProgram(P, {x}, options, sim::CostRunOptions(),
                               accuracy, outputs, report, error));
  EXPECT_EQ(error, "labels: label 10 of row 1 is not one of the 10 classes");
  // Each row's own argmax as its label: top-1 is every row.
  std::vector<int64_t> argmax;
  for (int r = 0; r < 3; ++r) {
    const float *row = direct[0].data.data() + r * 10;
    argmax.push_back(std::max_element(row, row + 10) - row);
  }
  accuracy.labels = argmax;
  ASSERT_TRUE(sim::runProgram(P, {x}, options, sim::CostRunOptions(),
                              accuracy, outputs, report, error))
      << error;
  EXPECT_NE(report.find("\"top1_correct\": 3"), std::string::npos) << report;

  // Inputs are checked as files are, without a file name.
  sim::Tensor bad{{3, 255}, std::vector<float>(765)};
  EXPECT_FALSE(sim::runProgram(P, {bad}, options, sim::CostRunOptions(),
                               sim::AccuracyOptions(), outputs, report, error));
  EXPECT_EQ(error.rfind("input 0 ('input'): shape [3,255]", 0), 0u) << error;
  EXPECT_FALSE(sim::runProgram(P, {x, x}, options, sim::CostRunOptions(),
                               sim::AccuracyOptions(), outputs, report, error));
  EXPECT_EQ(error, "the program has 1 input(s), 2 were given");
}

} // namespace
