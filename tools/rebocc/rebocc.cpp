//===- rebocc.cpp - the rebocc compiler driver ----------------------------===//
//
//   rebocc MODEL.onnx -o MODEL.rbp            compile
//   rebocc MODEL.onnx --emit=circulant        print a stage
//   rebocc MODEL.onnx --run --input x.pb ...  compile and simulate
//   rebocc MODEL.onnx --cost-only ...         compile and estimate the cost
//                                             from the shapes, no simulation
//   rebocc --list-onnx-ops                    supported ONNX operators
//
//===----------------------------------------------------------------------===//

#include "rebocc/Compiler/Compile.h"
#include "rebocc/Dialect/Circulant/CirculantDialect.h"
#include "rebocc/Dialect/Circulant/Passes.h"
#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Dialect/Crossbar/CrossbarDialect.h"
#include "rebocc/Frontend/ONNX/OnnxImporter.h"
#include "rebocc/Frontend/ONNX/OnnxLoader.h"
#include "rebocc/Sim/Driver.h"
#include "rebocc/Support/FileIO.h"
#include "rebocc/Support/MemoryBudget.h"
#include "rebocc/Support/Monitor.h"
#include "rebocc/Support/Provenance.h"
#include "rebocc/Support/ToolCommandLine.h"
#include "rebocc/Model/CostModel.h"
#include "rebocc/Model/Hardware.h"
#include "rebocc/Target/Program/ProgramIO.h"
#include "rebocc/Target/ProgramEmitter/ProgramEmitter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <fstream>
#include <memory>

using namespace mlir;
using namespace llvm;
using namespace rebocc;

static cl::OptionCategory reboccCategory("rebocc options");

namespace {
enum class Emit { None, Import, Circulant, Crossbar, Program };
enum class InputFormat { Auto, Onnx, OnnxText, Mlir, Program };
enum class MappingStrategy { Reboc, Dense };
} // namespace

static cl::opt<std::string> inputPath(cl::cat(reboccCategory), cl::Positional, cl::desc("<model>"));
static cl::opt<bool> listOnnxOps(
    cl::cat(reboccCategory), "list-onnx-ops",
    cl::desc("Print the supported ONNX operators as a Markdown table and "
             "exit"));
static cl::opt<std::string> outputPath(cl::cat(reboccCategory), "o", cl::desc("Output file"),
                                       cl::value_desc("file"));
static cl::opt<Emit> emit(
    cl::cat(reboccCategory), "emit", cl::desc("Stage to print instead of writing a program"),
    cl::init(Emit::None),
    cl::values(clEnumValN(Emit::Import, "import", "imported circulant IR (k = 1)"),
               clEnumValN(Emit::Circulant, "circulant",
                          "circulant IR after block partitioning and mapping"),
               clEnumValN(Emit::Crossbar, "crossbar", "crossbar dialect"),
               clEnumValN(Emit::Program, "program", "program, text form")));
static cl::opt<InputFormat> inputFormat(
    cl::cat(reboccCategory), "x", cl::desc("Input kind (default: from the file extension)"),
    cl::init(InputFormat::Auto),
    cl::values(clEnumValN(InputFormat::Onnx, "onnx", "binary ONNX"),
               clEnumValN(InputFormat::OnnxText, "onnx-text",
                          "ONNX textual syntax"),
               clEnumValN(InputFormat::Mlir, "mlir", "circulant/crossbar IR")));
static cl::opt<std::string> blockSize(
    cl::cat(reboccCategory), "block-size", cl::desc("'auto' (detect per layer) or a forced block size"),
    cl::init("auto"));
static cl::list<std::string> layerBlockSizes(
    cl::cat(reboccCategory), "layer-block-size", cl::desc("Per-layer block size, name:k"),
    cl::CommaSeparated);
static cl::opt<bool> projection(
    cl::cat(reboccCategory), "projection",
    cl::desc("Project layers onto the nearest block-circulant matrix"));
