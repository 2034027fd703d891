//===- ProgramEmitter.h - crossbar dialect to program -----------*- C++ -*-===//

#ifndef REBOCC_TARGET_PROGRAMEMITTER_PROGRAMEMITTER_H
#define REBOCC_TARGET_PROGRAMEMITTER_PROGRAMEMITTER_H

#include "mlir/IR/BuiltinOps.h"
#include "rebocc/Target/Program/Program.h"

namespace rebocc {

/// Name of the argument/result attribute carrying the model's tensor name.
constexpr llvm::StringLiteral kTensorNameAttr = "rebocc.name";
/// Name of the result attribute carrying a model output's element type when
/// it is not float32 (a support::CastType name: int8 ... bfloat16).
constexpr llvm::StringLiteral kTensorTypeAttr = "rebocc.dtype";

/// Translates a module in the crossbar dialect (one function) into a
/// program for `hw`. Emits diagnostics at op locations and fails on anything
/// that is not lowered or does not follow the input_buffer -> mvm -> reduce
/// -> bias_add shape of a crossbar layer. With `releaseBlobs`, frees each
/// dense_resource blob (weights, biases, constants) once the program holds
/// its copy, so a large model's weights are not held twice: for a caller
/// that discards the module afterwards (its blobs then read as missing).
mlir::LogicalResult emitProgram(mlir::ModuleOp module,
                                const model::HardwareDesc &hw,
                                program::Program &out,
                                bool releaseBlobs = false);

} // namespace rebocc

#endif
