//===- FileIO.cpp - Whole-file read/write and checksums -------------------===//

#include "rebocc/Support/FileIO.h"
#include "rebocc/Support/MemoryBudget.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace rebocc {

bool readFileBytes(const std::string &path, std::string &bytes,
                   std::string &error) {
  // Checked before reading: a huge file is one error, not minutes of reading
  // into memory the process does not have.
  uint64_t size = 0;
  if (!llvm::sys::fs::file_size(path, size)) {
    std::string problem = support::checkMemory(size, "reading the file");
    if (!problem.empty()) {
      error = path + ": " + problem;
      return false;
    }
  }
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f) {
    error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  bytes.clear();
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

bool writeFileStreamed(const std::string &path,
                       llvm::function_ref<void(llvm::raw_ostream &)> write,
                       std::string &error) {
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
  const unsigned char *p = reinterpret_cast<const unsigned char *>(bytes);
  for (size_t i = 0; i < count; ++i) {
    uint32_t bits = uint32_t(p[4 * i]) | uint32_t(p[4 * i + 1]) << 8 |
                    uint32_t(p[4 * i + 2]) << 16 | uint32_t(p[4 * i + 3]) << 24;
    std::memcpy(&values[i], &bits, 4);
  }
}

uint64_t fnv1a64Floats(const float *values, size_t count) {
  uint64_t hash = kFnv1a64Offset;
  for (size_t i = 0; i < count; ++i) {
    uint32_t bits;
    std::memcpy(&bits, &values[i], 4);
    unsigned char le[4] = {
        static_cast<unsigned char>(bits), static_cast<unsigned char>(bits >> 8),
        static_cast<unsigned char>(bits >> 16),
        static_cast<unsigned char>(bits >> 24)};
    hash = fnv1a64(le, 4, hash);
  }
  return hash;
}

} // namespace rebocc
