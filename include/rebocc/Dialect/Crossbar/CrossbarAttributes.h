//===- CrossbarAttributes.h - crossbar dialect enums ------------*- C++ -*-===//

#ifndef REBOCC_DIALECT_CROSSBAR_CROSSBARATTRIBUTES_H
#define REBOCC_DIALECT_CROSSBAR_CROSSBARATTRIBUTES_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"
#include "rebocc/Dialect/Crossbar/CrossbarDialect.h"

#include "rebocc/Dialect/Crossbar/CrossbarEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "rebocc/Dialect/Crossbar/CrossbarAttributes.h.inc"

#endif
