//===- PlaceArrays.cpp - chip, load, tile, IMA and crossbar of each array -===//
//
// The one placement of a compiled model: the cost model's rule
// (model::placeArrays) applied to the crossbar layers in program order, its
// result stored on the arrays. The emitter writes it into the program, and
// the cost model and the report read it from there.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Dialect/Crossbar/Passes.h"
#include "rebocc/Model/Placement.h"

#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"

#include <tuple>

namespace rebocc::crossbar {
#define GEN_PASS_DEF_CROSSBARPLACEARRAYS
#include "rebocc/Dialect/Crossbar/Passes.h.inc"
} // namespace rebocc::crossbar

using namespace mlir;
using namespace rebocc;
using namespace rebocc::crossbar;

namespace {

/// The arrays of every layer the module runs, in program order: layers in
/// the order of their bias_add ops (as the emitter numbers them), arrays by
/// group, row tile and column tile (as program::planArrays orders them).
FailureOr<SmallVector<SmallVector<ArrayOp>>>
arraysInProgramOrder(ModuleOp module) {
  llvm::DenseMap<StringAttr, SmallVector<ArrayOp>> byLayer;
  for (ArrayOp array : module.getOps<ArrayOp>())
    byLayer[array.getLayerAttr().getAttr()].push_back(array);
  llvm::DenseMap<StringAttr, BiasAddOp> runs;
  SmallVector<SmallVector<ArrayOp>> layers;
  WalkResult walk = module.walk([&](BiasAddOp run) {
    StringAttr name = run.getLayerAttr().getAttr();
    auto [first, inserted] = runs.try_emplace(name, run);
    if (!inserted) {
      InFlightDiagnostic diag =
          run.emitError("layer ")
          << run.getLayerAttr()
          << " runs twice; each run needs arrays of its own";
      diag.attachNote(first->second.getLoc()) << "first run here";
      return WalkResult::interrupt();
    }
    SmallVector<ArrayOp> arrays = byLayer.lookup(name);
    if (arrays.empty()) {
      run.emitError("layer ") << run.getLayerAttr() << " has no crossbar.array";
      return WalkResult::interrupt();
    }
    // (group, row tile, column tile) is unique within a layer.
    llvm::sort(arrays, [](ArrayOp a, ArrayOp b) {
      auto key = [](ArrayOp x) {
        return std::make_tuple(x.getGroup().value_or(0), x.getRowTile(),
                               x.getColTile());
      };
      return key(a) < key(b);
    });
    layers.push_back(std::move(arrays));
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  return layers;
}

struct CrossbarPlaceArraysPass
    : crossbar::impl::CrossbarPlaceArraysBase<CrossbarPlaceArraysPass> {
  using CrossbarPlaceArraysBase::CrossbarPlaceArraysBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<model::HardwareDesc> hw = getHardware(module);
    FailureOr<SmallVector<SmallVector<ArrayOp>>> layers =
        arraysInProgramOrder(module);
    if (failed(hw) || failed(layers))
      return signalPassFailure();
    std::vector<int64_t> counts;
    for (const SmallVector<ArrayOp> &arrays : *layers)
      counts.push_back(static_cast<int64_t>(arrays.size()));
    std::vector<std::vector<program::ArrayPlace>> places;
    std::string problem =
        model::placeArrays(counts, *hw,
                           overflow == OverflowPolicy::Reprogram
                               ? model::OverflowPolicy::Reprogram
                               : model::OverflowPolicy::MultiChip,
                           places);
    MLIRContext *context = &getContext();
    for (auto [arrays, placed] : llvm::zip_equal(*layers, places))
      for (auto [array, at] : llvm::zip_equal(arrays, placed)) {
        array.setPlaceAttr(PlaceAttr::get(context, at.chip, at.load, at.tile,
                                          at.ima, at.xbar));
        // The links are missing from the first array off chip 0 or load 0.
        if (!problem.empty() && (at.chip > 0 || at.load > 0)) {
          array.emitError(problem)
              << ": array @" << array.getSymName() << " would be on chip "
              << at.chip << ", load " << at.load;
          return signalPassFailure();
        }
      }
    if (!problem.empty()) {
      module.emitError(problem);
      return signalPassFailure();
    }
    context->getLoadedDialect<CrossbarDialect>()
        ->getOverflowAttrHelper()
        .setAttr(module, OverflowPolicyAttr::get(context, overflow));
  }
};

} // namespace
