//===- rebocc-translate.cpp - translate crossbar IR to programs -----------===//
//
//   rebocc-translate --crossbar-to-program model.mlir   program, text form
//   rebocc-translate --crossbar-to-rbp model.mlir -o model.rbp
//
//===----------------------------------------------------------------------===//

#include "rebocc/Target/ProgramEmitter/TranslateRegistration.h"
#include "rebocc/Support/Version.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "llvm/Support/CommandLine.h"

#include <cstring>

// LLVM's default -h (an alias of --help) also matched --hzz as a prefix and
// printed the help with exit status 0. This option displaces it; main turns
// a plain -h into --help before the driver parses the command line.
static llvm::cl::opt<bool> shortHelp("h", llvm::cl::desc("Alias for --help"),
                                     llvm::cl::Hidden);

int main(int argc, char **argv) {
  llvm::cl::SetVersionPrinter(rebocc::printVersion);
  static char help[] = "--help";
  for (int i = 1; i < argc; ++i)
    if (!std::strcmp(argv[i], "-h") || !std::strcmp(argv[i], "--h"))
      argv[i] = help;
  rebocc::registerToProgramTranslations();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "rebocc translation driver\n"));
}
