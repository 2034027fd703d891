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
    if (budget != "idle" && budget != "chip") {
      getOperation().emitError("circulant-duplicate-weights: budget must be "
                               "idle or chip, got '")
          << budget << "'";
      return signalPassFailure();
    }
    if (failed(forEachLayer(getOperation(), [&](LayerRef layer) {
          return duplicate(layer, *hw);
        })))
      return signalPassFailure();
    if (budget == "chip" && factor == 0)
      spendChipBudget(*hw);
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

  /// Input vectors one inference feeds a layer: 1 for a fully connected
  /// layer, one per output position for a convolution.
  static int64_t vectorsPerInference(const LayerRef &layer) {
    if (!layer.isConv())
      return 1;
    auto type = cast<RankedTensorType>(layer.getOperation()->getResult(0).getType());
    return type.getDimSize(2) * type.getDimSize(3);
  }

  /// The crossbar-read time of a layer per inference, in rotation steps.
  static int64_t readSteps(const LayerRef &layer) {
    return vectorsPerInference(layer) *
           (layer.getBlockSize() / layer.getDuplication());
  }

  /// The next divisor of k above the layer's d whose B copies fit in
  /// `spare` more crossbars, or 0.
  int64_t nextFactor(const LayerRef &layer, int64_t spare,
                     const sim::HardwareDesc &hw) {
    int64_t k = layer.getBlockSize(), d = layer.getDuplication();
    StringRef mapping = *layer.getMapping();
    int64_t now = countCrossbars(layer, mapping, d, hw);
    for (int64_t next = d + 1; next <= k; ++next) {
      if (k % next)
        continue;
      int64_t needed = countCrossbars(layer, "B", next, hw);
      return needed > 0 && needed - now <= spare ? next : 0;
    }
    return 0;
  }

  /// Greedy pipeline balancing: spare crossbars of one chip go to the layer
  /// with the longest crossbar-read time, one divisor step at a time.
  void spendChipBudget(const sim::HardwareDesc &hw) {
    SmallVector<LayerRef> layers;
    (void)forEachLayer(getOperation(), [&](LayerRef layer) {
      if (layer.getMapping() && *layer.getMapping() != "E" &&
          *layer.getMapping() != "C")
        layers.push_back(layer);
      return success();
    });
    int64_t chip = hw.tilesPerChip * hw.imasPerTile * hw.xbarsPerIma;
    int64_t used = 0;
    (void)forEachLayer(getOperation(), [&](LayerRef layer) {
      if (layer.getMapping())
        used += countCrossbars(layer, *layer.getMapping(),
                               layer.getDuplication(), hw);
      return success();
    });
    while (used < chip) {
      LayerRef *slowest = nullptr;
      for (LayerRef &layer : layers)
        if (nextFactor(layer, chip - used, hw) &&
            (!slowest || readSteps(layer) > readSteps(*slowest)))
          slowest = &layer;
      if (!slowest)
        return;
      int64_t before = countCrossbars(*slowest, *slowest->getMapping(),
                                      slowest->getDuplication(), hw);
      int64_t d = nextFactor(*slowest, chip - used, hw);
      setMapping(*slowest, "B", d, hw);
      used += countCrossbars(*slowest, "B", d, hw) - before;
    }
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
