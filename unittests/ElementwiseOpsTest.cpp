//===- ElementwiseOpsTest.cpp - Sqrt ... Where, Fma in the interpreter ----===//
//
// Expected values are textbook constants (erf(1), tanh(1), Phi(1) = the
// standard normal CDF) or Python's math module, never the kernels' formulas.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CostModel.h"
#include "rebocc/Model/CostStages.h"
#include "rebocc/Sim/Interpreter.h"
#include "rebocc/Target/Program/ProgramIO.h"
#include "rebocc/Support/CastTypes.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace rebocc;
using program::Instruction;
using program::OpCode;

namespace {

/// Runs `op` on `inputs` (float reference); the result's declared shape is
/// all -1 of `outRank`. Returns the output, or fails the test.
sim::Tensor runOp(OpCode op, const std::vector<sim::Tensor> &inputs,
                  size_t outRank) {
  program::Program P;
  Instruction I;
  I.op = op;
  I.name = "op";
  for (size_t i = 0; i < inputs.size(); ++i) {
    P.values.push_back({"in" + std::to_string(i),
                        std::vector<int64_t>(inputs[i].shape.size(), -1)});
    P.inputs.push_back(static_cast<int>(i));
    I.operands.push_back(static_cast<int>(i));
  }
  P.values.push_back({"y", std::vector<int64_t>(outRank, -1)});
  I.result = static_cast<int>(inputs.size());
  P.outputs = {I.result};
  P.instructions = {I};
  sim::RunOptions options;
  options.arithmetic = sim::Arithmetic::FloatReference;
  model::RunReport report;
  std::vector<sim::Tensor> outputs;
  std::string error;
  EXPECT_TRUE(sim::run(P, inputs, options, outputs, report, error)) << error;
  return outputs.empty() ? sim::Tensor() : outputs[0];
}

void expectData(const sim::Tensor &y, std::vector<int64_t> shape,
                std::vector<float> data) {
  EXPECT_EQ(y.shape, shape);
  ASSERT_EQ(y.data.size(), data.size());
  for (size_t i = 0; i < data.size(); ++i)
    EXPECT_FLOAT_EQ(y.data[i], data[i]) << "element " << i;
}

const sim::Tensor row{{1, 4}, {-1.0f, 0.0f, 1.0f, 4.0f}};

TEST(ElementwiseOps, UnaryMath) {
  sim::Tensor y = runOp(OpCode::Sqrt, {row}, 2);
  EXPECT_TRUE(std::isnan(y.data[0]));
  y.data[0] = 0; // NaN != NaN; the rest is exact.
  expectData(y, {1, 4}, {0, 0, 1, 2});
  expectData(
      runOp(OpCode::Exp, {row}, 2), {1, 4},
      {0.36787944117144233f, 1, 2.718281828459045f, 54.598150033144236f});
  y = runOp(OpCode::Log, {sim::Tensor{{3}, {1.0f, 2.0f, 0.0f}}}, 1);
  EXPECT_FLOAT_EQ(y.data[0], 0);
  EXPECT_FLOAT_EQ(y.data[1], 0.6931471805599453f);
  EXPECT_EQ(y.data[2], -std::numeric_limits<float>::infinity());
  expectData(runOp(OpCode::Erf, {row}, 2), {1, 4},
             {-0.8427007929497149f, 0, 0.8427007929497149f,
              0.9999999845827421f});
  expectData(runOp(OpCode::Tanh, {row}, 2), {1, 4},
             {-0.7615941559557649f, 0, 0.7615941559557649f,
              0.999329299739067f});
  expectData(runOp(OpCode::Neg, {row}, 2), {1, 4}, {1, -0.0f, -1, -4});
  expectData(runOp(OpCode::Abs, {row}, 2), {1, 4}, {1, 0, 1, 4});
  expectData(runOp(OpCode::Not, {row}, 2), {1, 4}, {0, 1, 0, 0});
}

// ONNX QuantizeLinear rounds half to even: 0.5 -> 0, 1.5 -> 2, -2.5 -> -2.
TEST(ElementwiseOps, RoundTiesToEven) {
  const sim::Tensor ties{{1, 4}, {0.5f, 1.5f, -2.5f, 2.4999998f}};
  expectData(runOp(OpCode::Round, {ties}, 2), {1, 4}, {0, 2, -2, 2});
}

/// Runs a cast to `type` on one row; fails the test on a run error unless
/// `error` is given, which then receives it.
sim::Tensor runCast(const char *type, std::vector<float> x,
                    std::string *error = nullptr) {
  program::Program P;
  int64_t n = static_cast<int64_t>(x.size());
  P.values = {{"x", {1, n}}, {"y", {1, n}}};
  P.inputs = {0};
  P.outputs = {1};
  Instruction I;
  I.op = OpCode::Cast;
  I.name = "cast";
  I.mode = type;
  I.operands = {0};
  I.result = 1;
  P.instructions = {I};
  model::RunReport report;
  std::vector<sim::Tensor> outputs;
  std::string message;
  bool ok = sim::run(P, {{{1, n}, std::move(x)}}, sim::RunOptions(), outputs,
                     report, message);
  if (error)
    *error = message;
  else
    EXPECT_TRUE(ok) << message;
  return outputs.empty() ? sim::Tensor() : outputs[0];
}

// Values onnxruntime-node 1.30 gives for Cast of float32 (measured with
// scripts/ort_run.js, docs/SupportedOps.md "Cast"), not computed here.
TEST(ElementwiseOps, CastToIntegersAsOnnxruntime) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> x = {-1.5f, 2.5f, 300, -129, 70000.7f, 3e9f, nan, -inf};
  expectData(runCast("int8", x), {1, 8}, {-1, 2, 44, 127, 112, 0, 0, 0});
  expectData(runCast("uint8", x), {1, 8}, {255, 2, 44, 127, 112, 0, 0, 0});
  expectData(runCast("int16", x), {1, 8}, {-1, 2, 300, -129, 4464, 0, 0, 0});
  expectData(runCast("uint16", x), {1, 8},
             {65535, 2, 300, 65407, 4464, 0, 0, 0});
  expectData(runCast("int32", x), {1, 8},
             {-1, 2, 300, -129, 70000, -2147483648.0f, -2147483648.0f,
              -2147483648.0f});
  expectData(runCast("int64", x), {1, 8},
             {-1, 2, 300, -129, 70000, 3e9f, -9223372036854775808.0f,
              -9223372036854775808.0f});
  // UINT32 from 2^31: x - 2^31 converted, the top bit set (2^32 is past
  // the range: INT32's minimum with the top bit set is 0).
  expectData(runCast("uint32", {2147483648.0f, 3e9f, 4294967296.0f, inf,
                                -256, nan, -3e9f, 0.9f}),
             {1, 8},
             {2147483648.0f, 3e9f, 0, 0, 4294967040.0f, 2147483648.0f,
              2147483648.0f, 0});
  expectData(runCast("uint64", {9.223372e18f, 1e19f, 2e19f, inf, nan, -inf,
                                -1099511627776.0f, 1.5f}),
             {1, 8},
             {9.223372e18f, 1e19f, 0, 0, 9223372036854775808.0f,
              9223372036854775808.0f, 18446742974197923840.0f, 1});
}

