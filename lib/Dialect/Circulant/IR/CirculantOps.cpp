//===- CirculantOps.cpp - circulant dialect ops ---------------------------===//

#include "rebocc/Dialect/Circulant/CirculantOps.h"
#include "rebocc/Dialect/IfRegions.h"
#include "rebocc/Support/CastTypes.h"
#include "rebocc/Support/Shapes.h"
#include "rebocc/Support/RnnActivation.h"
#include "rebocc/Support/UnaryFunction.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace rebocc::circulant;

#define GET_OP_CLASSES
#include "rebocc/Dialect/Circulant/CirculantOps.cpp.inc"

using rebocc::support::broadcastShapes;
using rebocc::support::ceilDiv;
using rebocc::support::checkedElementCount;
using rebocc::support::matmulShape;
using rebocc::support::windowOutput;

/// Checks that `attr` is a float32 tensor of exactly `shape`.
static LogicalResult verifyWeightShape(Operation *op, StringRef what,
                                       ElementsAttr attr,
                                       ArrayRef<int64_t> shape) {
  auto type = dyn_cast<ShapedType>(attr.getType());
  if (!type || !type.getElementType().isF32())
    return op->emitOpError() << what << " must be a float32 tensor";
  if (type.getShape() != shape) {
    InFlightDiagnostic diag = op->emitOpError() << what << " has shape [";
    llvm::interleaveComma(type.getShape(), diag);
    diag << "], expected [";
    llvm::interleaveComma(shape, diag);
    return diag << "]";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// FullyConnectedOp
//===----------------------------------------------------------------------===//

int64_t FullyConnectedOp::getInFeatures() {
  return cast<RankedTensorType>(getInput().getType()).getDimSize(1);
}

int64_t FullyConnectedOp::getOutFeatures() {
  return cast<RankedTensorType>(getOutput().getType()).getDimSize(1);
}

SmallVector<int64_t> FullyConnectedOp::getWeightShape(int64_t k) {
  return {ceilDiv(getOutFeatures(), k), ceilDiv(getInFeatures(), k), k};
}

rebocc::program::CrossbarLayer
FullyConnectedOp::toProgramLayer(Mapping mapping, int64_t duplication) {
  return programLayerOf(*this, mapping, duplication);
}

/// The mapping attributes must describe one of A (d = 1), B (d | k), C (d | k)
/// or E (d = k).
template <typename LayerOp>
static LogicalResult verifyMapping(LayerOp op) {
  int64_t k = op.getBlockSize();
  std::optional<Mapping> mapping = op.getMapping();
  std::optional<int64_t> dup = op.getDuplication();
  if (!mapping) {
    if (dup || op.getSharedInput())
      return op.emitOpError("duplication and shared_input need a mapping");
    return success();
  }
  int64_t d = dup.value_or(1);
  if (d < 1 || k % d != 0)
    return op.emitOpError("duplication ") << d << " must divide block_size "
                                          << k;
  if (*mapping == Mapping::A && d != 1)
    return op.emitOpError("mapping A has duplication 1, got ") << d;
  if (*mapping == Mapping::E && d != k)
    return op.emitOpError("mapping E has duplication equal to block_size ")
           << k << ", got " << d;
  if (op.getCrossbars() && (int64_t)*op.getCrossbars() < 1)
    return op.emitOpError("crossbars must be positive");
  return success();
}

LogicalResult FullyConnectedOp::verify() {
  auto inputType = dyn_cast<RankedTensorType>(getInput().getType());
  auto outputType = dyn_cast<RankedTensorType>(getOutput().getType());
  if (!inputType || !outputType || inputType.getRank() != 2 ||
      outputType.getRank() != 2)
    return emitOpError("input and result must be rank-2 (batch, features)");
  if (inputType.isDynamicDim(1) || outputType.isDynamicDim(1))
    return emitOpError("feature dimensions must be static");
  if (inputType.getDimSize(0) != outputType.getDimSize(0))
    return emitOpError("input and result batch sizes differ");
  int64_t k = getBlockSize();
  int64_t m = getOutFeatures(), n = getInFeatures();
  if (m < 1 || n < 1)
    return emitOpError("feature dimensions must be positive");
  if (failed(verifyWeightShape(*this, "weight", getWeight(),
                               getWeightShape(k))) ||
      failed(verifyWeightShape(*this, "bias", getBias(), {m})))
    return failure();
  return verifyMapping(*this);
}

//===----------------------------------------------------------------------===//
// SoftmaxOp, FlattenOp
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  int64_t rank = cast<RankedTensorType>(getInput().getType()).getRank();
  int64_t axis = (int64_t)getAxis();
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " out of range for rank " << rank;
  return success();
}

LogicalResult CastOp::verify() {
  if (!support::castTypeNamed(getTo().str()))
    return emitOpError("cannot cast to \"")
           << getTo()
           << "\" (int8, uint8, int16, uint16, int32, uint32, int64, uint64, "
              "float16 or bfloat16)";
  return success();
}

LogicalResult UnaryFunctionOp::verify() {
  const support::UnaryFunction *f =
      support::findUnaryFunction(getFunction().str());
  if (!f)
    return emitOpError("unknown function \"") << getFunction() << "\"";
  StringRef why = support::unaryParameterError(
      *f, getAlpha().convertToFloat(), getBeta().convertToFloat());
  if (!why.empty())
    return emitOpError("alpha and beta of \"")
           << getFunction() << "\" " << why;
  return success();
}

LogicalResult LogSoftmaxOp::verify() {
  int64_t rank = cast<RankedTensorType>(getInput().getType()).getRank();
  int64_t axis = (int64_t)getAxis();
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " out of range for rank " << rank;
  return success();
}

//===----------------------------------------------------------------------===//
// NormalizeOp, ReduceMaxOp, ReduceMinOp, ReduceSumOp
//===----------------------------------------------------------------------===//

LogicalResult NormalizeOp::verify() {
  auto type = cast<RankedTensorType>(getInput().getType());
  int64_t axis = (int64_t)getAxis();
  if (axis < 0 || axis >= type.getRank())
    return emitOpError("axis ")
           << axis << " out of range for rank " << type.getRank();
  for (int64_t d = axis; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      return emitOpError("cannot normalize over the run-time batch dimension");
  if (!std::isfinite(getEpsilon().convertToFloat()) ||
      getEpsilon().convertToFloat() < 0)
    return emitOpError("epsilon must be finite and non-negative");
  return success();
}

static LogicalResult verifyReduce(Operation *op, ArrayRef<int64_t> axes) {
  auto in = cast<RankedTensorType>(op->getOperand(0).getType());
  auto out = cast<RankedTensorType>(op->getResult(0).getType());
  if (axes.empty())
    return op->emitOpError("needs at least one axis");
  SmallVector<int64_t> expected(in.getShape());
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < 0 || axes[i] >= in.getRank() ||
        (i && axes[i] <= axes[i - 1]))
      return op->emitOpError("axes must be increasing and less than the rank");
    if (in.isDynamicDim(axes[i]))
      return op->emitOpError("cannot reduce over the run-time batch dimension");
    expected[axes[i]] = 1;
  }
  if (out.getShape() != ArrayRef<int64_t>(expected))
    return op->emitOpError("result type ")
           << out << " must keep the reduced dimensions as 1";
  return success();
}

