//===- CountProgramTest.cpp - shapes and counts without running -----------===//
//
// model::instructionShape on every opcode against shapes computed by hand,
// model::declaredInputShapes, and model::countProgram (--cost-only) against
// the counts sim::run makes on the same program.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "rebocc/Model/CountProgram.h"
#include "rebocc/Sim/Interpreter.h"

#include <gtest/gtest.h>

#include <set>

using namespace rebocc;
using model::Shape;
using program::Instruction;
using program::OpCode;
using test::inst;

namespace {

/// instructionShape of `I` in `P` on `operands`; returns the message or "".
std::string shapeOf(const program::Program &P, const Instruction &I,
                    const std::vector<Shape> &operands, Shape &out) {
  std::vector<const Shape *> ptrs;
  for (const Shape &s : operands)
    ptrs.push_back(&s);
  out.clear();
  return model::instructionShape(P, I, ptrs, out);
}

/// Expects `I` on `operands` to give `expected`.
void expectShape(const program::Program &P, const Instruction &I,
                 const std::vector<Shape> &operands, const Shape &expected) {
  Shape out;
  std::string e = shapeOf(P, I, operands, out);
  EXPECT_EQ(e, "") << program::opcodeName(I.op);
  EXPECT_EQ(out, expected) << program::opcodeName(I.op);
}

/// Expects `I` on `operands` to fail with a message containing `part`.
void expectError(const program::Program &P, const Instruction &I,
                 const std::vector<Shape> &operands, const std::string &part) {
  Shape out;
  std::string e = shapeOf(P, I, operands, out);
  EXPECT_NE(e.find(part), std::string::npos)
      << program::opcodeName(I.op) << ": '" << e << "'";
}

Instruction pool(OpCode op, Shape kernel, Shape strides, Shape pads,
                 Shape dilations, bool ceil) {
  Instruction I = inst(op, {0}, 1);
  I.kernel = kernel;
  I.strides = strides;
  I.pads = pads;
  I.dilations = dilations;
  I.ceilMode = ceil;
  return I;
}

TEST(InstructionShape, Crossbar) {
  model::HardwareDesc hw;
  program::Program P;
  P.hw = hw;
  P.layers.push_back(test::makeLayer("fc", 10, 20, 4, 1, program::Mapping::A,
                                     false, hw, 1));
  // Conv 3 -> 4 channels, 3x3 kernel, stride 2, pad 1:
  // Ho = floor((9 + 2 - 3) / 2) + 1 = 5, Wo = floor((7 + 2 - 3) / 2) + 1 = 4.
  test::ConvGeometry g;
  g.kernelH = g.kernelW = 3;
  g.strideH = g.strideW = 2;
  g.padTop = g.padLeft = g.padBottom = g.padRight = 1;
  P.layers.push_back(test::makeConvLayer("conv", 4, 3, 1, 1,
                                         program::Mapping::A, false, g, hw, 2));
  Instruction fc = inst(OpCode::Crossbar, {0}, 1);
  fc.index = 0;
  expectShape(P, fc, {{3, 20}}, {3, 10});
  expectShape(P, fc, {{20}}, {10});
  expectError(P, fc, {{3, 19}}, "expects n = 20");
  expectError(P, fc, {{1, 1, 20}}, "rank 1 or 2");
  Instruction conv = inst(OpCode::Crossbar, {0}, 1);
  conv.index = 1;
  expectShape(P, conv, {{2, 3, 9, 7}}, {2, 4, 5, 4});
  expectError(P, conv, {{2, 4, 9, 7}}, "expects groups*n = 3");
  expectError(P, conv, {{2, 3, 9}}, "rank 4");
  conv.index = 2;
  expectError(P, conv, {{2, 3, 9, 7}}, "layer index 2 out of range");
}

TEST(InstructionShape, Elementwise) {
  program::Program P;
  for (OpCode op : {OpCode::Relu, OpCode::Sigmoid, OpCode::Identity,
                    OpCode::Clip, OpCode::LeakyRelu, OpCode::HardSigmoid,
                    OpCode::HardSwish}) {
    expectShape(P, inst(op, {0}, 1), {{2, 3, 5}}, {2, 3, 5});
    expectShape(P, inst(op, {0}, 1), {{}}, {});
  }
  Instruction softmax = inst(OpCode::Softmax, {0}, 1);
  softmax.axis = 1;
  expectShape(P, softmax, {{4, 7}}, {4, 7});
  softmax.axis = 2;
  expectError(P, softmax, {{4, 7}}, "softmax axis 2 out of range for input [4,7]");
  // Arity is checked.
  expectError(P, inst(OpCode::Relu, {0, 1}, 2), {{1}, {1}},
              "relu takes 1 operands, has 2");
}

TEST(InstructionShape, Broadcasting) {
  program::Program P;
  Instruction add = inst(OpCode::Add, {0, 1}, 2);
  expectShape(P, add, {{2, 1, 4}, {3, 1}}, {2, 3, 4});
  expectShape(P, add, {{5, 6}, {5, 6}}, {5, 6});
  expectError(P, add, {{2, 3}, {4}}, "shapes [2,3] and [4] do not broadcast");
  Instruction mul = inst(OpCode::Mul, {0, 1}, 2);
  expectShape(P, mul, {{5}, {}}, {5});
  expectShape(P, mul, {{1}, {3, 1, 2}}, {3, 1, 2});
  // PRelu: the slope broadcasts to x, never x to the slope.
  Instruction prelu = inst(OpCode::PRelu, {0, 1}, 2);
  expectShape(P, prelu, {{2, 3, 4, 4}, {3, 1, 1}}, {2, 3, 4, 4});
  expectShape(P, prelu, {{2, 3}, {}}, {2, 3});
  expectError(P, prelu, {{2, 3}, {5}}, "slope [5] does not broadcast to x [2,3]");
  expectError(P, prelu, {{3}, {2, 3}}, "does not broadcast to x [3]");
}

TEST(InstructionShape, ReshapeFlattenConstant) {
  program::Program P;
  Instruction reshape = inst(OpCode::Reshape, {0}, 1);
  reshape.shape = {0, -1};
  expectShape(P, reshape, {{2, 3, 4}}, {2, 12});
  reshape.shape = {-1, 4, 3};
  expectShape(P, reshape, {{2, 12}}, {2, 4, 3});
  reshape.shape = {6};
  expectShape(P, reshape, {{2, 3}}, {6});
  reshape.shape = {7};
  expectError(P, reshape, {{2, 3}}, "cannot reshape [2,3] (6 elements) to [7]");
  reshape.shape = {-1, 4};
  expectError(P, reshape, {{2, 3}}, "cannot reshape [2,3] to [-1,4]");
  reshape.shape = {0, 0, 0};
  expectError(P, reshape, {{2, 3}}, "reshape dimension 2 is 0 (copy)");

  Instruction flatten = inst(OpCode::Flatten, {0}, 1);
  flatten.axis = 2;
  expectShape(P, flatten, {{2, 3, 4, 5}}, {6, 20});
  flatten.axis = 0;
  expectShape(P, flatten, {{2, 3, 4, 5}}, {1, 120});
  flatten.axis = 4;
  expectShape(P, flatten, {{2, 3, 4, 5}}, {120, 1});
  flatten.axis = 5;
  expectError(P, flatten, {{2, 3, 4, 5}}, "flatten axis 5 out of range");

  P.constants.push_back({"c", {3, 1, 2}, std::vector<float>(6)});
  Instruction constant = inst(OpCode::Constant, {}, 0);
  constant.index = 0;
  expectShape(P, constant, {}, {3, 1, 2});
  constant.index = 1;
  expectError(P, constant, {}, "constant index 1 out of range");
}

TEST(InstructionShape, Pooling) {
  program::Program P;
  // floor((5 - 2) / 2) + 1 = 2; ceil: 3.
  expectShape(P, pool(OpCode::MaxPool, {2, 2}, {2, 2}, {0, 0, 0, 0}, {1, 1}, false),
              {{1, 1, 5, 5}}, {1, 1, 2, 2});
  expectShape(P, pool(OpCode::MaxPool, {2, 2}, {2, 2}, {0, 0, 0, 0}, {1, 1}, true),
              {{1, 1, 5, 5}}, {1, 1, 3, 3});
  // Ceil mode: width 4 + end pad 1, kernel 2, stride 2 would give 3, but the
  // third window would start at 4, in the trailing padding: 2.
  expectShape(P, pool(OpCode::MaxPool, {1, 2}, {1, 2}, {0, 0, 0, 1}, {1, 1}, true),
              {{1, 1, 1, 4}}, {1, 1, 1, 2});
  // Dilation 2, kernel 3: span 5 on 7 -> 3; with stride 1 on 9 x 8 -> 5 x 4.
  expectShape(P, pool(OpCode::MaxPool, {3, 3}, {1, 1}, {0, 0, 0, 0}, {2, 2}, false),
              {{2, 3, 9, 8}}, {2, 3, 5, 4});
  // Average, kernel 3, stride 2, pads 1: floor((8 + 2 - 3) / 2) + 1 = 4,
  // floor((6 + 2 - 3) / 2) + 1 = 3.
  expectShape(P, pool(OpCode::AveragePool, {3, 3}, {2, 2}, {1, 1, 1, 1}, {1, 1}, false),
              {{2, 3, 8, 6}}, {2, 3, 4, 3});
  expectError(P, pool(OpCode::AveragePool, {3, 3}, {1, 1}, {0, 0, 0, 0}, {1, 1}, false),
              {{1, 1, 2, 5}}, "pooling window 3x3 (dilations 1x1, with pads) does not fit input [1,1,2,5]");
  expectError(P, pool(OpCode::MaxPool, {2, 2}, {1, 1}, {0, 0, 0, 0}, {1, 1}, false),
              {{1, 4, 4}}, "pooling input must have rank 4");

  Instruction gap = inst(OpCode::GlobalAveragePool, {0}, 1);
  expectShape(P, gap, {{2, 3, 7, 5}}, {2, 3, 1, 1});
  expectShape(P, gap, {{2, 3, 7}}, {2, 3, 1});
  expectError(P, gap, {{2, 3}}, "global_average_pool input must have rank >= 3");
}

TEST(InstructionShape, ConcatPadTranspose) {
  program::Program P;
  Instruction concat = inst(OpCode::Concat, {0, 1, 2}, 3);
  concat.axis = 1;
  expectShape(P, concat, {{2, 3, 4}, {2, 5, 4}, {2, 1, 4}}, {2, 9, 4});
  concat.axis = 2;
  expectShape(P, concat, {{2, 3, 4}, {2, 3, 1}, {2, 3, 2}}, {2, 3, 7});
  concat.axis = 1;
  expectError(P, concat, {{2, 3, 4}, {2, 5, 5}, {2, 1, 4}},
              "concat operands [2,3,4] and [2,5,5] differ outside axis 1");
  concat.axis = 3;
  expectError(P, concat, {{2, 3, 4}, {2, 3, 4}, {2, 3, 4}},
              "concat axis 3 out of range");

  Instruction pad = inst(OpCode::Pad, {0}, 1);
  pad.mode = "constant";
  pad.pads = {0, 1, 2, 0, 3, 4};
  expectShape(P, pad, {{1, 2, 3}}, {1, 6, 9});
  pad.mode = "reflect";
  pad.pads = {0, 1, 2, 0, 1, 2};
  expectShape(P, pad, {{1, 2, 3}}, {1, 4, 7});
  pad.pads = {0, 2, 0, 0, 0, 0};
  expectError(P, pad, {{1, 2, 3}}, "reflect padding of 2,0 needs dimension 1");
  pad.mode = "edge";
  expectShape(P, pad, {{1, 2, 3}}, {1, 4, 3});
  expectError(P, pad, {{1, 0, 3}}, "edge padding of 2,0 needs dimension 1");
  pad.pads = {1, 1};
  expectError(P, pad, {{1, 2, 3}}, "pad needs 2 x rank pads");

  Instruction transpose = inst(OpCode::Transpose, {0}, 1);
  transpose.perm = {2, 0, 1};
  expectShape(P, transpose, {{2, 3, 4}}, {4, 2, 3});
  transpose.perm = {0, 1};
  expectError(P, transpose, {{2, 3, 4}}, "perm does not match input [2,3,4]");
}

TEST(InstructionShape, Reductions) {
  program::Program P;
  Instruction sum = inst(OpCode::ReduceSum, {0}, 1);
  sum.axes = {0, 2};
  expectShape(P, sum, {{2, 3, 4}}, {1, 3, 1});
  sum.axes = {3};
  expectError(P, sum, {{2, 3, 4}},
              "reduction axes do not match input [2,3,4]");
  Instruction norm = inst(OpCode::Normalize, {0}, 1);
  norm.axis = 2;
  expectShape(P, norm, {{2, 3, 4}}, {2, 3, 4});
  norm.axis = 3;
  expectError(P, norm, {{2, 3, 4}},
              "normalize axis 3 out of range for input [2,3,4]");
  Instruction slice = inst(OpCode::Slice, {0}, 1);
  slice.axes = {2};
  slice.starts = {1};
  slice.ends = {3};
  expectShape(P, slice, {{2, 3, 4}}, {2, 3, 2});
  slice.ends = {5};
  expectError(P, slice, {{2, 3, 4}},
              "slice [1, 5) of axis 2 does not fit input [2,3,4]");
  Instruction resize = inst(OpCode::Resize, {0}, 1);
  resize.axes = {1};
  resize.from = {3};
  resize.to = {6};
  resize.taps = {1};
  expectShape(P, resize, {{2, 3, 4}}, {2, 6, 4});
  expectError(P, resize, {{2, 5, 4}},
              "resize of axis 1 is for size 3, not input [2,5,4]");
}

// The tests above cover every opcode; the program of the CountProgram
// tests below runs every opcode too (checked here, so a new opcode fails
// until it has a case there and in instructionShape).
program::Program everyOpcodeProgram(const model::HardwareDesc &hw);

TEST(InstructionShape, EveryOpcodeIsInTheCountedProgram) {
  std::set<OpCode> ops;
  for (const Instruction &I : everyOpcodeProgram(model::HardwareDesc()).instructions)
    ops.insert(I.op);
  for (int op = 0; op <= static_cast<int>(program::kLastOpCode); ++op)
    EXPECT_TRUE(ops.count(static_cast<OpCode>(op)))
        << program::opcodeName(static_cast<OpCode>(op));
}

// The instructions one run visits: an outer if (then = 3: an inner if with
// one instruction per branch, and 4; else = 1: 5), then 6. Listed by hand
// for each choice of the two conditions.
TEST(BranchCursor, VisitsTheTakenBranchesOnly) {
  program::Program P;
  Instruction outer = inst(OpCode::If, {0}, 1), innerIf = inst(OpCode::If, {0}, 2);
  outer.thenCount = 4;
  outer.elseCount = 1;
  innerIf.thenCount = 1;
  innerIf.elseCount = 1;
  Instruction other = inst(OpCode::Relu, {0}, 3);
  P.instructions = {outer, innerIf, other, other, other, other, other};
  auto visit = [&](bool outerThen, bool innerThen) {
    program::BranchCursor cursor(P);
    std::vector<size_t> seen;
    for (size_t i = 0; i < P.instructions.size();
         i = cursor.next(i, i == 0 ? outerThen : innerThen))
      seen.push_back(i);
    return seen;
  };
  EXPECT_EQ(visit(true, true), (std::vector<size_t>{0, 1, 2, 4, 6}));
  EXPECT_EQ(visit(true, false), (std::vector<size_t>{0, 1, 3, 4, 6}));
  EXPECT_EQ(visit(false, true), (std::vector<size_t>{0, 5, 6}));
}

TEST(InstructionShape, ResultCheckedAgainstDeclaredShape) {
  program::Program P;
  P.values = {{"x", {-1, 3}}, {"y", {-1, 4}}};
  Shape x = {2, 3}, out;
  std::string e = model::instructionResultShape(
      P, inst(OpCode::Relu, {0}, 1), {&x}, out);
  EXPECT_EQ(e, "result shape [2,3] does not match the program's shape [-1,4] "
               "(-1 = any size)");
}

TEST(DeclaredInputShapes, BatchBecomesOneOtherDynamicDimsAreErrors) {
  program::Program P;
  P.values = {{"x", {-1, 784}}, {"s", {3, 2}}, {"img", {-1, 1, -1, 28}},
              {"v", {-1}}, {"seq", {-1, -1, 16}}};
  std::vector<Shape> shapes;
  std::string error;
  P.inputs = {0, 1};
  ASSERT_TRUE(model::declaredInputShapes(P, shapes, error)) << error;
  EXPECT_EQ(shapes, (std::vector<Shape>{{1, 784}, {3, 2}}));
  P.inputs = {0, 2};
  EXPECT_FALSE(model::declaredInputShapes(P, shapes, error));
  EXPECT_EQ(error, "input 1 ('img'): dimension 2 of its shape [-1,1,-1,28] "
                   "is unknown; give --input FILE, or fix it when compiling "
                   "with rebocc --input-shape img=D0xD1x... or --dim "
                   "SYMBOL=VALUE");
  // The importer leaves the leading dimension of any rank open as the
  // batch, and rebocc --cost-only counts it as 1: so does a program.
  P.inputs = {3};
  ASSERT_TRUE(model::declaredInputShapes(P, shapes, error)) << error;
  EXPECT_EQ(shapes, (std::vector<Shape>{{1}}));
  // Dimension 1 is the batch only when dimensions 0 and 2 are known.
  P.inputs = {4};
  EXPECT_FALSE(model::declaredInputShapes(P, shapes, error));
  EXPECT_NE(error.find("input 0 ('seq'): dimension 1 of its shape "
                       "[-1,-1,16] is unknown"),
            std::string::npos)
      << error;
}

// A program input's declared shape (format 10) is what is counted: the
// image size the model was made for, though the program leaves it open.
TEST(DeclaredInputShapes, DeclaredShapeFixesImageSizes) {
  program::Program P;
  P.values = {{"img", {-1, 1, -1, -1}}};
  P.inputs = {0};
  std::vector<Shape> shapes;
  std::string error;
  EXPECT_FALSE(model::declaredInputShapes(P, shapes, error));
  P.values[0].declared = Shape{-1, 1, 28, 32};
  ASSERT_TRUE(model::declaredInputShapes(P, shapes, error)) << error;
  EXPECT_EQ(shapes, (std::vector<Shape>{{1, 1, 28, 32}}));
  // One still open (a program from hand-written crossbar IR): the error
  // names the input, the dimension and the flags.
  P.values[0].declared = Shape{-1, 1, 28, -1};
  EXPECT_FALSE(model::declaredInputShapes(P, shapes, error));
  EXPECT_EQ(error, "input 0 ('img'): dimension 3 of its declared shape "
                   "[-1,1,28,-1] is unknown; give --input FILE, or fix it "
                   "when compiling with rebocc --input-shape "
                   "img=D0xD1x... or --dim SYMBOL=VALUE");
}

// A (sequence, batch, features) input: its -1 is the batch wherever it is;
// the run's inferences are that dimension, not the leading sequence.
TEST(DeclaredInputShapes, BatchAtDimensionOneOfASequenceInput) {
  program::Program P;
  P.values = {{"x", {5, -1, 16}}, {"y", {5, -1, 16}}};
  P.inputs = {0};
  P.outputs = {1};
  P.instructions = {inst(OpCode::Relu, {0}, 1)};
  std::vector<Shape> shapes;
  std::string error;
  ASSERT_TRUE(model::declaredInputShapes(P, shapes, error)) << error;
  EXPECT_EQ(shapes, (std::vector<Shape>{{5, 1, 16}}));
  model::RunReport counted;
  ASSERT_TRUE(model::countProgram(P, {{5, 3, 16}}, counted, error)) << error;
  EXPECT_EQ(counted.batch, 3);
  EXPECT_EQ(counted.inputElements, 5 * 3 * 16);
  // A static input keeps the leading dimension as its batch.
  P.values = {{"x", {5, 3, 16}}, {"y", {5, 3, 16}}};
  ASSERT_TRUE(model::countProgram(P, {{5, 3, 16}}, counted, error)) << error;
  EXPECT_EQ(counted.batch, 5);
}

//===----------------------------------------------------------------------===//
// countProgram against sim::run
//===----------------------------------------------------------------------===//

void expectSameLayer(const model::LayerReport &a, const model::LayerReport &b) {
  SCOPED_TRACE(a.name);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.blockSize, b.blockSize);
  EXPECT_EQ(a.mapping, b.mapping);
  EXPECT_EQ(a.dup, b.dup);
  EXPECT_EQ(a.crossbars, b.crossbars);
  EXPECT_EQ(a.uOcc, b.uOcc);
  EXPECT_EQ(a.uUniq, b.uUniq);
  EXPECT_EQ(a.steps, b.steps);
  EXPECT_EQ(a.vectors, b.vectors);
  EXPECT_EQ(a.xbarActivations, b.xbarActivations);
  EXPECT_EQ(a.adcConversions, b.adcConversions);
  EXPECT_EQ(a.bufferReads, b.bufferReads);
  EXPECT_EQ(a.bufferWrites, b.bufferWrites);
  EXPECT_EQ(a.bufferWords, b.bufferWords);
  EXPECT_EQ(a.rotations, b.rotations);
  EXPECT_EQ(a.reductionAdds, b.reductionAdds);
  EXPECT_EQ(a.occupiedCells, b.occupiedCells);
  EXPECT_EQ(a.uniqueCells, b.uniqueCells);
  EXPECT_EQ(a.capacityCells, b.capacityCells);
}

