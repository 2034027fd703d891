//===- Driver.h - Run a program on tensor files -----------------*- C++ -*-===//
//
// The `run` command shared by `rebocc-sim` and `rebocc --run`: read inputs,
// run, write outputs and the report.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SIM_DRIVER_H
#define REBOCC_SIM_DRIVER_H

#include "rebocc/Model/CostModel.h"
#include "rebocc/Sim/Accuracy.h"
#include "rebocc/Sim/Interpreter.h"
#include "rebocc/Support/Provenance.h"
#include "rebocc/Target/Program/Program.h"

#include <string>
#include <vector>

namespace rebocc::sim {

using model::CostOptions;
using model::CostReport;

/// Reads one TensorProto per program input (count and shapes checked against
/// the program; -1 = any size), runs the program, writes
/// `outputDir/output_<i>.pb` (named after the program's output values; the
/// directory is created), writes the JSON report to `reportPath` unless it is
/// empty, and prints the report table to stdout. Errors go to stderr as
/// `<toolName>: error: <message>`. Returns the process exit code (0 or 1).
int runProgramCommand(const program::Program &program,
                      const std::vector<std::string> &inputPaths,
                      const std::string &outputDir,
                      const std::string &reportPath, const RunOptions &options,
                      const std::string &toolName);

/// What the run command adds on top of the interpreter's counts.
struct CostRunOptions {
  bool enabled = true;   // estimate the cost (JSON "cost", table lines)
  /// --cost-only: count the events from the shapes alone (model::countProgram)
  /// instead of running the program: no tensor data is computed and no
  /// output files are written (the output directory is ignored). The input
  /// shapes come from the input files when given, else from the program's
  /// declared input shapes with a dynamic batch of 1
  /// (model::declaredInputShapes).
  bool costOnly = false;
  /// With costOnly and no input files: the imported model's input shapes
  /// (rebocc; with --input-shape and --dim when given), used instead of the
  /// program's declared ones, whose image dims the emitter leaves open. A -1
  /// leading dim is the batch, counted as 1. Empty (rebocc-sim): the
  /// declared shapes.
  std::vector<std::vector<int64_t>> inputShapes;
  CostOptions cost;      // pipeline and overflow; inferences = the batch
  std::string htmlPath;  // also write the HTML report here unless empty
  /// Where the JSON report came from: written at its head, with the seed
  /// and the program's hardware description (docs/Report.md).
  support::ReportProvenance provenance;
  /// The caller has verified the program as it is (program::verify, as
  /// readProgramFile does): it is not verified again. Verifying reads every
  /// weight.
  bool programVerified = false;
};

/// As above, with the cost model: the JSON report gains a "cost" object
/// (costToJson), the printed table the cost lines (costToTable), and
/// `cost.htmlPath` gets costToHtml. The number of inferences is the leading
/// dimension of the first input. With cost.costOnly nothing is simulated
/// and `outputDir` is not used (see CostRunOptions::costOnly). With
/// `accuracy` enabled (--labels, --trials) the program runs on ideal analog
/// hardware and once per trial (evaluateAccuracy): the outputs and counts
/// are the first trial's, the JSON report gains "accuracy" (writeAccuracyJson)
/// and the table its lines.
int runProgramCommand(const program::Program &program,
                      const std::vector<std::string> &inputPaths,
                      const std::string &outputDir,
                      const std::string &reportPath, const RunOptions &options,
                      const CostRunOptions &cost, const std::string &toolName,
                      const AccuracyOptions &accuracy = AccuracyOptions());

/// runProgramCommand in memory (the Python package): runs `program` on
/// `inputs` (count and shapes checked; with cost.costOnly only their shapes
/// are used, and no inputs at all count the declared or cost.inputShapes
/// shapes) and returns the outputs and the JSON report the command would
/// write, provenance included. Nothing is printed or written but the HTML
/// page at cost.htmlPath, when given; false with `error` (no tool name) on
/// failure.
bool runProgram(const program::Program &program,
                const std::vector<Tensor> &inputs, const RunOptions &options,
                const CostRunOptions &cost, const AccuracyOptions &accuracy,
                std::vector<Tensor> &outputs, std::string &reportJson,
                std::string &error);

/// Runs several programs of the same model (e.g. `labels` = {"reboc",
/// "dense"}) on the same inputs and reports them side by side: outputs of
/// program i go to `outputDir/<label i>/` (none with cost.costOnly), the JSON report is
/// {"compare": [<report of each, with "cost">], "ratios": {...}} (ratios of
/// each later report to the first), the table prints each report and the
/// ratios, the HTML page compares the first two. Returns the exit code.
int compareProgramsCommand(const std::vector<const program::Program *> &programs,
                           const std::vector<std::string> &labels,
                           const std::vector<std::string> &inputPaths,
                           const std::string &outputDir,
                           const std::string &reportPath,
                           const RunOptions &options,
                           const CostRunOptions &cost,
                           const std::string &toolName,
                           const AccuracyOptions &accuracy = AccuracyOptions());

/// compareProgramsCommand in memory (the Python package's rebocc.compare):
/// runs (with cost.costOnly counts) each program on `inputs` and returns
/// each program's outputs and the JSON report the command would write.
/// Nothing is printed or written but the HTML page at cost.htmlPath, when
/// given; false with `error` on failure.
bool comparePrograms(const std::vector<const program::Program *> &programs,
                     const std::vector<std::string> &labels,
                     const std::vector<Tensor> &inputs,
                     const RunOptions &options, const CostRunOptions &cost,
                     const AccuracyOptions &accuracy,
                     std::vector<std::vector<Tensor>> &outputs,
                     std::string &reportJson, std::string &error);

/// Whether input `index` of `program` takes data of ONNX element type
/// `dataType` holding `elements` values, as an --input file: "" or
/// "unexpected input data type: actual tensor(double), expected
/// tensor(float)" (onnxruntime's words). A typed input (bool, an integer
/// type) takes its own type only; an untyped one float32, 8-bit integers
/// or one INT32, INT64 or BOOL value (a setting).
std::string checkInputDataType(const program::Program &program, size_t index,
                               int dataType, size_t elements);

/// The run report JSON (reportToJson) with `cost`, when given, as its "cost"
/// object (model::writeCostJson).
std::string reportWithCostToJson(const RunReport &counts,
                                 const CostReport *cost);

} // namespace rebocc::sim

#endif // REBOCC_SIM_DRIVER_H
