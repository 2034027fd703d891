//===- CountProgram.cpp - a program's event counts from shapes alone ------===//
//
// Output shapes of every instruction, the per-instruction bookkeeping shared
// with the interpreter, and the shape-only walk behind `--cost-only`.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CountProgram.h"
#include "rebocc/Support/Shapes.h"

#include <algorithm>

namespace rebocc::model {

using namespace program;
using support::shapeToString;

namespace {

std::string str(int64_t v) { return std::to_string(v); }

/// Product of shape[begin, end) (no overflow check: callers pass shapes whose
/// full product was checked, or that the interpreter holds in memory).
int64_t product(const Shape &shape, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t d = begin; d < end; ++d)
    p *= shape[d];
  return p;
}

std::string reshapeShape(const Shape &in, const Shape &target, Shape &out) {
  Shape shape = target;
  int64_t known = 1, inferred = -1;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 0) {
      if (d >= in.size())
        return "reshape dimension " + str(static_cast<int64_t>(d)) +
               " is 0 (copy) but the input " + shapeToString(in) +
               " has no such dimension";
      shape[d] = in[d];
    }
    if (shape[d] == -1)
      inferred = static_cast<int64_t>(d);
    else if (shape[d] < 0 || __builtin_mul_overflow(known, shape[d], &known))
      return "cannot reshape " + shapeToString(in) + " to " +
             shapeToString(target);
  }
  int64_t total = elementCount(in);
  if (inferred >= 0) {
    if (known == 0 || total % known != 0)
      return "cannot reshape " + shapeToString(in) + " to " +
             shapeToString(target);
    shape[inferred] = total / known;
  } else if (known != total) {
    return "cannot reshape " + shapeToString(in) + " (" + str(total) +
           " elements) to " + shapeToString(target);
  }
  out = shape;
  return "";
}

std::string poolShape(const Shape &in, const Instruction &I, Shape &out) {
  if (in.size() != 4)
    return "pooling input must have rank 4 (N, C, H, W), got " +
           shapeToString(in);
  if (I.kernel.size() != 2 || I.strides.size() != 2 || I.pads.size() != 4 ||
      I.dilations.size() != 2)
    return "pooling needs 2 kernel sizes, 2 strides, 4 pads and 2 dilations";
  const int64_t kH = I.kernel[0], kW = I.kernel[1], sH = I.strides[0],
                sW = I.strides[1], pt = I.pads[0], pl = I.pads[1],
                pb = I.pads[2], pr = I.pads[3], dH = I.dilations[0],
                dW = I.dilations[1];
  if (sH < 1 || sW < 1)
    return "pooling strides must be positive";
  int64_t Ho = support::windowOutput(in[2], kH, sH, pt, pb, dH, I.ceilMode);
  int64_t Wo = support::windowOutput(in[3], kW, sW, pl, pr, dW, I.ceilMode);
  if (Ho < 1 || Wo < 1)
    return "pooling window " + str(kH) + "x" + str(kW) + " (dilations " +
           str(dH) + "x" + str(dW) + ", with pads) does not fit input " +
           shapeToString(in);
  out = {in[0], in[1], Ho, Wo};
  return "";
}

std::string concatShape(const std::vector<const Shape *> &ins, int64_t axis,
                        Shape &out) {
  const Shape &first = *ins[0];
  int64_t rank = static_cast<int64_t>(first.size());
  if (axis < 0 || axis >= rank)
    return "concat axis " + str(axis) + " out of range for input " +
           shapeToString(first);
  Shape shape = first;
  shape[axis] = 0;
  for (const Shape *s : ins) {
    bool ok = static_cast<int64_t>(s->size()) == rank;
    for (int64_t d = 0; ok && d < rank; ++d)
      ok = d == axis || (*s)[d] == first[d];
    if (!ok)
      return "concat operands " + shapeToString(first) + " and " +
             shapeToString(*s) + " differ outside axis " + str(axis);
    shape[axis] += (*s)[axis];
  }
  out = shape;
  return "";
}

