//===- HardwareOverrides.cpp - --hw-set KEY=VALUE -------------------------===//
//
// One key of the hardware description changed on the command line, by
// `rebocc` (on top of --hw=FILE) and `rebocc-sim` (on top of the program's
// `hw` line). Values go through the same validate() as a JSON file or a
// program; rebocc-sim additionally refuses the placement fields, which the
// compiled program's layout depends on.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/Hardware.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace rebocc::model {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

/// [+-]digits: nothing else (no spaces, no hex, no fraction).
bool isIntegerSyntax(const std::string &s) {
  size_t i = s.size() > 0 && (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i == s.size())
    return false;
  for (; i < s.size(); ++i)
    if (!isDigit(s[i]))
      return false;
  return true;
}

/// A decimal number: [+-](digits[.digits] | .digits)([eE][+-]digits). No
/// spaces, hex, inf or nan, and nothing after it ("1.5x" is an error).
bool isRealSyntax(const std::string &s) {
  size_t i = 0, n = s.size();
  if (i < n && (s[i] == '-' || s[i] == '+'))
    ++i;
  size_t intDigits = 0, fracDigits = 0;
  while (i < n && isDigit(s[i]))
    ++i, ++intDigits;
  if (i < n && s[i] == '.') {
    ++i;
    while (i < n && isDigit(s[i]))
      ++i, ++fracDigits;
  }
  if (intDigits + fracDigits == 0)
    return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '-' || s[i] == '+'))
      ++i;
    size_t expDigits = 0;
    while (i < n && isDigit(s[i]))
      ++i, ++expDigits;
    if (expDigits == 0)
      return false;
  }
  return i == n;
}

bool sameValue(const HardwareField &f, const HardwareDesc &a,
               const HardwareDesc &b) {
  switch (f.kind) {
  case HardwareField::String: return a.*(f.str) == b.*(f.str);
  case HardwareField::Int:
    return a.*(f.integer) == b.*(f.integer) &&
           isAutoValue(f, a) == isAutoValue(f, b);
  case HardwareField::Real: return a.*(f.real) == b.*(f.real);
  }
  return false;
}

} // namespace

bool applyHardwareOverride(HardwareDesc &hw, const std::string &keyValue,
                           std::string &error, const HardwareField **field) {
  size_t eq = keyValue.find('=');
  if (eq == std::string::npos) {
    error = "--hw-set '" + keyValue + "': expected KEY=VALUE";
    return false;
  }
  std::string key = keyValue.substr(0, eq), value = keyValue.substr(eq + 1);
  if (key.empty()) {
    error = "--hw-set '" + keyValue + "': expected KEY=VALUE, the key is empty";
    return false;
  }
  const HardwareField *f = findHardwareField(key);
  if (!f) {
    error = "--hw-set " + key + ": " + unknownHardwareKeyMessage(key);
    return false;
  }
  if (value.empty()) {
    error = "--hw-set " + key + ": empty value";
    return false;
  }
  switch (f->kind) {
  case HardwareField::String:
    hw.*(f->str) = value;
    break;
  case HardwareField::Int: {
    if (f->autoFlag && value == "auto") {
      hw.*(f->autoFlag) = true;
      break;
    }
    errno = 0;
    long long v = 0;
    if (isIntegerSyntax(value))
      v = std::strtoll(value.c_str(), nullptr, 10);
    if (!isIntegerSyntax(value) || errno == ERANGE) {
      error = "--hw-set " + key + ": expected an integer" +
              (f->autoFlag ? " or 'auto'" : "") + ", got '" + value + "'";
      return false;
    }
    hw.*(f->integer) = v;
    if (f->autoFlag)
      hw.*(f->autoFlag) = false;
    break;
  }
  case HardwareField::Real: {
    if (!isRealSyntax(value)) {
      error = "--hw-set " + key + ": expected a number, got '" + value + "'";
      return false;
    }
    double v = std::strtod(value.c_str(), nullptr);
    // Overflow gives inf; underflow a tiny number or 0, which validate()
    // rejects (or accepts, as a zero power) with the field's range.
    if (!std::isfinite(v)) {
      error = "--hw-set " + key + ": '" + value + "' is out of range";
      return false;
    }
    hw.*(f->real) = v;
    break;
  }
  }
  if (field)
    *field = f;
  return true;
}

bool applyHardwareOverrides(HardwareDesc &hw,
                            const std::vector<std::string> &keyValues,
                            bool allowPlacement, std::string &error) {
  HardwareDesc result = hw;
  std::vector<const HardwareField *> seen;
  for (const std::string &keyValue : keyValues) {
    const HardwareField *f = nullptr;
    if (!applyHardwareOverride(result, keyValue, error, &f))
      return false;
    for (const HardwareField *s : seen)
      if (s == f) {
        error = "--hw-set " + std::string(f->key) + ": given twice";
        return false;
      }
    seen.push_back(f);
    if (!allowPlacement && f->placement && !sameValue(*f, result, hw)) {
      error = "--hw-set " + std::string(f->key) +
              ": changes the mapping; recompile with rebocc";
      return false;
    }
  }
  std::string e = validate(result);
  if (!e.empty()) {
    error = "--hw-set: " + e;
    return false;
  }
  hw = result;
  return true;
}

} // namespace rebocc::model
