//===- OnnxLoader.h - read ONNX models safely -------------------*- C++ -*-===//
//
// The only code that calls into ONNX's checker and text parser, which throw.
// It is built with -fexceptions and turns every exception into a plain
// error string, so the rest of the project (built like LLVM, without
// exceptions) never sees one.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_FRONTEND_ONNX_ONNXLOADER_H
#define REBOCC_FRONTEND_ONNX_ONNXLOADER_H

#include "onnx/onnx_pb.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rebocc::onnxfe {

/// Whether a model file of `size` bytes can be read: at most 2 GiB
/// (protobuf's limit) and within the memory budget. Checked from the file's
/// size before reading it.
bool checkModelSize(uint64_t size, const std::string &fileName,
                    std::string &error);

/// Parses a binary .onnx model. Empty, truncated or malformed input fails
/// with a message naming `fileName` and, where the wire format breaks, the
/// byte offset.
bool parseModelBytes(std::string_view bytes, const std::string &fileName,
                     onnx::ModelProto &model, std::string &error);

/// Parses the binary model at `path` as it reads the file, so that the
/// file's bytes are never held beside the model's copy of them (VGG-16's
/// 528 MiB). False on any failure, with `model` cleared: parseModelBytes on
/// the file's bytes then says what is wrong. The caller checks the size
/// first (checkModelSize).
bool parseModelFile(const std::string &path, onnx::ModelProto &model);

/// Parses ONNX's textual syntax (`<ir_version: 8, ...> graph (...) => (...)
/// {...}`), as used by the lit tests.
bool parseModelText(const std::string &text, const std::string &fileName,
                    onnx::ModelProto &model, std::string &error);

/// Runs ONNX's checker. Its findings are advice, not a gate: onnx 1.12 does
/// not know newer IR versions and opsets, which must still import.
std::vector<std::string> checkModel(const onnx::ModelProto &model);

} // namespace rebocc::onnxfe

#endif
