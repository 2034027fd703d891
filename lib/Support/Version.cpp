//===- Version.cpp - rebocc version and build commit ----------------------===//

#include "rebocc/Support/Version.h"

#include "rebocc/Support/VersionInfo.inc"

#include "llvm/Support/raw_ostream.h"

std::string rebocc::versionString() {
  return std::string("rebocc ") + REBOCC_VERSION + " (git " +
         REBOCC_GIT_COMMIT + ")";
}

void rebocc::printVersion(llvm::raw_ostream &os) {
  os << versionString() << "\n";
}