static cl::opt<double> tolerance(
    cl::cat(reboccCategory), "tolerance", cl::desc("Relative tolerance of block detection"),
    cl::init(1e-5));
static cl::opt<MappingStrategy> mapping(
    cl::cat(reboccCategory), "mapping", cl::desc("Crossbar mapping"), cl::init(MappingStrategy::Reboc),
    cl::values(clEnumValN(MappingStrategy::Reboc, "reboc",
                          "horizontal slicing, duplication, tile sharing"),
               clEnumValN(MappingStrategy::Dense, "dense",
                          "expanded ISAAC-style baseline (mapping E)")));
static cl::opt<int64_t> duplication(
    cl::cat(reboccCategory), "duplication", cl::desc("Duplication factor d forced on every layer (0: chosen per "
             "--duplication-budget and --objective)"),
    cl::init(0));
static cl::opt<circulant::DuplicationLayout> duplicationLayout(
    cl::cat(reboccCategory), "duplication-layout",
    cl::desc("Where weight copies go"),
    cl::init(circulant::DuplicationLayout::Auto),
    cl::values(clEnumValN(circulant::DuplicationLayout::Auto, "auto",
                          "B or C, whichever needs fewer steps (default)"),
               clEnumValN(circulant::DuplicationLayout::B, "B",
                          "copies side by side"),
               clEnumValN(circulant::DuplicationLayout::C, "C",
                          "block-diagonal copies")));
static cl::opt<circulant::DuplicationBudget> duplicationBudget(
    cl::cat(reboccCategory), "duplication-budget",
    cl::desc("Which crossbars duplication may fill"),
    cl::init(circulant::DuplicationBudget::Idle),
    cl::values(clEnumValN(circulant::DuplicationBudget::Idle, "idle",
                          "only idle columns (default; the chip's spare "
                          "crossbars hold copies of layers, chosen by the "
                          "cost model)"),
               clEnumValN(circulant::DuplicationBudget::Chip, "chip",
                          "also the chip's spare crossbars, where they save "
                          "the most of --objective")));
static cl::opt<circulant::DuplicationObjective> objective(
    cl::cat(reboccCategory), "objective",
    cl::desc("What --duplication-budget=chip spends the chip's spare "
             "crossbars on (ignored with --duplication-budget=idle or "
             "--duplication=d, which decide d themselves)"),
    cl::init(circulant::DuplicationObjective::Latency),
    cl::values(clEnumValN(circulant::DuplicationObjective::Latency, "latency",
                          "shortest latency of one inference (default)"),
               clEnumValN(circulant::DuplicationObjective::Energy, "energy",
                          "least energy of one inference"),
               clEnumValN(circulant::DuplicationObjective::Edp, "edp",
                          "smallest energy-delay product")));
static cl::opt<bool> noInputSharing(cl::cat(reboccCategory), "no-input-sharing",
                                    cl::desc("Disable input tile sharing"));
static cl::opt<std::string> hwPath(cl::cat(reboccCategory), "hw", cl::desc("Hardware description (JSON)"),
                                   cl::value_desc("file"));
static cl::opt<std::string> maxMemory(
    cl::cat(reboccCategory), "max-memory",
    cl::desc("Memory budget (K, M, G suffixes; default 80% of physical memory, "
             "capped by ulimit -v): a tensor or file over it is an error"),
    cl::value_desc("size"));
static cl::list<std::string> hwSet(
    cl::cat(reboccCategory), "hw-set",
    cl::desc("Override one key of the hardware description (after --hw); "
             "repeatable (docs/Hardware.md)"),
    cl::value_desc("KEY=VALUE"));
static cl::list<std::string> freezeInputs(
    cl::cat(reboccCategory), "freeze-input",
    cl::desc("Turn a graph input into a constant: NAME=tensor.pb (If nodes "
             "whose condition then folds keep only their taken branch)"));
