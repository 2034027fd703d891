//===- DuplicateWeights.cpp - intra-crossbar weight duplication, B(d) -----===//
//
// Mapping A leaves columns idle when a layer has few block-rows. Copies of a
// block-row, copy u rotated by u, fill them: one step then yields d outputs
// of the block-row and a vector needs k/d steps instead of k.
//
//===----------------------------------------------------------------------===//

#include "MappingUtils.h"
#include "rebocc/Dialect/Circulant/Passes.h"

namespace rebocc::circulant {
#define GEN_PASS_DEF_CIRCULANTDUPLICATEWEIGHTS
#include "rebocc/Dialect/Circulant/Passes.h.inc"
} // namespace rebocc::circulant

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace {
struct DuplicateWeightsPass
    : rebocc::circulant::impl::CirculantDuplicateWeightsBase<DuplicateWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    FailureOr<sim::HardwareDesc> hw = getHardware(getOperation());
    if (failed(hw))
      return signalPassFailure();
    WalkResult result = getOperation().walk([&](FullyConnectedOp op) {
      return failed(duplicate(op, *hw)) ? WalkResult::interrupt()
                                        : WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }

private:
  /// The largest divisor of k whose copies fit in the crossbars mapping A
  /// already uses.
  int64_t chooseFactor(FullyConnectedOp op, const sim::HardwareDesc &hw) {
    int64_t k = op.getBlockSize();
    int64_t budget = countCrossbars(op, 1, hw);
    for (int64_t d = k; d > 1; --d)
      if (k % d == 0 && countCrossbars(op, d, hw) <= budget)
        return d;
    return 1;
  }

  LogicalResult duplicate(FullyConnectedOp op, const sim::HardwareDesc &hw) {
    std::optional<StringRef> mapping = op.getMapping();
    if (mapping && *mapping == "E")
      return success(); // The dense baseline has nothing to duplicate.
    if (!mapping || *mapping != "A")
      return op.emitError("layer '")
             << op.getName()
             << "' must be mapped with circulant-horizontal-slice first";
    if (failed(checkMappable(op, hw)))
      return failure();
    int64_t k = op.getBlockSize();
    if (factor < 0 || (factor > 0 && k % factor != 0))
      return op.emitError("layer '")
             << op.getName() << "': duplication factor "
             << static_cast<int64_t>(factor)
             << " does not divide block size " << k;
    int64_t d = factor > 0 ? (int64_t)factor : chooseFactor(op, hw);
    setMapping(op, d == 1 ? "A" : "B", d, hw);
    return success();
  }
};
} // namespace
