//===- rebocc-sim.cpp - Run a rebocc program ------------------------------===//
//
// rebocc-sim MODEL.rbp --input a.pb [--input b.pb ...] --output-dir DIR
//            [--report R.json] [--html R.html] [--pipeline=intra|inter]
//            [--overflow=chips|reprogram] [--no-gate-idle-tiles] [--no-replicas]
//            [--no-cost]
//            [--cost-only]
//            [--float-reference] [--bit-sliced] [--print-program]
//            [--hw-set KEY=VALUE ...] [--seed N] [--labels L.pb]
//            [--trials N] [--calibration-input C.pb ...] [-j N]
//
// llvm::cl, as rebocc: the same option syntax, unknown options rejected with
// a suggestion. Values with a range or a fixed set (--seed, --trials,
// --pipeline, --overflow, --max-memory) are parsed here, after the command
// line, so their errors are rebocc's one `error:` line.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/Hardware.h"
#include "rebocc/Sim/Driver.h"
#include "rebocc/Support/MemoryBudget.h"
#include "rebocc/Support/Monitor.h"
#include "rebocc/Support/Provenance.h"
#include "rebocc/Support/ToolCommandLine.h"
#include "rebocc/Target/Program/ProgramIO.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace rebocc;

namespace cl = llvm::cl;