static cl::list<std::string> inputShapes(
    cl::cat(reboccCategory), "input-shape",
    cl::desc("Fix a graph input's shape, dynamic dims included; repeatable"),
    cl::value_desc("NAME=1x3x48x320"));
static cl::list<std::string> dimValues(
    cl::cat(reboccCategory), "dim",
    cl::desc("Fix a symbolic dimension (dim_param) of the graph inputs; "
             "repeatable"),
    cl::value_desc("SYMBOL=VALUE"));
static cl::opt<bool> onnxCheck(cl::cat(reboccCategory), "onnx-check",
                               cl::desc("Print ONNX checker findings"),
                               cl::init(true));
static cl::opt<bool> runProgram(cl::cat(reboccCategory), "run", cl::desc("Compile, then simulate"));
static cl::opt<bool> costOnly(
    cl::cat(reboccCategory), "cost-only",
    cl::desc("Compile, then estimate cycles, energy, area and utilization "
             "from the mapped program and the input shapes without "
             "simulating: the same report as --run, no output files. Input "
             "shapes come from the --input files if given, else from "
             "--input-shape / --dim, else from the model with batch 1"));
static cl::list<std::string> compare(
    cl::cat(reboccCategory), "compare",
    cl::desc("Compile and run with each mapping (reboc, dense) and report "
             "them side by side"),
    cl::CommaSeparated);
static cl::opt<model::PipelineMode> pipelineMode(
    cl::cat(reboccCategory), "pipeline", cl::desc("Cost model pipeline"),
    cl::init(model::PipelineMode::IntraLayer),
    cl::values(clEnumValN(model::PipelineMode::IntraLayer, "intra",
                          "intra-layer pipeline (ReBoc, default)"),
               clEnumValN(model::PipelineMode::InterLayer, "inter",
                          "inter-layer pipeline (ISAAC)")));
static cl::opt<model::OverflowPolicy> overflowPolicy(
    cl::cat(reboccCategory), "overflow",
    cl::desc("When the model does not fit one chip"),
    cl::init(model::OverflowPolicy::MultiChip),
    cl::values(clEnumValN(model::OverflowPolicy::MultiChip, "chips",
                          "spread it over several chips (default)"),
               clEnumValN(model::OverflowPolicy::Reprogram, "reprogram",
                          "rewrite crossbars between layers")));
enum class Attention { Digital, Reprogram };
static cl::opt<Attention> attention(
    cl::cat(reboccCategory), "attention",
    cl::desc("Where a MatMul of two run-time tensors (attention) runs"),
    cl::init(Attention::Digital),
    cl::values(clEnumValN(Attention::Digital, "digital",
                          "on the digital units (default)"),
               clEnumValN(Attention::Reprogram, "reprogram",
                          "write its right operand into crossbar cells "
                          "per inference, then read them")));
static cl::opt<std::string> htmlPath(cl::cat(reboccCategory), "html",
                                     cl::desc("Also write an HTML report"));
static cl::opt<bool> gateIdleTiles(
    cl::cat(reboccCategory), "gate-idle-tiles",
    cl::desc("Charge static power only for the tiles the model uses "
             "(the default)"));
static cl::opt<bool> noReplicas(
    cl::cat(reboccCategory), "no-replicas",
    cl::desc("Leave the chip's spare IMAs idle instead of holding copies of "
             "layers (shows a mapping's own footprint)"));
static cl::opt<bool> noGateIdleTiles(
    cl::cat(reboccCategory), "no-gate-idle-tiles",
    cl::desc("Charge static power for every tile of every provisioned chip"));
static cl::list<std::string> runInputs(cl::cat(reboccCategory), "input",
                                       cl::desc("Input tensor (.pb), in order"));
static cl::opt<std::string> outputDir(cl::cat(reboccCategory), "output-dir",
                                      cl::desc("Where --run writes outputs"),
                                      cl::init("."));
