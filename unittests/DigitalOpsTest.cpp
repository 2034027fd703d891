//===- DigitalOpsTest.cpp - Pooling, activations, concat, pad, transpose --===//

#include "TestUtil.h"
#include "rebocc/Sim/Interpreter.h"

#include <gtest/gtest.h>

using namespace rebocc;
using program::Instruction;
using program::OpCode;

namespace {

/// Program x -> op -> y with declared shapes; `extra` values become inputs
/// (e.g. the PRelu slope, further concat operands).
struct OneOp {
  program::Program P;
  Instruction I;

  OneOp(OpCode op, std::vector<std::vector<int64_t>> inShapes,
        std::vector<int64_t> outShape) {
    I.op = op;
    I.name = "op";
    for (size_t i = 0; i < inShapes.size(); ++i) {
      P.values.push_back({"in" + std::to_string(i), inShapes[i]});
      P.inputs.push_back(static_cast<int>(i));
      I.operands.push_back(static_cast<int>(i));
    }
    P.values.push_back({"y", outShape});
    I.result = static_cast<int>(inShapes.size());
    P.outputs = {I.result};
  }

  /// Runs; returns "" and fills `y`, or the error.
  std::string run(const std::vector<sim::Tensor> &inputs, sim::Tensor &y,
                  sim::Arithmetic arithmetic = sim::Arithmetic::FloatReference) {
    P.instructions = {I};
    sim::RunOptions options;
    options.arithmetic = arithmetic;
    model::RunReport report;
    std::vector<sim::Tensor> outputs;
    std::string error;
    if (!sim::run(P, inputs, options, outputs, report, error))
      return error.empty() ? "(empty error)" : error;
    y = outputs[0];
    return "";
  }
};

std::vector<float> iota(size_t n, float start = 0.0f) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = start + static_cast<float>(i);
  return v;
}

void expectData(const sim::Tensor &y, std::vector<int64_t> shape,
                std::vector<float> data) {
  EXPECT_EQ(y.shape, shape);
  ASSERT_EQ(y.data.size(), data.size());
  for (size_t i = 0; i < data.size(); ++i)
    EXPECT_FLOAT_EQ(y.data[i], data[i]) << "element " << i;
}

Instruction poolAttrs(Instruction I, std::vector<int64_t> kernel,
                      std::vector<int64_t> strides, std::vector<int64_t> pads,
                      std::vector<int64_t> dilations, bool ceil) {
  I.kernel = kernel;
  I.strides = strides;
  I.pads = pads;
  I.dilations = dilations;
  I.ceilMode = ceil;
  return I;
}

// x = 0..15 as a 4x4 image.
const sim::Tensor image4{{1, 1, 4, 4}, iota(16)};

TEST(DigitalOps, ReshapeOverflowIsAnError) {
  // 16 * (2^60 + 1) = 2^64 + 16 wraps to 16, the input's count: a wrapping
  // product accepted this reshape (issue 13).
  const int64_t huge = (int64_t(1) << 60) + 1;
  OneOp op(OpCode::Reshape, {{1, 16}}, {1, huge, 16});
  op.I.shape = {1, huge, 16};
  sim::Tensor y;
  std::string error = op.run({{{1, 16}, iota(16)}}, y);
  EXPECT_NE(error.find("cannot reshape [1,16]"), std::string::npos) << error;
}

TEST(DigitalOps, MaxPoolBasicAndPadsNeverWin) {
  OneOp op(OpCode::MaxPool, {{-1, 1, -1, -1}}, {-1, 1, -1, -1});
  op.I = poolAttrs(op.I, {2, 2}, {2, 2}, {0, 0, 0, 0}, {1, 1}, false);
  sim::Tensor y;
  ASSERT_EQ(op.run({image4}, y), "");
  expectData(y, {1, 1, 2, 2}, {5, 7, 13, 15});
  // Negative input with padding: padding (not 0) never wins.
  op.I = poolAttrs(op.I, {3, 3}, {1, 1}, {1, 1, 1, 1}, {1, 1}, false);
  sim::Tensor neg{{1, 1, 2, 2}, {-1, -2, -3, -4}};
  ASSERT_EQ(op.run({neg}, y), "");
  expectData(y, {1, 1, 2, 2}, {-1, -1, -1, -1});
}

