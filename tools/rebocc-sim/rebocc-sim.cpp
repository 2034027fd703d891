//===- rebocc-sim.cpp - Run a rebocc program ------------------------------===//
//
// rebocc-sim MODEL.rbp --input a.pb [--input b.pb ...] --output-dir DIR
//            [--report R.json] [--html R.html] [--pipeline=intra|inter]
//            [--overflow=chips|reprogram] [--no-gate-idle-tiles] [--no-replicas]
//            [--no-cost]
//            [--cost-only]
//            [--float-reference] [--bit-sliced] [--print-program]
//            [--hw-set KEY=VALUE ...] [--seed N] [--labels L.pb]
//            [--trials N] [--calibration-input C.pb ...]
//
// Plain argv parsing: the simulator has no MLIR dependency (LLVM's Support
// library only writes the report's JSON).
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/Hardware.h"
#include "rebocc/Sim/Driver.h"
#include "rebocc/Support/MemoryBudget.h"
#include "rebocc/Support/Version.h"
#include "rebocc/Target/Program/ProgramIO.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace rebocc;

namespace {

const char *kTool = "rebocc-sim";

void printHelp() {
  std::printf(
      "USAGE: rebocc-sim MODEL.rbp --input IN.pb [--input IN2.pb ...]\n"
      "                  --output-dir DIR [options]\n"
      "       rebocc-sim MODEL.rbp --cost-only [--input IN.pb ...] [options]\n"
      "\n"
      "Runs a rebocc program (written by `rebocc MODEL.onnx -o MODEL.rbp`) on ONNX\n"
      "TensorProto inputs, writes DIR/output_<i>.pb and prints the cost\n"
      "report table.\n"
      "\n"
      "OPTIONS:\n"
      "  --input FILE        one per program input, in order\n"
      "  --output-dir DIR    where output_<i>.pb are written (created; stale\n"
      "                      output_<N>.pb of an earlier run, N >= this\n"
      "                      run's output count, are removed)\n"
      "  --max-memory SIZE   memory budget (K, M, G suffixes; default 80%%\n"
      "                      of physical memory, capped by ulimit -v): a\n"
      "                      tensor or file over it is an error\n"
      "  --report FILE       also write the report as JSON (with a \"cost\"\n"
      "                      object: cycles, latency, throughput, energy,\n"
      "                      area; docs/CostModel.md)\n"
      "  --html FILE         also write the cost report as a standalone HTML\n"
      "                      page with plots\n"
      "  --pipeline=MODE     intra (default, ReBoc: layers one after another,\n"
      "                      each pipelined inside) or inter (ISAAC: all\n"
      "                      layers resident and pipelined across layers)\n"
      "  --overflow=POLICY   when the model needs more than one chip: chips\n"
      "                      (several chips, inter-chip traffic charged) or\n"
      "                      reprogram (one chip, crossbars rewritten during\n"
      "                      every inference). The program's arrays are\n"
      "                      placed for one policy (rebocc --overflow); the\n"
      "                      default is that one, another is an error\n"
      "  --no-replicas       leave the chip's spare IMAs idle (default: they\n"
      "                      hold copies of layers that share the input\n"
      "                      vectors)\n"
      "  --no-gate-idle-tiles  charge static power for every tile of every\n"
      "                      chip (default: only the tiles the model occupies,\n"
      "                      idle tiles power-gated; --gate-idle-tiles says so)\n"
      "  --no-cost           only the interpreter's counts\n"
      "  --cost-only         estimate the cost from the program and the input\n"
      "                      shapes without running it: the same report, no\n"
      "                      outputs (--output-dir is then not needed and is\n"
      "                      ignored). Without --input the program's input\n"
      "                      shapes are used with batch 1\n"
      "  --hw-set KEY=VALUE  override one key of the program's hardware\n"
      "                      description (repeatable); keys the mapping\n"
      "                      depends on (xbar_rows, ...) need a recompile\n"
      "                      (docs/Hardware.md)\n"
      "  --seed N            seed of the device-noise draws (cell_sigma,\n"
      "                      read_sigma, stuck-at faults; default 0): the same\n"
      "                      seed gives the same outputs (docs/Accuracy.md)\n"
      "  --labels FILE       INT64 TensorProto, one class per batch row of the\n"
      "                      first output: the report gains accuracy.top1 and\n"
      "                      top5 (docs/Accuracy.md)\n"
      "  --trials N          run N noise seeds (--seed, --seed + 1, ...) and\n"
      "                      report the mean and std of the accuracy, the\n"
      "                      agreement with ideal hardware and each layer's\n"
      "                      SNR (outputs are the first trial's)\n"
      "  --calibration-input FILE  one per program input: with\n"
      "                      adc_range=calibrated, each layer's ADC full scale\n"
      "                      is the adc_clip_percentile of its column sums on\n"
      "                      these inputs\n"
      "  --float-reference   float weights and inputs on the same arrays and\n"
      "                      schedule (default: fixed point)\n"
      "  --bit-sliced        run the programmed cells bit-serially through the\n"
      "                      ADCs even where the hardware is provably lossless\n"
      "                      (there the outputs equal the default direct\n"
      "                      product; docs/Accuracy.md): slower\n"
      "  --print-program     print the program's text form to stdout; without\n"
      "                      inputs, only print it\n"
      "  --help              this message\n");
}

int usageError(const std::string &message) {
  std::fprintf(stderr, "%s: error: %s (see --help)\n", kTool,
               message.c_str());
  return 1;
}

/// A decimal unsigned 64-bit integer, nothing else.
bool parseUnsigned(const std::string &s, uint64_t &out) {
  if (s.empty() || s.size() > 20 ||
      s.find_first_not_of("0123456789") != std::string::npos)
    return false;
  errno = 0;
  out = std::strtoull(s.c_str(), nullptr, 10);
  return errno != ERANGE;
}

/// Matches `--name VALUE` and `--name=VALUE`; advances `i` past the value.
bool takeValue(int argc, char **argv, int &i, const char *name,
               std::string &value, bool &missing) {
  const char *arg = argv[i];
  size_t len = std::strlen(name);
  if (std::strncmp(arg, name, len) != 0)
    return false;
  if (arg[len] == '=') {
    value = arg + len + 1;
    missing = value.empty();
    return true;
  }
  if (arg[len] != '\0')
    return false;
  if (i + 1 >= argc) {
    missing = true;
    return true;
  }
  value = argv[++i];
  return true;
}

} // namespace

