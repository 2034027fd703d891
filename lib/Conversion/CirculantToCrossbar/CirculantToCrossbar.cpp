//===- CirculantToCrossbar.cpp - lower mapped layers to crossbars ---------===//
//
// A dialect conversion: circulant is illegal, crossbar and func are legal.
// Each mapped circulant.fc / circulant.conv becomes a crossbar.layer (unique
// weights, their fixed-point encoding), the crossbar.arrays of its layout,
// and a schedule in the function: input buffer -> one mvm per row tile ->
// reduce -> bias_add. Digital ops become crossbar.digital, constants
// crossbar.constant, and a run-time circulant.if a crossbar.if holding the
// same regions.
//
// The layout comes from program::planArrays, the same code the program
// reader checks against, so compiler and interpreter cannot disagree. The
// pass plans every layer before converting: planning is the only step that
// can fail, and a failure is then one diagnostic on its layer rather than a
// pattern failure followed by the driver's "failed to legalize".
//
//===----------------------------------------------------------------------===//

#include "rebocc/Conversion/CirculantToCrossbar/CirculantToCrossbar.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"
#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Dialect/Crossbar/CrossbarOps.h"
#include "rebocc/Target/Program/Layout.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/DenseMap.h"

#include <cmath>

namespace rebocc {
#define GEN_PASS_DEF_CONVERTCIRCULANTTOCROSSBAR
#include "rebocc/Conversion/CirculantToCrossbar/Passes.h.inc"
} // namespace rebocc

using namespace mlir;
using namespace rebocc;
using circulant::MappedLayerOpInterface;

namespace {

/// A layer's layout and weight encoding, decided before the conversion.
struct LayerPlan {
  program::CrossbarLayer layout;
  float weightScale = 1.0f;
  /// weight_scale_granularity = channel: one per block-row (empty otherwise).
  SmallVector<float> channelScales;
  /// weight_scale_granularity = layer: the block-rows that keep fewer than
  /// kNarrowRowBits of the weight bits, of blockRows (countNarrowRows).
  int64_t narrowRows = 0, blockRows = 0;
};

/// What the layer patterns of one conversion share: the plans, the module's
/// symbol table (new symbols are renamed on a clash), the shared input
/// buffers by (value, slice size) and the running array count that places
/// arrays on tiles in creation order.
struct LoweringState {
  LoweringState(ModuleOp module, const model::HardwareDesc &hw)
      : module(module), hw(hw), symbols(module) {}

  ModuleOp module;
  const model::HardwareDesc &hw;
  SymbolTable symbols;
  llvm::DenseMap<Operation *, LayerPlan> plans;
  llvm::DenseMap<std::pair<Value, int64_t>, Value> sharedBuffers;
};

} // namespace

//===----------------------------------------------------------------------===//
// Planning
//===----------------------------------------------------------------------===//

/// Scale that maps the largest weight magnitude onto the largest signed
/// fixed-point value (zero weights, or weights so small that the quotient
/// underflows, keep scale 1: their codes are 0).
static float weightScale(ArrayRef<float> weights, int64_t weightBits) {
  float maxAbs = 0.0f;
  for (float w : weights)
    maxAbs = std::max(maxAbs, std::fabs(w));
  float levels = (float)((int64_t(1) << (weightBits - 1)) - 1);
  return maxAbs / levels > 0.0f ? maxAbs / levels : 1.0f;
}

/// One scale per block-row: its weights (all k outputs of a circulant
/// block-row share the defining vectors) are contiguous, logicalRows() each.
static SmallVector<float> channelScales(ArrayRef<float> weights,
                                        const program::CrossbarLayer &layout,
                                        int64_t weightBits) {
  const size_t perRow = layout.logicalRows();
  SmallVector<float> scales;
  for (size_t begin = 0; begin < weights.size(); begin += perRow)
    scales.push_back(
        weightScale(weights.slice(begin, perRow), weightBits));
  return scales;
}

/// The bits below which a block-row's weights are remarked on: such a row is
/// coarser than 8-bit weights with a scale per output channel, which keep a
/// wide range of CNNs within 2 % of their float accuracy (Krishnamoorthi,
/// "Quantizing deep convolutional networks for efficient inference: A
/// whitepaper", arXiv:1806.08342, 2018, abstract; docs/Accuracy.md,
/// section 1).
constexpr int kNarrowRowBits = 8;

