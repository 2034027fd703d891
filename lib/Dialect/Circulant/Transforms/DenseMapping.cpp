//===- DenseMapping.cpp - the expanded ISAAC-style baseline (mapping E) ---===//

#include "MappingUtils.h"
#include "rebocc/Dialect/Circulant/Passes.h"

namespace rebocc::circulant {
#define GEN_PASS_DEF_CIRCULANTDENSEMAPPING
#include "rebocc/Dialect/Circulant/Passes.h.inc"
} // namespace rebocc::circulant

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace {
struct DenseMappingPass
    : rebocc::circulant::impl::CirculantDenseMappingBase<DenseMappingPass> {
  void runOnOperation() override {
    FailureOr<model::HardwareDesc> hw = getHardware(getOperation());
    if (failed(hw))
      return signalPassFailure();
    if (failed(forEachLayer(getOperation(), [&](MappedLayerOpInterface layer) {
          if (failed(checkMappable(layer, *hw)))
            return failure();
          // Mapping E is B(k): column (i, u) holds row i*k + u of the
          // expanded W.
          setMapping(layer, Mapping::E, layer.getBlockSize(), *hw);
          return success();
        })))
      signalPassFailure();
  }
};
} // namespace
