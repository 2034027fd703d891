//===- Version.cpp - rebocc version and build commit ----------------------===//

#include "rebocc/Support/Version.h"

#include "rebocc/Support/VersionInfo.inc"

#include "llvm/Support/raw_ostream.h"

std::string rebocc::versionString() {
  return std::string("rebocc ") + REBOCC_VERSION + " (git " +
         REBOCC_GIT_COMMIT + ")";
}

const char *rebocc::versionNumber() { return REBOCC_VERSION; }

const char *rebocc::gitCommit() { return REBOCC_GIT_COMMIT_FULL; }

void rebocc::printVersion(llvm::raw_ostream &os) {
  os << versionString() << "\n";
}
