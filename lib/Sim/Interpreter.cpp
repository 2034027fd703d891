//===- Interpreter.cpp - Cost-annotated ReRAM interpreter -----------------===//
//
// Runs a program instruction by instruction: crossbar layers on the engines
// of CrossbarEngine.cpp, which execute them the way the arrays would, the
// other instructions on the kernels of DigitalKernels.cpp. Result shapes come
// from the per-opcode shape function and the counts from the per-run
// bookkeeping of rebocc/Model/CountProgram.h, which the shape-only walk of
// --cost-only shares; the counting rules are documented in
// rebocc/Model/Events.h.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Sim/Interpreter.h"
#include "CrossbarEngine.h"
#include "TaskRunner.h"
#include "DigitalKernels.h"
#include "rebocc/Support/MemoryBudget.h"
#include "rebocc/Support/Monitor.h"
#include "SimSupport.h"
#include "rebocc/Model/CountProgram.h"

#include <algorithm>
#include <cmath>

namespace rebocc::sim {

using namespace program;

namespace {

/// Executes one instruction; `error` is completed by the caller. The result
/// shape comes from model::instructionResultShape (the shape-only walk of
/// --cost-only uses the same function), checked before the kernel runs; the
/// kernel must produce exactly that shape.
bool execute(const Program &P, const Instruction &I, const RunOptions &options,
             TaskRunner &tasks, std::vector<Tensor> &values, bool thenTaken,
             std::string &error) {
  auto operand = [&](size_t i) -> const Tensor & {
    return values[I.operands[i]];
  };
  std::vector<int64_t> expected;
  {
    std::vector<const std::vector<int64_t> *> shapes;
    for (int v : model::phiOperands(I, thenTaken))
      shapes.push_back(&values[v].shape);
    error = model::instructionResultShape(P, I, shapes, expected);
    if (!error.empty())
      return false;
  }
  // The result is allocated from its shape: check it fits the budget first.
  std::optional<int64_t> bytes = support::checkedByteSize(expected, 4);
  error = bytes ? support::checkMemory(*bytes, "the result " +
                                                   shapeToString(expected))
                : "the result " + shapeToString(expected) +
                      " overflows a 64-bit size";
  if (!error.empty())
    return false;
  Tensor out;
  switch (I.op) {
  case OpCode::Crossbar:
    if (!runCrossbar(P.layers[I.index], P.hw, options, I.index, operand(0),
                     out, tasks, error))
      return false;
    break;
  case OpCode::Relu:
    out = operand(0);
    for (float &v : out.data)
      v = v > 0 ? v : 0.0f;
    break;
  case OpCode::Sigmoid:
    out = operand(0);
    for (float &v : out.data)
      v = static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(v))));
    break;
  case OpCode::Softmax:
    if (I.axis >= static_cast<int64_t>(operand(0).shape.size())) {
      error = "softmax axis " + str(I.axis) + " out of range for input " +
              shapeToString(operand(0).shape);
      return false;
    }
    softmax(operand(0), I.axis, out);
    break;
  case OpCode::LogSoftmax:
    logSoftmax(operand(0), I.axis, out);
    break;
  case OpCode::Normalize:
    normalize(operand(0), I.axis, I.alpha, out);
    break;
  case OpCode::ReduceMax:
  case OpCode::ReduceMin:
  case OpCode::ReduceSum:
    reduce(operand(0), I, out);
    break;
  case OpCode::Slice:
    slice(operand(0), I, out);
    break;
  case OpCode::Resize:
    resize(operand(0), I, expected, out);
    break;
  case OpCode::MatMul:
    if (!matmul(operand(0), operand(1), expected,
                options.arithmetic == Arithmetic::FixedPoint ? &P.hw : nullptr,
                out, error))
      return false;
    break;
  case OpCode::Lstm:
  case OpCode::Gru: {
    std::vector<const Tensor *> ins;
    for (size_t i = 0; i < I.operands.size(); ++i)
      ins.push_back(&operand(i));
    if (!runRecurrent(I, P, options, ins, out, tasks, error))
      return false;
    break;
  }
  case OpCode::Add:
    if (!binary(operand(0), operand(1), out,
                [](float a, float b) { return a + b; }, error))
      return false;
    break;
  case OpCode::Mul:
    if (!binary(operand(0), operand(1), out,
                [](float a, float b) { return a * b; }, error))
      return false;
    break;
  case OpCode::Reshape:
    if (!reshape(operand(0), I.shape, out, error))
      return false;
    break;
  case OpCode::Flatten: {
    const Tensor &in = operand(0);
    if (I.axis > static_cast<int64_t>(in.shape.size())) {
      error = "flatten axis " + str(I.axis) + " out of range for input " +
              shapeToString(in.shape);
      return false;
    }
    out.shape = {product(in.shape, 0, I.axis),
                 product(in.shape, I.axis, in.shape.size())};
    out.data = in.data;
    break;
  }
  case OpCode::Constant:
    out.shape = P.constants[I.index].shape;
    out.data = P.constants[I.index].data.toVector();
    break;
  case OpCode::Identity:
  case OpCode::If: // the condition, which Phi reads
    out = operand(0);
    break;
  case OpCode::Phi:
    out = values[model::phiOperands(I, thenTaken)[1]];
    break;
  case OpCode::MaxPool:
  case OpCode::AveragePool:
    if (!pool(operand(0), I, out, error))
      return false;
    break;
  case OpCode::GlobalAveragePool:
    if (!globalAveragePool(operand(0), out, error))
      return false;
    break;
  case OpCode::Clip: {
    out = operand(0);
    // A NaN stays NaN (ONNX Clip) unless it saturates to min (QuantizeLinear).
    const bool nanToMin = I.mode == "nan_to_min";
    for (float &v : out.data)
      v = v < I.alpha || (nanToMin && std::isnan(v))
              ? I.alpha
              : (v > I.beta ? I.beta : v);
    break;
  }
  case OpCode::LeakyRelu:
    out = operand(0);
    for (float &v : out.data)
      v = v < 0 ? I.alpha * v : v;
    break;
  case OpCode::HardSigmoid:
    out = operand(0);
    for (float &v : out.data)
      v = std::max(0.0f, std::min(1.0f, I.alpha * v + I.beta));
    break;
  case OpCode::HardSwish:
    out = operand(0);
    for (float &v : out.data)
      v = v * std::max(0.0f, std::min(1.0f, v / 6.0f + 0.5f));
    break;
  case OpCode::PRelu: {
    std::optional<std::vector<int64_t>> shape =
        support::broadcastShapes(operand(0).shape, operand(1).shape);
    if (!shape || *shape != operand(0).shape) {
      error = "slope " + shapeToString(operand(1).shape) +
              " does not broadcast to x " + shapeToString(operand(0).shape);
      return false;
    }
    if (!binary(operand(0), operand(1), out,
                [](float x, float slope) { return x < 0 ? slope * x : x; },
                error))
      return false;
    break;
  }
  case OpCode::Concat: {
    std::vector<const Tensor *> ins;
    for (size_t i = 0; i < I.operands.size(); ++i)
      ins.push_back(&operand(i));
    if (!concat(ins, I.axis, out, error))
      return false;
    break;
  }
  case OpCode::Pad:
    if (!pad(operand(0), I, out, error))
      return false;
    break;
  case OpCode::Transpose:
    if (!transpose(operand(0), I.perm, out, error))
      return false;
    break;
  case OpCode::Cast:
    if (!castElements(operand(0), I, out, error))
      return false;
    break;
  case OpCode::Gather:
    if (!gather(operand(0), operand(1), I, expected, out, error))
      return false;
    break;
  case OpCode::Sqrt:
  case OpCode::Erf:
  case OpCode::Exp:
  case OpCode::Log:
  case OpCode::Neg:
  case OpCode::Abs:
  case OpCode::Tanh:
  case OpCode::Round:
  case OpCode::Gelu:
  case OpCode::GeluTanh:
  case OpCode::Not:
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
  case OpCode::Unary:
  case OpCode::Where:
  case OpCode::Fma: {
    std::vector<const Tensor *> ins;
    for (size_t i = 0; i < I.operands.size(); ++i)
      ins.push_back(&operand(i));
    if (!elementwise(I, ins, out, error))
      return false;
    break;
  }
  }
  if (out.shape != expected) {
    error = "internal error: the kernel computed shape " +
            shapeToString(out.shape) + ", the shape function " +
            shapeToString(expected);
    return false;
  }
  values[I.result] = std::move(out);
  return true;
}

} // namespace

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

