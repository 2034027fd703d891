//===- FileIO.cpp - Whole-file read/write and checksums -------------------===//

#include "rebocc/Support/FileIO.h"
#include "rebocc/Support/MemoryBudget.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace rebocc {

bool checkFileFitsMemory(const std::string &path, std::string &error) {
  uint64_t size = 0;
  if (llvm::sys::fs::file_size(path, size))
    return true;
  std::string problem = support::checkMemory(size, "reading the file");
  if (problem.empty())
    return true;
  error = path + ": " + problem;
  return false;
}

bool readFileBytes(const std::string &path, std::string &bytes,
                   std::string &error) {
  if (!checkFileFitsMemory(path, error))
    return false;
  uint64_t size = 0;
  if (llvm::sys::fs::file_size(path, size))
    size = 0;
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f) {
    error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  bytes.clear();
  // One allocation for the whole file (a program is tens of MB): growing the
  // string chunk by chunk copied it about twice more.
  bytes.reserve(size);
  char buffer[1 << 16];
  size_t got;
  while ((got = std::fread(buffer, 1, sizeof(buffer), f)) > 0)
    bytes.append(buffer, got);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) {
    error = path + ": read error (is it a directory?)";
    return false;
  }
  return true;
}

static bool writeInPlace(const std::string &path,
                         llvm::function_ref<void(llvm::raw_ostream &)> write,
                         std::string &error) {
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec);
  if (ec) {
    error = path + ": cannot open for writing: " + ec.message();
    return false;
  }
  write(out);
  out.close();
  if (!out.has_error())
    return true;
  out.clear_error();
  error = path + ": write error";
  return false;
}

bool writeFileStreamed(const std::string &path,
                       llvm::function_ref<void(llvm::raw_ostream &)> write,
                       std::string &error) {
  // A device, pipe or terminal (/dev/null, /dev/stdout, a FIFO) is written
  // in place: renaming a file over it would replace the device itself.
  llvm::sys::fs::file_status status;
  if (!llvm::sys::fs::status(path, status) &&
      llvm::sys::fs::exists(status) &&
      !llvm::sys::fs::is_regular_file(status))
    return writeInPlace(path, write, error);
  // Written beside `path` and renamed over it: a killed run or a full disk
  // leaves the old file (or none), never a truncated one, and the rename
  // stays within one file system.
  llvm::SmallString<256> tempPath;
  int fd;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(
          path + ".tmp-%%%%%%", fd, tempPath)) {
    error = path + ": cannot open for writing: " + ec.message();
    return false;
  }
  bool ok;
  {
    llvm::raw_fd_ostream out(fd, /*shouldClose=*/true);
    write(out);
    out.close();
    ok = !out.has_error();
    out.clear_error();
  }
  if (ok) {
    if (std::error_code ec = llvm::sys::fs::rename(tempPath, path)) {
      error = path + ": cannot write: " + ec.message();
      llvm::sys::fs::remove(tempPath);
      return false;
    }
    return true;
  }
  llvm::sys::fs::remove(tempPath);
  error = path + ": write error";
  return false;
}

bool writeFileBytes(const std::string &path, const std::string &bytes,
                    std::string &error) {
  return writeFileStreamed(
      path, [&](llvm::raw_ostream &out) { out.write(bytes.data(), bytes.size()); },
      error);
}

bool checkWritablePath(const std::string &path, std::string &error) {
  if (llvm::sys::fs::is_directory(path)) {
    error = path + ": is a directory, not a file to write";
    return false;
  }
  // A device or pipe is written in place (writeFileStreamed), so its
  // directory need not be writable.
  llvm::sys::fs::file_status status;
  if (!llvm::sys::fs::status(path, status) &&
      llvm::sys::fs::exists(status) && !llvm::sys::fs::is_regular_file(status))
    return true;
  llvm::SmallString<256> parent(llvm::sys::path::parent_path(path));
  if (parent.empty())
    parent = ".";
  if (!llvm::sys::fs::is_directory(parent)) {
    error = path + ": cannot write: directory " + std::string(parent) +
            " does not exist";
    return false;
  }
  if (llvm::sys::fs::access(parent, llvm::sys::fs::AccessMode::Write)) {
    error = path + ": cannot write: directory " + std::string(parent) +
            " is not writable";
    return false;
  }
  return true;
}

