//===- Driver.cpp - Run a program on tensor files -------------------------===//

#include "rebocc/Sim/Driver.h"
#include "rebocc/Sim/Accuracy.h"
#include "rebocc/Model/Attribution.h"
#include "rebocc/Model/CountProgram.h"
#include "rebocc/Support/CastTypes.h"
#include "rebocc/Support/FileIO.h"
#include "rebocc/Support/Json.h"
#include "rebocc/Support/Monitor.h"
#include "rebocc/Support/Provenance.h"
#include "rebocc/Support/TensorIO.h"
#include "rebocc/Target/Program/AdcNeed.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <system_error>

namespace rebocc::sim {

namespace {

int fail(const std::string &tool, const std::string &message) {
  support::Monitor::get().clearLine();
  std::fprintf(stderr, "%s: error: %s\n", tool.c_str(), message.c_str());
  return 1;
}

} // namespace

namespace {

using WriteMembers = llvm::function_ref<void(llvm::json::OStream &)>;

/// The run report's object: the members `head` writes (the provenance of a
/// top-level report), the counts, `cost`, when given, as its "cost", and
/// the members `extra` writes after it (the ADC calibration and the
/// accuracy).
void writeReportWithCost(llvm::json::OStream &json, const RunReport &counts,
                         const CostReport *cost, WriteMembers extra = nullptr,
                         WriteMembers head = nullptr) {
  json.object([&] {
    if (head)
      head(json);
    model::writeRunReportFields(json, counts);
    if (cost) {
      json.attributeBegin("cost");
      model::writeCostJson(json, *cost);
      json.attributeEnd();
    }
    if (extra)
      extra(json);
  });
}

} // namespace

std::string reportWithCostToJson(const RunReport &counts,
                                 const CostReport *cost) {
  return support::jsonDocument([&](llvm::json::OStream &json) {
    writeReportWithCost(json, counts, cost);
  });
}

std::string checkInputDataType(const program::Program &program, size_t index,
                               int dataType, size_t elements) {
  const program::Value &v = program.values[program.inputs[index]];
  auto wrongType = [&](int expected) {
    return "unexpected input data type: actual " + tensorTypeName(dataType) +
           ", expected " + tensorTypeName(expected);
  };
  // A typed input (bool, an integer type) takes data of that type, like
  // onnxruntime.
  if (std::optional<int> type = support::valueTypeOnnx(v.dtype))
    return dataType == *type ? "" : wrongType(*type);
  // An untyped input (programs before typed inputs) is float32, quantized
  // 8-bit data or one integer or boolean setting.
  if (dataType == kFloatDataType || dataType == kUint8DataType ||
      dataType == kInt8DataType ||
      ((dataType == kInt32DataType || dataType == kInt64DataType ||
        dataType == kBoolDataType) &&
       elements == 1))
    return "";
  return wrongType(kFloatDataType);
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
    int dataType = 0;
    const program::Value &v = program.values[program.inputs[i]];
    if (!readTensorProto(inputPaths[i], inputs[i], name, error, &dataType)) {
      // Name the graph input too (the file's tensor name may differ).
      std::string prefix = inputPaths[i] + ": ";
      if (llvm::StringRef(error).starts_with(prefix))
        error = prefix + "input " + std::to_string(i) + " ('" + v.name +
                "'): " + error.substr(prefix.size());
      return false;
    }
    // readTensorProto converted the file's values to float32 exactly.
    std::string e =
        checkInputDataType(program, i, dataType, inputs[i].data.size());
    if (e.empty())
      e = checkShape(v.shape, inputs[i].shape);
    if (!e.empty()) {
      error = inputPaths[i] + ": input " + std::to_string(i) + " ('" + v.name +
              "'): " + e;
      return false;
    }
  }
  return true;
}

/// Checks inputs given in memory (the Python package) as readInputs checks
/// the files' (the count, each shape; the caller checked the element
/// types, checkInputDataType). `what` names them: "input", "calibration
/// input".
bool checkInputs(const program::Program &program,
                 const std::vector<Tensor> &inputs, std::string &error,
                 const std::string &what = "input") {
  if (inputs.size() != program.inputs.size()) {
    error = "the program has " + std::to_string(program.inputs.size()) +
            " input(s), " + std::to_string(inputs.size()) +
            (what == "input" ? "" : " " + what + "s") + " were given";
    return false;
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    const program::Value &v = program.values[program.inputs[i]];
    std::string e = checkShape(v.shape, inputs[i].shape);
    if (!e.empty()) {
      error = what + " " + std::to_string(i) + " ('" + v.name + "'): " + e;
      return false;
    }
  }
  return true;
}

