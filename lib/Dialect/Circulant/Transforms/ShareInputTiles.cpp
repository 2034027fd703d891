//===- ShareInputTiles.cpp - input tile sharing ---------------------------===//
//
// The arrays of one row tile, the duplicated copies of a block-row and, in a
// convolution, the overlapping windows of neighbouring outputs all need the
// same input slices, only rotated or offset differently. Marking a layer
// shared makes conversion stage its input once, in a buffer every consumer
// reads with its own rotation, instead of one private copy per crossbar.
//
//===----------------------------------------------------------------------===//

#include "MappingUtils.h"
#include "rebocc/Dialect/Circulant/Passes.h"

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
    if (failed(forEachLayer(getOperation(), [&](MappedLayerOpInterface layer) -> LogicalResult {
          if (!layer.getMapping())
            return layer->emitError("layer '")
                   << layer.getName()
                   << "' has no mapping; run a mapping pass first";
          layer.setSharedInput();
          return success();
        })))
      signalPassFailure();
  }
};
} // namespace
