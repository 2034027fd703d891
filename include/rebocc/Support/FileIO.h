//===- FileIO.h - Whole-file read/write and checksums -----------*- C++ -*-===//
//
// Small helpers shared by the readers and writers (no exceptions: errors are
// returned as one message naming the path).
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_FILEIO_H
#define REBOCC_SUPPORT_FILEIO_H

#include "rebocc/Support/FloatArray.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace rebocc {

/// Reads the whole file at `path` into `bytes`.
/// Whether a file of `path`'s size fits the memory budget (MemoryBudget.h),
/// checked before reading it: a huge file is one error naming `path`, not
/// minutes of reading into memory the process does not have. A file whose
/// size cannot be read passes (opening it reports the problem).
bool checkFileFitsMemory(const std::string &path, std::string &error);

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

/// The program format's checksum ("seal64", docs/ProgramFormat.md): eight
/// independent lanes, each folding one little-endian 64-bit word of every
/// 64-byte block (the last block zero-padded) by h = rotl((h ^ w) * P, 29),
/// then the lanes and the byte count folded into one word the same way and
/// mixed. Every step is a bijection of the lane's state for a fixed word and
/// of the word for a fixed state, so any single changed byte (any changes
/// within one 8-byte word) changes the hash, which is what the program format
/// relies on; the lanes run in parallel, about 8 bytes per cycle instead of
/// FNV-1a's one byte per multiply latency.
uint64_t seal64(const void *data, size_t size);

/// seal64 of bytes fed in pieces: digest() equals seal64 of everything
/// update() was given, in order. The program writer streams a file with it
/// and never holds the whole data section.
class Seal64 {
public:
  Seal64();
  void update(const void *data, size_t size);
  uint64_t digest() const;

private:
  uint64_t lane[8];
  unsigned char pending[64];
  size_t pendingSize = 0;
  uint64_t total = 0;
};

/// Whether floats are stored little-endian here, as program files store
/// them (so that their bytes can be read in place).
constexpr bool hostIsLittleEndian() {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return true;
#else
  return false;
#endif
}

/// Appends `count` floats as little-endian IEEE binary32.
void appendFloatsLE(std::string &out, const float *values, size_t count);
/// Decodes `count` little-endian binary32 floats from `bytes`.
void decodeFloatsLE(const char *bytes, size_t count, float *values);

/// seal64 of the little-endian encoding of `values` (what the program file
/// stores), independent of the host byte order.
uint64_t seal64FloatsLE(const support::FloatArray &values);

} // namespace rebocc

#endif // REBOCC_SUPPORT_FILEIO_H