/// Removes output_<N>.pb files with N >= `count` from `outputDir`: an
/// earlier run of a program with more outputs left them, and next to this
/// run's outputs they would look like its own. Nothing else is touched.
bool removeStaleOutputs(const std::string &outputDir, size_t count,
                        std::string &error) {
  std::error_code ec;
  for (const auto &entry : std::filesystem::directory_iterator(outputDir, ec)) {
    std::string name = entry.path().filename().string();
    llvm::StringRef index(name);
    if (!index.consume_front("output_") || !index.consume_back(".pb") ||
        index.empty() || !llvm::all_of(index, llvm::isDigit))
      continue;
    unsigned long long n;
    if (!index.getAsInteger(10, n) && n < count)
      continue;
    std::error_code removeError;
    if (!std::filesystem::remove(entry.path(), removeError) || removeError) {
      error = entry.path().string() + ": cannot remove a stale output of an "
              "earlier run: " + removeError.message();
      return false;
    }
  }
  if (ec) {
    error = outputDir + ": cannot list: " + ec.message();
    return false;
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
    const program::Value &value = program.values[program.outputs[i]];
    if (!writeTensorProto(path, outputs[i], value.name, error, value.dtype))
      return false;
  }
  return removeStaleOutputs(outputDir, outputs.size(), error);
}

