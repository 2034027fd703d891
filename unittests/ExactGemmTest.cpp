//===- ExactGemmTest.cpp - the GEMM path's bound and the worker pool ------===//
//
// fitsDoubleGemm against bounds worked out by hand (a double holds every
// integer up to 2^53), and TaskRunner's contract: every task once, worker
// indices below workers(), whatever the thread count.
//
//===----------------------------------------------------------------------===//

#include "../lib/Sim/ExactGemm.h"
#include "../lib/Sim/TaskRunner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

using namespace rebocc::sim;

namespace {

TEST(ExactGemm, DoubleBound) {
  // 16-bit codes: (2^15 - 1)^2 = 2^30 - 2^16 + 1 per product; 2^23 of them
  // sum to 2^53 - 2^39 + 2^23 <= 2^53, 2^23 + 2^10 of them to
  // 2^53 + 2^39 - 2^26 + 2^23 + 2^10 > 2^53.
  const int64_t max16 = (int64_t(1) << 15) - 1;
  EXPECT_TRUE(fitsDoubleGemm(int64_t(1) << 23, max16, max16));
  EXPECT_FALSE(fitsDoubleGemm((int64_t(1) << 23) + 1024, max16, max16));
  // 24-bit codes: (2^23 - 1)^2 = 2^46 - 2^24 + 1; 128 rows give
  // 2^53 - 2^31 + 2^7, 129 rows exceed 2^53 (exact-gemm.test's LeNet).
  const int64_t max24 = (int64_t(1) << 23) - 1;
  EXPECT_TRUE(fitsDoubleGemm(128, max24, max24));
  EXPECT_FALSE(fitsDoubleGemm(129, max24, max24));
  // Exactly 2^53 is still exact; one more is not representable.
  EXPECT_TRUE(fitsDoubleGemm(int64_t(1) << 53, 1, 1));
  EXPECT_FALSE(fitsDoubleGemm((int64_t(1) << 53) + 1, 1, 1));
  // An int64 overflow of the bound is a refusal, not a wrap-around.
  EXPECT_FALSE(
      fitsDoubleGemm(int64_t(1) << 40, int64_t(1) << 20, int64_t(1) << 20));
}

TEST(TaskRunner, EveryTaskOnceOnAKnownWorker) {
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    TaskRunner tasks(threads);
    EXPECT_EQ(tasks.workers(), threads);
    for (int64_t count : {0, 1, 2, 7, 1000}) {
      std::vector<std::atomic<int>> runs(count);
      std::atomic<bool> badWorker{false};
      tasks.forEach(count, [&](int64_t i, unsigned worker) {
        runs[i]++;
        if (worker >= threads)
          badWorker = true;
      });
      for (int64_t i = 0; i < count; ++i)
        EXPECT_EQ(runs[i].load(), 1) << threads << " threads, task " << i;
      EXPECT_FALSE(badWorker);
    }
  }
}

TEST(TaskRunner, OneWorkerRunsInOrderOnTheCaller) {
  TaskRunner tasks(1);
  std::vector<int64_t> order;
  tasks.forEach(5, [&](int64_t i, unsigned worker) {
    EXPECT_EQ(worker, 0u);
    order.push_back(i);
  });
  EXPECT_EQ(order, (std::vector<int64_t>{0, 1, 2, 3, 4}));
}

TEST(TaskRunner, ZeroMeansEveryHardwareThread) {
  TaskRunner tasks(0);
  EXPECT_GE(tasks.workers(), 1u);
}

} // namespace
