//===- rebocc-opt.cpp - run rebocc passes on .mlir files ------------------===//

#include "rebocc/Conversion/CirculantToCrossbar/CirculantToCrossbar.h"
#include "rebocc/Dialect/Circulant/CirculantDialect.h"
#include "rebocc/Dialect/Circulant/Passes.h"
#include "rebocc/Dialect/Crossbar/CrossbarDialect.h"
#include "rebocc/Dialect/Crossbar/Passes.h"
#include "rebocc/Support/Version.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
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
  rebocc::circulant::registerCirculantPasses();
  rebocc::registerConversionPasses();
  rebocc::crossbar::registerCrossbarPasses();
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();

  mlir::DialectRegistry registry;
  registry.insert<rebocc::circulant::CirculantDialect,
                  rebocc::crossbar::CrossbarDialect, mlir::func::FuncDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "rebocc optimizer driver\n", registry));
}