TEST(DigitalOps, MaxPoolCeilModeAndDilation) {
  OneOp op(OpCode::MaxPool, {{-1, 1, -1, -1}}, {-1, 1, -1, -1});
  // 5x5, kernel 2, stride 2: floor gives 2x2, ceil 3x3 (last window
  // overhangs and sees one row/column).
  sim::Tensor x{{1, 1, 5, 5}, iota(25)};
  sim::Tensor y;
  op.I = poolAttrs(op.I, {2, 2}, {2, 2}, {0, 0, 0, 0}, {1, 1}, false);
  ASSERT_EQ(op.run({x}, y), "");
  expectData(y, {1, 1, 2, 2}, {6, 8, 16, 18});
  op.I.ceilMode = true;
  ASSERT_EQ(op.run({x}, y), "");
  expectData(y, {1, 1, 3, 3}, {6, 8, 9, 16, 18, 19, 21, 23, 24});
  // Ceil mode never starts a window in the trailing padding: 4 wide,
  // kernel 2, stride 2, pad end 1: ceil((4+1-2)/2)+1 = 3, but window 2
  // would start at 4 >= 4 + 0, so 2.
  op.I = poolAttrs(op.I, {1, 2}, {1, 2}, {0, 0, 0, 1}, {1, 1}, true);
  sim::Tensor row{{1, 1, 1, 4}, {1, 2, 3, 4}};
  ASSERT_EQ(op.run({row}, y), "");
  expectData(y, {1, 1, 1, 2}, {2, 4});
  // Dilation 2: a 2x2 kernel sampling every other pixel.
  op.I = poolAttrs(op.I, {2, 2}, {1, 1}, {0, 0, 0, 0}, {2, 2}, false);
  ASSERT_EQ(op.run({image4}, y), "");
  expectData(y, {1, 1, 2, 2}, {10, 11, 14, 15});
}

TEST(DigitalOps, AveragePoolCountIncludePad) {
  OneOp op(OpCode::AveragePool, {{-1, 1, -1, -1}}, {-1, 1, -1, -1});
  sim::Tensor x{{1, 1, 2, 2}, {1, 2, 3, 4}};
  sim::Tensor y;
  // 3x3 window, pads 1: each window holds all 4 elements (sum 10) plus 5
  // padding positions.
  op.I = poolAttrs(op.I, {3, 3}, {1, 1}, {1, 1, 1, 1}, {1, 1}, false);
  op.I.countIncludePad = false;
  ASSERT_EQ(op.run({x}, y), "");
  expectData(y, {1, 1, 2, 2}, {2.5, 2.5, 2.5, 2.5});
  op.I.countIncludePad = true;
  ASSERT_EQ(op.run({x}, y), "");
  expectData(y, {1, 1, 2, 2}, {10.0f / 9, 10.0f / 9, 10.0f / 9, 10.0f / 9});
  // Ceil mode with count_include_pad: the overhanging window is clipped to
  // the padded input. 1x5 row, kernel 1x2, stride 2, pads (0,1,0,0): padded
  // row is [pad,1,2,3,4,5]; windows start at -1, 1, 3 -> [pad,1], [2,3],
  // [4,5]. ceil((5+1-2)/2)+1 = 3.
  sim::Tensor r5{{1, 1, 1, 5}, {1, 2, 3, 4, 5}};
  op.I = poolAttrs(op.I, {1, 2}, {1, 2}, {0, 1, 0, 0}, {1, 1}, true);
  op.I.countIncludePad = true;
  ASSERT_EQ(op.run({r5}, y), "");
  expectData(y, {1, 1, 1, 3}, {0.5, 2.5, 4.5});
  // Now a window overhanging the padded input: 1x4, kernel 3, stride 2, no
  // pads, ceil: ceil((4-3)/2)+1 = 2 windows, [1,2,3] and [3,4,(beyond)].
  // count_include_pad divides by the part inside the (padded) input: 2.
  sim::Tensor r4{{1, 1, 1, 4}, {1, 2, 3, 4}};
  op.I = poolAttrs(op.I, {1, 3}, {1, 2}, {0, 0, 0, 0}, {1, 1}, true);
  ASSERT_EQ(op.run({r4}, y), "");
  expectData(y, {1, 1, 1, 2}, {2, 3.5});
  op.I.countIncludePad = false;
  ASSERT_EQ(op.run({r4}, y), "");
  expectData(y, {1, 1, 1, 2}, {2, 3.5});
  // With a trailing pad of 1 the overhanging window covers [3, 4, pad]:
  // count_include_pad counts the pad (7/3), otherwise not (7/2). Floor
  // mode: (4+1-3)/2+1 = 2 windows.
  op.I = poolAttrs(op.I, {1, 3}, {1, 2}, {0, 0, 0, 1}, {1, 1}, false);
  op.I.countIncludePad = true;
  ASSERT_EQ(op.run({r4}, y), "");
  expectData(y, {1, 1, 1, 2}, {2, 7.0f / 3});
  op.I.countIncludePad = false;
  ASSERT_EQ(op.run({r4}, y), "");
  expectData(y, {1, 1, 1, 2}, {2, 3.5});
}