/// With one weight scale per layer a block-row whose largest weight is 2^b
/// times below the layer's largest keeps b fewer of the weight bits: sets
/// `plan`'s count of the rows with a nonzero weight that keep fewer than
/// kNarrowRowBits, and of all its rows.
static void countNarrowRows(ArrayRef<float> weights, int64_t weightBits,
                            LayerPlan &plan) {
  if (weightBits <= kNarrowRowBits)
    return;
  const size_t perRow = plan.layout.logicalRows();
  SmallVector<float> rowMax;
  for (size_t begin = 0; begin < weights.size(); begin += perRow) {
    float maxAbs = 0.0f;
    for (float w : weights.slice(begin, std::min(perRow, weights.size() - begin)))
      maxAbs = std::max(maxAbs, std::fabs(w));
    rowMax.push_back(maxAbs);
  }
  float layerMax = rowMax.empty() ? 0.0f : *llvm::max_element(rowMax);
  const double limit = std::ldexp(1.0, (int)(kNarrowRowBits - weightBits));
  plan.blockRows = rowMax.size();
  plan.narrowRows = llvm::count_if(rowMax, [&](float m) {
    return m > 0.0f && (double)m < limit * layerMax;
  });
}

/// The integer weights of a QDQ or QOperator layer must still be integers
/// of at most `bits` signed bits (a block-circulant projection would have
/// averaged them), and `bits` at most the chip's weight_bits.
static LogicalResult checkIntegerWeights(MappedLayerOpInterface layer,
                                         ArrayRef<float> weights, int64_t bits,
                                         const model::HardwareDesc &hw) {
  if (bits > hw.weightBits)
    return layer->emitError("layer '")
           << layer.getName() << "': its integer weights need " << bits
           << " bits, more than the chip's weight_bits = " << hw.weightBits;
  float limit = (float)((int64_t(1) << (bits - 1)) - 1);
  for (float w : weights)
    if (w != std::nearbyint(w) || std::fabs(w) > limit)
      return layer->emitError("layer '")
             << layer.getName() << "': its weights are no longer the model's "
             << bits << "-bit integers (a block-circulant projection changes "
             << "them)";
  return success();
}

/// Plans `layer`'s arrays and weight scale; emits an error on the layer and
/// fails when it has no mapping, unreadable weights or does not fit `hw`.
static FailureOr<LayerPlan> planLayer(MappedLayerOpInterface layer,
                                      const model::HardwareDesc &hw) {
  std::optional<circulant::Mapping> mapping = layer.getMapping();
  if (!mapping)
    return layer->emitError("layer '")
           << layer.getName() << "' has no mapping; run a mapping pass first";
  // Read in place when the weights are a blob: a copy of VGG-16's first
  // classifier layer is 392 MiB.
  std::optional<ArrayRef<float>> weights =
      getFloatResourceView(layer.getWeight());
  std::optional<std::vector<float>> copy;
  if (!weights && (copy = getFloatValues(layer.getWeight())))
    weights = ArrayRef<float>(*copy);
  if (!weights)
    return layer->emitError("layer '")
           << layer.getName() << "': unreadable weights";
  LayerPlan plan;
  plan.layout = layer.toProgramLayer(*mapping, layer.getDuplication());
  std::string problem = program::planArrays(plan.layout, hw);
  if (!problem.empty())
    return layer->emitError("layer '") << layer.getName() << "': " << problem;
  if (plan.layout.inputBits > hw.inputBits)
    return layer->emitError("layer '")
           << layer.getName() << "': its integer input needs "
           << plan.layout.inputBits << " bits, more than the chip's input_bits = "
           << hw.inputBits;
  if (plan.layout.weightBits > 0) {
    // The model's integer weights, programmed as they are.
    if (failed(checkIntegerWeights(layer, *weights, plan.layout.weightBits,
                                   hw)))
      return failure();
    return plan;
  }
  plan.weightScale = weightScale(*weights, hw.weightBits);
  if (model::channelWeightScales(hw))
    plan.channelScales = channelScales(*weights, plan.layout, hw.weightBits);
  else
    countNarrowRows(*weights, hw.weightBits, plan);
  return plan;
}