std::string padShape(const Shape &in, const Instruction &I, Shape &out) {
  size_t rank = in.size();
  if (I.pads.size() != 2 * rank)
    return "pad needs 2 x rank pads for input " + shapeToString(in);
  Shape shape = in;
  for (size_t d = 0; d < rank; ++d) {
    int64_t size = in[d], before = I.pads[d], after = I.pads[rank + d];
    if (before < 0 || after < 0)
      return "pads must not be negative";
    if (before + after > 0 && I.mode != "constant" &&
        (size == 0 ||
         (I.mode == "reflect" && (before > size - 1 || after > size - 1))))
      return I.mode + " padding of " + str(before) + "," + str(after) +
             " needs dimension " + str(static_cast<int64_t>(d)) +
             " of input " + shapeToString(in) + " to be " +
             (I.mode == "reflect" ? "larger than each pad" : "non-empty");
    if (__builtin_add_overflow(size, before, &shape[d]) ||
        __builtin_add_overflow(shape[d], after, &shape[d]))
      return "pad output is too large";
  }
  out = shape;
  return "";
}

std::string transposeShape(const Shape &in, const std::vector<int64_t> &perm,
                           Shape &out) {
  size_t rank = in.size();
  if (perm.size() != rank)
    return "perm does not match input " + shapeToString(in);
  Shape shape(rank);
  std::vector<char> seen(rank, 0);
  for (size_t d = 0; d < rank; ++d) {
    if (perm[d] < 0 || perm[d] >= static_cast<int64_t>(rank) || seen[perm[d]])
      return "perm does not match input " + shapeToString(in);
    seen[perm[d]] = 1;
    shape[d] = in[perm[d]];
  }
  out = shape;
  return "";
}

/// `in` with each of `axes` (increasing, in range) set to 1.
std::string reducedShape(const Shape &in, const std::vector<int64_t> &axes,
                         Shape &out) {
  Shape shape = in;
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < 0 || axes[i] >= static_cast<int64_t>(in.size()) ||
        (i && axes[i] <= axes[i - 1]))
      return "reduction axes do not match input " + shapeToString(in);
    shape[axes[i]] = 1;
  }
  out = shape;
  return "";
}

/// `in` with dims axes[i] cut to [starts[i], ends[i]), which must lie in it.
std::string sliceShape(const Shape &in, const Instruction &I, Shape &out) {
  Shape shape = in;
  for (size_t i = 0; i < I.axes.size(); ++i) {
    int64_t axis = I.axes[i];
    if (axis < 0 || axis >= static_cast<int64_t>(in.size()) ||
        I.starts[i] < 0 || I.ends[i] <= I.starts[i] ||
        (in[axis] >= 0 && I.ends[i] > in[axis]))
      return "slice [" + str(I.starts[i]) + ", " + str(I.ends[i]) +
             ") of axis " + str(axis) + " does not fit input " +
             shapeToString(in);
    shape[axis] = I.ends[i] - I.starts[i];
  }
  out = shape;
  return "";
}

} // namespace

int64_t elementCount(const Shape &shape) {
  int64_t count = 1;
  for (int64_t dim : shape)
    if (dim < 0 || __builtin_mul_overflow(count, dim, &count))
      return -1;
  return count;
}

std::string checkShape(const Shape &expected, const Shape &actual) {
  bool ok = expected.size() == actual.size();
  for (size_t d = 0; ok && d < expected.size(); ++d)
    ok = expected[d] == -1 || expected[d] == actual[d];
  if (ok)
    return "";
  return "shape " + shapeToString(actual) +
         " does not match the program's shape " + shapeToString(expected) +
         " (-1 = any size)";
}

