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

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <stdexcept>

#include <fcntl.h>
#include <sys/mman.h>
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

const DeferredRawData::Range *DeferredRawData::find(int index) const {
  auto it = ranges.find(index);
  return it == ranges.end() ? nullptr : &it->second;
}

bool DeferredRawData::read(int index, char *out, std::string &error) const {
  const Range *range = find(index);
  uint64_t done = 0;
  while (range && done < range->length) {
    ssize_t got = ::pread(fd, out + done, range->length - done,
                          (off_t)(range->offset + done));
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    done += (uint64_t)got;
  }
  if (range && done == range->length)
    return true;
  error = path + ": cannot read the tensor data at byte offset " +
          std::to_string(range ? range->offset + done : 0) +
          " (the file changed since it was parsed?)";
  return false;
}

void DeferredRawData::clear() {
  if (fd >= 0)
    ::close(fd);
  fd = -1;
  ranges.clear();
  path.clear();
}

/// The parse behind parseModelFile. A message's serialization is the
/// concatenation of its fields, and parsing a concatenation merges, so the
/// model is built by merging each field's bytes into it, except that the
/// graph and its initializers are opened to leave raw_data out.
class ModelFileScanner {
public:
  /// `file` is the mapping of `fd`, which `deferred` takes over.
  ModelFileScanner(std::string_view file, const std::string &path, int fd,
                   DeferredRawData &deferred)
      : file(file), deferred(deferred) {
    deferred.path = path;
    deferred.fd = fd;
  }

  bool scanModel(onnx::ModelProto &model) {
    return forEachField(file, [&](const Field &field) {
      if (field.number == kModelGraph && field.delimited)
        return scanGraph(field.payload, *model.mutable_graph());
      return merge(model, field.whole, /*depth=*/0);
    });
  }

private:
  // Field numbers in onnx.proto.
  static constexpr int kModelGraph = 7, kGraphInitializer = 5,
                       kTensorRawData = 9, kTensorExternalData = 13,
                       kTensorDataLocation = 14;
  /// ParseFromArray's nesting limit, of which a merged field's depth
  /// (model 0, graph 1, tensor 2) is used up already.
  static constexpr int kRecursionLimit = 100;

  struct Field {
    int number = 0;
    bool delimited = false;
    std::string_view whole, payload;
  };

  /// Calls `visit` on each field of the serialized message `bytes`; false
  /// when a field is malformed or cut off, or `visit` fails.
  template <typename Visit>
  bool forEachField(std::string_view bytes, Visit visit) {
    google::protobuf::io::CodedInputStream stream(
        reinterpret_cast<const uint8_t *>(bytes.data()), (int)bytes.size());
    stream.SetTotalBytesLimit(INT32_MAX);
    while (stream.CurrentPosition() < (int)bytes.size()) {
      int start = stream.CurrentPosition();
      uint32_t tag = stream.ReadTag();
      if (tag == 0)
        return false;
      Field field;
      field.number = WireFormatLite::GetTagFieldNumber(tag);
      field.delimited = WireFormatLite::GetTagWireType(tag) ==
                        WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
      if (field.delimited) {
        uint32_t length;
        if (!stream.ReadVarint32(&length) ||
            (int64_t)length > (int64_t)bytes.size() - stream.CurrentPosition())
          return false;
        field.payload = bytes.substr(stream.CurrentPosition(), length);
        stream.Skip((int)length);
      } else if (!WireFormatLite::SkipField(&stream, tag)) {
        return false;
      }
      field.whole = bytes.substr(start, stream.CurrentPosition() - start);
      if (!visit(field))
        return false;
    }
    return true;
  }

  /// Merges serialized fields into `message`, parsed `depth` levels down.
  bool merge(google::protobuf::MessageLite &message, std::string_view bytes,
             int depth) {
    google::protobuf::io::CodedInputStream stream(
        reinterpret_cast<const uint8_t *>(bytes.data()), (int)bytes.size());
    stream.SetRecursionLimit(kRecursionLimit - depth);
    bool merged = message.MergeFromCodedStream(&stream) &&
                  stream.ConsumedEntireMessage();
    release(bytes.data() + bytes.size());
    return merged;
  }

  bool scanGraph(std::string_view bytes, onnx::GraphProto &graph) {
    return forEachField(bytes, [&](const Field &field) {
      if (field.number == kGraphInitializer && field.delimited)
        return scanInitializer(field.payload, *graph.add_initializer(),
                               graph.initializer_size() - 1);
      return merge(graph, field.whole, /*depth=*/1);
    });
  }

