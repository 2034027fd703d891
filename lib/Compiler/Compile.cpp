//===- Compile.cpp - From an imported model to a program ------------------===//

#include "rebocc/Compiler/Compile.h"
#include "rebocc/Conversion/CirculantToCrossbar/CirculantToCrossbar.h"
#include "rebocc/Dialect/Circulant/CirculantDialect.h"
#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Dialect/Crossbar/CrossbarOps.h"
#include "rebocc/Dialect/Crossbar/Passes.h"
#include "rebocc/Frontend/ONNX/OnnxLoader.h"
#include "rebocc/Target/ProgramEmitter/ProgramEmitter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/Verifier.h"

using namespace mlir;

namespace rebocc::compiler {

void addCirculantPasses(PassManager &pm, const CompileOptions &options) {
  circulant::CirculantBlockPartitionOptions partition;
  partition.blockSize = options.blockSize;
  partition.layerBlockSizes.assign(options.layerBlockSizes.begin(),
                                   options.layerBlockSizes.end());
  partition.tolerance = options.tolerance;
  partition.projection = options.projection ? "on" : "off";
  pm.addPass(circulant::createCirculantBlockPartition(partition));
  if (options.mapping == Mapping::Dense) {
    pm.addPass(circulant::createCirculantDenseMapping());
    // ISAAC's tile bus broadcasts an input slice to every IMA that needs it:
    // the dense baseline stages each input once, as a shared buffer does.
    if (options.inputSharing)
      pm.addPass(circulant::createCirculantShareInputTiles());
    return;
  }
  pm.addPass(circulant::createCirculantHorizontalSlice());
  circulant::CirculantDuplicateWeightsOptions dup;
  dup.factor = options.duplication;
  dup.layout = options.duplicationLayout;
  dup.objective = options.objective;
  // By default duplication only fills idle columns and the chip's spare
  // crossbars hold copies of layers, which the cost model chooses knowing
  // every layer (docs/Comparison.md: spending them on duplication first,
  // layer by layer, left copies without room and was slower).
  dup.budget = options.duplicationBudget;
  if (options.objectiveGiven &&
      (dup.budget != circulant::DuplicationBudget::Chip || dup.factor))
    emitWarning(UnknownLoc::get(pm.getContext()))
        << "--objective only steers --duplication-budget=chip; "
        << (dup.factor ? "--duplication forces d"
                       : "the idle budget only fills idle space")
        << " and ignores it";
  // Sharing first: the chip budget's cost estimates see the input buffers.
  if (options.inputSharing)
    pm.addPass(circulant::createCirculantShareInputTiles());
  pm.addPass(circulant::createCirculantDuplicateWeights(dup));
}

void addCrossbarPasses(PassManager &pm, const CompileOptions &options) {
  crossbar::CrossbarPlaceArraysOptions place;
  place.overflow = options.overflow == model::OverflowPolicy::Reprogram
                       ? crossbar::OverflowPolicy::Reprogram
                       : crossbar::OverflowPolicy::Chips;
  pm.addPass(crossbar::createCrossbarPlaceArrays(place));
  pm.addPass(crossbar::createCrossbarAssignBuffers());
}

namespace {

/// True when `module` has crossbar arrays and none of them is placed.
bool isUnplaced(ModuleOp module) {
  auto arrays = module.getOps<crossbar::ArrayOp>();
  return !arrays.empty() && llvm::none_of(arrays, [](crossbar::ArrayOp array) {
    return bool(array.getPlaceAttr());
  });
}

bool hasCirculantOps(ModuleOp module) {
  bool found = false;
  module.walk([&](Operation *op) {
    found |= isa<circulant::CirculantDialect>(op->getDialect());
  });
  return found;
}

/// "file", "file:line:col" or "'name' (file)" for a diagnostic location.
std::string describe(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc)) {
    std::string child = describe(name.getChildLoc());
    return "'" + name.getName().str() + "'" +
           (child.empty() ? "" : " (" + child + ")");
  }
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return file.getLine() ? (file.getFilename().str() + ":" +
                             std::to_string(file.getLine()) + ":" +
                             std::to_string(file.getColumn()))
                          : file.getFilename().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    return fused.getLocations().empty() ? ""
                                        : describe(fused.getLocations()[0]);
  return "";
}

} // namespace

