//===- rebocc-tensor-fuzzer.cpp - Fuzz the TensorProto input reader -------===//
//
// libFuzzer target: bytes -> parseTensorProto, the reader behind
// `rebocc-sim --input X.pb`. Any input must end in a tensor or an error
// message, never a crash, a leak or a timeout.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Support/MemoryBudget.h"
#include "rebocc/Support/TensorIO.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace rebocc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Below the runner's -rss_limit_mb (see rebocc-onnx-fuzzer).
  support::setMemoryBudget(uint64_t(256) << 20);
  support::Tensor tensor;
  std::string name, error;
  int dataType = 0;
  parseTensorProto(std::string(reinterpret_cast<const char *>(data), size),
                   "fuzz.pb", tensor, name, error, &dataType);
  return 0;
}
