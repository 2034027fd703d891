//===- FloatArrayTest.cpp - support::FloatArray views and copies ----------===//

#include "rebocc/Support/FloatArray.h"

#include <gtest/gtest.h>

#include <memory>
#include <numeric>
#include <string>

using rebocc::support::FloatArray;

namespace {

/// 1.0f, -2.5f and 0.5f as little-endian binary32 (0x3f800000, 0xc0200000,
/// 0x3f000000), one byte into the buffer so that they are misaligned.
std::shared_ptr<std::string> misalignedBytes() {
  return std::make_shared<std::string>(std::string("x") +
                                       std::string("\x00\x00\x80\x3f"
                                                   "\x00\x00\x20\xc0"
                                                   "\x00\x00\x00\x3f",
                                                   12));
}

TEST(FloatArray, ViewReadsMisalignedValues) {
  auto buffer = misalignedBytes();
  FloatArray a = FloatArray::viewOf(buffer->data() + 1, 3, buffer);
  ASSERT_TRUE(a.isView());
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0], 1.0f);
  EXPECT_EQ(a[1], -2.5f);
  EXPECT_EQ(a[2], 0.5f);
  EXPECT_EQ(std::accumulate(a.begin(), a.end(), 0.0f), -1.0f);
  EXPECT_EQ(a.end() - a.begin(), 3);
  EXPECT_EQ(a.toVector(), (std::vector<float>{1.0f, -2.5f, 0.5f}));
  float out[2];
  a.copyTo(1, 2, out);
  EXPECT_EQ(out[0], -2.5f);
  EXPECT_EQ(out[1], 0.5f);
  EXPECT_EQ(a, FloatArray({1.0f, -2.5f, 0.5f}));
  EXPECT_NE(a, FloatArray({1.0f, -2.5f}));
  EXPECT_NE(a, FloatArray({1.0f, -2.5f, 0.25f}));
}

TEST(FloatArray, ViewKeepsItsBufferAlive) {
  auto buffer = misalignedBytes();
  std::weak_ptr<std::string> watch = buffer;
  FloatArray a = FloatArray::viewOf(buffer->data() + 1, 3, buffer);
  buffer.reset();
  EXPECT_FALSE(watch.expired());
  FloatArray b = a; // a copy shares the view
  EXPECT_TRUE(b.isView());
  a.clear();
  EXPECT_FALSE(watch.expired());
  EXPECT_EQ(b[1], -2.5f);
  b = FloatArray();
  EXPECT_TRUE(watch.expired());
}

TEST(FloatArray, ChangingAViewCopiesIt) {
  auto buffer = misalignedBytes();
  const std::string before = *buffer;
  FloatArray a = FloatArray::viewOf(buffer->data() + 1, 3, buffer);
  FloatArray b = a;
  b.data()[0] = 7.0f;
  EXPECT_FALSE(b.isView());
  EXPECT_EQ(b.toVector(), (std::vector<float>{7.0f, -2.5f, 0.5f}));
  EXPECT_EQ(*buffer, before); // the viewed bytes are never written
  EXPECT_EQ(a[0], 1.0f);
  b.pop_back();
  b.push_back(4.0f);
  EXPECT_EQ(b.toVector(), (std::vector<float>{7.0f, -2.5f, 4.0f}));
  a.resize(4);
  EXPECT_EQ(a.toVector(), (std::vector<float>{1.0f, -2.5f, 0.5f, 0.0f}));
}

TEST(FloatArray, MovedFromIsEmpty) {
  FloatArray a = std::vector<float>{1.0f, 2.0f};
  FloatArray b = std::move(a);
  EXPECT_EQ(b.toVector(), (std::vector<float>{1.0f, 2.0f}));
  EXPECT_TRUE(a.empty()); // NOLINT(bugprone-use-after-move)
  a = b;
  b.data()[1] = 3.0f;
  EXPECT_EQ(a[1], 2.0f);
}

} // namespace