LogicalResult ReduceMaxOp::verify() { return verifyReduce(*this, getAxes()); }
LogicalResult ReduceMinOp::verify() { return verifyReduce(*this, getAxes()); }
LogicalResult ReduceSumOp::verify() { return verifyReduce(*this, getAxes()); }

/// Product of `dims`, or kDynamic when any is dynamic.
static int64_t product(ArrayRef<int64_t> dims) {
  int64_t result = 1;
  for (int64_t dim : dims) {
    if (ShapedType::isDynamic(dim))
      return ShapedType::kDynamic;
    result *= dim;
  }
  return result;
}

LogicalResult FlattenOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto outputType = cast<RankedTensorType>(getOutput().getType());
  int64_t axis = (int64_t)getAxis();
  if (axis < 0 || axis > inputType.getRank())
    return emitOpError("axis ") << axis << " out of range for rank "
                                << inputType.getRank();
  SmallVector<int64_t> expected = {
      product(inputType.getShape().take_front(axis)),
      product(inputType.getShape().drop_front(axis))};
  if (outputType.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("result shape does not match flattening at axis ")
           << axis;
  if (ShapedType::isDynamic(expected[1]))
    return emitOpError("the batch dimension cannot be flattened into "
                       "the feature dimension");
  return success();
}

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

/// At most one dimension may be dynamic: the run-time batch (times a static
/// factor once a reshape merged it with other dims), at any position.
static int64_t dynamicDims(RankedTensorType type) {
  return llvm::count_if(type.getShape(), ShapedType::isDynamic);
}