  /// Defers the tensor's raw_data when it has exactly one, not empty, and
  /// no external data (whose reader replaces raw_data).
  bool scanInitializer(std::string_view bytes, onnx::TensorProto &tensor,
                       int index) {
    std::string_view raw, rawPayload;
    int rawFields = 0;
    bool external = false;
    if (!forEachField(bytes, [&](const Field &field) {
          if (field.number == kTensorRawData && field.delimited) {
            ++rawFields;
            raw = field.whole;
            rawPayload = field.payload;
          }
          external |= field.number == kTensorExternalData ||
                      field.number == kTensorDataLocation;
          return true;
        }))
      return false;
    if (rawFields != 1 || rawPayload.empty() || external)
      return merge(tensor, bytes, /*depth=*/2);
    size_t rawStart = raw.data() - bytes.data();
    if (!merge(tensor, bytes.substr(0, rawStart), 2) ||
        !merge(tensor, bytes.substr(rawStart + raw.size()), 2))
      return false;
    deferred.ranges[index] = {uint64_t(rawPayload.data() - file.data()),
                              uint64_t(rawPayload.size())};
    return true;
  }

  /// Drops the mapping's pages before `end` from memory: the parse does not
  /// read them again, and a large tensor stored in float_data or a Constant
  /// node would otherwise be held twice.
  void release(const char *end) {
    uint64_t upTo = uint64_t(end - file.data()) / pageSize * pageSize;
    if (upTo <= released)
      return;
    ::madvise(const_cast<char *>(file.data()) + released, upTo - released,
              MADV_DONTNEED);
    released = upTo;
  }

  std::string_view file;
  DeferredRawData &deferred;
  const uint64_t pageSize = (uint64_t)::sysconf(_SC_PAGESIZE);
  uint64_t released = 0;
};

bool parseModelFile(const std::string &path, onnx::ModelProto &model,
                    DeferredRawData &deferred) {
  deferred.clear();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  // Only a regular file can be read again for the byte parser's message.
  struct stat status;
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode) ||
      status.st_size <= 0 || status.st_size > INT32_MAX) {
    ::close(fd);
    return false;
  }
  size_t size = (size_t)status.st_size;
  void *mapped = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (mapped == MAP_FAILED) {
    ::close(fd);
    return false;
  }
  ModelFileScanner scanner(std::string_view((const char *)mapped, size), path,
                           fd, deferred);
  bool parsed = scanner.scanModel(model) && model.has_graph();
  ::munmap(mapped, size);
  if (parsed)
    return true;
  model.Clear();
  deferred.clear();
  return false;
}

/// Where the ONNX text parser's std::stof / std::stoi gave up: the first
/// number literal of `text` that float32 (or, without a point or exponent,
/// a 64-bit integer) does not hold, as "LINE:COL: number N ...", or "".
static std::string firstUnreadableNumber(const std::string &text) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    const bool starts =
        std::isdigit(static_cast<unsigned char>(c)) &&
        (i == 0 || !(std::isalnum(static_cast<unsigned char>(text[i - 1])) ||
                     text[i - 1] == '_' || text[i - 1] == '.'));
    if (!starts) {
      if (c == '\n')
        ++line, column = 0;
      ++i, ++column;
      continue;
    }
    size_t end = i;
    while (end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[end])) ||
            text[end] == '.' ||
            ((text[end] == '-' || text[end] == '+') &&
             (text[end - 1] == 'e' || text[end - 1] == 'E'))))
      ++end;
    const std::string literal = text.substr(i, end - i);
    const bool integral = literal.find_first_of(".eE") == std::string::npos;
    errno = 0;
    if (integral)
      (void)std::strtoll(literal.c_str(), nullptr, 10);
    else
      (void)std::strtof(literal.c_str(), nullptr);
    if (errno == ERANGE)
      return std::to_string(line) + ":" + std::to_string(column) +
             ": number " + literal + " is outside " +
             (integral ? "a 64-bit integer's range"
                       : "float32's normal range (the ONNX text parser "
                         "reads literals with std::stof, which rejects "
                         "subnormal and overflowing values)");
    column += end - i;
    i = end;
  }
  return "";
}

