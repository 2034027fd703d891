//===- Driver.cpp - Run a program on tensor files -------------------------===//

#include "rebocc/Sim/Driver.h"
#include "rebocc/Sim/Accuracy.h"
#include "rebocc/Model/Attribution.h"
#include "rebocc/Model/CountProgram.h"
#include "rebocc/Support/FileIO.h"
#include "rebocc/Support/TensorIO.h"

#include <algorithm>
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

std::string reportWithCostToJson(const RunReport &counts,
                                 const CostReport *cost) {
  std::string json = model::reportToJson(counts);
  if (!cost)
    return json;
  // reportToJson ends with "}\n": reopen the object.
  size_t close = json.rfind('}');
  if (close == std::string::npos)
    return json;
  json.erase(close);
  while (!json.empty() && (json.back() == '\n' || json.back() == ' '))
    json.pop_back();
  return json + ",\n  \"cost\": " + model::costToJson(*cost) + "\n}\n";
}

namespace {

/// Reads and checks the inputs once for every program.
bool readInputs(const program::Program &program,
                const std::vector<std::string> &inputPaths,
                std::vector<Tensor> &inputs, std::string &error) {
  if (inputPaths.size() != program.inputs.size()) {
    error = "the program has " + std::to_string(program.inputs.size()) +
            " input(s), " + std::to_string(inputPaths.size()) +
            " --input file(s) were given";
    return false;
  }
  inputs.assign(inputPaths.size(), Tensor());
  for (size_t i = 0; i < inputPaths.size(); ++i) {
    std::string name;
    if (!readTensorProto(inputPaths[i], inputs[i], name, error))
      return false;
    const program::Value &v = program.values[program.inputs[i]];
    std::string e = checkShape(v.shape, inputs[i].shape);
    if (!e.empty()) {
      error = inputPaths[i] + ": input " + std::to_string(i) + " ('" + v.name +
              "'): " + e;
      return false;
    }
  }
  return true;
}

bool writeOutputs(const program::Program &program,
                  const std::vector<Tensor> &outputs,
                  const std::string &outputDir, std::string &error) {
  std::error_code ec;
  std::filesystem::create_directories(outputDir, ec);
  if (ec) {
    error = outputDir + ": cannot create directory: " + ec.message();
    return false;
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    std::string path = (std::filesystem::path(outputDir) /
                        ("output_" + std::to_string(i) + ".pb"))
                           .string();
    if (!writeTensorProto(path, outputs[i],
                          program.values[program.outputs[i]].name, error))
      return false;
  }
  return true;
}

/// What runOne produces for one program.
struct RunResult {
  std::vector<Tensor> outputs; // empty with costOnly
  RunReport report;
  CostReport cost;
  AccuracyReport accuracy;        // accuracy options enabled
  std::vector<double> adcFullScale; // adc_range = calibrated
};

/// adc_range = calibrated: the ADC full scale of every layer from the
/// calibration inputs, into `options`. Other ranges refuse calibration
/// inputs.
bool calibrate(const program::Program &program,
               const AccuracyOptions &accuracyOptions, RunOptions &options,
               std::vector<double> &fullScale, std::string &error) {
  const bool calibrated = program.hw.adcRange == "calibrated";
  if (!calibrated && !accuracyOptions.calibrationInputs.empty()) {
    error = "--calibration-input needs adc_range = calibrated (it is '" +
            program.hw.adcRange + "')";
    return false;
  }
  if (!calibrated)
    return true;
  if (accuracyOptions.calibrationInputs.empty()) {
    error = "adc_range = calibrated needs --calibration-input";
    return false;
  }
  std::vector<Tensor> inputs;
  if (!readInputs(program, accuracyOptions.calibrationInputs, inputs, error) ||
      !calibrateAdc(program, inputs, options, fullScale, error))
    return false;
  options.adcFullScale = fullScale;
  return true;
}

/// Runs one program (or, with costOnly, counts it from the input shapes) and,
/// when enabled, its cost, its ADC calibration and its accuracy
/// (evaluateAccuracy: the outputs and counts are the first trial's).
bool runOne(const program::Program &program,
            const std::vector<std::string> &inputPaths,
            const RunOptions &runOptions, const CostRunOptions &costOptions,
            const AccuracyOptions &accuracyOptions, const std::string &label,
            RunResult &result, std::string &error) {
  if (accuracyOptions.enabled() && costOptions.costOnly) {
    error = "--labels and --trials need a run; --cost-only runs nothing";
    return false;
  }
  std::string e = program::verify(program);
  if (!e.empty()) {
    error = "invalid program: " + e;
    return false;
  }
  RunOptions options = runOptions;
  if (!costOptions.costOnly &&
      !calibrate(program, accuracyOptions, options, result.adcFullScale, error))
    return false;
  std::vector<Tensor> &outputs = result.outputs;
  RunReport &report = result.report;
  CostReport &cost = result.cost;
  std::vector<Tensor> inputs;
  if (costOptions.costOnly && inputPaths.empty()) {
    std::vector<model::Shape> shapes;
    if (!model::declaredInputShapes(program, shapes, error) ||
        !model::countProgram(program, shapes, report, error))
      return false;
  } else if (!readInputs(program, inputPaths, inputs, error)) {
    return false;
  } else if (costOptions.costOnly) {
    // Only the shapes of the files are used.
    std::vector<model::Shape> shapes;
    for (const Tensor &t : inputs)
      shapes.push_back(t.shape);
    if (!model::countProgram(program, shapes, report, error))
      return false;
  } else if (accuracyOptions.enabled()) {
    if (!evaluateAccuracy(program, inputs, options, accuracyOptions, outputs,
                          report, result.accuracy, error))
      return false;
  } else if (!run(program, inputs, options, outputs, report, error)) {
    return false;
  }
  if (!costOptions.enabled)
    return true;
  CostOptions co = costOptions.cost;
  co.inferences = std::max<int64_t>(1, report.batch);
  if (!model::estimateCost(program, report, program.hw, co, cost, error)) {
    error = "cost model: " + error;
    return false;
  }
  cost.mapping = label;
  return true;
}

/// The run report JSON with the cost and, when present, the ADC
/// calibration and the accuracy.
std::string reportWithAnalogToJson(const program::Program &program,
                                   const RunResult &result,
                                   const CostReport *cost,
                                   const AccuracyOptions &accuracyOptions) {
  std::string json = reportWithCostToJson(result.report, cost);
  if (!result.adcFullScale.empty())
    json = addJsonMember(json, "adc_calibration",
                         adcCalibrationToJson(program, result.adcFullScale));
  if (accuracyOptions.enabled())
    json = addJsonMember(json, "accuracy", accuracyToJson(result.accuracy));
  return json;
}

/// The table lines of the ADC calibration and the accuracy, when present.
std::string analogToTable(const program::Program &program,
                          const RunResult &result,
                          const AccuracyOptions &accuracyOptions) {
  std::string table;
  if (!result.adcFullScale.empty())
    table += adcCalibrationToTable(program, result.adcFullScale);
  if (accuracyOptions.enabled())
    table += accuracyToTable(result.accuracy);
  return table;
}

} // namespace

