//===- SimSupport.h - helpers shared by the simulator's files ---*- C++ -*-===//
//
// Private to lib/Sim. The interpreter is spread over files by purpose:
// Interpreter.cpp (run(), instruction dispatch, input checks),
// CrossbarEngine.cpp (crossbar layers) and DigitalKernels.cpp (digital
// instructions).
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_LIB_SIM_SIMSUPPORT_H
#define REBOCC_LIB_SIM_SIMSUPPORT_H

#include <cstdint>
#include <string>
#include <vector>

namespace rebocc::sim {

inline std::string str(int64_t v) { return std::to_string(v); }

/// Element count of `shape`, or -1 when a dimension is negative or the count
/// exceeds 2^30 (outputs larger than that are refused, not attempted).
inline int64_t boundedCount(const std::vector<int64_t> &shape) {
  int64_t count = 1;
  for (int64_t dim : shape)
    if (dim < 0 || __builtin_mul_overflow(count, dim, &count) ||
        count > (int64_t(1) << 30))
      return -1;
  return count;
}

} // namespace rebocc::sim

#endif // REBOCC_LIB_SIM_SIMSUPPORT_H
