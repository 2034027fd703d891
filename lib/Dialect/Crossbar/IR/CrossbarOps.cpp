//===- CrossbarOps.cpp - crossbar dialect ops -----------------------------===//

#include "rebocc/Dialect/Crossbar/CrossbarOps.h"
#include "rebocc/Dialect/IfRegions.h"
#include "rebocc/Support/CastTypes.h"
#include "rebocc/Support/Shapes.h"
#include "rebocc/Support/UnaryFunction.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/StringSwitch.h"

#include <array>
#include <optional>

using namespace mlir;
using namespace rebocc;
using namespace rebocc::crossbar;

#define GET_OP_CLASSES
#include "rebocc/Dialect/Crossbar/CrossbarOps.cpp.inc"

using rebocc::support::ceilDiv;

//===----------------------------------------------------------------------===//
// LayerOp
//===----------------------------------------------------------------------===//

/// Logical rows of one group's matrix (before C(d) copies) and weight
/// columns, as program::planArrays lays them out.
static int64_t logicalRows(LayerOp layer) {
  int64_t k = layer.getBlockSize();
  return layer.getKernelPositions() * ceilDiv(layer.getN(), k) * k;
}

static int64_t copies(LayerOp layer) {
  return layer.getMapping() == Mapping::C ? (int64_t)layer.getDuplication()
                                          : 1;
}

static LogicalResult verifyConvAttrs(LayerOp layer) {
  bool any = layer.getGroups() || layer.getKernel() || layer.getStrides() ||
             layer.getPads() || layer.getDilations();
  if (!any)
    return success();
  if (!layer.getGroups() || !layer.getKernel() || !layer.getStrides() ||
      !layer.getPads() || !layer.getDilations())
    return layer.emitOpError("a convolution needs groups, kernel, strides, "
                             "pads and dilations");
  auto positive = [](ArrayRef<int64_t> values) {
    return llvm::all_of(values, [](int64_t v) { return v > 0; });
  };
  if (layer.getKernel()->size() != 2 || layer.getStrides()->size() != 2 ||
      layer.getDilations()->size() != 2 || layer.getPads()->size() != 4 ||
      !positive(*layer.getKernel()) || !positive(*layer.getStrides()) ||
      !positive(*layer.getDilations()) || (int64_t)*layer.getGroups() < 1 ||
      llvm::any_of(*layer.getPads(), [](int64_t v) { return v < 0; }))
    return layer.emitOpError("invalid convolution geometry");
  return success();
}

