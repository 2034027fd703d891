//===- Passes.h - circulant dialect passes ----------------------*- C++ -*-===//

#ifndef REBOCC_DIALECT_CIRCULANT_PASSES_H
#define REBOCC_DIALECT_CIRCULANT_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

namespace rebocc::circulant {

#define GEN_PASS_DECL
#include "rebocc/Dialect/Circulant/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "rebocc/Dialect/Circulant/Passes.h.inc"

} // namespace rebocc::circulant

#endif
