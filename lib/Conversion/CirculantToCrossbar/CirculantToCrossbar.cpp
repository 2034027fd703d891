//===- CirculantToCrossbar.cpp - lower mapped layers to crossbars ---------===//
//
// Each mapped circulant.fc becomes a crossbar.layer (unique weights, their
// fixed-point encoding), the crossbar.arrays of its layout, and a schedule in
// the function: input buffer -> one mvm per row tile -> reduce -> bias_add.
// The layout comes from program::planArrays, the same code the program
// reader checks against, so compiler and interpreter cannot disagree.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Conversion/CirculantToCrossbar/CirculantToCrossbar.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"
#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Dialect/Crossbar/CrossbarOps.h"
#include "rebocc/Target/Program/Layout.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"

#include <cmath>

namespace rebocc {
#define GEN_PASS_DEF_CONVERTCIRCULANTTOCROSSBAR
#include "rebocc/Conversion/CirculantToCrossbar/Passes.h.inc"
} // namespace rebocc

using namespace mlir;
using namespace rebocc;

namespace {

/// Lowers the ops of one module, keeping the shared input buffers.
class Lowering {
public:
  Lowering(ModuleOp module, const sim::HardwareDesc &hw)
      : module(module), hw(hw), symbols(module), builder(module.getContext()) {}

  LogicalResult lower(Operation *op);

private:
  LogicalResult lowerFullyConnected(circulant::FullyConnectedOp op);
  Value inputBuffer(circulant::FullyConnectedOp op);
  crossbar::LayerOp createLayer(circulant::FullyConnectedOp op,
                                ArrayRef<float> weights);
  SmallVector<SmallVector<Attribute>>
  createArrays(crossbar::LayerOp layer, const program::CrossbarLayer &plan);
  void replaceWithDigital(Operation *op, StringRef fn,
                          std::optional<int64_t> axis = std::nullopt);

  ModuleOp module;
  const sim::HardwareDesc &hw;
  SymbolTable symbols;
  OpBuilder builder;
  /// Shared buffers by (value, slice size): one per input tile.
  llvm::DenseMap<std::pair<Value, int64_t>, Value> sharedBuffers;
  int64_t nextArray = 0;
};

} // namespace

/// Scale that maps the largest weight magnitude onto the largest signed
/// fixed-point value (per layer; a zero layer keeps scale 1).
static float weightScale(ArrayRef<float> weights, int64_t weightBits) {
  float maxAbs = 0.0f;
  for (float w : weights)
    maxAbs = std::max(maxAbs, std::fabs(w));
  float levels = (float)((int64_t(1) << (weightBits - 1)) - 1);
  return maxAbs > 0.0f ? maxAbs / levels : 1.0f;
}

crossbar::LayerOp Lowering::createLayer(circulant::FullyConnectedOp op,
                                        ArrayRef<float> weights) {
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(module.getBody());
  auto layer = crossbar::LayerOp::create(
      builder, op.getLoc(), op.getName(), op.getOutFeatures(),
      op.getInFeatures(), op.getBlockSize(), *op.getMapping(),
      op.getDuplication().value_or(1), hw.weightBits, hw.cellBits,
      hw.cellsPerWeight(), llvm::APFloat(weightScale(weights, hw.weightBits)),
      op.getWeight(), op.getBias());
  symbols.insert(layer); // Renames on a clash.
  return layer;
}

SmallVector<SmallVector<Attribute>>
Lowering::createArrays(crossbar::LayerOp layer,
                       const program::CrossbarLayer &plan) {
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointAfter(layer);
  int64_t arraysPerTile = hw.xbarsPerIma * hw.imasPerTile;
  SmallVector<SmallVector<Attribute>> byRowTile(plan.rowTiles);
  for (const program::Array &array : plan.arrays) {
    std::string name = (Twine(layer.getSymName()) + "_r" + Twine(array.rowTile) +
                        "_c" + Twine(array.colTile))
                           .str();
    auto op = crossbar::ArrayOp::create(
        builder, layer.getLoc(), name, layer.getSymName(),
        nextArray++ / arraysPerTile, array.rowTile, array.colTile, hw.xbarRows,
        hw.xbarCols, array.rowBegin, array.rowCount, array.weightColBegin,
        array.weightColCount);
    symbols.insert(op);
    byRowTile[array.rowTile].push_back(FlatSymbolRefAttr::get(op));
  }
  return byRowTile;
}