LogicalResult LayerOp::verify() {
  int64_t k = getBlockSize(), d = getDuplication();
  Mapping mapping = getMapping();
  if (k % d != 0 || (mapping == Mapping::A && d != 1) ||
      (mapping == Mapping::E && d != k))
    return emitOpError("duplication ")
           << d << " is not valid for mapping " << stringifyMapping(mapping)
           << " with k = " << k;
  if ((int64_t)getCellsPerWeight() !=
      ceilDiv(getWeightBits(), getCellBits()))
    return emitOpError("cells_per_weight must be ceil(weight_bits / cell_bits)");
  if (!(getWeightScale().convertToFloat() > 0.0f))
    return emitOpError("weight_scale must be positive");
  if (getIntegerWeights() && getWeightScale().convertToFloat() != 1.0f)
    return emitOpError("integer_weights has weight_scale 1");
  if (failed(verifyConvAttrs(*this)))
    return failure();
  int64_t m = getM(), n = getN(), groups = getGroupCount();
  SmallVector<int64_t> expected =
      isConv() ? SmallVector<int64_t>{groups, ceilDiv(m, k), (*getKernel())[0],
                                      (*getKernel())[1], ceilDiv(n, k), k}
               : SmallVector<int64_t>{ceilDiv(m, k), ceilDiv(n, k), k};
  auto weightType = cast<ShapedType>(getWeight().getType());
  if (weightType.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError(isConv() ? "weight must have shape groups x p x kh x kw x q x k"
                                : "weight must have shape p x q x k");
  auto biasType = cast<ShapedType>(getBias().getType());
  if (biasType.getShape() != ArrayRef<int64_t>{groups * m})
    return emitOpError("bias must have groups x m elements");
  if (std::optional<ArrayRef<float>> scales = getChannelScales()) {
    if ((int64_t)scales->size() != groups * ceilDiv(m, k))
      return emitOpError("channel_scales must have groups x p elements");
    if (llvm::any_of(*scales, [](float s) { return !(s > 0.0f) || std::isinf(s); }))
      return emitOpError("channel_scales must be positive");
  }
  return success();
}

static rebocc::program::Mapping programMapping(Mapping mapping) {
  switch (mapping) {
  case Mapping::A:
    return rebocc::program::Mapping::A;
  case Mapping::B:
    return rebocc::program::Mapping::B;
  case Mapping::C:
    return rebocc::program::Mapping::C;
  case Mapping::E:
    return rebocc::program::Mapping::E;
  }
  llvm_unreachable("unknown mapping");
}

program::CrossbarLayer LayerOp::toProgramLayer(bool sharedInput) {
  program::CrossbarLayer plan;
  plan.name = getSymName().str();
  plan.m = getM();
  plan.n = getN();
  plan.k = getBlockSize();
  plan.p = ceilDiv(plan.m, plan.k);
  plan.q = ceilDiv(plan.n, plan.k);
  plan.dup = getDuplication();
  plan.mapping = programMapping(getMapping());
  if (isConv()) {
    plan.kind = program::LayerKind::Convolution;
    plan.groups = getGroupCount();
    plan.kernelH = (*getKernel())[0];
    plan.kernelW = (*getKernel())[1];
    plan.strideH = (*getStrides())[0];
    plan.strideW = (*getStrides())[1];
    plan.dilationH = (*getDilations())[0];
    plan.dilationW = (*getDilations())[1];
    ArrayRef<int64_t> pads = *getPads();
    plan.padTop = pads[0];
    plan.padLeft = pads[1];
    plan.padBottom = pads[2];
    plan.padRight = pads[3];
  }
  plan.sharedInput = sharedInput;
  plan.weightScale = getWeightScale().convertToFloat();
  if (getIntegerWeights())
    plan.weightBits = getWeightBits();
  if (std::optional<uint64_t> bits = getInputBits())
    plan.inputBits = *bits;
  if (std::optional<ArrayRef<float>> scales = getChannelScales())
    plan.channelScales.assign(scales->begin(), scales->end());
  return plan;
}

//===----------------------------------------------------------------------===//
// ArrayOp
//===----------------------------------------------------------------------===//

/// Name of the module's hardware description attribute (kHardwareAttrName
/// in Circulant/Utils.h, which this dialect does not depend on).
static constexpr llvm::StringLiteral kHardwareAttr = "rebocc.hw";

/// Tiles per chip, IMAs per tile and crossbars per IMA of the enclosing
/// module's `rebocc.hw` (keys it leaves out keep the ISAAC-CE defaults, as
/// getHardware reads it); nullopt when the module has none.
static std::optional<std::array<int64_t, 3>> chipCounts(Operation *op) {
  auto module = op->getParentOfType<ModuleOp>();
  auto hw = module ? module->getAttrOfType<DictionaryAttr>(kHardwareAttr)
                   : DictionaryAttr();
  if (!hw)
    return std::nullopt;
  model::HardwareDesc defaults;
  auto count = [&](StringRef key, int64_t fallback) {
    auto value = hw.getAs<IntegerAttr>(key);
    return value ? value.getInt() : fallback;
  };
  return std::array<int64_t, 3>{count("tiles_per_chip", defaults.tilesPerChip),
                                count("imas_per_tile", defaults.imasPerTile),
                                count("xbars_per_ima", defaults.xbarsPerIma)};
}

LogicalResult ArrayOp::verify() {
  PlaceAttr place = getPlaceAttr();
  if (!place)
    return success();
  std::optional<std::array<int64_t, 3>> chip = chipCounts(*this);
  if (chip && (place.getTile() >= (*chip)[0] || place.getIma() >= (*chip)[1] ||
               place.getXbar() >= (*chip)[2]))
    return emitOpError("place ")
           << place << " lies outside the chip of rebocc.hw (" << (*chip)[0]
           << " tiles, " << (*chip)[1] << " IMAs per tile, " << (*chip)[2]
           << " crossbars per IMA)";
  return success();
}

// Symbol checks go through the verifier's cached symbol tables: a large
// layer has tens of thousands of arrays.
LogicalResult ArrayOp::verifySymbolUses(SymbolTableCollection &symbols) {
  auto layer = symbols.lookupNearestSymbolFrom<LayerOp>(*this, getLayerAttr());
  if (!layer)
    return emitOpError("layer ") << getLayerAttr() << " is not a crossbar.layer";
  int64_t k = layer.getBlockSize();
  int64_t rows = logicalRows(layer) * copies(layer);
  int64_t weightCols = ceilDiv(layer.getM(), k) * layer.getDuplication();
  int64_t rowBegin = getRowBegin(), rowCount = getRowCount();
  int64_t colBegin = getColBegin(), colCount = getColCount();
  if (rowBegin % k != 0 || rowCount % k != 0)
    return emitOpError("rows must hold whole k-slices (k = ") << k << ")";
  if (rowCount > (int64_t)getRows() ||
      colCount * (int64_t)layer.getCellsPerWeight() > (int64_t)getCols())
    return emitOpError("holds more rows or columns than the array has");
  if (rowBegin + rowCount > rows || colBegin + colCount > weightCols)
    return emitOpError("lies outside the layer's logical matrix (")
           << rows << " rows, " << weightCols << " weight columns)";
  if ((int64_t)getGroup().value_or(0) >= layer.getGroupCount())
    return emitOpError("group ") << *getGroup() << " out of range";
  return success();
}

//===----------------------------------------------------------------------===//
// MvmOp
//===----------------------------------------------------------------------===//

/// A fully connected layer maps (batch x n) to (batch x m); a convolution
/// (N x groups*n x H x W) to (N x groups*m x H' x W').
static LogicalResult verifyLayerTypes(Operation *op, LayerOp layer, Type input,
                                      Type output) {
  auto in = cast<RankedTensorType>(input);
  auto out = cast<RankedTensorType>(output);
  int64_t groups = layer.getGroupCount();
  int64_t rank = layer.isConv() ? 4 : 2;
  if (in.getRank() != rank || out.getRank() != rank ||
      in.getDimSize(0) != out.getDimSize(0) ||
      in.getDimSize(1) != groups * (int64_t)layer.getN() ||
      out.getDimSize(1) != groups * (int64_t)layer.getM())
    return op->emitOpError(layer.isConv()
                               ? "types must be (N x groups*n x H x W) -> "
                                 "(N x groups*m x H' x W') of the layer"
                               : "types must be (batch x n) -> (batch x m) of "
                                 "the layer");
  return success();
}

LogicalResult MvmOp::verifySymbolUses(SymbolTableCollection &symbols) {
  auto layer = symbols.lookupNearestSymbolFrom<LayerOp>(*this, getLayerAttr());
  if (!layer)
    return emitOpError("layer ") << getLayerAttr() << " is not a crossbar.layer";
  if ((int64_t)(getSteps() * getStride()) != (int64_t)layer.getBlockSize() ||
      getStride() != layer.getDuplication())
    return emitOpError("steps x stride must be the block size and stride the "
                       "duplication of the layer");
  for (Attribute ref : getArrays()) {
    auto array = symbols.lookupNearestSymbolFrom<ArrayOp>(
        *this, cast<SymbolRefAttr>(ref));
    if (!array || array.getLayer() != layer.getSymName() ||
        array.getRowTile() != getRowTile())
      return emitOpError("array ")
             << ref << " is not an array of this layer's row tile";
  }
  if (failed(verifyLayerTypes(*this, layer, getInput().getType(),
                              getOutput().getType())))
    return failure();
  if (auto buffer = getInput().getDefiningOp<InputBufferOp>())
    if ((int64_t)buffer.getSliceSize() != (int64_t)layer.getBlockSize())
      return emitOpError("reads a buffer of ")
             << buffer.getSliceSize() << "-word slices, the layer needs "
             << layer.getBlockSize();
  return success();
}

//===----------------------------------------------------------------------===//
// BiasAddOp
//===----------------------------------------------------------------------===//

LogicalResult BiasAddOp::verifySymbolUses(SymbolTableCollection &symbols) {
  auto layer = symbols.lookupNearestSymbolFrom<LayerOp>(*this, getLayerAttr());
  if (!layer)
    return emitOpError("layer ") << getLayerAttr() << " is not a crossbar.layer";
  auto type = cast<RankedTensorType>(getInput().getType());
  int64_t rank = layer.isConv() ? 4 : 2;
  if (type.getRank() != rank ||
      type.getDimSize(1) != layer.getGroupCount() * (int64_t)layer.getM())
    return emitOpError("type must have the layer's output features in "
                       "dimension 1");
  return success();
}

//===----------------------------------------------------------------------===//
// ReduceOp, DigitalOp, ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ReduceOp::verify() {
  // SameOperandsAndResultType already rejects an empty operand list; a single
  // partial sum (one row tile) is valid.
  return success();
}