static cl::opt<std::string> reportPath(cl::cat(reboccCategory), "report",
                                       cl::desc("Where --run writes its JSON report"));
static cl::opt<bool> floatReference(
    cl::cat(reboccCategory), "float-reference", cl::desc("Simulate with float weights and inputs"));
static cl::opt<uint64_t> seed(
    cl::cat(reboccCategory), "seed",
    cl::desc("Seed of the device-noise draws of --run (docs/Accuracy.md)"),
    cl::init(0));
static cl::opt<std::string> labelsPath(
    cl::cat(reboccCategory), "labels",
    cl::desc("--run: INT64 TensorProto with one class per batch row; the "
             "report gains accuracy.top1 and top5 (docs/Accuracy.md)"),
    cl::value_desc("file"));
static cl::list<std::string> calibrationInputs(
    cl::cat(reboccCategory), "calibration-input",
    cl::desc("--run with adc_range=calibrated: calibration input (.pb), one "
             "per model input, in order"),
    cl::value_desc("file"));
static cl::opt<unsigned> trials(
    cl::cat(reboccCategory), "trials",
    cl::desc("--run: run N noise seeds (--seed, --seed + 1, ...) and report "
             "the mean and std of the accuracy"),
    cl::init(0));

static rebocc::support::MonitorCLOptions monitorOptions(reboccCategory);

static cl::opt<unsigned> jobs(
    cl::cat(reboccCategory), "j", cl::value_desc("N"),
    cl::desc("--run: simulate on N threads (default: one per hardware "
             "thread); the outputs and report do not depend on N"),
    cl::init(0));

static void error(const Twine &message) {
  rebocc::support::Monitor::get().clearLine();
  errs() << "rebocc: error: " << message << "\n";
}

/// Options that only act on a run (--run, --cost-only, --compare). Given
/// without one they would be silently ignored, so that is an error naming the
/// first such option.
static bool checkRunOnlyOptions() {
  if (runProgram || costOnly || !compare.empty())
    return true;
  // std::addressof: cl::list's operator& gives its std::vector.
  const cl::Option *runOnly[] = {
      std::addressof(runInputs),      std::addressof(outputDir),
      std::addressof(reportPath),     std::addressof(htmlPath),
      std::addressof(labelsPath),     std::addressof(seed),
      std::addressof(trials),         std::addressof(floatReference),
      std::addressof(calibrationInputs), std::addressof(pipelineMode),
      std::addressof(noReplicas),     std::addressof(gateIdleTiles),
      std::addressof(noGateIdleTiles), std::addressof(jobs)};
  for (const cl::Option *option : runOnly)
    if (option->getNumOccurrences()) {
      // One-letter options are spelled with one dash (-j), as --help has them.
      error((option->ArgStr.size() == 1 ? "-" : "--") + option->ArgStr +
            " only acts on a run; add --run, --cost-only or --compare");
      return false;
    }
  return true;
}

static LogicalResult printDiagnostic(Diagnostic &diag) {
  errs() << "rebocc: " << compiler::formatDiagnostic(diag) << "\n";
  return success();
}

static InputFormat formatOf(StringRef path) {
  if (inputFormat != InputFormat::Auto)
    return inputFormat;
  StringRef ext = sys::path::extension(path);
  if (ext == ".mlir")
    return InputFormat::Mlir;
  if (ext == ".onnxtxt" || ext == ".txt")
    return InputFormat::OnnxText;
  return InputFormat::Onnx;
}

/// Reads frozen inputs given as NAME=FILE.pb.
static bool readFrozenInputs(std::map<std::string, onnx::TensorProto> &out) {
  for (const std::string &entry : freezeInputs) {
    auto [name, file] = StringRef(entry).split('=');
    auto buffer = MemoryBuffer::getFile(file);
    onnx::TensorProto tensor;
    if (name.empty() || file.empty() || !buffer ||
        !tensor.ParseFromString((*buffer)->getBuffer().str())) {
      error("--freeze-input " + entry + ": expected NAME=FILE.pb naming a "
            "readable TensorProto");
      return false;
    }
    out[name.str()] = std::move(tensor);
  }
  return true;
}