/// The report paths and the output directory can be written: checked before
/// running, so a bad path fails before any output is written.
bool checkOutputPaths(const std::string &outputDir,
                      const std::string &reportPath,
                      const CostRunOptions &costOptions, std::string &error) {
  if (!reportPath.empty() && !checkWritablePath(reportPath, error))
    return false;
  if (costOptions.enabled && !costOptions.htmlPath.empty() &&
      !checkWritablePath(costOptions.htmlPath, error))
    return false;
  if (!costOptions.costOnly && !outputDir.empty() &&
      std::filesystem::exists(outputDir) &&
      !std::filesystem::is_directory(outputDir)) {
    error = outputDir + ": --output-dir is not a directory";
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
  const bool given = !accuracyOptions.calibrationInputs.empty() ||
                     accuracyOptions.calibration;
  if (!calibrated && given) {
    error = "--calibration-input needs adc_range = calibrated (it is '" +
            program.hw.adcRange + "')";
    return false;
  }
  if (!calibrated)
    return true;
  if (!given) {
    error = "adc_range = calibrated needs --calibration-input";
    return false;
  }
  support::Monitor::Stage stage("calibrate");
  std::vector<Tensor> read;
  const std::vector<Tensor> &inputs =
      accuracyOptions.calibration ? *accuracyOptions.calibration : read;
  if (!(accuracyOptions.calibration
            ? checkInputs(program, inputs, error, "calibration input")
            : readInputs(program, accuracyOptions.calibrationInputs, read,
                         error)) ||
      !calibrateAdc(program, inputs, options, fullScale, error))
    return false;
  options.adcFullScale = fullScale;
  return true;
}

using Stage = support::Monitor::Stage;

/// "simulate", or "simulate (dense)" for one program of a comparison.
std::string stageName(const char *stage, const std::string &label) {
  return label.empty() ? stage : std::string(stage) + " (" + label + ")";
}

/// The inputs of a run: counted from the shapes alone with costOnly (and no
/// input files), else read, then simulated (with the accuracy trials when
/// enabled) or, with costOnly, counted from the files' shapes. With `given`
/// the inputs are `*given` instead of files. runOne has verified `program`.
bool countOrRun(const program::Program &program,
                const std::vector<std::string> &inputPaths,
                const RunOptions &options, const CostRunOptions &costOptions,
                const AccuracyOptions &accuracyOptions,
                const std::string &label, RunResult &result,
                std::string &error, const std::vector<Tensor> *given) {
  std::vector<Tensor> &outputs = result.outputs;
  RunReport &report = result.report;
  std::vector<Tensor> read;
  const std::vector<Tensor> &inputs = given ? *given : read;
  if (costOptions.costOnly && (given ? given->empty() : inputPaths.empty())) {
    Stage stage(stageName("count", label));
    std::vector<model::Shape> shapes = costOptions.inputShapes;
    for (model::Shape &shape : shapes)
      if (!shape.empty() && shape[0] == -1)
        shape[0] = 1; // the batch: one inference
    return (!shapes.empty() ||
            model::declaredInputShapes(program, shapes, error)) &&
           model::countVerifiedProgram(program, shapes, report, error);
  }
  {
    Stage stage(stageName("read inputs", label));
    if (given ? !checkInputs(program, *given, error)
              : !readInputs(program, inputPaths, read, error))
      return false;
  }
  if (costOptions.costOnly) {
    Stage stage(stageName("count", label));
    // Only the shapes of the files are used.
    std::vector<model::Shape> shapes;
    for (const Tensor &t : inputs)
      shapes.push_back(t.shape);
    return model::countVerifiedProgram(program, shapes, report, error);
  }
  Stage stage(stageName("simulate", label));
  if (accuracyOptions.enabled())
    return evaluateAccuracy(program, inputs, options, accuracyOptions, outputs,
                            report, result.accuracy, error);
  return runVerified(program, inputs, options, outputs, report, error);
}

/// Runs one program (or, with costOnly, counts it from the input shapes) and,
/// when enabled, its cost, its ADC calibration and its accuracy
/// (evaluateAccuracy: the outputs and counts are the first trial's).
/// The inputs are read from `inputPaths`, or with `given` are `*given`.
bool runOne(const program::Program &program,
            const std::vector<std::string> &inputPaths,
            const RunOptions &runOptions, const CostRunOptions &costOptions,
            const AccuracyOptions &accuracyOptions, const std::string &label,
            RunResult &result, std::string &error,
            const std::vector<Tensor> *given = nullptr) {
  if (accuracyOptions.enabled() && costOptions.costOnly) {
    error = "--labels and --trials need a run; --cost-only runs nothing";
    return false;
  }
  std::string e =
      costOptions.programVerified ? "" : program::verify(program);
  if (!e.empty()) {
    error = "invalid program: " + e;
    return false;
  }
  RunOptions options = runOptions;
  if (!costOptions.costOnly &&
      !calibrate(program, accuracyOptions, options, result.adcFullScale, error))
    return false;
  if (!countOrRun(program, inputPaths, options, costOptions, accuracyOptions,
                  label, result, error, given))
    return false;
  if (!costOptions.enabled)
    return true;
  Stage stage(stageName("cost", label));
  const RunReport &report = result.report;
  CostReport &cost = result.cost;
  CostOptions co = costOptions.cost;
  co.inferences = std::max<int64_t>(1, report.batch);
  if (!model::estimateCost(program, report, program.hw, co, cost, error)) {
    error = "cost model: " + error;
    return false;
  }
  cost.mapping = label;
  return true;
}

/// Per layer the ADC bits its programmed columns need (TinyADC) and the
/// bits its ADCs run at (adc_bits, or the need with auto).
void writeAdcNeedsJson(llvm::json::OStream &json,
                       const program::Program &program) {
  json.array([&] {
    for (const program::CrossbarLayer &L : program.layers)
      json.object([&] {
        json.attribute("name", support::jsonString(L.name));
        json.attribute("adc_bits", program::layerAdcBits(L, program.hw));
        json.attributeBegin("need");
        program::writeAdcNeedJson(json, program::adcNeed(L, program.hw));
        json.attributeEnd();
      });
  });
}

/// The members at the head of a report file: the tool's provenance, the
/// noise seed and the hardware description the run used, after --hw-set
/// (docs/Report.md).
void writeRunProvenance(llvm::json::OStream &json,
                        const CostRunOptions &costOptions,
                        const RunOptions &options,
                        const model::HardwareDesc &hw) {
  support::writeProvenance(json, costOptions.provenance);
  json.attribute("seed", options.seed);
  json.attributeBegin("hardware");
  model::writeHardwareJson(json, hw);
  json.attributeEnd();
}

/// The run report JSON with the cost and, when present, the ADC
/// calibration and the accuracy; `head` as in writeReportWithCost.
void writeReportWithAnalog(llvm::json::OStream &json,
                           const program::Program &program,
                           const RunResult &result, const CostReport *cost,
                           const AccuracyOptions &accuracyOptions,
                           WriteMembers head = nullptr) {
  writeReportWithCost(json, result.report, cost, [&](llvm::json::OStream &j) {
    if (!result.adcFullScale.empty()) {
      j.attributeBegin("adc_calibration");
      writeAdcCalibrationJson(j, program, result.adcFullScale);
      j.attributeEnd();
    }
    j.attributeBegin("adc_bits_needed");
    writeAdcNeedsJson(j, program);
    j.attributeEnd();
    if (accuracyOptions.enabled()) {
      j.attributeBegin("accuracy");
      writeAccuracyJson(j, result.accuracy);
      j.attributeEnd();
    }
  }, head);
}

/// The report file of one run: its provenance, then the report.
std::string reportWithAnalogToJson(const program::Program &program,
                                   const RunResult &result,
                                   const CostReport *cost,
                                   const RunOptions &options,
                                   const CostRunOptions &costOptions,
                                   const AccuracyOptions &accuracyOptions) {
  return support::jsonDocument([&](llvm::json::OStream &json) {
    writeReportWithAnalog(json, program, result, cost, accuracyOptions,
                          [&](llvm::json::OStream &j) {
                            writeRunProvenance(j, costOptions, options,
                                               program.hw);
                          });
  });
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

/// The files of one run: its outputs (none with costOnly), the JSON report
/// and the HTML page, those asked for.
bool writeRunFiles(const program::Program &program, const RunResult &result,
                   const CostReport *cost, const std::string &outputDir,
                   const std::string &reportPath, const RunOptions &options,
                   const CostRunOptions &costOptions,
                   const AccuracyOptions &accuracyOptions, std::string &error) {
  Stage stage("write");
  if (!costOptions.costOnly &&
      !writeOutputs(program, result.outputs, outputDir, error))
    return false;
  if (!reportPath.empty() &&
      !writeFileBytes(reportPath,
                      reportWithAnalogToJson(program, result, cost, options,
                                             costOptions, accuracyOptions),
                      error))
    return false;
  return !cost || costOptions.htmlPath.empty() ||
         writeFileBytes(costOptions.htmlPath,
                        model::costToHtml({*cost}, {result.report}), error);
}

} // namespace

bool runProgram(const program::Program &program,
                const std::vector<Tensor> &inputs, const RunOptions &options,
                const CostRunOptions &costOptions,
                const AccuracyOptions &accuracyOptions,
                std::vector<Tensor> &outputs, std::string &reportJson,
                std::string &error) {
  RunResult result;
  if (!checkOutputPaths("", "", costOptions, error) ||
      !runOne(program, {}, options, costOptions, accuracyOptions, "", result,
              error, &inputs))
    return false;
  const CostReport *costPtr = costOptions.enabled ? &result.cost : nullptr;
  if (costPtr && !costOptions.htmlPath.empty() &&
      !writeFileBytes(costOptions.htmlPath,
                      model::costToHtml({result.cost}, {result.report}), error))
    return false;
  reportJson = reportWithAnalogToJson(program, result, costPtr, options,
                                      costOptions, accuracyOptions);
  outputs = std::move(result.outputs);
  return true;
}

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
  if (!checkOutputPaths(outputDir, reportPath, costOptions, error))
    return fail(toolName, error);
  if (!runOne(program, inputPaths, options, costOptions, accuracyOptions, "",
              result, error))
    return fail(toolName, error);
  const CostReport *costPtr = costOptions.enabled ? &result.cost : nullptr;
  if (!writeRunFiles(program, result, costPtr, outputDir, reportPath, options,
                     costOptions, accuracyOptions, error))
    return fail(toolName, error);
  std::string table = model::reportToTable(result.report);
  if (costPtr)
    table += model::costToTable(result.cost);
  table += analogToTable(program, result, accuracyOptions);
  std::fputs(table.c_str(), stdout);
  std::fflush(stdout);
  return 0;
}