void expectSameReport(const model::RunReport &run,
                      const model::RunReport &counted) {
  EXPECT_EQ(counted.arithmetic, "cost-only");
  EXPECT_EQ(run.hwName, counted.hwName);
  ASSERT_EQ(run.layers.size(), counted.layers.size());
  for (size_t l = 0; l < run.layers.size(); ++l)
    expectSameLayer(run.layers[l], counted.layers[l]);
  expectSameLayer(run.total, counted.total);
  ASSERT_EQ(run.digital.size(), counted.digital.size());
  for (size_t d = 0; d < run.digital.size(); ++d) {
    SCOPED_TRACE(run.digital[d].name);
    EXPECT_EQ(run.digital[d].name, counted.digital[d].name);
    EXPECT_EQ(run.digital[d].op, counted.digital[d].op);
    EXPECT_EQ(run.digital[d].inputElements, counted.digital[d].inputElements);
    EXPECT_EQ(run.digital[d].outputElements, counted.digital[d].outputElements);
    EXPECT_EQ(run.digital[d].afterLayer, counted.digital[d].afterLayer);
    EXPECT_EQ(run.digital[d].mode, counted.digital[d].mode);
    EXPECT_EQ(run.digital[d].vectors, counted.digital[d].vectors);
    EXPECT_EQ(run.digital[d].matrices, counted.digital[d].matrices);
  }
  EXPECT_EQ(run.batch, counted.batch);
  EXPECT_EQ(run.inputElements, counted.inputElements);
  EXPECT_EQ(run.outputElements, counted.outputElements);
}

