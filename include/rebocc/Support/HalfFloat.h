//===- HalfFloat.h - FLOAT16 and BFLOAT16 tensors as float ------*- C++ -*-===//
//
// ONNX models may store weights in IEEE half (FLOAT16) or bfloat16. Both
// widen to float32 exactly, so the decoder (TensorIO.cpp) reads such a
// tensor as the FLOAT tensor of the same values.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_HALFFLOAT_H
#define REBOCC_SUPPORT_HALFFLOAT_H

#include <cstdint>
#include <string>

namespace onnx {
class TensorProto;
} // namespace onnx

namespace rebocc::support {

/// The float32 of IEEE 754 binary16 bits `h` (exact: subnormals, signed
/// zeros, infinities and NaN payloads kept).
float halfToFloat(uint16_t h);
/// The float32 of bfloat16 bits `b` (its upper 16 bits; exact).
float bfloat16ToFloat(uint16_t b);

/// `f` rounded to the nearest binary16 (ties to even; past 65504 to
/// infinity), as bits.
uint16_t floatToHalf(float f);
/// `f` rounded to the nearest bfloat16 (ties to even), as bits.
uint16_t floatToBfloat16(float f);
/// `f` rounded to the half type `dataType` (FLOAT16 or BFLOAT16) and back:
/// ONNX Cast's value.
float roundToHalfType(float f, int dataType);

/// FLOAT16 or BFLOAT16.
bool isHalfType(int dataType);

/// `proto` (FLOAT16 or BFLOAT16: raw_data of 2 bytes per element, or
/// int32_data holding each value's 16 bits) as a FLOAT TensorProto of the
/// same name, shape and values. Fails with a message on an odd raw_data
/// size or an int32_data entry beyond 16 bits.
bool widenHalfTensorProto(const onnx::TensorProto &proto,
                          onnx::TensorProto &wide, std::string &error);

} // namespace rebocc::support

#endif // REBOCC_SUPPORT_HALFFLOAT_H
