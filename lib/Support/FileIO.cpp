//===- FileIO.cpp - Whole-file read/write and checksums -------------------===//

#include "rebocc/Support/FileIO.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace rebocc {

bool readFileBytes(const std::string &path, std::string &bytes,
                   std::string &error) {
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

bool writeFileBytes(const std::string &path, const std::string &bytes,
                    std::string &error) {
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f) {
    error = path + ": cannot open for writing: " + std::strerror(errno);
    return false;
  }
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok)
    error = path + ": write error";
  return ok;
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