LogicalResult ReshapeOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto outputType = cast<RankedTensorType>(getOutput().getType());
  if (dynamicDims(inputType) > 1 || dynamicDims(outputType) > 1)
    return emitOpError("only one dimension (the batch) may be dynamic");
  bool inputDynamic = dynamicDims(inputType) == 1;
  bool outputDynamic = dynamicDims(outputType) == 1;
  if (inputDynamic != outputDynamic)
    return emitOpError("the batch dimension must stay in the shape");
  auto staticDims = [](RankedTensorType type) {
    return SmallVector<int64_t>(llvm::make_filter_range(
        type.getShape(), [](int64_t dim) { return !ShapedType::isDynamic(dim); }));
  };
  // Checked: a wrapped product would let a reshape to a huge result pass.
  std::optional<int64_t> inCount = checkedElementCount(staticDims(inputType));
  std::optional<int64_t> outCount = checkedElementCount(staticDims(outputType));
  if (!inCount || !outCount)
    return emitOpError("the ") << (inCount ? "result" : "input") << " shape "
                               << (inCount ? outputType : inputType)
                               << " has more elements than a 64-bit count "
                                  "holds";
  // The dynamic dim holds the batch times a factor the types do not carry:
  // the run-time reshape infers it (program `reshape` with one -1).
  if (!inputDynamic && *inCount != *outCount)
    return emitOpError("element count changes from ")
           << *inCount << " to " << *outCount;
  return success();
}

//===----------------------------------------------------------------------===//
// AddOp, MulOp and the other broadcasting binary ops, WhereOp
//===----------------------------------------------------------------------===//

static LogicalResult verifyBroadcast(Operation *op) {
  auto lhs = cast<RankedTensorType>(op->getOperand(0).getType());
  auto rhs = cast<RankedTensorType>(op->getOperand(1).getType());
  auto out = cast<RankedTensorType>(op->getResult(0).getType());
  std::optional<std::vector<int64_t>> shape =
      broadcastShapes(lhs.getShape(), rhs.getShape());
  if (!shape)
    return op->emitOpError("operand shapes ")
           << lhs << " and " << rhs << " do not broadcast";
  if (out.getShape() != ArrayRef<int64_t>(*shape))
    return op->emitOpError("result type ")
           << out << " does not match the broadcast shape";
  return success();
}

LogicalResult AddOp::verify() { return verifyBroadcast(*this); }
LogicalResult MulOp::verify() { return verifyBroadcast(*this); }
LogicalResult PowOp::verify() { return verifyBroadcast(*this); }
LogicalResult DivOp::verify() { return verifyBroadcast(*this); }
LogicalResult MinOp::verify() { return verifyBroadcast(*this); }
LogicalResult MaxOp::verify() { return verifyBroadcast(*this); }
LogicalResult EqualOp::verify() { return verifyBroadcast(*this); }
LogicalResult GreaterOp::verify() { return verifyBroadcast(*this); }
LogicalResult GreaterOrEqualOp::verify() { return verifyBroadcast(*this); }
LogicalResult AndOp::verify() { return verifyBroadcast(*this); }
LogicalResult OrOp::verify() { return verifyBroadcast(*this); }
LogicalResult XorOp::verify() { return verifyBroadcast(*this); }

LogicalResult MatMulOp::verify() {
  auto lhs = cast<RankedTensorType>(getLhs().getType());
  auto rhs = cast<RankedTensorType>(getRhs().getType());
  std::optional<std::vector<int64_t>> shape =
      matmulShape(lhs.getShape(), rhs.getShape());
  if (!shape)
    return emitOpError("operand shapes ")
           << lhs << " and " << rhs
           << " do not multiply (rank >= 2, equal inner dims, broadcasting "
              "batch dims)";
  auto out = cast<RankedTensorType>(getOutput().getType());
  if (out.getShape() != ArrayRef<int64_t>(*shape))
    return emitOpError("result type ")
           << out << " does not match the product shape";
  return success();
}