// Values onnxruntime-node 1.30 gives for Cast of DOUBLE and of int64
// (measured with scripts/ort_run.js on 16-element tensors), not computed
// here: the constant folds' conversions (support::castDoubleToInteger,
// wrapInteger, integerCastValue).
TEST(ElementwiseOps, CastDoublesAndIntegersAsOnnxruntime) {
  using support::CastType;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto asDouble = [](int64_t bits, CastType type) {
    return support::integerCastValue(bits, type).text;
  };
  auto ofDouble = [&](double x, CastType type) {
    return asDouble(support::castDoubleToInteger(x, type), type);
  };
  EXPECT_EQ(ofDouble(300.7, CastType::Int8), "44");
  EXPECT_EQ(ofDouble(-129.9, CastType::UInt8), "127");
  EXPECT_EQ(ofDouble(65535.9, CastType::Int16), "-1");
  EXPECT_EQ(ofDouble(1e10, CastType::Int32), "-2147483648");
  EXPECT_EQ(ofDouble(4294967295.0, CastType::UInt32), "4294967295");
  EXPECT_EQ(ofDouble(4294967296.5, CastType::UInt32), "0");
  EXPECT_EQ(ofDouble(-2.5e9, CastType::UInt32), "2147483648");
  EXPECT_EQ(ofDouble(nan, CastType::Int64), "-9223372036854775808");
  EXPECT_EQ(ofDouble(4294967296.5, CastType::Int64), "4294967296");
  EXPECT_EQ(ofDouble(-2.5e9, CastType::UInt64), "18446744071209551616");
  EXPECT_EQ(ofDouble(1.5e19, CastType::UInt64), "15000000000000000000");
  EXPECT_EQ(ofDouble(-1e19, CastType::UInt64), "9223372036854775808");
  EXPECT_EQ(ofDouble(1e300, CastType::UInt64), "0");
  EXPECT_EQ(ofDouble(nan, CastType::UInt64), "9223372036854775808");
  auto ofInt = [&](int64_t x, CastType type) {
    return asDouble(support::wrapInteger(x, type), type);
  };
  EXPECT_EQ(ofInt(-129, CastType::UInt16), "65407");
  EXPECT_EQ(ofInt(-(int64_t(1) << 31) - 1, CastType::Int32), "2147483647");
  EXPECT_EQ(ofInt(-1, CastType::UInt64), "18446744073709551615");
  EXPECT_EQ(ofInt(INT64_MIN, CastType::UInt64), "9223372036854775808");
  // 2^64 - 1 is no double: its nearest one, 2^64, is not exact.
  support::IntegerCastValue max = support::integerCastValue(-1, CastType::UInt64);
  EXPECT_EQ(max.value, 18446744073709551616.0);
  EXPECT_FALSE(max.exact);
  EXPECT_TRUE(support::integerCastValue(-5, CastType::Int64).exact);
}