/// Two convolutions and three fully connected layers on shared inputs (the
/// second of each pair finds its buffer filled; a different k does not),
/// and every digital opcode.
program::Program everyOpcodeProgram(const model::HardwareDesc &hw) {
  program::Program P;
  P.hw = hw;
  test::ConvGeometry g;
  g.kernelH = g.kernelW = 3;
  g.padTop = g.padLeft = g.padBottom = g.padRight = 1;
  P.layers = {
      test::makeConvLayer("c1", 4, 3, 1, 1, program::Mapping::A, true, g, hw, 1),
      test::makeConvLayer("c2", 4, 3, 1, 1, program::Mapping::A, true, g, hw, 3),
      test::makeLayer("fc1", 6, 4, 2, 1, program::Mapping::A, true, hw, 5),
      test::makeLayer("fc2", 6, 4, 2, 2, program::Mapping::B, true, hw, 7),
      test::makeLayer("fc3", 6, 4, 1, 1, program::Mapping::A, true, hw, 9),
      // The recurrent layers of the lstm (H = 10) and the gru (H = 2,
      // without linear_before_reset: z and r, then h).
      test::makeLayer("rl", 40, 10, 1, 1, program::Mapping::A, false, hw, 13),
      test::makeLayer("rzr", 4, 2, 1, 1, program::Mapping::A, false, hw, 14),
      test::makeLayer("rh", 2, 2, 1, 1, program::Mapping::A, false, hw, 15)};
  P.constants = {{"scale", {18}, test::randomVector(18, 11)},
                 {"slope", {5}, test::randomVector(5, 12)},
                 {"h0l", {1, 10}, test::randomVector(10, 16)},
                 {"c0l", {1, 10}, test::randomVector(10, 17)},
                 {"h0g", {1, 2}, test::randomVector(2, 18)},
                 {"one", {1}, {1.0f}},
                 {"idx", {2}, {1.0f, 0.0f}}};
  P.values = {{"x", {-1, 3, -1, -1}},  // 0
              {"c1", {-1, 4, -1, -1}}, // 1
              {"c2", {-1, 4, -1, -1}}, // 2
              {"a", {-1, 4, -1, -1}},  // 3
              {"r", {-1, 4, -1, -1}},  // 4
              {"mp", {-1, 4, -1, -1}}, // 5
              {"ap", {-1, 4, -1, -1}}, // 6
              {"g", {-1, 4, 1, 1}},    // 7
              {"f", {-1, 4}},          // 8
              {"fc1", {-1, 6}},        // 9
              {"fc2", {-1, 6}},        // 10
              {"fc3", {-1, 6}},        // 11
              {"cat", {-1, 18}},       // 12
              {"sm", {-1, 18}},        // 13
              {"scale", {18}},         // 14
              {"mul", {-1, 18}},       // 15
              {"rs", {-1, 3, 6}},      // 16
              {"tr", {-1, 6, 3}},      // 17
              {"pd", {-1, 8, 5}},      // 18
              {"cl", {-1, 8, 5}},      // 19
              {"lr", {-1, 8, 5}},      // 20
              {"hsig", {-1, 8, 5}},    // 21
              {"hsw", {-1, 8, 5}},     // 22
              {"sig", {-1, 8, 5}},     // 23
              {"id", {-1, 8, 5}},      // 24
              {"slope", {5}},          // 25
              {"pr", {-1, 8, 5}},      // 26
              {"fl", {-1, 40}},        // 27
              // The elementwise opcodes, a side chain from "id" (24).
              {"abs", {-1, 8, 5}}, {"sqrt", {-1, 8, 5}},   // 28, 29
              {"exp", {-1, 8, 5}}, {"log", {-1, 8, 5}},    // 30, 31
              {"erf", {-1, 8, 5}}, {"tanh", {-1, 8, 5}},   // 32, 33
              {"neg", {-1, 8, 5}}, {"gelu", {-1, 8, 5}},   // 34, 35
              {"gelut", {-1, 8, 5}}, {"not", {-1, 8, 5}},  // 36, 37
              {"pow", {-1, 8, 5}}, {"min", {-1, 8, 5}},    // 38, 39
              {"max", {-1, 8, 5}}, {"eq", {-1, 8, 5}},     // 40, 41
              {"gt", {-1, 8, 5}}, {"ge", {-1, 8, 5}},      // 42, 43
              {"and", {-1, 8, 5}}, {"or", {-1, 8, 5}},     // 44, 45
              {"where", {-1, 8, 5}},                       // 46
              {"rmax", {-1, 1, 5}}, {"rmin", {-1, 8, 1}},  // 47, 48
              {"rsum", {-1, 1, 1}}, {"lsm", {-1, 8, 5}},   // 49, 50
              {"norm", {-1, 8, 5}}, {"slice", {-1, 3, 2}},  // 51, 52
              {"resize", {-1, 8, 2}},                      // 53
              {"where_t", {-1, 5, 8}}, {"mm", {-1, 8, 8}},  // 54, 55
              // Recurrent cells over the batch as time steps (B = 1):
              // an lstm on "fl" (T x 40), a gru on "fc1" (T x 6).
              {"h0l", {1, 10}}, {"c0l", {1, 10}},          // 56, 57
              {"lstm", {-1, 1, 10}}, {"h0g", {1, 2}},      // 58, 59
              {"gru", {-1, 1, 2}},                         // 60
              {"round", {-1, 8, 5}}, {"div", {-1, 8, 5}},  // 61, 62
              // An if on a constant true: the then branch (a relu) runs,
              // the else branch (a neg) is skipped, a phi passes it on.
              {"one", {1}}, {"taken", {1}},                // 63, 64
              {"then", {-1, 8, 5}}, {"else", {-1, 8, 5}},  // 65, 66
              {"phi", {-1, 8, 5}},                         // 67
              {"cast", {-1, 8, 5}},                        // 68
              // A gather of rows 1 and 0 of "where" along axis 1.
              {"idx", {2}}, {"gather", {-1, 2, 5}},        // 69, 70
              {"xor", {-1, 8, 5}},                         // 71
              {"elu", {-1, 8, 5}},                         // 72
              {"fma", {-1, 8, 5}}};                        // 73
  P.inputs = {0};
  P.outputs = {6, 26, 27};
  auto layer = [](int operand, int result, int64_t index) {
    Instruction I = inst(OpCode::Crossbar, {operand}, result);
    I.index = index;
    return I;
  };
  Instruction mp = pool(OpCode::MaxPool, {2, 2}, {2, 2}, {0, 0, 0, 0}, {1, 1}, true);
  mp.operands = {4};
  mp.result = 5;
  Instruction ap = pool(OpCode::AveragePool, {3, 3}, {1, 1}, {1, 1, 1, 1}, {1, 1}, false);
  ap.operands = {5};
  ap.result = 6;
  Instruction flat = inst(OpCode::Flatten, {7}, 8);
  flat.axis = 1;
  Instruction cat = inst(OpCode::Concat, {9, 10, 11}, 12);
  cat.axis = 1;
  Instruction sm = inst(OpCode::Softmax, {12}, 13);
  sm.axis = 1;
  Instruction scale = inst(OpCode::Constant, {}, 14);
  scale.index = 0;
  Instruction rs = inst(OpCode::Reshape, {15}, 16);
  rs.shape = {0, 3, -1};
  Instruction tr = inst(OpCode::Transpose, {16}, 17);
  tr.perm = {0, 2, 1};
  Instruction pd = inst(OpCode::Pad, {17}, 18);
  pd.mode = "reflect";
  pd.pads = {0, 1, 0, 0, 1, 2};
  Instruction cl = inst(OpCode::Clip, {18}, 19);
  cl.alpha = -0.5f;
  cl.beta = 0.5f;
  Instruction lr = inst(OpCode::LeakyRelu, {19}, 20);
  lr.alpha = 0.1f;
  Instruction hsig = inst(OpCode::HardSigmoid, {20}, 21);
  hsig.alpha = 0.2f;
  hsig.beta = 0.5f;
  Instruction slope = inst(OpCode::Constant, {}, 25);
  slope.index = 1;
  Instruction fl = inst(OpCode::Flatten, {24}, 27);
  fl.axis = 1;
  Instruction rmax = inst(OpCode::ReduceMax, {46}, 47);
  rmax.axes = {1};
  Instruction rmin = inst(OpCode::ReduceMin, {46}, 48);
  rmin.axes = {2};
  Instruction rsum = inst(OpCode::ReduceSum, {46}, 49);
  rsum.axes = {1, 2};
  Instruction lsm = inst(OpCode::LogSoftmax, {46}, 50);
  lsm.axis = 2;
  Instruction norm = inst(OpCode::Normalize, {46}, 51);
  norm.axis = 1;
  norm.alpha = 1e-5f;
  Instruction sl = inst(OpCode::Slice, {46}, 52);
  sl.axes = {1, 2};
  sl.starts = {2, 3};
  sl.ends = {5, 5};
  Instruction rz = inst(OpCode::Resize, {46}, 53);
  rz.axes = {2};
  rz.from = {5};
  rz.to = {2};
  rz.taps = {2};
  rz.sources = {0, 1, 3, 4};
  rz.weights = {0.5f, 0.5f, 0.25f, 0.75f};
  Instruction wt = inst(OpCode::Transpose, {46}, 54);
  wt.perm = {0, 2, 1};
  Instruction mm = inst(OpCode::MatMul, {46, 54}, 55);
  mm.mode = "reprogram";
  auto constant = [](int64_t index, int result) {
    Instruction I = inst(OpCode::Constant, {}, result);
    I.index = index;
    return I;
  };
  Instruction lstm = inst(OpCode::Lstm, {27, 56, 57}, 58);
  lstm.layers = {5};
  lstm.alpha = 3.0f;
  Instruction gru = inst(OpCode::Gru, {9, 59}, 60);
  gru.layers = {6, 7};
  gru.reverse = true;
  Instruction toInt8 = inst(OpCode::Cast, {46}, 68);
  toInt8.mode = "int8";
  Instruction gather = inst(OpCode::Gather, {46, 69}, 70);
  gather.mode = "axis";
  gather.axis = 1;
  Instruction elu = inst(OpCode::Unary, {71}, 72);
  elu.mode = "elu";
  elu.alpha = 1.0f;
  Instruction branch = inst(OpCode::If, {63}, 64);
  branch.thenCount = 1;
  branch.elseCount = 1;
  P.instructions = {layer(0, 1, 0),
                    layer(0, 2, 1),
                    inst(OpCode::Add, {1, 2}, 3),
                    inst(OpCode::Relu, {3}, 4),
                    mp,
                    ap,
                    inst(OpCode::GlobalAveragePool, {6}, 7),
                    flat,
                    layer(8, 9, 2),
                    layer(8, 10, 3),
                    layer(8, 11, 4),
                    cat,
                    sm,
                    scale,
                    inst(OpCode::Mul, {13, 14}, 15),
                    rs,
                    tr,
                    pd,
                    cl,
                    lr,
                    hsig,
                    inst(OpCode::HardSwish, {21}, 22),
                    inst(OpCode::Sigmoid, {22}, 23),
                    inst(OpCode::Identity, {23}, 24),
                    slope,
                    inst(OpCode::PRelu, {24, 25}, 26),
                    inst(OpCode::Abs, {24}, 28),
                    inst(OpCode::Sqrt, {28}, 29),
                    inst(OpCode::Exp, {29}, 30),
                    inst(OpCode::Log, {30}, 31),
                    inst(OpCode::Erf, {31}, 32),
                    inst(OpCode::Tanh, {32}, 33),
                    inst(OpCode::Neg, {33}, 34),
                    inst(OpCode::Gelu, {34}, 35),
                    inst(OpCode::GeluTanh, {35}, 36),
                    inst(OpCode::Not, {36}, 37),
                    inst(OpCode::Pow, {36, 25}, 38),
                    inst(OpCode::Min, {38, 24}, 39),
                    inst(OpCode::Max, {39, 25}, 40),
                    inst(OpCode::Equal, {40, 24}, 41),
                    inst(OpCode::Greater, {40, 24}, 42),
                    inst(OpCode::GreaterOrEqual, {40, 25}, 43),
                    inst(OpCode::And, {41, 42}, 44),
                    inst(OpCode::Or, {43, 37}, 45),
                    inst(OpCode::Where, {44, 40, 25}, 46),
                    rmax,
                    rmin,
                    rsum,
                    lsm,
                    norm,
                    sl,
                    rz,
                    wt,
                    mm,
                    inst(OpCode::Round, {46}, 61),
                    inst(OpCode::Div, {61, 25}, 62),
                    fl,
                    constant(2, 56),
                    constant(3, 57),
                    lstm,
                    constant(4, 59),
                    gru,
                    constant(5, 63),
                    branch,
                    inst(OpCode::Relu, {24}, 65),
                    inst(OpCode::Neg, {24}, 66),
                    inst(OpCode::Phi, {64, 65, 66}, 67),
                    toInt8,
                    constant(6, 69),
                    gather,
                    inst(OpCode::Xor, {41, 42}, 71),
                    elu,
                    inst(OpCode::Fma, {72, 25, 46}, 73)};
  return P;
}