LogicalResult GatherOp::verify() {
  std::optional<support::GatherKind> kind =
      support::gatherKindNamed(getMode());
  if (!kind)
    return emitOpError("mode \"")
           << getMode() << "\" is not axis, elements or nd";
  auto data = cast<RankedTensorType>(getData().getType());
  auto indices = cast<RankedTensorType>(getIndices().getType());
  std::optional<std::vector<int64_t>> shape = support::gatherShape(
      *kind, data.getShape(), indices.getShape(), (int64_t)getAxis());
  if (!shape)
    return emitOpError("cannot gather ")
           << data << " by " << indices << " with mode " << getMode()
           << " and axis " << getAxis();
  if (cast<RankedTensorType>(getOutput().getType()).getShape() !=
      ArrayRef<int64_t>(*shape))
    return emitOpError("result type ")
           << getOutput().getType() << " does not match the gathered shape";
  return success();
}

/// Three operands broadcast together to `op`'s result (where, fma).
static LogicalResult verifyBroadcast3(Operation *op) {
  auto shapeOf = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getShape();
  };
  std::optional<std::vector<int64_t>> shape =
      broadcastShapes(shapeOf(op->getOperand(0)), shapeOf(op->getOperand(1)));
  if (shape)
    shape = broadcastShapes(*shape, shapeOf(op->getOperand(2)));
  if (!shape)
    return op->emitOpError("operand shapes do not broadcast");
  if (shapeOf(op->getResult(0)) != ArrayRef<int64_t>(*shape))
    return op->emitOpError("result type ")
           << op->getResult(0).getType()
           << " does not match the broadcast shape";
  return success();
}

LogicalResult WhereOp::verify() { return verifyBroadcast3(*this); }

LogicalResult FmaOp::verify() { return verifyBroadcast3(*this); }

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::verify() {
  if (getValue().getType() != getOutput().getType())
    return emitOpError("value type ")
           << getValue().getType() << " differs from result type "
           << getOutput().getType();
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// ConvOp
//===----------------------------------------------------------------------===//

int64_t ConvOp::getInFeatures() {
  return cast<RankedTensorType>(getInput().getType()).getDimSize(1) /
         (int64_t)getGroups();
}

int64_t ConvOp::getOutFeatures() {
  return cast<RankedTensorType>(getOutput().getType()).getDimSize(1) /
         (int64_t)getGroups();
}

int64_t ConvOp::getGroupCount() { return getGroups(); }

int64_t ConvOp::getKernelH() {
  return cast<ShapedType>(getWeight().getType()).getDimSize(2);
}

int64_t ConvOp::getKernelW() {
  return cast<ShapedType>(getWeight().getType()).getDimSize(3);
}

SmallVector<int64_t> ConvOp::getWeightShape(int64_t k) {
  return {getGroupCount(),  ceilDiv(getOutFeatures(), k),
          getKernelH(),     getKernelW(),
          ceilDiv(getInFeatures(), k), k};
}

rebocc::program::CrossbarLayer ConvOp::toProgramLayer(Mapping mapping,
                                                      int64_t duplication) {
  rebocc::program::CrossbarLayer plan =
      programLayerOf(*this, mapping, duplication);
  plan.kind = rebocc::program::LayerKind::Convolution;
  plan.groups = getGroups();
  plan.kernelH = getKernelH();
  plan.kernelW = getKernelW();
  plan.strideH = getStrides()[0];
  plan.strideW = getStrides()[1];
  plan.dilationH = getDilations()[0];
  plan.dilationW = getDilations()[1];
  plan.padTop = getPads()[0];
  plan.padLeft = getPads()[1];
  plan.padBottom = getPads()[2];
  plan.padRight = getPads()[3];
  return plan;
}

/// Checks a 2-D window's attributes and the op's NCHW result shape.
static LogicalResult verifyWindow(Operation *op, ArrayRef<int64_t> kernel,
                                  ArrayRef<int64_t> strides,
                                  ArrayRef<int64_t> pads,
                                  ArrayRef<int64_t> dilations, bool ceilMode,
                                  int64_t outChannels) {
  auto in = cast<RankedTensorType>(op->getOperand(0).getType());
  auto out = cast<RankedTensorType>(op->getResult(0).getType());
  if (in.getRank() != 4 || out.getRank() != 4)
    return op->emitOpError("input and result must be rank-4 (N, C, H, W)");
  for (int64_t i = 1; i < 4; ++i)
    if (in.isDynamicDim(i))
      return op->emitOpError("channel and spatial dimensions must be static");
  if (kernel.size() != 2 || strides.size() != 2 || pads.size() != 4 ||
      dilations.size() != 2)
    return op->emitOpError("kernel, strides and dilations need 2 entries, "
                           "pads 4 (top, left, bottom, right)");
  if (llvm::any_of(kernel, [](int64_t v) { return v < 1; }) ||
      llvm::any_of(strides, [](int64_t v) { return v < 1; }) ||
      llvm::any_of(dilations, [](int64_t v) { return v < 1; }) ||
      llvm::any_of(pads, [](int64_t v) { return v < 0; }))
    return op->emitOpError("kernel, strides and dilations must be positive "
                           "and pads non-negative");
  int64_t h = windowOutput(in.getDimSize(2), kernel[0], strides[0], pads[0],
                           pads[2], dilations[0], ceilMode);
  int64_t w = windowOutput(in.getDimSize(3), kernel[1], strides[1], pads[1],
                           pads[3], dilations[1], ceilMode);
  if (h < 1 || w < 1)
    return op->emitOpError("the window does not fit in the padded input");
  SmallVector<int64_t> expected = {in.getDimSize(0), outChannels, h, w};
  if (out.getShape() != ArrayRef<int64_t>(expected))
    return op->emitOpError("result type ")
           << out << " does not match the expected shape ["
           << (ShapedType::isDynamic(expected[0]) ? std::string("?")
                                                  : std::to_string(expected[0]))
           << ", " << outChannels << ", " << h << ", " << w << "]";
  return success();
}

LogicalResult ConvOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  if (in.getRank() != 4 || out.getRank() != 4 || out.isDynamicDim(1) ||
      in.isDynamicDim(1))
    return emitOpError("input and result must be rank-4 (N, C, H, W) with "
                       "static channels");
  int64_t groups = getGroups();
  if (in.getDimSize(1) % groups || out.getDimSize(1) % groups)
    return emitOpError("groups (") << groups
                                   << ") must divide both channel counts";
  auto weightType = cast<ShapedType>(getWeight().getType());
  if (weightType.getRank() != 6)
    return emitOpError("weight must have shape groups x p x kh x kw x q x k");
  if (failed(verifyWeightShape(*this, "weight", getWeight(),
                               getWeightShape(getBlockSize()))) ||
      failed(verifyWeightShape(*this, "bias", getBias(), {out.getDimSize(1)})))
    return failure();
  if (failed(verifyWindow(*this, {getKernelH(), getKernelW()}, getStrides(),
                          getPads(), getDilations(), /*ceilMode=*/false,
                          out.getDimSize(1))))
    return failure();
  return verifyMapping(*this);
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

static int64_t channelsOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getDimSize(1);
}