TEST(DigitalOps, PoolErrorsNameInstruction) {
  OneOp op(OpCode::MaxPool, {{-1, 1, -1, -1}}, {-1, 1, -1, -1});
  op.I = poolAttrs(op.I, {5, 5}, {1, 1}, {0, 0, 0, 0}, {1, 1}, false);
  sim::Tensor y;
  std::string e = op.run({image4}, y);
  EXPECT_NE(e.find("instruction 0 (max_pool 'op')"), std::string::npos) << e;
  EXPECT_NE(e.find("does not fit input [1,1,4,4]"), std::string::npos) << e;
}

TEST(DigitalOps, GlobalAveragePool) {
  OneOp op(OpCode::GlobalAveragePool, {{-1, 2, -1, -1}}, {-1, 2, 1, 1});
  sim::Tensor x{{2, 2, 2, 3}, iota(24)};
  sim::Tensor y;
  ASSERT_EQ(op.run({x}, y), "");
  expectData(y, {2, 2, 1, 1}, {2.5, 8.5, 14.5, 20.5});
}

TEST(DigitalOps, Activations) {
  sim::Tensor x{{1, 6}, {-6, -3, -0.5, 0, 1, 4}};
  sim::Tensor y;
  {
    OneOp op(OpCode::Clip, {{-1, 6}}, {-1, 6});
    op.I.alpha = -1;
    op.I.beta = 2;
    ASSERT_EQ(op.run({x}, y), "");
    expectData(y, {1, 6}, {-1, -1, -0.5, 0, 1, 2});
  }
  {
    OneOp op(OpCode::LeakyRelu, {{-1, 6}}, {-1, 6});
    op.I.alpha = 0.1f;
    ASSERT_EQ(op.run({x}, y), "");
    expectData(y, {1, 6}, {-0.6f, -0.3f, -0.05f, 0, 1, 4});
  }
  {
    OneOp op(OpCode::HardSigmoid, {{-1, 6}}, {-1, 6});
    op.I.alpha = 0.2f;
    op.I.beta = 0.5f;
    ASSERT_EQ(op.run({x}, y), "");
    expectData(y, {1, 6}, {0, 0, 0.4f, 0.5f, 0.7f, 1});
  }
  {
    OneOp op(OpCode::HardSwish, {{-1, 6}}, {-1, 6});
    ASSERT_EQ(op.run({x}, y), "");
    expectData(y, {1, 6}, {0, 0, -0.5f * (2.5f / 6), 0, 4.0f / 6, 4});
  }
}

TEST(DigitalOps, PReluBroadcastsSlope) {
  OneOp op(OpCode::PRelu, {{-1, 2, 2}, {2, 1}}, {-1, 2, 2});
  sim::Tensor x{{1, 2, 2}, {-1, 2, -3, 4}};
  sim::Tensor slope{{2, 1}, {0.5, 0.25}};
  sim::Tensor y;
  ASSERT_EQ(op.run({x, slope}, y), "");
  expectData(y, {1, 2, 2}, {-0.5, 2, -0.75, 4});
  // A slope that would grow x is an error.
  OneOp bad(OpCode::PRelu, {{-1, 2}, {3, 2}}, {-1, 2});
  std::string e = bad.run({{{1, 2}, {1, 2}}, {{3, 2}, iota(6)}}, y);
  EXPECT_NE(e.find("does not broadcast to x"), std::string::npos) << e;
}

