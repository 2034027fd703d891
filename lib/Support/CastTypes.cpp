//===- CastTypes.cpp - ONNX Cast of float32 data to other types ----------===//

#include "rebocc/Support/CastTypes.h"

#include "rebocc/Support/HalfFloat.h"

#include "onnx/onnx_pb.h"

#include "llvm/ADT/bit.h"

#include <cmath>
#include <cstdint>

namespace rebocc::support {

namespace {

struct Entry {
  CastType type;
  const char *name;
  int onnx;
};

constexpr Entry kEntries[] = {
    {CastType::Int8, "int8", onnx::TensorProto::INT8},
    {CastType::UInt8, "uint8", onnx::TensorProto::UINT8},
    {CastType::Int16, "int16", onnx::TensorProto::INT16},
    {CastType::UInt16, "uint16", onnx::TensorProto::UINT16},
    {CastType::Int32, "int32", onnx::TensorProto::INT32},
    {CastType::UInt32, "uint32", onnx::TensorProto::UINT32},
    {CastType::Int64, "int64", onnx::TensorProto::INT64},
    {CastType::UInt64, "uint64", onnx::TensorProto::UINT64},
    {CastType::Float16, "float16", onnx::TensorProto::FLOAT16},
    {CastType::BFloat16, "bfloat16", onnx::TensorProto::BFLOAT16},
};

const Entry &entryOf(CastType type) {
  return kEntries[static_cast<int>(type)];
}

constexpr float kTwo31 = 2147483648.0f;
constexpr float kTwo63 = 9223372036854775808.0f;

/// x86's cvttss2si: truncation, the minimum for NaN and out of range.
int32_t toInt32(float x) {
  return x >= -kTwo31 && x < kTwo31 ? static_cast<int32_t>(x) : INT32_MIN;
}
int64_t toInt64(float x) {
  return x >= -kTwo63 && x < kTwo63 ? static_cast<int64_t>(x) : INT64_MIN;
}

/// Whether float32 holds `magnitude` exactly: at most 24 significant bits.
bool fitsFloat(uint64_t magnitude) {
  return magnitude == 0 || (magnitude >> llvm::countr_zero(magnitude)) < (1u << 24);
}

CastResult fromUnsigned(uint64_t v) {
  return {static_cast<float>(v), fitsFloat(v), std::to_string(v)};
}

CastResult fromSigned(int64_t v) {
  uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : v;
  float f = static_cast<float>(magnitude);
  return {v < 0 ? -f : f, fitsFloat(magnitude), std::to_string(v)};
}

} // namespace

const char *castTypeName(CastType type) { return entryOf(type).name; }

std::optional<CastType> castTypeNamed(const std::string &name) {
  for (const Entry &entry : kEntries)
    if (name == entry.name)
      return entry.type;
  return std::nullopt;
}

std::optional<CastType> castTypeOfOnnx(int dataType) {
  for (const Entry &entry : kEntries)
    if (dataType == entry.onnx)
      return entry.type;
  return std::nullopt;
}

int onnxDataTypeOf(CastType type) { return entryOf(type).onnx; }

std::optional<int> valueTypeOnnx(const std::string &name) {
  if (name == "bool")
    return onnx::TensorProto::BOOL;
  if (name == "float64")
    return onnx::TensorProto::DOUBLE;
  if (std::optional<CastType> type = castTypeNamed(name))
    return onnxDataTypeOf(*type);
  return std::nullopt;
}

const char *valueTypeNameOfOnnx(int dataType) {
  if (dataType == onnx::TensorProto::BOOL)
    return "bool";
  if (dataType == onnx::TensorProto::DOUBLE)
    return "float64";
  if (std::optional<CastType> type = castTypeOfOnnx(dataType))
    return castTypeName(*type);
  return nullptr;
}

bool isIntegerCastType(CastType type) {
  return type != CastType::Float16 && type != CastType::BFloat16;
}

CastResult castFloat(float x, CastType type) {
  switch (type) {
  case CastType::Int8:
    return fromSigned(static_cast<int8_t>(toInt32(x)));
  case CastType::UInt8:
    return fromUnsigned(static_cast<uint8_t>(toInt32(x)));
  case CastType::Int16:
    return fromSigned(static_cast<int16_t>(toInt32(x)));
  case CastType::UInt16:
    return fromUnsigned(static_cast<uint16_t>(toInt32(x)));
  case CastType::Int32:
    return fromSigned(toInt32(x));
  case CastType::UInt32:
    return fromUnsigned(
        x >= kTwo31 ? static_cast<uint32_t>(toInt32(x - kTwo31)) ^ 0x80000000u
                    : static_cast<uint32_t>(toInt32(x)));
  case CastType::Int64:
    return fromSigned(toInt64(x));
  case CastType::UInt64:
    return fromUnsigned(x >= kTwo63 ? static_cast<uint64_t>(toInt64(x - kTwo63)) ^
                                          (uint64_t(1) << 63)
                                    : static_cast<uint64_t>(toInt64(x)));
  case CastType::Float16:
    return {roundToHalfType(x, onnx::TensorProto::FLOAT16), true, ""};
  case CastType::BFloat16:
    return {roundToHalfType(x, onnx::TensorProto::BFLOAT16), true, ""};
  }
  return {x, true, ""};
}

int64_t wrapInteger(int64_t x, CastType type) {
  switch (type) {
  case CastType::Int8:
    return static_cast<int8_t>(x);
  case CastType::UInt8:
    return static_cast<uint8_t>(x);
  case CastType::Int16:
    return static_cast<int16_t>(x);
  case CastType::UInt16:
    return static_cast<uint16_t>(x);
  case CastType::Int32:
    return static_cast<int32_t>(x);
  case CastType::UInt32:
    return static_cast<uint32_t>(x);
  default:
    return x;
  }
}

int64_t castDoubleToInteger(double x, CastType type) {
  // cvttsd2si, as toInt32 / toInt64 are for float32.
  auto int32Of = [](double v) -> int32_t {
    return v >= -2147483648.0 && v < 2147483648.0 ? static_cast<int32_t>(v)
                                                  : INT32_MIN;
  };
  auto int64Of = [](double v) -> int64_t {
    return v >= -9223372036854775808.0 && v < 9223372036854775808.0
               ? static_cast<int64_t>(v)
               : INT64_MIN;
  };
  switch (type) {
  case CastType::UInt32:
    return x >= 2147483648.0
               ? static_cast<uint32_t>(int32Of(x - 2147483648.0)) ^ 0x80000000u
               : static_cast<uint32_t>(int32Of(x));
  case CastType::Int64:
    return int64Of(x);
  case CastType::UInt64:
    return x >= 9223372036854775808.0
               ? static_cast<int64_t>(
                     static_cast<uint64_t>(int64Of(x - 9223372036854775808.0)) ^
                     (uint64_t(1) << 63))
               : int64Of(x);
  default:
    return wrapInteger(int32Of(x), type);
  }
}

IntegerCastValue integerCastValue(int64_t bits, CastType type) {
  if (type == CastType::UInt64 && bits < 0) {
    uint64_t v = static_cast<uint64_t>(bits);
    double d = static_cast<double>(v);
    // d is at most 2^64, exact when converting back gives v (2^64 is not).
    bool exact = d < 18446744073709551616.0 && static_cast<uint64_t>(d) == v;
    return {d, exact, std::to_string(v)};
  }
  double d = static_cast<double>(bits);
  bool exact = d < 9223372036854775808.0 && static_cast<int64_t>(d) == bits;
  return {d, exact, std::to_string(bits)};
}

bool appendAsCastType(std::string &raw, float value, CastType type) {
  auto append = [&](uint64_t bits, int bytes) {
    for (int b = 0; b < bytes; ++b)
      raw.push_back(static_cast<char>((bits >> (8 * b)) & 0xff));
  };
  // The type's range as float bounds [lo, hi) (2^63 and 2^64 are exact).
  auto inRange = [&](double lo, double hi) {
    return value >= lo && value < hi && std::trunc(value) == value;
  };
  switch (type) {
  case CastType::Int8:
    return inRange(-128, 128) && (append(static_cast<int8_t>(value), 1), true);
  case CastType::UInt8:
    return inRange(0, 256) && (append(static_cast<uint8_t>(value), 1), true);
  case CastType::Int16:
    return inRange(-32768, 32768) &&
           (append(static_cast<uint16_t>(static_cast<int16_t>(value)), 2), true);
  case CastType::UInt16:
    return inRange(0, 65536) && (append(static_cast<uint16_t>(value), 2), true);
  case CastType::Int32:
    return inRange(-2147483648.0, 2147483648.0) &&
           (append(static_cast<uint32_t>(static_cast<int32_t>(value)), 4), true);
  case CastType::UInt32:
    return inRange(0, 4294967296.0) &&
           (append(static_cast<uint32_t>(value), 4), true);
  case CastType::Int64:
    return inRange(-9223372036854775808.0, 9223372036854775808.0) &&
           (append(static_cast<uint64_t>(static_cast<int64_t>(value)), 8), true);
  case CastType::UInt64:
    return inRange(0, 18446744073709551616.0) &&
           (append(static_cast<uint64_t>(value), 8), true);
  case CastType::Float16:
    append(floatToHalf(value), 2);
    return true;
  case CastType::BFloat16:
    append(floatToBfloat16(value), 2);
    return true;
  }
  return false;
}

} // namespace rebocc::support