/// `in` with dims I.axes resized from I.from to I.to (the sizes the tables
/// are for; the program verifier checked the tables against them).
std::string resizeShape(const Shape &in, const Instruction &I, Shape &out) {
  Shape shape = in;
  for (size_t i = 0; i < I.axes.size(); ++i) {
    int64_t axis = I.axes[i];
    if (axis < 0 || axis >= static_cast<int64_t>(in.size()) ||
        i >= I.from.size() || i >= I.to.size() ||
        (in[axis] >= 0 && in[axis] != I.from[i]))
      return "resize of axis " + str(axis) + " is for size " +
             (i < I.from.size() ? str(I.from[i]) : std::string("?")) +
             ", not input " + shapeToString(in);
    shape[axis] = I.to[i];
  }
  out = shape;
  return "";
}

/// lstm / gru: x (T*B, G*H) and h0 (B, H) give (T + 2 or 1, B, H); T is
/// -1 when x's rows are.
std::string recurrentShape(const Instruction &I, const Shape &x,
                           const Shape &h0, Shape &out) {
  if (x.size() != 2 || h0.size() != 2 || h0[0] < 1)
    return std::string(opcodeName(I.op)) + " needs x T*B x G*H and h0 B x H "
           "with a known B, got " + shapeToString(x) + " and " +
           shapeToString(h0);
  if (x[0] >= 0 && x[0] % h0[0] != 0)
    return std::string(opcodeName(I.op)) + " x " + shapeToString(x) +
           " is not T x B rows for h0 " + shapeToString(h0);
  int64_t steps = x[0] < 0 ? -1 : x[0] / h0[0];
  out = {steps < 0 ? -1 : steps + (I.op == OpCode::Lstm ? 2 : 1), h0[0],
         h0[1]};
  return "";
}

