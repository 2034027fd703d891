//===- MappingUtils.h - shared by the mapping passes ------------*- C++ -*-===//

#ifndef REBOCC_LIB_CIRCULANT_TRANSFORMS_MAPPINGUTILS_H
#define REBOCC_LIB_CIRCULANT_TRANSFORMS_MAPPINGUTILS_H

#include "rebocc/Dialect/Circulant/LayerRef.h"
#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Target/Program/Layout.h"

namespace rebocc::circulant {

/// Logical crossbar rows of one group: kernel positions x q x k (im2col
/// order (u, v, j, t)).
inline int64_t logicalRows(const LayerRef &layer) {
  return layer.getKernelPositions() * layer.getBlockCols() *
         layer.getBlockSize();
}

/// Whether C(d), d block-diagonal copies of one group, fits one array.
inline bool fitsMappingC(const LayerRef &layer, int64_t d,
                         const sim::HardwareDesc &hw) {
  return d * logicalRows(layer) <= hw.xbarRows &&
         d * layer.getBlockRows() * hw.cellsPerWeight() <= hw.xbarCols;
}

/// Crossbars a layer needs with `mapping` ("A", "B", "C" or "E") and
/// duplication `dup` on `hw`; 0 when it cannot be mapped that way.
inline int64_t countCrossbars(const LayerRef &layer, llvm::StringRef mapping,
                              int64_t dup, const sim::HardwareDesc &hw) {
  if (mapping == "C")
    return fitsMappingC(layer, dup, hw) ? layer.getGroups() : 0;
  return layer.getGroups() *
         program::countArrays(layer.getBlockRows(),
                              layer.getKernelPositions() * layer.getBlockCols(),
                              layer.getBlockSize(), dup, hw);
}

/// Fails with a diagnostic when a k-slice or one weight's cells cannot fit
/// on an array of `hw`.
inline mlir::LogicalResult checkMappable(const LayerRef &layer,
                                         const sim::HardwareDesc &hw) {
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
                       const sim::HardwareDesc &hw) {
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
