//===- DuplicateWeights.cpp - weight duplication, B(d) and C(d) -----------===//
//
// Mapping A leaves columns idle when a layer has few block-rows. Copies of a
// block-row, copy u rotated by u, fill them (B(d)): one step then yields d
// outputs of the block-row and a vector needs k/d steps instead of k. When a
// layer's rows are also short (a narrow layer), copies can go block-diagonal
// instead (C(d)), each copy in its own rows driven with its own rotation.
//
//===----------------------------------------------------------------------===//

#include "MappingCost.h"
#include "MappingUtils.h"
#include "rebocc/Dialect/Circulant/Passes.h"
#include "rebocc/Support/Knapsack.h"

namespace rebocc::circulant {
#define GEN_PASS_DEF_CIRCULANTDUPLICATEWEIGHTS
#include "rebocc/Dialect/Circulant/Passes.h.inc"
} // namespace rebocc::circulant

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace {

/// A duplication choice: the layout (A, B or C) and factor d.
struct Duplication {
  Mapping mapping = Mapping::A;
  int64_t factor = 1;
};

struct DuplicateWeightsPass
    : rebocc::circulant::impl::CirculantDuplicateWeightsBase<DuplicateWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    FailureOr<model::HardwareDesc> hw = getHardware(getOperation());
    if (failed(hw))
      return signalPassFailure();
    if (failed(forEachLayer(getOperation(), [&](MappedLayerOpInterface layer) {
          return duplicate(layer, *hw);
        })))
      return signalPassFailure();
    if (budget == DuplicationBudget::Chip && factor == 0)
      spendChipBudget(*hw);
  }