namespace {

using Attribution = std::vector<model::LayerAttribution>;

double ratio(double x, double y) { return y > 0 ? x / y : 0.0; }

/// "dense/reboc": program i against the first, as a valid JSON key.
std::string ratioKey(const std::vector<std::string> &labels, size_t i) {
  std::string key = labels[i] + "/" + labels[0];
  return llvm::json::isUTF8(key) ? key : llvm::json::fixUTF8(key);
}

/// {<the members head writes>, "compare": [<report of each, with "cost">],
/// "ratios": {...}, "attribution": {...}}: ratios and attributions of each
/// later program against the first.
void writeComparison(llvm::json::OStream &json,
                     const std::vector<const program::Program *> &programs,
                     const std::vector<RunResult> &results,
                     const std::vector<std::string> &labels,
                     const std::vector<CostReport> &costs,
                     const std::vector<Attribution> &attributions,
                     const AccuracyOptions &accuracyOptions,
                     WriteMembers head) {
  using support::jsonNumber;
  json.object([&] {
    head(json);
    json.attributeArray("compare", [&] {
      for (size_t i = 0; i < results.size(); ++i)
        writeReportWithAnalog(json, *programs[i], results[i], &costs[i],
                              accuracyOptions);
    });
    json.attributeObject("ratios", [&] {
      for (size_t i = 1; i < costs.size(); ++i) {
        const CostReport &a = costs[0], &b = costs[i];
        json.attributeObject(ratioKey(labels, i), [&] {
          json.attribute("latency", jsonNumber(ratio(b.latencyS, a.latencyS)));
          json.attribute("throughput", jsonNumber(ratio(b.throughputPerS,
                                                        a.throughputPerS)));
          json.attribute("energy", jsonNumber(ratio(b.energyJ, a.energyJ)));
          json.attribute("area", jsonNumber(ratio(b.areaMm2, a.areaMm2)));
          json.attribute("crossbars",
                         jsonNumber(ratio(static_cast<double>(b.crossbars),
                                          static_cast<double>(a.crossbars))));
        });
      }
    });
    json.attributeObject("attribution", [&] {
      for (size_t i = 1; i < attributions.size(); ++i) {
        json.attributeBegin(ratioKey(labels, i));
        model::writeAttributionJson(json, attributions[i]);
        json.attributeEnd();
      }
    });
  });
}

/// The printed form: each report with its analog lines (ADC calibration,
/// accuracy), the ratios to the first (6 significant digits), the
/// attribution tables.
std::string comparisonTable(const std::vector<std::string> &labels,
                            const std::vector<RunReport> &reports,
                            const std::vector<CostReport> &costs,
                            const std::vector<std::string> &analogTables,
                            const std::vector<Attribution> &attributions) {
  auto num = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.6g", v);
    return std::string(buf);
  };
  std::string table;
  for (size_t i = 0; i < reports.size(); ++i)
    table += "## " + labels[i] + "\n" + model::reportToTable(reports[i]) +
             model::costToTable(costs[i]) + analogTables[i];
  for (size_t i = 1; i < costs.size(); ++i) {
    const CostReport &a = costs[0], &b = costs[i];
    table += "ratio " + labels[i] + "/" + labels[0] + ": latency " +
             num(ratio(b.latencyS, a.latencyS)) + ", energy " +
             num(ratio(b.energyJ, a.energyJ)) + ", area " +
             num(ratio(b.areaMm2, a.areaMm2)) + ", crossbars " +
             num(ratio(static_cast<double>(b.crossbars),
                       static_cast<double>(a.crossbars))) +
             "\n";
  }
  for (size_t i = 1; i < attributions.size(); ++i)
    table += model::attributionToTable(attributions[i],
                                       labels[0] + " and " + labels[i]);
  return table;
}

} // namespace

