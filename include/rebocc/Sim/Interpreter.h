//===- Interpreter.h - Cost-annotated ReRAM interpreter ---------*- C++ -*-===//
//
// Runs a tile/crossbar program. No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SIM_INTERPRETER_H
#define REBOCC_SIM_INTERPRETER_H

#include "rebocc/Model/Events.h"
#include "rebocc/Support/Shapes.h"
#include "rebocc/Support/Tensor.h"
#include "rebocc/Target/Program/Program.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rebocc::sim {

using model::DigitalReport;
using model::HardwareDesc;
using model::LayerReport;
using model::RunReport;
using model::mappingLabel;
using support::shapeToString;
using support::Tensor;

enum class Arithmetic {
  FixedPoint,     // bit-sliced cells, quantized inputs (hw bits; one dynamic
                  // scale per FC input vector, per image for convolutions)
  FloatReference, // same arrays and schedule, float weights and inputs
};

struct RunOptions {
  Arithmetic arithmetic = Arithmetic::FixedPoint;
  /// Fixed point only: run the materialized bit-sliced cells (column sums,
  /// shift-and-add, unit column). By default the same integer outputs are
  /// computed directly from the quantized weights, which is bit-identical
  /// (ADC resolution and clipping are not modelled) and much faster; the
  /// counters do not depend on this flag.
  bool bitSliced = false;
};

/// Runs `program` on `inputs` (one per program input, in order). On error
/// returns false with one message naming the instruction or input.
bool run(const program::Program &program, const std::vector<Tensor> &inputs,
         const RunOptions &options, std::vector<Tensor> &outputs,
         RunReport &report, std::string &error);

/// Checks an actual shape against a program value shape (same rank; equal
/// dims except -1, the batch, which matches any size). Returns "" or a
/// message.
std::string checkShape(const std::vector<int64_t> &expected,
                       const std::vector<int64_t> &actual);

} // namespace rebocc::sim

#endif // REBOCC_SIM_INTERPRETER_H
