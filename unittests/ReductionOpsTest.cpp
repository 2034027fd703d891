//===- ReductionOpsTest.cpp - reductions, log_softmax, normalize ----------===//
//
// Expected values are worked by hand (sums, maxima) or are textbook
// constants (ln 2, ln(1 + e^-1 + e^-2), 1 / sqrt(1.25)), never the kernels'
// loops.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CostModel.h"
#include "rebocc/Model/CostStages.h"
#include "rebocc/Sim/Interpreter.h"
#include "rebocc/Target/Program/ProgramIO.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace rebocc;
using program::Instruction;
using program::OpCode;

namespace {

/// Runs one instruction `I` (its operand and result ids are filled in) on
/// `x` in the float reference; the declared result shape is all -1.
sim::Tensor runOne(Instruction I, const sim::Tensor &x) {
  program::Program P;
  P.values = {{"x", std::vector<int64_t>(x.shape.size(), -1)},
              {"y", std::vector<int64_t>(x.shape.size(), -1)}};
  P.inputs = {0};
  P.outputs = {1};
  I.name = "op";
  I.operands = {0};
  I.result = 1;
  P.instructions = {I};
  sim::RunOptions options;
  options.arithmetic = sim::Arithmetic::FloatReference;
  model::RunReport report;
  std::vector<sim::Tensor> outputs;
  std::string error;
  EXPECT_TRUE(sim::run(P, {x}, options, outputs, report, error)) << error;
  return outputs.empty() ? sim::Tensor() : outputs[0];
}

sim::Tensor reduce(OpCode op, std::vector<int64_t> axes, const sim::Tensor &x) {
  Instruction I;
  I.op = op;
  I.axes = std::move(axes);
  return runOne(I, x);
}

void expectData(const sim::Tensor &y, std::vector<int64_t> shape,
                std::vector<float> data) {
  EXPECT_EQ(y.shape, shape);
  ASSERT_EQ(y.data.size(), data.size());
  for (size_t i = 0; i < data.size(); ++i)
    EXPECT_FLOAT_EQ(y.data[i], data[i]) << "element " << i;
}

// [[1, 2, 3], [4, 5, 6]]
const sim::Tensor m23{{2, 3}, {1, 2, 3, 4, 5, 6}};
// [[[1, 8], [3, 4]], [[5, 2], [7, 0]]]
const sim::Tensor c222{{2, 2, 2}, {1, 8, 3, 4, 5, 2, 7, 0}};

TEST(ReductionOps, SumOverAnyAxes) {
  expectData(reduce(OpCode::ReduceSum, {1}, m23), {2, 1}, {6, 15});
  expectData(reduce(OpCode::ReduceSum, {0}, m23), {1, 3}, {5, 7, 9});
  expectData(reduce(OpCode::ReduceSum, {0, 1}, m23), {1, 1}, {21});
  // The outer and inner axes of a 3-D tensor: 1+8+5+2, 3+4+7+0.
  expectData(reduce(OpCode::ReduceSum, {0, 2}, c222), {1, 2, 1}, {16, 14});
}

TEST(ReductionOps, MaxAndMin) {
  expectData(reduce(OpCode::ReduceMax, {0, 2}, c222), {1, 2, 1}, {8, 7});
  expectData(reduce(OpCode::ReduceMin, {0, 2}, c222), {1, 2, 1}, {1, 0});
  expectData(reduce(OpCode::ReduceMax, {1}, c222), {2, 1, 2}, {3, 8, 7, 2});
  expectData(reduce(OpCode::ReduceMin, {0, 1, 2}, c222), {1, 1, 1}, {0});
}

TEST(ReductionOps, MaxAndMinPropagateNaN) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // NaN first and NaN last in a row.
  sim::Tensor x{{2, 2}, {nan, 1.0f, 1.0f, nan}};
  for (OpCode op : {OpCode::ReduceMax, OpCode::ReduceMin}) {
    sim::Tensor y = reduce(op, {1}, x);
    ASSERT_EQ(y.data.size(), 2u);
    EXPECT_TRUE(std::isnan(y.data[0]) && std::isnan(y.data[1]));
  }
}

