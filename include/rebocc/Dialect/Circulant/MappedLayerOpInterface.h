//===- MappedLayerOpInterface.h - layers mapped to crossbars ----*- C++ -*-===//

#ifndef REBOCC_DIALECT_CIRCULANT_MAPPEDLAYEROPINTERFACE_H
#define REBOCC_DIALECT_CIRCULANT_MAPPEDLAYEROPINTERFACE_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpDefinition.h"
#include "rebocc/Dialect/Circulant/CirculantAttributes.h"
#include "rebocc/Target/Program/Program.h"

#include "rebocc/Dialect/Circulant/MappedLayerOpInterface.h.inc"

namespace rebocc::circulant {

/// The program mapping of a circulant mapping (the same four cases).
program::Mapping toProgramMapping(Mapping mapping);

/// The part of MappedLayerOpInterface::toProgramLayer every layer shares:
/// name, m, n, k, p, q, duplication, mapping and input sharing.
program::CrossbarLayer programLayerOf(MappedLayerOpInterface layer,
                                      Mapping mapping, int64_t duplication);

} // namespace rebocc::circulant

#endif
