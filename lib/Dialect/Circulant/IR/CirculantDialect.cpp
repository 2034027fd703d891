//===- CirculantDialect.cpp - circulant dialect ---------------------------===//

#include "rebocc/Dialect/Circulant/CirculantDialect.h"
#include "rebocc/Dialect/Circulant/CirculantAttributes.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace rebocc::circulant;

#include "rebocc/Dialect/Circulant/CirculantOpsDialect.cpp.inc"
#include "rebocc/Dialect/Circulant/CirculantEnums.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "rebocc/Dialect/Circulant/CirculantAttributes.cpp.inc"

void CirculantDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "rebocc/Dialect/Circulant/CirculantAttributes.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "rebocc/Dialect/Circulant/CirculantOps.cpp.inc"
      >();
}