std::string instructionShape(const Program &P, const Instruction &I,
                             const std::vector<const Shape *> &operands,
                             Shape &out) {
  int64_t want = program::operandCount(I.op), have = static_cast<int64_t>(operands.size());
  if ((want >= 0 && have != want) || (want < 0 && have < 1))
    return std::string(opcodeName(I.op)) + " takes " +
           (want >= 0 ? str(want) : std::string("one or more")) +
           " operands, has " + str(have);
  const Shape &x = have ? *operands[0] : out;
  switch (I.op) {
  case OpCode::Crossbar:
    if (I.index < 0 || I.index >= static_cast<int64_t>(P.layers.size()))
      return "layer index " + str(I.index) + " out of range";
    return crossbarOutputShape(P.layers[I.index], x, out);
  case OpCode::Relu:
  case OpCode::Sigmoid:
  case OpCode::Identity:
  case OpCode::Clip:
  case OpCode::LeakyRelu:
  case OpCode::HardSigmoid:
  case OpCode::HardSwish:
  case OpCode::Sqrt:
  case OpCode::Erf:
  case OpCode::Exp:
  case OpCode::Log:
  case OpCode::Neg:
  case OpCode::Abs:
  case OpCode::Tanh:
  case OpCode::Round:
  case OpCode::Cast:
  case OpCode::Gelu:
  case OpCode::GeluTanh:
  case OpCode::Not:
  case OpCode::Unary:
    out = x;
    return "";
  case OpCode::If:
    if (elementCount(x) != 1)
      return "the condition " + shapeToString(x) +
             " must hold exactly one element";
    out = x;
    return "";
  case OpCode::Phi:
    out = *operands[1]; // the value of the branch that ran (phiOperands)
    return "";
  case OpCode::Softmax:
  case OpCode::LogSoftmax:
  case OpCode::Normalize:
    if (I.axis < 0 || I.axis >= static_cast<int64_t>(x.size()))
      return std::string(opcodeName(I.op)) + " axis " + str(I.axis) +
             " out of range for input " + shapeToString(x);
    out = x;
    return "";
  case OpCode::ReduceMax:
  case OpCode::ReduceMin:
  case OpCode::ReduceSum:
    return reducedShape(x, I.axes, out);
  case OpCode::Slice:
    return sliceShape(x, I, out);
  case OpCode::Resize:
    return resizeShape(x, I, out);
  case OpCode::Lstm:
  case OpCode::Gru:
    return recurrentShape(I, x, *operands[1], out);
  case OpCode::Add:
  case OpCode::Mul:
  case OpCode::Pow:
  case OpCode::Div:
  case OpCode::Min:
  case OpCode::Max:
  case OpCode::Equal:
  case OpCode::Greater:
  case OpCode::GreaterOrEqual:
  case OpCode::And:
  case OpCode::Or:
  case OpCode::Xor:
  case OpCode::Where:
  case OpCode::Fma: {
    // Where (condition, x, y) and fma (a, b, c) broadcast their three
    // operands together.
    Shape shape = x;
    for (size_t i = 1; i < operands.size(); ++i) {
      const Shape &y = *operands[i];
      std::optional<Shape> both = support::broadcastShapes(shape, y);
      if (!both)
        return "shapes " + shapeToString(shape) + " and " + shapeToString(y) +
               " do not broadcast";
      shape = *both;
    }
    out = shape;
    return "";
  }
  case OpCode::Gather: {
    std::optional<support::GatherKind> kind = support::gatherKindNamed(I.mode);
    std::optional<Shape> shape =
        kind ? support::gatherShape(*kind, x, *operands[1], I.axis)
             : std::nullopt;
    if (!shape)
      return "gather mode=" + I.mode + " axis=" + str(I.axis) + " of data " +
             shapeToString(x) + " by indices " + shapeToString(*operands[1]) +
             " is invalid";
    out = *shape;
    return "";
  }
  case OpCode::MatMul: {
    std::optional<Shape> shape = support::matmulShape(x, *operands[1]);
    if (!shape)
      return "matmul operands " + shapeToString(x) + " and " +
             shapeToString(*operands[1]) + " do not multiply";
    out = *shape;
    return "";
  }
  case OpCode::PRelu: {
    const Shape &slope = *operands[1];
    std::optional<Shape> shape = support::broadcastShapes(x, slope);
    if (!shape || *shape != x)
      return "slope " + shapeToString(slope) + " does not broadcast to x " +
             shapeToString(x);
    out = *shape;
    return "";
  }
  case OpCode::Reshape:
    return reshapeShape(x, I.shape, out);
  case OpCode::Flatten: {
    if (I.axis < 0 || I.axis > static_cast<int64_t>(x.size()))
      return "flatten axis " + str(I.axis) + " out of range for input " +
             shapeToString(x);
    Shape shape = {product(x, 0, I.axis), product(x, I.axis, x.size())};
    out = shape;
    return "";
  }
  case OpCode::Constant:
    if (I.index < 0 || I.index >= static_cast<int64_t>(P.constants.size()))
      return "constant index " + str(I.index) + " out of range";
    out = P.constants[I.index].shape;
    return "";
  case OpCode::MaxPool:
  case OpCode::AveragePool:
    return poolShape(x, I, out);
  case OpCode::GlobalAveragePool: {
    if (x.size() < 3)
      return "global_average_pool input must have rank >= 3, got " +
             shapeToString(x);
    Shape shape = x;
    std::fill(shape.begin() + 2, shape.end(), 1);
    out = shape;
    return "";
  }
  case OpCode::Concat:
    return concatShape(operands, I.axis, out);
  case OpCode::Pad:
    return padShape(x, I, out);
  case OpCode::Transpose:
    return transposeShape(x, I.perm, out);
  }
  return "unknown opcode";
}

