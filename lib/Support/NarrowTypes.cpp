//===- NarrowTypes.cpp - ONNX's 4-bit integers and 8-bit floats ----------===//

#include "rebocc/Support/NarrowTypes.h"

#include <cmath>
#include <limits>

namespace rebocc::support {

bool isFloat8Type(int dataType) {
  return dataType >= kFloat8E4M3FN && dataType <= kFloat8E5M2FNUZ;
}

bool isFourBitType(int dataType) {
  return dataType == kUint4 || dataType == kInt4;
}

const char *narrowTypeName(int dataType) {
  switch (dataType) {
  case kFloat8E4M3FN: return "FLOAT8E4M3FN";
  case kFloat8E4M3FNUZ: return "FLOAT8E4M3FNUZ";
  case kFloat8E5M2: return "FLOAT8E5M2";
  case kFloat8E5M2FNUZ: return "FLOAT8E5M2FNUZ";
  case kUint4: return "UINT4";
  case kInt4: return "INT4";
  default: return nullptr;
  }
}

float float8ToFloat(uint8_t bits, int dataType) {
  const bool e5m2 = dataType == kFloat8E5M2 || dataType == kFloat8E5M2FNUZ;
  const bool fnuz = dataType == kFloat8E4M3FNUZ || dataType == kFloat8E5M2FNUZ;
  const int mantissaBits = e5m2 ? 2 : 3;
  const int exponentMask = e5m2 ? 0x1f : 0x0f;
  // E4M3FN 7, E4M3FNUZ 8, E5M2 15, E5M2FNUZ 16.
  const int bias = (e5m2 ? 15 : 7) + (fnuz ? 1 : 0);
  const bool negative = bits & 0x80;
  const int exponent = (bits >> mantissaBits) & exponentMask;
  const int mantissa = bits & ((1 << mantissaBits) - 1);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  if (fnuz && bits == 0x80) // the one NaN; there is no -0
    return nan;
  if (!fnuz && e5m2 && exponent == exponentMask) // IEEE: inf or NaN
    return mantissa == 0 ? (negative ? -1.0f : 1.0f) *
                               std::numeric_limits<float>::infinity()
                         : nan;
  if (dataType == kFloat8E4M3FN && (bits & 0x7f) == 0x7f) // S.1111.111
    return nan;
  // Subnormal (exponent 0): mantissa * 2^(1 - bias - mantissaBits);
  // normal: (2^mantissaBits + mantissa) * 2^(exponent - bias -
  // mantissaBits). Both exact in float32.
  float magnitude =
      exponent == 0
          ? std::ldexp((float)mantissa, 1 - bias - mantissaBits)
          : std::ldexp((float)((1 << mantissaBits) + mantissa),
                       exponent - bias - mantissaBits);
  return negative ? -magnitude : magnitude;
}

int64_t unpackFourBit(const unsigned char *bytes, uint64_t index,
                      int dataType) {
  unsigned nibble = (bytes[index / 2] >> (index % 2 ? 4 : 0)) & 0x0f;
  if (dataType == kInt4 && nibble >= 8)
    return (int64_t)nibble - 16;
  return nibble;
}

} // namespace rebocc::support
