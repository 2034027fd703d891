//===- ImportGather.cpp - the gathers by run-time indices ----------------===//
//
// One circulant.gather (the program's `gather` instruction) for the three
// ONNX gathers when the indices are only known at run time: the embedding
// lookup of token-input models (Gather of a constant table by INT64 token
// ids), GatherElements and GatherND. The data may be constant (the table
// becomes a program constant) or run-time data. Indices are integer data
// (a graph input of an integer type, or the integer result of a run-time
// Cast), carried as float32 like all integers; the program checks each
// one's range when it runs, since its value is not known before.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

bool Importer::integerIndices(const onnx::NodeProto &node,
                              const Binding &indices) {
  const std::string &name = node.input(1);
  // A constant computed at import (a shape chain) has no ONNX type of its
  // own (dataType 0); one decoded from the model has.
  auto floatType = [](int type) {
    return type == onnx::TensorProto::FLOAT ||
           type == onnx::TensorProto::DOUBLE ||
           type == onnx::TensorProto::FLOAT16 ||
           type == onnx::TensorProto::BFLOAT16;
  };
  bool integer = indices.value ? integerData.contains(name) ||
                                     castIntegers.contains(name)
                               : !floatType(indices.known->dataType);
  if (!integer)
    return fail(node, "the indices '" + name + "' are float data; " +
                          node.op_type() + " takes INT32 or INT64 indices");
  return true;
}

bool Importer::importGatherOp(const onnx::NodeProto &node,
                              support::GatherKind kind) {
  const Binding *data = lookup(node, 0);
  const Binding *indicesBinding = data ? lookup(node, 1) : nullptr;
  if (!indicesBinding || !integerIndices(node, *indicesBinding))
    return false;
  if (indicesBinding->known && indicesBinding->known->hasBatchSentinel())
    return fail(node, dependsOnBatch("the indices"));
  Value x, indices;
  if (!floatInput(node, 0, x) || !floatInput(node, 1, indices))
    return false;
  std::vector<int64_t> in = shapeOf(x), idx = shapeOf(indices);
  int64_t rank = in.size();
  bool nd = kind == support::GatherKind::ND;
  int64_t axis = getInt(node, nd ? "batch_dims" : "axis", 0);
  if (!nd && !normalizeAxis(axis, rank))
    return fail(node, "axis " + Twine(axis) + " out of range for data " +
                          dimsToString(in));
  std::optional<std::vector<int64_t>> shape =
      support::gatherShape(kind, in, idx, axis);
  if (!shape)
    return fail(node, "cannot gather data " + dimsToString(in) +
                          " by indices " + dimsToString(idx) +
                          (nd ? " with batch_dims " : " along axis ") +
                          Twine(axis) +
                          (nd ? " (batch_dims below both ranks, the last "
                                "indices dimension known and at most the "
                                "data's rank less batch_dims, equal batch "
                                "dimensions)"
                              : kind == support::GatherKind::Elements
                                    ? " (data and indices of one rank)"
                                    : ""));
  // The indexed dimensions' sizes bound the indices: they must be known.
  int64_t last = nd ? axis + idx.back() : axis + 1;
  for (int64_t d = axis; d < last; ++d)
    if (ShapedType::isDynamic(in[d]))
      return fail(node, "indexing dimension " + Twine(d) + " of data " +
                            dimsToString(in) +
                            ", the run-time batch, needs the batch size: fix "
                            "it with --input-shape or --dim");
  if (!checkOneBatchDim(node, *shape, "the result"))
    return false;
  Location loc = locFor(node);
  return bind(node, GatherOp::create(builder, loc, tensorType(*shape, builder),
                                     x, indices,
                                     builder.getStringAttr(
                                         support::gatherKindName(kind)),
                                     builder.getI64IntegerAttr(axis)));
}

bool Importer::importGatherElements(const onnx::NodeProto &node) {
  return importGatherOp(node, support::GatherKind::Elements);
}

bool Importer::importGatherND(const onnx::NodeProto &node) {
  return importGatherOp(node, support::GatherKind::ND);
}

} // namespace rebocc::onnxfe
