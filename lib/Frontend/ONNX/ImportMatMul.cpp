//===- ImportMatMul.cpp - ONNX MatMul and Einsum --------------------------===//
//
// MatMul by a constant 2-D B is a crossbar layer: N-D data [..., K] is
// reshaped to rows of K features, multiplied, and reshaped back. Any other
// MatMul (both operands run-time, as attention's Q K^T and its product with
// V, or a batched constant) is a circulant.matmul with ONNX's semantics: 1-D
// operands lifted to a matrix and the added dim dropped again, the batch
// dims broadcast numpy-style. Einsum in the form of a batched matrix
// product (MaxViT's attention) becomes Transposes and such a MatMul.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>

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

/// The terms of an Einsum equation with its spaces removed ("ab,bc->ac" ->
/// {"ab", "bc", "ac"}); empty unless it has an explicit output and each
/// term is distinct letters (no ellipsis, no repeated label).
static SmallVector<std::string, 3> einsumTerms(StringRef equation) {
  std::string compact;
  for (char c : equation)
    if (c != ' ')
      compact += c;
  auto [lhs, out] = StringRef(compact).split("->");
  if (out.size() == compact.size() - lhs.size() - 2 &&
      StringRef(compact).contains("->")) {
    SmallVector<StringRef, 2> operands;
    lhs.split(operands, ',');
    SmallVector<std::string, 3> terms;
    for (StringRef t : operands)
      terms.push_back(t.str());
    terms.push_back(out.str());
    for (const std::string &t : terms) {
      std::string sorted = t;
      llvm::sort(sorted);
      if (llvm::any_of(t, [](char c) { return !llvm::isAlpha(c); }) ||
          std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
        return {};
    }
    return terms;
  }
  return {};
}

/// Einsum (opset 12) of two operands that is a batched matrix product:
/// the same leading labels in both operands and the output, then
/// "ik,kj->ij" with either operand's last two labels swapped ("BGHID,BGHJD
/// ->BGHIJ" is A B^T). Imported as a Transpose of the last two axes of each
/// swapped operand and a MatMul (same node name, so errors name the Einsum).
bool Importer::importEinsum(const onnx::NodeProto &node) {
  std::string equation = getString(node, "equation", "");
  SmallVector<std::string, 3> t = einsumTerms(equation);
  const char *form = "only a product of two operands shaped like a batched "
                     "matrix product is supported (e.g. 'bij,bjk->bik', "
                     "either operand's last two labels swapped)";
  if (t.size() != 3 || node.input_size() != 2)
    return fail(node, "equation '" + equation + "': " + form);
  const std::string &a = t[0], &b = t[1], &out = t[2];
  size_t n = out.size();
  if (n < 2 || a.size() != n || b.size() != n ||
      a.compare(0, n - 2, out, 0, n - 2) ||
      b.compare(0, n - 2, out, 0, n - 2))
    return fail(node, "equation '" + equation + "': " + form);
  char i = out[n - 2], j = out[n - 1];
  bool swapA = a[n - 1] == i, swapB = b[n - 2] == j;
  char k = swapA ? a[n - 2] : a[n - 1];
  if ((swapA ? a[n - 1] : a[n - 2]) != i ||
      (swapB ? b[n - 1] : b[n - 2]) != k ||
      (swapB ? b[n - 2] : b[n - 1]) != j || out.find(k) != std::string::npos)
    return fail(node, "equation '" + equation + "': " + form);
  onnx::NodeProto matmul;
  matmul.set_name(node.name());
  matmul.set_op_type("MatMul");
  matmul.add_output(node.output(0));
  for (int operand = 0; operand < 2; ++operand) {
    if (!(operand ? swapB : swapA)) {
      matmul.add_input(node.input(operand));
      continue;
    }
    onnx::NodeProto transpose;
    transpose.set_name(node.name());
    transpose.set_op_type("Transpose");
    transpose.add_input(node.input(operand));
    std::string swapped =
        node.output(0) + "__einsum_transposed_" + std::to_string(operand);
    transpose.add_output(swapped);
    onnx::AttributeProto *perm = transpose.add_attribute();
    perm->set_name("perm");
    perm->set_type(onnx::AttributeProto::INTS);
    for (size_t d = 0; d < n; ++d)
      perm->add_ints(d + 2 < n ? d : 2 * n - 3 - d);
    if (!importTranspose(transpose))
      return false;
    matmul.add_input(swapped);
  }
  return importMatMul(matmul);
}

} // namespace rebocc::onnxfe
