//===- MappingUtils.h - shared by the mapping passes ------------*- C++ -*-===//

#ifndef REBOCC_LIB_CIRCULANT_TRANSFORMS_MAPPINGUTILS_H
#define REBOCC_LIB_CIRCULANT_TRANSFORMS_MAPPINGUTILS_H

#include "rebocc/Dialect/Circulant/CirculantOps.h"
#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Target/Program/Layout.h"

namespace rebocc::circulant {

/// Crossbars a layer needs with `mapping` and duplication `dup` on `hw`; 0
/// when it cannot be mapped that way. The program's layout code decides, so
/// passes and interpreter agree.
inline int64_t countCrossbars(MappedLayerOpInterface layer, Mapping mapping,
                              int64_t dup, const model::HardwareDesc &hw) {
  return program::countLayerArrays(layer.toProgramLayer(mapping, dup), hw);
}

/// Fails with a diagnostic when a k-slice or one weight's cells cannot fit
/// on an array of `hw`.
inline mlir::LogicalResult checkMappable(MappedLayerOpInterface layer,
                                         const model::HardwareDesc &hw) {
  if (layer.getBlockSize() > hw.xbarRows)
    return layer->emitError("layer '")
           << layer.getName() << "': block size " << layer.getBlockSize()
           << " exceeds the " << hw.xbarRows << " crossbar rows";
  if (hw.cellsPerWeight() > hw.xbarCols)
    return layer->emitError(
        "a weight needs more cells than a crossbar has columns");
  return mlir::success();
}

/// Records a mapping decision on the layer.
inline void setMapping(MappedLayerOpInterface layer, Mapping mapping,
                       int64_t dup, const model::HardwareDesc &hw) {
  layer.setMapping(mapping, dup, countCrossbars(layer, mapping, dup, hw));
}

/// Runs `fn` on every circulant layer of `module`; stops and fails at the
/// first failure.
template <typename Fn>
mlir::LogicalResult forEachLayer(mlir::ModuleOp module, Fn &&fn) {
  mlir::WalkResult result = module.walk([&](MappedLayerOpInterface layer) {
    return mlir::failed(fn(layer)) ? mlir::WalkResult::interrupt()
                                   : mlir::WalkResult::advance();
  });
  return mlir::failure(result.wasInterrupted());
}

} // namespace rebocc::circulant

#endif
