//===- ProgramIO.cpp - Program file writer and reader ---------------------===//
//
// Layout of a file (docs/ProgramFormat.md is the specification):
//
//   rebocc-program 2
//   hw name="isaac-ce" xbar_rows=128 ...
//   value %0 name="x" shape=[-1,784]
//   ...
//   data <nbytes>
//   <nbytes of little-endian float32> <8-byte little-endian FNV-1a 64>
//
// The text section is printText() plus `data=OFFSET+BYTES` references into
// the data section. The reader trusts nothing: every size is checked against
// the bytes actually present before anything proportional to it is allocated.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Target/Program/ProgramIO.h"
#include "rebocc/Support/FileIO.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace rebocc::program {

namespace {

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

const char *kMagic = "rebocc-program";

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

std::string fmtHex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%016llx",
                static_cast<unsigned long long>(v));
  return buf;
}

std::string fmtShape(const std::vector<int64_t> &shape) {
  std::string out = "[";
  for (size_t d = 0; d < shape.size(); ++d)
    out += (d ? "," : "") + std::to_string(shape[d]);
  return out + "]";
}

/// "3x3" (sep 'x') or "1,1,0,0" (sep ','); "" for an empty list.
std::string fmtList(const std::vector<int64_t> &v, char sep) {
  std::string out;
  for (size_t d = 0; d < v.size(); ++d)
    out += (d ? std::string(1, sep) : std::string()) + std::to_string(v[d]);
  return out;
}

std::string fmtRange(uint64_t begin, uint64_t size) {
  return std::to_string(begin) + "+" + std::to_string(size);
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
    case model::HardwareField::Int: line += std::to_string(hw.*(f->integer)); break;
    case model::HardwareField::Real: line += fmtDouble(hw.*(f->real)); break;
    }
  }
  return line + "\n";
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
  case OpCode::Flatten: line += " axis=" + std::to_string(I.axis); break;
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
  default: break;
  }
  return line + " name=" + quote(I.name) + "\n";
}

/// The text section; with `plan`, lines carry data-section references.
std::string emitText(const Program &P, const DataPlan *plan) {
  std::string out =
      std::string(kMagic) + " " + std::to_string(P.version) + "\n";
  out += emitHardware(P.hw);
  for (size_t v = 0; v < P.values.size(); ++v)
    out += "value %" + std::to_string(v) + " name=" + quote(P.values[v].name) +
           " shape=" + fmtShape(P.values[v].shape) + "\n";
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
    out += " fnv=" + fmtHex(fnv1a64Floats(C.data.data(), C.data.size()));
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
           " weights_fnv=" +
           fmtHex(fnv1a64Floats(L.weights.data(), L.weights.size())) +
           " bias_fnv=" + fmtHex(fnv1a64Floats(L.bias.data(), L.bias.size()));
    if (plan)
      out += " weights=" + fmtRange(plan->weights[l], 4 * L.weights.size()) +
             " bias=" + fmtRange(plan->bias[l], 4 * L.bias.size());
    out += "\n";
    for (size_t a = 0; a < L.arrays.size(); ++a) {
      const Array &A = L.arrays[a];
      out += "array @" + id + "." + std::to_string(a) +
             " row_tile=" + std::to_string(A.rowTile) +
             " col_tile=" + std::to_string(A.colTile) +
             " rows=" + fmtRange(A.rowBegin, A.rowCount) +
             " weight_cols=" + fmtRange(A.weightColBegin, A.weightColCount) +
             " group=" + std::to_string(A.group) + "\n";
    }
  }

  for (const Instruction &I : P.instructions)
    out += emitInstruction(I);
  return out;
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

/// One line split into positional tokens and key=value fields.
struct Fields {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> kv;
  std::vector<bool> used;
};

enum class RefKind { Constant, Weights, Bias };

/// A data-section reference recorded while reading the text section.
struct PendingRef {
  RefKind kind;
  size_t index;
  uint64_t offset, size;
  uint64_t fnv;
  int line;
  const char *key;
};

class Reader {
public:
  Reader(const std::string &bytes, const std::string &file, Program &program,
         std::string &error)
      : bytes(bytes), file(file), P(program), error(error) {}

  bool read();

private:
  const std::string &bytes;
  const std::string &file;
  Program &P;
  std::string &error;
  int lineNo = 0;
  Fields F;
  std::vector<PendingRef> refs;
  int phase = 0; // rank of the last keyword seen, see keywordRank()
  bool haveHw = false, haveInputs = false, haveOutputs = false;
  int64_t declaredArrays = 0; // arrays= of the last layer line

