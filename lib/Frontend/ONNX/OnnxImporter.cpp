//===- OnnxImporter.cpp - ONNX to the circulant dialect -------------------===//
//
// Walks the (topologically ordered) ONNX graph once. Every tensor name maps
// either to an SSA value (run-time data) or to a constant known at compile
// time (initializers, Constant nodes and anything computed only from them),
// because crossbar weights and reshape targets must be known before the
// accelerator runs. Layers come out dense (block_size = 1); block
// partitioning is a pass.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Frontend/ONNX/OnnxImporter.h"
#include "rebocc/Dialect/Circulant/CirculantOps.h"
#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Target/ProgramEmitter/ProgramEmitter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <cstring>

using namespace mlir;
using namespace rebocc;
using namespace rebocc::circulant;

namespace rebocc::onnxfe {

static const char *const kSupportedOps[] = {
    "Gemm",    "MatMul",  "Relu",     "Sigmoid", "Softmax", "Flatten",
    "Reshape", "Identity", "Constant", "Add",     "Mul"};

bool isSupportedOpType(const std::string &domain, const std::string &opType) {
  if (!domain.empty() && domain != "ai.onnx")
    return false;
  for (const char *op : kSupportedOps)
    if (opType == op)
      return true;
  return false;
}

namespace {

/// A tensor known at compile time. Values are kept as double so int64 shape
/// tensors and float data share one representation.
struct ConstTensor {
  std::vector<int64_t> shape;
  std::vector<double> data;
  bool isFloat = true;

  int64_t numElements() const {
    int64_t count = 1;
    for (int64_t dim : shape)
      count *= dim;
    return count;
  }
};

/// What an ONNX tensor name stands for.
struct Binding {
  Value value;                       // run-time data
  std::optional<ConstTensor> known;  // compile-time constant
};

class Importer {
public:
  Importer(MLIRContext &context, std::string fileName, int64_t opset)
      : context(context), builder(&context), fileName(std::move(fileName)),
        opset(opset) {}

  OwningOpRef<ModuleOp>
  import(const onnx::GraphProto &graph,
         const std::map<std::string, onnx::TensorProto> &frozen);
  const std::string &getError() const { return error; }

private:
  bool importInputs(const onnx::GraphProto &graph,
                    const std::map<std::string, onnx::TensorProto> &frozen,
                    SmallVectorImpl<Type> &types);
  bool importNode(const onnx::NodeProto &node);
  bool importGemm(const onnx::NodeProto &node);
  bool importMatMul(const onnx::NodeProto &node);
  bool importBinary(const onnx::NodeProto &node, bool isAdd);
  bool importUnary(const onnx::NodeProto &node);
  bool importSoftmax(const onnx::NodeProto &node);
  bool importFlatten(const onnx::NodeProto &node);
  bool importReshape(const onnx::NodeProto &node);
  bool importConstant(const onnx::NodeProto &node);
  bool importOutputs(const onnx::GraphProto &graph, func::FuncOp func);

  bool fail(const onnx::NodeProto &node, const Twine &message);
  bool fail(const Twine &message);
  const Binding *lookup(const onnx::NodeProto &node, int index);
  bool runtimeInput(const onnx::NodeProto &node, int index, Value &value);
  Value materialize(const ConstTensor &tensor, Location loc, StringRef name);
  bool bind(const onnx::NodeProto &node, Value value);
  bool bindConstant(const onnx::NodeProto &node, ConstTensor tensor);
  Location locFor(const onnx::NodeProto &node);
  std::string layerName(const onnx::NodeProto &node);
  bool createFullyConnected(const onnx::NodeProto &node, Value input,
                            std::vector<float> weight, std::vector<float> bias,
                            int64_t m, bool fromMatMul);
  Value reshapeTo(Value input, ArrayRef<int64_t> shape, Location loc);