namespace {

const char *kTool = "rebocc-sim";

cl::OptionCategory simCategory("rebocc-sim options");

support::MonitorCLOptions monitorOptions(simCategory);

cl::opt<std::string> programPath(cl::Positional, cl::desc("<program.rbp>"),
                           cl::cat(simCategory));
cl::list<std::string> inputs("input", cl::value_desc("file"),
                             cl::desc("One per program input, in order"),
                             cl::cat(simCategory));
cl::opt<std::string> outputDir(
    "output-dir", cl::value_desc("dir"),
    cl::desc("Where output_<i>.pb are written (created; stale output_<N>.pb "
             "of an earlier run, N >= this run's output count, are removed)"),
    cl::cat(simCategory));
cl::opt<std::string> maxMemory(
    "max-memory", cl::value_desc("size"),
    cl::desc("Memory budget (K, M, G suffixes; default 80% of physical "
             "memory, capped by ulimit -v): a tensor or file over it is an "
             "error"),
    cl::cat(simCategory));
cl::opt<std::string> reportPath(
    "report", cl::value_desc("file"),
    cl::desc("Also write the report as JSON (with a \"cost\" object: cycles, "
             "latency, throughput, energy, area; docs/CostModel.md)"),
    cl::cat(simCategory));
cl::opt<std::string> htmlPath(
    "html", cl::value_desc("file"),
    cl::desc("Also write the cost report as a standalone HTML page with "
             "plots"),
    cl::cat(simCategory));
cl::opt<std::string> pipeline(
    "pipeline", cl::value_desc("intra|inter"),
    cl::desc("intra (default, ReBoc: layers one after another, each "
             "pipelined inside) or inter (ISAAC: all layers resident and "
             "pipelined across layers)"),
    cl::cat(simCategory));
cl::opt<std::string> overflow(
    "overflow", cl::value_desc("chips|reprogram"),
    cl::desc("When the model needs more than one chip: chips (several chips, "
             "inter-chip traffic charged) or reprogram (one chip, crossbars "
             "rewritten during every inference). The program's arrays are "
             "placed for one policy (rebocc --overflow); the default is that "
             "one, another is an error"),
    cl::cat(simCategory));
cl::opt<bool> noReplicas(
    "no-replicas",
    cl::desc("Leave the chip's spare IMAs idle (default: they hold copies of "
             "layers that share the input vectors)"),
    cl::cat(simCategory));
cl::opt<bool> noGateIdleTiles(
    "no-gate-idle-tiles",
    cl::desc("Charge static power for every tile of every chip (default: "
             "only the tiles the model occupies, idle tiles power-gated; "
             "--gate-idle-tiles says so)"),
    cl::cat(simCategory));
cl::opt<bool> gateIdleTiles(
    "gate-idle-tiles",
    cl::desc("Charge static power only for the tiles the model occupies "
             "(the default)"),
    cl::cat(simCategory));
cl::opt<bool> noCost("no-cost", cl::desc("Only the interpreter's counts"),
                     cl::cat(simCategory));
cl::opt<bool> costOnly(
    "cost-only",
    cl::desc("Estimate the cost from the program and the input shapes "
             "without running it: the same report, no outputs (--output-dir "
             "is then not needed and is ignored). Without --input the "
             "shapes the program's inputs were declared with are used, "
             "batch 1"),
    cl::cat(simCategory));
cl::list<std::string> hwSets(
    "hw-set", cl::value_desc("KEY=VALUE"),
    cl::desc("Override one key of the program's hardware description "
             "(repeatable); keys the mapping depends on (xbar_rows, ...) need "
             "a recompile (docs/Hardware.md)"),
    cl::cat(simCategory));
cl::opt<std::string> seed(
    "seed", cl::value_desc("N"),
    cl::desc("Seed of the device-noise draws (cell_sigma, read_sigma, "
             "stuck-at faults; default 0): the same seed gives the same "
             "outputs (docs/Accuracy.md)"),
    cl::cat(simCategory));
cl::opt<std::string> jobs(
    "j", cl::value_desc("N"),
    cl::desc("Simulate on N threads (default: one per hardware thread); the "
             "outputs and report do not depend on N"),
    cl::cat(simCategory));
cl::opt<std::string> labelsPath(
    "labels", cl::value_desc("file"),
    cl::desc("INT64 TensorProto, one class per batch row of the first "
             "output: the report gains accuracy.top1 and top5 "
             "(docs/Accuracy.md)"),
    cl::cat(simCategory));
cl::opt<std::string> trials(
    "trials", cl::value_desc("N"),
    cl::desc("Run N noise seeds (--seed, --seed + 1, ...) and report the mean "
             "and std of the accuracy, the agreement with ideal hardware and "
             "each layer's SNR (outputs are the first trial's)"),
    cl::cat(simCategory));
cl::list<std::string> calibrationInputs(
    "calibration-input", cl::value_desc("file"),
    cl::desc("One per program input: with adc_range=calibrated, each layer's "
             "ADC full scale is the adc_clip_percentile of its column sums on "
             "these inputs"),
    cl::cat(simCategory));
cl::opt<bool> floatReference(
    "float-reference",
    cl::desc("Float weights and inputs on the same arrays and schedule "
             "(default: fixed point)"),
    cl::cat(simCategory));
cl::opt<bool> bitSliced(
    "bit-sliced",
    cl::desc("Run the programmed cells bit-serially through the ADCs even "
             "where the hardware is provably lossless (there the outputs equal "
             "the default direct product; docs/Accuracy.md): slower"),
    cl::cat(simCategory));
cl::opt<bool> printProgram(
    "print-program",
    cl::desc("Print the program's text form to stdout; without inputs, only "
             "print it"),
    cl::cat(simCategory));

const char *kOverview =
    "rebocc-sim: run a rebocc program\n"
    "\n"
    "  rebocc-sim MODEL.rbp --input IN.pb [--input IN2.pb ...]\n"
    "             --output-dir DIR [options]\n"
    "  rebocc-sim MODEL.rbp --cost-only [--input IN.pb ...] [options]\n"
    "\n"
    "Runs a rebocc program (written by `rebocc MODEL.onnx -o MODEL.rbp`) on\n"
    "ONNX TensorProto inputs, writes DIR/output_<i>.pb and prints the cost\n"
    "report table.\n";

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

/// The cost options from the command line; false after printing an error.
bool costOptions(sim::CostRunOptions &cost) {
  cost.enabled = !noCost;
  cost.htmlPath = htmlPath;
  cost.cost.replicate = !noReplicas;
  // The later of --gate-idle-tiles and --no-gate-idle-tiles wins.
  if (noGateIdleTiles)
    cost.cost.gateIdleTiles =
        gateIdleTiles && gateIdleTiles.getPosition() > noGateIdleTiles.getPosition();
  if (pipeline.getNumOccurrences() &&
      !model::parsePipelineMode(pipeline, cost.cost.pipeline)) {
    usageError("--pipeline must be intra or inter");
    return false;
  }
  if (overflow.getNumOccurrences() &&
      !model::parseOverflowPolicy(overflow, cost.cost.overflow)) {
    usageError("--overflow must be chips or reprogram");
    return false;
  }
  return true;
}

} // namespace

/// The layers' tensors and scratch buffers are megabytes each, allocated
/// and freed layer after layer. glibc maps each such block afresh and
/// returns it on free, so every layer paid the kernel's clearing of new
/// pages again (a tenth of a ResNet-50 run); kept in the heap, freed blocks
/// are reused instead. Blocks past the 32 MiB threshold (ISNet's
/// 64 x 512 x 512 activations) are still mapped one by one; a 256 MiB pad
/// on every heap growth keeps the rest from faulting in again (ISNet small
/// at 1024 x 1024: 1.4 million page faults and 28 s to 0.27 million and
/// 11 s, 0.1 GB more resident; ResNet-50 unchanged).
void keepFreedMemory() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20); // glibc's largest threshold
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 256 << 20);
#endif
}