  bool fail(const std::string &msg) {
    error = file + ":" + std::to_string(lineNo) + ": " + msg;
    return false;
  }
  bool failAt(uint64_t offset, const std::string &msg) {
    error = file + ": byte offset " + std::to_string(offset) + ": " + msg;
    return false;
  }

  bool tokenize(const std::string &text);
  bool parseLine(const std::string &text);
  bool finishFields();
  bool checkArraysComplete();

  // Field accessors: each marks the field used and reports its own errors.
  const std::string *field(const char *key);
  bool getInt(const char *key, int64_t &out);
  bool getFloat(const char *key, float &out);
  bool getDouble(const char *key, double &out);
  bool getString(const char *key, std::string &out);
  bool getShape(const char *key, std::vector<int64_t> &out);
  bool getList(const char *key, char sep, std::vector<int64_t> &out);
  bool getPair(const char *key, int64_t &a, int64_t &b);
  bool getBool(const char *key, bool &out);
  bool getHex(const char *key, uint64_t &out);
  bool getRef(const char *key, char sigil, int64_t &out);
  bool getDataRef(const char *key, uint64_t elements, RefKind kind,
                  size_t index, uint64_t fnv);

  bool parseHw();
  bool parseValue();
  bool parseValueList(std::vector<int> &ids, const char *what);
  bool parseConstant();
  bool parseLayer();
  bool parseArray();
  bool parseInst();
  bool readData(uint64_t dataStart);
};

// Lexical helpers ----------------------------------------------------------

bool parseInt64(const std::string &s, int64_t &out) {
  if (s.empty() || s.size() > 20)
    return false;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size())
    return false;
  for (size_t j = i; j < s.size(); ++j)
    if (s[j] < '0' || s[j] > '9')
      return false;
  errno = 0;
  char *end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno == ERANGE || *end)
    return false;
  out = v;
  return true;
}

bool parseUInt64(const std::string &s, uint64_t &out) {
  if (s.empty() || s[0] == '-')
    return false;
  int64_t v;
  if (!parseInt64(s, v))
    return false;
  out = static_cast<uint64_t>(v);
  return true;
}

/// Decimal/hex float or inf/nan, consuming the whole string.
bool isFloatSyntax(const std::string &s) {
  if (s.empty() || s.size() > 64)
    return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
          c == '+' || c == '.'))
      return false;
  return true;
}

bool unquote(const std::string &raw, std::string &out) {
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"')
    return false;
  out.clear();
  for (size_t i = 1; i + 1 < raw.size(); ++i) {
    char c = raw[i];
    if (c == '"')
      return false;
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i + 1 >= raw.size())
      return false;
    c = raw[i];
    if (c == '"' || c == '\\') {
      out += c;
    } else if (c == 'x' && i + 2 < raw.size() &&
               std::isxdigit(static_cast<unsigned char>(raw[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(raw[i + 2]))) {
      out += static_cast<char>(std::strtol(raw.substr(i + 1, 2).c_str(),
                                           nullptr, 16));
      i += 2;
    } else {
      return false;
    }
  }
  return true;
}

bool isKey(const std::string &s) {
  if (s.empty())
    return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

/// Order of sections; a line's keyword may not go back to an earlier one.
int keywordRank(const std::string &kw) {
  if (kw == "hw") return 1;
  if (kw == "value") return 2;
  if (kw == "inputs") return 3;
  if (kw == "outputs") return 4;
  if (kw == "constant") return 5;
  if (kw == "layer" || kw == "array") return 6;
  if (kw == "inst") return 7;
  if (kw == "data") return 8;
  return 0;
}

// Reader -------------------------------------------------------------------

bool Reader::tokenize(const std::string &text) {
  F = Fields();
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    size_t begin = i;
    bool inQuote = false;
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (inQuote) {
        if (c == '\\')
          ++i; // skip the escaped character
        else if (c == '"')
          inQuote = false;
      } else if (c == '"') {
        inQuote = true;
      } else if (c == ' ') {
        break;
      }
    }
    if (inQuote || i > text.size())
      return fail("unterminated string");
    std::string token = text.substr(begin, i - begin);
    size_t eq = token.find('=');
    if (eq == std::string::npos || token == "=") {
      F.positional.push_back(token);
      continue;
    }
    std::string key = token.substr(0, eq);
    if (!isKey(key))
      return fail("malformed field '" + token + "'");
    for (auto &kv : F.kv)
      if (kv.first == key)
        return fail("duplicate field '" + key + "'");
    F.kv.emplace_back(key, token.substr(eq + 1));
  }
  F.used.assign(F.kv.size(), false);
  return true;
}

