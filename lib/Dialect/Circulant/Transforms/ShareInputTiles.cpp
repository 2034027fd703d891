//===- ShareInputTiles.cpp - input tile sharing ---------------------------===//
//
// The arrays of one row tile and the duplicated copies of a block-row all
// need the same input slices, only rotated differently. Marking a layer
// shared makes conversion stage its input once, in a buffer every consumer
// reads with its own rotation, instead of one private copy per crossbar.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Dialect/Circulant/Passes.h"

#include "mlir/IR/Builders.h"

namespace rebocc::circulant {
#define GEN_PASS_DEF_CIRCULANTSHAREINPUTTILES
#include "rebocc/Dialect/Circulant/Passes.h.inc"
} // namespace rebocc::circulant

using namespace mlir;
using namespace rebocc::circulant;

namespace {
struct ShareInputTilesPass
    : rebocc::circulant::impl::CirculantShareInputTilesBase<ShareInputTilesPass> {
  void runOnOperation() override {
    WalkResult result = getOperation().walk([&](FullyConnectedOp op) {
      if (!op.getMapping()) {
        op.emitError("layer '") << op.getName()
                                << "' has no mapping; run a mapping pass first";
        return WalkResult::interrupt();
      }
      op.setSharedInput(true);
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