int main(int argc, char **argv) {
  std::string model, outputDir, reportPath;
  sim::CostRunOptions cost;
  std::vector<std::string> inputs, hwSets;
  bool floatReference = false, bitSliced = false, printProgram = false;
  bool costOnly = false;
  bool haveOutputDir = false, haveReport = false, haveOverflow = false;
  uint64_t seed = 0, trials = 0;
  std::string labelsPath;
  std::vector<std::string> calibrationInputs;

  for (int i = 1; i < argc; ++i) {
    std::string value;
    bool missing = false;
    const char *arg = argv[i];
    if (!std::strcmp(arg, "--help") || !std::strcmp(arg, "-h")) {
      printHelp();
      return 0;
    }
    if (!std::strcmp(arg, "--version")) {
      std::printf("%s\n", versionString().c_str());
      return 0;
    }
    if (!std::strcmp(arg, "--float-reference")) {
      floatReference = true;
    } else if (!std::strcmp(arg, "--bit-sliced")) {
      bitSliced = true;
    } else if (!std::strcmp(arg, "--gate-idle-tiles")) {
      cost.cost.gateIdleTiles = true;
    } else if (!std::strcmp(arg, "--no-gate-idle-tiles")) {
      cost.cost.gateIdleTiles = false;
    } else if (!std::strcmp(arg, "--no-replicas")) {
      cost.cost.replicate = false;
    } else if (!std::strcmp(arg, "--no-cost")) {
      cost.enabled = false;
    } else if (!std::strcmp(arg, "--cost-only")) {
      costOnly = true;
    } else if (takeValue(argc, argv, i, "--html", value, missing)) {
      if (missing)
        return usageError("--html needs a file");
      cost.htmlPath = value;
    } else if (takeValue(argc, argv, i, "--pipeline", value, missing)) {
      if (missing || !model::parsePipelineMode(value, cost.cost.pipeline))
        return usageError("--pipeline must be intra or inter");
    } else if (takeValue(argc, argv, i, "--overflow", value, missing)) {
      if (missing || !model::parseOverflowPolicy(value, cost.cost.overflow))
        return usageError("--overflow must be chips or reprogram");
      haveOverflow = true;
    } else if (takeValue(argc, argv, i, "--hw-set", value, missing)) {
      if (missing)
        return usageError("--hw-set needs KEY=VALUE");
      hwSets.push_back(value);
    } else if (takeValue(argc, argv, i, "--seed", value, missing)) {
      if (missing || !parseUnsigned(value, seed))
        return usageError("--seed needs an unsigned 64-bit integer");
    } else if (takeValue(argc, argv, i, "--trials", value, missing)) {
      if (missing || !parseUnsigned(value, trials) || trials < 1 ||
          trials > 100000)
        return usageError("--trials needs an integer in [1, 100000]");
    } else if (takeValue(argc, argv, i, "--calibration-input", value,
                         missing)) {
      if (missing)
        return usageError("--calibration-input needs a file");
      calibrationInputs.push_back(value);
    } else if (takeValue(argc, argv, i, "--labels", value, missing)) {
      if (missing)
        return usageError("--labels needs a file");
      labelsPath = value;
    } else if (!std::strcmp(arg, "--print-program")) {
      printProgram = true;
    } else if (takeValue(argc, argv, i, "--input", value, missing)) {
      if (missing)
        return usageError("--input needs a file");
      inputs.push_back(value);
    } else if (takeValue(argc, argv, i, "--output-dir", value, missing)) {
      if (missing)
        return usageError("--output-dir needs a directory");
      outputDir = value;
      haveOutputDir = true;
    } else if (takeValue(argc, argv, i, "--max-memory", value, missing)) {
      uint64_t bytes;
      std::string problem;
      if (missing || !support::parseMemorySize(value, bytes, problem))
        return usageError("--max-memory: " +
                          (missing ? std::string("needs a size") : problem));
      support::setMemoryBudget(bytes);
    } else if (takeValue(argc, argv, i, "--report", value, missing)) {
      if (missing)
        return usageError("--report needs a file");
      reportPath = value;
      haveReport = true;
    } else if (arg[0] == '-' && arg[1] != '\0') {
      return usageError(std::string("unknown option '") + arg + "'");
    } else if (model.empty()) {
      model = arg;
    } else {
      return usageError("more than one program given ('" + model + "', '" +
                        arg + "')");
    }
  }
  if (model.empty())
    return usageError("no program given");

  program::Program program;
  std::string error;
  if (!program::readProgramFile(model, program, error)) {
    std::fprintf(stderr, "%s: error: %s\n", kTool, error.c_str());
    return 1;
  }
  // The arrays are placed for one overflow policy: costing the program for
  // the other needs another placement, i.e. a recompile.
  if (haveOverflow && cost.cost.overflow != program.overflow) {
    const char *wanted = model::overflowPolicyName(cost.cost.overflow);
    std::fprintf(stderr,
                 "%s: error: --overflow=%s: %s is placed for overflow=%s; "
                 "recompile it with `rebocc MODEL.onnx --overflow=%s -o %s`\n",
                 kTool, wanted, model.c_str(),
                 model::overflowPolicyName(program.overflow), wanted,
                 model.c_str());
    return 1;
  }
  cost.cost.overflow = program.overflow;
  if (!model::applyHardwareOverrides(program.hw, hwSets,
                                     /*allowPlacement=*/false, error)) {
    std::fprintf(stderr, "%s: error: %s\n", kTool, error.c_str());
    return 1;
  }
  if (printProgram) {
    std::fputs(program::printText(program).c_str(), stdout);
    if (inputs.empty() && !haveOutputDir && !haveReport && !costOnly)
      return 0;
  }
  if (costOnly) {
    if (!cost.enabled)
      return usageError("--cost-only needs the cost model (drop --no-cost)");
    if (haveOutputDir)
      std::fprintf(stderr,
                   "%s: warning: --cost-only writes no outputs; --output-dir "
                   "is ignored\n",
                   kTool);
    cost.costOnly = true;
  } else if (!haveOutputDir) {
    return usageError("--output-dir is required to run a program");
  }

  sim::RunOptions options;
  options.arithmetic = floatReference ? sim::Arithmetic::FloatReference
                                      : sim::Arithmetic::FixedPoint;
  options.bitSliced = bitSliced;
  options.seed = seed;
  if (!cost.enabled && !cost.htmlPath.empty())
    return usageError("--html needs the cost model (drop --no-cost)");
  sim::AccuracyOptions accuracy;
  accuracy.labelsPath = labelsPath;
  accuracy.trials = static_cast<int64_t>(trials);
  accuracy.calibrationInputs = calibrationInputs;
  return sim::runProgramCommand(program, inputs, outputDir, reportPath,
                                options, cost, kTool, accuracy);
}