const std::string *Reader::field(const char *key) {
  for (size_t i = 0; i < F.kv.size(); ++i)
    if (F.kv[i].first == key) {
      F.used[i] = true;
      return &F.kv[i].second;
    }
  fail(std::string("missing field '") + key + "'");
  return nullptr;
}

bool Reader::getInt(const char *key, int64_t &out) {
  const std::string *v = field(key);
  if (!v)
    return false;
  if (!parseInt64(*v, out))
    return fail(std::string("field '") + key + "': expected an integer, got '" +
                *v + "'");
  return true;
}

bool Reader::getFloat(const char *key, float &out) {
  const std::string *v = field(key);
  if (!v)
    return false;
  char *end = nullptr;
  if (isFloatSyntax(*v))
    out = std::strtof(v->c_str(), &end);
  if (!end || *end)
    return fail(std::string("field '") + key + "': expected a number, got '" +
                *v + "'");
  return true;
}

bool Reader::getDouble(const char *key, double &out) {
  const std::string *v = field(key);
  if (!v)
    return false;
  char *end = nullptr;
  if (isFloatSyntax(*v))
    out = std::strtod(v->c_str(), &end);
  if (!end || *end)
    return fail(std::string("field '") + key + "': expected a number, got '" +
                *v + "'");
  return true;
}

bool Reader::getString(const char *key, std::string &out) {
  const std::string *v = field(key);
  if (!v)
    return false;
  if (!unquote(*v, out))
    return fail(std::string("field '") + key +
                "': expected a quoted string with \\\" \\\\ \\xHH escapes");
  return true;
}

bool Reader::getShape(const char *key, std::vector<int64_t> &out) {
  const std::string *v = field(key);
  if (!v)
    return false;
  auto bad = [&]() {
    return fail(std::string("field '") + key +
                "': expected [d0,d1,...] of integers, got '" + *v + "'");
  };
  if (v->size() < 2 || v->front() != '[' || v->back() != ']')
    return bad();
  out.clear();
  std::string body = v->substr(1, v->size() - 2);
  if (body.empty())
    return true;
  size_t pos = 0;
  while (true) {
    size_t comma = body.find(',', pos);
    int64_t dim;
    if (!parseInt64(body.substr(pos, comma == std::string::npos
                                         ? std::string::npos
                                         : comma - pos),
                    dim))
      return bad();
    out.push_back(dim);
    if (comma == std::string::npos)
      return true;
    pos = comma + 1;
  }
}

bool Reader::getList(const char *key, char sep, std::vector<int64_t> &out) {
  const std::string *v = field(key);
  if (!v)
    return false;
  out.clear();
  if (v->empty())
    return true;
  size_t pos = 0;
  while (true) {
    size_t next = v->find(sep, pos);
    int64_t item;
    if (!parseInt64(v->substr(pos, next == std::string::npos ? std::string::npos
                                                             : next - pos),
                    item))
      return fail(std::string("field '") + key + "': expected integers " +
                  (sep == 'x' ? "like 3x3" : "like 1,1,0,0") + ", got '" + *v +
                  "'");
    out.push_back(item);
    if (next == std::string::npos)
      return true;
    pos = next + 1;
  }
}

bool Reader::getPair(const char *key, int64_t &a, int64_t &b) {
  std::vector<int64_t> v;
  if (!getList(key, 'x', v))
    return false;
  if (v.size() != 2)
    return fail(std::string("field '") + key + "': expected HxW");
  a = v[0];
  b = v[1];
  return true;
}

bool Reader::getBool(const char *key, bool &out) {
  int64_t v;
  if (!getInt(key, v))
    return false;
  if (v != 0 && v != 1)
    return fail(std::string("field '") + key + "': expected 0 or 1");
  out = v == 1;
  return true;
}

bool Reader::getHex(const char *key, uint64_t &out) {
  const std::string *v = field(key);
  if (!v)
    return false;
  bool ok = v->size() == 18 && (*v)[0] == '0' && (*v)[1] == 'x';
  for (size_t i = 2; ok && i < v->size(); ++i)
    ok = std::isxdigit(static_cast<unsigned char>((*v)[i]));
  if (!ok)
    return fail(std::string("field '") + key +
                "': expected 0x and 16 hex digits, got '" + *v + "'");
  out = std::strtoull(v->c_str() + 2, nullptr, 16);
  return true;
}