  MLIRContext &context;
  OpBuilder builder;
  std::string fileName;
  int64_t opset;
  std::string error;
  llvm::StringMap<Binding> env;
  /// fc ops created from a MatMul, whose zero bias a following Add may
  /// fill, with the MatMul's output name.
  llvm::DenseMap<Operation *, std::string> biaslessFromMatMul;
  /// How many nodes and graph outputs read each tensor name.
  llvm::StringMap<int> consumers;
  llvm::StringSet<> usedLayerNames;
};

} // namespace

//===----------------------------------------------------------------------===//
// Tensor and attribute helpers
//===----------------------------------------------------------------------===//

static const char *dataTypeName(int type) {
  return onnx::TensorProto_DataType_IsValid(type)
             ? onnx::TensorProto_DataType_Name(
                   (onnx::TensorProto_DataType)type)
                   .c_str()
             : "unknown";
}

/// Copies a little-endian raw buffer of `count` elements of type T.
template <typename T>
static bool readRaw(const std::string &raw, int64_t count,
                    std::vector<double> &out) {
  if ((int64_t)raw.size() != count * (int64_t)sizeof(T))
    return false;
  out.resize(count);
  for (int64_t i = 0; i < count; ++i) {
    T value;
    std::memcpy(&value, raw.data() + i * sizeof(T), sizeof(T));
    out[i] = (double)value;
  }
  return true;
}

/// Decodes a TensorProto of a float or integer type. Fails with a reason.
static bool decodeTensor(const onnx::TensorProto &proto, ConstTensor &out,
                         std::string &reason) {
  out.shape.assign(proto.dims().begin(), proto.dims().end());
  int64_t count = 1;
  for (int64_t dim : out.shape) {
    if (dim < 0 || (dim > 0 && count > (int64_t(1) << 40) / dim)) {
      reason = "has an invalid or absurd shape";
      return false;
    }
    count *= dim;
  }
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    reason = "uses external data, which is not supported";
    return false;
  }
  const std::string &raw = proto.raw_data();
  bool hasRaw = proto.has_raw_data();
  bool ok = false;
  switch (proto.data_type()) {
  case onnx::TensorProto::FLOAT:
    out.isFloat = true;
    if (hasRaw)
      ok = readRaw<float>(raw, count, out.data);
    else if ((ok = proto.float_data_size() == count))
      out.data.assign(proto.float_data().begin(), proto.float_data().end());
    break;
  case onnx::TensorProto::DOUBLE:
    out.isFloat = true;
    if (hasRaw)
      ok = readRaw<double>(raw, count, out.data);
    else if ((ok = proto.double_data_size() == count))
      out.data.assign(proto.double_data().begin(), proto.double_data().end());
    break;
  case onnx::TensorProto::INT64:
    out.isFloat = false;
    if (hasRaw)
      ok = readRaw<int64_t>(raw, count, out.data);
    else if ((ok = proto.int64_data_size() == count))
      out.data.assign(proto.int64_data().begin(), proto.int64_data().end());
    break;
  case onnx::TensorProto::INT32:
    out.isFloat = false;
    if (hasRaw)
      ok = readRaw<int32_t>(raw, count, out.data);
    else if ((ok = proto.int32_data_size() == count))
      out.data.assign(proto.int32_data().begin(), proto.int32_data().end());
    break;
  default:
    reason = std::string("has element type ") + dataTypeName(proto.data_type()) +
             "; only float32 (and integer shape tensors) are supported";
    return false;
  }
  if (!ok)
    reason = "holds a number of values that does not match its shape";
  return ok;
}

static const onnx::AttributeProto *findAttr(const onnx::NodeProto &node,
                                            StringRef name) {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

static int64_t getInt(const onnx::NodeProto &node, StringRef name,
                      int64_t fallback) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->i() : fallback;
}

static float getFloat(const onnx::NodeProto &node, StringRef name,
                      float fallback) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->f() : fallback;
}

static RankedTensorType tensorType(ArrayRef<int64_t> shape, Builder &builder) {
  return RankedTensorType::get(shape, builder.getF32Type());
}

static ArrayRef<int64_t> shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

static std::vector<float> toFloats(const ConstTensor &tensor) {
  return std::vector<float>(tensor.data.begin(), tensor.data.end());
}

//===----------------------------------------------------------------------===//
// Bindings
//===----------------------------------------------------------------------===//

