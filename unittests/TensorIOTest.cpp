//===- TensorIOTest.cpp - ONNX TensorProto files --------------------------===//

#include "rebocc/Support/TensorIO.h"

#include "onnx/onnx_pb.h"

#include <gtest/gtest.h>

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
  p.set_data_type(onnx::TensorProto::UINT8);
  p.add_dims(1);
  p.set_raw_data("a");
  expectError(p, "data type UINT8");
  p.set_data_type(onnx::TensorProto::FLOAT);
  expectError(p, "not a multiple");
  p.set_raw_data("abcdabcd");
  expectError(p, "shape has 1 elements but 2 are stored");
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
