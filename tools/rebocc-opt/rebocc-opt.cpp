//===- rebocc-opt.cpp - run rebocc passes on .mlir files ------------------===//

#include "rebocc/Conversion/CirculantToCrossbar/CirculantToCrossbar.h"
#include "rebocc/Dialect/Circulant/CirculantDialect.h"
#include "rebocc/Dialect/Circulant/Passes.h"
#include "rebocc/Dialect/Crossbar/CrossbarDialect.h"
#include "rebocc/Dialect/Crossbar/Passes.h"
#include "rebocc/Support/ToolCommandLine.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/CommandLine.h"

int main(int argc, char **argv) {
  rebocc::setUpToolCommandLine(argc, argv);
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
