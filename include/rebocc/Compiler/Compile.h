//===- Compile.h - From an imported model to a program ---------*- C++ -*-===//
//
// The compiler's pipeline as a library: ONNX bytes to circulant IR, block
// partitioning and mapping, lowering to crossbars and placement. `rebocc`
// drives it from its flags and the Python package (python/) from keyword
// arguments, so both compile the same program from the same options.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_COMPILER_COMPILE_H
#define REBOCC_COMPILER_COMPILE_H

#include "rebocc/Dialect/Circulant/Passes.h"
#include "rebocc/Frontend/ONNX/OnnxImporter.h"
#include "rebocc/Model/Hardware.h"
#include "rebocc/Target/Program/Program.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Pass/PassManager.h"

#include <string>
#include <vector>

namespace rebocc::compiler {

enum class Mapping { Reboc, Dense };

/// The options that shape the program: rebocc's partitioning, mapping and
/// placement flags (the defaults are the flags' defaults).
struct CompileOptions {
  std::string blockSize = "auto";           // --block-size
  std::vector<std::string> layerBlockSizes; // --layer-block-size name:k
  bool projection = false;                  // --projection
  double tolerance = 1e-5;                  // --tolerance
  Mapping mapping = Mapping::Reboc;         // --mapping
  int64_t duplication = 0;                  // --duplication
  circulant::DuplicationLayout duplicationLayout =
      circulant::DuplicationLayout::Auto;
  circulant::DuplicationBudget duplicationBudget =
      circulant::DuplicationBudget::Idle;
  circulant::DuplicationObjective objective =
      circulant::DuplicationObjective::Latency;
  /// --objective was given: a warning when the budget ignores it.
  bool objectiveGiven = false;
  bool inputSharing = true;                 // not --no-input-sharing
  model::OverflowPolicy overflow = model::OverflowPolicy::MultiChip;
  /// --attention=reprogram: a MatMul of two run-time tensors writes its
  /// right operand into crossbar cells per inference instead of running on
  /// the digital units.
  bool reprogramAttention = false;
};

/// Block partitioning and the mapping of `options.mapping`. Warns (through
/// the context's diagnostics) when a given --objective has no effect.
void addCirculantPasses(mlir::PassManager &pm, const CompileOptions &options);

/// Array placement (--overflow) and the input buffers: the one placement the
/// program, the cost model and the report share.
void addCrossbarPasses(mlir::PassManager &pm, const CompileOptions &options);

/// Maps `module` onto crossbars: circulant IR goes through the circulant
/// passes, the lowering and placement; crossbar IR with no array placed yet
/// is placed; placed crossbar IR is left as it is. Returns false (success)
/// when `stopAfterCirculant` stopped it after the circulant passes; failures
/// are emitted as diagnostics. `instrument`, when given, sees every pass
/// manager before it runs (the tool's progress line and pass timing).
mlir::FailureOr<bool>
mapModule(mlir::ModuleOp module, const CompileOptions &options,
          bool stopAfterCirculant = false,
          llvm::function_ref<void(mlir::PassManager &)> instrument = {});

/// Compiles `module` (as imported, or crossbar IR) for `hw` into `program`:
/// records `hw` on the module, maps it (mapModule) and emits the program.
/// Failures are emitted as diagnostics.
mlir::LogicalResult compileModule(mlir::ModuleOp module,
                                  const model::HardwareDesc &hw,
                                  const CompileOptions &options,
                                  program::Program &program);

/// Reads the external data of `model` (parsed from `path`) from beside
/// `path`, runs ONNX's checker when `check` (each finding a warning) and
/// imports it with `options`, consuming `model` (its initializers' bytes are
/// released as they are decoded; those `deferred` holds are read from the
/// file when decoded). Warnings (the checker's findings, the importer's) are
/// appended to `warnings`; null with `error` on failure.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnx(mlir::MLIRContext &context, onnx::ModelProto &&model,
           const std::string &path, const onnxfe::ImportOptions &options,
           bool check, std::vector<std::string> &warnings, std::string &error,
           const onnxfe::DeferredRawData *deferred = nullptr);

/// The shapes of the imported function's arguments with the run-time batch
/// set to 1: what a cost estimate without input files counts (one
/// inference). The importer leaves only the batch dynamic (any other open
/// dimension is an error naming --input-shape and --dim), so these are the
/// shapes the model declares or the flags fixed; a compiled program's own
/// leave image sizes open and cannot stand in for them.
std::vector<std::vector<int64_t>> oneInferenceInputShapes(mlir::ModuleOp module);

/// One diagnostic without its severity: where ("'name' (file)" or
/// "file:line:col", when known) and the message.
std::string diagnosticMessage(mlir::Diagnostic &diag);

/// One diagnostic as rebocc prints it after "rebocc: ": its severity, then
/// diagnosticMessage.
std::string formatDiagnostic(mlir::Diagnostic &diag);

} // namespace rebocc::compiler

#endif // REBOCC_COMPILER_COMPILE_H
