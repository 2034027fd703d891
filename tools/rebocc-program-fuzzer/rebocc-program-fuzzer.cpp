//===- rebocc-program-fuzzer.cpp - Fuzz the program loader ----------------===//
//
// libFuzzer target: bytes -> readProgram (syntax, sizes, checksums, verify()
// and verifyPlacement()), the loader behind `rebocc-sim PROGRAM.rbp`, then
// the text printer of `--print-program`. Any input must end in a valid
// program or an error message, never a crash, a leak or a timeout.
//
// Line 1 carries a checksum of every byte after it, so nearly every mutation
// would stop at the checksum and never reach the field parsers or verify().
// The target therefore rewrites a well-formed checksum field to the body's
// checksum before reading (the comparison itself is unit-tested).
//
//===----------------------------------------------------------------------===//

#include "rebocc/Support/FileIO.h"
#include "rebocc/Support/MemoryBudget.h"
#include "rebocc/Target/Program/Program.h"
#include "rebocc/Target/Program/ProgramIO.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

using namespace rebocc;

/// Sets the 16 hex digits after " checksum=0x" on line 1 to the seal64 of the
/// bytes after line 1, when line 1 has that field.
static void fixChecksum(std::string &bytes) {
  size_t eol = bytes.find('\n');
  if (eol == std::string::npos)
    return;
  const std::string key = " checksum=0x";
  size_t at = bytes.rfind(key, eol);
  if (at == std::string::npos || at + key.size() + 16 != eol)
    return;
  uint64_t sum = seal64(bytes.data() + eol + 1, bytes.size() - eol - 1);
  static const char kDigits[] = "0123456789abcdef";
  for (int i = 0; i < 16; ++i)
    bytes[eol - 1 - i] = kDigits[(sum >> (4 * i)) & 15];
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Below the runner's -rss_limit_mb (see rebocc-onnx-fuzzer).
  support::setMemoryBudget(uint64_t(256) << 20);
  std::string bytes(reinterpret_cast<const char *>(data), size);
  fixChecksum(bytes);
  program::Program program;
  std::string error;
  if (!program::readProgram(bytes, "fuzz.rbp", program, error))
    return 0;
  // The reader promises a verified program.
  if (!program::verify(program).empty())
    std::abort();
  (void)program::printText(program);
  return 0;
}
