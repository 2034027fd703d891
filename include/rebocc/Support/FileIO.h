//===- FileIO.h - Whole-file read/write and checksums -----------*- C++ -*-===//
//
// Small helpers shared by the readers and writers (no exceptions: errors are
// returned as one message naming the path).
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_FILEIO_H
#define REBOCC_SUPPORT_FILEIO_H

#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace rebocc {

/// Reads the whole file at `path` into `bytes`.
bool readFileBytes(const std::string &path, std::string &bytes,
                   std::string &error);

/// Writes `bytes` to `path`, replacing it atomically: the bytes go to a
/// temporary file in the same directory, renamed over `path` once complete.
bool writeFileBytes(const std::string &path, const std::string &bytes,
                    std::string &error);

/// As writeFileBytes, with the bytes written by `write` as it produces them,
/// so that a large file need not be held in memory.
bool writeFileStreamed(const std::string &path,
                       llvm::function_ref<void(llvm::raw_ostream &)> write,
                       std::string &error);

/// Whether `path` can be written: not a directory, in an existing writable
/// directory. Tools check their output paths with it before doing the work
/// whose result they would write.
bool checkWritablePath(const std::string &path, std::string &error);

/// 64-bit FNV-1a. Any single changed byte changes the hash (each step is a
/// bijection of the state), which is what the program format relies on.
constexpr uint64_t kFnv1a64Offset = 0xcbf29ce484222325ULL;
inline uint64_t fnv1a64(const void *data, size_t size,
                        uint64_t hash = kFnv1a64Offset) {
  const unsigned char *p = static_cast<const unsigned char *>(data);
  for (size_t i = 0; i < size; ++i) {
    hash ^= p[i];
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

/// Appends `count` floats as little-endian IEEE binary32.
void appendFloatsLE(std::string &out, const float *values, size_t count);
/// Decodes `count` little-endian binary32 floats from `bytes`.
void decodeFloatsLE(const char *bytes, size_t count, float *values);

/// FNV-1a 64 of the little-endian encoding of `values` (what the program file
/// stores), independent of the host byte order.
uint64_t fnv1a64Floats(const float *values, size_t count);

} // namespace rebocc

#endif // REBOCC_SUPPORT_FILEIO_H