namespace {

/// The runs of a comparison: one per program.
struct Comparison {
  std::vector<RunResult> results;
  std::vector<RunReport> reports;
  std::vector<CostReport> costs;
  std::vector<Attribution> attributions;
};

/// Runs (or counts) each program on the inputs of `inputPaths`, or with
/// `given` on `*given`, calling `afterRun` after each; errors are prefixed
/// with the program's label. Then the attributions against the first.
bool runComparison(const std::vector<const program::Program *> &programs,
                   const std::vector<std::string> &labels,
                   const std::vector<std::string> &inputPaths,
                   const std::vector<Tensor> *given, const RunOptions &options,
                   const CostRunOptions &co,
                   const AccuracyOptions &accuracyOptions, Comparison &out,
                   std::string &error,
                   llvm::function_ref<bool(size_t, std::string &)> afterRun) {
  if (programs.empty() || programs.size() != labels.size()) {
    error = "compare needs one label per program";
    return false;
  }
  for (const program::Program *p : programs)
    if (!p) {
      error = "compare: missing program";
      return false;
    }
  size_t n = programs.size();
  out.results.assign(n, RunResult());
  out.reports.assign(n, RunReport());
  out.costs.assign(n, CostReport());
  out.attributions.assign(n, Attribution());
  for (size_t i = 0; i < n; ++i) {
    if (!runOne(*programs[i], inputPaths, options, co, accuracyOptions,
                labels[i], out.results[i], error, given)) {
      error = labels[i] + ": " + error;
      return false;
    }
    out.reports[i] = out.results[i].report;
    out.costs[i] = out.results[i].cost;
    if (!afterRun(i, error))
      return false;
  }
  for (size_t i = 1; i < n; ++i)
    out.attributions[i] = model::attributeDifferences(
        out.costs[0], out.reports[0], out.costs[i], out.reports[i]);
  return true;
}

/// The JSON report of a comparison, with the provenance at its head.
std::string comparisonJson(const std::vector<const program::Program *> &programs,
                           const std::vector<std::string> &labels,
                           const Comparison &cmp, const RunOptions &options,
                           const CostRunOptions &co,
                           const AccuracyOptions &accuracyOptions) {
  return support::jsonDocument([&](llvm::json::OStream &out) {
    // The programs share one hardware description: the compiler's.
    writeComparison(out, programs, cmp.results, labels, cmp.costs,
                    cmp.attributions, accuracyOptions,
                    [&](llvm::json::OStream &j) {
                      writeRunProvenance(j, co, options, programs[0]->hw);
                    });
  });
}

} // namespace