/// The imported inputs' shapes, the run-time batch set to 1 (one
/// inference), for --cost-only without --input.
static std::vector<std::vector<int64_t>> fixedInputShapes;


/// The importer's options from --freeze-input, --input-shape and --dim.
static bool readImportOptions(onnxfe::ImportOptions &options) {
  if (!readFrozenInputs(options.frozenInputs))
    return false;
  for (const std::string &value : inputShapes) {
    std::string reason = onnxfe::parseInputShapeFlag(value, options);
    if (!reason.empty()) {
      error("--input-shape " + value + ": " + reason);
      return false;
    }
  }
  for (const std::string &value : dimValues) {
    std::string reason = onnxfe::parseDimFlag(value, options);
    if (!reason.empty()) {
      error("--dim " + value + ": " + reason);
      return false;
    }
  }
  return true;
}

static OwningOpRef<ModuleOp> loadOnnx(MLIRContext &context, StringRef path,
                                      bool text,
                                      const model::HardwareDesc &hw) {
  // Size checked before the file is mapped or read.
  uint64_t size;
  std::string sizeProblem;
  if (path != "-" && !sys::fs::file_size(path, size) &&
      !onnxfe::checkModelSize(size, path.str(), sizeProblem)) {
    error(sizeProblem);
    return nullptr;
  }
  onnx::ModelProto model;
  onnxfe::DeferredRawData deferred;
  std::string message;
  bool parsed = !text && path != "-" &&
                onnxfe::parseModelFile(path.str(), model, deferred);
  if (!parsed) {
    // Text, stdin, or a file the streaming parse rejected: read it whole
    // (the byte parser names what is wrong).
    auto buffer = MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false);
    if (!buffer) {
      error(path + ": " + buffer.getError().message());
      return nullptr;
    }
    StringRef bytes = (*buffer)->getBuffer();
    parsed = text ? onnxfe::parseModelText(bytes.str(), path.str(), model,
                                           message)
                  : onnxfe::parseModelBytes(
                        std::string_view(bytes.data(), bytes.size()),
                        path.str(), model, message);
  }
  onnxfe::ImportOptions options;
  if (!parsed) {
    error(message);
    return nullptr;
  }
  if (!readImportOptions(options))
    return nullptr;
  options.chipInputBits = hw.inputBits;
  std::vector<std::string> warnings;
  OwningOpRef<ModuleOp> module = compiler::importOnnx(
      context, std::move(model), path.str(), options, onnxCheck, warnings,
      message, &deferred);
  for (const std::string &warning : warnings)
    errs() << "rebocc: warning: " << warning << "\n";
  if (!module) {
    error(message);
    return module;
  }
  fixedInputShapes = compiler::oneInferenceInputShapes(*module);
  return module;
}

/// The compiler's options from the flags.
static compiler::CompileOptions compileOptions(MappingStrategy strategy) {
  compiler::CompileOptions options;
  options.blockSize = blockSize;
  options.layerBlockSizes.assign(layerBlockSizes.begin(),
                                 layerBlockSizes.end());
  options.projection = projection;
  options.tolerance = tolerance;
  options.mapping = strategy == MappingStrategy::Dense
                        ? compiler::Mapping::Dense
                        : compiler::Mapping::Reboc;
  options.duplication = duplication;
  options.duplicationLayout = duplicationLayout;
  options.duplicationBudget = duplicationBudget;
  options.objective = objective;
  options.objectiveGiven = objective.getNumOccurrences();
  options.inputSharing = !noInputSharing;
  options.overflow = overflowPolicy;
  options.reprogramAttention = attention == Attention::Reprogram;
  return options;
}