bool Reader::getRef(const char *key, char sigil, int64_t &out) {
  const std::string *v = field(key);
  if (!v)
    return false;
  if (v->empty() || (*v)[0] != sigil || !parseInt64(v->substr(1), out) ||
      out < 0)
    return fail(std::string("field '") + key + "': expected " + sigil +
                "<index>, got '" + *v + "'");
  return true;
}

bool Reader::getDataRef(const char *key, uint64_t elements, RefKind kind,
                        size_t index, uint64_t fnv) {
  const std::string *v = field(key);
  if (!v)
    return false;
  size_t plus = v->find('+');
  PendingRef ref{kind, index, 0, 0, fnv, lineNo, key};
  if (plus == std::string::npos || !parseUInt64(v->substr(0, plus), ref.offset) ||
      !parseUInt64(v->substr(plus + 1), ref.size))
    return fail(std::string("field '") + key +
                "': expected OFFSET+BYTES, got '" + *v + "'");
  if (elements > (uint64_t(1) << 60) || ref.size != 4 * elements)
    return fail(std::string("field '") + key + "': " +
                std::to_string(ref.size) + " bytes, expected " +
                std::to_string(elements) + " float32 elements");
  refs.push_back(ref);
  return true;
}

bool Reader::finishFields() {
  for (size_t i = 0; i < F.kv.size(); ++i)
    if (!F.used[i])
      return fail("unknown field '" + F.kv[i].first + "'");
  return true;
}

bool Reader::parseHw() {
  if (F.positional.size() != 1)
    return fail("unexpected token '" + F.positional[1] + "'");
  // Unknown keys first: a misspelt key is reported as such (with the nearest
  // valid key), not as the valid key missing.
  for (const auto &kv : F.kv)
    if (!model::findHardwareField(kv.first))
      return fail("hardware: " + model::unknownHardwareKeyMessage(kv.first));
  model::HardwareDesc &hw = P.hw;
  for (const model::HardwareField *f = model::hardwareFieldsBegin();
       f != model::hardwareFieldsEnd(); ++f) {
    bool ok = true;
    switch (f->kind) {
    case model::HardwareField::String: ok = getString(f->key, hw.*(f->str)); break;
    case model::HardwareField::Int: ok = getInt(f->key, hw.*(f->integer)); break;
    case model::HardwareField::Real: ok = getDouble(f->key, hw.*(f->real)); break;
    }
    if (!ok)
      return false;
  }
  if (!finishFields())
    return false;
  std::string e = model::validate(hw);
  if (!e.empty())
    return fail("hardware: " + e);
  return true;
}

bool Reader::parseValue() {
  int64_t id;
  if (F.positional.size() != 2 || F.positional[1].empty() ||
      F.positional[1][0] != '%' || !parseInt64(F.positional[1].substr(1), id))
    return fail("expected 'value %<id> name=\"...\" shape=[...]'");
  if (id != static_cast<int64_t>(P.values.size()))
    return fail("value %" + std::to_string(id) + " out of order, expected %" +
                std::to_string(P.values.size()));
  Value v;
  if (!getString("name", v.name) || !getShape("shape", v.shape) ||
      !finishFields())
    return false;
  P.values.push_back(std::move(v));
  return true;
}

bool Reader::parseValueList(std::vector<int> &ids, const char *what) {
  for (size_t i = 1; i < F.positional.size(); ++i) {
    const std::string &t = F.positional[i];
    int64_t id;
    if (t.empty() || t[0] != '%' || !parseInt64(t.substr(1), id) || id < 0 ||
        id >= static_cast<int64_t>(P.values.size()))
      return fail(std::string(what) + ": '" + t + "' is not a value id (%0..%" +
                  std::to_string(P.values.size()) + ")");
    ids.push_back(static_cast<int>(id));
  }
  return finishFields();
}

