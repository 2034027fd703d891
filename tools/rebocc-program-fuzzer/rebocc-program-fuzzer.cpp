//===- rebocc-program-fuzzer.cpp - Fuzz the program loader ----------------===//
//
// libFuzzer target: bytes -> readProgram (syntax, sizes, checksums, verify()
// and verifyPlacement()), the loader behind `rebocc-sim PROGRAM.rbp`, then
// the text printer of `--print-program`. Any input must end in a valid
// program or an error message, never a crash, a leak or a timeout.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Support/MemoryBudget.h"
#include "rebocc/Target/Program/Program.h"
#include "rebocc/Target/Program/ProgramIO.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

using namespace rebocc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Below the runner's -rss_limit_mb (see rebocc-onnx-fuzzer).
  support::setMemoryBudget(uint64_t(256) << 20);
  program::Program program;
  std::string error;
  if (!program::readProgram(
          std::string(reinterpret_cast<const char *>(data), size), "fuzz.rbp",
          program, error))
    return 0;
  // The reader promises a verified program.
  if (!program::verify(program).empty())
    std::abort();
  (void)program::printText(program);
  return 0;
}