LogicalResult DigitalOp::verify() {
  // Concat takes any positive number of operands (arity 0 below).
  int arity = llvm::StringSwitch<int>(getFn())
                  .Cases({"relu", "sigmoid", "softmax", "reshape", "flatten",
                          "identity", "max_pool", "avg_pool",
                          "global_avg_pool", "clip", "leaky_relu",
                          "hard_sigmoid", "hard_swish", "pad", "transpose"},
                         1)
                  .Cases({"sqrt", "erf", "exp", "log", "neg", "abs", "tanh",
                          "gelu", "gelu_tanh", "not", "round", "cast"},
                         1)
                  .Cases({"reduce_max", "reduce_min", "reduce_sum",
                          "log_softmax", "normalize", "slice", "resize"},
                         1)
                  .Cases({"add", "mul", "prelu"}, 2)
                  .Cases({"pow", "div", "min", "max", "equal", "greater",
                          "greater_or_equal", "and", "or", "xor", "matmul",
                          "gather"},
                         2)
                  .Cases({"where", "fma"}, 3)
                  .Case("concat", 0)
                  .Cases({"lstm", "gru", "rnn"}, -2)
                  .Case("unary", 1)
                  .Default(-1);
  // x, h0, c0, R and optional peepholes; x, h0 and one or two R layers
  // (gru) or one (rnn).
  if (arity == -2) {
    size_t count = getOperands().size(), least = getFn() == "lstm" ? 4 : 3;
    if (getFn() == "rnn" && count != least)
      return emitOpError("\"rnn\" takes 3 operands");
    if (count != least && count != least + 1)
      return emitOpError("\"") << getFn() << "\" takes " << least << " or "
                                << least + 1 << " operands";
    return success();
  }
  if (arity < 0)
    return emitOpError("unknown digital function \"") << getFn() << "\"";
  if (arity ? (int)getOperands().size() != arity : getOperands().empty())
    return emitOpError("\"") << getFn() << "\" takes "
                             << (arity ? std::to_string(arity) : "one or more")
                             << " operand(s)";
  if (getFn() == "cast") {
    auto to = (*this)->getAttrOfType<StringAttr>("to");
    if (!to || !support::castTypeNamed(to.str()))
      return emitOpError("\"cast\" takes a `to` attribute naming an integer "
                         "or half type (int8 ... uint64, float16, bfloat16)");
  }
  if (getFn() == "unary") {
    auto function = (*this)->getAttrOfType<StringAttr>("function");
    if (!function || !support::findUnaryFunction(function.str()) ||
        !(*this)->getAttrOfType<FloatAttr>("alpha") ||
        !(*this)->getAttrOfType<FloatAttr>("beta"))
      return emitOpError("\"unary\" takes a `function` attribute naming a "
                         "support::UnaryFunction and float `alpha`, `beta`");
  }
  if (getFn() == "gather") {
    auto mode = (*this)->getAttrOfType<StringAttr>("mode");
    if (!mode || !support::gatherKindNamed(mode.str()))
      return emitOpError("\"gather\" takes a `mode` attribute: axis, "
                         "elements or nd");
  }
  bool needsAxis =
      llvm::is_contained({"softmax", "log_softmax", "normalize", "flatten",
                          "concat", "gather"},
                         getFn());
  if (needsAxis != getAxis().has_value())
    return emitOpError("axis is required by softmax, log_softmax, normalize, "
                       "flatten, concat and gather only");
  if (needsAxis && getFn() != "gather") {
    int64_t rank = cast<RankedTensorType>(getOperands()[0].getType()).getRank();
    int64_t axis = (int64_t)*getAxis();
    int64_t limit = getFn() == "flatten" ? rank : rank - 1;
    if (axis < 0 || axis > limit)
      return emitOpError("axis ") << axis << " out of range for rank " << rank;
  }
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// IfOp
//===----------------------------------------------------------------------===//

LogicalResult IfOp::verify() { return verifyIfRegions<YieldOp>(*this); }