bool comparePrograms(const std::vector<const program::Program *> &programs,
                     const std::vector<std::string> &labels,
                     const std::vector<Tensor> &inputs,
                     const RunOptions &options,
                     const CostRunOptions &costOptions,
                     const AccuracyOptions &accuracyOptions,
                     std::vector<std::vector<Tensor>> &outputs,
                     std::string &reportJson, std::string &error) {
  CostRunOptions co = costOptions;
  co.enabled = true;
  Comparison cmp;
  if (!checkOutputPaths("", "", co, error) ||
      !runComparison(programs, labels, {}, &inputs, options, co,
                     accuracyOptions, cmp, error,
                     [](size_t, std::string &) { return true; }))
    return false;
  if (!co.htmlPath.empty() &&
      !writeFileBytes(co.htmlPath, model::costToHtml(cmp.costs, cmp.reports),
                      error))
    return false;
  reportJson =
      comparisonJson(programs, labels, cmp, options, co, accuracyOptions);
  outputs.clear();
  for (RunResult &result : cmp.results)
    outputs.push_back(std::move(result.outputs));
  return true;
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
  CostRunOptions co = costOptions;
  co.enabled = true;
  std::string error;
  if (!checkOutputPaths(outputDir, reportPath, co, error))
    return fail(toolName, error);
  Comparison cmp;
  auto writeRun = [&](size_t i, std::string &e) {
    if (co.costOnly)
      return true;
    Stage stage(stageName("write", labels[i]));
    std::string dir = (std::filesystem::path(outputDir) / labels[i]).string();
    return writeOutputs(*programs[i], cmp.results[i].outputs, dir, e);
  };
  if (!runComparison(programs, labels, inputPaths, nullptr, options, co,
                     accuracyOptions, cmp, error, writeRun))
    return fail(toolName, error);
  std::vector<std::string> analogTables;
  for (size_t i = 0; i < programs.size(); ++i)
    analogTables.push_back(
        analogToTable(*programs[i], cmp.results[i], accuracyOptions));
  std::string table = comparisonTable(labels, cmp.reports, cmp.costs,
                                      analogTables, cmp.attributions);
  std::string json =
      comparisonJson(programs, labels, cmp, options, co, accuracyOptions);
  {
    Stage stage("write");
    if (!reportPath.empty() && !writeFileBytes(reportPath, json, error))
      return fail(toolName, error);
    if (!costOptions.htmlPath.empty() &&
        !writeFileBytes(costOptions.htmlPath,
                        model::costToHtml(cmp.costs, cmp.reports), error))
      return fail(toolName, error);
  }
  std::fputs(table.c_str(), stdout);
  std::fflush(stdout);
  return 0;
}

} // namespace rebocc::sim
