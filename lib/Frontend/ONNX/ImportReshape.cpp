//===- ImportReshape.cpp - ONNX Flatten, Reshape, Constant ---------------===//
//
// Flatten and Reshape (targets known at compile time: -1 and 0 resolved
// against the input's shape), Constant and ConstantOfShape.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

bool Importer::importFlatten(const onnx::NodeProto &node) {
  const Binding *binding = lookup(node, 0);
  if (!binding)
    return false;
  std::vector<int64_t> shape = shapeOfInput(*binding);
  int64_t rank = shape.size();
  int64_t axis = getInt(node, "axis", 1);
  if (axis < -rank || axis > rank)
    return fail(node, "axis " + Twine(axis) + " out of range");
  if (axis < 0)
    axis += rank;
  std::vector<int64_t> result = {product(ArrayRef(shape).take_front(axis)),
                                 product(ArrayRef(shape).drop_front(axis))};
  if (binding->known) {
    ConstTensor folded = *binding->known;
    folded.shape = result;
    return bindConstant(node, folded);
  }
  if (ShapedType::isDynamic(result[1]))
    return fail(node, "flattening at axis 0 would merge the batch dimension "
                      "into the features");
  return bind(node, FlattenOp::create(builder, locFor(node),
                                      tensorType(result, builder),
                                      binding->value, axis));
}

/// A resolved Reshape target: the shape, and when the data has the run-time
/// batch, the multiple c of N its one dynamic dim holds.
struct ResolvedReshape {
  std::vector<int64_t> shape;
  int64_t multiple = 0;
};

/// Resolves an ONNX Reshape target (0 copies a dimension unless allowzero,
/// -1 is inferred, batchDim(c) is c times the run-time batch) against
/// `input`, whose one dynamic dim, if any, is `inMultiple` times the batch.
/// With a dynamic input the result has one dynamic dim too: where the
/// target places batchDim(c) (or copies the input's with 0), else at its -1.
/// Counting elements per batch item (N = 1) decides every static dim.
static std::optional<ResolvedReshape>
resolveReshape(ArrayRef<int64_t> input, int64_t inMultiple,
               const ConstTensor &target, bool allowZero, std::string &reason) {
  bool dynamic = llvm::any_of(input, ShapedType::isDynamic);
  ResolvedReshape out;
  int inferred = -1, batchAt = -1;
  for (size_t i = 0; i < target.data.size(); ++i) {
    int64_t dim = toInt(target.data[i]);
    std::optional<int64_t> multiple = batchMultiple(target.data[i]);
    if (!multiple && dim == 0 && !allowZero) {
      if (i >= input.size()) {
        reason = "a 0 in the target shape has no input dimension to copy";
        return std::nullopt;
      }
      dim = input[i];
      if (ShapedType::isDynamic(dim))
        multiple = inMultiple;
    }
    if (multiple) {
      if (!dynamic || batchAt >= 0) {
        reason = dynamic ? "the target shape holds the run-time batch size "
                           "twice"
                         : "the target shape depends on the run-time batch "
                           "size, which this data does not have";
        return std::nullopt;
      }
      batchAt = i;
      out.multiple = *multiple;
      dim = ShapedType::kDynamic;
    } else if (dim == -1) {
      if (inferred >= 0) {
        reason = "more than one -1 in the target shape";
        return std::nullopt;
      }
      inferred = i;
    } else if (dim < 0) {
      reason = "negative dimension in the target shape";
      return std::nullopt;
    }
    out.shape.push_back(dim);
  }
  SmallVector<int64_t> inDims(llvm::make_filter_range(
      input, [](int64_t dim) { return !ShapedType::isDynamic(dim); }));
  // Elements of one batch item (all of them for static data).
  std::optional<int64_t> inCount = support::checkedElementCount(inDims);
  if (dynamic && inCount)
    inCount = llvm::checkedMul(*inCount, inMultiple);
  SmallVector<int64_t> knownDims;
  for (size_t i = 0; i < out.shape.size(); ++i)
    if ((int)i != inferred && (int)i != batchAt)
      knownDims.push_back(out.shape[i]);
  if (batchAt >= 0)
    knownDims.push_back(out.multiple);
  std::optional<int64_t> knownCount = support::checkedElementCount(knownDims);
  if (!knownCount || !inCount) {
    reason = "the target shape " + dimsToString(out.shape) +
             " has more elements than a 64-bit count holds";
    return std::nullopt;
  }
  int64_t known = *knownCount;
  if (dynamic && batchAt < 0) {
    // The batch goes where the -1 is, times what the other dims leave.
    if (inferred < 0) {
      reason = "the target shape " + dimsToString(out.shape) +
               " drops the run-time batch dimension (fix the batch with "
               "--input-shape or --dim)";
      return std::nullopt;
    }
    if (known == 0 || *inCount % known != 0) {
      reason = "cannot infer the -1 dimension";
      return std::nullopt;
    }
    out.multiple = *inCount / known;
    out.shape[inferred] = ShapedType::kDynamic;
    return out;
  }
  if (inferred >= 0) {
    if (known == 0 || *inCount % known != 0) {
      reason = "cannot infer the -1 dimension";
      return std::nullopt;
    }
    out.shape[inferred] = *inCount / known;
    known *= out.shape[inferred];
  }
  if (known != *inCount) {
    reason = "the element count changes";
    return std::nullopt;
  }
  return out;
}

