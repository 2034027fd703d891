//===- ImportSpaceDepth.cpp - ONNX DepthToSpace and SpaceToDepth ----------===//
//
// Both rearrange NCHW data in blocks of blocksize x blocksize and are, as the
// ONNX specification defines them, a reshape to six dimensions, a transpose
// and a reshape back to four. They import as exactly that: two views and one
// transpose (the copy the cost model charges), with the batch kept leading.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

/// reshape(input, split) -> transpose(perm) -> reshape(result).
bool Importer::bindBlockRearrange(const onnx::NodeProto &node,
                                  const Binding &input,
                                  ArrayRef<int64_t> split,
                                  ArrayRef<int64_t> perm,
                                  ArrayRef<int64_t> result) {
  if (input.known)
    return fail(node, "of a constant is not supported (only of run-time "
                      "data)");
  Location loc = locFor(node);
  std::vector<int64_t> transposed;
  for (int64_t p : perm)
    transposed.push_back(split[p]);
  Value blocks = reshapeTo(input.value, split, loc);
  Value moved = TransposeOp::create(builder, loc,
                                    tensorType(transposed, builder), blocks,
                                    perm);
  return bind(node, reshapeTo(moved, result, loc));
}

/// Checks NCHW rank, a positive blocksize and static C, H, W; returns the
/// dims and the blocksize, or false after an error.
bool Importer::blockOperands(const onnx::NodeProto &node, const Binding &input,
                             std::vector<int64_t> &dims, int64_t &block) {
  dims = shapeOfInput(input);
  if (dims.size() != 4)
    return fail(node, "expects NCHW data (rank 4)");
  for (size_t d = 1; d < 4; ++d)
    if (ShapedType::isDynamic(dims[d]))
      return fail(node, "needs static C, H and W (fix them with "
                        "--input-shape or --dim)");
  block = getInt(node, "blocksize", 0);
  if (block < 1 || block > (int64_t{1} << 16))
    return fail(node, "blocksize must be in [1, 65536]");
  return true;
}

bool Importer::importDepthToSpace(const onnx::NodeProto &node) {
  const Binding *input = lookup(node, 0);
  std::vector<int64_t> d;
  int64_t b = 0;
  if (!input || !blockOperands(node, *input, d, b))
    return false;
  if (d[1] % (b * b))
    return fail(node, "C = " + Twine(d[1]) + " is not a multiple of "
                      "blocksize^2 = " + Twine(b * b));
  std::string mode = getString(node, "mode", "DCR");
  int64_t c = d[1] / (b * b);
  std::vector<int64_t> out = {d[0], c, d[2] * b, d[3] * b};
  if (mode == "DCR")
    return bindBlockRearrange(node, *input, {d[0], b, b, c, d[2], d[3]},
                              {0, 3, 4, 1, 5, 2}, out);
  if (mode == "CRD")
    return bindBlockRearrange(node, *input, {d[0], c, b, b, d[2], d[3]},
                              {0, 1, 4, 2, 5, 3}, out);
  return fail(node, "mode must be DCR or CRD, not '" + mode + "'");
}

bool Importer::importSpaceToDepth(const onnx::NodeProto &node) {
  const Binding *input = lookup(node, 0);
  std::vector<int64_t> d;
  int64_t b = 0;
  if (!input || !blockOperands(node, *input, d, b))
    return false;
  if (d[2] % b || d[3] % b)
    return fail(node, "H and W (" + Twine(d[2]) + ", " + Twine(d[3]) +
                          ") must be multiples of blocksize " + Twine(b));
  return bindBlockRearrange(
      node, *input, {d[0], d[1], d[2] / b, b, d[3] / b, b},
      {0, 3, 5, 1, 2, 4}, {d[0], d[1] * b * b, d[2] / b, d[3] / b});
}

} // namespace rebocc::onnxfe