TEST(ReductionOps, LogSoftmax) {
  Instruction I;
  I.op = OpCode::LogSoftmax;
  I.axis = 1;
  // Row [1, 2, 3]: x - 3 - ln(1 + e^-1 + e^-2), ln(...) = 0.4076059644443806.
  // Row [0, 0, 0]: -ln 3 each. A row of 1000s must not overflow.
  sim::Tensor x{{3, 3}, {1, 2, 3, 0, 0, 0, 1000, 1000, 1000}};
  const float l3 = 1.0986122886681098f;
  expectData(runOne(I, x), {3, 3},
             {-2.4076059644443806f, -1.4076059644443806f,
              -0.4076059644443806f, -l3, -l3, -l3, -l3, -l3, -l3});
  // Along axis 0 of [[1, 2], [1, 2]]: -ln 2 everywhere.
  I.axis = 0;
  const float l2 = 0.6931471805599453f;
  expectData(runOne(I, sim::Tensor{{2, 2}, {1, 2, 1, 2}}), {2, 2},
             {-l2, -l2, -l2, -l2});
}

TEST(ReductionOps, Normalize) {
  Instruction I;
  I.op = OpCode::Normalize;
  I.axis = 1;
  I.alpha = 0;
  // Row [1, 2, 3, 4]: mean 2.5, variance 1.25, 1 / sqrt(1.25) =
  // 0.894427190999916; row [2, 2, 6, 6]: mean 4, variance 4, so +-1.
  sim::Tensor x{{2, 4}, {1, 2, 3, 4, 2, 2, 6, 6}};
  const float a = 1.5f * 0.894427190999916f, b = 0.5f * 0.894427190999916f;
  expectData(runOne(I, x), {2, 4}, {-a, -b, b, a, -1, -1, 1, 1});
  // epsilon 0.75 over the whole of [1, 2, 3, 4] (axis 0): divide by
  // sqrt(1.25 + 0.75) = sqrt(2).
  I.axis = 0;
  I.alpha = 0.75f;
  const float r = 0.7071067811865476f;
  expectData(runOne(I, sim::Tensor{{4}, {1, 2, 3, 4}}), {4},
             {-1.5f * r, -0.5f * r, 0.5f * r, 1.5f * r});
  // Groups of the last two dims of [2, 2, 2] (axis 1): [1 8 3 4] has mean 4
  // and variance (9 + 16 + 1 + 0) / 4 = 6.5.
  I.axis = 1;
  I.alpha = 0;
  sim::Tensor y = runOne(I, c222);
  EXPECT_FLOAT_EQ(y.data[0], -3 / std::sqrt(6.5f));
  EXPECT_FLOAT_EQ(y.data[1], 4 / std::sqrt(6.5f));
}