TEST(ElementwiseOps, CastToHalfTypesRoundsToEven) {
  // FLOAT16: ties 1 + 2^-11 -> 1, 1 + 3 * 2^-11 -> 1 + 2^-9; 65519.99 is
  // 65504, 65520 infinity; 2^-25 (half the smallest subnormal) -> 0.
  expectData(runCast("float16", {1.00048828125f, 1.00146484375f, 65519.99f,
                                 65520, 2.9802322e-08f, 8.940697e-08f}),
             {1, 6},
             {1, 1.001953125f, 65504, std::numeric_limits<float>::infinity(),
              0, 1.1920929e-07f});
  // BFLOAT16: ties 1 + 2^-8 -> 1, 1 + 3 * 2^-8 -> 1 + 2^-6.
  expectData(runCast("bfloat16", {1.00390625f, 1.01171875f, 1.99f}), {1, 3},
             {1, 1.015625f, 1.9921875f});
}

TEST(ElementwiseOps, CastStopsOnAResultFloat32CannotHold) {
  std::string error;
  runCast("uint32", {-256, -1}, &error);
  EXPECT_NE(error.find("element 1: -1 cast to uint32 is 4294967295, which "
                       "float32 values cannot hold exactly"),
            std::string::npos)
      << error;
  runCast("uint64", {-2147483648.0f}, &error);
  EXPECT_NE(error.find("cast to uint64 is 18446744071562067968"),
            std::string::npos)
      << error;
}

TEST(ElementwiseOps, Gelu) {
  // Exact: x * Phi(x); Phi(1) = 0.8413447460685429, Phi(-1) = 1 - Phi(1).
  expectData(runOp(OpCode::Gelu, {row}, 2), {1, 4},
             {-0.15865525393145707f, 0, 0.8413447460685429f,
              3.9998733150326675f});
  // The tanh form differs from the exact one in the fourth digit.
  expectData(runOp(OpCode::GeluTanh, {row}, 2), {1, 4},
             {-0.15880800939172324f, 0, 0.8411919906082768f,
              3.9999297540518075f});
}

TEST(ElementwiseOps, BroadcastingBinary) {
  // [2, 1] op [3] -> [2, 3].
  sim::Tensor a{{2, 1}, {2.0f, -1.0f}}, b{{3}, {0.0f, 2.0f, -1.0f}};
  expectData(runOp(OpCode::Pow, {a, b}, 2), {2, 3}, {1, 4, 0.5f, 1, 1, -1});
  expectData(runOp(OpCode::Min, {a, b}, 2), {2, 3}, {0, 2, -1, -1, -1, -1});
  expectData(runOp(OpCode::Max, {a, b}, 2), {2, 3}, {2, 2, 2, 0, 2, -1});
  expectData(runOp(OpCode::Equal, {a, b}, 2), {2, 3}, {0, 1, 0, 0, 0, 1});
  expectData(runOp(OpCode::Greater, {a, b}, 2), {2, 3}, {1, 0, 1, 0, 0, 0});
  expectData(runOp(OpCode::GreaterOrEqual, {a, b}, 2), {2, 3},
             {1, 1, 1, 0, 0, 1});
  sim::Tensor p{{4}, {0, 0, 1, 1}}, q{{4}, {0, 1, 0, 1}};
  expectData(runOp(OpCode::And, {p, q}, 1), {4}, {0, 0, 0, 1});
  expectData(runOp(OpCode::Or, {p, q}, 1), {4}, {0, 1, 1, 1});
  expectData(runOp(OpCode::Xor, {p, q}, 1), {4}, {0, 1, 1, 0});
  // Any non-zero value is true: 2 xor -0.5 is false, 0 xor -0.5 true.
  sim::Tensor r{{2}, {2, 0}}, t{{1}, {-0.5f}};
  expectData(runOp(OpCode::Xor, {r, t}, 1), {2}, {0, 1});
}

