//===- HorizontalSlice.cpp - mapping A ------------------------------------===//
//
// Horizontal weight slicing: a crossbar column holds one block-row's unique
// weights; k rotation steps produce the block-row's k outputs. For a
// convolution the block-row spans every kernel position (im2col rows).
//
//===----------------------------------------------------------------------===//

#include "MappingUtils.h"
#include "rebocc/Dialect/Circulant/Passes.h"

namespace rebocc::circulant {
#define GEN_PASS_DEF_CIRCULANTHORIZONTALSLICE
#include "rebocc/Dialect/Circulant/Passes.h.inc"
} // namespace rebocc::circulant

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace {
struct HorizontalSlicePass
    : rebocc::circulant::impl::CirculantHorizontalSliceBase<HorizontalSlicePass> {
  void runOnOperation() override {
    FailureOr<model::HardwareDesc> hw = getHardware(getOperation());
    if (failed(hw))
      return signalPassFailure();
    if (failed(forEachLayer(getOperation(), [&](MappedLayerOpInterface layer) {
          if (failed(checkMappable(layer, *hw)))
            return failure();
          setMapping(layer, Mapping::A, 1, *hw);
          return success();
        })))
      signalPassFailure();
  }
};
} // namespace
