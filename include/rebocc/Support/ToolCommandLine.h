//===- ToolCommandLine.h - command-line setup of every tool -----*- C++ -*-===//
//
// What every rebocc tool does before llvm::cl parses its command line.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_TOOLCOMMANDLINE_H
#define REBOCC_SUPPORT_TOOLCOMMANDLINE_H

namespace rebocc {

/// Makes `--version` print versionString(), and `-h` exactly `--help`: LLVM's
/// own `-h` also matched as a prefix, so `--hzz` or `--hw-sett` printed the
/// help and exited 0. A hidden `-h` option displaces LLVM's, and a plain
/// `-h` (or `--h`) in `argv` is rewritten to `--help` before parsing.
void setUpToolCommandLine(int argc, char **argv);

} // namespace rebocc

#endif // REBOCC_SUPPORT_TOOLCOMMANDLINE_H