std::string instructionResultShape(const Program &P, const Instruction &I,
                                   const std::vector<const Shape *> &operands,
                                   Shape &out) {
  std::string e = instructionShape(P, I, operands, out);
  if (!e.empty())
    return e;
  if (I.result >= 0 && I.result < static_cast<int>(P.values.size())) {
    e = checkShape(P.values[I.result].shape, out);
    if (!e.empty())
      return "result " + e;
  }
  if (elementCount(out) < 0)
    return "result shape " + shapeToString(out) + " has too many elements";
  return "";
}

//===----------------------------------------------------------------------===//
// RunCounter
//===----------------------------------------------------------------------===//

RunCounter::RunCounter(const Program &program, const std::string &arithmetic,
                       RunReport &report)
    : program(program), report(report) {
  report = RunReport();
  report.hwName = program.hw.name;
  report.arithmetic = arithmetic;
  for (const CrossbarLayer &L : program.layers)
    report.layers.push_back(staticLayerReport(L, program.hw));
}

/// Where the run-time batch sits in a declared input shape: its first -1
/// (the leading dimension, or dimension 1 of a (sequence, batch, features)
/// input), else the leading dimension.
static size_t batchPosition(const Shape &declared) {
  auto dynamic = std::find(declared.begin(), declared.end(), -1);
  return dynamic == declared.end() ? 0 : dynamic - declared.begin();
}

void RunCounter::inputs(const std::vector<const Shape *> &shapes) {
  if (!shapes.empty() && !shapes[0]->empty()) {
    // The declared shape, when the program has it: the program's own shape
    // also leaves image sizes open, so a static batch (1x3x224x224) would
    // put the batch at the image height there.
    const Value *first =
        program.inputs.empty() ? nullptr : &program.values[program.inputs[0]];
    size_t at = !first           ? 0
                : first->declared ? batchPosition(*first->declared)
                                  : batchPosition(first->shape);
    report.batch = (*shapes[0])[at < shapes[0]->size() ? at : 0];
  }
  for (const Shape *s : shapes)
    report.inputElements += elementCount(*s);
}

/// What every digital instruction reports: its name and op, the crossbar
/// layer it follows, and the elements it reads and writes.
DigitalReport RunCounter::digitalReport(const Instruction &I,
                                        const std::vector<const Shape *> &operands,
                                        const Shape &result) const {
  DigitalReport digital;
  digital.name = I.name;
  digital.op = opcodeName(I.op);
  // A unary instruction reports its function (softplus ... is_inf), which
  // sets the unit and operations it is charged (LayerCost.cpp).
  if (I.op == OpCode::Unary)
    digital.op = I.mode;
  digital.afterLayer = lastLayer;
  for (const Shape *s : operands)
    digital.inputElements += elementCount(*s);
  digital.outputElements = elementCount(result);
  return digital;
}

std::string RunCounter::instruction(const Instruction &I,
                                    const std::vector<const Shape *> &operands,
                                    const Shape &result) {
  if (I.op == OpCode::Crossbar) {
    const CrossbarLayer &L = program.layers[I.index];
    bool filled =
        L.sharedInput && !sharedBuffers.insert({I.operands[0], L.k}).second;
    std::string e = countCrossbarRun(L, program.hw, *operands[0], filled,
                                     report.layers[I.index]);
    if (!e.empty())
      return e;
    lastLayer = I.index;
    return "";
  }
  if (I.op == OpCode::Lstm || I.op == OpCode::Gru)
    return recurrent(I, operands, result);
  DigitalReport digital = digitalReport(I, operands, result);
  if (I.op == OpCode::Resize && std::any_of(I.taps.begin(), I.taps.end(), [](int64_t t) {
        return t > 1;
      })) {
    digital.macsPerOutput = 1;
    for (int64_t taps : I.taps)
      digital.macsPerOutput *= taps;
  }
  if (I.op == OpCode::MatMul) {
    const Shape &rhs = *operands[1];
    digital.mode = I.mode;
    digital.rows = rhs[rhs.size() - 2];
    digital.cols = rhs.back();
    if (digital.rows > 0 && digital.cols > 0) {
      digital.matrices = elementCount(rhs) / (digital.rows * digital.cols);
      digital.vectors = elementCount(result) / digital.cols;
    }
  }
  report.digital.push_back(std::move(digital));
  return "";
}

