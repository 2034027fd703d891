//===- HalfFloat.cpp - FLOAT16 and BFLOAT16 tensors as float -------------===//

#include "rebocc/Support/HalfFloat.h"

#include "onnx/onnx_pb.h"

#include <cmath>
#include <cstring>

namespace rebocc::support {

float halfToFloat(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1fu, mantissa = h & 0x3ffu;
  uint32_t bits;
  if (exponent == 0x1f) { // infinity or NaN: the payload moves up
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else if (exponent != 0) { // normal: rebias 15 -> 127
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else { // zero or subnormal: mantissa * 2^-24, exact in float
    const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

float bfloat16ToFloat(uint16_t b) {
  const uint32_t bits = uint32_t(b) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t floatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
  const uint32_t a = x & 0x7fffffffu;
  if (a >= 0x7f800000u) // infinity, or NaN kept quiet with its top payload
    return sign | 0x7c00u |
           (a > 0x7f800000u ? 0x200u | ((a >> 13) & 0x3ffu) : 0u);
  if (a >= 0x477ff000u) // 65520 and above round to infinity
    return sign | 0x7c00u;
  if (a < 0x38800000u) { // below 2^-14: a subnormal half, f * 2^24 rounded
    float magnitude;
    std::memcpy(&magnitude, &a, 4);
    return sign | static_cast<uint16_t>(std::nearbyint(magnitude * 16777216.0f));
  }
  // Normal: drop 13 mantissa bits, ties to even; a carry moves into the
  // exponent. Rebias 127 -> 15.
  const uint32_t rounded = a + 0xfffu + ((a >> 13) & 1u);
  return sign | static_cast<uint16_t>((rounded - 0x38000000u) >> 13);
}

uint16_t floatToBfloat16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  if ((x & 0x7fffffffu) > 0x7f800000u) // NaN: keep it a (quiet) NaN
    return static_cast<uint16_t>((x >> 16) | 0x40u);
  return static_cast<uint16_t>((x + 0x7fffu + ((x >> 16) & 1u)) >> 16);
}

float roundToHalfType(float f, int dataType) {
  return dataType == onnx::TensorProto::BFLOAT16
             ? bfloat16ToFloat(floatToBfloat16(f))
             : halfToFloat(floatToHalf(f));
}

bool isHalfType(int dataType) {
  return dataType == onnx::TensorProto::FLOAT16 ||
         dataType == onnx::TensorProto::BFLOAT16;
}

bool widenHalfTensorProto(const onnx::TensorProto &proto,
                          onnx::TensorProto &wide, std::string &error) {
  const bool brain = proto.data_type() == onnx::TensorProto::BFLOAT16;
  auto widen = [&](uint16_t v) {
    wide.add_float_data(brain ? bfloat16ToFloat(v) : halfToFloat(v));
  };
  wide.Clear();
  wide.set_name(proto.name());
  wide.set_data_type(onnx::TensorProto::FLOAT);
  *wide.mutable_dims() = proto.dims();
  if (proto.has_raw_data()) {
    const std::string &raw = proto.raw_data();
    if (raw.size() % 2 != 0) {
      error = "raw_data of " + std::to_string(raw.size()) +
              " bytes is not a whole number of 2-byte values";
      return false;
    }
    wide.mutable_float_data()->Reserve(static_cast<int>(raw.size() / 2));
    const auto *p = reinterpret_cast<const unsigned char *>(raw.data());
    for (size_t e = 0; e < raw.size(); e += 2) // little-endian
      widen(static_cast<uint16_t>(p[e] | (p[e + 1] << 8)));
    return true;
  }
  wide.mutable_float_data()->Reserve(proto.int32_data_size());
  for (int32_t v : proto.int32_data()) {
    if (v < 0 || v > 0xffff) {
      error = "int32_data value " + std::to_string(v) +
              " is not the 16 bits of a half-precision value";
      return false;
    }
    widen(static_cast<uint16_t>(v));
  }
  return true;
}

} // namespace rebocc::support
