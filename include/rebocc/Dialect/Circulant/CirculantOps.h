//===- CirculantOps.h - circulant dialect ops -------------------*- C++ -*-===//

#ifndef REBOCC_DIALECT_CIRCULANT_CIRCULANTOPS_H
#define REBOCC_DIALECT_CIRCULANT_CIRCULANTOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "rebocc/Dialect/Circulant/CirculantAttributes.h"
#include "rebocc/Dialect/Circulant/CirculantDialect.h"
#include "rebocc/Dialect/Circulant/MappedLayerOpInterface.h"
#include "rebocc/Support/Shapes.h"

#define GET_OP_CLASSES
#include "rebocc/Dialect/Circulant/CirculantOps.h.inc"

#endif
