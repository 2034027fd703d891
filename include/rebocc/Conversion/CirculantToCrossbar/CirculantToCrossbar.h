//===- CirculantToCrossbar.h - conversion pass ------------------*- C++ -*-===//

#ifndef REBOCC_CONVERSION_CIRCULANTTOCROSSBAR_H
#define REBOCC_CONVERSION_CIRCULANTTOCROSSBAR_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace rebocc {

#define GEN_PASS_DECL
#include "rebocc/Conversion/CirculantToCrossbar/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "rebocc/Conversion/CirculantToCrossbar/Passes.h.inc"

} // namespace rebocc

#endif
