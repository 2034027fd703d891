//===- OnnxLoader.cpp - read ONNX models safely ---------------------------===//
//
// Built with -fexceptions: onnx::checker and the text parser throw.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Frontend/ONNX/OnnxLoader.h"
#include "rebocc/Support/MemoryBudget.h"

#include "onnx/checker.h"
#include "onnx/defs/parser.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/wire_format_lite.h>

#include <exception>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rebocc::onnxfe {

using google::protobuf::internal::WireFormatLite;

/// Walks the top-level fields of a serialized message and returns a
/// description of the first one that is cut off or malformed, with its byte
/// offset, or "" when the framing is intact. Protobuf itself only says
/// "parse failed".
static std::string findWireFormatError(std::string_view bytes) {
  google::protobuf::io::CodedInputStream stream(
      reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
  stream.SetTotalBytesLimit(INT32_MAX);
  while (true) {
    int offset = stream.CurrentPosition();
    uint32_t tag = stream.ReadTag();
    if (tag == 0)
      return stream.CurrentPosition() == (int)bytes.size()
                 ? ""
                 : "invalid field tag at byte offset " + std::to_string(offset);
    int field = WireFormatLite::GetTagFieldNumber(tag);
    auto type = WireFormatLite::GetTagWireType(tag);
    if (type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      uint32_t length;
      if (!stream.ReadVarint32(&length))
        return "truncated length of field " + std::to_string(field) +
               " at byte offset " + std::to_string(offset);
      int remaining = (int)bytes.size() - stream.CurrentPosition();
      if ((int64_t)length > remaining)
        return "field " + std::to_string(field) + " at byte offset " +
               std::to_string(offset) + " declares " + std::to_string(length) +
               " bytes but only " + std::to_string(remaining) +
               " remain (truncated file?)";
      stream.Skip(length);
      continue;
    }
    if (!WireFormatLite::SkipField(&stream, tag))
      return "malformed field " + std::to_string(field) + " at byte offset " +
             std::to_string(offset);
  }
}

bool checkModelSize(uint64_t size, const std::string &fileName,
                    std::string &error) {
  if (size > (uint64_t)INT32_MAX) {
    // Protobuf cannot parse a message over 2 GiB; such models keep their
    // weights in external data files (loadExternalData reads them).
    error = fileName + ": the model is " + std::to_string(size) +
            " bytes; ONNX files over 2 GiB cannot be parsed (protobuf's "
            "limit): keep the weights in external data files";
    return false;
  }
  std::string problem = support::checkMemory(size, "reading the model");
  if (!problem.empty()) {
    error = fileName + ": " + problem;
    return false;
  }
  return true;
}

bool parseModelBytes(std::string_view bytes, const std::string &fileName,
                     onnx::ModelProto &model, std::string &error) {
  if (bytes.empty()) {
    error = fileName + ": empty file, not an ONNX model";
    return false;
  }
  if (!checkModelSize(bytes.size(), fileName, error))
    return false;
  if (!model.ParseFromArray(bytes.data(), (int)bytes.size())) {
    std::string where = findWireFormatError(bytes);
    error = fileName + ": not a valid ONNX model (protobuf parse failed" +
            (where.empty() ? std::string(")") : ": " + where + ")");
    return false;
  }
  if (!model.has_graph()) {
    error = fileName + ": the ONNX model has no graph";
    return false;
  }
  return true;
}

bool parseModelFile(const std::string &path, onnx::ModelProto &model) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  // Only a regular file can be read again for the byte parser's message.
  struct stat status;
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
    ::close(fd);
    return false;
  }
  google::protobuf::io::FileInputStream stream(fd);
  stream.SetCloseOnDelete(true);
  if (model.ParseFromZeroCopyStream(&stream) && stream.GetErrno() == 0 &&
      model.has_graph())
    return true;
  model.Clear();
  return false;
}

bool parseModelText(const std::string &text, const std::string &fileName,
                    onnx::ModelProto &model, std::string &error) {
  try {
    onnx::OnnxParser parser(text.c_str());
    onnx::Common::Status status = parser.Parse(model);
    if (!status.IsOK()) {
      // The parser's message spans lines (position, context, reason).
      std::string message = status.ErrorMessage();
      for (char &c : message)
        if (c == '\n')
          c = ' ';
      error = fileName + ": " + message;
      return false;
    }
    return true;
  } catch (const std::exception &e) {
    error = fileName + ": " + e.what();
    return false;
  }
}

std::vector<std::string> checkModel(const onnx::ModelProto &model) {
  try {
    onnx::checker::check_model(model);
    return {};
  } catch (const std::exception &e) {
    std::string message = e.what();
    // The checker's messages can run over several lines; keep the first.
    return {message.substr(0, message.find('\n'))};
  }
}

} // namespace rebocc::onnxfe
