//===- Json.h - what the llvm::json report writers share --------*- C++ -*-===//
//
// The reports are written with llvm::json::OStream. Two kinds of value need
// care: names (user text), which llvm::json requires to be valid UTF-8, and
// non-finite numbers, which JSON cannot hold.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_JSON_H
#define REBOCC_SUPPORT_JSON_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <string>

namespace rebocc::support {

/// `text` as a JSON string. UTF-8 stays UTF-8; bytes that are not UTF-8 (a
/// name from a corrupt file) become U+FFFD instead of tripping llvm::json's
/// assertion.
llvm::json::Value jsonString(llvm::StringRef text);

/// `v`, or null when it is not finite (JSON has no NaN or infinity).
llvm::json::Value jsonNumber(double v);

/// The JSON document `write` streams, indented by 2, with a final newline.
std::string jsonDocument(llvm::function_ref<void(llvm::json::OStream &)> write);

} // namespace rebocc::support

#endif // REBOCC_SUPPORT_JSON_H