namespace {
/// The ONNX text parser with where it stopped: its std::stof / std::stoll
/// throw without a position when a literal is not a number.
class PositionedParser : public onnx::OnnxParser {
public:
  using onnx::OnnxParser::OnnxParser;
  size_t offset() const { return size_t(next_ - start_); }
};
} // namespace

/// "LINE:COL" of byte `offset` of `text`.
static std::string lineColumn(const std::string &text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n')
      ++line, column = 1;
    else
      ++column;
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

/// The value the parser could not read as a number, which starts at
/// `offset` (the parser has taken a leading '-' already), as
/// "LINE:COL: value 'nan' is not a number literal ...".
static std::string describeNonNumber(const std::string &text, size_t offset) {
  size_t start = std::min(offset, text.size());
  if (start > 0 && text[start - 1] == '-')
    --start;
  size_t end = start + (start < text.size() && text[start] == '-');
  while (end < text.size() &&
         (std::isalnum(static_cast<unsigned char>(text[end])) ||
          text[end] == '_' || text[end] == '.'))
    ++end;
  std::string token = text.substr(start, end - start);
  return lineColumn(text, start) + ": value '" + token +
         "' is not a number literal: the ONNX text format's tensor and "
         "attribute values are decimal numbers (digits, an optional '-', '.' "
         "and exponent); nan and inf have no literal (store such a tensor "
         "in the binary format)";
}

/// The first attribute of `graph` (or of a graph nested in it) that holds
/// a bare word: the text parser reads `alpha = nan` as a graph named "nan",
/// drops the failure of parsing the rest of that graph and goes on, so the
/// attribute would silently have no value of its type. A graph written out
/// has at least one output. Returns "node 'N' (Op): attribute 'a' = 'w'",
/// or "".
static std::string findBareWordAttribute(const onnx::GraphProto &graph) {
  for (const onnx::NodeProto &node : graph.node())
    for (const onnx::AttributeProto &attr : node.attribute()) {
      std::vector<const onnx::GraphProto *> graphs;
      if (attr.has_g())
        graphs.push_back(&attr.g());
      for (const onnx::GraphProto &g : attr.graphs())
        graphs.push_back(&g);
      for (const onnx::GraphProto *g : graphs) {
        if (g->output_size() == 0 && g->node_size() == 0)
          return "node " +
                 (node.name().empty() && node.output_size()
                      ? "producing '" + node.output(0) + "'"
                      : "'" + node.name() + "'") +
                 " (" + node.op_type() + "): attribute '" + attr.name() +
                 "' = '" + g->name() + "'";
        std::string inside = findBareWordAttribute(*g);
        if (!inside.empty())
          return inside;
      }
    }
  return "";
}

bool parseModelText(const std::string &text, const std::string &fileName,
                    onnx::ModelProto &model, std::string &error) {
  PositionedParser parser(text.c_str());
  try {
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
    std::string bare = findBareWordAttribute(model.graph());
    if (!bare.empty()) {
      error = fileName + ": " + bare +
              " is not an attribute value: the ONNX text format's attribute "
              "values are decimal numbers, \"strings\", tensors and graphs; "
              "nan and inf have no literal (store such a value in the binary "
              "format)";
      return false;
    }
    return true;
  } catch (const std::out_of_range &e) {
    // std::stof's own message is its name ("stof"): find the literal.
    std::string where = firstUnreadableNumber(text);
    error = fileName + ":" +
            (where.empty() ? std::string(" a number out of range (") +
                                 e.what() + ")"
                           : where);
    return false;
  } catch (const std::invalid_argument &) {
    // std::stof / std::stod / std::stoll found no digits (nan, inf, a
    // lone '-'): their message is again just their name.
    error = fileName + ":" + describeNonNumber(text, parser.offset());
    return false;
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

std::vector<std::string> checkModel(onnx::ModelProto &model,
                                    const DeferredRawData &deferred) {
  auto standIns = [&](bool set) {
    for (int i = 0; i < model.graph().initializer_size(); ++i) {
      if (!deferred.find(i))
        continue;
      onnx::TensorProto &tensor = *model.mutable_graph()->mutable_initializer(i);
      if (set)
        tensor.set_raw_data(std::string(1, '\0'));
      else
        tensor.clear_raw_data();
    }
  };
  standIns(true);
  std::vector<std::string> findings = checkModel(model);
  standIns(false);
  return findings;
}

} // namespace rebocc::onnxfe