/// Prints the module to -o (or stdout).
static int printModule(ModuleOp module) {
  std::string error;
  auto out = openOutputFile(outputPath.empty() ? "-" : outputPath.getValue(), &error);
  if (!out) {
    ::error(error);
    return 1;
  }
  module.print(out->os());
  out->keep();
  return 0;
}

static std::string defaultProgramPath() {
  SmallString<128> path(inputPath == "-" ? "model" : inputPath.getValue());
  sys::path::replace_extension(path, ".rbp");
  return std::string(path);
}

/// --timing: MLIR's timing of every pass the compile runs, under one root
/// (passTimingRoot, started in main), printed before the stage times.
static DefaultTimingManager passTiming;
static TimingScope passTimingRoot;

/// The pass about to run, on the progress line.
struct PassProgress : public PassInstrumentation {
  void runBeforePass(Pass *pass, Operation *) override {
    rebocc::support::Monitor::get().step(pass->getArgument());
  }
};

/// A stage name of one mapping: "passes", or "passes (dense)" in --compare.
static std::string stageName(StringRef stage, StringRef label) {
  return label.empty() ? stage.str() : (stage + " (" + label + ")").str();
}

/// A pass manager of the compile: its passes shown on the progress line and,
/// with --timing, timed under `scope`.
static void instrument(PassManager &pm, TimingScope &scope) {
  if (rebocc::support::Monitor::get().showsProgress())
    pm.addInstrumentation(std::make_unique<PassProgress>());
  // Last, as enableTiming asks, so that no other instrumentation is timed.
  if (passTiming.isEnabled())
    pm.enableTiming(scope);
}

/// Maps the module with `strategy` (compiler::mapModule), its passes on the
/// progress line and timed; `label` names the mapping in --compare. False
/// when --emit=circulant stopped it there.
static FailureOr<bool> mapModule(ModuleOp module, MappingStrategy strategy,
                                 StringRef label = "") {
  std::string name = stageName("passes", label);
  rebocc::support::Monitor::Stage stage(name);
  TimingScope timing = passTimingRoot.nest(name);
  return compiler::mapModule(module, compileOptions(strategy),
                             emit == Emit::Circulant,
                             [&](PassManager &pm) { instrument(pm, timing); });
}

/// The head of the --report file (set in main when there is one).
static rebocc::support::ReportProvenance reportProvenance;

static sim::CostRunOptions costOptions() {
  sim::CostRunOptions out;
  out.provenance = reportProvenance;
  out.inputShapes = fixedInputShapes;
  out.cost.pipeline = pipelineMode;
  out.cost.overflow = overflowPolicy;
  out.cost.gateIdleTiles = !noGateIdleTiles;
  out.cost.replicate = !noReplicas;
  out.htmlPath = htmlPath;
  out.costOnly = costOnly;
  return out;
}

/// --labels and --trials; false (after an error) when --trials is out of
/// range.
static bool accuracyOptions(sim::AccuracyOptions &out) {
  if (jobs.getNumOccurrences() && (jobs < 1 || jobs > 1024)) {
    error("-j needs an integer in [1, 1024]");
    return false;
  }
  if (trials.getNumOccurrences() && (trials < 1 || trials > 100000)) {
    error("--trials needs an integer in [1, 100000]");
    return false;
  }
  out.labelsPath = labelsPath;
  out.trials = trials;
  out.calibrationInputs.assign(calibrationInputs.begin(),
                               calibrationInputs.end());
  return true;
}

static sim::RunOptions runOptions() {
  sim::RunOptions options;
  if (floatReference)
    options.arithmetic = sim::Arithmetic::FloatReference;
  options.seed = seed;
  options.threads = jobs;
  return options;
}