std::string checkShape(const std::vector<int64_t> &expected,
                       const std::vector<int64_t> &actual) {
  return model::checkShape(expected, actual);
}

bool run(const Program &program, const std::vector<Tensor> &inputs,
         const RunOptions &options, std::vector<Tensor> &outputs,
         RunReport &report, std::string &error) {
  std::string e = verify(program);
  if (!e.empty()) {
    error = "invalid program: " + e;
    return false;
  }
  return runVerified(program, inputs, options, outputs, report, error);
}

bool runVerified(const Program &program, const std::vector<Tensor> &inputs,
                 const RunOptions &options, std::vector<Tensor> &outputs,
                 RunReport &report, std::string &error) {
  // The counts come from the shapes the kernels produce, through the same
  // bookkeeping as the shape-only walk of --cost-only (model::countProgram).
  model::RunCounter counter(program,
                            options.arithmetic == Arithmetic::FixedPoint
                                ? "fixed-point"
                                : "float-reference",
                            report);

  if (inputs.size() != program.inputs.size()) {
    error = "the program has " + str(program.inputs.size()) + " inputs, " +
            str(inputs.size()) + " were given";
    return false;
  }
  {
    std::vector<std::vector<int64_t>> inputShapes;
    for (const Tensor &t : inputs)
      inputShapes.push_back(t.shape);
    error = checkRunMemory(program, inputShapes);
    if (!error.empty())
      return false;
  }
  std::vector<Tensor> values(program.values.size());
  std::vector<const std::vector<int64_t> *> shapes;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Value &v = program.values[program.inputs[i]];
    int64_t count = 1;
    for (int64_t dim : inputs[i].shape)
      if (dim < 0 || __builtin_mul_overflow(count, dim, &count))
        count = -1;
    if (count != static_cast<int64_t>(inputs[i].data.size())) {
      error = "input " + str(i) + " ('" + v.name + "'): shape " +
              shapeToString(inputs[i].shape) + " does not match its " +
              str(inputs[i].data.size()) + " elements";
      return false;
    }
    std::string e = checkShape(v.shape, inputs[i].shape);
    if (!e.empty()) {
      error = "input " + str(i) + " ('" + v.name + "'): " + e;
      return false;
    }
    values[program.inputs[i]] = inputs[i];
    shapes.push_back(&inputs[i].shape);
  }
  counter.inputs(shapes);

  // Free each value after its last use; outputs are kept.
  std::vector<int64_t> lastUse(values.size(), -1);
  for (size_t i = 0; i < program.instructions.size(); ++i)
    for (int v : program.instructions[i].operands)
      lastUse[v] = static_cast<int64_t>(i);
  for (int v : program.outputs)
    lastUse[v] = INT64_MAX;

  support::Monitor &monitor = support::Monitor::get();
  TaskRunner tasks(options.threads);
  // Only the branch an If takes runs; a Phi passes on the value of the
  // branch its If took, which `thenTaken` keeps by the If's result.
  BranchCursor cursor(program);
  std::vector<char> thenTaken(values.size(), 1);
  for (size_t i = 0, next = 0; i < program.instructions.size(); i = next) {
    const Instruction &I = program.instructions[i];
    if (monitor.showsProgress())
      monitor.step(str(i + 1) + "/" + str(program.instructions.size()) + " " +
                   opcodeName(I.op) + " '" + I.name + "'");
    bool taken = I.op == OpCode::Phi ? thenTaken[I.operands[0]] : true;
    bool ok = execute(program, I, options, tasks, values, taken, error);
    if (ok && I.op == OpCode::If) {
      taken = thenTaken[I.result] = values[I.result].data[0] != 0.0f;
      counter.branch(I, taken);
      // A branch the compiler could not build for these input shapes: its
      // import error, as ONNX Runtime fails when it runs that branch.
      const std::string &branchError = taken ? I.thenError : I.elseError;
      if (!branchError.empty()) {
        error = std::string(taken ? "then" : "else") +
                " branch taken, which cannot run for the compiled input "
                "shapes: " +
                branchError;
        ok = false;
      }
    }
    next = cursor.next(i, taken);
    if (ok && I.op == OpCode::Crossbar && options.onCrossbarOutput)
      options.onCrossbarOutput(i, values[I.result]);
    if (ok) {
      shapes.clear();
      for (int v : model::phiOperands(I, taken))
        shapes.push_back(&values[v].shape);
      error = counter.instruction(I, shapes, values[I.result].shape);
      ok = error.empty();
    }
    if (!ok) {
      error = "instruction " + str(i) + " (" + opcodeName(I.op) + " '" +
              I.name + "'): " + error;
      return false;
    }
    for (int v : I.operands)
      if (lastUse[v] == static_cast<int64_t>(i))
        values[v] = Tensor();
  }

  outputs.clear();
  shapes.clear();
  for (int v : program.outputs)
    outputs.push_back(values[v]);
  for (const Tensor &t : outputs)
    shapes.push_back(&t.shape);
  counter.finish(shapes);
  return true;
}

} // namespace rebocc::sim