TEST(DigitalOps, ConcatAxis1AndLast) {
  OneOp op(OpCode::Concat, {{-1, 1, 2}, {-1, 2, 2}}, {-1, 3, 2});
  op.I.axis = 1;
  sim::Tensor a{{2, 1, 2}, {1, 2, 3, 4}};
  sim::Tensor b{{2, 2, 2}, iota(8, 10)};
  sim::Tensor y;
  ASSERT_EQ(op.run({a, b}, y), "");
  expectData(y, {2, 3, 2}, {1, 2, 10, 11, 12, 13, 3, 4, 14, 15, 16, 17});
  OneOp last(OpCode::Concat, {{-1, 1, 2}, {-1, 1, 1}}, {-1, 1, 3});
  last.I.axis = 2;
  ASSERT_EQ(last.run({{{1, 1, 2}, {1, 2}}, {{1, 1, 1}, {9}}}, y), "");
  expectData(y, {1, 1, 3}, {1, 2, 9});
  // Mismatched batch at run time.
  std::string e = op.run({a, {{1, 2, 2}, iota(4)}}, y);
  EXPECT_NE(e.find("differ outside axis 1"), std::string::npos) << e;
}

TEST(DigitalOps, PadModes) {
  sim::Tensor x{{1, 3}, {1, 2, 3}};
  sim::Tensor y;
  OneOp op(OpCode::Pad, {{-1, 3}}, {-1, -1});
  op.I.pads = {0, 2, 0, 1};
  op.I.mode = "constant";
  op.I.alpha = 9;
  ASSERT_EQ(op.run({x}, y), "");
  expectData(y, {1, 6}, {9, 9, 1, 2, 3, 9});
  op.I.mode = "edge";
  ASSERT_EQ(op.run({x}, y), "");
  expectData(y, {1, 6}, {1, 1, 1, 2, 3, 3});
  op.I.mode = "reflect";
  ASSERT_EQ(op.run({x}, y), "");
  expectData(y, {1, 6}, {3, 2, 1, 2, 3, 2});
  // 2-D reflect on rows and columns.
  OneOp op2(OpCode::Pad, {{-1, 2, 3}}, {-1, 4, 5});
  op2.I.pads = {0, 1, 1, 0, 1, 1};
  op2.I.mode = "reflect";
  sim::Tensor m{{1, 2, 3}, {1, 2, 3, 4, 5, 6}};
  ASSERT_EQ(op2.run({m}, y), "");
  expectData(y, {1, 4, 5},
             {5, 4, 5, 6, 5, 2, 1, 2, 3, 2, 5, 4, 5, 6, 5, 2, 1, 2, 3, 2});
  // Reflect needs pads smaller than the dimension.
  op.I.pads = {0, 3, 0, 0};
  std::string e = op.run({x}, y);
  EXPECT_NE(e.find("instruction 0 (pad 'op')"), std::string::npos) << e;
  EXPECT_NE(e.find("reflect padding"), std::string::npos) << e;
}

TEST(DigitalOps, Transpose) {
  OneOp op(OpCode::Transpose, {{-1, 2, 3}}, {-1, 3, 2});
  op.I.perm = {0, 2, 1};
  sim::Tensor x{{1, 2, 3}, iota(6)};
  sim::Tensor y;
  ASSERT_EQ(op.run({x}, y), "");
  expectData(y, {1, 3, 2}, {0, 3, 1, 4, 2, 5});
  OneOp nhwc(OpCode::Transpose, {{-1, 2, 2, 2}}, {-1, 2, 2, 2});
  nhwc.I.perm = {0, 2, 3, 1};
  ASSERT_EQ(nhwc.run({{{1, 2, 2, 2}, iota(8)}}, y), "");
  expectData(y, {1, 2, 2, 2}, {0, 4, 1, 5, 2, 6, 3, 7});
}

