//===- ProgramWriter.cpp - Program file writer ----------------------------===//
//
// printText() and writeProgram(): the text section, then the data section
// and its checksum, streamed (a large model's data section is not held a
// second time as bytes). ProgramFormat.h shows the layout of a file.
//
//===----------------------------------------------------------------------===//

#include "ProgramFormat.h"
#include "rebocc/Support/CastTypes.h"
#include "rebocc/Support/UnaryFunction.h"
#include "rebocc/Support/Shapes.h"
#include "rebocc/Target/Program/ProgramIO.h"
#include "rebocc/Support/FileIO.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace rebocc::program {

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

const char *kMagic = "rebocc-program";

std::string fmtShape(const std::vector<int64_t> &shape) {
  std::string out = "[";
  for (size_t d = 0; d < shape.size(); ++d)
    out += (d ? "," : "") + std::to_string(shape[d]);
  return out + "]";
}

std::string fmtRange(uint64_t begin, uint64_t size) {
  return std::to_string(begin) + "+" + std::to_string(size);
}

std::string fmtHex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%016llx",
                static_cast<unsigned long long>(v));
  return buf;
}

std::string fmtHeader(const Program &P) {
  return std::string(kMagic) + " " + std::to_string(P.version) +
         " overflow=" + model::overflowPolicyName(P.overflow);
}

