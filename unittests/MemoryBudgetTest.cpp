//===- MemoryBudgetTest.cpp - --max-memory sizes and the budget check -----===//

#include "rebocc/Support/MemoryBudget.h"

#include <gtest/gtest.h>

using namespace rebocc::support;

namespace {

TEST(MemoryBudget, ParseSizes) {
  uint64_t bytes = 0;
  std::string error;
  EXPECT_TRUE(parseMemorySize("4096", bytes, error));
  EXPECT_EQ(bytes, 4096u);
  EXPECT_TRUE(parseMemorySize("2K", bytes, error));
  EXPECT_EQ(bytes, 2048u);
  EXPECT_TRUE(parseMemorySize("512M", bytes, error));
  EXPECT_EQ(bytes, 536870912u);
  EXPECT_TRUE(parseMemorySize("2G", bytes, error));
  EXPECT_EQ(bytes, 2147483648u);
  EXPECT_TRUE(parseMemorySize("1536MiB", bytes, error));
  EXPECT_EQ(bytes, 1610612736u);
  for (const char *bad : {"", "0", "12X", "-1G", "G", "1.5G",
                          "99999999999999999999G", "20000000000G"})
    EXPECT_FALSE(parseMemorySize(bad, bytes, error)) << bad;
}

TEST(MemoryBudget, CheckNamesWhatAndSize) {
  uint64_t saved = memoryBudget();
  setMemoryBudget(uint64_t(1) << 30);
  EXPECT_EQ(checkMemory(uint64_t(1) << 30, "x"), "");
  EXPECT_EQ(checkMemory((uint64_t(1) << 32) + 1, "tensor 'X'"),
            "tensor 'X' needs 4.0 GiB (4294967297 bytes), over the memory "
            "budget of 1.0 GiB (--max-memory)");
  setMemoryBudget(saved);
  EXPECT_GT(defaultMemoryBudget(), 0u);
}

TEST(MemoryBudget, FormatBytes) {
  EXPECT_EQ(formatBytes(17), "17 bytes");
  EXPECT_EQ(formatBytes(1536), "1.5 KiB");
  EXPECT_EQ(formatBytes(uint64_t(3) << 40), "3.0 TiB");
}

} // namespace
