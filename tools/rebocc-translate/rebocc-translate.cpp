//===- rebocc-translate.cpp - translate crossbar IR to programs -----------===//
//
//   rebocc-translate --crossbar-to-program model.mlir   program, text form
//   rebocc-translate --crossbar-to-rbp model.mlir -o model.rbp
//
//===----------------------------------------------------------------------===//

#include "rebocc/Target/ProgramEmitter/TranslateRegistration.h"
#include "rebocc/Support/ToolCommandLine.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "llvm/Support/CommandLine.h"

int main(int argc, char **argv) {
  rebocc::setUpToolCommandLine(argc, argv);
  rebocc::registerToProgramTranslations();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "rebocc translation driver\n"));
}