/// One remark for the module when layers have narrow block-rows
/// (LayerPlan::narrowRows), on the layer with the largest share of them
/// (the first in program order on a tie): how many layers, and the setting
/// that gives each block-row its own scale.
static void remarkNarrowRows(ModuleOp module, const LoweringState &state,
                             int64_t weightBits) {
  int64_t layers = 0;
  MappedLayerOpInterface worst;
  double worstShare = 0.0;
  module.walk([&](MappedLayerOpInterface layer) {
    auto it = state.plans.find(layer);
    if (it == state.plans.end() || it->second.narrowRows == 0)
      return;
    ++layers;
    double share =
        (double)it->second.narrowRows / (double)it->second.blockRows;
    if (share > worstShare)
      worstShare = share, worst = layer;
  });
  if (layers == 0)
    return;
  const LayerPlan &plan = state.plans.find(worst)->second;
  worst->emitRemark()
      << layers << " layer(s) have block-rows whose largest weight is below "
      << "2^-" << (weightBits - kNarrowRowBits) << " of their layer's, so "
      << "with one weight scale per layer they keep fewer than "
      << kNarrowRowBits << " of the " << weightBits << " weight bits (most: '"
      << worst.getName() << "', " << plan.narrowRows << " of "
      << plan.blockRows << " rows); --hw-set "
      << "weight_scale_granularity=channel gives each block-row its own scale";
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

static crossbar::Mapping crossbarMapping(circulant::Mapping mapping) {
  switch (mapping) {
  case circulant::Mapping::A:
    return crossbar::Mapping::A;
  case circulant::Mapping::B:
    return crossbar::Mapping::B;
  case circulant::Mapping::C:
    return crossbar::Mapping::C;
  case circulant::Mapping::E:
    return crossbar::Mapping::E;
  }
  llvm_unreachable("unknown mapping");
}

/// A convolution's crossbar.layer keeps its window; a fully connected layer
/// has none.
static void setWindow(crossbar::LayerOp, circulant::FullyConnectedOp) {}
static void setWindow(crossbar::LayerOp layer, circulant::ConvOp conv) {
  layer.setGroups(conv.getGroups());
  layer.setKernel(ArrayRef<int64_t>{conv.getKernelH(), conv.getKernelW()});
  layer.setStrides(conv.getStrides());
  layer.setPads(conv.getPads());
  layer.setDilations(conv.getDilations());
}

/// The crossbar.layer of `op`, before the module's functions (in the order
/// created) and renamed on a symbol clash.
template <typename OpTy>
static crossbar::LayerOp createLayer(OpTy op, const LayerPlan &plan,
                                     LoweringState &state,
                                     ConversionPatternRewriter &rewriter) {
  OpBuilder::InsertionGuard guard(rewriter);
  auto funcs = state.module.getOps<func::FuncOp>();
  if (funcs.empty())
    rewriter.setInsertionPointToEnd(state.module.getBody());
  else
    rewriter.setInsertionPoint(*funcs.begin());
  auto layer = cast<MappedLayerOpInterface>(op.getOperation());
  // Integer weights (layout.weightBits > 0) have the layer's own width.
  const model::HardwareDesc hw = program::layerHardware(plan.layout, state.hw);
  auto created = crossbar::LayerOp::create(
      rewriter, op.getLoc(), rewriter.getStringAttr(layer.getName()),
      rewriter.getI64IntegerAttr(layer.getOutFeatures()),
      rewriter.getI64IntegerAttr(layer.getInFeatures()),
      rewriter.getI64IntegerAttr(layer.getBlockSize()),
      crossbar::MappingAttr::get(rewriter.getContext(),
                                 crossbarMapping(*layer.getMapping())),
      rewriter.getI64IntegerAttr(layer.getDuplication()),
      rewriter.getI64IntegerAttr(hw.weightBits),
      rewriter.getI64IntegerAttr(hw.cellBits),
      rewriter.getI64IntegerAttr(hw.cellsPerWeight()),
      rewriter.getF32FloatAttr(plan.weightScale), layer.getWeight(),
      op.getBias(), IntegerAttr(), DenseI64ArrayAttr(), DenseI64ArrayAttr(),
      DenseI64ArrayAttr(), DenseI64ArrayAttr(),
      plan.layout.weightBits > 0 ? rewriter.getUnitAttr() : UnitAttr(),
      plan.channelScales.empty()
          ? DenseF32ArrayAttr()
          : rewriter.getDenseF32ArrayAttr(plan.channelScales),
      plan.layout.inputBits > 0
          ? rewriter.getI64IntegerAttr(plan.layout.inputBits)
          : IntegerAttr());
  setWindow(created, op);
  state.symbols.insert(created);
  return created;
}

/// The crossbar.arrays of `layer`'s layout, right after it, unplaced
/// (crossbar-place-arrays places every array of the module). Returns their
/// references by row tile.
static SmallVector<SmallVector<Attribute>>
createArrays(crossbar::LayerOp layer, const program::CrossbarLayer &plan,
             LoweringState &state, ConversionPatternRewriter &rewriter) {
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointAfter(layer);
  const model::HardwareDesc &hw = state.hw;
  SmallVector<SmallVector<Attribute>> byRowTile(plan.rowTiles);
  for (const program::Array &array : plan.arrays) {
    std::string suffix = array.group ? "_g" + std::to_string(array.group) : "";
    std::string name = (Twine(layer.getSymName()) + suffix + "_r" +
                        Twine(array.rowTile) + "_c" + Twine(array.colTile))
                           .str();
    IntegerAttr group =
        array.group ? rewriter.getI64IntegerAttr(array.group) : IntegerAttr();
    auto op = crossbar::ArrayOp::create(
        rewriter, layer.getLoc(), name, layer.getSymName(), group,
        array.rowTile, array.colTile, hw.xbarRows, hw.xbarCols, array.rowBegin,
        array.rowCount, array.weightColBegin, array.weightColCount,
        crossbar::PlaceAttr());
    state.symbols.insert(op);
    byRowTile[array.rowTile].push_back(FlatSymbolRefAttr::get(op));
  }
  return byRowTile;
}

/// The input buffer a layer with block size `k` reads `input` from, right
/// after `input` is defined. A shared buffer is created once per (input, k).
static Value inputBuffer(Location loc, Value input, int64_t k, bool shared,
                         LoweringState &state,
                         ConversionPatternRewriter &rewriter) {
  if (shared) {
    auto it = state.sharedBuffers.find({input, k});
    if (it != state.sharedBuffers.end())
      return it->second;
  }
  OpBuilder::InsertionGuard guard(rewriter);
  if (Operation *def = input.getDefiningOp())
    rewriter.setInsertionPointAfter(def);
  else
    rewriter.setInsertionPointToStart(cast<BlockArgument>(input).getOwner());
  auto buffer = crossbar::InputBufferOp::create(
      rewriter, loc, input.getType(), input, k, shared, crossbar::TileAttr(),
      IntegerAttr());
  if (shared)
    state.sharedBuffers[{input, k}] = buffer;
  return buffer;
}

namespace {

/// circulant.fc / circulant.conv -> crossbar.layer + crossbar.arrays, and
/// input_buffer -> mvm per row tile -> reduce -> bias_add in its place.
template <typename OpTy>
struct LayerLowering : OpConversionPattern<OpTy> {
  LayerLowering(MLIRContext *context, LoweringState &state)
      : OpConversionPattern<OpTy>(context), state(state) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto it = state.plans.find(op);
    if (it == state.plans.end())
      return rewriter.notifyMatchFailure(op, "layer was not planned");
    const program::CrossbarLayer &plan = it->second.layout;
    crossbar::LayerOp layer = createLayer(op, it->second, state, rewriter);
    SmallVector<SmallVector<Attribute>> arrays =
        createArrays(layer, plan, state, rewriter);
    Value buffer = inputBuffer(op.getLoc(), adaptor.getInput(), plan.k,
                               op.getSharedInput(), state, rewriter);

    Type type = op.getType();
    SmallVector<Value> partials;
    for (auto [rowTile, tileArrays] : llvm::enumerate(arrays))
      partials.push_back(crossbar::MvmOp::create(
          rewriter, op.getLoc(), type, buffer, layer.getSymName(), rowTile,
          rewriter.getArrayAttr(tileArrays), plan.k / plan.dup, plan.dup));
    Value sum = crossbar::ReduceOp::create(rewriter, op.getLoc(), type,
                                           partials);
    rewriter.replaceOpWithNewOp<crossbar::BiasAddOp>(op, sum,
                                                     layer.getSymName());
    return success();
  }

  LoweringState &state;
};

/// A digital circulant op -> crossbar.digital `fn`, carrying its attributes
/// (window sizes, clip bounds, permutation, ...) along.
template <typename OpTy>
struct DigitalLowering : OpConversionPattern<OpTy> {
  DigitalLowering(MLIRContext *context, StringRef fn)
      : OpConversionPattern<OpTy>(context), fn(fn) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto digital = crossbar::DigitalOp::create(
        rewriter, op.getLoc(), op->getResult(0).getType(), fn,
        adaptor.getOperands(), op->template getAttrOfType<IntegerAttr>("axis"));
    for (NamedAttribute attr : op->getAttrs())
      if (attr.getName() != "axis")
        digital->setAttr(attr.getName(), attr.getValue());
    rewriter.replaceOp(op, digital);
    return success();
  }

  StringRef fn;
};

