//===- Driver.h - Run a program on tensor files -----------------*- C++ -*-===//
//
// The `run` command shared by `rebocc-sim` and `rebocc --run`: read inputs,
// run, write outputs and the report.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SIM_DRIVER_H
#define REBOCC_SIM_DRIVER_H

#include "rebocc/Sim/Interpreter.h"
#include "rebocc/Target/Program/Program.h"

#include <string>
#include <vector>

namespace rebocc::sim {

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

} // namespace rebocc::sim

#endif // REBOCC_SIM_DRIVER_H
