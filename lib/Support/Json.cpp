//===- Json.cpp - what the llvm::json report writers share ----------------===//

#include "rebocc/Support/Json.h"

#include "llvm/Support/raw_ostream.h"

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

std::string
jsonDocument(llvm::function_ref<void(llvm::json::OStream &)> write) {
  std::string text;
  llvm::raw_string_ostream os(text);
  {
    llvm::json::OStream json(os, /*IndentSize=*/2);
    write(json);
  }
  os << '\n';
  return text;
}

} // namespace rebocc::support