/// circulant.matmul -> crossbar.digital "matmul", marked `reprogram` when
/// its right operand is to be written into crossbar cells per inference.
struct MatMulLowering : OpConversionPattern<circulant::MatMulOp> {
  MatMulLowering(MLIRContext *context, bool reprogram)
      : OpConversionPattern(context), reprogram(reprogram) {}

  LogicalResult
  matchAndRewrite(circulant::MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto digital = crossbar::DigitalOp::create(
        rewriter, op.getLoc(), op.getType(), "matmul", adaptor.getOperands(),
        IntegerAttr());
    if (reprogram)
      digital->setAttr("reprogram", rewriter.getUnitAttr());
    rewriter.replaceOp(op, digital);
    return success();
  }

  bool reprogram;
};

/// circulant.if -> crossbar.if, its regions moved over as they are (their
/// ops are converted like any other), with the error of a branch that
/// cannot run.
struct IfLowering : OpConversionPattern<circulant::IfOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(circulant::IfOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto lowered = crossbar::IfOp::create(rewriter, op.getLoc(),
                                          op.getResultTypes(),
                                          adaptor.getCondition(),
                                          op.getThenErrorAttr(),
                                          op.getElseErrorAttr());
    rewriter.inlineRegionBefore(op.getThenRegion(), lowered.getThenRegion(),
                                lowered.getThenRegion().end());
    rewriter.inlineRegionBefore(op.getElseRegion(), lowered.getElseRegion(),
                                lowered.getElseRegion().end());
    rewriter.replaceOp(op, lowered);
    return success();
  }
};