TEST(ElementwiseOps, MinMaxPropagateNaN) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  sim::Tensor a{{2}, {nan, 1.0f}}, b{{2}, {1.0f, nan}};
  for (OpCode op : {OpCode::Min, OpCode::Max}) {
    sim::Tensor y = runOp(op, {a, b}, 1);
    ASSERT_EQ(y.data.size(), 2u);
    EXPECT_TRUE(std::isnan(y.data[0]) && std::isnan(y.data[1]));
  }
}

TEST(ElementwiseOps, WhereBroadcastsAllThree) {
  // condition [2, 1], x [3], y scalar -> [2, 3].
  sim::Tensor c{{2, 1}, {1.0f, 0.0f}}, x{{3}, {1, 2, 3}}, y{{}, {9}};
  expectData(runOp(OpCode::Where, {c, x, y}, 2), {2, 3}, {1, 2, 3, 9, 9, 9});
}

TEST(ElementwiseOps, FmaRoundsOnce) {
  // a = b = 1 + 2^-12, c = -(1 + 2^-11): a * b + c is exactly 2^-24, which
  // float32 holds; the product rounded first is 1 + 2^-11 (its 2^-24 term
  // is below float32's step at 1), so a mul and an add give 0. Exact
  // arithmetic by hand (also numpy: np.float32(np.float64(a) * b + c)).
  const float a = 1.0f + 0x1p-12f, c = -(1.0f + 0x1p-11f);
  sim::Tensor x{{2}, {a, 3.0f}}, y{{1}, {a}}, z{{2}, {c, 0.5f}};
  // The second element: 3 * a + 0.5 = 3.5 + 3 * 2^-12, exact in float32.
  expectData(runOp(OpCode::Fma, {x, y, z}, 1), {2},
             {0x1p-24f, 3.5f + 3 * 0x1p-12f});
  EXPECT_EQ(runOp(OpCode::Fma, {x, y, z}, 1).data[0], 0x1p-24f);
  sim::Tensor product = runOp(OpCode::Mul, {x, y}, 1);
  EXPECT_EQ(runOp(OpCode::Add, {product, z}, 1).data[0], 0.0f);
  // Broadcasting all three: a [2, 1], b [3], c scalar -> [2, 3].
  sim::Tensor p{{2, 1}, {1, 2}}, q{{3}, {1, 2, 3}}, r{{}, {0.5f}};
  expectData(runOp(OpCode::Fma, {p, q, r}, 2), {2, 3},
             {1.5f, 2.5f, 3.5f, 2.5f, 4.5f, 6.5f});
}

