//===- TaskRunner.cpp - the simulator's worker threads --------------------===//
//
// Every worker pulls the next task index from one counter: tasks of unequal
// cost (border tiles, the last partial tile) balance themselves, and which
// worker ran a task never shows in the results (TaskRunner.h).
//
//===----------------------------------------------------------------------===//

#include "TaskRunner.h"

#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"

#include <algorithm>
#include <atomic>

namespace rebocc::sim {

TaskRunner::TaskRunner(unsigned threads)
    : workerCount(
          threads
              ? threads
              : std::max(1u,
                         llvm::hardware_concurrency().compute_thread_count())) {
  if (workerCount > 1)
    pool = std::make_unique<llvm::StdThreadPool>(
        llvm::hardware_concurrency(workerCount));
}

TaskRunner::~TaskRunner() = default;

void TaskRunner::forEach(int64_t count,
                         llvm::function_ref<void(int64_t, unsigned)> task) {
  const unsigned used =
      static_cast<unsigned>(std::min<int64_t>(workerCount, count));
  if (used <= 1) {
    for (int64_t i = 0; i < count; ++i)
      task(i, 0);
    return;
  }
  std::atomic<int64_t> next{0};
  llvm::ThreadPoolTaskGroup group(*pool);
  for (unsigned w = 0; w < used; ++w)
    group.async([&next, count, task, w] {
      for (int64_t i = next++; i < count; i = next++)
        task(i, w);
    });
  group.wait();
}

} // namespace rebocc::sim