/// --compare=reboc,dense: one program per mapping, run on the same inputs,
/// reported side by side.
static int compareMappings(ModuleOp module, const model::HardwareDesc &hw) {
  std::vector<program::Program> programs;
  std::vector<std::string> labels;
  for (const std::string &label : compare) {
    if (label != "reboc" && label != "dense") {
      error("--compare takes reboc and/or dense, got '" + label + "'");
      return 1;
    }
    OwningOpRef<ModuleOp> copy = module.clone();
    FailureOr<bool> mapped = mapModule(
        *copy, label == "dense" ? MappingStrategy::Dense : MappingStrategy::Reboc,
        label);
    if (failed(mapped) || !*mapped) {
      if (succeeded(mapped))
        error("--compare cannot be combined with --emit");
      return 1;
    }
    programs.emplace_back();
    rebocc::support::Monitor::Stage stage(stageName("emit", label));
    if (failed(emitProgram(*copy, hw, programs.back())))
      return 1;
    labels.push_back(label);
  }
  sim::AccuracyOptions accuracy;
  if (!accuracyOptions(accuracy))
    return 1;
  std::vector<const program::Program *> pointers;
  for (const program::Program &prog : programs)
    pointers.push_back(&prog);
  return sim::compareProgramsCommand(
      pointers, labels,
      std::vector<std::string>(runInputs.begin(), runInputs.end()), outputDir,
      reportPath, runOptions(), costOptions(), "rebocc", accuracy);
}

static int writeOrRun(const program::Program &prog) {
  if (emit == Emit::Program) {
    std::string message;
    auto out = openOutputFile(outputPath.empty() ? "-" : outputPath.getValue(), &message);
    if (!out) {
      error(message);
      return 1;
    }
    out->os() << program::printText(prog);
    out->keep();
    return 0;
  }
  if (!outputPath.empty() || (!runProgram && !costOnly)) {
    std::string path = outputPath.empty() ? defaultProgramPath() : outputPath;
    std::string message;
    rebocc::support::Monitor::Stage stage("write");
    if (!program::writeProgramFile(prog, path, message)) {
      error(message);
      return 1;
    }
  }
  if (!runProgram && !costOnly)
    return 0;
  sim::AccuracyOptions accuracy;
  if (!accuracyOptions(accuracy))
    return 1;
  return sim::runProgramCommand(
      prog, std::vector<std::string>(runInputs.begin(), runInputs.end()),
      outputDir, reportPath, runOptions(), costOptions(), "rebocc", accuracy);
}

/// Every file the run will write can be written: checked before compiling,
/// so a bad path fails before anything (the program, the outputs) is written.
static bool checkOutputPaths() {
  std::string message;
  for (const std::string &path : {std::string(reportPath), std::string(htmlPath),
                                  std::string(outputPath)})
    if (!path.empty() && path != "-" && !checkWritablePath(path, message)) {
      error(message);
      return false;
    }
  return true;
}

