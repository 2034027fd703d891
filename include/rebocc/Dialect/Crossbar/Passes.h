//===- Passes.h - crossbar dialect passes -----------------------*- C++ -*-===//

#ifndef REBOCC_DIALECT_CROSSBAR_PASSES_H
#define REBOCC_DIALECT_CROSSBAR_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "rebocc/Dialect/Crossbar/CrossbarOps.h"

namespace rebocc::crossbar {

#define GEN_PASS_DECL
#include "rebocc/Dialect/Crossbar/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "rebocc/Dialect/Crossbar/Passes.h.inc"

} // namespace rebocc::crossbar

#endif
