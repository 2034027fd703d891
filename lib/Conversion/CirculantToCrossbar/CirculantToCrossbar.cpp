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
#include "rebocc/Dialect/Circulant/LayerRef.h"
#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Dialect/Crossbar/CrossbarOps.h"
#include "rebocc/Target/Program/Layout.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

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
  Lowering(ModuleOp module, const model::HardwareDesc &hw)
      : module(module), hw(hw), symbols(module), builder(module.getContext()) {}

  LogicalResult lower(Operation *op);

private:
  LogicalResult lowerLayer(circulant::LayerRef layer);
  Value inputBuffer(circulant::LayerRef layer);
  crossbar::LayerOp createLayer(circulant::LayerRef layer,
                                ArrayRef<float> weights);
  SmallVector<SmallVector<Attribute>>
  createArrays(crossbar::LayerOp layer, const program::CrossbarLayer &plan);
  void replaceWithDigital(Operation *op, StringRef fn);

  ModuleOp module;
  const model::HardwareDesc &hw;
  SymbolTable symbols;
  OpBuilder builder;
  /// Shared buffers by (value, slice size): one per input tile.
  llvm::DenseMap<std::pair<Value, int64_t>, Value> sharedBuffers;
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

crossbar::LayerOp Lowering::createLayer(circulant::LayerRef layer,
                                        ArrayRef<float> weights) {
  OpBuilder::InsertionGuard guard(builder);
  // Module-level symbols go before the functions, in the order created.
  auto funcs = module.getOps<func::FuncOp>();
  if (funcs.empty())
    builder.setInsertionPointToEnd(module.getBody());
  else
    builder.setInsertionPoint(*funcs.begin());
  Operation *op = layer.getOperation();
  auto created = crossbar::LayerOp::create(
      builder, op->getLoc(), builder.getStringAttr(layer.getName()),
      builder.getI64IntegerAttr(layer.getOutFeatures()),
      builder.getI64IntegerAttr(layer.getInFeatures()),
      builder.getI64IntegerAttr(layer.getBlockSize()),
      builder.getStringAttr(*layer.getMapping()),
      builder.getI64IntegerAttr(layer.getDuplication()),
      builder.getI64IntegerAttr(hw.weightBits),
      builder.getI64IntegerAttr(hw.cellBits),
      builder.getI64IntegerAttr(hw.cellsPerWeight()),
      builder.getF32FloatAttr(weightScale(weights, hw.weightBits)),
      layer.getWeight(),
      op->getAttrOfType<ElementsAttr>("bias"), IntegerAttr(),
      DenseI64ArrayAttr(), DenseI64ArrayAttr(), DenseI64ArrayAttr(),
      DenseI64ArrayAttr());
  if (auto conv = dyn_cast<circulant::ConvOp>(op)) {
    created.setGroups(conv.getGroups());
    created.setKernel(ArrayRef<int64_t>{conv.getKernelH(), conv.getKernelW()});
    created.setStrides(conv.getStrides());
    created.setPads(conv.getPads());
    created.setDilations(conv.getDilations());
  }
  symbols.insert(created); // Renames on a clash.
  return created;
}

SmallVector<SmallVector<Attribute>>
Lowering::createArrays(crossbar::LayerOp layer,
                       const program::CrossbarLayer &plan) {
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointAfter(layer);
  SmallVector<SmallVector<Attribute>> byRowTile(plan.rowTiles);
  for (const program::Array &array : plan.arrays) {
    std::string suffix = array.group ? "_g" + std::to_string(array.group) : "";
    std::string name = (Twine(layer.getSymName()) + suffix + "_r" +
                        Twine(array.rowTile) + "_c" + Twine(array.colTile))
                           .str();
    IntegerAttr group =
        array.group ? builder.getI64IntegerAttr(array.group) : IntegerAttr();
    // Unplaced: crossbar-place-arrays places every array of the module.
    auto op = crossbar::ArrayOp::create(
        builder, layer.getLoc(), name, layer.getSymName(), group,
        array.rowTile, array.colTile, hw.xbarRows, hw.xbarCols, array.rowBegin,
        array.rowCount, array.weightColBegin, array.weightColCount,
        crossbar::PlaceAttr());
    symbols.insert(op);
    byRowTile[array.rowTile].push_back(FlatSymbolRefAttr::get(op));
  }
  return byRowTile;
}

Value Lowering::inputBuffer(circulant::LayerRef layer) {
  Operation *op = layer.getOperation();
  Value input = op->getOperand(0);
  int64_t k = layer.getBlockSize();
  bool shared = op->hasAttr("shared_input");
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
      builder, op->getLoc(), input.getType(), input, k, shared,
      crossbar::TileAttr(), IntegerAttr());
  if (shared)
    sharedBuffers[{input, k}] = buffer;
  return buffer;
}

