//===- TaskRunner.h - the simulator's worker threads ------------*- C++ -*-===//
//
// Private to lib/Sim. The pool behind `-j N`: a layer splits its work into
// tasks that each write their own outputs, so the results do not depend on
// which thread runs which task, nor on the number of threads.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_LIB_SIM_TASKRUNNER_H
#define REBOCC_LIB_SIM_TASKRUNNER_H

#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstdint>
#include <memory>

namespace llvm {
class ThreadPoolInterface;
} // namespace llvm

namespace rebocc::sim {

class TaskRunner {
public:
  /// `threads` workers; 0: one per hardware thread. With one worker the
  /// tasks run on the calling thread, and no thread is started.
  explicit TaskRunner(unsigned threads);
  ~TaskRunner();
  TaskRunner(const TaskRunner &) = delete;
  TaskRunner &operator=(const TaskRunner &) = delete;

  unsigned workers() const { return workerCount; }

  /// Runs task(i, worker) once for every i in [0, count) and returns when
  /// all are done. `worker` < workers() names the thread running the task
  /// (the index of its scratch); no two tasks with the same worker overlap.
  void forEach(int64_t count, llvm::function_ref<void(int64_t, unsigned)> task);

private:
  unsigned workerCount;
  std::unique_ptr<llvm::ThreadPoolInterface> pool;
};

} // namespace rebocc::sim

#endif // REBOCC_LIB_SIM_TASKRUNNER_H
