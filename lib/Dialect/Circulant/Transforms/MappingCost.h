//===- MappingCost.h - the cost model's view of one mapping -----*- C++ -*-===//
//
// Mapping passes that spend crossbars ask the cost model what a choice buys,
// before any weights are laid out: the same layout code the conversion uses,
// the same counting rules the interpreter uses, the same cost formulas the
// report uses.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_LIB_CIRCULANT_TRANSFORMS_MAPPINGCOST_H
#define REBOCC_LIB_CIRCULANT_TRANSFORMS_MAPPINGCOST_H

#include "rebocc/Dialect/Circulant/CirculantOps.h"
#include "rebocc/Model/Hardware.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

#include <string>

namespace rebocc::circulant {

/// What the cost model predicts for one crossbar layer mapped one way, for
/// one inference (batch 1), running alone on IMAs of its own in the
/// intra-layer pipeline.
struct MappingCost {
  int64_t crossbars = 0;
  int64_t imas = 0;      // a layer owns whole IMAs
  double latencyS = 0;   // slowest stage plus pipeline fill
  double energyJ = 0;    // dynamic energy of its events plus the static
                         // power the cost model charges over latencyS
  std::string bottleneck;
};

/// Lays `layer` out with `mapping` and `duplication`, counts one inference on
/// its static input shape and charges it with the cost model. Fails with a
/// diagnostic on the layer when a non-batch dimension of its input is
/// dynamic or the mapping does not fit the crossbars.
mlir::FailureOr<MappingCost>
estimateMappingCost(MappedLayerOpInterface layer, Mapping mapping,
                    int64_t duplication, const model::HardwareDesc &hw);

/// What the cost model charges for one inference's host I/O (batch 1): the
/// arguments of the module's functions coming in and their results going
/// out over the chip's links, in time and in energy (the links' energy per
/// bit and their static power meanwhile). No layer is mapped: crossbars and
/// imas are 0. A value's one dynamic dimension (the batch) counts as 1; a
/// value with more is left out.
MappingCost estimateHostIoCost(mlir::ModuleOp module,
                               const model::HardwareDesc &hw);

} // namespace rebocc::circulant

#endif