LogicalResult Lowering::lowerLayer(circulant::LayerRef layer) {
  Operation *op = layer.getOperation();
  if (!layer.getMapping())
    return op->emitError("layer '")
           << layer.getName() << "' has no mapping; run a mapping pass first";
  std::optional<std::vector<float>> weights = getFloatValues(layer.getWeight());
  if (!weights)
    return op->emitError("layer '") << layer.getName() << "': unreadable weights";

  program::CrossbarLayer plan =
      layer.toProgramLayer(*layer.getMapping(), layer.getDuplication());
  std::string problem = program::planArrays(plan, hw);
  if (!problem.empty())
    return op->emitError("layer '") << layer.getName() << "': " << problem;

  crossbar::LayerOp created = createLayer(layer, *weights);
  SmallVector<SmallVector<Attribute>> arrays = createArrays(created, plan);
  Value buffer = inputBuffer(layer);

  builder.setInsertionPoint(op);
  Type type = op->getResult(0).getType();
  SmallVector<Value> partials;
  for (auto [rowTile, tileArrays] : llvm::enumerate(arrays))
    partials.push_back(crossbar::MvmOp::create(
        builder, op->getLoc(), type, buffer, created.getSymName(), rowTile,
        builder.getArrayAttr(tileArrays), plan.k / plan.dup, plan.dup));
  Value sum = crossbar::ReduceOp::create(builder, op->getLoc(), type, partials);
  Value result = crossbar::BiasAddOp::create(builder, op->getLoc(), sum,
                                             created.getSymName());
  op->getResult(0).replaceAllUsesWith(result);
  op->erase();
  return success();
}

/// Replaces `op` by crossbar.digital `fn`, carrying its attributes (window
/// sizes, clip bounds, permutation, ...) along.
void Lowering::replaceWithDigital(Operation *op, StringRef fn) {
  builder.setInsertionPoint(op);
  auto digital = crossbar::DigitalOp::create(
      builder, op->getLoc(), op->getResult(0).getType(), fn, op->getOperands(),
      op->getAttrOfType<IntegerAttr>("axis"));
  for (NamedAttribute attr : op->getAttrs())
    if (attr.getName() != "axis")
      digital->setAttr(attr.getName(), attr.getValue());
  op->getResult(0).replaceAllUsesWith(digital);
  op->erase();
}

/// The digital-unit function a circulant op becomes, or "" if none.
static StringRef digitalFunction(Operation *op) {
  using namespace circulant;
  return llvm::TypeSwitch<Operation *, StringRef>(op)
      .Case<ReluOp>([](auto) { return "relu"; })
      .Case<SigmoidOp>([](auto) { return "sigmoid"; })
      .Case<SoftmaxOp>([](auto) { return "softmax"; })
      .Case<AddOp>([](auto) { return "add"; })
      .Case<MulOp>([](auto) { return "mul"; })
      .Case<ReshapeOp>([](auto) { return "reshape"; })
      .Case<FlattenOp>([](auto) { return "flatten"; })
      .Case<MaxPoolOp>([](auto) { return "max_pool"; })
      .Case<AvgPoolOp>([](auto) { return "avg_pool"; })
      .Case<GlobalAvgPoolOp>([](auto) { return "global_avg_pool"; })
      .Case<ClipOp>([](auto) { return "clip"; })
      .Case<LeakyReluOp>([](auto) { return "leaky_relu"; })
      .Case<HardSigmoidOp>([](auto) { return "hard_sigmoid"; })
      .Case<HardSwishOp>([](auto) { return "hard_swish"; })
      .Case<PReluOp>([](auto) { return "prelu"; })
      .Case<ConcatOp>([](auto) { return "concat"; })
      .Case<PadOp>([](auto) { return "pad"; })
      .Case<TransposeOp>([](auto) { return "transpose"; })
      .Default([](Operation *) { return ""; });
}

LogicalResult Lowering::lower(Operation *op) {
  using namespace circulant;
  if (std::optional<LayerRef> layer = LayerRef::get(op))
    return lowerLayer(*layer);
  if (auto constant = dyn_cast<ConstantOp>(op)) {
    builder.setInsertionPoint(op);
    auto lowered = crossbar::ConstantOp::create(
        builder, op->getLoc(), constant.getType(), constant.getValue());
    constant.replaceAllUsesWith(lowered.getOutput());
    op->erase();
    return success();
  }
  StringRef fn = digitalFunction(op);
  if (fn.empty())
    return op->emitError("no crossbar lowering for this op");
  replaceWithDigital(op, fn);
  return success();
}

namespace {
struct ConvertCirculantToCrossbarPass
    : rebocc::impl::ConvertCirculantToCrossbarBase<ConvertCirculantToCrossbarPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<model::HardwareDesc> hw = getHardware(module);
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
