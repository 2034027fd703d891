//===- MappingUtils.h - shared by the mapping passes ------------*- C++ -*-===//

#ifndef REBOCC_LIB_CIRCULANT_TRANSFORMS_MAPPINGUTILS_H
#define REBOCC_LIB_CIRCULANT_TRANSFORMS_MAPPINGUTILS_H

#include "rebocc/Dialect/Circulant/LayerRef.h"
#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Target/Program/Layout.h"

namespace rebocc::circulant {

/// Crossbars a layer needs with `mapping` ("A", "B", "C" or "E") and
/// duplication `dup` on `hw`; 0 when it cannot be mapped that way. The
/// program's layout code decides, so passes and interpreter agree.
inline int64_t countCrossbars(const LayerRef &layer, llvm::StringRef mapping,
                              int64_t dup, const model::HardwareDesc &hw) {
  return program::countLayerArrays(layer.toProgramLayer(mapping, dup), hw);
}

/// Fails with a diagnostic when a k-slice or one weight's cells cannot fit
/// on an array of `hw`.
inline mlir::LogicalResult checkMappable(const LayerRef &layer,
                                         const model::HardwareDesc &hw) {
  mlir::Operation *op = layer.getOperation();
  if (layer.getBlockSize() > hw.xbarRows)
    return op->emitError("layer '")
           << layer.getName() << "': block size " << layer.getBlockSize()
           << " exceeds the " << hw.xbarRows << " crossbar rows";
  if (hw.cellsPerWeight() > hw.xbarCols)
    return op->emitError("a weight needs more cells than a crossbar has columns");
  return mlir::success();
}

/// Records a mapping decision on the layer.
inline void setMapping(LayerRef layer, llvm::StringRef mapping, int64_t dup,
                       const model::HardwareDesc &hw) {
  layer.setMapping(mapping, dup, countCrossbars(layer, mapping, dup, hw));
}

/// Runs `fn` on every circulant layer of `module`; stops and fails at the
/// first failure.
template <typename Fn>
mlir::LogicalResult forEachLayer(mlir::ModuleOp module, Fn &&fn) {
  mlir::WalkResult result = module.walk([&](mlir::Operation *op) {
    std::optional<LayerRef> layer = LayerRef::get(op);
    if (!layer)
      return mlir::WalkResult::advance();
    return mlir::failed(fn(*layer)) ? mlir::WalkResult::interrupt()
                                    : mlir::WalkResult::advance();
  });
  return mlir::failure(result.wasInterrupted());
}

} // namespace rebocc::circulant

#endif
