//===- CastTypes.h - ONNX Cast of float32 data to other types ---*- C++ -*-===//
//
// Run-time data is float32. ONNX Cast to an integer or half type computes
// the target type's value; rebocc carries that value as a float32 again, so
// the whole conversion is one function: float32 in, the target value out,
// with whether float32 holds it exactly.
//
// The conversions follow onnxruntime (1.30, x86-64), measured on CPU
// (docs/SupportedOps.md, "Cast"): float to integer truncates toward zero;
// INT32 and INT64 give their minimum for NaN and out-of-range inputs (the
// x86 cvttss2si result); INT8, UINT8, INT16 and UINT16 take the low bits of
// the INT32 result; UINT32 and UINT64 convert x - 2^31 (2^63) with the top
// bit set when x >= 2^31 (2^63), else as INT32 (INT64). FLOAT16 and
// BFLOAT16 round to nearest, ties to even (support::roundToHalfType).
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_CASTTYPES_H
#define REBOCC_SUPPORT_CASTTYPES_H

#include <optional>
#include <string>

namespace rebocc::support {

/// The types a run-time Cast converts float32 data to.
enum class CastType {
  Int8,
  UInt8,
  Int16,
  UInt16,
  Int32,
  UInt32,
  Int64,
  UInt64,
  Float16,
  BFloat16,
};

/// "int8", "uint8", ..., "float16", "bfloat16": the spelling in IR and in
/// programs.
const char *castTypeName(CastType type);
/// The type named `name`; nullopt for any other spelling.
std::optional<CastType> castTypeNamed(const std::string &name);
/// The type of ONNX data type `dataType`; nullopt for FLOAT, BOOL and the
/// types a run-time Cast does not produce (DOUBLE, STRING, ...).
std::optional<CastType> castTypeOfOnnx(int dataType);
/// The ONNX data type (onnx::TensorProto::DataType) of `type`.
int onnxDataTypeOf(CastType type);
/// Whether `type` is one of the eight integer types.
bool isIntegerCastType(CastType type);

/// The element types a program value (a graph input or output) carries
/// besides float32: the Cast types, "bool" (0 / 1 in float32) and
/// "float64" (DOUBLE data that float32 holds exactly: a Cast of float32 data
/// to DOUBLE, or a DOUBLE input whose values are float32 values). The ONNX
/// data type of type name `name`, nullopt for any other spelling.
std::optional<int> valueTypeOnnx(const std::string &name);
/// The value type name of ONNX data type `dataType`: "bool", "float64",
/// "int8" ... "bfloat16"; nullptr for FLOAT and the types rebocc does not
/// carry.
const char *valueTypeNameOfOnnx(int dataType);

/// The value onnxruntime's Cast of float32 `x` to `type` gives.
struct CastResult {
  float value;  // the result, as the nearest float32
  bool exact;   // float32 holds the result exactly
  std::string text; // the exact result in decimal (for messages)
};
CastResult castFloat(float x, CastType type);
/// The value onnxruntime's Cast of the integer `x` to the integer `type`
/// gives: two's complement wrap-around (300 to uint8 is 44, -1 is 255),
/// returned as its 64 bits (sign-extended for the signed types; UINT64's
/// values past INT64_MAX negative, read them with integerCastValue).
int64_t wrapInteger(int64_t x, CastType type);
/// The value onnxruntime's Cast of the double `x` to the integer `type`
/// gives, as wrapInteger returns it: the conversion castFloat describes,
/// computed on the double (measured equal on CPU for FLOAT and DOUBLE
/// sources, docs/SupportedOps.md "Cast").
int64_t castDoubleToInteger(double x, CastType type);
/// The value of `bits` (wrapInteger's form) as the integer `type`: the
/// nearest double, whether it is exact, and the exact decimal.
struct IntegerCastValue {
  double value;
  bool exact;
  std::string text;
};
IntegerCastValue integerCastValue(int64_t bits, CastType type);

/// Appends `value` as little-endian `type` (an output file's raw_data):
/// the integer types take integers in their range only (false otherwise),
/// the half types round to nearest even.
bool appendAsCastType(std::string &raw, float value, CastType type);

} // namespace rebocc::support

#endif // REBOCC_SUPPORT_CASTTYPES_H
