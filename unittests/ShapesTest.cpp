//===- ShapesTest.cpp - the shared shape rules ----------------------------===//
//
// Expected values are worked by hand from the ONNX operator documentation
// (Add/Mul broadcasting, MaxPool/Conv output shape formulas).
//
//===----------------------------------------------------------------------===//

#include "rebocc/Support/Shapes.h"

#include <gtest/gtest.h>

using namespace rebocc::support;

namespace {

using Shape = std::vector<int64_t>;

TEST(Shapes, CeilDiv) {
  EXPECT_EQ(ceilDiv(0, 4), 0);
  EXPECT_EQ(ceilDiv(1, 4), 1);
  EXPECT_EQ(ceilDiv(8, 4), 2);
  EXPECT_EQ(ceilDiv(9, 4), 3);
  EXPECT_EQ(ceilDiv(784, 128), 7); // 6.125
}

TEST(Shapes, BroadcastNumpy) {
  EXPECT_EQ(broadcastShapes(Shape{2, 3, 4, 5}, Shape{}), (Shape{2, 3, 4, 5}));
  EXPECT_EQ(broadcastShapes(Shape{2, 3, 4, 5}, Shape{5}),
            (Shape{2, 3, 4, 5}));
  EXPECT_EQ(broadcastShapes(Shape{4, 5}, Shape{2, 3, 4, 5}),
            (Shape{2, 3, 4, 5}));
  EXPECT_EQ(broadcastShapes(Shape{1, 4, 5}, Shape{2, 3, 1, 1}),
            (Shape{2, 3, 4, 5}));
  EXPECT_EQ(broadcastShapes(Shape{3, 4, 5}, Shape{2, 1, 1, 1}),
            (Shape{2, 3, 4, 5}));
  EXPECT_EQ(broadcastShapes(Shape{0, 1}, Shape{1, 3}), (Shape{0, 3}));
  EXPECT_FALSE(broadcastShapes(Shape{2, 3}, Shape{3, 2}));
  EXPECT_FALSE(broadcastShapes(Shape{3}, Shape{4}));
}

TEST(Shapes, BroadcastDynamic) {
  // A dynamic size (MLIR's kDynamic, the program format's -1) broadcasts
  // only with 1 or itself.
  for (int64_t dyn : {int64_t(-1), INT64_MIN}) {
    EXPECT_EQ(broadcastShapes(Shape{dyn, 4}, Shape{1, 4}), (Shape{dyn, 4}));
    EXPECT_EQ(broadcastShapes(Shape{4}, Shape{dyn, 1}), (Shape{dyn, 4}));
    EXPECT_EQ(broadcastShapes(Shape{dyn, 4}, Shape{dyn, 4}), (Shape{dyn, 4}));
    EXPECT_FALSE(broadcastShapes(Shape{dyn, 4}, Shape{2, 4}));
  }
}

TEST(Shapes, MatMulShape) {
  EXPECT_EQ(matmulShape(Shape{3, 4}, Shape{4, 5}), (Shape{3, 5}));
  // Batch dims broadcast; a missing one is 1.
  EXPECT_EQ(matmulShape(Shape{2, 1, 3, 4}, Shape{6, 4, 5}),
            (Shape{2, 6, 3, 5}));
  EXPECT_EQ(matmulShape(Shape{-1, 3, 4}, Shape{4, 5}), (Shape{-1, 3, 5}));
  EXPECT_FALSE(matmulShape(Shape{3, 4}, Shape{5, 6}));    // inner dims
  EXPECT_FALSE(matmulShape(Shape{2, 3, 4}, Shape{3, 4, 5})); // batch
  EXPECT_FALSE(matmulShape(Shape{4}, Shape{4, 5}));       // rank 1
}

TEST(Shapes, WindowOutput) {
  // in, kernel, stride, pad begin, pad end, dilation, ceil mode.
  EXPECT_EQ(windowOutput(28, 5, 1, 0, 0, 1, false), 24);
  EXPECT_EQ(windowOutput(28, 5, 1, 2, 2, 1, false), 28);
  EXPECT_EQ(windowOutput(24, 2, 2, 0, 0, 1, false), 12);
  EXPECT_EQ(windowOutput(7, 3, 2, 0, 0, 1, false), 3);
  // Dilation 2 widens a 3-tap kernel to 5: (7 - 5) / 1 + 1.
  EXPECT_EQ(windowOutput(7, 3, 1, 0, 0, 2, false), 3);
  // 5 = 2 * 2 + 1: floor (5 - 2) / 2 + 1 = 2, ceil 3 (the third window
  // starts at 4, inside the input).
  EXPECT_EQ(windowOutput(5, 2, 2, 0, 0, 1, false), 2);
  EXPECT_EQ(windowOutput(5, 2, 2, 0, 0, 1, true), 3);
  // With 1 of trailing padding the ceil window would start at 6 >= 5 + 0,
  // entirely in the padding: dropped (ONNX reference, PyTorch).
  EXPECT_EQ(windowOutput(5, 3, 3, 0, 1, 1, true), 2);
  // A kernel longer than the padded input: no window without ceil mode;
  // with it, ceil((2 - 3) / 2 + 1) = 1 window starting at 0 (ONNX, ORT).
  EXPECT_EQ(windowOutput(2, 3, 2, 0, 0, 1, false), 0);
  EXPECT_EQ(windowOutput(2, 3, 2, 0, 0, 1, true), 1);
  EXPECT_LE(windowOutput(2, 5, 1, 0, 0, 1, false), 0);
}

TEST(Shapes, CheckedElementCount) {
  EXPECT_EQ(checkedElementCount({}), 1);
  EXPECT_EQ(checkedElementCount({1, 3, 224, 224}), 150528);
  EXPECT_EQ(checkedElementCount({4, 0, 7}), 0);
  // 2^31 * 2^31 = 2^62 fits; 2^32 * 2^31 = 2^63 does not.
  EXPECT_EQ(checkedElementCount({int64_t(1) << 31, int64_t(1) << 31}),
            int64_t(1) << 62);
  EXPECT_EQ(checkedElementCount({int64_t(1) << 32, int64_t(1) << 31}),
            std::nullopt);
  // The circulant reshape: 16 * (2^60 + 1) = 2^64 + 16 wraps to 16.
  EXPECT_EQ(checkedElementCount({1, (int64_t(1) << 60) + 1, 16}),
            std::nullopt);
  // A 0 dim does not hide an overflowing pair of other dims.
  EXPECT_EQ(checkedElementCount({0, int64_t(1) << 32, int64_t(1) << 32}),
            std::nullopt);
  EXPECT_EQ(checkedElementCount({2, -1}), std::nullopt);
  EXPECT_EQ(checkedElementCount({INT64_MIN, 4}), std::nullopt);
}

TEST(Shapes, CheckedByteSize) {
  EXPECT_EQ(checkedByteSize({1, 784}, 4), 3136);
  // 2^61 elements fit, 2^61 * 4 bytes = 2^63 does not.
  EXPECT_EQ(checkedByteSize({int64_t(1) << 61}, 4), std::nullopt);
  EXPECT_EQ(checkedByteSize({int64_t(1) << 60}, 4), int64_t(1) << 62);
}

TEST(Shapes, ShapeToString) {
  EXPECT_EQ(shapeToString({1, 784}), "[1,784]");
  EXPECT_EQ(shapeToString({}), "[]");
}

} // namespace
