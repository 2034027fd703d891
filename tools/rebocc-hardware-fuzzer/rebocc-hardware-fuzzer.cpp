//===- rebocc-hardware-fuzzer.cpp - Fuzz the hardware-description reader --===//
//
// libFuzzer target: bytes -> parseHardwareDesc (the JSON reader behind
// `--hw FILE.json`, which validates what it reads). Any input must end in a
// valid description or an error message, never a crash, a leak or a timeout.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/Hardware.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

using namespace rebocc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  model::HardwareDesc hw;
  std::string error;
  if (!model::parseHardwareDesc(
          std::string(reinterpret_cast<const char *>(data), size), "fuzz.json",
          hw, error))
    return 0;
  // The reader promises a validated description.
  if (!model::validate(hw).empty())
    std::abort();
  return 0;
}
