//===- Passes.h - circulant dialect passes ----------------------*- C++ -*-===//

#ifndef REBOCC_DIALECT_CIRCULANT_PASSES_H
#define REBOCC_DIALECT_CIRCULANT_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

namespace rebocc::circulant {

/// What circulant-duplicate-weights' chip budget spends spare crossbars on
/// (docs/Design.md, "Duplication objective"): the largest saving of one
/// inference's latency, of its energy, or of its energy-delay product.
enum class DuplicationObjective { Latency, Energy, Edp };

#define GEN_PASS_DECL
#include "rebocc/Dialect/Circulant/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "rebocc/Dialect/Circulant/Passes.h.inc"

} // namespace rebocc::circulant

#endif
