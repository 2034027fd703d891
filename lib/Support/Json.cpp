//===- Json.cpp - what the llvm::json report writers share ----------------===//

#include "rebocc/Support/Json.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <charconv>
#include <cmath>

namespace rebocc::support {

llvm::json::Value jsonString(llvm::StringRef text) {
  if (llvm::json::isUTF8(text))
    return text.str();
  return llvm::json::fixUTF8(text);
}

llvm::json::Value jsonNumber(double v) {
  if (!std::isfinite(v))
    return nullptr;
  return v;
}

namespace {

/// `token`, a double llvm::json printed with 17 significant digits, in the
/// shortest form that parses back to the same double (std::to_chars), its
/// exponent without leading zeros (6e-4).
std::string shortestForm(llvm::StringRef token) {
  double value = 0;
  auto parsed = std::from_chars(token.begin(), token.end(), value);
  char buf[32];
  auto printed = std::to_chars(buf, buf + sizeof(buf), value);
  if (parsed.ec != std::errc() || parsed.ptr != token.end() ||
      printed.ec != std::errc())
    return token.str();
  // to_chars writes at least two exponent digits, as printf does: 6e-04.
  std::string text(buf, printed.ptr);
  size_t e = text.find('e');
  if (e != std::string::npos) {
    size_t digits = e + 2; // after the exponent's sign
    while (digits + 1 < text.size() && text[digits] == '0')
      text.erase(digits, 1);
  }
  return text;
}

} // namespace

std::string shortestNumbers(llvm::StringRef text) {
  std::string out;
  out.reserve(text.size());
  bool inString = false;
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (inString) {
      // An escape's second character is never the closing quote.
      size_t length = c == '\\' ? 2 : 1;
      out.append(text.substr(i, length));
      inString = c != '"';
      i += length;
      continue;
    }
    if (c != '-' && !llvm::isDigit(c)) {
      inString = c == '"';
      out += c;
      ++i;
      continue;
    }
    size_t end = std::min(text.find_first_not_of("+-.0123456789eE", i),
                          text.size());
    llvm::StringRef token = text.slice(i, end);
    // Integers are exact as they stand (and may exceed a double's 53 bits).
    if (token.find_first_of(".eE") == llvm::StringRef::npos)
      out.append(token);
    else
      out += shortestForm(token);
    i = end;
  }
  return out;
}

std::string
jsonDocument(llvm::function_ref<void(llvm::json::OStream &)> write) {
  std::string text;
  llvm::raw_string_ostream os(text);
  {
    llvm::json::OStream json(os, /*IndentSize=*/2);
    write(json);
  }
  os << '\n';
  return shortestNumbers(text);
}

} // namespace rebocc::support