LogicalResult MaxPoolOp::verify() {
  return verifyWindow(*this, getKernelShape(), getStrides(), getPads(),
                      getDilations(), getCeilMode(), channelsOf(getInput()));
}

LogicalResult AvgPoolOp::verify() {
  std::optional<ArrayRef<int64_t>> dilations = getDilations();
  return verifyWindow(*this, getKernelShape(), getStrides(), getPads(),
                      dilations ? *dilations : ArrayRef<int64_t>{1, 1},
                      getCeilMode(), channelsOf(getInput()));
}

LogicalResult GlobalAvgPoolOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  // Check the rank first: the dimensions below do not exist otherwise.
  if (in.getRank() != 4)
    return emitOpError("maps N x C x H x W to N x C x 1 x 1");
  SmallVector<int64_t> expected = {in.getDimSize(0), in.getDimSize(1), 1, 1};
  if (out.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("maps N x C x H x W to N x C x 1 x 1");
  return success();
}

//===----------------------------------------------------------------------===//
// Clip, PRelu, Concat, Pad, Transpose
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::verify() {
  if (getMin().convertToFloat() > getMax().convertToFloat())
    return emitOpError("min must not exceed max");
  return success();
}

LogicalResult PReluOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto slope = cast<RankedTensorType>(getSlope().getType());
  std::optional<std::vector<int64_t>> shape =
      broadcastShapes(in.getShape(), slope.getShape());
  if (!shape || ArrayRef<int64_t>(*shape) != in.getShape() ||
      getOutput().getType() != in)
    return emitOpError("slope must broadcast to the input, and the result "
                       "has the input's type");
  return success();
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  auto out = cast<RankedTensorType>(getOutput().getType());
  int64_t rank = out.getRank(), axis = (int64_t)getAxis();
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " out of range for rank " << rank;
  int64_t total = 0;
  for (Value input : getInputs()) {
    auto type = cast<RankedTensorType>(input.getType());
    if (type.getRank() != rank)
      return emitOpError("inputs must have the result's rank");
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && type.getDimSize(d) != out.getDimSize(d))
        return emitOpError("inputs differ from the result in dimension ") << d;
    if (type.isDynamicDim(axis))
      return emitOpError("cannot concatenate along the batch dimension");
    total += type.getDimSize(axis);
  }
  if (out.getDimSize(axis) != total)
    return emitOpError("result dimension ") << axis << " must be " << total;
  return success();
}