bool Reader::parseConstant() {
  int64_t id;
  if (F.positional.size() != 2 || F.positional[1].empty() ||
      F.positional[1][0] != '#' || !parseInt64(F.positional[1].substr(1), id))
    return fail("expected 'constant #<id> ...'");
  if (id != static_cast<int64_t>(P.constants.size()))
    return fail("constant #" + std::to_string(id) + " out of order, expected #" +
                std::to_string(P.constants.size()));
  Constant c;
  int64_t elements;
  uint64_t fnv;
  if (!getString("name", c.name) || !getShape("shape", c.shape) ||
      !getInt("elements", elements) || !getHex("fnv", fnv))
    return false;
  uint64_t count = 1;
  for (int64_t dim : c.shape) {
    if (dim < 0 || (dim && count > (uint64_t(1) << 40) / uint64_t(dim)))
      return fail("constant shape " + fmtShape(c.shape) + " is invalid");
    count *= uint64_t(dim);
  }
  if (static_cast<uint64_t>(elements) != count)
    return fail("elements=" + std::to_string(elements) + " but shape " +
                fmtShape(c.shape) + " has " + std::to_string(count));
  // min/max are a summary for people; they must parse but are not data.
  float ignored;
  if (count > 0 && (!getFloat("min", ignored) || !getFloat("max", ignored)))
    return false;
  if (!getDataRef("data", count, RefKind::Constant, P.constants.size(), fnv) ||
      !finishFields())
    return false;
  P.constants.push_back(std::move(c));
  return true;
}

bool Reader::checkArraysComplete() {
  if (P.layers.empty())
    return true;
  const CrossbarLayer &L = P.layers.back();
  if (static_cast<int64_t>(L.arrays.size()) != declaredArrays)
    return fail("layer @" + std::to_string(P.layers.size() - 1) + " declares " +
                std::to_string(declaredArrays) + " arrays but " +
                std::to_string(L.arrays.size()) + " follow it");
  return true;
}

bool Reader::parseLayer() {
  int64_t id;
  if (F.positional.size() != 2 || F.positional[1].empty() ||
      F.positional[1][0] != '@' || !parseInt64(F.positional[1].substr(1), id))
    return fail("expected 'layer @<id> ...'");
  if (id != static_cast<int64_t>(P.layers.size()))
    return fail("layer @" + std::to_string(id) + " out of order, expected @" +
                std::to_string(P.layers.size()));
  CrossbarLayer L;
  std::string mapping;
  int64_t shared;
  uint64_t weightsFnv, biasFnv;
  if (!getString("name", L.name) || !getInt("m", L.m) || !getInt("n", L.n) ||
      !getInt("k", L.k) || !getInt("p", L.p) || !getInt("q", L.q) ||
      !getInt("d", L.dup))
    return false;
  const std::string *m = field("mapping");
  if (!m)
    return false;
  if (*m == "A")
    L.mapping = Mapping::A;
  else if (*m == "B")
    L.mapping = Mapping::B;
  else if (*m == "C")
    L.mapping = Mapping::C;
  else if (*m == "E")
    L.mapping = Mapping::E;
  else
    return fail("field 'mapping': expected A, B, C or E, got '" + *m + "'");
  if (!getInt("shared", shared))
    return false;
  if (shared != 0 && shared != 1)
    return fail("field 'shared': expected 0 or 1");
  L.sharedInput = shared == 1;
  if (!getInt("rows_per_array", L.rowsPerArray) ||
      !getInt("weight_cols_per_array", L.weightColsPerArray) ||
      !getInt("row_tiles", L.rowTiles) || !getInt("col_tiles", L.colTiles) ||
      !getFloat("weight_scale", L.weightScale) ||
      !getInt("arrays", declaredArrays))
    return false;
  const std::string *kind = field("kind");
  if (!kind)
    return false;
  if (*kind == "fc")
    L.kind = LayerKind::FullyConnected;
  else if (*kind == "conv")
    L.kind = LayerKind::Convolution;
  else
    return fail("field 'kind': expected fc or conv, got '" + *kind + "'");
  std::vector<int64_t> pads;
  if (!getInt("groups", L.groups) || !getPair("kernel", L.kernelH, L.kernelW) ||
      !getPair("stride", L.strideH, L.strideW) ||
      !getPair("dilation", L.dilationH, L.dilationW) ||
      !getList("pads", ',', pads) || !getHex("weights_fnv", weightsFnv) ||
      !getHex("bias_fnv", biasFnv))
    return false;
  if (pads.size() != 4)
    return fail("field 'pads': expected TOP,LEFT,BOTTOM,RIGHT");
  L.padTop = pads[0];
  L.padLeft = pads[1];
  L.padBottom = pads[2];
  L.padRight = pads[3];
  // Element counts from the header fields, overflow-checked; the data
  // references must match them exactly.
  const int64_t limit = int64_t(1) << 40, geomLimit = int64_t(1) << 20;
  int64_t unique, biasCount;
  if (L.m < 1 || L.m > limit || L.n < 1 || L.n > limit || L.p < 1 ||
      L.p > limit || L.q < 1 || L.q > limit || L.k < 1 || L.k > limit ||
      L.groups < 1 || L.groups > limit || L.kernelH < 1 ||
      L.kernelH > geomLimit || L.kernelW < 1 || L.kernelW > geomLimit ||
      __builtin_mul_overflow(L.groups, L.p, &unique) ||
      __builtin_mul_overflow(unique, L.kernelH * L.kernelW, &unique) ||
      __builtin_mul_overflow(unique, L.q, &unique) ||
      __builtin_mul_overflow(unique, L.k, &unique) || unique > limit ||
      __builtin_mul_overflow(L.groups, L.m, &biasCount) || biasCount > limit)
    return fail("layer sizes m, n, k, p, q, groups must be in [1, 2^40], "
                "kernel sides in [1, 2^20], with groups*p*kernelH*kernelW*q*k "
                "and groups*m <= 2^40");
  if (declaredArrays < 0)
    return fail("field 'arrays' must not be negative");
  if (!getDataRef("weights", static_cast<uint64_t>(unique), RefKind::Weights,
                  P.layers.size(), weightsFnv) ||
      !getDataRef("bias", static_cast<uint64_t>(biasCount), RefKind::Bias,
                  P.layers.size(), biasFnv) ||
      !finishFields())
    return false;
  P.layers.push_back(std::move(L));
  return true;
}

