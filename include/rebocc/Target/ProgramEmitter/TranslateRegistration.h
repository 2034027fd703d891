//===- TranslateRegistration.h - crossbar IR to program ---------*- C++ -*-===//

#ifndef REBOCC_TARGET_PROGRAMEMITTER_TRANSLATEREGISTRATION_H
#define REBOCC_TARGET_PROGRAMEMITTER_TRANSLATEREGISTRATION_H

namespace rebocc {

/// Registers the MLIR translations from the crossbar dialect to the program
/// (emitProgram for the hardware in the module's `rebocc.hw` attribute):
/// `crossbar-to-program`, the text form (`rebocc --emit=program`), and
/// `crossbar-to-rbp`, the program file (.rbp).
void registerToProgramTranslations();

} // namespace rebocc

#endif