bool Importer::fail(const onnx::NodeProto &node, const Twine &message) {
  if (!error.empty())
    return false;
  // Unnamed nodes (common in exported models) are named by their output.
  std::string where =
      !node.name().empty() ? "node '" + node.name() + "'"
      : node.output_size() ? "node producing '" + node.output(0) + "'"
                           : std::string("unnamed node");
  error = (fileName + ": " + where + " (" + node.op_type() + "): " + message)
              .str();
  return false;
}

bool Importer::fail(const Twine &message) {
  if (error.empty())
    error = (fileName + ": " + message).str();
  return false;
}

Location Importer::locFor(const onnx::NodeProto &node) {
  StringRef name = node.output_size() ? StringRef(node.output(0))
                                      : StringRef(node.name());
  return NameLoc::get(builder.getStringAttr(name),
                      FileLineColLoc::get(&context, fileName, 0, 0));
}

/// Node names name layers in reports; unnamed nodes take their output name.
std::string Importer::layerName(const onnx::NodeProto &node) {
  std::string base = !node.name().empty() ? node.name()
                     : node.output_size() ? node.output(0)
                                          : node.op_type();
  std::string name = base;
  for (int suffix = 1; !usedLayerNames.insert(name).second; ++suffix)
    name = base + "_" + std::to_string(suffix);
  return name;
}

const Binding *Importer::lookup(const onnx::NodeProto &node, int index) {
  if (index >= node.input_size() || node.input(index).empty()) {
    fail(node, "missing input " + Twine(index));
    return nullptr;
  }
  auto it = env.find(node.input(index));
  if (it == env.end()) {
    fail(node, "input '" + node.input(index) +
                   "' is not produced by any earlier node, initializer or "
                   "graph input");
    return nullptr;
  }
  return &it->second;
}

Value Importer::materialize(const ConstTensor &tensor, Location loc,
                            StringRef name) {
  auto type = tensorType(tensor.shape, builder);
  ElementsAttr value = makeFloatAttr(type, toFloats(tensor), name);
  return ConstantOp::create(builder, loc, type, value);
}

/// The run-time value of input `index`; constants are materialized.
bool Importer::runtimeInput(const onnx::NodeProto &node, int index,
                            Value &value) {
  const Binding *binding = lookup(node, index);
  if (!binding)
    return false;
  if (binding->value) {
    value = binding->value;
    return true;
  }
  if (!binding->known->isFloat)
    return fail(node, "input '" + node.input(index) +
                          "' is an integer tensor; only float32 data is "
                          "supported");
  value = materialize(*binding->known, locFor(node), node.input(index));
  env[node.input(index)].value = value;
  return true;
}

bool Importer::bind(const onnx::NodeProto &node, Value value) {
  if (node.output_size() < 1)
    return fail(node, "has no output");
  env[node.output(0)] = Binding{value, std::nullopt};
  return true;
}

bool Importer::bindConstant(const onnx::NodeProto &node, ConstTensor tensor) {
  if (node.output_size() < 1)
    return fail(node, "has no output");
  env[node.output(0)] = Binding{Value(), std::move(tensor)};
  return true;
}

//===----------------------------------------------------------------------===//
// Fully connected layers
//===----------------------------------------------------------------------===//

static std::optional<std::vector<int64_t>> broadcast(ArrayRef<int64_t> a,
                                                     ArrayRef<int64_t> b);
static bool isPerOutputBias(const ConstTensor &c, int64_t m);

bool Importer::createFullyConnected(const onnx::NodeProto &node, Value input,
                                    std::vector<float> weight,
                                    std::vector<float> bias, int64_t m,
                                    bool fromMatMul) {
  ArrayRef<int64_t> inShape = shapeOf(input);
  int64_t n = inShape[1];
  if ((int64_t)weight.size() != m * n)
    return fail(node, "weight shape does not match the input features");
  std::string name = layerName(node);
  auto weightType = tensorType({m, n, 1}, builder);
  auto biasType = tensorType({m}, builder);
  auto resultType = tensorType({inShape[0], m}, builder);
  auto fc = FullyConnectedOp::create(
      builder, locFor(node), resultType, input, name, /*block_size=*/1,
      makeFloatAttr(weightType, weight, name + "_w"),
      makeFloatAttr(biasType, bias, name + "_b"), StringAttr(), IntegerAttr(),
      UnitAttr(), IntegerAttr());
  if (fromMatMul)
    biaslessFromMatMul[fc] = node.output(0);
  return bind(node, fc);
}

