//===- CrossbarDialect.cpp - crossbar dialect -----------------------------===//

#include "rebocc/Dialect/Crossbar/CrossbarDialect.h"
#include "rebocc/Dialect/Crossbar/CrossbarAttributes.h"
#include "rebocc/Dialect/Crossbar/CrossbarOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace rebocc::crossbar;

#include "rebocc/Dialect/Crossbar/CrossbarOpsDialect.cpp.inc"
#include "rebocc/Dialect/Crossbar/CrossbarEnums.cpp.inc"
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
