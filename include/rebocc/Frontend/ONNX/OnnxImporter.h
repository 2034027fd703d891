//===- OnnxImporter.h - ONNX to the circulant dialect -----------*- C++ -*-===//

#ifndef REBOCC_FRONTEND_ONNX_ONNXIMPORTER_H
#define REBOCC_FRONTEND_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include "onnx/onnx_pb.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rebocc::onnxfe {

class DeferredRawData;

/// The newest default-domain opset whose semantics the importer knows.
/// A newer (or a 0) opset is an error; opsets 7 to kMaxOpset are
/// supported, older ones on a best-effort basis.
constexpr int64_t kMaxOpset = 21;

/// ONNX operator types the importer handles.
bool isSupportedOpType(const std::string &domain, const std::string &opType);

/// A Markdown table (op, domain, notes) of every operator the importer
/// handles, generated from its operator table (`rebocc --list-onnx-ops`;
/// docs/SupportedOps.md holds a copy that a test keeps in sync).
std::string supportedOpsMarkdown();

/// Reads every tensor of `model` stored in an external file (ONNX external
/// data: a relative `location` in the model's directory, `offset`,
/// `length`) into its raw_data. Unsafe locations, ranges outside the file,
/// a model from standard input ("-") and the memory budget are errors.
bool loadExternalData(onnx::ModelProto &model, const std::string &modelPath,
                      std::string &error);

/// The estimated peak memory of compiling `model`, from its constant tensors
/// (initializers and Constant nodes) before any is imported
/// (MemoryEstimate.cpp): "" when it fits the --max-memory budget, otherwise
/// the error, naming the largest tensor.
std::string checkCompileMemory(const onnx::ModelProto &model);

/// What the command line says about the model's inputs (docs/Usage.md,
/// "Dynamic shapes").
struct ImportOptions {
  /// Graph inputs that become constants with the given values
  /// (--freeze-input): weights shipped as graph inputs, or a sample rate or
  /// flag whose If nodes then fold.
  std::map<std::string, onnx::TensorProto> frozenInputs;
  /// Full shapes of graph inputs (--input-shape NAME=1x3x48x320).
  std::map<std::string, std::vector<int64_t>> inputShapes;
  /// Values of symbolic dimensions (dim_param) of graph inputs
  /// (--dim SYMBOL=VALUE).
  std::map<std::string, int64_t> dims;
  /// The input bits of the chip the model is compiled for (input_bits):
  /// a layer reads 16-bit activation codes, which take 17 signed bits, only
  /// when the chip drives that many; otherwise it quantizes its float input
  /// as any other layer does.
  int64_t chipInputBits = 16;
};

/// Parses an --input-shape value, NAME=D0xD1x..., into `options`. The
/// dims are decimal integers; range checks against the model come at
/// import. Returns "" or the reason it is malformed.
std::string parseInputShapeFlag(llvm::StringRef value, ImportOptions &options);
/// Parses a --dim value, SYMBOL=VALUE, into `options`.
std::string parseDimFlag(llvm::StringRef value, ImportOptions &options);

/// Builds a module with one function `main` in the circulant dialect, every
/// layer dense (block_size = 1), with the input shapes and constants of
/// `options`. On error returns null and sets `error` to one message;
/// unsupported operators are listed together, each with its node count and
/// first node, and the flags that would help.
/// Warnings (one line each, starting with the file name) go to `warnings`
/// when given.
mlir::OwningOpRef<mlir::ModuleOp>
importModel(const onnx::ModelProto &model, mlir::MLIRContext &context,
            const std::string &fileName, const ImportOptions &options,
            std::string &error,
            std::vector<std::string> *warnings = nullptr);

/// importModel that consumes `model`: each initializer's bytes are released
/// once decoded, so the file's weights are not held twice. The raw_data
/// that parseModelFile left in the file (`deferred`) is read from it as each
/// initializer is decoded.
mlir::OwningOpRef<mlir::ModuleOp>
importModel(onnx::ModelProto &&model, mlir::MLIRContext &context,
            const std::string &fileName, const ImportOptions &options,
            std::string &error, std::vector<std::string> *warnings = nullptr,
            const DeferredRawData *deferred = nullptr);

} // namespace rebocc::onnxfe

#endif
