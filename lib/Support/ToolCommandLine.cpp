//===- ToolCommandLine.cpp - command-line setup of every tool -------------===//

#include "rebocc/Support/ToolCommandLine.h"
#include "rebocc/Support/Version.h"

#include "llvm/Support/CommandLine.h"

#include <cstring>

namespace {
// Never read: it only takes LLVM's `-h` away (see setUpToolCommandLine).
llvm::cl::opt<bool> shortHelp("h", llvm::cl::desc("Alias for --help"),
                              llvm::cl::Hidden);
} // namespace

void rebocc::setUpToolCommandLine(int argc, char **argv) {
  llvm::cl::SetVersionPrinter(printVersion);
  static char help[] = "--help";
  for (int i = 1; i < argc; ++i)
    if (!std::strcmp(argv[i], "-h") || !std::strcmp(argv[i], "--h"))
      argv[i] = help;
}