struct YieldLowering : OpConversionPattern<circulant::YieldOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(circulant::YieldOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<crossbar::YieldOp>(op, adaptor.getOperands());
    return success();
  }
};

struct ConstantLowering : OpConversionPattern<circulant::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(circulant::ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<crossbar::ConstantOp>(op, op.getType(),
                                                      op.getValue());
    return success();
  }
};

} // namespace

static void populateCirculantToCrossbarPatterns(RewritePatternSet &patterns,
                                                LoweringState &state,
                                                bool reprogramAttention) {
  using namespace circulant;
  MLIRContext *context = patterns.getContext();
  patterns.add<LayerLowering<FullyConnectedOp>, LayerLowering<ConvOp>>(context,
                                                                      state);
  patterns.add<ConstantLowering>(context);
  patterns.add<DigitalLowering<ReluOp>>(context, "relu");
  patterns.add<DigitalLowering<SigmoidOp>>(context, "sigmoid");
  patterns.add<DigitalLowering<SoftmaxOp>>(context, "softmax");
  patterns.add<DigitalLowering<AddOp>>(context, "add");
  patterns.add<DigitalLowering<MulOp>>(context, "mul");
  patterns.add<DigitalLowering<ReshapeOp>>(context, "reshape");
  patterns.add<DigitalLowering<FlattenOp>>(context, "flatten");
  patterns.add<DigitalLowering<MaxPoolOp>>(context, "max_pool");
  patterns.add<DigitalLowering<AvgPoolOp>>(context, "avg_pool");
  patterns.add<DigitalLowering<GlobalAvgPoolOp>>(context, "global_avg_pool");
  patterns.add<DigitalLowering<ClipOp>>(context, "clip");
  patterns.add<DigitalLowering<LeakyReluOp>>(context, "leaky_relu");
  patterns.add<DigitalLowering<HardSigmoidOp>>(context, "hard_sigmoid");
  patterns.add<DigitalLowering<HardSwishOp>>(context, "hard_swish");
  patterns.add<DigitalLowering<PReluOp>>(context, "prelu");
  patterns.add<DigitalLowering<ConcatOp>>(context, "concat");
  patterns.add<DigitalLowering<PadOp>>(context, "pad");
  patterns.add<DigitalLowering<TransposeOp>>(context, "transpose");
  patterns.add<DigitalLowering<ResizeOp>>(context, "resize");
  patterns.add<DigitalLowering<LstmOp>>(context, "lstm");
  patterns.add<DigitalLowering<GruOp>>(context, "gru");
  patterns.add<DigitalLowering<RnnOp>>(context, "rnn");
  patterns.add<DigitalLowering<SqrtOp>>(context, "sqrt");
  patterns.add<DigitalLowering<ErfOp>>(context, "erf");
  patterns.add<DigitalLowering<ExpOp>>(context, "exp");
  patterns.add<DigitalLowering<LogOp>>(context, "log");
  patterns.add<DigitalLowering<NegOp>>(context, "neg");
  patterns.add<DigitalLowering<AbsOp>>(context, "abs");
  patterns.add<DigitalLowering<TanhOp>>(context, "tanh");
  patterns.add<DigitalLowering<RoundOp>>(context, "round");
  patterns.add<DigitalLowering<CastOp>>(context, "cast");
  patterns.add<DigitalLowering<GeluOp>>(context, "gelu");
  patterns.add<DigitalLowering<GeluTanhOp>>(context, "gelu_tanh");
  patterns.add<DigitalLowering<NotOp>>(context, "not");
  patterns.add<DigitalLowering<PowOp>>(context, "pow");
  patterns.add<DigitalLowering<DivOp>>(context, "div");
  patterns.add<DigitalLowering<MinOp>>(context, "min");
  patterns.add<DigitalLowering<MaxOp>>(context, "max");
  patterns.add<DigitalLowering<EqualOp>>(context, "equal");
  patterns.add<DigitalLowering<GreaterOp>>(context, "greater");
  patterns.add<DigitalLowering<GreaterOrEqualOp>>(context, "greater_or_equal");
  patterns.add<DigitalLowering<AndOp>>(context, "and");
  patterns.add<DigitalLowering<OrOp>>(context, "or");
  patterns.add<DigitalLowering<XorOp>>(context, "xor");
  patterns.add<DigitalLowering<WhereOp>>(context, "where");
  patterns.add<DigitalLowering<FmaOp>>(context, "fma");
  patterns.add<DigitalLowering<UnaryFunctionOp>>(context, "unary");
  patterns.add<DigitalLowering<ReduceMaxOp>>(context, "reduce_max");
  patterns.add<DigitalLowering<ReduceMinOp>>(context, "reduce_min");
  patterns.add<DigitalLowering<ReduceSumOp>>(context, "reduce_sum");
  patterns.add<DigitalLowering<LogSoftmaxOp>>(context, "log_softmax");
  patterns.add<DigitalLowering<NormalizeOp>>(context, "normalize");
  patterns.add<DigitalLowering<SliceOp>>(context, "slice");
  patterns.add<DigitalLowering<GatherOp>>(context, "gather");
  patterns.add<MatMulLowering>(context, reprogramAttention);
  patterns.add<IfLowering, YieldLowering>(context);
}

