//===- BlockPartition.cpp - choose block sizes, store defining vectors ----===//
//
// Turns dense layers into block-circulant ones. Auto detection only accepts a
// block size whose blocks are circulant within the tolerance, so it never
// changes what the network computes; approximation (projection) must be asked
// for explicitly.
//
//===----------------------------------------------------------------------===//

#include "MappingUtils.h"
#include "rebocc/Dialect/Circulant/Passes.h"
#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Support/Circulant.h"
#include "rebocc/Support/Shapes.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <cmath>

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
  bool perLayer = false; // forced by name (strict) rather than globally
};

struct BlockPartitionPass
    : rebocc::circulant::impl::CirculantBlockPartitionBase<BlockPartitionPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  LogicalResult parseOptions();
  BlockChoice choiceFor(StringRef layer);
  LogicalResult partition(MappedLayerOpInterface layer);

  BlockChoice global;
  llvm::StringMap<int64_t> perLayer;
  llvm::StringSet<> matchedLayers;
  bool projectionOn = false;
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
  for (int64_t k : candidateSizes)
    if (k < 2 || k > (1 << 16))
      return module.emitError("circulant-block-partition: candidates must lie "
                              "in [2, 65536], got ")
             << k;
  // A NaN, infinite or large tolerance would accept anything as circulant
  // and silently change the network.
  if (!(tolerance >= 0.0 && tolerance <= 0.5))
    return module.emitError("circulant-block-partition: tolerance must lie in "
                            "[0, 0.5], got ")
           << tolerance;
  StringRef mode = projection;
  if (mode == "on" || mode == "true" || mode == "1")
    projectionOn = true;
  else if (mode == "off" || mode == "false" || mode == "0")
    projectionOn = false;
  else
    return module.emitError("circulant-block-partition: projection must be "
                            "on or off, got '")
           << projection << "'";
  return success();
}

BlockChoice BlockPartitionPass::choiceFor(StringRef layer) {
  auto it = perLayer.find(layer);
  if (it != perLayer.end()) {
    matchedLayers.insert(layer);
    return {false, it->second, /*perLayer=*/true};
  }
  return global;
}

/// A layer's dense weights as m x n matrices, one per kernel position (a
/// fully connected layer has one). Dense conv weights are
/// 1 x m x kh x kw x n x 1, fc weights m x n x 1, so position `pos` is the
/// m rows of n floats starting at pos * n, `positions * n` floats apart:
/// detection reads them in place, without copying a large layer.
struct KernelPositions {
  ArrayRef<float> dense;
  int64_t m, n, positions;

  const float *slice(int64_t pos) const { return dense.data() + pos * n; }
  int64_t rowStride() const { return positions * n; }

  /// Position `pos` as a contiguous row-major m x n matrix (for projection).
  std::vector<float> copySlice(int64_t pos) const {
    std::vector<float> out(m * n);
    for (int64_t i = 0; i < m; ++i)
      std::copy_n(slice(pos) + i * rowStride(), n, out.begin() + i * n);
    return out;
  }
};

static double maxAbs(const float *values, int64_t m, int64_t n,
                     int64_t rowStride) {
  double result = 0;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      result = std::max(result, (double)std::fabs(values[i * rowStride + j]));
  return result;
}

static double maxAbs(ArrayRef<float> values) {
  return maxAbs(values.data(), 1, values.size(), 0);
}

/// The largest candidate k for which every kernel position is
/// block-circulant within `tolerance` of the layer's largest weight.
static int64_t detectLayerBlockSize(const KernelPositions &weights,
                                    std::vector<int64_t> candidates,
                                    double tolerance, double layerMax) {
  const int64_t m = weights.m, n = weights.n;
  // Each position's bound, from its own largest weight (computed once, not
  // once per candidate); a zero position is circulant at every k.
  std::vector<double> bounds(weights.positions, -1.0);
  for (int64_t pos = 0; pos < weights.positions; ++pos) {
    double sliceMax = maxAbs(weights.slice(pos), m, n, weights.rowStride());
    if (sliceMax > 0)
      bounds[pos] = tolerance * layerMax / sliceMax * sliceMax;
  }
  std::sort(candidates.rbegin(), candidates.rend());
  for (int64_t k : candidates) {
    if (k <= 1 || m % k || n % k)
      continue;
    bool all = true;
    for (int64_t pos = 0; all && pos < weights.positions; ++pos)
      all = bounds[pos] < 0 ||
            circulant::diagonalsWithin(weights.slice(pos), m, n,
                                       weights.rowStride(), k, bounds[pos]);
    if (all)
      return k;
  }
  return 1;
}