TEST(ReductionOps, ProgramTextRoundTrip) {
  program::Program P;
  P.values.push_back({"x", {-1, 3, 4}});
  P.inputs = {0};
  auto add = [&](OpCode op, std::vector<int64_t> shape) -> Instruction & {
    Instruction I;
    I.op = op;
    I.name = program::opcodeName(op);
    I.operands = {0};
    I.result = static_cast<int>(P.values.size());
    P.values.push_back({I.name + "_out", shape});
    P.outputs.push_back(I.result);
    P.instructions.push_back(I);
    return P.instructions.back();
  };
  add(OpCode::ReduceMax, {-1, 1, 4}).axes = {1};
  add(OpCode::ReduceMin, {-1, 3, 1}).axes = {2};
  add(OpCode::ReduceSum, {-1, 1, 1}).axes = {1, 2};
  add(OpCode::LogSoftmax, {-1, 3, 4}).axis = 2;
  Instruction &n = add(OpCode::Normalize, {-1, 3, 4});
  n.axis = 1;
  n.alpha = 1e-5f;
  // Split's slice, in the same program text.
  Instruction &sl = add(OpCode::Slice, {-1, 2, 4});
  sl.axes = {1};
  sl.starts = {1};
  sl.ends = {3};
  std::string bytes, error;
  ASSERT_TRUE(program::writeProgram(P, bytes));
  EXPECT_NE(bytes.find("= reduce_sum %0 axes=1,2 name="), std::string::npos)
      << bytes;
  EXPECT_NE(bytes.find("= normalize %0 axis=1 epsilon="), std::string::npos)
      << bytes;
  EXPECT_NE(bytes.find("= slice %0 axes=1 starts=1 ends=3 name="),
            std::string::npos)
      << bytes;
  program::Program Q;
  ASSERT_TRUE(program::readProgram(bytes, "r.rbp", Q, error)) << error;
  ASSERT_EQ(Q.instructions.size(), P.instructions.size());
  for (size_t i = 0; i < P.instructions.size(); ++i) {
    EXPECT_EQ(Q.instructions[i].op, P.instructions[i].op);
    EXPECT_EQ(Q.instructions[i].axes, P.instructions[i].axes);
    EXPECT_EQ(Q.instructions[i].axis, P.instructions[i].axis);
    EXPECT_EQ(Q.instructions[i].alpha, P.instructions[i].alpha);
    EXPECT_EQ(Q.instructions[i].starts, P.instructions[i].starts);
    EXPECT_EQ(Q.instructions[i].ends, P.instructions[i].ends);
  }
  // Axes out of order are not a program.
  Q.instructions[2].axes = {2, 1};
  EXPECT_NE(program::verify(Q), "");
}

TEST(ReductionOps, DigitalUnitsCharged) {
  // ISAAC-CE as in ElementwiseOpsTest: 0.195 pJ per element on the 2 sigmoid
  // units, 0.3 pJ on the max-pool unit, and PUMA's VFU (PUMAsim, one 1 ns
  // cycle per operation): 0.265244444 pJ per add (alu_pow_others_dyn =
  // 0.373 x 32/45 mW), 0.565333333 pJ per multiply (0.795 x 32/45) and
  // 1.080888889 pJ per division (1.52 x 32/45); 1200 input elements, 600
  // outputs. Reductions and log_softmax are charged per input element,
  // normalize 6 VFU operations per input element (3 adds, 2 multiplies,
  // 1 division).
  model::HardwareDesc hw;
  model::EventCosts c = model::deriveEventCosts(hw);
  auto cost = [&](const char *op, double &seconds) {
    model::DigitalReport d;
    d.name = d.op = op;
    d.inputElements = 1200;
    d.outputElements = 600;
    d.afterLayer = -1;
    return model::costDigitalLayer(d, {}, hw, c, seconds);
  };
  double s = 0;
  for (const char *op : {"reduce_max", "reduce_min"}) {
    SCOPED_TRACE(op);
    EXPECT_NEAR(cost(op, s).dynamicJ.digital, 1200 * 0.3e-12, 1e-18);
    EXPECT_NEAR(s, 1200 / 1.2 * 1e-9, 1e-15);
  }
  // 1200 x 0.265244444 pJ = 318.2933333 pJ, 1200 ns.
  EXPECT_NEAR(cost("reduce_sum", s).dynamicJ.digital * 1e12, 318.2933333,
              1e-6);
  EXPECT_NEAR(s, 1200e-9, 1e-15);
  EXPECT_NEAR(cost("log_softmax", s).dynamicJ.digital, 1200 * 0.195e-12,
              1e-18);
  EXPECT_NEAR(s, 1200 / 2.4 * 1e-9, 1e-15);
  // 1200 x (1.080888889 + 2 x 0.565333333 + 3 x 0.265244444) pJ
  // = 1200 x 3.007288889 = 3608.746667 pJ; 7200 operations x 1 ns.
  EXPECT_NEAR(cost("normalize", s).dynamicJ.digital * 1e12, 3608.746667,
              1e-5);
  EXPECT_NEAR(s, 7200e-9, 1e-15);
}

} // namespace
