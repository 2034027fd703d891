//===- ExternalData.cpp - read ONNX tensors stored in external files ------===//
//
// Models over protobuf's 2 GiB limit keep their weights in files next to
// the model (TensorProto.data_location = EXTERNAL, with `location`,
// `offset` and `length` keys). They are read into raw_data before import.
// The location is untrusted: it must be a relative path inside the model's
// directory, the range must lie in the file, and the bytes count against
// the memory budget before they are read.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Frontend/ONNX/OnnxImporter.h"
#include "rebocc/Support/MemoryBudget.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace rebocc::onnxfe {

namespace {

struct ExternalReader {
  std::string modelPath;
  SmallString<256> directory;
  uint64_t total = 0;
  std::string error;

  bool fail(const onnx::TensorProto &t, const Twine &message) {
    error = modelPath + ": tensor '" + t.name() + "': external data: " +
            message.str();
    return false;
  }

  /// A relative path with no `..` (and no root), inside the model's folder.
  bool safeLocation(StringRef location) {
    if (location.empty() || sys::path::is_absolute(location) ||
        sys::path::has_root_name(location) || location.contains('\\'))
      return false;
    for (StringRef part : make_range(sys::path::begin(location),
                                     sys::path::end(location)))
      if (part == "..")
        return false;
    return true;
  }

  bool read(onnx::TensorProto &t) {
    if (modelPath == "-")
      return fail(t, "a model read from standard input has no directory to "
                     "find its data files in");
    std::string location;
    uint64_t offset = 0, length = 0;
    bool hasLength = false;
    for (const auto &entry : t.external_data()) {
      if (entry.key() == "location")
        location = entry.value();
      else if (entry.key() == "offset" || entry.key() == "length") {
        uint64_t value;
        if (!to_integer(entry.value(), value, 10))
          return fail(t, entry.key() + " '" + entry.value() +
                             "' is not a non-negative integer");
        (entry.key() == "offset" ? offset : length) = value;
        hasLength |= entry.key() == "length";
      }
    }
    if (!safeLocation(location))
      return fail(t, "location '" + location +
                         "' must be a relative path inside the model's "
                         "directory");
    SmallString<256> path(directory);
    sys::path::append(path, location);
    uint64_t size;
    if (sys::fs::file_size(path, size))
      return fail(t, "cannot read '" + path.str().str() + "'");
    if (offset > size || (hasLength && length > size - offset))
      return fail(t, "offset " + Twine(offset) + " and length " +
                         Twine(length) + " lie outside '" + location +
                         "' (" + Twine(size) + " bytes)");
    if (!hasLength)
      length = size - offset;
    total += length;
    std::string budget = support::checkMemory(total, "external data");
    if (!budget.empty())
      return fail(t, budget);
    auto slice = MemoryBuffer::getFileSlice(path, length, offset);
    if (!slice)
      return fail(t, "cannot read '" + path.str().str() +
                         "': " + slice.getError().message());
    t.set_raw_data((*slice)->getBufferStart(), length);
    t.clear_external_data();
    t.set_data_location(onnx::TensorProto::DEFAULT);
    return true;
  }

  bool visit(onnx::TensorProto &t) {
    return t.data_location() != onnx::TensorProto::EXTERNAL || read(t);
  }

  bool visit(onnx::GraphProto &graph) {
    for (onnx::TensorProto &t : *graph.mutable_initializer())
      if (!visit(t))
        return false;
    for (onnx::NodeProto &node : *graph.mutable_node())
      for (onnx::AttributeProto &a : *node.mutable_attribute()) {
        if (a.has_t() && !visit(*a.mutable_t()))
          return false;
        for (onnx::TensorProto &t : *a.mutable_tensors())
          if (!visit(t))
            return false;
        if (a.has_g() && !visit(*a.mutable_g()))
          return false;
        for (onnx::GraphProto &g : *a.mutable_graphs())
          if (!visit(g))
            return false;
      }
    return true;
  }
};

} // namespace

bool loadExternalData(onnx::ModelProto &model, const std::string &modelPath,
                      std::string &error) {
  ExternalReader reader;
  reader.modelPath = modelPath;
  reader.directory = sys::path::parent_path(modelPath);
  if (!model.has_graph() || reader.visit(*model.mutable_graph()))
    return true;
  error = reader.error;
  return false;
}

} // namespace rebocc::onnxfe