TEST(DigitalOps, Slice) {
  // x = [[0 1 2 3] [4 5 6 7] [8 9 10 11]] per batch row; columns [1, 3) of
  // rows [1, 3): [[5 6] [9 10]].
  OneOp op(OpCode::Slice, {{-1, 3, 4}}, {-1, 2, 2});
  op.I.axes = {1, 2};
  op.I.starts = {1, 1};
  op.I.ends = {3, 3};
  sim::Tensor y;
  ASSERT_EQ(op.run({{{2, 3, 4}, iota(24)}}, y), "");
  expectData(y, {2, 2, 2}, {5, 6, 9, 10, 17, 18, 21, 22});
  // A range beyond the operand is an error, not a read out of bounds.
  op.I.ends = {4, 3};
  EXPECT_NE(op.run({{{2, 3, 4}, iota(24)}}, y), "");
}

TEST(DigitalOps, Resize) {
  // x = [[0 1 2] [3 4 5]] per batch row. Axis 1 (2 -> 3) by one tap each:
  // rows 1, 0, 1; then axis 2 (3 -> 2) by two taps: 0.5 * x0 + 0.5 * x1 and
  // 0.25 * x1 + 0.75 * x2. Row [3 4 5] gives 3.5, 4.75; row [0 1 2] 0.5, 1.75.
  OneOp op(OpCode::Resize, {{-1, 2, 3}}, {-1, 3, 2});
  op.I.axes = {1, 2};
  op.I.from = {2, 3};
  op.I.to = {3, 2};
  op.I.taps = {1, 2};
  op.I.sources = {1, 0, 1, 0, 1, 1, 2};
  op.I.weights = {1, 1, 1, 0.5f, 0.5f, 0.25f, 0.75f};
  sim::Tensor y;
  ASSERT_EQ(op.run({{{1, 2, 3}, iota(6)}}, y), "");
  expectData(y, {1, 3, 2}, {3.5f, 4.75f, 0.5f, 1.75f, 3.5f, 4.75f});
  // An operand of another size than the tables are for is an error.
  EXPECT_NE(op.run({{{1, 2, 4}, iota(8)}}, y), "");
}

TEST(DigitalOps, MatMulBroadcastsBatch) {
  // A [2, 1, 2] = [[0 1]], [[2 3]] times B [2, 2] = [[0 1] [2 3]] (B
  // broadcast over A's batch): [0*0+1*2, 0*1+1*3] = [2 3] and
  // [2*0+3*2, 2*1+3*3] = [6 11]. Both modes compute the same values.
  for (const char *mode : {"digital", "reprogram"}) {
    OneOp op(OpCode::MatMul, {{2, 1, 2}, {2, 2}}, {2, 1, 2});
    op.I.mode = mode;
    sim::Tensor y;
    ASSERT_EQ(op.run({{{2, 1, 2}, iota(4)}, {{2, 2}, iota(4)}}, y), "");
    expectData(y, {2, 1, 2}, {2, 3, 6, 11});
  }
  // Fixed point quantizes A to the input bits and B to the weight bits,
  // one scale each. With 3 bits (codes up to 3): A = [1 2] has scale 2/3 and
  // codes round(1.5) = 2, 3; B = [3 1]^T scale 1, codes 3, 1. The codes'
  // product 2*3 + 3*1 = 9 times 2/3 is 6 (exactly, 1*3 + 2*1 = 5).
  for (const char *mode : {"digital", "reprogram"}) {
    OneOp op(OpCode::MatMul, {{1, 2}, {2, 1}}, {1, 1});
    op.P.hw.inputBits = 3;
    op.P.hw.weightBits = 3;
    op.I.mode = mode;
    sim::Tensor y;
    ASSERT_EQ(op.run({{{1, 2}, {1, 2}}, {{2, 1}, {3, 1}}}, y,
                     sim::Arithmetic::FixedPoint),
              "");
    expectData(y, {1, 1}, {6});
  }
  // Inner dims that differ are an error, not a crash.
  OneOp bad(OpCode::MatMul, {{2, 3}, {2, 2}}, {2, 2});
  bad.I.mode = "digital";
  sim::Tensor y;
  EXPECT_NE(bad.run({{{2, 3}, iota(6)}, {{2, 2}, iota(4)}}, y), "");
}