bool Importer::importReshape(const onnx::NodeProto &node) {
  const Binding *data = lookup(node, 0);
  if (!data)
    return false;
  const ConstTensor *target =
      constantInput(node, 1, "the target shape", /*allowBatch=*/true);
  if (!target)
    return false;
  if (target->shape.size() != 1)
    return fail(node, "the target shape must be 1-D");
  if (!checkOneBatchDim(node, shapeOfInput(*data), "the data"))
    return false;
  std::string reason;
  std::optional<ResolvedReshape> resolved = resolveReshape(
      shapeOfInput(*data), data->value ? batchMultipleOf(data->value) : 0,
      *target, getInt(node, "allowzero", 0) != 0, reason);
  if (!resolved)
    return fail(node, reason);
  const std::vector<int64_t> &shape = resolved->shape;
  if (data->known) {
    ConstTensor folded = *data->known;
    folded.shape = shape;
    return bindConstant(node, folded);
  }
  if (ArrayRef<int64_t>(shape) == shapeOf(data->value) &&
      resolved->multiple == batchMultipleOf(data->value))
    return bind(node, data->value);
  Value result = reshapeTo(data->value, shape, locFor(node));
  if (resolved->multiple)
    setBatchMultiple(result, resolved->multiple);
  return bind(node, result);
}

bool Importer::importConstant(const onnx::NodeProto &node) {
  ConstTensor tensor;
  if (const onnx::AttributeProto *value = findAttr(node, "value")) {
    std::string reason;
    if (!decodeTensor(value->t(), tensor, reason))
      return fail(node, "value: " + reason);
  } else if (const onnx::AttributeProto *f = findAttr(node, "value_float")) {
    tensor.data = {f->f()};
  } else if (const onnx::AttributeProto *fs = findAttr(node, "value_floats")) {
    tensor.shape = {fs->floats_size()};
    tensor.data.assign(fs->floats().begin(), fs->floats().end());
  } else if (const onnx::AttributeProto *i = findAttr(node, "value_int")) {
    tensor.isFloat = false;
    tensor.data = {(double)i->i()};
  } else if (const onnx::AttributeProto *is = findAttr(node, "value_ints")) {
    tensor.isFloat = false;
    tensor.shape = {is->ints_size()};
    tensor.data.assign(is->ints().begin(), is->ints().end());
  } else {
    return fail(node, "only value, value_float(s) and value_int(s) are "
                      "supported");
  }
  return bindConstant(node, std::move(tensor));
}

/// A constant filled with `value` (one element, default float 0) in a
/// shape that must be known: a fill of batch size is not a constant.
bool Importer::importConstantOfShape(const onnx::NodeProto &node) {
  std::vector<int64_t> shape;
  if (!intsInput(node, 0, "the shape", shape))
    return false;
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim < 0 || (dim > 0 && count > (int64_t(1) << 28) / dim))
      return fail(node, "the shape " + dimsToString(shape) +
                            " is negative or absurdly large");
    count *= dim;
  }
  ConstTensor fill{{}, {0.0}, true};
  if (const onnx::AttributeProto *value = findAttr(node, "value")) {
    std::string reason;
    if (!decodeTensor(value->t(), fill, reason))
      return fail(node, "value: " + reason);
    if (fill.numElements() != 1)
      return fail(node, "value must hold one element");
  }
  if (!checkShape(node, shape, "the result shape", sizeof(double)))
    return false;
  ConstTensor out;
  out.isFloat = fill.isFloat;
  out.shape = shape;
  out.data.assign(out.numElements(), fill.data[0]);
  return bindConstant(node, std::move(out));
}

} // namespace rebocc::onnxfe