TEST(ElementwiseOps, ProgramTextRoundTrip) {
  // One instruction per elementwise opcode, each reading the inputs x, y, z
  // of shape [-1, 4]; written as text and read back.
  program::Program P;
  for (const char *name : {"x", "y", "z"}) {
    P.values.push_back({name, {-1, 4}});
    P.inputs.push_back(static_cast<int>(P.values.size()) - 1);
  }
  const std::pair<OpCode, const char *> ops[] = {
      {OpCode::Sqrt, "sqrt"},   {OpCode::Erf, "erf"},
      {OpCode::Exp, "exp"},     {OpCode::Log, "log"},
      {OpCode::Neg, "neg"},     {OpCode::Abs, "abs"},
      {OpCode::Tanh, "tanh"},   {OpCode::Gelu, "gelu"},
      {OpCode::GeluTanh, "gelu_tanh"}, {OpCode::Not, "not"},
      {OpCode::Round, "round"}, {OpCode::Cast, "cast"},
      {OpCode::Pow, "pow"},     {OpCode::Min, "min"},
      {OpCode::Max, "max"},     {OpCode::Equal, "equal"},
      {OpCode::Greater, "greater"},
      {OpCode::GreaterOrEqual, "greater_or_equal"},
      {OpCode::And, "and"},     {OpCode::Or, "or"},
      {OpCode::Xor, "xor"},
      {OpCode::Where, "where"}, {OpCode::Fma, "fma"}};
  for (auto [op, name] : ops) {
    Instruction I;
    I.op = op;
    I.name = name;
    I.operands = {0, 1, 2};
    I.operands.resize(op == OpCode::Where || op == OpCode::Fma   ? 3
                      : op >= OpCode::Pow && op != OpCode::Round &&
                              op != OpCode::Cast
                          ? 2
                          : 1);
    if (op == OpCode::Cast)
      I.mode = "uint16";
    I.result = static_cast<int>(P.values.size());
    P.values.push_back({std::string(name) + "_out", {-1, 4}});
    P.outputs.push_back(I.result);
    P.instructions.push_back(I);
    EXPECT_STREQ(program::opcodeName(op), name);
  }
  std::string bytes, error;
  ASSERT_TRUE(program::writeProgram(P, bytes));
  EXPECT_NE(bytes.find("= where %0 %1 %2 name=\"where\""), std::string::npos)
      << bytes;
  EXPECT_NE(bytes.find("= cast %0 to=uint16 name=\"cast\""), std::string::npos)
      << bytes;
  program::Program Q;
  ASSERT_TRUE(program::readProgram(bytes, "e.rbp", Q, error)) << error;
  ASSERT_EQ(Q.instructions.size(), P.instructions.size());
  for (size_t i = 0; i < P.instructions.size(); ++i) {
    EXPECT_EQ(Q.instructions[i].op, P.instructions[i].op);
    EXPECT_EQ(Q.instructions[i].operands, P.instructions[i].operands);
    EXPECT_EQ(Q.instructions[i].mode, P.instructions[i].mode);
  }
}

TEST(ElementwiseOps, DigitalUnitsCharged) {
  // ISAAC-CE: 0.195 pJ per element on the 2 sigmoid units (0.9 x Table I
  // power / rate, as CostModelTest pins), one tile, 1.2 GHz; 600 outputs.
  // The arithmetic, comparisons, logic, rounding and casts run on PUMA's
  // vector functional unit (PUMAsim include/constants.py): one operation per
  // 1 ns cycle at alu_pow_div_dyn = 1.52 x 32/45 mW (1.080888889 pJ),
  // alu_pow_mul_dyn = 0.795 x 32/45 (0.565333333 pJ) or alu_pow_others_dyn =
  // 0.373 x 32/45 (0.265244444 pJ), in the `digital` component.
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
  for (const char *op : {"sqrt", "erf", "exp", "log", "tanh", "pow", "gelu",
                         "gelu_tanh"}) {
    SCOPED_TRACE(op);
    model::LayerCost lc = cost(op, s);
    EXPECT_NEAR(lc.dynamicJ.digital, 600 * 0.195e-12, 1e-18);
    EXPECT_NEAR(s, 600 / 2.4 * 1e-9, 1e-15);
    EXPECT_FALSE(lc.vfu);
  }
  // 600 x 1.080888889 pJ = 648.5333333 pJ; 600 operations x 1 ns.
  model::LayerCost div = cost("div", s);
  EXPECT_NEAR(div.dynamicJ.digital * 1e12, 648.5333333, 1e-6);
  EXPECT_NEAR(s, 600e-9, 1e-15);
  EXPECT_TRUE(div.vfu);
  // 600 x 0.565333333 pJ = 339.2 pJ.
  EXPECT_NEAR(cost("mul", s).dynamicJ.digital * 1e12, 339.2, 1e-6);
  EXPECT_NEAR(s, 600e-9, 1e-15);
  // fma: a multiplication and an other, 339.2 + 159.1466667 pJ, 2 x 600 ns.
  EXPECT_NEAR(cost("fma", s).dynamicJ.digital * 1e12, 498.3466667, 1e-6);
  EXPECT_NEAR(s, 1200e-9, 1e-15);
  for (const char *op :
       {"add", "min", "max", "equal", "greater", "greater_or_equal", "neg",
        "abs", "not", "and", "or", "xor", "where", "round", "cast", "if"}) {
    SCOPED_TRACE(op);
    model::LayerCost lc = cost(op, s);
    // 600 x 0.265244444 pJ = 159.1466667 pJ.
    EXPECT_NEAR(lc.dynamicJ.digital * 1e12, 159.1466667, 1e-6);
    EXPECT_EQ(lc.dynamicJ.shiftAdd, 0.0);
    EXPECT_NEAR(s, 600e-9, 1e-15);
    EXPECT_TRUE(lc.vfu);
  }
}

