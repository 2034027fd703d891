//===- CrossbarDialect.cpp - crossbar dialect -----------------------------===//

#include "rebocc/Dialect/Crossbar/CrossbarDialect.h"
#include "rebocc/Dialect/Crossbar/CrossbarOps.h"

using namespace mlir;
using namespace rebocc::crossbar;

#include "rebocc/Dialect/Crossbar/CrossbarOpsDialect.cpp.inc"

void CrossbarDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "rebocc/Dialect/Crossbar/CrossbarOps.cpp.inc"
      >();
}
