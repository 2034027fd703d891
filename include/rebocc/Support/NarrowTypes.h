//===- NarrowTypes.h - ONNX's 4-bit integers and 8-bit floats ---*- C++ -*-===//
//
// Quantized models store weights in INT4/UINT4 (ONNX 1.16, opset 21) and in
// the four float8 types (ONNX 1.14, opset 19). Debian's onnx 1.12 headers
// predate them, so their DataType numbers are spelled here (onnx.proto:
// FLOAT8E4M3FN = 17 ... INT4 = 22).
//
//   4-bit: two values a byte, the first in the low nibble (onnx.proto:
//          "the first element is stored in the 4 LSB"); an odd count leaves
//          the last high nibble unused. INT4 is sign-extended (-8..7).
//   float8: one value a byte; E4M3FN and E4M3FNUZ have no infinity,
//          E5M2 is IEEE-like, the FNUZ types have no negative zero and
//          their one NaN is 0x80 (onnx docs/docsgen/source/technical/
//          float8.md).
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_NARROWTYPES_H
#define REBOCC_SUPPORT_NARROWTYPES_H

#include <cstdint>

namespace rebocc::support {

enum NarrowDataType : int {
  kFloat8E4M3FN = 17,
  kFloat8E4M3FNUZ = 18,
  kFloat8E5M2 = 19,
  kFloat8E5M2FNUZ = 20,
  kUint4 = 21,
  kInt4 = 22,
};

/// FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2 or FLOAT8E5M2FNUZ.
bool isFloat8Type(int dataType);
/// INT4 or UINT4.
bool isFourBitType(int dataType);
/// The ONNX name of one of the types above, else nullptr.
const char *narrowTypeName(int dataType);

/// The float32 of the float8 bits `bits` of type `dataType` (exact: every
/// float8 value is a float32; NaN for the type's NaN encodings, infinity
/// only for E5M2's).
float float8ToFloat(uint8_t bits, int dataType);

/// Element `index` of packed 4-bit data `bytes` of type `dataType`.
int64_t unpackFourBit(const unsigned char *bytes, uint64_t index,
                      int dataType);

} // namespace rebocc::support

#endif // REBOCC_SUPPORT_NARROWTYPES_H
