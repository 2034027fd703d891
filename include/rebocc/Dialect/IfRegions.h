//===- IfRegions.h - The verifier both dialects' if ops share ---*- C++ -*-===//
//
// circulant.if and crossbar.if have the same form (a one-element condition,
// then and else regions each ending in a yield of the results' types); one
// template verifies both, so the two dialects cannot drift apart.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_DIALECT_IFREGIONS_H
#define REBOCC_DIALECT_IFREGIONS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LogicalResult.h"

#include <utility>

namespace rebocc {

/// One condition element, and each region ending in a `YieldOpT` of the
/// results' types (the program's phi takes the value of either branch as it
/// is), except a branch that cannot run (`then_error` / `else_error`): it
/// holds only an empty yield, and the other branch can run.
template <typename YieldOpT, typename IfOpT>
mlir::LogicalResult verifyIfRegions(IfOpT op) {
  auto condition = mlir::cast<mlir::RankedTensorType>(op.getCondition().getType());
  if (!condition.hasStaticShape() || condition.getNumElements() != 1)
    return op.emitOpError("condition ")
           << condition << " must hold exactly one element";
  if (op.getThenErrorAttr() && op.getElseErrorAttr())
    return op.emitOpError("has then_error and else_error: one branch must "
                          "be able to run");
  for (auto [region, failing] :
       {std::pair(&op.getThenRegion(), bool(op.getThenErrorAttr())),
        std::pair(&op.getElseRegion(), bool(op.getElseErrorAttr()))}) {
    mlir::Block &block = region->front();
    auto yield =
        block.empty() ? YieldOpT() : mlir::dyn_cast<YieldOpT>(block.back());
    if (!yield)
      return op.emitOpError("each region must end in a yield");
    if (failing) {
      if (yield.getNumOperands() != 0 || &block.front() != yield.getOperation())
        return op.emitOpError(
            "a branch that cannot run must hold only an empty yield");
      continue;
    }
    if (yield.getOperandTypes() != op.getResultTypes())
      return yield.emitOpError("yields ")
             << yield.getOperandTypes() << " for results of types "
             << op.getResultTypes();
  }
  return mlir::success();
}

} // namespace rebocc

#endif // REBOCC_DIALECT_IFREGIONS_H
