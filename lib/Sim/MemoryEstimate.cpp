//===- MemoryEstimate.cpp - a simulation's peak memory, before it runs ----===//
//
// The interpreter checks each result against --max-memory before allocating
// it; a run whose tensors each fit can still need more than the budget in
// total. This estimates the whole run's peak from the program and the input
// shapes alone, walking the instructions with the shape functions the
// interpreter and --cost-only use (docs/Hostile.md, "Whole-run estimates"):
//
//   the program     its constants, layer weights and biases (already held)
//   the inputs      the caller's tensors, which run() copies
//   one layer       the largest crossbar layer's arrays as an engine lays
//                   them out (kEngineBytesPerCell per array cell), built
//                   while that layer runs and freed after
//   the values      the most bytes live at once: every value not yet past
//                   its last use, plus the result being computed
//   the outputs     copied out of the run, then each written as a
//                   TensorProto and its serialized bytes: 3 x their size
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CountProgram.h"
#include "rebocc/Sim/Interpreter.h"
#include "rebocc/Support/MemoryBudget.h"
#include "rebocc/Support/Shapes.h"

#include "llvm/Support/CheckedArithmetic.h"

namespace rebocc::sim {

using namespace program;

namespace {

/// A float cell and the engines' quantized or sliced copy of it.
constexpr int64_t kEngineBytesPerCell = 8;

/// Sums and products that stop at INT64_MAX (always over any budget).
int64_t add(int64_t a, int64_t b) {
  return llvm::checkedAdd(a, b).value_or(INT64_MAX);
}
int64_t mul(int64_t a, int64_t b) {
  return llvm::checkedMul(a, b).value_or(INT64_MAX);
}

int64_t floatBytes(size_t count) { return mul(static_cast<int64_t>(count), 4); }

/// Bytes of a float tensor of `shape`, or -1 when it overflows (the
/// interpreter's own check reports that).
int64_t tensorBytes(const std::vector<int64_t> &shape) {
  std::optional<int64_t> bytes = support::checkedByteSize(shape, 4);
  return bytes ? *bytes : -1;
}

struct Part {
  int64_t bytes = 0;
  std::string what;
};

Part programPart(const Program &P) {
  int64_t bytes = 0;
  for (const Constant &c : P.constants)
    bytes = add(bytes, floatBytes(c.data.size()));
  for (const CrossbarLayer &L : P.layers)
    bytes = add(bytes, floatBytes(L.weights.size() + L.bias.size()));
  return {bytes, "the program's weights and constants"};
}

Part largestLayerPart(const Program &P) {
  Part part;
  for (const CrossbarLayer &L : P.layers) {
    int64_t cells = 0;
    for (const Array &a : L.arrays)
      cells = add(cells, mul(a.rowCount, a.weightColCount));
    int64_t bytes = mul(cells, kEngineBytesPerCell);
    if (bytes > part.bytes)
      part = {bytes, "the arrays of layer '" + L.name + "'"};
  }
  return part;
}

/// The most bytes of values live at once and the outputs' part, or false
/// when a shape is invalid (the run itself reports it).
bool valuesPart(const Program &P,
                const std::vector<std::vector<int64_t>> &inputShapes,
                Part &part, Part &outputs) {
  std::vector<std::vector<int64_t>> shapes(P.values.size());
  std::vector<int64_t> lastUse(P.values.size(), -1);
  for (size_t i = 0; i < P.instructions.size(); ++i)
    for (int v : P.instructions[i].operands)
      lastUse[v] = static_cast<int64_t>(i);
  for (int v : P.outputs)
    lastUse[v] = INT64_MAX;
  int64_t live = 0;
  for (size_t i = 0; i < inputShapes.size() && i < P.inputs.size(); ++i) {
    shapes[P.inputs[i]] = inputShapes[i];
    int64_t bytes = tensorBytes(inputShapes[i]);
    if (bytes < 0)
      return false;
    live = add(live, bytes);
  }
  part = {live, "the program's inputs"};
  for (size_t i = 0; i < P.instructions.size(); ++i) {
    const Instruction &I = P.instructions[i];
    std::vector<const std::vector<int64_t> *> operands;
    for (int v : I.operands)
      operands.push_back(&shapes[v]);
    if (!model::instructionResultShape(P, I, operands, shapes[I.result])
             .empty())
      return false;
    int64_t bytes = tensorBytes(shapes[I.result]);
    if (bytes < 0)
      return false;
    live = add(live, bytes);
    if (live > part.bytes)
      part = {live, "the values live at instruction " + std::to_string(i) +
                        " (" + opcodeName(I.op) + " '" + I.name + "')"};
    for (int v : I.operands)
      if (lastUse[v] == static_cast<int64_t>(i)) {
        lastUse[v] = -1; // an operand used twice is freed once
        live -= tensorBytes(shapes[v]);
      }
  }
  outputs = {0, "the outputs"};
  for (int v : P.outputs)
    outputs.bytes = add(outputs.bytes, mul(tensorBytes(shapes[v]), 3));
  return true;
}

} // namespace

std::string checkRunMemory(const Program &program,
                           const std::vector<std::vector<int64_t>> &inputShapes) {
  Part values, outputs;
  if (!valuesPart(program, inputShapes, values, outputs))
    return "";
  Part inputs{0, "the input tensors"};
  for (const std::vector<int64_t> &shape : inputShapes)
    inputs.bytes = add(inputs.bytes, tensorBytes(shape));
  Part parts[] = {programPart(program), inputs, largestLayerPart(program),
                  values, outputs};
  int64_t total = 0;
  const Part *largest = &parts[0];
  for (const Part &p : parts) {
    total = add(total, p.bytes);
    if (p.bytes > largest->bytes)
      largest = &p;
  }
  return support::checkMemory(
      total, "the simulation (estimated; the largest part, " + largest->what +
                 ", " + support::formatBytes(largest->bytes) + ")");
}

} // namespace rebocc::sim