TEST(CountProgram, EqualsTheInterpretersCounts) {
  model::HardwareDesc hw;
  program::Program P = everyOpcodeProgram(hw);
  ASSERT_EQ(program::verify(P), "");
  for (Shape shape : {Shape{2, 3, 9, 7}, Shape{1, 3, 4, 4}, Shape{3, 3, 1, 5}}) {
    SCOPED_TRACE(support::shapeToString(shape));
    sim::Tensor x{shape, test::randomVector(model::elementCount(shape), 21)};
    model::RunReport run, counted;
    std::vector<sim::Tensor> outputs;
    std::string error;
    ASSERT_TRUE(sim::run(P, {x}, sim::RunOptions(), outputs, run, error))
        << error;
    ASSERT_TRUE(model::countProgram(P, {shape}, counted, error)) << error;
    expectSameReport(run, counted);
    ASSERT_EQ(run.branches.size(), 1u);
    EXPECT_TRUE(run.branches[0].thenTaken);
    EXPECT_FALSE(run.branches[0].assumed);
  }
  // The shared-buffer rule took effect: c2 and fc2 find their input staged,
  // fc3 (another slice size) stages its own.
  model::RunReport counted;
  std::string error;
  ASSERT_TRUE(model::countProgram(P, {{2, 3, 9, 7}}, counted, error)) << error;
  EXPECT_GT(counted.layers[0].bufferWrites, 0);
  EXPECT_EQ(counted.layers[1].bufferWrites, 0);
  EXPECT_EQ(counted.layers[1].bufferReads, counted.layers[0].bufferReads);
  EXPECT_EQ(counted.layers[2].bufferWrites, 2 * 4);
  EXPECT_EQ(counted.layers[3].bufferWrites, 0);
  EXPECT_EQ(counted.layers[4].bufferWrites, 2 * 4);
  // The lstm and gru take the input's 2 rows as time steps of B = 1
  // sequence: a recurrent program's inferences are its sequences.
  EXPECT_EQ(counted.batch, 1);
  EXPECT_EQ(counted.inputElements, 2 * 3 * 9 * 7);
  // Outputs: ap 2x4x5x4, pr 2x8x5, fl 2x40.
  EXPECT_EQ(counted.outputElements, 2 * 4 * 5 * 4 + 2 * 8 * 5 + 2 * 40);
  // Every instruction but the five crossbar ones and the skipped neg.
  EXPECT_EQ(counted.digital.size(), P.instructions.size() - 5 - 1);
  ASSERT_EQ(counted.branches.size(), 1u);
  EXPECT_TRUE(counted.branches[0].thenTaken);
  EXPECT_TRUE(counted.branches[0].assumed);
  // The matmul: batch 2 x 8 rows of 5 against 2 matrices 5 x 8.
  auto isMatMul = [](const model::DigitalReport &d) { return d.op == "matmul"; };
  ASSERT_EQ(llvm::count_if(counted.digital, isMatMul), 1);
  const model::DigitalReport &matmul = *llvm::find_if(counted.digital, isMatMul);
  EXPECT_EQ(matmul.mode, "reprogram");
  EXPECT_EQ(matmul.vectors, 2 * 8);
  EXPECT_EQ(matmul.rows, 5);
  EXPECT_EQ(matmul.cols, 8);
  EXPECT_EQ(matmul.matrices, 2);
  EXPECT_EQ(counted.digital[0].op, "add");
  EXPECT_EQ(counted.digital[0].afterLayer, 1);
  EXPECT_EQ(counted.digital[0].inputElements, 2 * (2 * 4 * 9 * 7));
  EXPECT_EQ(counted.digital[0].outputElements, 2 * 4 * 9 * 7);
}