LogicalResult PadOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  int64_t rank = in.getRank();
  ArrayRef<int64_t> pads = getPads();
  if ((int64_t)pads.size() != 2 * rank || out.getRank() != rank)
    return emitOpError("pads needs 2 x rank entries");
  if (getMode() != "constant" && getMode() != "reflect" && getMode() != "edge")
    return emitOpError("mode must be constant, reflect or edge");
  for (int64_t d = 0; d < rank; ++d) {
    int64_t begin = pads[d], end = pads[d + rank];
    if (begin < 0 || end < 0)
      return emitOpError("negative pads (cropping) are not supported");
    if (in.isDynamicDim(d)) {
      if (begin || end || !out.isDynamicDim(d))
        return emitOpError("the batch dimension cannot be padded");
      continue;
    }
    if (out.getDimSize(d) != in.getDimSize(d) + begin + end)
      return emitOpError("result dimension ") << d << " must be "
                                              << in.getDimSize(d) + begin + end;
    if (getMode() == "reflect" && (begin >= in.getDimSize(d) ||
                                   end >= in.getDimSize(d)))
      return emitOpError("reflect pads must be smaller than the dimension");
  }
  return success();
}

LogicalResult ResizeOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  ArrayRef<int64_t> axes = getAxes(), taps = getTaps(), sources = getSources();
  if (axes.empty() || taps.size() != axes.size())
    return emitOpError("needs one tap count per axis, at least one axis");
  if (out.getRank() != in.getRank())
    return emitOpError("result must have the input's rank");
  SmallVector<int64_t> expected(in.getShape());
  size_t entries = 0;
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t axis = axes[i];
    if (axis < 0 || axis >= in.getRank() || (i && axis <= axes[i - 1]))
      return emitOpError("axes must be increasing and less than the rank");
    if (in.isDynamicDim(axis) || out.isDynamicDim(axis))
      return emitOpError("cannot resize the run-time batch dimension");
    if (taps[i] < 1 || out.getDimSize(axis) < 1)
      return emitOpError("taps and resized dimensions must be positive");
    expected[axis] = out.getDimSize(axis);
    size_t count = out.getDimSize(axis) * taps[i];
    for (size_t e = entries; e < entries + count && e < sources.size(); ++e)
      if (sources[e] < 0 || sources[e] >= in.getDimSize(axis))
        return emitOpError("source ")
               << sources[e] << " is outside dimension " << axis;
    entries += count;
  }
  if (sources.size() != entries || getWeights().size() != entries)
    return emitOpError("needs ")
           << entries << " sources and weights (output size x taps per axis)";
  if (out.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("result type ")
           << out << " changes a dimension that is not resized";
  return success();
}

/// The checks circulant.lstm and circulant.gru share: input (T*B) x G*H
/// with T*B a multiple of B (or dynamic), initial_h B x H with both static,
/// each recurrence a circulant.fc applied to initial_h with `outputs[i]`
/// outputs, and the result (T + extra) x B x H.
static LogicalResult verifyRecurrent(Operation *op, Value input, Value h0,
                                     ValueRange recurrence,
                                     ArrayRef<int64_t> outputs, int64_t gates,
                                     int64_t extra, float clip) {
  auto x = cast<RankedTensorType>(input.getType());
  auto h = cast<RankedTensorType>(h0.getType());
  auto out = cast<RankedTensorType>(op->getResult(0).getType());
  if (h.getRank() != 2 || !h.hasStaticShape())
    return op->emitOpError("initial_h must be a static B x H");
  int64_t batch = h.getDimSize(0), hidden = h.getDimSize(1);
  if (x.getRank() != 2 || x.getDimSize(1) != gates * hidden ||
      (!x.isDynamicDim(0) && x.getDimSize(0) % batch != 0))
    return op->emitOpError("input must be T*B x ") << gates << "H";
  if (recurrence.size() != outputs.size())
    return op->emitOpError("needs ") << outputs.size() << " recurrence layer(s)";
  for (auto [r, m] : llvm::zip(recurrence, outputs)) {
    auto fc = r.getDefiningOp<FullyConnectedOp>();
    if (!fc || fc.getInput() != h0)
      return op->emitOpError(
          "recurrence must be a circulant.fc applied to initial_h");
    if (cast<RankedTensorType>(r.getType()).getDimSize(1) != m)
      return op->emitOpError("recurrence layer must have ") << m << " outputs";
  }
  if (!(clip >= 0))
    return op->emitOpError("clip must be non-negative (0: none)");
  int64_t steps = x.isDynamicDim(0) ? ShapedType::kDynamic
                                    : x.getDimSize(0) / batch + extra;
  if (out.getRank() != 3 || out.getDimSize(0) != steps ||
      out.getDimSize(1) != batch || out.getDimSize(2) != hidden)
    return op->emitOpError("result must be (T + ")
           << extra << ") x B x H";
  return success();
}

