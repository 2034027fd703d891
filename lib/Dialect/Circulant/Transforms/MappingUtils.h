//===- MappingUtils.h - shared by the mapping passes ------------*- C++ -*-===//

#ifndef REBOCC_LIB_CIRCULANT_TRANSFORMS_MAPPINGUTILS_H
#define REBOCC_LIB_CIRCULANT_TRANSFORMS_MAPPINGUTILS_H

#include "rebocc/Dialect/Circulant/CirculantOps.h"
#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Target/Program/Layout.h"

#include "mlir/IR/Builders.h"

namespace rebocc::circulant {

/// Crossbars a layer needs with duplication `dup` on `hw`.
inline int64_t countCrossbars(FullyConnectedOp op, int64_t dup,
                              const sim::HardwareDesc &hw) {
  return program::countArrays(op.getBlockRows(), op.getBlockCols(),
                              op.getBlockSize(), dup, hw);
}

/// Fails with a diagnostic when a k-slice or one weight's cells cannot fit
/// on an array of `hw`.
inline mlir::LogicalResult checkMappable(FullyConnectedOp op,
                                         const sim::HardwareDesc &hw) {
  if (op.getBlockSize() > hw.xbarRows)
    return op.emitError("layer '")
           << op.getName() << "': block size " << op.getBlockSize()
           << " exceeds the " << hw.xbarRows << " crossbar rows";
  if (hw.cellsPerWeight() > hw.xbarCols)
    return op.emitError("a weight needs more cells than a crossbar has columns");
  return mlir::success();
}

/// Records a mapping decision on `op`.
inline void setMapping(FullyConnectedOp op, llvm::StringRef mapping,
                       int64_t dup, const sim::HardwareDesc &hw) {
  mlir::Builder builder(op.getContext());
  op.setMapping(mapping);
  op.setDuplication(dup);
  op.setCrossbars(countCrossbars(op, dup, hw));
}

} // namespace rebocc::circulant

#endif