bool Importer::importGemm(const onnx::NodeProto &node) {
  Value a;
  if (!runtimeInput(node, 0, a))
    return false;
  const Binding *b = lookup(node, 1);
  if (!b)
    return false;
  if (!b->known)
    return fail(node, "B must be a constant (an initializer or Constant): "
                      "crossbar weights are programmed before the network "
                      "runs");
  if (getInt(node, "transA", 0) != 0)
    return fail(node, "transA = 1 needs a transpose of run-time data, which "
                      "is not supported");
  ArrayRef<int64_t> aShape = shapeOf(a);
  if (aShape.size() != 2 || b->known->shape.size() != 2)
    return fail(node, "A and B must be 2-D");
  bool transB = getInt(node, "transB", 0) != 0;
  int64_t k = aShape[1];
  int64_t bRows = b->known->shape[0], bCols = b->known->shape[1];
  int64_t m = transB ? bRows : bCols;
  if ((transB ? bCols : bRows) != k)
    return fail(node, "inner dimensions of A and B differ");
  float alpha = getFloat(node, "alpha", 1.0f);
  float beta = getFloat(node, "beta", 1.0f);
  // W[o][i] is the weight from input i to output o.
  std::vector<float> weight(m * k);
  for (int64_t o = 0; o < m; ++o)
    for (int64_t i = 0; i < k; ++i)
      weight[o * k + i] =
          alpha * (float)b->known->data[transB ? o * bCols + i : i * bCols + o];

  // C folds into the layer's bias when it is a constant per output (or a
  // scalar); otherwise it is added digitally after the layer.
  std::vector<float> bias(m, 0.0f);
  const Binding *c = nullptr;
  if (node.input_size() > 2 && !node.input(2).empty()) {
    if (!(c = lookup(node, 2)))
      return false;
    if (c->known) {
      const ConstTensor &ct = *c->known;
      int64_t count = ct.numElements();
      if (count == 1 || isPerOutputBias(ct, m)) {
        for (int64_t o = 0; o < m; ++o)
          bias[o] = beta * (float)ct.data[count == 1 ? 0 : o];
        c = nullptr;
      }
    }
  }
  if (!createFullyConnected(node, a, weight, bias, m, false))
    return false;
  if (!c)
    return true;
  Value product = env[node.output(0)].value;
  Value addend;
  if (!runtimeInput(node, 2, addend))
    return false;
  auto resultType = cast<RankedTensorType>(product.getType());
  std::optional<std::vector<int64_t>> sumShape =
      broadcast(resultType.getShape(), shapeOf(addend));
  if (!sumShape || ArrayRef<int64_t>(*sumShape) != resultType.getShape())
    return fail(node, "C does not broadcast to the result");
  if (beta != 1.0f) {
    Value betaValue = materialize(ConstTensor{{}, {beta}, true}, locFor(node),
                                  node.output(0) + "_beta");
    addend = MulOp::create(builder, locFor(node),
                           cast<RankedTensorType>(addend.getType()), addend,
                           betaValue);
  }
  auto sum = AddOp::create(builder, locFor(node), resultType, product, addend);
  return bind(node, sum);
}

