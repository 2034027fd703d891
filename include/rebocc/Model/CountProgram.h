//===- CountProgram.h - a program's event counts from shapes alone -*- C++ -*-===//
//
// Everything the cost model reads from a run (RunReport: the crossbar layers'
// events, the digital instructions' element counts, batch, host I/O) depends
// on the shapes of the values only, never on their data. This header holds
//   * the output shape of every instruction (`instructionShape`), which the
//     interpreter checks its kernels against,
//   * the per-instruction bookkeeping (`RunCounter`) that sim::run and the
//     shape-only walk both call, so their counts cannot drift apart, and
//   * the shape-only walk itself (`countProgram`, behind `--cost-only`).
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_MODEL_COUNTPROGRAM_H
#define REBOCC_MODEL_COUNTPROGRAM_H

#include "rebocc/Model/Events.h"
#include "rebocc/Target/Program/Program.h"

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace rebocc::model {

using Shape = std::vector<int64_t>;

/// Elements of a tensor of `shape` (1 for a scalar), or -1 when a dimension
/// is negative or the count overflows int64.
int64_t elementCount(const Shape &shape);

/// Checks an actual shape against a program value's shape (same rank; equal
/// dimensions except -1, which matches any size). Returns "" or a message.
std::string checkShape(const Shape &expected, const Shape &actual);

/// The shape instruction `I` of `program` produces on operands of the given
/// shapes (one per I.operands entry), following the instruction's semantics
/// (docs/ProgramFormat.md); a crossbar layer's via crossbarOutputShape.
/// Returns "" or the message the interpreter gives for the same operands.
/// The declared result shape is not consulted (see instructionResultShape).
std::string instructionShape(const program::Program &program,
                             const program::Instruction &I,
                             const std::vector<const Shape *> &operands,
                             Shape &out);

/// instructionShape, then the result checked against the program's declared
/// shape of I.result ("result shape ... does not match ...") and its element
/// count against int64.
std::string instructionResultShape(const program::Program &program,
                                   const program::Instruction &I,
                                   const std::vector<const Shape *> &operands,
                                   Shape &out);

/// The bookkeeping of one run of a program, shared by sim::run (which calls
/// it with the shapes of the tensors it computed) and countProgram (with the
/// shapes alone):
///   * construction: `report` restarted with the program's hardware name,
///     `arithmetic` and every layer's static report;
///   * inputs(): batch = leading dimension of the first input, and the input
///     elements (host I/O);
///   * instruction(), after each instruction in program order: a crossbar
///     layer's events (countCrossbarRun; a shared-input layer whose input
///     value was already staged with the same slice size k by an earlier
///     layer passes bufferFilled = true), or a DigitalReport (sum of the
///     operands' elements, the result's elements, the last crossbar layer run
///     before it);
///   * finish(): the output elements and sumTotals.
class RunCounter {
public:
  RunCounter(const program::Program &program, const std::string &arithmetic,
             RunReport &report);

  void inputs(const std::vector<const Shape *> &shapes);
  /// Returns "" or countCrossbarRun's message.
  std::string instruction(const program::Instruction &I,
                          const std::vector<const Shape *> &operands,
                          const Shape &result);
  /// Records the branch an If took (before instruction() on the If).
  void branch(const program::Instruction &I, bool thenTaken);
  void finish(const std::vector<const Shape *> &outputs);

private:
  DigitalReport digitalReport(const program::Instruction &I,
                              const std::vector<const Shape *> &operands,
                              const Shape &result) const;
  std::string recurrent(const program::Instruction &I,
                        const std::vector<const Shape *> &operands,
                        const Shape &result);

  const program::Program &program;
  RunReport &report;
  int64_t lastLayer = -1;
  // Shared input buffers already staged in this run, by (value, slice size).
  std::set<std::pair<int, int64_t>> sharedBuffers;
};

/// The operands whose shapes instructionShape reads: I.operands, except
/// that a Phi's are {the If's result, the value of the branch that ran
/// (twice)}, since the other branch's value was never computed.
inline std::vector<int> phiOperands(const program::Instruction &I,
                                    bool thenTaken) {
  if (I.op != program::OpCode::Phi)
    return I.operands;
  int ran = I.operands[thenTaken ? 1 : 2];
  return {I.operands[0], ran, ran};
}

/// The arithmetic label of a report made by countProgram.
inline constexpr const char *kCostOnlyArithmetic = "cost-only";

/// The counts sim::run would report for `program` on inputs of the given
/// shapes (one per program input, checked against the declared shapes as
/// sim::run checks them), computed from the shapes alone: no tensor data,
/// no weights read. `out.arithmetic` is kCostOnlyArithmetic. On error returns
/// false with one message naming the instruction or input.
bool countProgram(const program::Program &program,
                  const std::vector<Shape> &inputShapes, RunReport &out,
                  std::string &error);

/// countProgram of a program program::verify has accepted, not verified
/// again (verification reads every weight of a large model).
bool countVerifiedProgram(const program::Program &program,
                          const std::vector<Shape> &inputShapes,
                          RunReport &out, std::string &error);

/// The shapes rebocc --cost-only counts, from a program alone: each input's
/// declared shape (program::Value::declared, else its program shape) with
/// the run-time batch set to 1 (one inference). The batch is what the
/// importer leaves open: the leading dimension, or dimension 1 of a rank-3
/// (sequence, batch, features) input whose dimensions 0 and 2 are known.
/// Any other -1 is one error naming the input, the dimension and the flags
/// that fix it: "input 0 ('x'): dimension 2 of its declared shape
/// [-1,1,-1,28] is unknown; give --input FILE, or fix it when compiling
/// with rebocc --input-shape x=D0xD1x... or --dim SYMBOL=VALUE".
bool declaredInputShapes(const program::Program &program,
                         std::vector<Shape> &out, std::string &error);

} // namespace rebocc::model

#endif // REBOCC_MODEL_COUNTPROGRAM_H
