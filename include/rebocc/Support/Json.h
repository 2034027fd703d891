//===- Json.h - the few JSON pieces the reports write -----------*- C++ -*-===//

#ifndef REBOCC_SUPPORT_JSON_H
#define REBOCC_SUPPORT_JSON_H

#include <string>

namespace rebocc::support {

/// `s` as a JSON string literal. Quotes, backslashes and control characters
/// are escaped; every other byte is copied, so UTF-8 text stays UTF-8.
std::string jsonQuote(const std::string &s);

/// A number with 6 significant digits, or null when it is not finite (JSON
/// has no NaN or infinity).
std::string jsonNumber(double v);

} // namespace rebocc::support

#endif // REBOCC_SUPPORT_JSON_H
