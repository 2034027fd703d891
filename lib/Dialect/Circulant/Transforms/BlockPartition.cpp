//===- BlockPartition.cpp - choose block sizes, store defining vectors ----===//
//
// Turns dense layers into block-circulant ones. Auto detection only accepts a
// block size whose blocks are circulant within the tolerance, so it never
// changes what the network computes; approximation (projection) must be asked
// for explicitly.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Dialect/Circulant/Passes.h"
#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Support/Circulant.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

namespace rebocc::circulant {
#define GEN_PASS_DEF_CIRCULANTBLOCKPARTITION
#include "rebocc/Dialect/Circulant/Passes.h.inc"
} // namespace rebocc::circulant

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace {

/// What the options say about one layer's block size.
struct BlockChoice {
  bool automatic = true;
  int64_t forced = 1;
};

struct BlockPartitionPass
    : rebocc::circulant::impl::CirculantBlockPartitionBase<BlockPartitionPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  LogicalResult parseOptions();
  BlockChoice choiceFor(StringRef layer);
  LogicalResult partition(FullyConnectedOp op);

  BlockChoice global;
  llvm::StringMap<int64_t> perLayer;
  llvm::StringSet<> matchedLayers;
  std::vector<int64_t> candidateSizes;
};

} // namespace

/// Parses a positive block size; fails on anything else.
static std::optional<int64_t> parseBlockSize(StringRef text) {
  int64_t value;
  if (text.trim().getAsInteger(10, value) || value < 1 || value > (1 << 16))
    return std::nullopt;
  return value;
}

LogicalResult BlockPartitionPass::parseOptions() {
  ModuleOp module = getOperation();
  if (blockSize != "auto") {
    std::optional<int64_t> k = parseBlockSize(blockSize);
    if (!k)
      return module.emitError("circulant-block-partition: block-size must be "
                              "'auto' or a positive integer, got '")
             << blockSize << "'";
    global = {false, *k};
  }
  for (const std::string &entry : layerBlockSizes) {
    auto [name, size] = StringRef(entry).rsplit(':');
    std::optional<int64_t> k = parseBlockSize(size);
    if (name.empty() || !k)
      return module.emitError("circulant-block-partition: layers entries are "
                              "name:k, got '")
             << entry << "'";
    perLayer[name] = *k;
  }
  candidateSizes.assign(candidates.begin(), candidates.end());
  if (candidateSizes.empty())
    candidateSizes = {2, 4, 8, 16, 32, 64, 128, 256};
  return success();
}

BlockChoice BlockPartitionPass::choiceFor(StringRef layer) {
  auto it = perLayer.find(layer);
  if (it != perLayer.end()) {
    matchedLayers.insert(layer);
    return {false, it->second};
  }
  return global;
}

LogicalResult BlockPartitionPass::partition(FullyConnectedOp op) {
  if (op.getBlockSize() != 1)
    return success(); // Already block-circulant.
  int64_t m = op.getOutFeatures(), n = op.getInFeatures();
  std::optional<std::vector<float>> dense = getFloatValues(op.getWeight());
  if (!dense)
    return op.emitOpError("weight is not a readable float32 tensor");

  BlockChoice choice = choiceFor(op.getName());
  int64_t k = choice.automatic
                  ? circulant::detectBlockSize(dense->data(), m, n,
                                               candidateSizes, tolerance)
                  : choice.forced;
  if (k == 1)
    return success();

  double relError = 0.0;
  std::vector<float> vectors =
      circulant::project(dense->data(), m, n, k, relError);
  Builder builder(op.getContext());
  // Detection already bounded the deviation; a forced k must be checked.
  double deviation =
      choice.automatic
          ? 0.0
          : circulant::maxRelativeDeviation(dense->data(), m, n, k);
  if (deviation > tolerance) {
    if (!projection)
      return op.emitError("layer '")
             << op.getName() << "' is not block-circulant with k = " << k
             << " (max relative deviation " << deviation
             << "); use projection=true to approximate it";
    op->setAttr("projection_error", builder.getF64FloatAttr(relError));
    op.emitRemark("layer '")
        << op.getName() << "' projected onto block size " << k
        << ", relative Frobenius error " << relError;
  }
  auto type = RankedTensorType::get(
      {circulant::ceilDiv(m, k), circulant::ceilDiv(n, k), k},
      builder.getF32Type());
  op.setWeightAttr(makeFloatAttr(type, vectors, (op.getName() + "_w").str()));
  op.setBlockSize(k);
  return success();
}

void BlockPartitionPass::runOnOperation() {
  if (failed(parseOptions()))
    return signalPassFailure();
  WalkResult result = getOperation().walk([&](FullyConnectedOp op) {
    return failed(partition(op)) ? WalkResult::interrupt()
                                 : WalkResult::advance();
  });
  if (result.wasInterrupted())
    return signalPassFailure();
  // A misspelt layer name must not silently leave that layer dense.
  for (const auto &entry : perLayer)
    if (!matchedLayers.contains(entry.getKey()))
      getOperation().emitWarning("circulant-block-partition: no layer named '")
          << entry.getKey() << "' (from the layers option)";
}
