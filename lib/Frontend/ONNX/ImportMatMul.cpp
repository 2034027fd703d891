//===- ImportMatMul.cpp - ONNX MatMul -------------------------------------===//
//
// MatMul by a constant 2-D B is a crossbar layer: N-D data [..., K] is
// reshaped to rows of K features, multiplied, and reshaped back. Any other
// MatMul (both operands run-time, as attention's Q K^T and its product with
// V, or a batched constant) is a circulant.matmul with ONNX's semantics: 1-D
// operands lifted to a matrix and the added dim dropped again, the batch
// dims broadcast numpy-style.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

bool Importer::importMatMul(const onnx::NodeProto &node) {
  // The model's 8-bit weights go on the cells as they are.
  if (std::optional<bool> integer = importIntegerWeightLayer(node))
    return *integer;
  const Binding *a = lookup(node, 0);
  const Binding *b = lookup(node, 1);
  if (!a || !b)
    return false;
  Value lhs, rhs;
  if (!runtimeInput(node, 0, lhs))
    return false;
  if (b->known && b->known->shape.size() == 2 && shapeOf(lhs).size() >= 2)
    return matMulByWeight(node, lhs, *b->known);
  return runtimeInput(node, 1, rhs) && matMulAtRunTime(node, lhs, rhs);
}

/// [..., K] x W[K, M]: one fully connected layer over the rows of K.
bool Importer::matMulByWeight(const onnx::NodeProto &node, Value a,
                              const ConstTensor &b) {
  std::vector<int64_t> shape(shapeOf(a));
  int64_t n = shape.back();
  if (ShapedType::isDynamic(n))
    return fail(node, "A's last dimension (the layer's inputs) is the "
                      "run-time batch; fix it with --input-shape or --dim");
  if (b.shape[0] != n)
    return fail(node, "inner dimensions differ: A's last dimension is " +
                          std::to_string(n) + ", B has " +
                          std::to_string(b.shape[0]) + " rows");
  int64_t m = b.shape[1];
  std::vector<float> weight(m * n);
  for (int64_t o = 0; o < m; ++o)
    for (int64_t i = 0; i < n; ++i)
      weight[o * n + i] = (float)b.data[i * m + o];
  if (shape.size() == 2)
    return createFullyConnected(node, a, std::move(weight),
                                std::vector<float>(m, 0.0f), m, true);
  // The leading dims become the rows and come back after; the run-time
  // batch among them makes the rows c * N (reshapes infer it at run time).
  int64_t rows = product(ArrayRef<int64_t>(shape).drop_back());
  int64_t multiple = batchMultipleOf(a);
  Value flat = reshapeTo(a, {rows, n}, locFor(node));
  if (multiple) {
    int64_t perItem = multiple;
    for (int64_t dim : ArrayRef<int64_t>(shape).drop_back())
      perItem *= ShapedType::isDynamic(dim) ? 1 : dim;
    setBatchMultiple(flat, perItem);
  }
  if (!createFullyConnected(node, flat, std::move(weight),
                            std::vector<float>(m, 0.0f), m, true))
    return false;
  Operation *fc = env[node.output(0)].value.getDefiningOp();
  shape.back() = m;
  Value result = reshapeTo(fc->getResult(0), shape, locFor(node));
  if (multiple)
    setBatchMultiple(result, multiple);
  return bindLayer(node, fc, result);
}

/// Both operands known only when the network runs.
bool Importer::matMulAtRunTime(const onnx::NodeProto &node, Value a, Value b) {
  std::vector<int64_t> lhs(shapeOf(a)), rhs(shapeOf(b));
  if (lhs.empty() || rhs.empty())
    return fail(node, "MatMul operands must have at least one dimension");
  Location loc = locFor(node);
  // ONNX (numpy): a 1-D A is a row [1, K], a 1-D B a column [K, 1], and the
  // added dim is not in the result.
  bool rowVector = lhs.size() == 1, columnVector = rhs.size() == 1;
  if (rowVector)
    a = reshapeTo(a, lhs = {1, lhs[0]}, loc);
  if (columnVector)
    b = reshapeTo(b, rhs = {rhs[0], 1}, loc);
  std::optional<std::vector<int64_t>> shape = support::matmulShape(lhs, rhs);
  if (!shape)
    return fail(node,
                "operands " + dimsToString(lhs) + " and " + dimsToString(rhs) +
                    " do not multiply: the inner dimensions must be equal "
                    "and the batch dimensions broadcast (a dynamic "
                    "dimension only matches itself; fix it with "
                    "--input-shape)");
  Value product =
      MatMulOp::create(builder, loc, tensorType(*shape, builder), a, b);
  if (rowVector || columnVector) {
    shape->erase(shape->end() - (columnVector ? 1 : 2),
                 shape->end() - (columnVector ? 0 : 1));
    if (rowVector && columnVector)
      shape->pop_back();
    product = reshapeTo(product, *shape, loc);
  }
  return bind(node, product);
}

} // namespace rebocc::onnxfe