bool Importer::importMatMul(const onnx::NodeProto &node) {
  Value a;
  if (!runtimeInput(node, 0, a))
    return false;
  const Binding *b = lookup(node, 1);
  if (!b)
    return false;
  if (!b->known)
    return fail(node, "the second operand must be a constant (an initializer "
                      "or Constant): crossbar weights are programmed before "
                      "the network runs");
  if (shapeOf(a).size() != 2 || b->known->shape.size() != 2)
    return fail(node, "only 2-D MatMul (batch x features) by a 2-D weight is "
                      "supported");
  int64_t n = shapeOf(a)[1];
  if (b->known->shape[0] != n)
    return fail(node, "inner dimensions differ");
  int64_t m = b->known->shape[1];
  std::vector<float> weight(m * n);
  for (int64_t o = 0; o < m; ++o)
    for (int64_t i = 0; i < n; ++i)
      weight[o * n + i] = (float)b->known->data[i * m + o];
  return createFullyConnected(node, a, weight, std::vector<float>(m, 0.0f), m,
                              true);
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

/// Numpy broadcasting; a dynamic (batch) dimension broadcasts with itself or 1.
static std::optional<std::vector<int64_t>>
broadcast(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  std::vector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == db || db == 1)
      result[i] = da;
    else if (da == 1)
      result[i] = db;
    else
      return std::nullopt;
  }
  return result;
}

/// Evaluates a broadcasting binary op on two constants.
static ConstTensor foldBinary(const ConstTensor &a, const ConstTensor &b,
                              const std::vector<int64_t> &shape, bool isAdd) {
  ConstTensor out;
  out.shape = shape;
  out.isFloat = a.isFloat || b.isFloat;
  int64_t count = out.numElements();
  out.data.resize(count);
  size_t rank = shape.size();
  auto indexInto = [&](const ConstTensor &t, int64_t flat) {
    int64_t index = 0, stride = 1;
    for (size_t d = rank; d-- > 0;) {
      int64_t coord = flat % shape[d];
      flat /= shape[d];
      size_t td = d + t.shape.size();
      if (td < rank)
        continue;
      td -= rank;
      if (t.shape[td] != 1)
        index += coord * stride;
      stride *= t.shape[td];
    }
    return index;
  };
  for (int64_t i = 0; i < count; ++i) {
    double x = a.data[indexInto(a, i)], y = b.data[indexInto(b, i)];
    out.data[i] = isAdd ? x + y : x * y;
  }
  return out;
}

/// A bias that an Add can fold into a preceding MatMul layer: a constant of
/// m elements shaped [m] or [1, m].
static bool isPerOutputBias(const ConstTensor &c, int64_t m) {
  return c.numElements() == m &&
         (c.shape.size() == 1 || (c.shape.size() == 2 && c.shape[0] == 1));
}

bool Importer::importBinary(const onnx::NodeProto &node, bool isAdd) {
  const Binding *lhs = lookup(node, 0);
  const Binding *rhs = lookup(node, 1);
  if (!lhs || !rhs)
    return false;
  std::vector<int64_t> lhsShape =
      lhs->known ? lhs->known->shape : std::vector<int64_t>(shapeOf(lhs->value));
  std::vector<int64_t> rhsShape =
      rhs->known ? rhs->known->shape : std::vector<int64_t>(shapeOf(rhs->value));
  std::optional<std::vector<int64_t>> shape = broadcast(lhsShape, rhsShape);
  if (!shape)
    return fail(node, "operand shapes do not broadcast");
  if (lhs->known && rhs->known)
    return bindConstant(node, foldBinary(*lhs->known, *rhs->known, *shape, isAdd));

  // MatMul followed by Add of a per-output constant is one layer with bias.
  const Binding *data = lhs->known ? rhs : lhs;
  const Binding *other = lhs->known ? lhs : rhs;
  Operation *producer = data->value.getDefiningOp();
  if (isAdd && other->known && producer &&
      biaslessFromMatMul.count(producer) &&
      consumers.lookup(biaslessFromMatMul[producer]) == 1) {
    auto fc = cast<FullyConnectedOp>(producer);
    if (isPerOutputBias(*other->known, fc.getOutFeatures()) &&
        ArrayRef<int64_t>(*shape) == shapeOf(fc.getOutput())) {
      auto biasType = tensorType({fc.getOutFeatures()}, builder);
      fc.setBiasAttr(makeFloatAttr(biasType, toFloats(*other->known),
                                   (fc.getName() + "_b").str()));
      biaslessFromMatMul.erase(producer);
      return bind(node, fc.getOutput());
    }
  }
  Value a, b;
  if (!runtimeInput(node, 0, a) || !runtimeInput(node, 1, b))
    return false;
  Type type = tensorType(*shape, builder);
  Value result = isAdd ? AddOp::create(builder, locFor(node), type, a, b)
                             .getResult()
                       : MulOp::create(builder, locFor(node), type, a, b)
                             .getResult();
  return bind(node, result);
}

