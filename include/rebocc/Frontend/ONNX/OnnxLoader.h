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
#include <map>
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

/// The raw_data of top-level initializers that parseModelFile leaves in the
/// model file instead of copying it into the ModelProto. The importer reads
/// each straight into its decoded values when a node first reads it, so a
/// large model's weights are never held as bytes and as values at once, and
/// protobuf never grows a string for them (it reserves at most 50 MB of a
/// declared length, then doubles).
class DeferredRawData {
public:
  /// A raw_data payload's bytes in the file.
  struct Range {
    uint64_t offset = 0, length = 0;
  };

  DeferredRawData() = default;
  DeferredRawData(const DeferredRawData &) = delete;
  DeferredRawData &operator=(const DeferredRawData &) = delete;
  ~DeferredRawData() { clear(); }

  /// Initializer `index`'s raw_data in the file, or null when the
  /// ModelProto holds its data.
  const Range *find(int index) const;
  /// Reads initializer `index`'s raw_data (find(index)->length bytes) into
  /// `out`. Fails with a message naming the file if it cannot be read (it
  /// shrank since it was parsed).
  bool read(int index, char *out, std::string &error) const;
  /// Forgets every range and closes the file.
  void clear();

private:
  friend class ModelFileScanner;
  std::string path;
  int fd = -1; // held open, so the bytes read are the file that was parsed
  std::map<int, Range> ranges;
};

/// Parses the binary model at `path` from a read-only mapping of the file,
/// one field at a time, leaving every top-level initializer's raw_data in
/// the file (`deferred`); the mapping's pages are dropped as the parse
/// passes them. The model is the one a whole-file parse gives, minus those
/// raw_data fields. False on any failure, with `model` and `deferred`
/// cleared: parseModelBytes on the file's bytes then says what is wrong.
/// The caller checks the size first (checkModelSize).
bool parseModelFile(const std::string &path, onnx::ModelProto &model,
                    DeferredRawData &deferred);

/// Parses ONNX's textual syntax (`<ir_version: 8, ...> graph (...) => (...)
/// {...}`), as used by the lit tests.
bool parseModelText(const std::string &text, const std::string &fileName,
                    onnx::ModelProto &model, std::string &error);

/// Runs ONNX's checker. Its findings are advice, not a gate: onnx 1.12 does
/// not know newer IR versions and opsets, which must still import.
std::vector<std::string> checkModel(const onnx::ModelProto &model);
/// checkModel on a model whose raw_data `deferred` holds. The checker asks
/// only that a tensor stores its values in one field, not how many: each
/// deferred tensor shows it a one-byte raw_data for the check.
std::vector<std::string> checkModel(onnx::ModelProto &model,
                                    const DeferredRawData &deferred);

} // namespace rebocc::onnxfe

#endif