bool Reader::parseArray() {
  if (P.layers.empty())
    return fail("'array' line before any 'layer' line");
  CrossbarLayer &L = P.layers.back();
  std::string expected = "@" + std::to_string(P.layers.size() - 1) + "." +
                         std::to_string(L.arrays.size());
  if (F.positional.size() != 2 || F.positional[1] != expected)
    return fail("expected 'array " + expected + " ...'");
  if (static_cast<int64_t>(L.arrays.size()) >= declaredArrays)
    return fail("more arrays than the layer's arrays=" +
                std::to_string(declaredArrays));
  Array A;
  auto range = [&](const char *key, int64_t &begin, int64_t &count) {
    const std::string *v = field(key);
    if (!v)
      return false;
    size_t plus = v->find('+');
    if (plus == std::string::npos || !parseInt64(v->substr(0, plus), begin) ||
        !parseInt64(v->substr(plus + 1), count))
      return fail(std::string("field '") + key +
                  "': expected BEGIN+COUNT, got '" + *v + "'");
    return true;
  };
  if (!getInt("row_tile", A.rowTile) || !getInt("col_tile", A.colTile) ||
      !range("rows", A.rowBegin, A.rowCount) ||
      !range("weight_cols", A.weightColBegin, A.weightColCount) ||
      !getInt("group", A.group) || !finishFields())
    return false;
  L.arrays.push_back(A);
  return true;
}