/// Runs a unary instruction of `function` with `alpha`, `beta` on `x`.
sim::Tensor runUnary(const char *function, float alpha, float beta,
                     std::vector<float> x) {
  program::Program P;
  P.values = {{"x", {-1}}, {"y", {-1}}};
  P.inputs = {0};
  P.outputs = {1};
  Instruction I;
  I.op = OpCode::Unary;
  I.name = function;
  I.operands = {0};
  I.result = 1;
  I.mode = function;
  I.alpha = alpha;
  I.beta = beta;
  P.instructions = {I};
  EXPECT_EQ(program::verify(P), "");
  sim::RunOptions options;
  options.arithmetic = sim::Arithmetic::FloatReference;
  model::RunReport report;
  std::vector<sim::Tensor> outputs;
  std::string error;
  const int64_t n = static_cast<int64_t>(x.size());
  EXPECT_TRUE(sim::run(P, {{{n}, std::move(x)}}, options, outputs, report,
                       error))
      << error;
  // The report names the function, which sets what it is charged.
  EXPECT_EQ(report.digital.size(), 1u);
  if (!report.digital.empty())
    EXPECT_EQ(report.digital[0].op, function);
  return outputs.empty() ? sim::Tensor() : outputs[0];
}

// Expected values from Python's math module (e.g. Elu(-1) = math.expm1(-1),
// Softplus(-1) = math.log1p(math.exp(-1)), Selu with ONNX's defaults
// 1.0507009873554805 * 1.6732632423543772 * math.expm1(-1)), not from the
// kernels' formulas.
TEST(ElementwiseOps, UnaryFunctions) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  expectData(runUnary("softplus", 0, 0, {0, -1, 1, 100}), {4},
             {0.6931471805599453f, 0.31326168751822286f, 1.3132616875182228f,
              100});
  expectData(runUnary("elu", 1, 0, {-1, 0, 2}), {3},
             {-0.6321205588285577f, 0, 2});
  expectData(runUnary("elu", 0.5f, 0, {-1}), {1}, {-0.31606027941427883f});
  expectData(runUnary("selu", 1.67326319217681884765625f,
                      1.05070102214813232421875f, {-1, 0, 2}),
             {3}, {-1.1113307378125625f, 0, 2.101401974710961f});
  expectData(runUnary("celu", 2, 0, {-1, 3}), {2}, {-0.7869386805747332f, 3});
  expectData(runUnary("softsign", 0, 0, {3, -1, 0}), {3}, {0.75f, -0.5f, 0});
  expectData(runUnary("thresholded_relu", 1, 0, {1, 1.5f, -3}), {3},
             {0, 1.5f, 0});
  expectData(runUnary("mish", 0, 0, {1, 0, -1}), {3},
             {0.8650983882673103f, 0, -0.30340146137410895f});
  expectData(runUnary("shrink", 0.5f, 0.25f, {-1, 0.3f, 2, -0.5f}), {4},
             {-0.75f, 0, 1.75f, 0});
  expectData(runUnary("floor", 0, 0, {-1.5f, 2.5f, 3}), {3}, {-2, 2, 3});
  expectData(runUnary("ceil", 0, 0, {-1.5f, 2.5f, 3}), {3}, {-1, 3, 3});
  expectData(runUnary("sin", 0, 0, {1, 0}), {2}, {0.8414709848078965f, 0});
  expectData(runUnary("cos", 0, 0, {1, 0}), {2}, {0.5403023058681398f, 1});
  expectData(runUnary("sign", 0, 0, {-2, 0, 0.1f}), {3}, {-1, 0, 1});
  EXPECT_TRUE(std::isnan(runUnary("sign", 0, 0, {nan}).data[0]));
  expectData(runUnary("is_nan", 0, 0, {nan, inf, 1}), {3}, {1, 0, 0});
  expectData(runUnary("is_inf", 1, 1, {nan, inf, -inf, 1}), {4},
             {0, 1, 1, 0});
  expectData(runUnary("is_inf", 0, 1, {inf, -inf}), {2}, {0, 1});
  expectData(runUnary("is_inf", 1, 0, {inf, -inf}), {2}, {1, 0});
}