private:
  /// The largest divisor d of k whose `mapping` copies need no more
  /// crossbars than mapping A: duplication only fills idle space.
  int64_t largestFitting(MappedLayerOpInterface layer, Mapping mapping,
                         const model::HardwareDesc &hw) {
    int64_t k = layer.getBlockSize();
    int64_t budget = countCrossbars(layer, Mapping::A, 1, hw);
    for (int64_t d = k; d > 1; --d) {
      int64_t needed = countCrossbars(layer, mapping, d, hw);
      if (k % d == 0 && needed > 0 && needed <= budget)
        return d;
    }
    return 1;
  }

  /// Fewest steps wins; B on a tie, since C only pays for narrow layers.
  Duplication choose(MappedLayerOpInterface layer,
                     const model::HardwareDesc &hw) {
    Duplication best;
    if (layout != DuplicationLayout::C) {
      int64_t d = largestFitting(layer, Mapping::B, hw);
      if (d > best.factor)
        best = {Mapping::B, d};
    }
    if (layout != DuplicationLayout::B) {
      int64_t d = largestFitting(layer, Mapping::C, hw);
      if (d > best.factor)
        best = {Mapping::C, d};
    }
    return best;
  }

  LogicalResult forced(MappedLayerOpInterface layer,
                       const model::HardwareDesc &hw, Duplication &out) {
    int64_t k = layer.getBlockSize();
    Operation *op = layer;
    if (factor < 0 || k % factor != 0)
      return op->emitError("layer '")
             << layer.getName() << "': duplication factor "
             << static_cast<int64_t>(factor) << " does not divide block size "
             << k;
    Mapping mapping =
        layout == DuplicationLayout::C ? Mapping::C : Mapping::B;
    if (factor == 1)
      mapping = Mapping::A;
    if (countCrossbars(layer, mapping, factor, hw) == 0)
      return op->emitError("layer '")
             << layer.getName() << "': " << static_cast<int64_t>(factor)
             << " block-diagonal copies do not fit one crossbar";
    out = {mapping, factor};
    return success();
  }

  /// A layer the chip budget may duplicate further: the cost model's figures
  /// for its current mapping and for every larger B(d) that fits a crossbar.
  struct Candidate {
    MappedLayerOpInterface layer;
    MappingCost now;
    SmallVector<std::pair<int64_t, MappingCost>> options;
  };

  /// The crossbar layers as mapped before the chip budget: IMAs, and the
  /// sums of one inference's latency and energy over all of them.
  struct Base {
    int64_t imas = 0;
    double latencyS = 0, energyJ = 0;
  };

  /// The cost model's figures for `layer` as mapped, and as a candidate when
  /// it is in mapping A or B (C is only chosen for narrow layers, E is the
  /// dense baseline).
  LogicalResult survey(MappedLayerOpInterface layer,
                       const model::HardwareDesc &hw, Base &base,
                       SmallVectorImpl<Candidate> &candidates) {
    Mapping mapping = *layer.getMapping();
    int64_t d = layer.getDuplication(), k = layer.getBlockSize();
    FailureOr<MappingCost> now = estimateMappingCost(layer, mapping, d, hw);
    if (failed(now))
      return failure();
    base.imas += now->imas;
    base.latencyS += now->latencyS;
    base.energyJ += now->energyJ;
    if (mapping != Mapping::A && mapping != Mapping::B)
      return success();
    Candidate candidate{layer, *now, {}};
    for (int64_t next = d + 1; next <= k; ++next) {
      if (k % next || countCrossbars(layer, Mapping::B, next, hw) == 0)
        continue;
      FailureOr<MappingCost> cost =
          estimateMappingCost(layer, Mapping::B, next, hw);
      if (failed(cost))
        return failure();
      candidate.options.push_back({next, *cost});
    }
    candidates.push_back(std::move(candidate));
    return success();
  }

  /// Spends one chip's spare IMAs where the cost model says they save the
  /// most of `objective` for one inference. In the intra-layer pipeline the
  /// layers run one after another, so latency is the sum of the layers'
  /// latencies, and energy the sum of their energies (each layer's events,
  /// plus the static power the cost model charges over its time). Either sum
  /// makes a multiple-choice knapsack: each candidate layer takes one of its
  /// B(d) options (or stays), costing extra IMAs (every layer owns whole
  /// IMAs, as the cost model places them) and saving latency or energy; the
  /// whole model must still fit one chip. Solved exactly by dynamic
  /// programming over the spare IMAs; the energy-delay product, a product of
  /// the two sums, exactly by a series of such knapsacks
  /// (support::bestProductPlan). What no duplication changes adds the same
  /// to every plan's latency and energy, which changes neither sum's best
  /// plan but does change the product's: its totals include the host I/O
  /// (most of an inference's energy on small models). Digital layers are
  /// left out (a few per cent of the time at most on the bundled models).
  void spendChipBudget(const model::HardwareDesc &hw) {
    SmallVector<Candidate> candidates;
    Base base;
    if (failed(forEachLayer(getOperation(), [&](MappedLayerOpInterface layer) {
          return survey(layer, hw, base, candidates);
        })))
      return signalPassFailure();
    MappingCost hostIo = estimateHostIoCost(getOperation(), hw);
    base.latencyS += hostIo.latencyS;
    base.energyJ += hostIo.energyJ;
    int64_t spare = hw.tilesPerChip * hw.imasPerTile - base.imas, useful = 0;
    support::KnapsackItems items;
    for (const Candidate &c : candidates) {
      items.emplace_back();
      for (const auto &[d, option] : c.options) {
        items.back().push_back({option.imas - c.now.imas,
                                c.now.latencyS - option.latencyS,
                                c.now.energyJ - option.energyJ});
        useful = std::max(useful, option.imas - c.now.imas);
      }
    }
    spare = std::min(spare, useful * static_cast<int64_t>(candidates.size()));
    if (spare < 0)
      return; // Already more than a chip: nothing is spare.

    support::KnapsackPlan plan;
    switch (objective) {
    case DuplicationObjective::Latency:
      plan = support::bestWeightedPlan(items, spare, 1, 0);
      break;
    case DuplicationObjective::Energy:
      plan = support::bestWeightedPlan(items, spare, 0, 1);
      break;
    case DuplicationObjective::Edp:
      plan = support::bestProductPlan(items, spare, base.latencyS,
                                      base.energyJ);
      break;
    }
    for (auto [index, o] : llvm::enumerate(plan.picks))
      if (o >= 0)
        setMapping(candidates[index].layer, Mapping::B,
                   candidates[index].options[o].first, hw);
  }

  LogicalResult duplicate(MappedLayerOpInterface layer,
                          const model::HardwareDesc &hw) {
    std::optional<Mapping> mapping = layer.getMapping();
    if (mapping == Mapping::E)
      return success(); // The dense baseline has nothing to duplicate.
    if (mapping != Mapping::A)
      return layer->emitError("layer '")
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