bool Reader::parseInst() {
  const std::vector<std::string> pos = F.positional;
  if (pos.size() < 4 || pos[2] != "=")
    return fail("expected 'inst %<result> = <op> <operands...> ...'");
  Instruction I;
  I.op = OpCode::Identity;
  bool known = false;
  for (int op = 0; op <= static_cast<int>(OpCode::Transpose); ++op)
    if (pos[3] == opcodeName(static_cast<OpCode>(op))) {
      I.op = static_cast<OpCode>(op);
      known = true;
    }
  if (!known)
    return fail("unknown instruction '" + pos[3] + "'");
  std::vector<int> ids;
  Fields saved = F;
  // Result and operands share the value-id syntax.
  F.positional = {pos[0], pos[1]};
  for (size_t i = 4; i < saved.positional.size(); ++i)
    F.positional.push_back(saved.positional[i]);
  F.kv.clear();
  F.used.clear();
  if (!parseValueList(ids, "inst"))
    return false;
  F = saved;
  I.result = ids[0];
  I.operands.assign(ids.begin() + 1, ids.end());
  switch (I.op) {
  case OpCode::Crossbar:
    if (!getRef("layer", '@', I.index))
      return false;
    break;
  case OpCode::Constant:
    if (!getRef("constant", '#', I.index))
      return false;
    break;
  case OpCode::Softmax:
  case OpCode::Flatten:
    if (!getInt("axis", I.axis))
      return false;
    break;
  case OpCode::Reshape:
    if (!getShape("shape", I.shape))
      return false;
    break;
  case OpCode::Concat:
    if (!getInt("axis", I.axis))
      return false;
    break;
  case OpCode::MaxPool:
  case OpCode::AveragePool:
    if (!getList("kernel", 'x', I.kernel) ||
        !getList("strides", 'x', I.strides) || !getList("pads", ',', I.pads) ||
        !getList("dilations", 'x', I.dilations) ||
        !getBool("ceil", I.ceilMode) ||
        (I.op == OpCode::AveragePool &&
         !getBool("count_include_pad", I.countIncludePad)))
      return false;
    break;
  case OpCode::Clip:
    if (!getFloat("min", I.alpha) || !getFloat("max", I.beta))
      return false;
    break;
  case OpCode::LeakyRelu:
    if (!getFloat("alpha", I.alpha))
      return false;
    break;
  case OpCode::HardSigmoid:
    if (!getFloat("alpha", I.alpha) || !getFloat("beta", I.beta))
      return false;
    break;
  case OpCode::Pad: {
    const std::string *mode;
    if (!getList("pads", ',', I.pads) || !(mode = field("mode")) ||
        !getFloat("value", I.alpha))
      return false;
    if (*mode != "constant" && *mode != "reflect" && *mode != "edge")
      return fail("field 'mode': expected constant, reflect or edge, got '" +
                  *mode + "'");
    I.mode = *mode;
    break;
  }
  case OpCode::Transpose:
    if (!getList("perm", ',', I.perm))
      return false;
    break;
  default:
    break;
  }
  if (!getString("name", I.name) || !finishFields())
    return false;
  P.instructions.push_back(std::move(I));
  return true;
}

bool Reader::parseLine(const std::string &text) {
  if (!tokenize(text))
    return false;
  if (F.positional.empty())
    return fail("expected a keyword");
  const std::string &kw = F.positional[0];
  int rank = keywordRank(kw);
  if (rank == 0)
    return fail("unknown line keyword '" + kw + "'");
  if (rank < phase || (rank == phase && (kw == "hw" || kw == "inputs" ||
                                         kw == "outputs")))
    return fail("'" + kw + "' line out of order (sections are hw, value, "
                "inputs, outputs, constant, layer/array, inst, data)");
  if (rank > 1 && !haveHw)
    return fail("missing 'hw' line before '" + kw + "'");
  if (rank > 3 && !haveInputs)
    return fail("missing 'inputs' line before '" + kw + "'");
  if (rank > 4 && !haveOutputs)
    return fail("missing 'outputs' line before '" + kw + "'");
  if ((kw == "layer" || rank > 6) && !checkArraysComplete())
    return false;
  phase = rank;
  if (kw == "data")
    return true; // the caller reads the data section
  if (kw == "hw")
    return haveHw = true, parseHw();
  if (kw == "value")
    return parseValue();
  if (kw == "inputs")
    return haveInputs = true, parseValueList(P.inputs, "inputs");
  if (kw == "outputs")
    return haveOutputs = true, parseValueList(P.outputs, "outputs");
  if (kw == "constant")
    return parseConstant();
  if (kw == "layer")
    return parseLayer();
  if (kw == "array")
    return parseArray();
  return parseInst();
}

bool Reader::readData(uint64_t dataStart) {
  int64_t n;
  if (F.positional.size() != 2 || !F.kv.empty() ||
      !parseInt64(F.positional[1], n) || n < 0)
    return fail("expected 'data <nbytes>'");
  uint64_t size = static_cast<uint64_t>(n);
  uint64_t available = bytes.size() - dataStart;
  if (available < 8 || size > available - 8)
    return failAt(bytes.size(),
                  "file truncated: the data section needs " +
                      std::to_string(size) +
                      " bytes plus an 8-byte checksum, " +
                      std::to_string(available) + " bytes follow 'data'");
  if (size < available - 8)
    return failAt(dataStart + size + 8,
                  std::to_string(available - 8 - size) +
                      " unexpected bytes after the checksum");
  const char *data = bytes.data() + dataStart;
  uint64_t stored = 0;
  for (int b = 0; b < 8; ++b)
    stored |= uint64_t(static_cast<unsigned char>(data[size + b])) << (8 * b);
  if (stored != fnv1a64(data, size))
    return failAt(dataStart + size,
                  "data section checksum mismatch (file is corrupt)");

  for (const PendingRef &ref : refs) {
    lineNo = ref.line;
    if (ref.offset > size || ref.size > size - ref.offset)
      return fail(std::string("field '") + ref.key + "': bytes " +
                  fmtRange(ref.offset, ref.size) + " lie outside the " +
                  std::to_string(size) + "-byte data section");
    std::vector<float> *target;
    switch (ref.kind) {
    case RefKind::Constant: target = &P.constants[ref.index].data; break;
    case RefKind::Weights: target = &P.layers[ref.index].weights; break;
    default: target = &P.layers[ref.index].bias; break;
    }
    target->resize(ref.size / 4);
    decodeFloatsLE(data + ref.offset, target->size(), target->data());
    if (fnv1a64Floats(target->data(), target->size()) != ref.fnv)
      return fail(std::string("field '") + ref.key +
                  "': checksum of the referenced data does not match");
  }
  return true;
}

