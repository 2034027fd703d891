//===- AssignBuffers.cpp - tile and size of every input buffer ------------===//
//
// An input buffer sits in the eDRAM of the tile of the first array that
// reads it. Its size is what the cost model counts for it
// (model::inputBufferWords), checked against the eDRAM of the tiles holding
// its first layer as the cost model checks it (model::bufferCapacityBytes).
//
//===----------------------------------------------------------------------===//

#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Dialect/Crossbar/Passes.h"
#include "rebocc/Model/CostStages.h"
#include "rebocc/Model/Events.h"
#include "rebocc/Target/Program/Layout.h"

#include "mlir/IR/SymbolTable.h"

#include <cmath>
#include <set>
#include <tuple>

namespace rebocc::crossbar {
#define GEN_PASS_DEF_CROSSBARASSIGNBUFFERS
#include "rebocc/Dialect/Crossbar/Passes.h.inc"
} // namespace rebocc::crossbar

using namespace mlir;
using namespace rebocc;
using namespace rebocc::crossbar;

namespace {

/// The mvm op that reads `buffer` first in its block, or null when none
/// does.
MvmOp firstReader(InputBufferOp buffer) {
  MvmOp first;
  for (Operation *user : buffer->getUsers())
    if (auto mvm = dyn_cast<MvmOp>(user))
      if (!first ||
          (mvm->getBlock() == first->getBlock() && mvm->isBeforeInBlock(first)))
        first = mvm;
  return first;
}

/// A shape with -1 for every dynamic size, as the model takes it.
std::vector<int64_t> modelShape(Type type) {
  std::vector<int64_t> shape;
  for (int64_t dim : cast<RankedTensorType>(type).getShape())
    shape.push_back(ShapedType::isDynamic(dim) ? -1 : dim);
  return shape;
}

class Assigner {
public:
  Assigner(ModuleOp module, const model::HardwareDesc &hw)
      : hw(hw), context(module.getContext()) {}

  LogicalResult assign(InputBufferOp buffer);

private:
  FailureOr<int64_t> tilesOf(LayerOp layer, InputBufferOp buffer);

  const model::HardwareDesc &hw;
  MLIRContext *context;
  SymbolTableCollection symbols;
};

} // namespace

/// Tiles holding the arrays of `layer` that read `buffer`: the tiles whose
/// eDRAM the cost model counts for the layer's buffer. Fails on an unplaced
/// array.
FailureOr<int64_t> Assigner::tilesOf(LayerOp layer, InputBufferOp buffer) {
  std::set<std::tuple<int64_t, int64_t, int64_t>> tiles;
  for (Operation *user : buffer->getUsers()) {
    auto mvm = dyn_cast<MvmOp>(user);
    if (!mvm || mvm.getLayer() != layer.getSymName())
      continue;
    for (Attribute ref : mvm.getArrays()) {
      auto array = symbols.lookupNearestSymbolFrom<ArrayOp>(
          mvm, cast<SymbolRefAttr>(ref));
      if (!array.getPlace())
        return array.emitError("array is not placed; run "
                               "crossbar-place-arrays first");
      PlaceAttr at = *array.getPlace();
      tiles.insert({at.getChip(), at.getLoad(), at.getTile()});
    }
  }
  return static_cast<int64_t>(tiles.size());
}

LogicalResult Assigner::assign(InputBufferOp buffer) {
  MvmOp first = firstReader(buffer);
  if (!first)
    return success(); // Read by no layer: nothing to place.
  auto layer =
      symbols.lookupNearestSymbolFrom<LayerOp>(first, first.getLayerAttr());
  FailureOr<int64_t> tiles = tilesOf(layer, buffer);
  if (failed(tiles))
    return failure();
  auto array = symbols.lookupNearestSymbolFrom<ArrayOp>(
      first, cast<SymbolRefAttr>(first.getArrays()[0]));
  PlaceAttr at = *array.getPlace();
  buffer.setTileAttr(
      TileAttr::get(context, at.getChip(), at.getLoad(), at.getTile()));

  program::CrossbarLayer plan = layer.toProgramLayer(buffer.getShared());
  std::string problem = program::planArrays(plan, hw);
  if (!problem.empty())
    return layer.emitError(problem);
  int64_t words =
      model::inputBufferWords(plan, modelShape(buffer.getInput().getType()));
  if (words < 0) {
    buffer.removeBytesAttr(); // A line buffer of an image size yet unknown.
    return success();
  }
  // The cost model's two sides of the layer's buffer occupancy; the
  // attribute rounds a fraction of a byte (input_bits not a multiple of 8)
  // up.
  double bytes = model::bufferBytes(words, hw);
  double capacity = model::bufferCapacityBytes(*tiles, hw);
  buffer.setBytes(static_cast<uint64_t>(std::ceil(bytes)));
  if (bytes > capacity)
    buffer.emitWarning("input buffer of ")
        << *buffer.getBytes() << " bytes exceeds the "
        << static_cast<int64_t>(capacity) << " bytes of eDRAM of the " << *tiles
        << (*tiles == 1 ? " tile" : " tiles") << " holding layer '"
        << layer.getSymName() << "': the cost model fetches the excess again "
        << "for every read";
  return success();
}

namespace {

struct CrossbarAssignBuffersPass
    : crossbar::impl::CrossbarAssignBuffersBase<CrossbarAssignBuffersPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<model::HardwareDesc> hw = getHardware(module);
    if (failed(hw))
      return signalPassFailure();
    Assigner assigner(module, *hw);
    WalkResult walk = module.walk([&](InputBufferOp buffer) {
      return failed(assigner.assign(buffer)) ? WalkResult::interrupt()
                                             : WalkResult::advance();
    });
    if (walk.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
