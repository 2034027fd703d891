//===- CirculantDialect.h - circulant dialect -------------------*- C++ -*-===//

#ifndef REBOCC_DIALECT_CIRCULANT_CIRCULANTDIALECT_H
#define REBOCC_DIALECT_CIRCULANT_CIRCULANTDIALECT_H

#include "mlir/IR/Dialect.h"

#include "rebocc/Dialect/Circulant/CirculantOpsDialect.h.inc"

#endif
