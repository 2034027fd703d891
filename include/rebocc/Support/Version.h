//===- Version.h - rebocc version and build commit --------------*- C++ -*-===//
//
// What `--version` prints on every rebocc tool: the CMake project version and
// the git commit the binaries were built from.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_VERSION_H
#define REBOCC_SUPPORT_VERSION_H

#include <string>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace rebocc {

/// "rebocc 0.5.0 (git 1a2b3c4)"; "(git unknown)" when not built from a git
/// checkout.
std::string versionString();

/// The CMake project version, "0.5.0".
const char *versionNumber();

/// The full commit hash the binaries were built from, or "unknown".
const char *gitCommit();

/// Prints versionString() and a newline; for llvm::cl::SetVersionPrinter.
void printVersion(llvm::raw_ostream &os);

} // namespace rebocc

#endif // REBOCC_SUPPORT_VERSION_H