void appendFloatsLE(std::string &out, const float *values, size_t count) {
  size_t base = out.size();
  out.resize(base + 4 * count);
  for (size_t i = 0; i < count; ++i) {
    uint32_t bits;
    std::memcpy(&bits, &values[i], 4);
    for (int b = 0; b < 4; ++b)
      out[base + 4 * i + b] = static_cast<char>((bits >> (8 * b)) & 0xff);
  }
}

void decodeFloatsLE(const char *bytes, size_t count, float *values) {
  if (hostIsLittleEndian()) {
    std::memcpy(values, bytes, 4 * count);
    return;
  }
  const unsigned char *p = reinterpret_cast<const unsigned char *>(bytes);
  for (size_t i = 0; i < count; ++i) {
    uint32_t bits = uint32_t(p[4 * i]) | uint32_t(p[4 * i + 1]) << 8 |
                    uint32_t(p[4 * i + 2]) << 16 | uint32_t(p[4 * i + 3]) << 24;
    std::memcpy(&values[i], &bits, 4);
  }
}

namespace {

constexpr uint64_t kSealPrime = 0x9e3779b97f4a7c15ULL;
constexpr uint64_t kSealMix = 0xff51afd7ed558ccdULL;

inline uint64_t loadLE64(const unsigned char *p) {
  uint64_t v = 0;
  for (int b = 0; b < 8; ++b)
    v |= uint64_t(p[b]) << (8 * b);
  return v;
}

/// One step: xor, multiply by an odd constant, rotate; each a bijection.
inline uint64_t sealStep(uint64_t h, uint64_t w) {
  h = (h ^ w) * kSealPrime;
  return (h << 29) | (h >> 35);
}

inline void sealBlock(uint64_t (&lane)[8], const unsigned char *block) {
  for (int i = 0; i < 8; ++i)
    lane[i] = sealStep(lane[i], loadLE64(block + 8 * i));
}

} // namespace

Seal64::Seal64() {
  // Distinct starting states, so equal words in different lanes differ.
  for (int i = 0; i < 8; ++i)
    lane[i] = kSealMix * uint64_t(2 * i + 1);
}

void Seal64::update(const void *data, size_t size) {
  const unsigned char *p = static_cast<const unsigned char *>(data);
  total += size;
  if (pendingSize) {
    size_t take = std::min(size, 64 - pendingSize);
    std::memcpy(pending + pendingSize, p, take);
    pendingSize += take;
    p += take;
    size -= take;
    if (pendingSize < 64)
      return;
    sealBlock(lane, pending);
    pendingSize = 0;
  }
  size_t blocks = size / 64;
  for (size_t b = 0; b < blocks; ++b)
    sealBlock(lane, p + 64 * b);
  pendingSize = size % 64;
  std::memcpy(pending, p + 64 * blocks, pendingSize);
}

uint64_t Seal64::digest() const {
  uint64_t state[8];
  std::memcpy(state, lane, sizeof(state));
  if (pendingSize) {
    unsigned char tail[64] = {};
    std::memcpy(tail, pending, pendingSize);
    sealBlock(state, tail);
  }
  // The byte count tells a zero-padded tail from stored zero bytes.
  uint64_t h = 0;
  for (int i = 0; i < 8; ++i)
    h = sealStep(h, state[i]);
  h = sealStep(h, total);
  h ^= h >> 33;
  h *= kSealMix;
  h ^= h >> 33;
  return h;
}

uint64_t seal64(const void *data, size_t size) {
  Seal64 seal;
  seal.update(data, size);
  return seal.digest();
}

uint64_t seal64FloatsLE(const support::FloatArray &values) {
  if (hostIsLittleEndian())
    return seal64(values.bytes(), 4 * values.size());
  std::vector<float> copy = values.toVector();
  std::string bytes;
  appendFloatsLE(bytes, copy.data(), copy.size());
  return seal64(bytes.data(), bytes.size());
}

} // namespace rebocc