/// Each time step runs every recurrent layer on h_{t-1} (B vectors), so a
/// run counts as one of T*B vectors; the gates' operations per hidden
/// element are listed in docs/CostModel.md ("Recurrent cells").
std::string RunCounter::recurrent(const Instruction &I,
                                  const std::vector<const Shape *> &operands,
                                  const Shape &result) {
  const Shape &x = *operands[0], &h0 = *operands[1];
  int64_t vectors = x[0];
  // The input's leading dimension is the sequence (T), not the batch: the
  // inferences are the cell's B sequences.
  report.batch = h0[0];
  for (int64_t index : I.layers) {
    std::string e = countCrossbarRun(program.layers[index], program.hw,
                                     {vectors, h0[1]}, false,
                                     report.layers[index]);
    if (!e.empty())
      return e;
    lastLayer = index;
    report.layers[index].vectorsPerStep += h0[0];
  }
  DigitalReport digital = digitalReport(I, operands, result);
  digital.cellElements = vectors * h0[1];
  const bool clip = I.alpha > 0;
  if (I.op == OpCode::Lstm) {
    // sigmoid i, f, o, tanh of the candidate and of the cell; four gate
    // adds, f*c + i*g (three), o*tanh(c); peepholes three multiply-adds;
    // clip two comparisons per gate.
    // The multiplications: f*c, i*g, o*tanh(c), and the peepholes' three.
    const bool peepholes = I.operands.size() == 4;
    digital.functionOpsPerElement = 5;
    digital.aluOpsPerElement = 8 + (peepholes ? 6 : 0) + (clip ? 8 : 0);
    digital.aluMulOpsPerElement = 3 + (peepholes ? 3 : 0);
  } else if (I.mode == "rnn") {
    // A simple RNN: its activation on the sigmoid units (as the relu,
    // sigmoid, ... instructions), the gate add; clip two comparisons.
    digital.op = "rnn";
    digital.functionOpsPerElement = 1;
    digital.aluOpsPerElement = 1 + (clip ? 2 : 0);
  } else {
    // sigmoid z, r, tanh of the candidate; two gate adds, the reset
    // multiply, the candidate's add, h~ + z*(h - h~) (three); two of them
    // multiplications.
    digital.functionOpsPerElement = 3;
    digital.aluOpsPerElement = 7 + (clip ? 6 : 0);
    digital.aluMulOpsPerElement = 2;
  }
  report.digital.push_back(std::move(digital));
  return "";
}

void RunCounter::branch(const Instruction &I, bool thenTaken) {
  report.branches.push_back(
      {I.name, thenTaken, report.arithmetic == kCostOnlyArithmetic});
}

void RunCounter::finish(const std::vector<const Shape *> &outputs) {
  for (const Shape *s : outputs)
    report.outputElements += elementCount(*s);
  sumTotals(report);
}

//===----------------------------------------------------------------------===//
// The shape-only walk
//===----------------------------------------------------------------------===//

bool countProgram(const Program &program, const std::vector<Shape> &inputShapes,
                  RunReport &out, std::string &error) {
  std::string e = verify(program);
  if (!e.empty()) {
    error = "invalid program: " + e;
    return false;
  }
  return countVerifiedProgram(program, inputShapes, out, error);
}