namespace {

std::string quote(const std::string &s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

/// Shortest %g form that reads back to exactly `v` (9 digits always do).
std::string fmtFloat(float v) {
  char buf[32];
  for (int digits = 6; digits <= 9; ++digits) {
    std::snprintf(buf, sizeof(buf), "%.*g", digits, static_cast<double>(v));
    if (std::strtof(buf, nullptr) == v || std::isnan(v))
      break;
  }
  return buf;
}

/// Shortest %g form that reads back to exactly `v` (17 digits always do).
std::string fmtDouble(double v) {
  char buf[40];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof(buf), "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v || std::isnan(v))
      break;
  }
  return buf;
}

/// "3x3" (sep 'x') or "1,1,0,0" (sep ','); "" for an empty list.
std::string fmtList(const std::vector<int64_t> &v, char sep) {
  std::string out;
  for (size_t d = 0; d < v.size(); ++d)
    out += (d ? std::string(1, sep) : std::string()) + std::to_string(v[d]);
  return out;
}

/// Where each float array lives in the data section.
struct DataPlan {
  std::vector<uint64_t> constants, weights, bias; // byte offsets
  uint64_t total = 0;
};

DataPlan planData(const Program &P) {
  DataPlan plan;
  for (const Constant &C : P.constants) {
    plan.constants.push_back(plan.total);
    plan.total += 4 * C.data.size();
  }
  for (const CrossbarLayer &L : P.layers) {
    plan.weights.push_back(plan.total);
    plan.total += 4 * L.weights.size();
    plan.bias.push_back(plan.total);
    plan.total += 4 * L.bias.size();
  }
  return plan;
}

std::string emitHardware(const model::HardwareDesc &hw) {
  std::string line = "hw";
  for (const model::HardwareField *f = model::hardwareFieldsBegin();
       f != model::hardwareFieldsEnd(); ++f) {
    line += std::string(" ") + f->key + "=";
    switch (f->kind) {
    case model::HardwareField::String: line += quote(hw.*(f->str)); break;
    case model::HardwareField::Int:
      line += model::isAutoValue(*f, hw) ? std::string("auto")
                                         : std::to_string(hw.*(f->integer));
      break;
    case model::HardwareField::Real: line += fmtDouble(hw.*(f->real)); break;
    }
  }
  return line + "\n";
}

/// A cast type: written as the plain word the reader accepts, quoted
/// otherwise (then rejected on reading, as the pad mode).
std::string castWord(const std::string &type) {
  return support::valueTypeOnnx(type) ? type : quote(type);
}

std::string emitInstruction(const Instruction &I) {
  std::string line = "inst %" + std::to_string(I.result) + " = " +
                     opcodeName(I.op);
  for (int v : I.operands)
    line += " %" + std::to_string(v);
  switch (I.op) {
  case OpCode::Crossbar: line += " layer=@" + std::to_string(I.index); break;
  case OpCode::Constant: line += " constant=#" + std::to_string(I.index); break;
  case OpCode::Softmax:
  case OpCode::LogSoftmax:
  case OpCode::Flatten: line += " axis=" + std::to_string(I.axis); break;
  case OpCode::Normalize:
    line += " axis=" + std::to_string(I.axis) + " epsilon=" + fmtFloat(I.alpha);
    break;
  case OpCode::ReduceMax:
  case OpCode::ReduceMin:
  case OpCode::ReduceSum: line += " axes=" + fmtList(I.axes, ','); break;
  case OpCode::Resize: {
    line += " axes=" + fmtList(I.axes, ',') + " from=" + fmtList(I.from, ',') +
            " to=" + fmtList(I.to, ',') + " taps=" + fmtList(I.taps, ',') +
            " sources=" + fmtList(I.sources, ',') + " weights=";
    for (size_t e = 0; e < I.weights.size(); ++e)
      line += (e ? "," : "") + fmtFloat(I.weights[e]);
    break;
  }
  case OpCode::Lstm:
  case OpCode::Gru:
    line += " layers=" + fmtList(I.layers, ',') +
            " reverse=" + (I.reverse ? "1" : "0") + " clip=" + fmtFloat(I.alpha);
    if (I.op == OpCode::Gru)
      line += std::string(" linear_before_reset=") +
              (I.linearBeforeReset ? "1" : "0");
    // A simple RNN (version 8): appended, so a gru reads as before.
    if (I.op == OpCode::Gru && I.mode == "rnn")
      line += " cell=rnn activation=" + I.activation +
              " activation_alpha=" + fmtFloat(I.activationAlpha) +
              " activation_beta=" + fmtFloat(I.activationBeta);
    break;
  case OpCode::If:
    line += " then=" + std::to_string(I.thenCount) +
            " else=" + std::to_string(I.elseCount);
    // Only for a branch that cannot run (absent: both can).
    if (!I.thenError.empty())
      line += " then_error=" + quote(I.thenError);
    if (!I.elseError.empty())
      line += " else_error=" + quote(I.elseError);
    break;
  case OpCode::Slice:
    line += " axes=" + fmtList(I.axes, ',') + " starts=" +
            fmtList(I.starts, ',') + " ends=" + fmtList(I.ends, ',');
    break;
  case OpCode::Reshape: line += " shape=" + fmtShape(I.shape); break;
  case OpCode::Concat: line += " axis=" + std::to_string(I.axis); break;
  case OpCode::MaxPool:
  case OpCode::AveragePool:
    line += " kernel=" + fmtList(I.kernel, 'x') +
            " strides=" + fmtList(I.strides, 'x') +
            " pads=" + fmtList(I.pads, ',') +
            " dilations=" + fmtList(I.dilations, 'x') +
            " ceil=" + (I.ceilMode ? "1" : "0");
    if (I.op == OpCode::AveragePool)
      line += std::string(" count_include_pad=") +
              (I.countIncludePad ? "1" : "0");
    break;
  case OpCode::Clip:
    line += " min=" + fmtFloat(I.alpha) + " max=" + fmtFloat(I.beta);
    if (I.mode == "nan_to_min")
      line += " nan=min";
    break;
  case OpCode::LeakyRelu: line += " alpha=" + fmtFloat(I.alpha); break;
  case OpCode::HardSigmoid:
    line += " alpha=" + fmtFloat(I.alpha) + " beta=" + fmtFloat(I.beta);
    break;
  case OpCode::Pad:
    // The mode is written verbatim when it is a plain word (the reader
    // accepts exactly the three modes), quoted otherwise.
    line += " pads=" + fmtList(I.pads, ',') + " mode=" +
            (I.mode == "constant" || I.mode == "reflect" || I.mode == "edge"
                 ? I.mode
                 : quote(I.mode)) +
            " value=" + fmtFloat(I.alpha);
    break;
  case OpCode::Transpose: line += " perm=" + fmtList(I.perm, ','); break;
  case OpCode::Cast: line += " to=" + castWord(I.mode); break;
  case OpCode::Gather:
    line += " mode=" +
            (support::gatherKindNamed(I.mode) ? I.mode : quote(I.mode)) +
            " axis=" + std::to_string(I.axis);
    break;
  case OpCode::Unary:
    line += " function=" +
            (support::findUnaryFunction(I.mode) ? I.mode : quote(I.mode)) +
            " alpha=" + fmtFloat(I.alpha) + " beta=" + fmtFloat(I.beta);
    break;
  case OpCode::MatMul:
    line += " mode=" + (I.mode == "digital" || I.mode == "reprogram"
                            ? I.mode
                            : quote(I.mode));
    break;
  default: break;
  }
  return line + " name=" + quote(I.name) + "\n";
}

std::string emitArray(const std::string &id, size_t a, const Array &A) {
  const ArrayPlace &at = A.place;
  return "array @" + id + "." + std::to_string(a) +
         " row_tile=" + std::to_string(A.rowTile) +
         " col_tile=" + std::to_string(A.colTile) +
         " rows=" + fmtRange(A.rowBegin, A.rowCount) +
         " weight_cols=" + fmtRange(A.weightColBegin, A.weightColCount) +
         " group=" + std::to_string(A.group) +
         " chip=" + std::to_string(at.chip) +
         " load=" + std::to_string(at.load) +
         " tile=" + std::to_string(at.tile) +
         " ima=" + std::to_string(at.ima) +
         " xbar=" + std::to_string(at.xbar) + "\n";
}

/// The text section after the header line; with `plan`, lines carry
/// data-section references.
std::string emitBody(const Program &P, const DataPlan *plan) {
  std::string out = emitHardware(P.hw);
  for (size_t v = 0; v < P.values.size(); ++v)
    out += "value %" + std::to_string(v) + " name=" + quote(P.values[v].name) +
           " shape=" + fmtShape(P.values[v].shape) +
           (P.values[v].dtype.empty() ? "" : " dtype=" + castWord(P.values[v].dtype)) +
           (P.values[v].declared ? " declared=" + fmtShape(*P.values[v].declared)
                                 : "") +
           "\n";
  out += "inputs";
  for (int v : P.inputs)
    out += " %" + std::to_string(v);
  out += "\noutputs";
  for (int v : P.outputs)
    out += " %" + std::to_string(v);
  out += "\n";

  for (size_t c = 0; c < P.constants.size(); ++c) {
    const Constant &C = P.constants[c];
    out += "constant #" + std::to_string(c) + " name=" + quote(C.name) +
           " shape=" + fmtShape(C.shape) +
           " elements=" + std::to_string(C.data.size());
    if (!C.data.empty()) {
      float lo = C.data[0], hi = C.data[0];
      for (float x : C.data) {
        lo = std::fmin(lo, x);
        hi = std::fmax(hi, x);
      }
      out += " min=" + fmtFloat(lo) + " max=" + fmtFloat(hi);
    }
    out += " seal=" + fmtHex(seal64FloatsLE(C.data));
    if (plan)
      out += " data=" + fmtRange(plan->constants[c], 4 * C.data.size());
    out += "\n";
  }

  for (size_t l = 0; l < P.layers.size(); ++l) {
    const CrossbarLayer &L = P.layers[l];
    std::string id = std::to_string(l);
    out += "layer @" + id + " name=" + quote(L.name) +
           " m=" + std::to_string(L.m) + " n=" + std::to_string(L.n) +
           " k=" + std::to_string(L.k) + " p=" + std::to_string(L.p) +
           " q=" + std::to_string(L.q) + " d=" + std::to_string(L.dup) +
           " mapping=" + mappingName(L.mapping) +
           " shared=" + (L.sharedInput ? "1" : "0") +
           " rows_per_array=" + std::to_string(L.rowsPerArray) +
           " weight_cols_per_array=" + std::to_string(L.weightColsPerArray) +
           " row_tiles=" + std::to_string(L.rowTiles) +
           " col_tiles=" + std::to_string(L.colTiles) +
           " weight_scale=" + fmtFloat(L.weightScale) +
           " arrays=" + std::to_string(L.arrays.size()) +
           " kind=" + layerKindName(L.kind) +
           " groups=" + std::to_string(L.groups) +
           " kernel=" + fmtList({L.kernelH, L.kernelW}, 'x') +
           " stride=" + fmtList({L.strideH, L.strideW}, 'x') +
           " dilation=" + fmtList({L.dilationH, L.dilationW}, 'x') +
           " pads=" +
           fmtList({L.padTop, L.padLeft, L.padBottom, L.padRight}, ',') +
           " weights_seal=" +
           fmtHex(seal64FloatsLE(L.weights)) +
           " bias_seal=" + fmtHex(seal64FloatsLE(L.bias));
    if (plan)
      out += " weights=" + fmtRange(plan->weights[l], 4 * L.weights.size()) +
             " bias=" + fmtRange(plan->bias[l], 4 * L.bias.size());
    // Appended for integer weights only, so other programs read as before.
    if (L.weightBits > 0)
      out += " weight_bits=" + std::to_string(L.weightBits);
    // Appended for integer input only (the model's activation codes).
    if (L.inputBits > 0)
      out += " input_bits=" + std::to_string(L.inputBits);
    if (!L.channelScales.empty()) {
      out += " channel_scales=";
      for (size_t r = 0; r < L.channelScales.size(); ++r)
        out += (r ? "," : "") + fmtFloat(L.channelScales[r]);
    }
    out += "\n";
    for (size_t a = 0; a < L.arrays.size(); ++a)
      out += emitArray(id, a, L.arrays[a]);
  }

  for (const Instruction &I : P.instructions)
    out += emitInstruction(I);
  return out;
}

/// The two checksums the format stores (ProgramFormat.h): seal64 of the
/// data section alone (the 8 bytes after it) and of everything after the
/// header line (the header's checksum=). Both are fed the bytes in file
/// order, so one pass over the data computes both and the file can then be
/// written front to back without holding its data section.
class Seal {
public:
  void addText(const std::string &text) { whole.update(text.data(), text.size()); }
  void addData(const char *bytes, size_t size) {
    data.update(bytes, size);
    whole.update(bytes, size);
  }
  /// The 8 bytes after the data section; hashed into the whole.
  std::string dataTrailer() {
    uint64_t hash = data.digest();
    std::string bytes;
    for (int b = 0; b < 8; ++b)
      bytes += static_cast<char>((hash >> (8 * b)) & 0xff);
    addText(bytes);
    return bytes;
  }
  uint64_t header() const { return whole.digest(); }

private:
  Seal64 data, whole;
};

/// Receives the bytes of the data section in order.
using ByteSink = llvm::function_ref<void(const char *, size_t)>;

/// Streams the data section (constants, then each layer's weights and bias,
/// as little-endian floats; planData's order) to `sink` in chunks of 1 MiB,
/// so that it is never held whole in its encoded form.
void streamData(const Program &P, ByteSink sink) {
  constexpr size_t kChunkFloats = size_t(1) << 18;
  std::string chunk;
  std::vector<float> floats;
  auto put = [&](const support::FloatArray &values) {
    for (size_t i = 0; i < values.size(); i += kChunkFloats) {
      const size_t n = std::min(kChunkFloats, values.size() - i);
      floats.resize(n);
      values.copyTo(i, n, floats.data());
      chunk.clear();
      appendFloatsLE(chunk, floats.data(), n);
      sink(chunk.data(), chunk.size());
    }
  };
  for (const Constant &C : P.constants)
    put(C.data);
  for (const CrossbarLayer &L : P.layers) {
    put(L.weights);
    put(L.bias);
  }
}

/// "" when `program` may be written (every written file reads back), else
/// the reason.
std::string checkWritable(const Program &program) {
  std::string e = verify(program);
  if (e.empty() && !(e = verifyPlacement(program)).empty())
    e = "placement: " + e;
  return e.empty() ? e : "refusing to write an invalid program: " + e;
}

/// Writes `program` (checkWritable) to `out`: the header line, the text
/// section, the data section and its trailer. The data section is encoded
/// twice, once to hash it (the header comes first and seals it) and once to
/// write it.
void streamProgram(const Program &program, llvm::raw_ostream &out) {
  DataPlan plan = planData(program);
  std::string body = emitBody(program, &plan);
  body += "data " + std::to_string(plan.total) + "\n";
  Seal seal;
  seal.addText(body);
  streamData(program, [&](const char *bytes, size_t size) {
    seal.addData(bytes, size);
  });
  std::string trailer = seal.dataTrailer();
  out << fmtHeader(program) << " checksum=" << fmtHex(seal.header()) << "\n"
      << body;
  streamData(program,
             [&](const char *bytes, size_t size) { out.write(bytes, size); });
  out << trailer;
}

} // namespace

std::string printText(const Program &program) {
  return fmtHeader(program) + "\n" + emitBody(program, nullptr);
}

bool writeProgram(const Program &program, std::string &bytes,
                  std::string &error) {
  error = checkWritable(program);
  if (!error.empty())
    return false;
  std::string out;
  llvm::raw_string_ostream os(out);
  streamProgram(program, os);
  os.flush();
  bytes = std::move(out);
  return true;
}

bool writeProgram(const Program &program, std::string &bytes) {
  std::string error;
  return writeProgram(program, bytes, error);
}

bool writeProgramFile(const Program &program, const std::string &path,
                      std::string &error) {
  error = checkWritable(program);
  if (!error.empty()) {
    error = path + ": " + error;
    return false;
  }
  return writeFileStreamed(
      path, [&](llvm::raw_ostream &out) { streamProgram(program, out); },
      error);
}

} // namespace rebocc::program