static int compileAndRun(MLIRContext &context, const model::HardwareDesc &hw) {
  if (!checkOutputPaths())
    return 1;
  OwningOpRef<ModuleOp> module;
  if (formatOf(inputPath) == InputFormat::Mlir) {
    // The IR's shapes are fixed already: the ONNX flags would be ignored.
    // std::addressof: cl::list's operator& gives its std::vector.
    const cl::Option *onnxOnly[] = {std::addressof(freezeInputs),
                                    std::addressof(inputShapes),
                                    std::addressof(dimValues)};
    for (const cl::Option *option : onnxOnly)
      if (option->getNumOccurrences()) {
        error("--" + option->ArgStr + " only applies to an ONNX model");
        return 1;
      }
  }
  {
    rebocc::support::Monitor::Stage stage("import");
    if (formatOf(inputPath) == InputFormat::Mlir)
      module = parseSourceFile<ModuleOp>(inputPath.getValue(), &context);
    else
      module = loadOnnx(context, inputPath,
                        formatOf(inputPath) == InputFormat::OnnxText, hw);
  }
  if (!module)
    return 1;
  (*module)->setAttr(kHardwareAttrName, hardwareToAttr(&context, hw));
  if (emit == Emit::Import)
    return printModule(*module);
  if (!compare.empty())
    return compareMappings(*module, hw);

  FailureOr<bool> mapped = mapModule(*module, mapping);
  if (failed(mapped))
    return 1;
  if (!*mapped || emit == Emit::Crossbar)
    return printModule(*module);

  program::Program prog;
  {
    rebocc::support::Monitor::Stage stage("emit");
    // The module is discarded after: its blobs go as the program copies them.
    if (failed(emitProgram(*module, hw, prog, /*releaseBlobs=*/true)))
      return 1;
  }
  return writeOrRun(prog);
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  // --mlir-print-debuginfo and friends for --emit=import/circulant/crossbar:
  // with locations, the printed crossbar IR translates (rebocc-translate) to
  // the same program, value names included.
  registerAsmPrinterCLOptions();
  cl::HideUnrelatedOptions(reboccCategory);
  setUpToolCommandLine(argc, argv);
  cl::ParseCommandLineOptions(
      argc, argv,
      "rebocc: compile ONNX networks for block-circulant ReRAM crossbars\n");
  if (listOnnxOps) {
    outs() << onnxfe::supportedOpsMarkdown();
    return 0;
  }
  std::string message;
  if (!monitorOptions.apply("rebocc", message)) {
    error(message);
    return 1;
  }
  passTiming.setEnabled(monitorOptions.timing);
  passTimingRoot = passTiming.getRootScope();
  // At every return from here: the progress line cleared; with --timing
  // MLIR's pass timing, then the wall time of every stage.
  struct Finish {
    ~Finish() {
      passTimingRoot.stop();
      passTiming.print();
      passTiming.setEnabled(false); // printed: its destructor prints nothing
      rebocc::support::Monitor::get().finish(errs());
    }
  } finish;
  if (inputPath.empty()) {
    error("no input model given (see --help)");
    return 1;
  }
  if (!checkRunOnlyOptions())
    return 1;
  if (costOnly) {
    if (runProgram) {
      error("--cost-only and --run exclude each other: --cost-only estimates "
            "the cost without simulating");
      return 1;
    }
    if (emit != Emit::None) {
      error("--cost-only cannot be combined with --emit");
      return 1;
    }
    // Counting from shapes draws no noise and computes no value: these
    // would be silently ignored.
    for (const cl::Option *option :
         {static_cast<const cl::Option *>(&seed),
          static_cast<const cl::Option *>(&floatReference),
          static_cast<const cl::Option *>(std::addressof(calibrationInputs))})
      if (option->getNumOccurrences()) {
        error("--" + option->ArgStr +
              " has no effect with --cost-only, which simulates nothing");
        return 1;
      }
    if (outputDir.getNumOccurrences())
      errs() << "rebocc: warning: --cost-only writes no outputs; --output-dir "
                "is ignored\n";
  }
  model::HardwareDesc hw;
  if (!maxMemory.empty()) {
    uint64_t bytes;
    if (!rebocc::support::parseMemorySize(maxMemory, bytes, message)) {
      error("--max-memory: " + message);
      return 1;
    }
    rebocc::support::setMemoryBudget(bytes);
  }
  if (!hwPath.empty() && !model::loadHardwareDesc(hwPath, hw, message)) {
    error(message);
    return 1;
  }
  if (!model::applyHardwareOverrides(
          hw, std::vector<std::string>(hwSet.begin(), hwSet.end()),
          /*allowPlacement=*/true, message)) {
    error(message);
    return 1;
  }
  if (!reportPath.empty() &&
      !rebocc::support::makeReportProvenance("rebocc", argc, argv, "model",
                                             inputPath, reportProvenance,
                                             message)) {
    error(message);
    return 1;
  }
  DialectRegistry registry;
  registry.insert<circulant::CirculantDialect, crossbar::CrossbarDialect,
                  func::FuncDialect>();
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  ScopedDiagnosticHandler handler(&context, printDiagnostic);
  return compileAndRun(context, hw);
}