bool Importer::importUnary(const onnx::NodeProto &node) {
  Value input;
  if (!runtimeInput(node, 0, input))
    return false;
  if (node.op_type() == "Relu")
    return bind(node, ReluOp::create(builder, locFor(node), input));
  return bind(node, SigmoidOp::create(builder, locFor(node), input));
}

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

Value Importer::reshapeTo(Value input, ArrayRef<int64_t> shape, Location loc) {
  return ReshapeOp::create(builder, loc, tensorType(shape, builder), input);
}

static int64_t product(ArrayRef<int64_t> dims) {
  int64_t result = 1;
  for (int64_t dim : dims)
    result = ShapedType::isDynamic(dim) || ShapedType::isDynamic(result)
                 ? ShapedType::kDynamic
                 : result * dim;
  return result;
}

bool Importer::importSoftmax(const onnx::NodeProto &node) {
  Value input;
  if (!runtimeInput(node, 0, input))
    return false;
  ArrayRef<int64_t> shape = shapeOf(input);
  int64_t rank = shape.size();
  int64_t axis = getInt(node, "axis", opset >= 13 ? -1 : 1);
  if (axis < -rank || axis >= rank)
    return fail(node, "axis " + Twine(axis) + " out of range");
  if (axis < 0)
    axis += rank;
  Location loc = locFor(node);
  if (opset >= 13 || axis == rank - 1)
    return bind(node, SoftmaxOp::create(builder, loc, input, axis));
  // Before opset 13, Softmax normalizes over all dimensions from axis on.
  int64_t inner = product(shape.drop_front(axis));
  if (ShapedType::isDynamic(inner))
    return fail(node, "cannot normalize over the batch dimension");
  Value flat =
      reshapeTo(input, {product(shape.take_front(axis)), inner}, loc);
  Value normalized = SoftmaxOp::create(builder, loc, flat, 1);
  return bind(node, reshapeTo(normalized, shape, loc));
}