bool Reader::read() {
  P = Program();
  // Magic first, so an unrelated file gets a plain answer.
  std::string magic = std::string(kMagic) + " ";
  lineNo = 1;
  if (bytes.compare(0, magic.size(), magic) != 0)
    return fail("not a rebocc program (expected '" + magic + "<version>')");
  size_t pos = 0;
  while (true) {
    size_t eol = bytes.find('\n', pos);
    if (eol == std::string::npos)
      return fail(pos == bytes.size()
                      ? "file ends before the 'data' line (truncated?)"
                      : "unterminated line (file truncated?)");
    for (size_t i = pos; i < eol; ++i) {
      unsigned char c = static_cast<unsigned char>(bytes[i]);
      if (c < 0x20 || c >= 0x7f)
        return fail("byte " + std::to_string(c) + " at offset " +
                    std::to_string(i) +
                    " is not printable ASCII (text section)");
    }
    std::string text = bytes.substr(pos, eol - pos);
    pos = eol + 1;
    if (lineNo == 1) {
      int64_t version;
      if (!parseInt64(text.substr(magic.size()), version))
        return fail("malformed header line '" + text + "'");
      if (version != kFormatVersion)
        return fail("format version " + std::to_string(version) +
                    " is not supported (this reader reads version " +
                    std::to_string(kFormatVersion) + ")");
      P.version = kFormatVersion;
    } else if (!text.empty() && text[0] != '#') {
      if (!parseLine(text))
        return false;
      if (F.positional[0] == "data") {
        if (!readData(pos))
          return false;
        break;
      }
    }
    ++lineNo;
  }
  std::string e = verify(P);
  if (!e.empty()) {
    error = file + ": invalid program: " + e;
    return false;
  }
  return true;
}

} // namespace

std::string printText(const Program &program) {
  return emitText(program, nullptr);
}

bool writeProgram(const Program &program, std::string &bytes,
                  std::string &error) {
  std::string e = verify(program);
  if (!e.empty()) {
    error = "refusing to write an invalid program: " + e;
    return false;
  }
  DataPlan plan = planData(program);
  bytes = emitText(program, &plan);
  bytes += "data " + std::to_string(plan.total) + "\n";
  size_t dataStart = bytes.size();
  bytes.reserve(dataStart + plan.total + 8);
  for (const Constant &C : program.constants)
    appendFloatsLE(bytes, C.data.data(), C.data.size());
  for (const CrossbarLayer &L : program.layers) {
    appendFloatsLE(bytes, L.weights.data(), L.weights.size());
    appendFloatsLE(bytes, L.bias.data(), L.bias.size());
  }
  uint64_t hash = fnv1a64(bytes.data() + dataStart, bytes.size() - dataStart);
  for (int b = 0; b < 8; ++b)
    bytes += static_cast<char>((hash >> (8 * b)) & 0xff);
  return true;
}

bool writeProgram(const Program &program, std::string &bytes) {
  std::string error;
  return writeProgram(program, bytes, error);
}

bool writeProgramFile(const Program &program, const std::string &path,
                      std::string &error) {
  std::string bytes;
  if (!writeProgram(program, bytes, error)) {
    error = path + ": " + error;
    return false;
  }
  return writeFileBytes(path, bytes, error);
}

bool readProgram(const std::string &bytes, const std::string &fileName,
                 Program &program, std::string &error) {
  Reader reader(bytes, fileName, program, error);
  if (reader.read())
    return true;
  program = Program();
  return false;
}

bool readProgramFile(const std::string &path, Program &program,
                     std::string &error) {
  std::string bytes;
  if (!readFileBytes(path, bytes, error))
    return false;
  return readProgram(bytes, path, program, error);
}

} // namespace rebocc::program
