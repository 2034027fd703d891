//===- CrossbarDialect.cpp - crossbar dialect -----------------------------===//

#include "rebocc/Dialect/Crossbar/CrossbarDialect.h"
#include "rebocc/Dialect/Crossbar/CrossbarOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace rebocc::crossbar;

#include "rebocc/Dialect/Crossbar/CrossbarEnums.cpp.inc"
#include "rebocc/Dialect/Crossbar/CrossbarOpsDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "rebocc/Dialect/Crossbar/CrossbarAttributes.cpp.inc"

void CrossbarDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "rebocc/Dialect/Crossbar/CrossbarAttributes.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "rebocc/Dialect/Crossbar/CrossbarOps.cpp.inc"
      >();
}

/// `crossbar.overflow` is the only discardable attribute: the policy a
/// module's arrays are placed for.
LogicalResult CrossbarDialect::verifyOperationAttribute(Operation *op,
                                                        NamedAttribute attr) {
  if (attr.getName() != getOverflowAttrHelper().getName())
    return op->emitError("unknown crossbar dialect attribute ")
           << attr.getName();
  if (!isa<ModuleOp>(op) || !isa<OverflowPolicyAttr>(attr.getValue()))
    return op->emitError() << attr.getName()
                           << " must be a #crossbar.overflow on a module";
  return success();
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

LogicalResult PlaceAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                int64_t chip, int64_t load, int64_t tile,
                                int64_t ima, int64_t xbar) {
  if (chip < 0 || load < 0 || tile < 0 || ima < 0 || xbar < 0)
    return emitError() << "place counts from 0: chip " << chip << ", load "
                       << load << ", tile " << tile << ", ima " << ima
                       << ", xbar " << xbar;
  return success();
}

LogicalResult TileAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               int64_t chip, int64_t load, int64_t tile) {
  if (chip < 0 || load < 0 || tile < 0)
    return emitError() << "tile counts from 0: chip " << chip << ", load "
                       << load << ", tile " << tile;
  return success();
}