TEST(ElementwiseOps, UnaryVerifierChecksFunctionAndParameters) {
  program::Program P;
  P.values = {{"x", {-1}}, {"y", {-1}}};
  P.inputs = {0};
  P.outputs = {1};
  Instruction I;
  I.op = OpCode::Unary;
  I.name = "u";
  I.operands = {0};
  I.result = 1;
  I.mode = "tan";
  P.instructions = {I};
  EXPECT_NE(program::verify(P).find("unary function 'tan'"),
            std::string::npos);
  P.instructions[0].mode = "celu";
  EXPECT_NE(program::verify(P).find("alpha and beta of celu must not be 0"),
            std::string::npos);
  P.instructions[0].mode = "is_inf";
  P.instructions[0].alpha = 2;
  EXPECT_NE(program::verify(P).find("must be 0 or 1"), std::string::npos);
  // Written and read back with its function and parameters.
  P.instructions[0].mode = "shrink";
  P.instructions[0].alpha = 0.5f;
  P.instructions[0].beta = -0.25f;
  std::string bytes, error;
  ASSERT_TRUE(program::writeProgram(P, bytes));
  EXPECT_NE(bytes.find("= unary %0 function=shrink alpha=0.5 beta=-0.25 "
                       "name=\"u\""),
            std::string::npos)
      << bytes;
  program::Program Q;
  ASSERT_TRUE(program::readProgram(bytes, "u.rbp", Q, error)) << error;
  ASSERT_EQ(Q.instructions.size(), 1u);
  EXPECT_EQ(Q.instructions[0].op, OpCode::Unary);
  EXPECT_EQ(Q.instructions[0].mode, "shrink");
  EXPECT_EQ(Q.instructions[0].alpha, 0.5f);
  EXPECT_EQ(Q.instructions[0].beta, -0.25f);
}

TEST(ElementwiseOps, UnaryFunctionsCharged) {
  // As DigitalUnitsCharged: the transcendental functions one lookup per
  // element on the sigmoid units (0.195 pJ, 2 units at 1.2 GHz), the others
  // PUMA's VFU operations per element: floor, ceil and is_nan one "other"
  // (0.265244444 pJ, 1 ns), thresholded_relu, sign and is_inf two, shrink
  // four, softsign a division, a multiply and two others.
  model::HardwareDesc hw;
  model::EventCosts c = model::deriveEventCosts(hw);
  auto cost = [&](const char *op, double &seconds) {
    model::DigitalReport d;
    d.name = d.op = op;
    d.inputElements = 600;
    d.outputElements = 600;
    d.afterLayer = -1;
    return model::costDigitalLayer(d, {}, hw, c, seconds);
  };
  double s = 0;
  for (const char *op :
       {"softplus", "elu", "selu", "celu", "mish", "sin", "cos"}) {
    SCOPED_TRACE(op);
    model::LayerCost lc = cost(op, s);
    EXPECT_NEAR(lc.dynamicJ.digital, 600 * 0.195e-12, 1e-18);
    EXPECT_NEAR(s, 600 / 2.4 * 1e-9, 1e-15);
  }
  const std::pair<const char *, double> vfu[] = {
      {"floor", 1}, {"ceil", 1}, {"is_nan", 1}, {"thresholded_relu", 2},
      {"sign", 2}, {"is_inf", 2}, {"shrink", 4}};
  for (auto [op, ops] : vfu) {
    SCOPED_TRACE(op);
    model::LayerCost lc = cost(op, s);
    EXPECT_NEAR(lc.dynamicJ.digital * 1e12, ops * 159.1466667, 1e-5);
    EXPECT_NEAR(s, ops * 600e-9, 1e-15);
    EXPECT_TRUE(lc.vfu);
  }
  // 648.5333333 + 339.2 + 2 x 159.1466667 pJ; four operations of 1 ns.
  model::LayerCost softsign = cost("softsign", s);
  EXPECT_NEAR(softsign.dynamicJ.digital * 1e12, 1306.0266667, 1e-5);
  EXPECT_NEAR(s, 4 * 600e-9, 1e-15);
}

} // namespace
