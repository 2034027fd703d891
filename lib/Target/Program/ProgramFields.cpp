//===- ProgramFields.cpp - Program text section tokens and fields ---------===//
//
// The reader's lexical helpers, its tokenizer (one line into positional
// tokens and key=value fields) and its typed field accessors, each of which
// checks its field and reports its own errors.
//
//===----------------------------------------------------------------------===//

#include "ProgramFormat.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace rebocc::program {

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

namespace {

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

} // namespace

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

bool Reader::hasField(const char *key) const {
  for (const auto &kv : F.kv)
    if (kv.first == key)
      return true;
  return false;
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

bool Reader::getIntOrAuto(const model::HardwareField &f,
                          model::HardwareDesc &hw) {
  const std::string *v = field(f.key);
  if (!v)
    return false;
  if (f.autoFlag && *v == "auto")
    return hw.*(f.autoFlag) = true, true;
  if (f.autoFlag)
    hw.*(f.autoFlag) = false;
  return getInt(f.key, hw.*(f.integer));
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

bool Reader::getFloatList(const char *key, std::vector<float> &out) {
  const std::string *v = field(key);
  if (!v)
    return false;
  out.clear();
  size_t pos = 0;
  while (pos < v->size()) {
    size_t next = std::min(v->find(',', pos), v->size());
    std::string item = v->substr(pos, next - pos);
    char *end = nullptr;
    if (isFloatSyntax(item))
      out.push_back(std::strtof(item.c_str(), &end));
    if (!end || *end)
      return fail(std::string("field '") + key +
                  "': expected numbers like 0.5,1, got '" + *v + "'");
    pos = next + 1;
  }
  return true;
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
                        size_t index, uint64_t seal) {
  const std::string *v = field(key);
  if (!v)
    return false;
  size_t plus = v->find('+');
  PendingRef ref{kind, index, 0, 0, seal, lineNo, key};
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

} // namespace rebocc::program