LogicalResult LstmOp::verify() {
  int64_t hidden =
      cast<RankedTensorType>(getInitialH().getType()).getShape().back();
  if (getInitialC().getType() != getInitialH().getType())
    return emitOpError("initial_c must have initial_h's type");
  if (getPeepholes() &&
      cast<RankedTensorType>(getPeepholes().getType()).getShape() !=
          ArrayRef<int64_t>{3 * hidden})
    return emitOpError("peepholes must have 3H elements");
  return verifyRecurrent(*this, getInput(), getInitialH(), getRecurrence(),
                         {4 * hidden}, 4, 2, getClip().convertToFloat());
}

LogicalResult GruOp::verify() {
  int64_t hidden =
      cast<RankedTensorType>(getInitialH().getType()).getShape().back();
  SmallVector<int64_t> outputs = {3 * hidden};
  if (!getLinearBeforeReset())
    outputs = {2 * hidden, hidden};
  return verifyRecurrent(*this, getInput(), getInitialH(), getRecurrence(),
                         outputs, 3, 1, getClip().convertToFloat());
}

LogicalResult RnnOp::verify() {
  int64_t hidden =
      cast<RankedTensorType>(getInitialH().getType()).getShape().back();
  if (!rebocc::support::findRnnActivation(getActivation().str()))
    return emitOpError("activation '")
           << getActivation() << "' is not an ONNX RNN activation";
  return verifyRecurrent(*this, getInput(), getInitialH(), getRecurrence(),
                         {hidden}, 1, 1, getClip().convertToFloat());
}

LogicalResult SliceOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  ArrayRef<int64_t> axes = getAxes(), starts = getStarts(), ends = getEnds();
  if (axes.empty() || starts.size() != axes.size() ||
      ends.size() != axes.size())
    return emitOpError("needs as many starts and ends as axes, at least one");
  SmallVector<int64_t> expected(in.getShape());
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < 0 || axes[i] >= in.getRank() ||
        (i && axes[i] <= axes[i - 1]))
      return emitOpError("axes must be increasing and less than the rank");
    if (in.isDynamicDim(axes[i]))
      return emitOpError("cannot slice the run-time batch dimension");
    if (starts[i] < 0 || ends[i] <= starts[i] ||
        ends[i] > in.getDimSize(axes[i]))
      return emitOpError("range [")
             << starts[i] << ", " << ends[i] << ") does not fit dimension "
             << axes[i];
    expected[axes[i]] = ends[i] - starts[i];
  }
  if (out.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("result type ") << out << " does not match the ranges";
  return success();
}

LogicalResult TransposeOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  ArrayRef<int64_t> perm = getPerm();
  int64_t rank = in.getRank();
  if ((int64_t)perm.size() != rank || out.getRank() != rank)
    return emitOpError("perm must have one entry per dimension");
  SmallVector<bool> seen(rank, false);
  for (int64_t i = 0; i < rank; ++i) {
    if (perm[i] < 0 || perm[i] >= rank || seen[perm[i]])
      return emitOpError("perm is not a permutation");
    seen[perm[i]] = true;
    if (out.getDimSize(i) != in.getDimSize(perm[i]))
      return emitOpError("result dimension ") << i << " must be input dimension "
                                              << perm[i];
  }
  return success();
}

//===----------------------------------------------------------------------===//
// IfOp
//===----------------------------------------------------------------------===//

LogicalResult IfOp::verify() { return verifyIfRegions<YieldOp>(*this); }
