//===- MemoryBudget.cpp - The --max-memory budget -------------------------===//

#include "rebocc/Support/MemoryBudget.h"

#include "llvm/Support/CheckedArithmetic.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <sys/resource.h>
#include <unistd.h>

namespace rebocc::support {

namespace {
uint64_t budget = 0; // 0: not set yet, defaultMemoryBudget().
} // namespace

bool parseMemorySize(llvm::StringRef text, uint64_t &bytes,
                     std::string &error) {
  llvm::StringRef digits = text.trim();
  uint64_t scale = 1;
  if (!digits.consume_back_insensitive("ib"))
    digits.consume_back_insensitive("b");
  if (digits.consume_back_insensitive("k"))
    scale = uint64_t(1) << 10;
  else if (digits.consume_back_insensitive("m"))
    scale = uint64_t(1) << 20;
  else if (digits.consume_back_insensitive("g"))
    scale = uint64_t(1) << 30;
  uint64_t value;
  std::optional<uint64_t> total;
  if (digits.empty() || digits.getAsInteger(10, value) ||
      !(total = llvm::checkedMulUnsigned(value, scale)) || *total == 0) {
    error = "'" + text.str() +
            "' is not a memory size (a positive number with an optional K, M "
            "or G suffix)";
    return false;
  }
  bytes = *total;
  return true;
}

uint64_t defaultMemoryBudget() {
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
  uint64_t physical = pages > 0 && pageSize > 0
                          ? uint64_t(pages) * uint64_t(pageSize)
                          : uint64_t(4) << 30;
  uint64_t result = physical / 10 * 8;
  struct rlimit limit;
  if (getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    result = std::min<uint64_t>(result, limit.rlim_cur);
  return result;
}

uint64_t memoryBudget() { return budget ? budget : defaultMemoryBudget(); }

void setMemoryBudget(uint64_t bytes) { budget = bytes; }

std::string formatBytes(uint64_t bytes) {
  static const char *units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024)
    return std::to_string(bytes) + " bytes";
  double value = double(bytes) / 1024;
  int unit = 0;
  while (value >= 1024 && unit < 5) {
    value /= 1024;
    ++unit;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f %s", value, units[unit]);
  return buffer;
}

std::string checkMemory(uint64_t bytes, const std::string &what) {
  uint64_t limit = memoryBudget();
  if (bytes <= limit)
    return "";
  return what + " needs " + formatBytes(bytes) + " (" + std::to_string(bytes) +
         " bytes), over the memory budget of " + formatBytes(limit) +
         " (--max-memory)";
}

} // namespace rebocc::support
