//===- ImportHelpers.cpp - ONNX tensors and attributes -------------------===//
//
// Decoding initializers into ConstTensor, reading node attributes, and the
// small shape helpers every importer file uses (declared in Importer.h).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "rebocc/Support/TensorIO.h"

#include "llvm/ADT/bit.h"
#include "llvm/Support/Endian.h"

#include <cmath>

using namespace mlir;
using namespace rebocc;

namespace rebocc::onnxfe {

bool decodeTensor(const onnx::TensorProto &proto, ConstTensor &out,
                  std::string &reason, bool withValues,
                  std::optional<uint64_t> rawDataSize) {
  TensorProtoValues values;
  if (!decodeTensorProto(proto, values, reason, withValues, rawDataSize))
    return false;
  out.shape = std::move(values.shape);
  out.isFloat = values.isFloat();
  out.dataType = proto.data_type();
  if (out.isFloat)
    out.data = std::move(values.reals);
  else if (out.dataType == onnx::TensorProto::UINT64) // kept as its bits
    for (int64_t bits : values.integers)
      out.data.push_back(static_cast<double>(static_cast<uint64_t>(bits)));
  else
    out.data.assign(values.integers.begin(), values.integers.end());
  return true;
}

void ConstTensor::roundToFloat32() {
  for (double &value : data)
    value = (double)(float)value;
}

bool ConstTensor::hasBatchSentinel() const {
  return !isFloat && llvm::any_of(data, [](double value) {
           return batchMultiple(value).has_value();
         });
}

const onnx::AttributeProto *findAttr(const onnx::NodeProto &node,
                                     StringRef name) {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

int64_t getInt(const onnx::NodeProto &node, StringRef name, int64_t fallback) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->i() : fallback;
}

float getFloat(const onnx::NodeProto &node, StringRef name, float fallback) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->f() : fallback;
}

std::string getString(const onnx::NodeProto &node, StringRef name,
                      StringRef fallback) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->s() : fallback.str();
}

std::optional<std::vector<int64_t>> getInts(const onnx::NodeProto &node,
                                            StringRef name) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  if (!attr)
    return std::nullopt;
  return std::vector<int64_t>(attr->ints().begin(), attr->ints().end());
}

RankedTensorType tensorType(ArrayRef<int64_t> shape, Builder &builder) {
  return RankedTensorType::get(shape, builder.getF32Type());
}

ArrayRef<int64_t> shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

ConstTensor constAlongAxis(ArrayRef<double> values, int64_t axis,
                           int64_t rank) {
  ConstTensor t;
  t.data.assign(values.begin(), values.end());
  if (values.size() != 1) {
    t.shape.assign(rank - axis, 1);
    t.shape[0] = values.size();
  }
  return t;
}

std::vector<float> toFloats(const ConstTensor &tensor) {
  return std::vector<float>(tensor.data.begin(), tensor.data.end());
}

bool hasExactReciprocal(double divisor) {
  // The divisor as it runs: float32 (a double constant rounds on
  // materializing).
  float d = static_cast<float>(divisor);
  if (d == 0 || !std::isfinite(d))
    return false;
  int exponent;
  float mantissa = std::frexp(d, &exponent); // |d| = |mantissa| * 2^exponent
  // |d| = 2^(exponent - 1); its reciprocal 2^(1 - exponent) is a float32
  // (normal or subnormal) unless it passes FLT_MAX: d >= 2^-127.
  return std::fabs(mantissa) == 0.5f && exponent - 1 >= -127;
}

int64_t product(ArrayRef<int64_t> dims) {
  int64_t result = 1;
  for (int64_t dim : dims)
    result = ShapedType::isDynamic(dim) || ShapedType::isDynamic(result)
                 ? ShapedType::kDynamic
                 : result * dim;
  return result;
}

int64_t toInt(double value) {
  if (std::isnan(value))
    return 0;
  if (value >= 9.2233720368547758e18)
    return INT64_MAX;
  if (value <= -9.2233720368547758e18)
    return INT64_MIN;
  return (int64_t)value;
}

bool normalizeAxis(int64_t &axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return false;
  if (axis < 0)
    axis += rank;
  return true;
}

} // namespace rebocc::onnxfe