TEST(CountProgram, ErrorsMatchTheInterpreter) {
  model::HardwareDesc hw;
  program::Program P = everyOpcodeProgram(hw);
  // 2x2 is too small for the 3x3 average pool after the 2x2 max pool
  // (1x1 with pads 1 still fits), 0 rows do not fit the convolution.
  for (Shape shape : {Shape{1, 3, 9}, Shape{1, 4, 9, 9}, Shape{1, 3, 0, 4}}) {
    SCOPED_TRACE(support::shapeToString(shape));
    model::RunReport run, counted;
    std::vector<sim::Tensor> outputs;
    std::string runError, countError;
    sim::Tensor x{shape, std::vector<float>(model::elementCount(shape), 0.5f)};
    EXPECT_FALSE(sim::run(P, {x}, sim::RunOptions(), outputs, run, runError));
    EXPECT_FALSE(model::countProgram(P, {shape}, counted, countError));
    EXPECT_EQ(runError, countError);
  }
  // A broadcast error inside the program names the instruction.
  P.values[14].shape = {17};
  P.constants[0].shape = {17};
  P.constants[0].data.resize(17);
  model::RunReport counted;
  std::string error;
  EXPECT_FALSE(model::countProgram(P, {{1, 3, 4, 4}}, counted, error));
  EXPECT_EQ(error, "instruction 14 (mul 'op'): shapes [1,18] and [17] do not "
                   "broadcast");
  std::vector<sim::Tensor> outputs;
  model::RunReport run;
  std::string runError;
  EXPECT_FALSE(sim::run(P, {{{1, 3, 4, 4}, std::vector<float>(48, 1.0f)}},
                        sim::RunOptions(), outputs, run, runError));
  EXPECT_EQ(runError, error);
}

} // namespace
