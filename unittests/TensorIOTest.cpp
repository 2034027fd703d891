//===- TensorIOTest.cpp - ONNX TensorProto files --------------------------===//

#include "rebocc/Support/TensorIO.h"

#include "onnx/onnx_pb.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace rebocc;

namespace {

TEST(TensorIO, FloatRoundTrip) {
  support::Tensor t{{2, 3}, {1.5f, -2, 0, 3.25f, 1e-20f, -7}};
  std::string bytes, error, name;
  ASSERT_TRUE(serializeTensorProto(t, "x", bytes, error)) << error;
  support::Tensor back;
  ASSERT_TRUE(parseTensorProto(bytes, "x.pb", back, name, error)) << error;
  EXPECT_EQ(name, "x");
  EXPECT_EQ(back.shape, t.shape);
  EXPECT_EQ(back.data, t.data);
  // Scalars and empty tensors.
  support::Tensor s{{}, {4}};
  ASSERT_TRUE(serializeTensorProto(s, "s", bytes, error));
  ASSERT_TRUE(parseTensorProto(bytes, "s.pb", back, name, error)) << error;
  EXPECT_TRUE(back.shape.empty());
  EXPECT_EQ(back.data, std::vector<float>{4});
  support::Tensor e{{0, 3}, {}};
  ASSERT_TRUE(serializeTensorProto(e, "e", bytes, error));
  ASSERT_TRUE(parseTensorProto(bytes, "e.pb", back, name, error)) << error;
  EXPECT_EQ(back.shape, (std::vector<int64_t>{0, 3}));
}

// Outputs of a Cast are written with their type: little-endian raw_data
// (bytes by hand), values the type holds only.
TEST(TensorIO, TypedOutputs) {
  std::string bytes, error;
  onnx::TensorProto proto;
  ASSERT_TRUE(serializeTensorProto({{3}, {-1, 127, -128}}, "y", bytes, error,
                                   "int8"))
      << error;
  ASSERT_TRUE(proto.ParseFromString(bytes));
  EXPECT_EQ(proto.data_type(), onnx::TensorProto::INT8);
  EXPECT_EQ(proto.raw_data(), std::string("\xff\x7f\x80", 3));
  ASSERT_TRUE(serializeTensorProto({{2}, {4294967040.0f, 1}}, "y", bytes,
                                   error, "uint32"));
  ASSERT_TRUE(proto.ParseFromString(bytes));
  EXPECT_EQ(proto.data_type(), onnx::TensorProto::UINT32);
  EXPECT_EQ(proto.raw_data(), std::string("\x00\xff\xff\xff\x01\0\0\0", 8));
  ASSERT_TRUE(serializeTensorProto({{2}, {-9223372036854775808.0f, 2}}, "y",
                                   bytes, error, "int64"));
  ASSERT_TRUE(proto.ParseFromString(bytes));
  EXPECT_EQ(proto.raw_data(),
            std::string("\0\0\0\0\0\0\0\x80\x02\0\0\0\0\0\0\0", 16));
  // 65504 is FLOAT16's largest (0x7bff); 1 + 2^-8 in BFLOAT16 is 0x3f80.
  ASSERT_TRUE(serializeTensorProto({{1}, {65504}}, "h", bytes, error,
                                   "float16"));
  ASSERT_TRUE(proto.ParseFromString(bytes));
  EXPECT_EQ(proto.data_type(), onnx::TensorProto::FLOAT16);
  EXPECT_EQ(proto.raw_data(), std::string("\xff\x7b", 2));
  EXPECT_FALSE(serializeTensorProto({{1}, {128}}, "y", bytes, error, "int8"));
  EXPECT_EQ(error, "tensor 'y': element 0 (128.000000) is not a value of type int8");
  EXPECT_FALSE(serializeTensorProto({{1}, {0.5f}}, "y", bytes, error, "uint64"));
  EXPECT_FALSE(serializeTensorProto({{1}, {1}}, "y", bytes, error, "double"));
  EXPECT_EQ(error, "tensor 'y': unknown element type 'double'");
  // float64: each float32 widened exactly (0.1f is 0x3FB99999A0000000).
  ASSERT_TRUE(serializeTensorProto({{2}, {0.1f, -2}}, "d", bytes, error,
                                   "float64"));
  ASSERT_TRUE(proto.ParseFromString(bytes));
  EXPECT_EQ(proto.data_type(), onnx::TensorProto::DOUBLE);
  EXPECT_EQ(proto.raw_data(),
            std::string("\x00\x00\x00\xa0\x99\x99\xb9\x3f"
                        "\x00\x00\x00\x00\x00\x00\x00\xc0",
                        16));
}

TEST(TensorIO, OtherTypesConvertToFloat) {
  std::string error, name;
  support::Tensor t;
  {
    onnx::TensorProto p;
    p.set_data_type(onnx::TensorProto::DOUBLE);
    p.add_dims(2);
    p.add_double_data(1.5);
    p.add_double_data(-2.25);
    ASSERT_TRUE(parseTensorProto(p.SerializeAsString(), "d.pb", t, name, error))
        << error;
    EXPECT_EQ(t.data, (std::vector<float>{1.5f, -2.25f}));
    // A double float32 does not hold is refused, not rounded; so is a NaN
    // whose payload float32 drops (bits 0x7ff8000000000001).
    p.add_double_data(0.1);
    p.set_dims(0, 3);
    EXPECT_FALSE(
        parseTensorProto(p.SerializeAsString(), "d.pb", t, name, error));
    EXPECT_EQ(error, "d.pb: tensor '': element 2 (0.10000000000000001) of "
                     "DOUBLE is not a float32 value: rebocc carries DOUBLE "
                     "data as float32, which would round it");
    std::vector<float> values;
    uint64_t payload = 0x7ff8000000000001;
    double nan;
    std::memcpy(&nan, &payload, sizeof nan);
    EXPECT_FALSE(doublesAsFloat({nan}, values, error));
    ASSERT_TRUE(doublesAsFloat({std::nan(""), -0.0, double(1e-45f), INFINITY},
                               values, error));
    EXPECT_TRUE(std::isnan(values[0]) && std::signbit(values[1]) &&
                values[2] == 1e-45f && std::isinf(values[3]));
  }
  {
    onnx::TensorProto p;
    p.set_data_type(onnx::TensorProto::INT64);
    p.add_dims(2);
    int64_t raw[2] = {-3, 1000000};
    p.set_raw_data(std::string(reinterpret_cast<char *>(raw), sizeof(raw)));
    ASSERT_TRUE(parseTensorProto(p.SerializeAsString(), "i.pb", t, name, error))
        << error;
    EXPECT_EQ(t.data, (std::vector<float>{-3.0f, 1e6f}));
  }
  {
    onnx::TensorProto p;
    p.set_data_type(onnx::TensorProto::INT32);
    p.add_dims(1);
    p.add_int32_data(-7);
    ASSERT_TRUE(parseTensorProto(p.SerializeAsString(), "i.pb", t, name, error))
        << error;
    EXPECT_EQ(t.data, (std::vector<float>{-7.0f}));
  }
  {
    onnx::TensorProto p;
    p.set_data_type(onnx::TensorProto::FLOAT);
    p.add_dims(2);
    p.add_float_data(0.5f);
    p.add_float_data(8);
    ASSERT_TRUE(parseTensorProto(p.SerializeAsString(), "f.pb", t, name, error))
        << error;
    EXPECT_EQ(t.data, (std::vector<float>{0.5f, 8}));
  }
}

// Quantized data inputs: uint8 and int8 files hold their integers.
TEST(TensorIO, EightBitFilesParse) {
  std::string error, name;
  support::Tensor t;
  onnx::TensorProto p;
  p.set_name("q");
  p.set_data_type(onnx::TensorProto::UINT8);
  p.add_dims(2);
  p.set_raw_data(std::string("\x00\xff", 2));
  ASSERT_TRUE(parseTensorProto(p.SerializeAsString(), "u8.pb", t, name, error))
      << error;
  EXPECT_EQ(t.data, (std::vector<float>{0, 255}));
  p.set_data_type(onnx::TensorProto::INT8);
  ASSERT_TRUE(parseTensorProto(p.SerializeAsString(), "i8.pb", t, name, error))
      << error;
  EXPECT_EQ(t.data, (std::vector<float>{0, -1}));
}

// Integer inputs run as float32, which holds every integer up to 2^24 in
// magnitude and rounds 2^24 + 1 (to 2^24): the bound is inclusive.
TEST(TensorIO, IntegerAsFloatBounds) {
  const int64_t two24 = int64_t(1) << 24;
  float f = 0;
  EXPECT_TRUE(integerAsFloat(two24, onnx::TensorProto::INT64, f));
  EXPECT_EQ(f, 16777216.0f);
  EXPECT_TRUE(integerAsFloat(-two24, onnx::TensorProto::INT64, f));
  EXPECT_EQ(f, -16777216.0f);
  EXPECT_TRUE(integerAsFloat(two24 - 1, onnx::TensorProto::INT32, f));
  EXPECT_EQ(f, 16777215.0f);
  EXPECT_FALSE(integerAsFloat(two24 + 1, onnx::TensorProto::INT64, f));
  EXPECT_FALSE(integerAsFloat(-two24 - 1, onnx::TensorProto::INT64, f));
  // 2^25 is a float32, but integers beyond 2^24 are refused as a whole.
  EXPECT_FALSE(integerAsFloat(two24 * 2, onnx::TensorProto::INT64, f));
  EXPECT_FALSE(integerAsFloat(INT64_MIN, onnx::TensorProto::INT64, f));
  // A UINT64 is kept as its bits: all ones is 2^64 - 1, not -1.
  EXPECT_FALSE(integerAsFloat(-1, onnx::TensorProto::UINT64, f));
  EXPECT_TRUE(integerAsFloat(two24, onnx::TensorProto::UINT64, f));
  EXPECT_EQ(f, 16777216.0f);
}

// The 16-, 32- and 64-bit unsigned and 16-bit signed files parse, and an
// element beyond 2^24 is an error naming it.
TEST(TensorIO, WideIntegerFilesParse) {
  std::string error, name;
  support::Tensor t;
  onnx::TensorProto p;
  p.set_name("v");
  p.add_dims(2);
  p.set_data_type(onnx::TensorProto::UINT16);
  p.set_raw_data(std::string("\xff\xff\x00\x80", 4));
  ASSERT_TRUE(parseTensorProto(p.SerializeAsString(), "u16.pb", t, name, error))
      << error;
  EXPECT_EQ(t.data, (std::vector<float>{65535, 32768}));
  p.set_data_type(onnx::TensorProto::INT16);
  ASSERT_TRUE(parseTensorProto(p.SerializeAsString(), "i16.pb", t, name, error))
      << error;
  EXPECT_EQ(t.data, (std::vector<float>{-1, -32768}));
  p.clear_raw_data();
  p.set_data_type(onnx::TensorProto::UINT32);
  p.add_uint64_data(16777216);
  p.add_uint64_data(16777217);
  EXPECT_FALSE(parseTensorProto(p.SerializeAsString(), "u32.pb", t, name, error));
  EXPECT_EQ(error, "u32.pb: tensor 'v': element 1 (16777217) of UINT32 is "
                   "beyond 2^24 in magnitude, which float32 does not hold "
                   "exactly");
  p.set_data_type(onnx::TensorProto::UINT64);
  p.set_uint64_data(1, 3);
  ASSERT_TRUE(parseTensorProto(p.SerializeAsString(), "u64.pb", t, name, error))
      << error;
  EXPECT_EQ(t.data, (std::vector<float>{16777216, 3}));
}

// Boolean outputs are written as BOOL bytes; only 0 and 1 are booleans.
TEST(TensorIO, BoolOutputs) {
  support::Tensor t;
  t.shape = {3};
  t.data = {0, 1, 1};
  std::string bytes, error;
  ASSERT_TRUE(serializeTensorProto(t, "b", bytes, error, "bool")) << error;
  onnx::TensorProto p;
  ASSERT_TRUE(p.ParseFromString(bytes));
  EXPECT_EQ(p.data_type(), onnx::TensorProto::BOOL);
  EXPECT_EQ(p.raw_data(), std::string("\x00\x01\x01", 3));
  t.data[2] = 0.5f;
  EXPECT_FALSE(serializeTensorProto(t, "b", bytes, error, "bool"));
  EXPECT_NE(error.find("element 2 (0.500000) is not a boolean"),
            std::string::npos)
      << error;
}

TEST(TensorIO, Errors) {
  std::string error, name;
  support::Tensor t;
  auto expectError = [&](const onnx::TensorProto &p, const std::string &part) {
    EXPECT_FALSE(parseTensorProto(p.SerializeAsString(), "bad.pb", t, name,
                                  error));
    EXPECT_NE(error.find(part), std::string::npos) << error;
    EXPECT_EQ(error.rfind("bad.pb", 0), 0u) << error;
  };
  onnx::TensorProto p;
  p.set_name("t");
  p.set_data_type(onnx::TensorProto::STRING);
  p.add_dims(1);
  p.set_raw_data("a");
  expectError(p, "data type STRING");
  p.set_data_type(onnx::TensorProto::FLOAT);
  expectError(p, "raw_data holds 1 bytes but shape [1] of FLOAT needs 4");
  p.set_raw_data("abcdabcd");
  expectError(p, "raw_data holds 8 bytes but shape [1] of FLOAT needs 4");
  p.clear_dims();
  p.add_dims(-2);
  expectError(p, "negative dimension");
  onnx::TensorProto empty;
  expectError(empty, "data type UNDEFINED");
  onnx::TensorProto ext;
  ext.set_data_type(onnx::TensorProto::FLOAT);
  ext.set_data_location(onnx::TensorProto::EXTERNAL);
  expectError(ext, "external data");
  onnx::TensorProto huge;
  huge.set_data_type(onnx::TensorProto::FLOAT);
  for (int i = 0; i < 8; ++i)
    huge.add_dims(int64_t(1) << 40);
  expectError(huge, "overflows");
}

// decodeTensorProto on hand-built protos; the expected values are the raw
// bytes read by hand (little-endian IEEE 754 and two's complement).

onnx::TensorProto proto(int type, std::vector<int64_t> dims) {
  onnx::TensorProto p;
  p.set_name("t");
  p.set_data_type(type);
  for (int64_t d : dims)
    p.add_dims(d);
  return p;
}

std::string bytes(std::initializer_list<unsigned> values) {
  std::string out;
  for (unsigned v : values)
    out += static_cast<char>(v);
  return out;
}

TEST(TensorProtoDecoder, RawFloatAndDouble) {
  TensorProtoValues v;
  std::string error;
  onnx::TensorProto f = proto(onnx::TensorProto::FLOAT, {2});
  // 0x3fc00000 = 1.5f, 0xc1100000 = -9.0f.
  f.set_raw_data(bytes({0x00, 0x00, 0xc0, 0x3f, 0x00, 0x00, 0x10, 0xc1}));
  ASSERT_TRUE(decodeTensorProto(f, v, error)) << error;
  EXPECT_TRUE(v.isFloat());
  EXPECT_EQ(v.shape, std::vector<int64_t>{2});
  EXPECT_EQ(v.reals, (std::vector<double>{1.5, -9.0}));
  EXPECT_TRUE(v.integers.empty());

  onnx::TensorProto d = proto(onnx::TensorProto::DOUBLE, {1, 1});
  // 0x3fb999999999999a is the double nearest 0.1, kept as a double.
  d.set_raw_data(bytes({0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f}));
  ASSERT_TRUE(decodeTensorProto(d, v, error)) << error;
  EXPECT_EQ(v.shape, (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(v.reals, std::vector<double>{0.1});
}

TEST(TensorProtoDecoder, RawIntegers) {
  TensorProtoValues v;
  std::string error;
  onnx::TensorProto i64 = proto(onnx::TensorProto::INT64, {2});
  // -2, and 2^53 + 1 = 0x0020000000000001, which a double cannot hold.
  i64.set_raw_data(bytes({0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                          0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00}));
  ASSERT_TRUE(decodeTensorProto(i64, v, error)) << error;
  EXPECT_FALSE(v.isFloat());
  EXPECT_EQ(v.integers, (std::vector<int64_t>{-2, 9007199254740993}));
  EXPECT_TRUE(v.reals.empty());

  onnx::TensorProto i32 = proto(onnx::TensorProto::INT32, {2});
  i32.set_raw_data(bytes({0xff, 0xff, 0xff, 0xff, 0x00, 0x01, 0x00, 0x00}));
  ASSERT_TRUE(decodeTensorProto(i32, v, error)) << error;
  EXPECT_EQ(v.integers, (std::vector<int64_t>{-1, 256}));

  onnx::TensorProto i8 = proto(onnx::TensorProto::INT8, {2});
  i8.set_raw_data(bytes({0xff, 0x7f}));
  ASSERT_TRUE(decodeTensorProto(i8, v, error)) << error;
  EXPECT_EQ(v.integers, (std::vector<int64_t>{-1, 127}));

  onnx::TensorProto u8 = proto(onnx::TensorProto::UINT8, {2});
  u8.set_raw_data(bytes({0xff, 0x7f}));
  ASSERT_TRUE(decodeTensorProto(u8, v, error)) << error;
  EXPECT_EQ(v.integers, (std::vector<int64_t>{255, 127}));
}

TEST(TensorProtoDecoder, TypedFields) {
  TensorProtoValues v;
  std::string error;
  onnx::TensorProto f = proto(onnx::TensorProto::FLOAT, {3});
  for (float x : {0.25f, -1.0f, 3.0f})
    f.add_float_data(x);
  ASSERT_TRUE(decodeTensorProto(f, v, error)) << error;
  EXPECT_EQ(v.reals, (std::vector<double>{0.25, -1.0, 3.0}));

  onnx::TensorProto d = proto(onnx::TensorProto::DOUBLE, {1});
  d.add_double_data(0.1);
  ASSERT_TRUE(decodeTensorProto(d, v, error)) << error;
  EXPECT_EQ(v.reals, std::vector<double>{0.1});

  onnx::TensorProto i64 = proto(onnx::TensorProto::INT64, {2});
  i64.add_int64_data(INT64_MAX);
  i64.add_int64_data(-5);
  ASSERT_TRUE(decodeTensorProto(i64, v, error)) << error;
  EXPECT_EQ(v.integers, (std::vector<int64_t>{INT64_MAX, -5}));

  onnx::TensorProto i32 = proto(onnx::TensorProto::INT32, {1});
  i32.add_int32_data(-7);
  ASSERT_TRUE(decodeTensorProto(i32, v, error)) << error;
  EXPECT_EQ(v.integers, std::vector<int64_t>{-7});

  // BOOL and the small integers are widened into int32_data.
  onnx::TensorProto b = proto(onnx::TensorProto::BOOL, {2});
  b.add_int32_data(1);
  b.add_int32_data(0);
  ASSERT_TRUE(decodeTensorProto(b, v, error)) << error;
  EXPECT_FALSE(v.isFloat());
  EXPECT_EQ(v.integers, (std::vector<int64_t>{1, 0}));

  // A scalar (no dims) holds one value; a zero dimension none.
  onnx::TensorProto s = proto(onnx::TensorProto::FLOAT, {});
  s.add_float_data(2.0f);
  ASSERT_TRUE(decodeTensorProto(s, v, error)) << error;
  EXPECT_TRUE(v.shape.empty());
  EXPECT_EQ(v.reals, std::vector<double>{2.0});
  onnx::TensorProto e = proto(onnx::TensorProto::INT64, {0, 4});
  ASSERT_TRUE(decodeTensorProto(e, v, error)) << error;
  EXPECT_EQ(v.shape, (std::vector<int64_t>{0, 4}));
  EXPECT_TRUE(v.integers.empty());
}

TEST(TensorProtoDecoder, Errors) {
  auto expectError = [](const onnx::TensorProto &p, const std::string &part) {
    TensorProtoValues v;
    std::string error;
    EXPECT_FALSE(decodeTensorProto(p, v, error));
    EXPECT_NE(error.find(part), std::string::npos) << error;
  };
  onnx::TensorProto f = proto(onnx::TensorProto::FLOAT, {2, 2});
  f.set_raw_data(bytes({0, 0, 0}));
  expectError(f, "raw_data holds 3 bytes but shape [2,2] of FLOAT needs 16");
  f.set_raw_data(std::string(12, '\0'));
  expectError(f, "raw_data holds 12 bytes but shape [2,2] of FLOAT needs 16");
  f.clear_raw_data();
  for (int i = 0; i < 5; ++i)
    f.add_float_data(1.0f);
  expectError(f, "shape has 4 elements but 5 are stored");

  onnx::TensorProto i64 = proto(onnx::TensorProto::INT64, {2});
  i64.set_raw_data(std::string(8, '\0'));
  expectError(i64, "raw_data holds 8 bytes but shape [2] of INT64 needs 16");
  // Values in the wrong typed field are not the tensor's.
  onnx::TensorProto wrongField = proto(onnx::TensorProto::INT64, {1});
  wrongField.add_int32_data(3);
  expectError(wrongField, "shape has 1 elements but 0 are stored");
  onnx::TensorProto d = proto(onnx::TensorProto::DOUBLE, {1});
  d.add_float_data(1.0f);
  expectError(d, "shape has 1 elements but 0 are stored");

  // FLOAT16 is decoded (widened to FLOAT): its count is checked as FLOAT's.
  expectError(proto(onnx::TensorProto::FLOAT16, {1}),
              "shape has 1 elements but 0 are stored");
  expectError(proto(onnx::TensorProto::STRING, {1}),
              "data type STRING (8) is not supported");
  expectError(proto(onnx::TensorProto::FLOAT, {3, -1}),
              "negative dimension -1 at index 1");
  onnx::TensorProto huge = proto(onnx::TensorProto::FLOAT, {});
  for (int i = 0; i < 3; ++i)
    huge.add_dims(int64_t(1) << 30);
  // 2^90 elements.
  expectError(huge, "shape [1073741824,1073741824,1073741824] of FLOAT: "
                    "element count overflows");
  onnx::TensorProto ext = proto(onnx::TensorProto::FLOAT, {1});
  ext.set_data_location(onnx::TensorProto::EXTERNAL);
  expectError(ext, "external data is not supported");
  onnx::TensorProto seg = proto(onnx::TensorProto::FLOAT, {1});
  seg.mutable_segment()->set_begin(0);
  seg.add_float_data(1.0f);
  expectError(seg, "segmented tensors are not supported");
}

TEST(TensorIO, TruncatedAndGarbageNeverCrash) {
  support::Tensor t{{4, 4}, std::vector<float>(16, 1.0f)};
  std::string bytes, error, name;
  ASSERT_TRUE(serializeTensorProto(t, "input_0", bytes, error));
  int accepted = 0;
  for (size_t len = 0; len < bytes.size(); ++len) {
    support::Tensor back;
    if (parseTensorProto(bytes.substr(0, len), "t.pb", back, name, error))
      ++accepted;
    else
      EXPECT_FALSE(error.empty());
  }
  EXPECT_EQ(accepted, 0);
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string m = bytes;
    m[i] ^= 0x5a;
    support::Tensor back;
    if (parseTensorProto(m, "t.pb", back, name, error)) {
      size_t count = 1;
      for (int64_t d : back.shape)
        count *= d;
      EXPECT_EQ(count, back.data.size());
    } else {
      EXPECT_FALSE(error.empty());
    }
  }
  EXPECT_FALSE(readTensorProto("/nonexistent.pb", t, name, error));
  EXPECT_NE(error.find("/nonexistent.pb"), std::string::npos);
}

} // namespace
