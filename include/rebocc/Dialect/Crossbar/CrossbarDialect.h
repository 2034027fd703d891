//===- CrossbarDialect.h - crossbar dialect ---------------------*- C++ -*-===//

#ifndef REBOCC_DIALECT_CROSSBAR_CROSSBARDIALECT_H
#define REBOCC_DIALECT_CROSSBAR_CROSSBARDIALECT_H

#include "mlir/IR/Dialect.h"

#include "rebocc/Dialect/Crossbar/CrossbarOpsDialect.h.inc"

#endif