FailureOr<bool> mapModule(ModuleOp module, const CompileOptions &options,
                          bool stopAfterCirculant,
                          function_ref<void(PassManager &)> instrument) {
  // The passes' result is verified once, after the last pass, not after
  // each of the seven (each walk verifies thousands of crossbar.array
  // symbols: 7 % of a cost-only ResNet-50 run). rebocc-opt and the lit
  // tests still verify after every pass.
  auto run = [&](PassManager &pm) {
    pm.enableVerifier(false);
    if (instrument)
      instrument(pm);
    return pm.run(module);
  };
  auto verified = [&](bool lowered) -> FailureOr<bool> {
    if (failed(verify(module)))
      return failure();
    return lowered;
  };
  MLIRContext *context = module.getContext();
  // Crossbar IR given as input goes on from where it stands: placed IR is
  // emitted as it is, IR with no array placed yet gets this run's placement
  // (--overflow). Partly placed IR is the emitter's error.
  if (!hasCirculantOps(module)) {
    if (!isUnplaced(module))
      return true;
    PassManager place(context);
    addCrossbarPasses(place, options);
    return failed(run(place)) ? FailureOr<bool>(failure()) : verified(true);
  }
  PassManager pm(context);
  addCirculantPasses(pm, options);
  if (failed(run(pm)))
    return failure();
  if (stopAfterCirculant)
    return verified(false);
  PassManager lower(context);
  ConvertCirculantToCrossbarOptions lowering;
  lowering.attention = options.reprogramAttention ? "reprogram" : "digital";
  lower.addPass(createConvertCirculantToCrossbar(lowering));
  addCrossbarPasses(lower, options);
  if (failed(run(lower)))
    return failure();
  return verified(true);
}

LogicalResult compileModule(ModuleOp module, const model::HardwareDesc &hw,
                            const CompileOptions &options,
                            program::Program &program) {
  module->setAttr(kHardwareAttrName,
                  hardwareToAttr(module.getContext(), hw));
  if (failed(mapModule(module, options)))
    return failure();
  return emitProgram(module, hw, program);
}

OwningOpRef<ModuleOp> importOnnx(MLIRContext &context,
                                 onnx::ModelProto &&model,
                                 const std::string &path,
                                 const onnxfe::ImportOptions &options,
                                 bool check,
                                 std::vector<std::string> &warnings,
                                 std::string &error,
                                 const onnxfe::DeferredRawData *deferred) {
  if (!onnxfe::loadExternalData(model, path, error))
    return nullptr;
  if (check)
    for (const std::string &finding :
         deferred ? onnxfe::checkModel(model, *deferred)
                  : onnxfe::checkModel(model))
      warnings.push_back(path + ": onnx checker: " + finding);
  return onnxfe::importModel(std::move(model), context, path, options, error,
                             &warnings, deferred);
}

std::vector<std::vector<int64_t>> oneInferenceInputShapes(ModuleOp module) {
  std::vector<std::vector<int64_t>> shapes;
  for (auto func : module.getOps<func::FuncOp>())
    for (Type type : func.getArgumentTypes()) {
      std::vector<int64_t> shape(cast<ShapedType>(type).getShape());
      for (int64_t &dim : shape)
        dim = ShapedType::isDynamic(dim) ? 1 : dim;
      shapes.push_back(std::move(shape));
    }
  return shapes;
}

std::string diagnosticMessage(Diagnostic &diag) {
  std::string where = describe(diag.getLocation());
  return (where.empty() ? "" : where + ": ") + diag.str();
}

std::string formatDiagnostic(Diagnostic &diag) {
  const char *severity = diag.getSeverity() == DiagnosticSeverity::Error ? "error"
                         : diag.getSeverity() == DiagnosticSeverity::Warning
                             ? "warning"
                         : diag.getSeverity() == DiagnosticSeverity::Remark
                             ? "remark"
                             : "note";
  return std::string(severity) + ": " + diagnosticMessage(diag);
}

} // namespace rebocc::compiler
