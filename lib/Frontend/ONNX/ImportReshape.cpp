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

/// Resolves an ONNX Reshape target (0 copies a dimension unless allowzero,
/// -1 is inferred, kBatchSentinel in front is the run-time batch) against
/// `input`, whose leading dimension may be the dynamic batch.
static std::optional<std::vector<int64_t>>
resolveReshape(ArrayRef<int64_t> input, const ConstTensor &target,
               bool allowZero, std::string &reason) {
  bool dynamic = !input.empty() && ShapedType::isDynamic(input[0]);
  std::vector<int64_t> shape;
  int inferred = -1;
  for (size_t i = 0; i < target.data.size(); ++i) {
    int64_t dim = toInt(target.data[i]);
    if (dim == kBatchSentinel) {
      if (i != 0 || !dynamic) {
        reason = "the target shape depends on the run-time batch size other "
                 "than as its leading dimension";
        return std::nullopt;
      }
      dim = ShapedType::kDynamic;
    } else if (dim == 0 && !allowZero) {
      if (i >= input.size()) {
        reason = "a 0 in the target shape has no input dimension to copy";
        return std::nullopt;
      }
      dim = input[i];
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
    shape.push_back(dim);
  }
  int64_t staticIn = product(dynamic ? input.drop_front() : input);
  if (dynamic) {
    // The batch must stay leading: either copied (0) or inferred (-1) there.
    bool batchLeads = !shape.empty() && (ShapedType::isDynamic(shape[0]) ||
                                         inferred == 0);
    if (!batchLeads) {
      reason = "the target shape would move or split the dynamic batch "
               "dimension";
      return std::nullopt;
    }
    shape[0] = ShapedType::kDynamic;
    if (inferred == 0)
      inferred = -1;
  }
  SmallVector<int64_t> knownDims;
  for (size_t i = dynamic ? 1 : 0; i < shape.size(); ++i)
    if ((int)i != inferred)
      knownDims.push_back(shape[i]);
  std::optional<int64_t> knownCount = support::checkedElementCount(knownDims);
  if (!knownCount) {
    reason = "the target shape " + dimsToString(shape) +
             " has more elements than a 64-bit count holds";
    return std::nullopt;
  }
  int64_t known = *knownCount;
  if (inferred >= 0) {
    if (known == 0 || staticIn % known != 0) {
      reason = "cannot infer the -1 dimension";
      return std::nullopt;
    }
    shape[inferred] = staticIn / known;
    known *= shape[inferred];
  }
  if (known != staticIn) {
    reason = "the element count changes";
    return std::nullopt;
  }
  return shape;
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
  std::string reason;
  std::optional<std::vector<int64_t>> shape = resolveReshape(
      shapeOfInput(*data), *target, getInt(node, "allowzero", 0) != 0, reason);
  if (!shape)
    return fail(node, reason);
  if (data->known) {
    ConstTensor folded = *data->known;
    folded.shape = *shape;
    return bindConstant(node, folded);
  }
  if (ArrayRef<int64_t>(*shape) == shapeOf(data->value))
    return bind(node, data->value);
  return bind(node, reshapeTo(data->value, *shape, locFor(node)));
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