/// Projects every kernel slice onto block size k. Returns the defining
/// vectors in the op's weight layout (p x kh x kw x q x k per group) and sets
/// the layer's relative Frobenius error and largest deviation (relative to
/// the layer's largest weight).
static std::vector<float> projectLayer(const KernelPositions &weights,
                                       int64_t k, double layerMax,
                                       double &relError, double &deviation) {
  const int64_t m = weights.m, n = weights.n, positions = weights.positions;
  int64_t p = support::ceilDiv(m, k), q = support::ceilDiv(n, k);
  std::vector<float> vectors(p * positions * q * k);
  double diff = 0, norm = 0;
  deviation = 0;
  for (int64_t pos = 0; pos < positions; ++pos) {
    // One position of a fully connected layer is already contiguous.
    std::vector<float> copied;
    ArrayRef<float> slice = weights.dense;
    if (positions != 1)
      slice = copied = weights.copySlice(pos);
    double sliceError;
    std::vector<float> w = circulant::project(slice.data(), m, n, k, sliceError);
    double sliceNorm = 0;
    for (float v : slice)
      sliceNorm += (double)v * v;
    diff += sliceError * sliceError * sliceNorm;
    norm += sliceNorm;
    if (layerMax > 0)
      deviation = std::max(deviation, circulant::maxRelativeDeviation(
                                          slice.data(), m, n, k) *
                                          maxAbs(slice) / layerMax);
    for (int64_t i = 0; i < p; ++i)
      for (int64_t jt = 0; jt < q * k; ++jt)
        vectors[(i * positions + pos) * q * k + jt] = w[i * q * k + jt];
  }
  relError = norm > 0 ? std::sqrt(diff / norm) : 0.0;
  return vectors;
}

LogicalResult BlockPartitionPass::partition(MappedLayerOpInterface layer) {
  if (layer.getBlockSize() != 1)
    return success(); // Already block-circulant.
  Operation *op = layer;
  int64_t m = layer.getOutFeatures(), n = layer.getInFeatures();
  BlockChoice choice = choiceFor(layer.getName());
  // A globally forced k applies only where it fits: an ungrouped layer with
  // at least k inputs and outputs. Grouped and depthwise convolutions stay
  // dense per group; a k forced on one by name is an error.
  bool fits =
      layer.getGroupCount() == 1 && choice.forced <= m && choice.forced <= n;
  if (!choice.automatic && !choice.perLayer && choice.forced > 1 && !fits) {
    op->emitRemark("layer '") << layer.getName() << "' stays dense: k = "
                              << choice.forced << " does not fit its "
                              << layer.getGroupCount() << " group(s) of " << n
                              << " -> " << m << " channels";
    return success();
  }
  if (layer.getGroupCount() > 1) {
    if (!choice.automatic && choice.forced != 1)
      return op->emitError("layer '")
             << layer.getName() << "': grouped convolutions stay k = 1";
    return success();
  }
  // The weights stay in their attribute until setWeight replaces it.
  std::vector<float> storage;
  std::optional<ArrayRef<float>> dense =
      getFloatView(layer.getWeight(), storage);
  if (!dense)
    return op->emitOpError("weight is not a readable float32 tensor");
  KernelPositions weights{*dense, m, n, layer.getKernelPositions()};
  double layerMax = maxAbs(*dense);

  int64_t k = choice.automatic ? detectLayerBlockSize(weights, candidateSizes,
                                                      tolerance, layerMax)
                               : choice.forced;
  if (k == 1)
    return success();

  double relError = 0.0, deviation = 0.0;
  std::vector<float> vectors =
      projectLayer(weights, k, layerMax, relError, deviation);
  Builder builder(op->getContext());
  // Detection already bounded the deviation; a forced k must be checked.
  if (!choice.automatic && deviation > tolerance) {
    if (!projectionOn)
      return op->emitError("layer '")
             << layer.getName() << "' is not block-circulant with k = " << k
             << " (max relative deviation " << deviation
             << "); use --projection (rebocc) or the pass option "
                "projection=on (rebocc-opt) to approximate it";
    op->setAttr("projection_error", builder.getF64FloatAttr(relError));
    op->emitRemark("layer '")
        << layer.getName() << "' projected onto block size " << k
        << ", relative Frobenius error " << relError;
  }
  auto type =
      RankedTensorType::get(layer.getWeightShape(k), builder.getF32Type());
  layer.setWeight(makeFloatAttr(type, vectors, (layer.getName() + "_w").str()),
                  k);
  return success();
}

void BlockPartitionPass::runOnOperation() {
  if (failed(parseOptions()))
    return signalPassFailure();
  if (failed(forEachLayer(getOperation(),
                          [&](MappedLayerOpInterface layer) {
                            return partition(layer);
                          })))
    return signalPassFailure();
  // A misspelt layer name must not silently leave that layer dense.
  for (const auto &entry : perLayer)
    if (!matchedLayers.contains(entry.getKey()))
      getOperation().emitWarning("circulant-block-partition: no layer named '")
          << entry.getKey() << "' (from the layers option)";
}
