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
#include <functional>
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
  /// Fixed point only: always run the programmed cells bit-serially through
  /// the ADCs (docs/Accuracy.md). By default a layer that is provably
  /// lossless (ideal devices, an ADC that neither rounds nor clips) is
  /// computed directly from the quantized weights instead, which is
  /// bit-identical and much faster; any other layer runs the cells anyway.
  /// The counters do not depend on this flag.
  bool bitSliced = false;
  /// Worker threads of the crossbar layers (`-j`); 0: one per hardware
  /// thread. Outputs and counts do not depend on it: every output is
  /// computed by one task, in the same order of additions.
  unsigned threads = 1;
  /// Seed of every device-noise draw (docs/Accuracy.md, "Generator").
  uint64_t seed = 0;
  /// Ideal analog hardware: no ADC rounding or clipping, ideal devices,
  /// whatever the hardware description says (the reference of the accuracy
  /// report).
  bool idealAnalog = false;
  /// adc_range = calibrated: each layer's ADC full scale, by program layer
  /// index (calibrateAdc, rebocc/Sim/Accuracy.h).
  std::vector<double> adcFullScale;
  /// When set, every crossbar layer runs its cells and counts each column
  /// sum: (*adcHistograms)[layer][sum] (ideal analog runs only).
  std::vector<std::vector<int64_t>> *adcHistograms = nullptr;
  /// Called with each crossbar instruction's index and output, when set.
  std::function<void(size_t, const Tensor &)> onCrossbarOutput;
};

/// Runs `program` on `inputs` (one per program input, in order). On error
/// returns false with one message naming the instruction or input.
bool run(const program::Program &program, const std::vector<Tensor> &inputs,
         const RunOptions &options, std::vector<Tensor> &outputs,
         RunReport &report, std::string &error);

/// run() of a program that program::verify() has accepted as it is (the
/// driver verifies once; verifying reads every weight).
bool runVerified(const program::Program &program,
                 const std::vector<Tensor> &inputs, const RunOptions &options,
                 std::vector<Tensor> &outputs, RunReport &report,
                 std::string &error);

/// The estimated peak memory of running `program` on inputs of
/// `inputShapes` (MemoryEstimate.cpp): the program, the inputs, the largest
/// layer's arrays, the most values live at once and the outputs. "" when it
/// fits the --max-memory budget (or a shape is invalid: run() reports
/// that), otherwise the error, naming the largest part.
std::string checkRunMemory(const program::Program &program,
                           const std::vector<std::vector<int64_t>> &inputShapes);

/// Checks an actual shape against a program value shape (same rank; equal
/// dims except -1, the batch, which matches any size). Returns "" or a
/// message.
std::string checkShape(const std::vector<int64_t> &expected,
                       const std::vector<int64_t> &actual);

} // namespace rebocc::sim

#endif // REBOCC_SIM_INTERPRETER_H
