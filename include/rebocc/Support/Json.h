//===- Json.h - what the llvm::json report writers share --------*- C++ -*-===//
//
// The reports are written with llvm::json::OStream. Three kinds of value need
// care: names (user text), which llvm::json requires to be valid UTF-8,
// non-finite numbers, which JSON cannot hold, and doubles, which llvm::json
// prints with 17 significant digits (0.1 as 0.10000000000000001) where the
// shortest form that parses back to the same double is wanted.
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

/// `text`, a JSON document, with every number that has a fraction or an
/// exponent rewritten in the shortest form that parses back to the same
/// double (0.10000000000000001 becomes 0.1). Integers and strings stay as
/// they are.
std::string shortestNumbers(llvm::StringRef text);

/// The JSON document `write` streams, indented by 2, with a final newline,
/// its doubles in shortest round-trip form (shortestNumbers): OStream has no
/// hook for the number format, so the one writer's output is rewritten.
std::string jsonDocument(llvm::function_ref<void(llvm::json::OStream &)> write);

} // namespace rebocc::support

#endif // REBOCC_SUPPORT_JSON_H
