// Uses the installed headers and libraries: the version, a hash, the bundled
// hardware description and the cost model's library.
#include "rebocc/Model/Hardware.h"
#include "rebocc/Sim/Driver.h"
#include "rebocc/Support/Provenance.h"
#include "rebocc/Support/Version.h"

#include <cstdio>

int main() {
  rebocc::model::HardwareDesc hw;
  std::string error;
  if (!rebocc::model::loadHardwareDesc(REBOCC_HW_FILE, hw, error)) {
    std::fprintf(stderr, "consumer: error: %s\n", error.c_str());
    return 1;
  }
  std::printf("version %s\n", rebocc::versionNumber());
  std::printf("sha256(abc) %s\n", rebocc::support::sha256Hex("abc").c_str());
  std::printf("hw %s adc_bits %lld valid %d\n", hw.name.c_str(),
              static_cast<long long>(hw.adcBits),
              rebocc::model::validate(hw).empty());
  return 0;
}