int main(int argc, char **argv) {
  keepFreedMemory();
  cl::HideUnrelatedOptions(simCategory);
  setUpToolCommandLine(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, kOverview);
  std::string problem;
  if (!monitorOptions.apply(kTool, problem))
    return usageError(problem);
  // At every return from here: the progress line cleared and, with --timing,
  // the wall time of every stage.
  struct Finish {
    ~Finish() { support::Monitor::get().finish(llvm::errs()); }
  } finish;
  sim::CostRunOptions cost;
  if (!costOptions(cost))
    return 1;
  bool haveOutputDir = outputDir.getNumOccurrences() > 0;
  bool haveReport = reportPath.getNumOccurrences() > 0;
  bool haveOverflow = overflow.getNumOccurrences() > 0;
  uint64_t seedValue = 0, trialCount = 0;
  if (seed.getNumOccurrences() && !parseUnsigned(seed, seedValue))
    return usageError("--seed needs an unsigned 64-bit integer");
  uint64_t jobCount = 0; // one per hardware thread
  if (jobs.getNumOccurrences() &&
      (!parseUnsigned(jobs, jobCount) || jobCount < 1 || jobCount > 1024))
    return usageError("-j needs an integer in [1, 1024]");
  if (trials.getNumOccurrences() &&
      (!parseUnsigned(trials, trialCount) || trialCount < 1 ||
       trialCount > 100000))
    return usageError("--trials needs an integer in [1, 100000]");
  if (maxMemory.getNumOccurrences()) {
    uint64_t bytes;
    if (maxMemory.empty() ||
        !support::parseMemorySize(maxMemory, bytes, problem))
      return usageError("--max-memory: " +
                        (maxMemory.empty() ? std::string("needs a size")
                                           : problem));
    support::setMemoryBudget(bytes);
  }
  if (programPath.empty())
    return usageError("no program given");

  program::Program program;
  std::string error;
  bool loaded;
  {
    support::Monitor::Stage stage("load");
    loaded = program::readProgramFile(programPath, program, error);
  }
  if (!loaded ||
      (haveReport &&
       !support::makeReportProvenance(kTool, argc, argv, "program",
                                      programPath, cost.provenance, error))) {
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
                 kTool, wanted, programPath.c_str(),
                 model::overflowPolicyName(program.overflow), wanted,
                 programPath.c_str());
    return 1;
  }
  cost.cost.overflow = program.overflow;
  // readProgramFile verified the program; the hardware overrides change it.
  cost.programVerified = hwSets.empty();
  if (!model::applyHardwareOverrides(program.hw,
                                     std::vector<std::string>(hwSets.begin(),
                                                              hwSets.end()),
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
    // Counting from shapes draws no noise and computes no value: these
    // would be silently ignored.
    for (const cl::Option *option :
         {static_cast<const cl::Option *>(&seed),
          static_cast<const cl::Option *>(&floatReference),
          static_cast<const cl::Option *>(&bitSliced),
          static_cast<const cl::Option *>(std::addressof(calibrationInputs))})
      if (option->getNumOccurrences())
        return usageError("--" + option->ArgStr.str() +
                          " has no effect with --cost-only, which simulates "
                          "nothing");
    cost.costOnly = true;
  } else if (!haveOutputDir) {
    return usageError("--output-dir is required to run a program");
  }

  sim::RunOptions options;
  options.arithmetic = floatReference ? sim::Arithmetic::FloatReference
                                      : sim::Arithmetic::FixedPoint;
  options.bitSliced = bitSliced;
  options.seed = seedValue;
  options.threads = static_cast<unsigned>(jobCount);
  if (!cost.enabled && !cost.htmlPath.empty())
    return usageError("--html needs the cost model (drop --no-cost)");
  sim::AccuracyOptions accuracy;
  accuracy.labelsPath = labelsPath;
  accuracy.trials = static_cast<int64_t>(trialCount);
  accuracy.calibrationInputs.assign(calibrationInputs.begin(),
                                    calibrationInputs.end());
  return sim::runProgramCommand(
      program, std::vector<std::string>(inputs.begin(), inputs.end()),
      outputDir, reportPath, options, cost, kTool, accuracy);
}