bool Importer::importFlatten(const onnx::NodeProto &node) {
  const Binding *binding = lookup(node, 0);
  if (!binding)
    return false;
  std::vector<int64_t> shape =
      binding->known ? binding->known->shape
                     : std::vector<int64_t>(shapeOf(binding->value));
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
/// -1 is inferred) against `input`, whose leading dimension may be the
/// dynamic batch.
static std::optional<std::vector<int64_t>>
resolveReshape(ArrayRef<int64_t> input, const ConstTensor &target,
               bool allowZero, std::string &reason) {
  std::vector<int64_t> shape;
  int inferred = -1;
  for (size_t i = 0; i < target.data.size(); ++i) {
    int64_t dim = (int64_t)target.data[i];
    if (dim == 0 && !allowZero) {
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
  bool dynamic = !input.empty() && ShapedType::isDynamic(input[0]);
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
  int64_t known = 1;
  for (size_t i = dynamic ? 1 : 0; i < shape.size(); ++i)
    if ((int)i != inferred)
      known *= shape[i];
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
  const Binding *target = lookup(node, 1);
  if (!data || !target)
    return false;
  if (!target->known)
    return fail(node, "the target shape must be a constant");
  std::vector<int64_t> inShape = data->known
                                     ? data->known->shape
                                     : std::vector<int64_t>(shapeOf(data->value));
  std::string reason;
  std::optional<std::vector<int64_t>> shape = resolveReshape(
      inShape, *target->known, getInt(node, "allowzero", 0) != 0, reason);
  if (!shape)
    return fail(node, reason);
  if (data->known) {
    ConstTensor folded = *data->known;
    folded.shape = *shape;
    return bindConstant(node, folded);
  }
  return bind(node, reshapeTo(data->value, *shape, locFor(node)));
}

bool Importer::importConstant(const onnx::NodeProto &node) {
  ConstTensor tensor;
  if (const onnx::AttributeProto *value = findAttr(node, "value")) {
    std::string reason;
    if (!decodeTensor(value->t(), tensor, reason))
      return fail(node, "value " + reason);
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

//===----------------------------------------------------------------------===//
// Graph
//===----------------------------------------------------------------------===//

bool Importer::importNode(const onnx::NodeProto &node) {
  const std::string &op = node.op_type();
  if (op == "Gemm")
    return importGemm(node);
  if (op == "MatMul")
    return importMatMul(node);
  if (op == "Add" || op == "Mul")
    return importBinary(node, op == "Add");
  if (op == "Relu" || op == "Sigmoid")
    return importUnary(node);
  if (op == "Softmax")
    return importSoftmax(node);
  if (op == "Flatten")
    return importFlatten(node);
  if (op == "Reshape")
    return importReshape(node);
  if (op == "Constant")
    return importConstant(node);
  if (op == "Identity") {
    const Binding *input = lookup(node, 0);
    if (!input)
      return false;
    env[node.output(0)] = *input;
    return true;
  }
  return fail(node, "unsupported operator");
}

/// Converts a graph input's declared type; only the leading dimension may
/// be unknown (it is the run-time batch size).
static std::optional<std::vector<int64_t>>
inputShape(const onnx::ValueInfoProto &info, std::string &reason) {
  const onnx::TypeProto &type = info.type();
  if (!type.has_tensor_type()) {
    reason = "is not a tensor";
    return std::nullopt;
  }
  int elem = type.tensor_type().elem_type();
  if (elem != onnx::TensorProto::FLOAT) {
    reason = std::string("has element type ") + dataTypeName(elem) +
             "; only float32 inputs are supported";
    return std::nullopt;
  }
  if (!type.tensor_type().has_shape()) {
    reason = "has no shape";
    return std::nullopt;
  }
  std::vector<int64_t> shape;
  for (const auto &dim : type.tensor_type().shape().dim()) {
    bool known = dim.has_dim_value() && dim.dim_value() > 0;
    if (!known && !shape.empty()) {
      reason = "has an unknown dimension other than the leading (batch) one";
      return std::nullopt;
    }
    if (known && dim.dim_value() > (int64_t(1) << 31)) {
      reason = "has an absurd dimension " + std::to_string(dim.dim_value());
      return std::nullopt;
    }
    shape.push_back(known ? dim.dim_value() : ShapedType::kDynamic);
  }
  return shape;
}

bool Importer::importInputs(
    const onnx::GraphProto &graph,
    const std::map<std::string, onnx::TensorProto> &frozen,
    SmallVectorImpl<Type> &types) {
  for (const onnx::TensorProto &init : graph.initializer()) {
    ConstTensor tensor;
    std::string reason;
    if (!decodeTensor(init, tensor, reason))
      return fail("initializer '" + init.name() + "' " + reason);
    env[init.name()] = Binding{Value(), std::move(tensor)};
  }
  for (const auto &[name, proto] : frozen) {
    ConstTensor tensor;
    std::string reason;
    if (!decodeTensor(proto, tensor, reason))
      return fail("frozen input '" + name + "' " + reason);
    env[name] = Binding{Value(), std::move(tensor)};
  }
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (env.count(input.name()))
      continue; // An initializer (or frozen input) with a declared type.
    std::string reason;
    std::optional<std::vector<int64_t>> shape = inputShape(input, reason);
    if (!shape)
      return fail("graph input '" + input.name() + "' " + reason);
    types.push_back(tensorType(*shape, builder));
  }
  return true;
}

bool Importer::importOutputs(const onnx::GraphProto &graph,
                             func::FuncOp func) {
  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    auto it = env.find(output.name());
    if (it == env.end())
      return fail("graph output '" + output.name() + "' is never produced");
    Binding &binding = it->second;
    if (!binding.value) {
      if (!binding.known->isFloat)
        return fail("graph output '" + output.name() +
                    "' is an integer tensor; only float32 is supported");
      binding.value = materialize(*binding.known,
                                  NameLoc::get(builder.getStringAttr(output.name())),
                                  output.name());
    }
    results.push_back(binding.value);
  }
  if (results.empty())
    return fail("the graph has no outputs");
  func::ReturnOp::create(builder, func.getLoc(), results);
  func.setType(builder.getFunctionType(func.getArgumentTypes(),
                                       ValueRange(results).getTypes()));
  for (auto [index, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(index, kTensorNameAttr,
                       builder.getStringAttr(output.name()));
  return true;
}

/// One diagnostic listing every unsupported operator type with its nodes.
static std::string listUnsupported(const onnx::GraphProto &graph) {
  // Operator types in order of first appearance, each with its nodes.
  std::vector<std::pair<std::string, std::vector<std::string>>> unsupported;
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    if (isSupportedOpType(node.domain(), node.op_type()))
      continue;
    std::string type = node.domain().empty() || node.domain() == "ai.onnx"
                           ? node.op_type()
                           : node.domain() + "." + node.op_type();
    auto it = llvm::find_if(unsupported,
                            [&](const auto &entry) { return entry.first == type; });
    if (it == unsupported.end())
      it = unsupported.insert(unsupported.end(), {type, {}});
    it->second.push_back(node.name().empty() ? "#" + std::to_string(index)
                                             : node.name());
  }
  std::string message;
  for (auto &[type, nodes] : unsupported) {
    message += message.empty() ? "" : "; ";
    message += type + " (";
    for (size_t i = 0; i < nodes.size(); ++i)
      message += (i ? ", " : "") + nodes[i];
    message += ")";
  }
  return message;
}

OwningOpRef<ModuleOp>
Importer::import(const onnx::GraphProto &graph,
                 const std::map<std::string, onnx::TensorProto> &frozen) {
  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &input : node.input())
      ++consumers[input];
  for (const onnx::ValueInfoProto &output : graph.output())
    ++consumers[output.name()];
  std::string unsupported = listUnsupported(graph);
  if (!unsupported.empty()) {
    fail("unsupported ONNX operators: " + unsupported);
    return nullptr;
  }
  Location fileLoc = FileLineColLoc::get(&context, fileName, 0, 0);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  SmallVector<Type> inputTypes;
  if (!importInputs(graph, frozen, inputTypes))
    return nullptr;
  auto func = func::FuncOp::create(builder, fileLoc, "main",
                                   builder.getFunctionType(inputTypes, {}));
  Block *entry = func.addEntryBlock();
  unsigned argIndex = 0;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (env.count(input.name()))
      continue;
    env[input.name()] = Binding{entry->getArgument(argIndex), std::nullopt};
    func.setArgAttr(argIndex++, kTensorNameAttr,
                    builder.getStringAttr(input.name()));
  }
  builder.setInsertionPointToStart(entry);
  for (const onnx::NodeProto &node : graph.node())
    if (!importNode(node))
      return nullptr;
  if (!importOutputs(graph, func))
    return nullptr;
  if (failed(module->verify())) {
    fail("the imported module does not verify (see the diagnostics above)");
    return nullptr;
  }
  return module;
}

/// The default-domain opset the model imports (ONNX's default is 1).
static int64_t defaultOpset(const onnx::ModelProto &model) {
  for (const onnx::OperatorSetIdProto &id : model.opset_import())
    if (id.domain().empty() || id.domain() == "ai.onnx")
      return id.version();
  return 1;
}

OwningOpRef<ModuleOp>
importModel(const onnx::ModelProto &model, MLIRContext &context,
            const std::string &fileName,
            const std::map<std::string, onnx::TensorProto> &frozenInputs,
            std::string &error) {
  context.loadDialect<CirculantDialect, func::FuncDialect>();
  Importer importer(context, fileName, defaultOpset(model));
  OwningOpRef<ModuleOp> module = importer.import(model.graph(), frozenInputs);
  if (!module)
    error = importer.getError();
  return module;
}

} // namespace rebocc::onnxfe
