//===- MemoryBudget.h - The --max-memory budget ------------------*- C++ -*-===//
//
// One process-wide budget for what a file may make the tools allocate: the
// importer's constants and run-time tensors, input files, the interpreter's
// tensors. It is process-wide (set once from --max-memory by each tool) so
// every layer can check a size from its declared shape before allocating,
// without threading an option through every API. Going over is an error
// naming the tensor or layer and the size, never an out-of-memory abort.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_MEMORYBUDGET_H
#define REBOCC_SUPPORT_MEMORYBUDGET_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace rebocc::support {

/// Parses "SIZE" with an optional K, M or G suffix (powers of 1024; a
/// trailing B or iB is allowed: 512M, 2G, 1536MiB). Fails on anything else,
/// on 0 and on overflow.
bool parseMemorySize(llvm::StringRef text, uint64_t &bytes,
                     std::string &error);

/// 80% of physical memory, capped by the address-space limit (RLIMIT_AS).
uint64_t defaultMemoryBudget();

/// The budget in bytes (defaultMemoryBudget() until set).
uint64_t memoryBudget();
void setMemoryBudget(uint64_t bytes);

/// "" when `bytes` fit in the budget, otherwise "<what> needs 4.0 GiB
/// (4294967296 bytes), over the memory budget of 1.0 GiB (--max-memory)".
std::string checkMemory(uint64_t bytes, const std::string &what);

/// "1.5 GiB", "12 KiB", "17 bytes".
std::string formatBytes(uint64_t bytes);

} // namespace rebocc::support

#endif // REBOCC_SUPPORT_MEMORYBUDGET_H