bool countVerifiedProgram(const Program &program,
                          const std::vector<Shape> &inputShapes,
                          RunReport &out, std::string &error) {
  std::string e;
  RunCounter counter(program, kCostOnlyArithmetic, out);
  if (inputShapes.size() != program.inputs.size()) {
    error = "the program has " + str(program.inputs.size()) + " inputs, " +
            str(inputShapes.size()) + " were given";
    return false;
  }
  std::vector<Shape> shapes(program.values.size());
  std::vector<const Shape *> ptrs;
  for (size_t i = 0; i < inputShapes.size(); ++i) {
    const Value &v = program.values[program.inputs[i]];
    if (elementCount(inputShapes[i]) < 0) {
      error = "input " + str(i) + " ('" + v.name + "'): shape " +
              shapeToString(inputShapes[i]) + " is not a valid size";
      return false;
    }
    e = checkShape(v.shape, inputShapes[i]);
    if (!e.empty()) {
      error = "input " + str(i) + " ('" + v.name + "'): " + e;
      return false;
    }
    shapes[program.inputs[i]] = inputShapes[i];
    ptrs.push_back(&shapes[program.inputs[i]]);
  }
  counter.inputs(ptrs);

  // Without data no condition is known: every If takes its then branch
  // (its else branch when the then branch cannot run: a phi's operands are
  // then both the else value), and the report says the branch was assumed.
  program::BranchCursor cursor(program);
  bool thenAssumed = true;
  for (size_t i = 0; i < program.instructions.size();
       i = cursor.next(i, thenAssumed)) {
    const Instruction &I = program.instructions[i];
    thenAssumed = I.op != OpCode::If || I.thenError.empty();
    ptrs.clear();
    for (int v : phiOperands(I, /*thenTaken=*/true))
      ptrs.push_back(&shapes[v]);
    if (I.op == OpCode::If)
      counter.branch(I, thenAssumed);
    Shape result;
    e = instructionResultShape(program, I, ptrs, result);
    if (e.empty())
      e = counter.instruction(I, ptrs, result);
    if (!e.empty()) {
      error = "instruction " + str(i) + " (" + opcodeName(I.op) + " '" +
              I.name + "'): " + e;
      return false;
    }
    shapes[I.result] = std::move(result);
  }

  ptrs.clear();
  for (int v : program.outputs)
    ptrs.push_back(&shapes[v]);
  counter.finish(ptrs);
  return true;
}

/// Whether dim `d` of an input's shape `declared` is the run-time batch, by
/// the importer's rule (mayBeBatch in ImportInputs.cpp), so that a count
/// from a program's declared shapes is rebocc --cost-only's: the leading
/// dim, or dim 1 of a rank-3 (sequence, batch, features) input whose dims
/// 0 and 2 are known.
static bool isBatchDim(const Shape &declared, size_t d) {
  return d == 0 || (d == 1 && declared.size() == 3 && declared[0] != -1 &&
                    declared[2] != -1);
}

bool declaredInputShapes(const Program &program, std::vector<Shape> &out,
                         std::string &error) {
  out.clear();
  for (size_t i = 0; i < program.inputs.size(); ++i) {
    int v = program.inputs[i];
    if (v < 0 || v >= static_cast<int>(program.values.size())) {
      error = "input %" + str(v) + " out of range";
      return false;
    }
    const Value &value = program.values[v];
    const Shape &given = value.declared ? *value.declared : value.shape;
    Shape shape = given;
    for (size_t d = 0; d < shape.size(); ++d) {
      if (shape[d] != -1)
        continue;
      if (isBatchDim(given, d)) {
        shape[d] = 1; // the batch: one inference, as rebocc --cost-only
        continue;
      }
      error = "input " + str(static_cast<int64_t>(i)) + " ('" + value.name +
              "'): dimension " + str(static_cast<int64_t>(d)) +
              " of its " + (value.declared ? "declared " : "") + "shape " +
              shapeToString(given) +
              " is unknown; give --input FILE, or fix it when compiling "
              "with rebocc --input-shape " + value.name +
              "=D0xD1x... or --dim SYMBOL=VALUE";
      return false;
    }
    out.push_back(std::move(shape));
  }
  return true;
}

} // namespace rebocc::model
