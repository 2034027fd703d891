//===- Events.h - what one run of a mapped program does ---------*- C++ -*-===//
//
// The events a crossbar layer makes (array activations, conversions, buffer
// traffic, ...) are a function of its mapping and its input shape only. The
// interpreter counts them while it runs, the compiler predicts them before
// any weights exist, and `--cost-only` counts them without running: all
// three call the functions below, so the cost model sees one set of counts.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_MODEL_EVENTS_H
#define REBOCC_MODEL_EVENTS_H

#include "rebocc/Model/Hardware.h"
#include "rebocc/Target/Program/Program.h"

#include <cstdint>
#include <string>
#include <vector>

namespace llvm::json {
class OStream;
} // namespace llvm::json

namespace rebocc::model {

/// Static and dynamic figures of one crossbar layer. Dynamic counts are totals
/// over the whole run (all batch rows / images). An *input vector* is one
/// batch row of a fully connected layer, or one im2col vector of a
/// convolution: one per image, output position and group, so a convolution
/// adds N*Ho*Wo*groups vectors. Per input vector, with `crossbars` the arrays
/// of ONE group (all arrays for FC) and `steps` = k/d rotation steps:
///   xbarActivations += crossbars * steps
///   adcConversions  += sum over the group's arrays of weightColCount*cpw,
///                      times steps
///   rotations       += crossbars * (steps - 1)
///   reductionAdds   += (rowTiles - 1) * m
///   scaleMultiplies += m with weight_scale_granularity = channel (each
///                      output times its block-row's scale), else 0
///   private input (no tile sharing): each array (each copy of mapping C)
///     gets its own copy of its real rows for every vector:
///     bufferWrites += sum realRows, bufferReads += sum realRows,
///     bufferWords = sum realRows over all arrays (static)
///   shared input (tile sharing, and the dense baseline's bus broadcast;
///     slices rotated locally, slice reusing): per vector bufferReads +=
///     kernelH*kernelW*n (each word of the vector read once and broadcast to
///     every array, copy and rotation); per input tensor bufferWrites += its
///     words (FC: n per batch row; conv: C*H*W per image); bufferWords = n
///     (FC) or the line buffer C * W * lines (conv) with lines = min(H,
///     dilationH*(kernelH-1) + 1), the rows one window spans; the largest
///     over the run (0 before any input: it depends on the image width)
///   inputWords += the input tensor's words (every mapping; 0 when an
///     earlier layer already staged the same shared buffer): what arrives
///     over the NoC
/// where realRows of an array = its logical rows whose channel/feature index
/// j*k+t (row mod q*k) is below n (program::realRows).
/// Static: uOcc = occupiedCells / capacityCells, uUniq = uniqueCells /
/// capacityCells, with occupiedCells = sum realRows*weightColCount*cpw
/// (mapping C: sum realRows*p*cpw, only the diagonal copies are programmed),
/// uniqueCells = groups*p*kernelH*kernelW*q*k*cpw, capacityCells =
/// all arrays*xbarRows*xbarCols. What duplication spent: crossbarsUndup =
/// the arrays of the same layer in mapping A with d = 1
/// (program::countUnduplicatedArrays; mapping E counts as d = k) and
/// uUniqUndup = uniqueCells / (crossbarsUndup*xbarRows*xbarCols), U_uniq
/// before duplication (the total: summed unique cells over summed
/// undup'ed capacity).
struct LayerReport {
  std::string name;
  int64_t blockSize = 1;
  std::string mapping;   // "A", "B(d)", "C(d)", "E"
  int64_t dup = 1;
  int64_t crossbars = 0;
  double uOcc = 0, uUniq = 0;
  int64_t steps = 0;           // rotation steps per input vector (k/d)
  int64_t vectors = 0;         // input vectors (conv: im2col vectors)
  // A recurrent cell's R layer reads h_{t-1}: only one time step's vectors
  // (the batch B) are known at once, so at most that many run in parallel
  // (copies of the layer cannot take later steps). 0: every vector is known
  // up front.
  int64_t vectorsPerStep = 0;
  int64_t xbarActivations = 0; // array MVMs (each covers all input bits)
  int64_t adcConversions = 0;  // one per used column per array MVM
  int64_t bufferReads = 0;     // words
  int64_t bufferWrites = 0;    // words
  int64_t bufferWords = 0;     // input buffer size (words)
  int64_t inputWords = 0;      // input words delivered to the layer's tiles
  int64_t rotations = 0;       // array MVMs fed a rotated slice (s0 != 0)
  int64_t reductionAdds = 0;   // partial-sum additions across row tiles
  int64_t scaleMultiplies = 0; // outputs times their channel scale
  // Cell counts behind uOcc/uUniq, so totals can be exact ratios of sums.
  int64_t occupiedCells = 0, uniqueCells = 0, capacityCells = 0;
  // Before duplication: mapping A, d = 1.
  int64_t crossbarsUndup = 0;
  double uUniqUndup = 0;
};

/// Element counts of one non-crossbar instruction over the whole run (the
/// cost model charges the tile's digital units with them).
struct DigitalReport {
  std::string name;
  std::string op;             // opcodeName()
  int64_t inputElements = 0;  // sum over operands
  int64_t outputElements = 0;
  int64_t afterLayer = -1;    // last crossbar layer run before it (-1: none)
  /// resize: multiply-adds per output value (the product of its axes' taps;
  /// 0 when every axis has one tap, a copy).
  int64_t macsPerOutput = 0;
  /// matmul: where it ran ("digital" or "reprogram", the instruction's
  /// mode), its product [..., M, K] x [..., K, N] as `vectors` left-operand
  /// rows (the result's batch count x M) of `rows` = K by `cols` = N, and the
  /// `matrices` right operands written (the right operand's batch count).
  std::string mode;
  int64_t vectors = 0, rows = 0, cols = 0, matrices = 0;
  /// lstm, gru: hidden-state elements computed (T*B*H) and, per element,
  /// the operations on the function (sigmoid/tanh) units and on the VFU's
  /// ALU, the multiplications among them apart (docs/CostModel.md,
  /// "Recurrent cells").
  int64_t cellElements = 0;
  int64_t functionOpsPerElement = 0, aluOpsPerElement = 0;
  int64_t aluMulOpsPerElement = 0; // of aluOpsPerElement
};

/// A run-time If the run executed: which branch ran (only its instructions
/// are counted; both branches' layers are placed and so in the area).
struct BranchReport {
  std::string name;
  bool thenTaken = true;
  bool assumed = false; // --cost-only: no data, the then branch is assumed
};

struct RunReport {
  std::string hwName;     // HardwareDesc::name of the program
  std::string arithmetic; // "fixed-point" or "float-reference"
  std::vector<LayerReport> layers;
  LayerReport total;      // sums; uOcc/uUniq = summed cells / summed capacity
  std::vector<DigitalReport> digital; // in execution order
  int64_t batch = 0; // leading dimension of the first input (0: no inputs)
  // Elements of the program's inputs and outputs over the run: what crosses
  // the chip's links from and to the host.
  int64_t inputElements = 0, outputElements = 0;
  std::vector<BranchReport> branches; // in execution order
};

/// Fills the static part of a layer's report (name, mapping, crossbars,
/// utilization, steps, buffer size) without running anything.
LayerReport staticLayerReport(const program::CrossbarLayer &layer,
                              const HardwareDesc &hw);

/// Words the input buffer of `layer` holds, the bufferWords rule above:
/// a private input the real rows of every array, a shared one the layer's n
/// input words, a shared convolution input the line buffer C * W * lines of
/// an input of NCHW shape `in`; -1 for the last when `in` is empty or leaves
/// C, H or W dynamic (-1), since the image size is not known before the run.
int64_t inputBufferWords(const program::CrossbarLayer &layer,
                         const std::vector<int64_t> &in = {});

/// The output shape of crossbar layer `layer` on an input of shape `in`
/// (N x n or n for a fully connected layer, N x C x H x W for a convolution).
/// Returns "" or a message naming what does not fit.
std::string crossbarOutputShape(const program::CrossbarLayer &layer,
                                const std::vector<int64_t> &in,
                                std::vector<int64_t> &out);

/// Adds to `report` the dynamic counts one run of `layer` on an input of
/// shape `in` makes (the formulas above LayerReport); `bufferFilled`: an
/// earlier layer already staged the same input in a shared buffer. run()
/// counts with it, and the compiler predicts a mapping's counts with it
/// before any weights exist. Returns "" or crossbarOutputShape's message.
std::string countCrossbarRun(const program::CrossbarLayer &layer,
                             const HardwareDesc &hw,
                             const std::vector<int64_t> &in, bool bufferFilled,
                             LayerReport &report);

/// "A", "B(4)", "C(2)", "E".
std::string mappingLabel(const program::CrossbarLayer &layer);

/// The report's JSON fields ("hw", "arithmetic", "layers", "totals") into
/// the object `json` is writing, so a caller can add its own (the driver's
/// "cost").
void writeRunReportFields(llvm::json::OStream &json, const RunReport &report);
/// The report as a JSON document (an object of writeRunReportFields).
std::string reportToJson(const RunReport &report);
std::string reportToTable(const RunReport &report);


/// Sets `report.total` from its layers (cells and counts summed; uOcc and
/// uUniq as ratios of the summed cells).
void sumTotals(RunReport &report);

} // namespace rebocc::model

#endif // REBOCC_MODEL_EVENTS_H
