//===- CirculantDialect.cpp - circulant dialect ---------------------------===//

#include "rebocc/Dialect/Circulant/CirculantDialect.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

using namespace mlir;
using namespace rebocc::circulant;

#include "rebocc/Dialect/Circulant/CirculantOpsDialect.cpp.inc"

void CirculantDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "rebocc/Dialect/Circulant/CirculantOps.cpp.inc"
      >();
}