Value Lowering::inputBuffer(circulant::FullyConnectedOp op) {
  Value input = op.getInput();
  int64_t k = op.getBlockSize();
  bool shared = op.getSharedInput().value_or(false);
  if (shared) {
    auto it = sharedBuffers.find({input, k});
    if (it != sharedBuffers.end())
      return it->second;
  }
  OpBuilder::InsertionGuard guard(builder);
  if (Operation *def = input.getDefiningOp())
    builder.setInsertionPointAfter(def);
  else
    builder.setInsertionPointToStart(cast<BlockArgument>(input).getOwner());
  auto buffer = crossbar::InputBufferOp::create(
      builder, op.getLoc(), input.getType(), input, k, shared);
  if (shared)
    sharedBuffers[{input, k}] = buffer;
  return buffer;
}

LogicalResult
Lowering::lowerFullyConnected(circulant::FullyConnectedOp op) {
  if (!op.getMapping())
    return op.emitError("layer '")
           << op.getName() << "' has no mapping; run a mapping pass first";
  std::optional<std::vector<float>> weights = getFloatValues(op.getWeight());
  if (!weights)
    return op.emitError("layer '") << op.getName() << "': unreadable weights";

  program::CrossbarLayer plan;
  plan.m = op.getOutFeatures();
  plan.n = op.getInFeatures();
  plan.k = op.getBlockSize();
  plan.p = op.getBlockRows();
  plan.q = op.getBlockCols();
  plan.dup = op.getDuplication().value_or(1);
  std::string problem = program::planArrays(plan, hw);
  if (!problem.empty())
    return op.emitError("layer '") << op.getName() << "': " << problem;

  crossbar::LayerOp layer = createLayer(op, *weights);
  SmallVector<SmallVector<Attribute>> arrays = createArrays(layer, plan);
  Value buffer = inputBuffer(op);

  builder.setInsertionPoint(op);
  Type type = op.getOutput().getType();
  SmallVector<Value> partials;
  for (auto [rowTile, tileArrays] : llvm::enumerate(arrays))
    partials.push_back(crossbar::MvmOp::create(
        builder, op.getLoc(), type, buffer, layer.getSymName(), rowTile,
        builder.getArrayAttr(tileArrays), plan.k / plan.dup, plan.dup));
  Value sum = crossbar::ReduceOp::create(builder, op.getLoc(), type, partials);
  Value result =
      crossbar::BiasAddOp::create(builder, op.getLoc(), sum, layer.getSymName());
  op.getOutput().replaceAllUsesWith(result);
  op.erase();
  return success();
}

void Lowering::replaceWithDigital(Operation *op, StringRef fn,
                                  std::optional<int64_t> axis) {
  builder.setInsertionPoint(op);
  auto digital = crossbar::DigitalOp::create(
      builder, op->getLoc(), op->getResult(0).getType(), fn,
      op->getOperands(),
      axis ? builder.getI64IntegerAttr(*axis) : IntegerAttr());
  op->getResult(0).replaceAllUsesWith(digital);
  op->erase();
}

LogicalResult Lowering::lower(Operation *op) {
  using namespace circulant;
  if (auto fc = dyn_cast<FullyConnectedOp>(op))
    return lowerFullyConnected(fc);
  if (auto constant = dyn_cast<ConstantOp>(op)) {
    builder.setInsertionPoint(op);
    auto lowered = crossbar::ConstantOp::create(
        builder, op->getLoc(), constant.getType(), constant.getValue());
    constant.replaceAllUsesWith(lowered.getOutput());
    op->erase();
    return success();
  }
  if (auto softmax = dyn_cast<SoftmaxOp>(op))
    replaceWithDigital(op, "softmax", softmax.getAxis());
  else if (auto flatten = dyn_cast<FlattenOp>(op))
    replaceWithDigital(op, "flatten", flatten.getAxis());
  else if (isa<ReluOp>(op))
    replaceWithDigital(op, "relu");
  else if (isa<SigmoidOp>(op))
    replaceWithDigital(op, "sigmoid");
  else if (isa<AddOp>(op))
    replaceWithDigital(op, "add");
  else if (isa<MulOp>(op))
    replaceWithDigital(op, "mul");
  else if (isa<ReshapeOp>(op))
    replaceWithDigital(op, "reshape");
  return success();
}

namespace {
struct ConvertCirculantToCrossbarPass
    : rebocc::impl::ConvertCirculantToCrossbarBase<ConvertCirculantToCrossbarPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<sim::HardwareDesc> hw = getHardware(module);
    if (failed(hw))
      return signalPassFailure();
    Lowering lowering(module, *hw);
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (isa<circulant::CirculantDialect>(op->getDialect()))
        ops.push_back(op);
    });
    for (Operation *op : ops)
      if (failed(lowering.lower(op)))
        return signalPassFailure();
  }
};
} // namespace