int runProgramCommand(const program::Program &program,
                      const std::vector<std::string> &inputPaths,
                      const std::string &outputDir,
                      const std::string &reportPath, const RunOptions &options,
                      const std::string &toolName) {
  return runProgramCommand(program, inputPaths, outputDir, reportPath, options,
                           CostRunOptions(), toolName);
}

int runProgramCommand(const program::Program &program,
                      const std::vector<std::string> &inputPaths,
                      const std::string &outputDir,
                      const std::string &reportPath, const RunOptions &options,
                      const CostRunOptions &costOptions,
                      const std::string &toolName,
                      const AccuracyOptions &accuracyOptions) {
  std::string error;
  RunResult result;
  if (!runOne(program, inputPaths, options, costOptions, accuracyOptions, "",
              result, error))
    return fail(toolName, error);
  if (!costOptions.costOnly &&
      !writeOutputs(program, result.outputs, outputDir, error))
    return fail(toolName, error);
  const CostReport *costPtr = costOptions.enabled ? &result.cost : nullptr;
  std::string json = reportWithAnalogToJson(program, result, costPtr,
                                            accuracyOptions);
  if (!reportPath.empty() && !writeFileBytes(reportPath, json, error))
    return fail(toolName, error);
  if (costOptions.enabled && !costOptions.htmlPath.empty() &&
      !writeFileBytes(costOptions.htmlPath,
                      model::costToHtml({result.cost}, {result.report}),
                      error))
    return fail(toolName, error);
  std::string table = model::reportToTable(result.report);
  if (costPtr)
    table += model::costToTable(result.cost);
  table += analogToTable(program, result, accuracyOptions);
  std::fputs(table.c_str(), stdout);
  std::fflush(stdout);
  return 0;
}

