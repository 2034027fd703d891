//===- CrossbarDialect.h - crossbar dialect ---------------------*- C++ -*-===//

#ifndef REBOCC_DIALECT_CROSSBAR_CROSSBARDIALECT_H
#define REBOCC_DIALECT_CROSSBAR_CROSSBARDIALECT_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/Operation.h"

#include "rebocc/Dialect/Crossbar/CrossbarEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "rebocc/Dialect/Crossbar/CrossbarAttributes.h.inc"

#include "rebocc/Dialect/Crossbar/CrossbarOpsDialect.h.inc"

#endif
