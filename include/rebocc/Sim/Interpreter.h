//===- Interpreter.h - Cost-annotated ReRAM interpreter ---------*- C++ -*-===//
//
// Runs a tile/crossbar program. No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SIM_INTERPRETER_H
#define REBOCC_SIM_INTERPRETER_H

#include "rebocc/Sim/Tensor.h"
#include "rebocc/Target/Program/Program.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rebocc::sim {

enum class Arithmetic {
  FixedPoint,     // bit-sliced cells, quantized inputs (hw bits)
  FloatReference, // same arrays and schedule, float weights and inputs
};

/// Static and dynamic figures of one crossbar layer. Dynamic counts are totals
/// over the whole run (all batch rows). Per input vector of a layer with
/// `crossbars` arrays and `steps` = k/d rotation steps:
///   xbarActivations += crossbars * steps
///   adcConversions  += sum over arrays of weightColCount*cpw, times steps
///   rotations       += crossbars * (steps - 1)
///   reductionAdds   += (rowTiles - 1) * m
///   shared input (tile sharing; slices rotated locally, slice reusing):
///     bufferWrites += n, bufferReads += n, bufferWords = n
///   private input: each array gets its own copy of its real rows
///     bufferWrites += sum realRows, bufferReads += sum realRows,
///     bufferWords = sum realRows
/// where realRows of an array = its logical rows whose input index j*k+t < n.
/// Static: uOcc = occupiedCells / capacityCells, uUniq = uniqueCells /
/// capacityCells, with occupiedCells = sum realRows*weightColCount*cpw,
/// uniqueCells = p*q*k*cpw, capacityCells = crossbars*xbarRows*xbarCols.
struct LayerReport {
  std::string name;
  int64_t blockSize = 1;
  std::string mapping;   // "A", "B(d)", "E"
  int64_t dup = 1;
  int64_t crossbars = 0;
  double uOcc = 0, uUniq = 0;
  int64_t steps = 0;           // rotation steps per input vector (k/d)
  int64_t vectors = 0;         // input vectors processed
  int64_t xbarActivations = 0; // array MVMs (each covers all input bits)
  int64_t adcConversions = 0;  // one per used column per array MVM
  int64_t bufferReads = 0;     // words
  int64_t bufferWrites = 0;    // words
  int64_t bufferWords = 0;     // input buffer size (words)
  int64_t rotations = 0;       // array MVMs fed a rotated slice (s0 != 0)
  int64_t reductionAdds = 0;   // partial-sum additions across row tiles
  // Cell counts behind uOcc/uUniq, so totals can be exact ratios of sums.
  int64_t occupiedCells = 0, uniqueCells = 0, capacityCells = 0;
};

struct RunReport {
  std::string hwName;     // HardwareDesc::name of the program
  std::string arithmetic; // "fixed-point" or "float-reference"
  std::vector<LayerReport> layers;
  LayerReport total;      // sums; uOcc/uUniq = summed cells / summed capacity
};

struct RunOptions {
  Arithmetic arithmetic = Arithmetic::FixedPoint;
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

/// "[1,784]".
std::string shapeToString(const std::vector<int64_t> &shape);

/// Fills the static part of a layer's report (name, mapping, crossbars,
/// utilization, steps, buffer size) without running anything.
LayerReport staticLayerReport(const program::CrossbarLayer &layer,
                              const HardwareDesc &hw);

/// "A", "B(4)", "E".
std::string mappingLabel(const program::CrossbarLayer &layer);

std::string reportToJson(const RunReport &report);
std::string reportToTable(const RunReport &report);

} // namespace rebocc::sim

#endif // REBOCC_SIM_INTERPRETER_H
