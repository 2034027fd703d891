//===- CrossbarOps.h - crossbar dialect ops ---------------------*- C++ -*-===//

#ifndef REBOCC_DIALECT_CROSSBAR_CROSSBAROPS_H
#define REBOCC_DIALECT_CROSSBAR_CROSSBAROPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "rebocc/Dialect/Crossbar/CrossbarDialect.h"
#include "rebocc/Target/Program/Program.h"

#define GET_OP_CLASSES
#include "rebocc/Dialect/Crossbar/CrossbarOps.h.inc"

#endif
