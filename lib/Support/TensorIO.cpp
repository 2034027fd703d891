//===- TensorIO.cpp - ONNX TensorProto decoding and files -----------------===//

#include "rebocc/Support/TensorIO.h"
#include "rebocc/Support/CastTypes.h"
#include "rebocc/Support/FileIO.h"
#include "rebocc/Support/HalfFloat.h"
#include "rebocc/Support/NarrowTypes.h"
#include "rebocc/Support/Shapes.h"

#include "onnx/onnx_pb.h"

#include "llvm/ADT/bit.h"

#include <cassert>
#include <cctype>
#include <cstdio>
#include <cstring>

namespace rebocc {

static_assert(kFloatDataType == onnx::TensorProto::FLOAT);
static_assert(kUint8DataType == onnx::TensorProto::UINT8);
static_assert(kInt8DataType == onnx::TensorProto::INT8);
static_assert(kInt32DataType == onnx::TensorProto::INT32);
static_assert(kInt64DataType == onnx::TensorProto::INT64);
static_assert(kBoolDataType == onnx::TensorProto::BOOL);

namespace {

const char *typeName(int type) {
  switch (type) {
  case onnx::TensorProto::UNDEFINED: return "UNDEFINED";
  case onnx::TensorProto::FLOAT: return "FLOAT";
  case onnx::TensorProto::UINT8: return "UINT8";
  case onnx::TensorProto::INT8: return "INT8";
  case onnx::TensorProto::UINT16: return "UINT16";
  case onnx::TensorProto::INT16: return "INT16";
  case onnx::TensorProto::INT32: return "INT32";
  case onnx::TensorProto::INT64: return "INT64";
  case onnx::TensorProto::STRING: return "STRING";
  case onnx::TensorProto::BOOL: return "BOOL";
  case onnx::TensorProto::FLOAT16: return "FLOAT16";
  case onnx::TensorProto::DOUBLE: return "DOUBLE";
  case onnx::TensorProto::UINT32: return "UINT32";
  case onnx::TensorProto::UINT64: return "UINT64";
  case onnx::TensorProto::BFLOAT16: return "BFLOAT16";
  default: {
    const char *narrow = support::narrowTypeName(type);
    return narrow ? narrow : "unsupported";
  }
  }
}

std::string unsupportedType(int type, const char *supported) {
  return std::string("data type ") + typeName(type) + " (" +
         std::to_string(type) + ") is not supported (" + supported + " are)";
}

/// Bytes per raw element; 0 for a type the decoder does not read.
int elementSize(int type) {
  switch (type) {
  case onnx::TensorProto::BOOL:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8: return 1;
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16: return 2;
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::UINT32: return 4;
  case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::UINT64: return 8;
  default: return 0;
  }
}

/// Little-endian decode of one raw element of `size` bytes.
uint64_t loadLE(const unsigned char *p, int size) {
  uint64_t v = 0;
  for (int b = 0; b < size; ++b)
    v |= uint64_t(p[b]) << (8 * b);
  return v;
}

double rawReal(const unsigned char *p, int type) {
  if (type == onnx::TensorProto::FLOAT) {
    uint32_t bits = static_cast<uint32_t>(loadLE(p, 4));
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  uint64_t bits = loadLE(p, 8);
  double d;
  std::memcpy(&d, &bits, 8);
  return d;
}

int64_t rawInteger(const unsigned char *p, int type) {
  switch (type) {
  case onnx::TensorProto::INT8: return static_cast<int8_t>(p[0]);
  case onnx::TensorProto::BOOL:
  case onnx::TensorProto::UINT8: return p[0];
  case onnx::TensorProto::INT16:
    return static_cast<int16_t>(static_cast<uint16_t>(loadLE(p, 2)));
  case onnx::TensorProto::UINT16: return static_cast<int64_t>(loadLE(p, 2));
  case onnx::TensorProto::INT32:
    return static_cast<int32_t>(static_cast<uint32_t>(loadLE(p, 4)));
  case onnx::TensorProto::UINT32: return static_cast<int64_t>(loadLE(p, 4));
  default: // INT64, and UINT64 as its bits (integerAsFloat reads them)
    return static_cast<int64_t>(loadLE(p, 8));
  }
}

/// The number of values in the typed repeated field of `type`.
uint64_t typedCount(const onnx::TensorProto &proto, int type) {
  switch (type) {
  case onnx::TensorProto::FLOAT: return proto.float_data_size();
  case onnx::TensorProto::DOUBLE: return proto.double_data_size();
  case onnx::TensorProto::INT64: return proto.int64_data_size();
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64: return proto.uint64_data_size();
  default: return proto.int32_data_size(); // INT32 and the small integers
  }
}

void copyTyped(const onnx::TensorProto &proto, TensorProtoValues &out) {
  switch (out.dataType) {
  case onnx::TensorProto::FLOAT:
    out.reals.assign(proto.float_data().begin(), proto.float_data().end());
    break;
  case onnx::TensorProto::DOUBLE:
    out.reals.assign(proto.double_data().begin(), proto.double_data().end());
    break;
  case onnx::TensorProto::INT64:
    out.integers.assign(proto.int64_data().begin(), proto.int64_data().end());
    break;
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
    out.integers.assign(proto.uint64_data().begin(), proto.uint64_data().end());
    break;
  default:
    out.integers.assign(proto.int32_data().begin(), proto.int32_data().end());
    break;
  }
}

void copyRaw(const std::string &raw, TensorProtoValues &out) {
  int size = elementSize(out.dataType);
  const auto *p = reinterpret_cast<const unsigned char *>(raw.data());
  size_t count = raw.size() / size;
  if (out.isFloat()) {
    out.reals.resize(count);
    for (size_t e = 0; e < count; ++e)
      out.reals[e] = rawReal(p + e * size, out.dataType);
  } else {
    out.integers.resize(count);
    for (size_t e = 0; e < count; ++e)
      out.integers[e] = rawInteger(p + e * size, out.dataType);
  }
}

/// The range of one int32_data entry of the small integer `type`, false
/// for the other types (whose int32_data holds any int32).
bool int32DataRange(int type, int64_t &lo, int64_t &hi) {
  switch (type) {
  case onnx::TensorProto::INT8: lo = -128, hi = 127; return true;
  case onnx::TensorProto::UINT8: lo = 0, hi = 255; return true;
  case onnx::TensorProto::INT16: lo = -32768, hi = 32767; return true;
  case onnx::TensorProto::UINT16: lo = 0, hi = 65535; return true;
  default: return false;
  }
}

/// An int32_data entry outside its small integer type's range, or "".
std::string checkInt32Data(const onnx::TensorProto &proto, int type) {
  int64_t lo, hi;
  if (proto.has_raw_data() || !int32DataRange(type, lo, hi))
    return "";
  for (int e = 0; e < proto.int32_data_size(); ++e)
    if (proto.int32_data(e) < lo || proto.int32_data(e) > hi)
      return "int32_data element " + std::to_string(e) + " (" +
             std::to_string(proto.int32_data(e)) + ") is out of the range of " +
             typeName(type) + " (" + std::to_string(lo) + " to " +
             std::to_string(hi) + ")";
  return "";
}

/// The shape of `proto` into out.shape and its byte size at `elementSize`
/// bytes an element, with overflow checks, before anything proportional to
/// it is allocated; nullopt (and `error`) for a negative dimension or a
/// size past 64 bits.
std::optional<int64_t> readShape(const onnx::TensorProto &proto,
                                 int64_t elementSize, TensorProtoValues &out,
                                 std::string &error) {
  for (int d = 0; d < proto.dims_size(); ++d) {
    int64_t dim = proto.dims(d);
    if (dim < 0) {
      error = "negative dimension " + std::to_string(dim) + " at index " +
              std::to_string(d);
      return std::nullopt;
    }
    out.shape.push_back(dim);
  }
  std::optional<int64_t> bytes =
      support::checkedByteSize(out.shape, elementSize);
  if (!bytes)
    error = "shape " + support::shapeToString(out.shape) + " of " +
            typeName(out.dataType) + ": element count overflows a 64-bit size";
  return bytes;
}

/// Decodes INT4, UINT4 (packed two a byte) and the float8 types (a byte
/// each): raw_data of those bytes, or int32_data holding one byte each
/// (onnx.proto). As decodeTensorProto.
bool decodeNarrow(const onnx::TensorProto &proto, TensorProtoValues &out,
                  std::string &error, bool withValues,
                  std::optional<uint64_t> rawDataSize) {
  auto fail = [&](const std::string &msg) {
    error = msg;
    return false;
  };
  out.dataType = proto.data_type();
  std::optional<int64_t> count = readShape(proto, 1, out, error);
  if (!count)
    return false;
  bool fourBit = support::isFourBitType(out.dataType);
  uint64_t bytes = fourBit ? (uint64_t(*count) + 1) / 2 : uint64_t(*count);
  const char *per = fourBit ? " (two 4-bit values a byte)" : " (a byte each)";
  bool raw = proto.has_raw_data() || rawDataSize;
  uint64_t stored = rawDataSize ? *rawDataSize
                    : raw       ? proto.raw_data().size()
                                : (uint64_t)proto.int32_data_size();
  if (stored != bytes)
    return fail(std::string(raw ? "raw_data holds " : "int32_data holds ") +
                std::to_string(stored) + " bytes but shape " +
                support::shapeToString(out.shape) + " of " +
                typeName(out.dataType) + " needs " + std::to_string(bytes) +
                per);
  // An int32_data entry is one byte, as its bits or sign-extended.
  std::string packed;
  if (!raw) {
    packed.resize(bytes);
    for (uint64_t b = 0; b < bytes; ++b) {
      int32_t v = proto.int32_data((int)b);
      if (v < -128 || v > 255)
        return fail("int32_data element " + std::to_string(b) + " (" +
                    std::to_string(v) + ") is not one byte of " +
                    typeName(out.dataType) + per);
      packed[b] = (char)(uint8_t)v;
    }
  }
  if (!withValues)
    return true;
  const auto *p = reinterpret_cast<const unsigned char *>(
      raw ? proto.raw_data().data() : packed.data());
  if (fourBit) {
    out.integers.resize(*count);
    for (int64_t e = 0; e < *count; ++e)
      out.integers[e] = support::unpackFourBit(p, e, out.dataType);
  } else {
    out.reals.resize(*count);
    for (int64_t e = 0; e < *count; ++e)
      out.reals[e] = support::float8ToFloat(p[e], out.dataType);
  }
  return true;
}

/// The FLOAT, DOUBLE, half, BOOL and integer tensors a tensor file may hold.
bool isFileType(int type) {
  return elementSize(type) != 0 || support::isHalfType(type);
}

} // namespace

bool TensorProtoValues::isFloat() const {
  return dataType == onnx::TensorProto::FLOAT ||
         dataType == onnx::TensorProto::DOUBLE ||
         support::isFloat8Type(dataType);
}

bool decodeTensorProto(const onnx::TensorProto &proto, TensorProtoValues &out,
                       std::string &error, bool withValues,
                       std::optional<uint64_t> rawDataSize) {
  auto fail = [&](const std::string &msg) {
    error = msg;
    return false;
  };
  out = TensorProtoValues();
  if (proto.data_location() == onnx::TensorProto::EXTERNAL ||
      proto.external_data_size() > 0)
    return fail("external data is not supported");
  if (proto.has_segment())
    return fail("segmented tensors are not supported");
  if (support::isHalfType(proto.data_type()) && rawDataSize) {
    // raw_data left in the file (OnnxLoader): only its size is checked now,
    // as the float32 tensor it widens to when it is read.
    if (*rawDataSize % 2 != 0)
      return fail("raw_data of " + std::to_string(*rawDataSize) +
                  " bytes is not a whole number of 2-byte values");
    onnx::TensorProto shapeOnly;
    shapeOnly.set_data_type(onnx::TensorProto::FLOAT);
    *shapeOnly.mutable_dims() = proto.dims();
    return decodeTensorProto(shapeOnly, out, error, withValues,
                             *rawDataSize / 2 * 4);
  }
  if (onnx::TensorProto wide; support::isHalfType(proto.data_type()))
    return support::widenHalfTensorProto(proto, wide, error) &&
           decodeTensorProto(wide, out, error, withValues);
  if (support::isFourBitType(proto.data_type()) ||
      support::isFloat8Type(proto.data_type()))
    return decodeNarrow(proto, out, error, withValues, rawDataSize);
  out.dataType = proto.data_type();
  int size = elementSize(out.dataType);
  if (size == 0)
    return fail(unsupportedType(out.dataType,
                                "FLOAT, DOUBLE, BOOL, INT4 ... UINT64, "
                                "float8"));

  // Element count and byte size with overflow checks; they must match the
  // stored data before anything proportional to them is allocated.
  std::optional<int64_t> bytes = readShape(proto, size, out, error);
  if (!bytes)
    return false;
  uint64_t count = uint64_t(*bytes) / size;

  assert((!rawDataSize || !withValues) && "the values are not in the proto");
  bool raw = proto.has_raw_data() || rawDataSize;
  uint64_t rawSize = rawDataSize ? *rawDataSize : proto.raw_data().size();
  uint64_t stored;
  if (raw) {
    if (rawSize != uint64_t(*bytes))
      return fail("raw_data holds " + std::to_string(rawSize) +
                  " bytes but shape " + support::shapeToString(out.shape) +
                  " of " + typeName(out.dataType) + " needs " +
                  std::to_string(*bytes));
    stored = count;
  } else {
    stored = typedCount(proto, out.dataType);
  }
  if (stored != count)
    return fail("shape has " + std::to_string(count) + " elements but " +
                std::to_string(stored) + " are stored");
  if (std::string bad = checkInt32Data(proto, out.dataType); !bad.empty())
    return fail(bad);
  if (!withValues)
    return true;
  if (raw)
    copyRaw(proto.raw_data(), out);
  else
    copyTyped(proto, out);
  return true;
}

bool integerAsFloat(int64_t stored, int dataType, float &value) {
  constexpr uint64_t kExact = uint64_t(1) << 24;
  bool negative = dataType != onnx::TensorProto::UINT64 && stored < 0;
  uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(stored) : static_cast<uint64_t>(stored);
  if (magnitude > kExact)
    return false;
  value = negative ? -static_cast<float>(magnitude) : static_cast<float>(magnitude);
  return true;
}

bool integersAsFloat(const std::vector<int64_t> &stored, int dataType,
                     std::vector<float> &values, std::string &error) {
  values.resize(stored.size());
  for (size_t e = 0; e < stored.size(); ++e)
    if (!integerAsFloat(stored[e], dataType, values[e])) {
      error = "element " + std::to_string(e) + " (" +
              (dataType == onnx::TensorProto::UINT64
                   ? std::to_string(uint64_t(stored[e]))
                   : std::to_string(stored[e])) +
              ") of " + typeName(dataType) +
              " is beyond 2^24 in magnitude, which float32 does not hold "
              "exactly";
      return false;
    }
  return true;
}

bool doublesAsFloat(const std::vector<double> &stored,
                    std::vector<float> &values, std::string &error) {
  values.resize(stored.size());
  for (size_t e = 0; e < stored.size(); ++e) {
    values[e] = static_cast<float>(stored[e]);
    // Bit for bit, so a NaN payload float32 drops counts as rounded too.
    double back = values[e];
    if (std::memcmp(&back, &stored[e], sizeof(double)) != 0) {
      char text[40];
      std::snprintf(text, sizeof text, "%.17g", stored[e]);
      error = "element " + std::to_string(e) + " (" + text +
              ") of DOUBLE is not a float32 value: rebocc carries DOUBLE "
              "data as float32, which would round it";
      return false;
    }
  }
  return true;
}

std::string tensorTypeName(int dataType) {
  std::string name = typeName(dataType);
  for (char &c : name)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return "tensor(" + name + ")";
}

bool parseTensorProto(const std::string &bytes, const std::string &fileName,
                      support::Tensor &tensor, std::string &name,
                      std::string &error, int *dataType) {
  onnx::TensorProto proto;
  if (!proto.ParseFromString(bytes)) {
    error = fileName + ": not a valid ONNX TensorProto (truncated or corrupt, " +
            std::to_string(bytes.size()) + " bytes)";
    return false;
  }
  auto fail = [&](const std::string &msg) {
    error = fileName + ": tensor '" + proto.name() + "': " + msg;
    return false;
  };
  // The interpreter computes in float: of the small integer types only the
  // 8-bit ones (quantized data) and booleans (a flag) are network inputs.
  if (!isFileType(proto.data_type()))
    return fail(unsupportedType(proto.data_type(),
                                "FLOAT, DOUBLE, BOOL, INT8 ... UINT64"));
  TensorProtoValues values;
  std::string problem;
  if (!decodeTensorProto(proto, values, problem))
    return fail(problem);
  tensor.shape = std::move(values.shape);
  if (values.dataType == onnx::TensorProto::DOUBLE) {
    // Run as float32 too: a double it would round is an error.
    if (!doublesAsFloat(values.reals, tensor.data, problem))
      return fail(problem);
  } else if (values.isFloat()) {
    tensor.data.assign(values.reals.begin(), values.reals.end());
  } else {
    // Integers run as float32: one it would round is an error, never a
    // silently different value.
    std::string problem;
    if (!integersAsFloat(values.integers, values.dataType, tensor.data,
                         problem))
      return fail(problem);
  }
  name = proto.name();
  if (dataType)
    *dataType = proto.data_type();
  return true;
}

bool readTensorProto(const std::string &path, support::Tensor &tensor,
                     std::string &name, std::string &error, int *dataType) {
  std::string bytes;
  if (!readFileBytes(path, bytes, error))
    return false;
  return parseTensorProto(bytes, path, tensor, name, error, dataType);
}

bool encodeTensorValues(const support::Tensor &tensor, const std::string &name,
                        const std::string &dtype, std::string &raw,
                        int &dataType, std::string &error) {
  uint64_t count = 1;
  for (int64_t dim : tensor.shape) {
    if (dim < 0) {
      error = "tensor '" + name + "': negative dimension";
      return false;
    }
    count *= uint64_t(dim);
  }
  if (count != tensor.data.size()) {
    error = "tensor '" + name + "': shape has " + std::to_string(count) +
            " elements but data has " + std::to_string(tensor.data.size());
    return false;
  }
  raw.clear();
  if (dtype.empty()) {
    dataType = onnx::TensorProto::FLOAT;
    appendFloatsLE(raw, tensor.data.data(), tensor.data.size());
    return true;
  }
  if (dtype == "bool") {
    dataType = onnx::TensorProto::BOOL;
    for (size_t e = 0; e < tensor.data.size(); ++e) {
      if (tensor.data[e] != 0.0f && tensor.data[e] != 1.0f) {
        error = "tensor '" + name + "': element " + std::to_string(e) + " (" +
                std::to_string(tensor.data[e]) + ") is not a boolean (0 or 1)";
        return false;
      }
      raw.push_back(tensor.data[e] != 0.0f ? 1 : 0);
    }
    return true;
  }
  if (dtype == "float64") {
    // float32 values widened exactly (double holds every float).
    dataType = onnx::TensorProto::DOUBLE;
    for (float value : tensor.data) {
      uint64_t bits = llvm::bit_cast<uint64_t>(static_cast<double>(value));
      for (int b = 0; b < 8; ++b)
        raw.push_back(static_cast<char>((bits >> (8 * b)) & 0xff));
    }
    return true;
  }
  std::optional<support::CastType> type = support::castTypeNamed(dtype);
  if (!type) {
    error = "tensor '" + name + "': unknown element type '" + dtype + "'";
    return false;
  }
  dataType = support::onnxDataTypeOf(*type);
  for (size_t e = 0; e < tensor.data.size(); ++e)
    if (!support::appendAsCastType(raw, tensor.data[e], *type)) {
      error = "tensor '" + name + "': element " + std::to_string(e) + " (" +
              std::to_string(tensor.data[e]) + ") is not a value of type " +
              dtype;
      return false;
    }
  return true;
}

bool serializeTensorProto(const support::Tensor &tensor,
                          const std::string &name, std::string &bytes,
                          std::string &error, const std::string &dtype) {
  std::string raw;
  int dataType = 0;
  if (!encodeTensorValues(tensor, name, dtype, raw, dataType, error))
    return false;
  onnx::TensorProto proto;
  proto.set_name(name);
  proto.set_data_type(dataType);
  for (int64_t dim : tensor.shape)
    proto.add_dims(dim);
  proto.set_raw_data(std::move(raw));
  if (!proto.SerializeToString(&bytes)) {
    error = "tensor '" + name + "': cannot serialize (larger than 2 GB?)";
    return false;
  }
  return true;
}

bool writeTensorProto(const std::string &path, const support::Tensor &tensor,
                      const std::string &name, std::string &error,
                      const std::string &dtype) {
  std::string bytes;
  if (!serializeTensorProto(tensor, name, bytes, error, dtype)) {
    error = path + ": " + error;
    return false;
  }
  return writeFileBytes(path, bytes, error);
}

} // namespace rebocc
