//===- TranslateRegistration.cpp - crossbar IR to program -----------------===//

#include "rebocc/Target/ProgramEmitter/TranslateRegistration.h"
#include "rebocc/Dialect/Circulant/CirculantDialect.h"
#include "rebocc/Dialect/Circulant/Utils.h"
#include "rebocc/Dialect/Crossbar/CrossbarDialect.h"
#include "rebocc/Target/Program/ProgramIO.h"
#include "rebocc/Target/ProgramEmitter/ProgramEmitter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"

using namespace mlir;
using namespace rebocc;

/// The program of `module` for the hardware in its `rebocc.hw` attribute.
static LogicalResult emitForModuleHardware(ModuleOp module,
                                           program::Program &out) {
  FailureOr<model::HardwareDesc> hw = getHardware(module);
  if (failed(hw))
    return failure();
  return emitProgram(module, *hw, out);
}

/// Circulant is registered so that IR not yet lowered gets the emitter's
/// "lower it to the crossbar dialect first" rather than a parse error.
static void registerDialects(DialectRegistry &registry) {
  registry.insert<circulant::CirculantDialect, crossbar::CrossbarDialect,
                  func::FuncDialect>();
}

void rebocc::registerToProgramTranslations() {
  TranslateFromMLIRRegistration text(
      "crossbar-to-program", "crossbar dialect to the program's text form",
      [](ModuleOp module, raw_ostream &os) -> LogicalResult {
        program::Program prog;
        if (failed(emitForModuleHardware(module, prog)))
          return failure();
        os << program::printText(prog);
        return success();
      },
      registerDialects);
  TranslateFromMLIRRegistration file(
      "crossbar-to-rbp", "crossbar dialect to a program file (.rbp)",
      [](ModuleOp module, raw_ostream &os) -> LogicalResult {
        program::Program prog;
        if (failed(emitForModuleHardware(module, prog)))
          return failure();
        std::string bytes, message;
        if (!program::writeProgram(prog, bytes, message))
          return module.emitError(message);
        os << bytes;
        return success();
      },
      registerDialects);
}
