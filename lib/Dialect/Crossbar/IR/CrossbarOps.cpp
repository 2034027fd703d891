//===- CrossbarOps.cpp - crossbar dialect ops -----------------------------===//

#include "rebocc/Dialect/Crossbar/CrossbarOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace rebocc::crossbar;

#define GET_OP_CLASSES
#include "rebocc/Dialect/Crossbar/CrossbarOps.cpp.inc"

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

//===----------------------------------------------------------------------===//
// LayerOp
//===----------------------------------------------------------------------===//

LogicalResult LayerOp::verify() {
  int64_t k = getBlockSize(), d = getDuplication();
  StringRef mapping = getMapping();
  if (mapping != "A" && mapping != "B" && mapping != "E")
    return emitOpError("mapping must be \"A\", \"B\" or \"E\"");
  if (k % d != 0 || (mapping == "A" && d != 1) || (mapping == "E" && d != k))
    return emitOpError("duplication ")
           << d << " is not valid for mapping " << mapping << " with k = " << k;
  if ((int64_t)getCellsPerWeight() !=
      ceilDiv(getWeightBits(), getCellBits()))
    return emitOpError("cells_per_weight must be ceil(weight_bits / cell_bits)");
  if (!(getWeightScale().convertToFloat() > 0.0f))
    return emitOpError("weight_scale must be positive");
  auto weightType = cast<ShapedType>(getWeight().getType());
  int64_t m = getM(), n = getN();
  SmallVector<int64_t> expected = {ceilDiv(m, k), ceilDiv(n, k), k};
  if (weightType.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("weight must have shape p x q x k");
  auto biasType = cast<ShapedType>(getBias().getType());
  if (biasType.getShape() != ArrayRef<int64_t>{m})
    return emitOpError("bias must have m elements");
  return success();
}

//===----------------------------------------------------------------------===//
// ArrayOp
//===----------------------------------------------------------------------===//

// Symbol checks go through the verifier's cached symbol tables: a large
// layer has tens of thousands of arrays.
LogicalResult ArrayOp::verifySymbolUses(SymbolTableCollection &symbols) {
  auto layer = symbols.lookupNearestSymbolFrom<LayerOp>(*this, getLayerAttr());
  if (!layer)
    return emitOpError("layer ") << getLayerAttr() << " is not a crossbar.layer";
  int64_t k = layer.getBlockSize();
  int64_t logicalRows = ceilDiv(layer.getN(), k) * k;
  int64_t weightCols = ceilDiv(layer.getM(), k) * layer.getDuplication();
  int64_t rowBegin = getRowBegin(), rowCount = getRowCount();
  int64_t colBegin = getColBegin(), colCount = getColCount();
  if (rowBegin % k != 0 || rowCount % k != 0)
    return emitOpError("rows must hold whole k-slices (k = ") << k << ")";
  if (rowCount > (int64_t)getRows() ||
      colCount * (int64_t)layer.getCellsPerWeight() > (int64_t)getCols())
    return emitOpError("holds more rows or columns than the array has");
  if (rowBegin + rowCount > logicalRows || colBegin + colCount > weightCols)
    return emitOpError("lies outside the layer's logical matrix (")
           << logicalRows << " rows, " << weightCols << " weight columns)";
  return success();
}

//===----------------------------------------------------------------------===//
// MvmOp
//===----------------------------------------------------------------------===//

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
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  if (auto buffer = getInput().getDefiningOp<InputBufferOp>())
    if ((int64_t)buffer.getSliceSize() != (int64_t)layer.getBlockSize())
      return emitOpError("reads a buffer of ")
             << buffer.getSliceSize() << "-word slices, the layer needs "
             << layer.getBlockSize();
  if (in.getRank() != 2 || out.getRank() != 2 ||
      in.getDimSize(0) != out.getDimSize(0) ||
      in.getDimSize(1) != (int64_t)layer.getN() ||
      out.getDimSize(1) != (int64_t)layer.getM())
    return emitOpError("types must be (batch x n) -> (batch x m) of the layer");
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
  if (type.getRank() != 2 || type.getDimSize(1) != (int64_t)layer.getM())
    return emitOpError("type must be (batch x m) of the layer");
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
  int arity = llvm::StringSwitch<int>(getFn())
                  .Cases({"relu", "sigmoid", "softmax", "reshape", "flatten",
                          "identity"},
                         1)
                  .Cases({"add", "mul"}, 2)
                  .Default(-1);
  if (arity < 0)
    return emitOpError("unknown digital function \"") << getFn() << "\"";
  if ((int)getOperands().size() != arity)
    return emitOpError("\"") << getFn() << "\" takes " << arity << " operand(s)";
  bool needsAxis = getFn() == "softmax" || getFn() == "flatten";
  if (needsAxis != getAxis().has_value())
    return emitOpError("axis is required by softmax and flatten only");
  if (needsAxis) {
    int64_t rank = cast<RankedTensorType>(getOperands()[0].getType()).getRank();
    int64_t axis = (int64_t)*getAxis();
    int64_t limit = getFn() == "softmax" ? rank - 1 : rank;
    if (axis < 0 || axis > limit)
      return emitOpError("axis ") << axis << " out of range for rank " << rank;
  }
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }
