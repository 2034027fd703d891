//===- CirculantOps.cpp - circulant dialect ops ---------------------------===//

#include "rebocc/Dialect/Circulant/CirculantOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace rebocc::circulant;

#define GET_OP_CLASSES
#include "rebocc/Dialect/Circulant/CirculantOps.cpp.inc"

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

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

/// The mapping attributes must describe one of A (d = 1), B (d | k) or E
/// (d = k).
static LogicalResult verifyMapping(FullyConnectedOp op) {
  int64_t k = op.getBlockSize();
  std::optional<StringRef> mapping = op.getMapping();
  std::optional<int64_t> dup = op.getDuplication();
  if (!mapping) {
    if (dup || op.getSharedInput())
      return op.emitOpError("duplication and shared_input need a mapping");
    return success();
  }
  if (*mapping != "A" && *mapping != "B" && *mapping != "E")
    return op.emitOpError("mapping must be \"A\", \"B\" or \"E\", got \"")
           << *mapping << "\"";
  int64_t d = dup.value_or(1);
  if (d < 1 || k % d != 0)
    return op.emitOpError("duplication ") << d << " must divide block_size "
                                          << k;
  if (*mapping == "A" && d != 1)
    return op.emitOpError("mapping A has duplication 1, got ") << d;
  if (*mapping == "E" && d != k)
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
                               {ceilDiv(m, k), ceilDiv(n, k), k})) ||
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

/// Only a leading dimension may be dynamic: it is the run-time batch size.
static bool hasOnlyLeadingDynamic(RankedTensorType type) {
  for (int64_t i = 1; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      return false;
  return true;
}

LogicalResult ReshapeOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto outputType = cast<RankedTensorType>(getOutput().getType());
  if (!hasOnlyLeadingDynamic(inputType) || !hasOnlyLeadingDynamic(outputType))
    return emitOpError("only the leading (batch) dimension may be dynamic");
  bool inputDynamic = inputType.getRank() > 0 && inputType.isDynamicDim(0);
  bool outputDynamic = outputType.getRank() > 0 && outputType.isDynamicDim(0);
  if (inputDynamic != outputDynamic)
    return emitOpError("the batch dimension must stay the leading dimension");
  ArrayRef<int64_t> in = inputType.getShape(), out = outputType.getShape();
  if (inputDynamic) {
    in = in.drop_front();
    out = out.drop_front();
  }
  if (product(in) != product(out))
    return emitOpError("element count changes from ")
           << product(in) << " to " << product(out);
  return success();
}

//===----------------------------------------------------------------------===//
// AddOp, MulOp
//===----------------------------------------------------------------------===//

/// Numpy broadcasting of two shapes; a dynamic dimension (the batch) only
/// broadcasts with itself or 1.
static FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> a,
                                                       ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == db || db == 1)
      result[i] = da;
    else if (da == 1)
      result[i] = db;
    else
      return failure();
  }
  return result;
}

static LogicalResult verifyBroadcast(Operation *op) {
  auto lhs = cast<RankedTensorType>(op->getOperand(0).getType());
  auto rhs = cast<RankedTensorType>(op->getOperand(1).getType());
  auto out = cast<RankedTensorType>(op->getResult(0).getType());
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(lhs.getShape(), rhs.getShape());
  if (failed(shape))
    return op->emitOpError("operand shapes ")
           << lhs << " and " << rhs << " do not broadcast";
  if (out.getShape() != ArrayRef<int64_t>(*shape))
    return op->emitOpError("result type ")
           << out << " does not match the broadcast shape";
  return success();
}

LogicalResult AddOp::verify() { return verifyBroadcast(*this); }
LogicalResult MulOp::verify() { return verifyBroadcast(*this); }

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
