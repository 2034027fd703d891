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
struct DenseMappingPass : rebocc::circulant::impl::CirculantDenseMappingBase<DenseMappingPass> {
  void runOnOperation() override {
    FailureOr<sim::HardwareDesc> hw = getHardware(getOperation());
    if (failed(hw))
      return signalPassFailure();
    WalkResult result = getOperation().walk([&](FullyConnectedOp op) {
      if (failed(checkMappable(op, *hw)))
        return WalkResult::interrupt();
      // Mapping E is B(k): column (i, u) holds row i*k + u of the expanded W.
      setMapping(op, "E", op.getBlockSize(), *hw);
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