int compareProgramsCommand(const std::vector<const program::Program *> &programs,
                           const std::vector<std::string> &labels,
                           const std::vector<std::string> &inputPaths,
                           const std::string &outputDir,
                           const std::string &reportPath,
                           const RunOptions &options,
                           const CostRunOptions &costOptions,
                           const std::string &toolName,
                           const AccuracyOptions &accuracyOptions) {
  if (programs.empty() || programs.size() != labels.size())
    return fail(toolName, "compare needs one label per program");
  for (const program::Program *p : programs)
    if (!p)
      return fail(toolName, "compare: missing program");
  CostRunOptions co = costOptions;
  co.enabled = true;
  std::vector<RunResult> results(programs.size());
  std::vector<RunReport> reports(programs.size());
  std::vector<CostReport> costs(programs.size());
  std::string error;
  for (size_t i = 0; i < programs.size(); ++i) {
    if (!runOne(*programs[i], inputPaths, options, co, accuracyOptions,
                labels[i], results[i], error))
      return fail(toolName, labels[i] + ": " + error);
    reports[i] = results[i].report;
    costs[i] = results[i].cost;
    if (co.costOnly)
      continue;
    std::string dir = (std::filesystem::path(outputDir) / labels[i]).string();
    if (!writeOutputs(*programs[i], results[i].outputs, dir, error))
      return fail(toolName, error);
  }
  auto ratio = [](double x, double y) { return y > 0 ? x / y : 0.0; };
  auto num = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.6g", v);
    return std::string(buf);
  };
  std::string json = "{\n\"compare\": [\n";
  std::string table;
  for (size_t i = 0; i < programs.size(); ++i) {
    json += (i ? ",\n" : "") + reportWithAnalogToJson(*programs[i], results[i],
                                                     &costs[i], accuracyOptions);
    table += "## " + labels[i] + "\n" + model::reportToTable(reports[i]) +
             model::costToTable(costs[i]) +
             analogToTable(*programs[i], results[i], accuracyOptions);
  }
  // Ratios: each later report's figure over the first's.
  json += "],\n\"ratios\": {";
  for (size_t i = 1; i < programs.size(); ++i) {
    const CostReport &a = costs[0], &b = costs[i];
    std::string key = labels[i] + "/" + labels[0];
    json += std::string(i > 1 ? ", " : "") + "\"" + key +
            "\": {\"latency\": " + num(ratio(b.latencyS, a.latencyS)) +
            ", \"throughput\": " + num(ratio(b.throughputPerS, a.throughputPerS)) +
            ", \"energy\": " + num(ratio(b.energyJ, a.energyJ)) +
            ", \"area\": " + num(ratio(b.areaMm2, a.areaMm2)) +
            ", \"crossbars\": " +
            num(ratio(static_cast<double>(b.crossbars),
                      static_cast<double>(a.crossbars))) +
            "}";
    table += "ratio " + key + ": latency " + num(ratio(b.latencyS, a.latencyS)) +
             ", energy " + num(ratio(b.energyJ, a.energyJ)) + ", area " +
             num(ratio(b.areaMm2, a.areaMm2)) + ", crossbars " +
             num(ratio(static_cast<double>(b.crossbars),
                       static_cast<double>(a.crossbars))) +
             "\n";
  }
  json += "},\n\"attribution\": {";
  for (size_t i = 1; i < programs.size(); ++i) {
    std::string key = labels[i] + "/" + labels[0];
    auto rows = model::attributeDifferences(costs[0], reports[0], costs[i],
                                            reports[i]);
    json += std::string(i > 1 ? ",\n" : "\n") + "\"" + key +
            "\": " + model::attributionToJson(rows);
    table += model::attributionToTable(rows, labels[0] + " and " + labels[i]);
  }
  json += "\n}\n}\n";
  if (!reportPath.empty() && !writeFileBytes(reportPath, json, error))
    return fail(toolName, error);
  if (!costOptions.htmlPath.empty() &&
      !writeFileBytes(costOptions.htmlPath, model::costToHtml(costs, reports), error))
    return fail(toolName, error);
  std::fputs(table.c_str(), stdout);
  std::fflush(stdout);
  return 0;
}

} // namespace rebocc::sim
