//===- CirculantAttributes.h - circulant dialect enums ----------*- C++ -*-===//

#ifndef REBOCC_DIALECT_CIRCULANT_CIRCULANTATTRIBUTES_H
#define REBOCC_DIALECT_CIRCULANT_CIRCULANTATTRIBUTES_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"
#include "rebocc/Dialect/Circulant/CirculantDialect.h"

#include "rebocc/Dialect/Circulant/CirculantEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "rebocc/Dialect/Circulant/CirculantAttributes.h.inc"

#endif
