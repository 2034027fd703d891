//===- OnnxImporter.h - ONNX to the circulant dialect -----------*- C++ -*-===//

#ifndef REBOCC_FRONTEND_ONNX_ONNXIMPORTER_H
#define REBOCC_FRONTEND_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "onnx/onnx_pb.h"

#include <map>
#include <string>

namespace rebocc::onnxfe {

/// ONNX operator types the importer handles.
bool isSupportedOpType(const std::string &domain, const std::string &opType);

/// Builds a module with one function `main` in the circulant dialect, every
/// layer dense (block_size = 1). Graph inputs named in `frozenInputs` become
/// constants with the given values (weights shipped as graph inputs). On
/// error returns null and sets `error` to one message; unsupported operators
/// are listed together, each with its node names.
mlir::OwningOpRef<mlir::ModuleOp>
importModel(const onnx::ModelProto &model, mlir::MLIRContext &context,
            const std::string &fileName,
            const std::map<std::string, onnx::TensorProto> &frozenInputs,
            std::string &error);

} // namespace rebocc::onnxfe

#endif
