//===- DuplicateWeights.cpp - weight duplication, B(d) and C(d) -----------===//
//
// Mapping A leaves columns idle when a layer has few block-rows. Copies of a
// block-row, copy u rotated by u, fill them (B(d)): one step then yields d
// outputs of the block-row and a vector needs k/d steps instead of k. When a
// layer's rows are also short (a narrow layer), copies can go block-diagonal
// instead (C(d)), each copy in its own rows driven with its own rotation.
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

/// A duplication choice: the layout ("A", "B" or "C") and factor d.
struct Duplication {
  StringRef mapping = "A";
  int64_t factor = 1;
};

struct DuplicateWeightsPass
    : rebocc::circulant::impl::CirculantDuplicateWeightsBase<DuplicateWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (layout != "auto" && layout != "B" && layout != "C") {
      getOperation().emitError("circulant-duplicate-weights: layout must be "
                               "auto, B or C, got '")
          << layout << "'";
      return signalPassFailure();
    }
    FailureOr<sim::HardwareDesc> hw = getHardware(getOperation());
    if (failed(hw))
      return signalPassFailure();
    if (failed(forEachLayer(getOperation(), [&](LayerRef layer) {
          return duplicate(layer, *hw);
        })))
      signalPassFailure();
  }

private:
  /// The largest divisor d of k whose `mapping` copies need no more
  /// crossbars than mapping A: duplication only fills idle space.
  int64_t largestFitting(const LayerRef &layer, StringRef mapping,
                         const sim::HardwareDesc &hw) {
    int64_t k = layer.getBlockSize();
    int64_t budget = countCrossbars(layer, "A", 1, hw);
    for (int64_t d = k; d > 1; --d) {
      int64_t needed = countCrossbars(layer, mapping, d, hw);
      if (k % d == 0 && needed > 0 && needed <= budget)
        return d;
    }
    return 1;
  }

  /// Fewest steps wins; B on a tie, since C only pays for narrow layers.
  Duplication choose(const LayerRef &layer, const sim::HardwareDesc &hw) {
    Duplication best;
    if (layout != "C") {
      int64_t d = largestFitting(layer, "B", hw);
      if (d > best.factor)
        best = {"B", d};
    }
    if (layout != "B") {
      int64_t d = largestFitting(layer, "C", hw);
      if (d > best.factor)
        best = {"C", d};
    }
    return best;
  }

  LogicalResult forced(const LayerRef &layer, const sim::HardwareDesc &hw,
                       Duplication &out) {
    int64_t k = layer.getBlockSize();
    Operation *op = layer.getOperation();
    if (factor < 0 || k % factor != 0)
      return op->emitError("layer '")
             << layer.getName() << "': duplication factor "
             << static_cast<int64_t>(factor) << " does not divide block size "
             << k;
    StringRef mapping = layout == "C" ? "C" : "B";
    if (factor == 1)
      mapping = "A";
    if (countCrossbars(layer, mapping, factor, hw) == 0)
      return op->emitError("layer '")
             << layer.getName() << "': " << static_cast<int64_t>(factor)
             << " block-diagonal copies do not fit one crossbar";
    out = {mapping, factor};
    return success();
  }

  LogicalResult duplicate(LayerRef layer, const sim::HardwareDesc &hw) {
    std::optional<StringRef> mapping = layer.getMapping();
    if (mapping && *mapping == "E")
      return success(); // The dense baseline has nothing to duplicate.
    if (!mapping || *mapping != "A")
      return layer.getOperation()->emitError("layer '")
             << layer.getName()
             << "' must be mapped with circulant-horizontal-slice first";
    if (failed(checkMappable(layer, hw)))
      return failure();
    Duplication choice;
    if (factor != 0) {
      if (failed(forced(layer, hw, choice)))
        return failure();
    } else {
      choice = choose(layer, hw);
    }
    setMapping(layer, choice.mapping, choice.factor, hw);
    return success();
  }
};
} // namespace
