//===- CirculantTest.cpp - expand / project / detect ----------------------===//

#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace rebocc;

TEST(Circulant, ExpandFollowsConvention) {
  // One 3x3 block: row 0 is w, each next row is shifted right by one.
  std::vector<float> w = {1, 2, 3};
  std::vector<float> W = circulant::expand(w.data(), 3, 3, 3);
  std::vector<float> expected = {1, 2, 3, 3, 1, 2, 2, 3, 1};
  EXPECT_EQ(W, expected);
}

TEST(Circulant, ProjectInvertsExpand) {
  int64_t m = 24, n = 40, k = 8;
  std::vector<float> w = test::randomVector(3 * 5 * 8, 7);
  std::vector<float> W = circulant::expand(w.data(), m, n, k);
  double rel = 1;
  std::vector<float> back = circulant::project(W.data(), m, n, k, rel);
  ASSERT_EQ(back.size(), w.size());
  for (size_t i = 0; i < w.size(); ++i)
    EXPECT_NEAR(back[i], w[i], 1e-6);
  EXPECT_NEAR(rel, 0.0, 1e-7);
}

TEST(Circulant, RaggedRoundTrip) {
  // m, n not multiples of k: padding positions are excluded, so projecting
  // the expansion reproduces the same dense matrix.
  int64_t m = 10, n = 7, k = 4;
  std::vector<float> w = test::randomVector(3 * 2 * 4, 9);
  std::vector<float> W = circulant::expand(w.data(), m, n, k);
  double rel = 1;
  std::vector<float> proj = circulant::project(W.data(), m, n, k, rel);
  std::vector<float> W2 = circulant::expand(proj.data(), m, n, k);
  for (size_t i = 0; i < W.size(); ++i)
    EXPECT_NEAR(W2[i], W[i], 1e-6);
  EXPECT_NEAR(rel, 0.0, 1e-7);
}

TEST(Circulant, ProjectionOfKnownMatrix) {
  // W[r][c] = 4r + c + 1, k = 2. In every 2x2 block the diagonal t = 0 holds
  // {b, b+5} and t = 1 holds {b+1, b+4}: both average to b + 2.5.
  std::vector<float> W(16);
  for (int i = 0; i < 16; ++i)
    W[i] = static_cast<float>(i + 1);
  double rel = 0;
  std::vector<float> w = circulant::project(W.data(), 4, 4, 2, rel);
  std::vector<float> expected = {3.5, 3.5, 5.5, 5.5, 11.5, 11.5, 13.5, 13.5};
  ASSERT_EQ(w.size(), expected.size());
  for (size_t i = 0; i < w.size(); ++i)
    EXPECT_FLOAT_EQ(w[i], expected[i]);
  // Residuals are +-2.5 and +-1.5 in each block: 4 * 17 = 68 against
  // sum(1..16)^2 = 1496, so relError = sqrt(68/1496) = 1/sqrt(22).
  EXPECT_NEAR(rel, 1.0 / std::sqrt(22.0), 1e-9);
  // Largest deviation 2.5 against max |W| = 16.
  EXPECT_NEAR(circulant::maxRelativeDeviation(W.data(), 4, 4, 2), 2.5 / 16,
              1e-9);
}

TEST(Circulant, DiagonalsWithinStrided) {
  // Rows 4 floats apart; columns 2-3 of each row are another matrix's.
  // The 2 x 2 block [[1, 2], [2, 1]] is circulant at k = 2; its neighbour
  // [[9, 9], [7, 5]] is not, and must not be read.
  const float rows[] = {1, 2, 9, 9, 2, 1, 7, 5};
  EXPECT_TRUE(circulant::diagonalsWithin(rows, 2, 2, 4, 2, 0.0));
  EXPECT_FALSE(circulant::diagonalsWithin(rows + 2, 2, 2, 4, 2, 0.0));
  // [[9, 9], [7, 5]]: entry (1, 0) = 7 against 9 and (1, 1) = 5 against 9:
  // the largest gap is 4.
  EXPECT_FALSE(circulant::diagonalsWithin(rows + 2, 2, 2, 4, 2, 3.9));
  EXPECT_TRUE(circulant::diagonalsWithin(rows + 2, 2, 2, 4, 2, 4.0));
}

TEST(Circulant, DetectBlockSize) {
  const std::vector<int64_t> candidates = {2, 4, 8, 16};
  int64_t m = 32, n = 64, k = 8;
  std::vector<float> w = test::randomVector(4 * 8 * 8, 11);
  std::vector<float> W = circulant::expand(w.data(), m, n, k);
  EXPECT_EQ(circulant::detectBlockSize(W.data(), m, n, candidates, 1e-3), 8);

  // Within tolerance: tiny noise still detects 8.
  std::vector<float> noise = test::randomVector(W.size(), 12, -1e-5f, 1e-5f);
  std::vector<float> slightly = W;
  for (size_t i = 0; i < W.size(); ++i)
    slightly[i] += noise[i];
  EXPECT_EQ(
      circulant::detectBlockSize(slightly.data(), m, n, candidates, 1e-3), 8);

  // Real noise: no structure.
  std::vector<float> big = test::randomVector(W.size(), 13, -0.2f, 0.2f);
  std::vector<float> noisy = W;
  for (size_t i = 0; i < W.size(); ++i)
    noisy[i] += big[i];
  EXPECT_EQ(circulant::detectBlockSize(noisy.data(), m, n, candidates, 1e-3),
            1);

  // Ragged shapes: no candidate divides both dimensions.
  std::vector<float> wr = test::randomVector(4 * 8 * 8, 14);
  std::vector<float> Wr = circulant::expand(wr.data(), 30, 63, 8);
  EXPECT_EQ(circulant::detectBlockSize(Wr.data(), 30, 63, candidates, 1e-3),
            1);

  // A dense random matrix is not circulant for any k.
  std::vector<float> dense = test::randomVector(32 * 64, 15);
  EXPECT_EQ(
      circulant::detectBlockSize(dense.data(), 32, 64, candidates, 1e-3), 1);
}