namespace {
struct ConvertCirculantToCrossbarPass
    : rebocc::impl::ConvertCirculantToCrossbarBase<
          ConvertCirculantToCrossbarPass> {
  using ConvertCirculantToCrossbarBase::ConvertCirculantToCrossbarBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (attention != "digital" && attention != "reprogram") {
      module.emitError("attention must be \"digital\" or \"reprogram\", not \"")
          << attention << "\"";
      return signalPassFailure();
    }
    FailureOr<model::HardwareDesc> hw = getHardware(module);
    if (failed(hw))
      return signalPassFailure();
    LoweringState state(module, *hw);
    WalkResult planned = module.walk([&](MappedLayerOpInterface layer) {
      FailureOr<LayerPlan> plan = planLayer(layer, *hw);
      if (failed(plan))
        return WalkResult::interrupt();
      state.plans[layer] = std::move(*plan);
      return WalkResult::advance();
    });
    if (planned.wasInterrupted())
      return signalPassFailure();
    remarkNarrowRows(module, state, hw->weightBits);

    ConversionTarget target(getContext());
    target.addIllegalDialect<circulant::CirculantDialect>();
    target.addLegalDialect<crossbar::CrossbarDialect, func::FuncDialect>();
    RewritePatternSet patterns(&getContext());
    populateCirculantToCrossbarPatterns(patterns, state,
                                        attention == "reprogram");
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