TEST(DigitalOps, GatherAxis) {
  // data [3, 2] = [[0 1] [2 3] [4 5]]; indices [2, 2] = [[2 -1] [0 1]] on
  // axis 0 pick rows 2, 2 (-1 + 3), 0, 1: [[[4 5] [4 5]] [[0 1] [2 3]]].
  OneOp rows(OpCode::Gather, {{3, 2}, {2, 2}}, {2, 2, 2});
  rows.I.mode = "axis";
  sim::Tensor y;
  ASSERT_EQ(rows.run({{{3, 2}, iota(6)}, {{2, 2}, {2, -1, 0, 1}}}, y), "");
  expectData(y, {2, 2, 2}, {4, 5, 4, 5, 0, 1, 2, 3});
  // On axis 1 by [1, 1, 0]: columns 1, 1, 0 of each row.
  OneOp cols(OpCode::Gather, {{3, 2}, {3}}, {3, 3});
  cols.I.mode = "axis";
  cols.I.axis = 1;
  ASSERT_EQ(cols.run({{{3, 2}, iota(6)}, {{3}, {1, 1, 0}}}, y), "");
  expectData(y, {3, 3}, {1, 1, 0, 3, 3, 2, 5, 5, 4});
  // 3 and -4 are outside [-3, 2]; 0.5 is no integer: one error each, naming
  // the indices element.
  EXPECT_NE(rows.run({{{3, 2}, iota(6)}, {{2, 2}, {0, 0, 3, 0}}}, y)
                .find("indices element 2 is 3, out of range [-3, 2] of data "
                      "axis 0 (size 3)"),
            std::string::npos);
  EXPECT_NE(rows.run({{{3, 2}, iota(6)}, {{2, 2}, {-4, 0, 0, 0}}}, y)
                .find("indices element 0 is -4, out of range"),
            std::string::npos);
  EXPECT_NE(rows.run({{{3, 2}, iota(6)}, {{2, 2}, {0, 0.5f, 0, 0}}}, y)
                .find("indices element 1 is 0.5, not an integer"),
            std::string::npos);
}

TEST(DigitalOps, GatherElementsAndND) {
  // GatherElements on axis 1: data [[0 1 2] [3 4 5]], indices [[2 0]
  // [-1 1]] give [[2 0] [5 4]] (indices may be narrower than data).
  OneOp elements(OpCode::Gather, {{2, 3}, {2, 2}}, {2, 2});
  elements.I.mode = "elements";
  elements.I.axis = 1;
  sim::Tensor y;
  ASSERT_EQ(elements.run({{{2, 3}, iota(6)}, {{2, 2}, {2, 0, -1, 1}}}, y), "");
  expectData(y, {2, 2}, {2, 0, 5, 4});
  // GatherND, batch_dims 0: data [2, 2, 2] = 0..7, tuples [[1 0] [0 1]]
  // pick the rows data[1][0] = [4 5] and data[0][1] = [2 3].
  OneOp nd(OpCode::Gather, {{2, 2, 2}, {2, 2}}, {2, 2});
  nd.I.mode = "nd";
  ASSERT_EQ(nd.run({{{2, 2, 2}, iota(8)}, {{2, 2}, {1, 0, 0, 1}}}, y), "");
  expectData(y, {2, 2}, {4, 5, 2, 3});
  // batch_dims 1: batch b picks data[b][i] by tuple (i): [[1] [0]] gives
  // data[0][1] = [2 3] and data[1][0] = [4 5].
  OneOp batched(OpCode::Gather, {{2, 2, 2}, {2, 1}}, {2, 2});
  batched.I.mode = "nd";
  batched.I.axis = 1;
  ASSERT_EQ(batched.run({{{2, 2, 2}, iota(8)}, {{2, 1}, {1, 0}}}, y), "");
  expectData(y, {2, 2}, {2, 3, 4, 5});
  // A tuple entry past its dimension names the element.
  EXPECT_NE(nd.run({{{2, 2, 2}, iota(8)}, {{2, 2}, {1, 0, 0, 2}}}, y)
                .find("indices element 3 is 2, out of range [-2, 1] of data "
                      "axis 1"),
            std::string::npos);
}

} // namespace
