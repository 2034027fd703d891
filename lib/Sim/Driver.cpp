//===- Driver.cpp - Run a program on tensor files -------------------------===//

#include "rebocc/Sim/Driver.h"
#include "rebocc/Support/FileIO.h"
#include "rebocc/Support/TensorIO.h"

#include <cstdio>
#include <filesystem>
#include <system_error>

namespace rebocc::sim {

namespace {

int fail(const std::string &tool, const std::string &message) {
  std::fprintf(stderr, "%s: error: %s\n", tool.c_str(), message.c_str());
  return 1;
}

} // namespace

int runProgramCommand(const program::Program &program,
                      const std::vector<std::string> &inputPaths,
                      const std::string &outputDir,
                      const std::string &reportPath, const RunOptions &options,
                      const std::string &toolName) {
  std::string error = program::verify(program);
  if (!error.empty())
    return fail(toolName, "invalid program: " + error);
  if (inputPaths.size() != program.inputs.size())
    return fail(toolName, "the program has " +
                              std::to_string(program.inputs.size()) +
                              " input(s), " +
                              std::to_string(inputPaths.size()) +
                              " --input file(s) were given");

  std::vector<Tensor> inputs(inputPaths.size());
  for (size_t i = 0; i < inputPaths.size(); ++i) {
    std::string name;
    if (!readTensorProto(inputPaths[i], inputs[i], name, error))
      return fail(toolName, error);
    const program::Value &v = program.values[program.inputs[i]];
    std::string e = checkShape(v.shape, inputs[i].shape);
    if (!e.empty())
      return fail(toolName, inputPaths[i] + ": input " + std::to_string(i) +
                                " ('" + v.name + "'): " + e);
  }

  std::vector<Tensor> outputs;
  RunReport report;
  if (!run(program, inputs, options, outputs, report, error))
    return fail(toolName, error);

  std::error_code ec;
  std::filesystem::create_directories(outputDir, ec);
  if (ec)
    return fail(toolName, outputDir + ": cannot create directory: " +
                              ec.message());
  for (size_t i = 0; i < outputs.size(); ++i) {
    std::string path = (std::filesystem::path(outputDir) /
                        ("output_" + std::to_string(i) + ".pb"))
                           .string();
    if (!writeTensorProto(path, outputs[i],
                          program.values[program.outputs[i]].name, error))
      return fail(toolName, error);
  }
  if (!reportPath.empty() &&
      !writeFileBytes(reportPath, reportToJson(report), error))
    return fail(toolName, error);
  std::fputs(reportToTable(report).c_str(), stdout);
  std::fflush(stdout);
  return 0;
}

} // namespace rebocc::sim
