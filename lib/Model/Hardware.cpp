//===- Hardware.cpp - Hardware description --------------------------------===//
//
// A deliberately small JSON reader: one flat object whose values are numbers
// or strings. That is all a hardware description needs, and it keeps the
// project free of third-party parsers on a path that reads user files.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/Hardware.h"
#include "rebocc/Support/FileIO.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

namespace rebocc::model {

namespace {

using F = HardwareField;
using K = HardwareKind;
constexpr int64_t kMaxCount = int64_t(1) << 20;
constexpr bool kPlacement = true, kCost = false;

constexpr HardwareField name(const char *key, std::string HardwareDesc::*m) {
  return {key, F::String, m, nullptr, nullptr, K::Name, kCost, 0, 0};
}
constexpr HardwareField count(const char *key, int64_t HardwareDesc::*m,
                              bool placement = kCost, int64_t lo = 1) {
  return {key, F::Int, nullptr, m, nullptr, K::Count, placement, lo,
          kMaxCount};
}
constexpr HardwareField bits(const char *key, int64_t HardwareDesc::*m,
                             int64_t lo, int64_t hi, bool placement = kCost) {
  return {key, F::Int, nullptr, m, nullptr, K::Bits, placement, lo, hi};
}
/// Bits, or the word `auto` (HardwareField::autoFlag).
constexpr HardwareField bitsOrAuto(const char *key, int64_t HardwareDesc::*m,
                                   int64_t lo, int64_t hi,
                                   bool HardwareDesc::*autoFlag) {
  return {key, F::Int, nullptr, m,       nullptr, K::Bits,
          kCost, lo,   hi,      nullptr, 0,       autoFlag};
}
constexpr HardwareField real(const char *key, double HardwareDesc::*m,
                             HardwareKind kind) {
  return {key, F::Real, nullptr, nullptr, m, kind, kCost, 0, 0};
}
/// One of `words` ("a|b|c").
constexpr HardwareField choice(const char *key, std::string HardwareDesc::*m,
                               const char *words, bool placement = kCost) {
  return {key, F::String, m, nullptr, nullptr, K::Choice, placement, 0, 0,
          words, 0};
}
/// One of `words` or a decimal number above `numberAbove`.
constexpr HardwareField choiceOrNumber(const char *key,
                                       std::string HardwareDesc::*m,
                                       const char *words, double numberAbove) {
  return {key,   F::String, m, nullptr, nullptr, K::ChoiceOrNumber, kCost, 0,
          0,     words,     numberAbove};
}

// Placement fields (kPlacement) are those the compiled program's layout
// depends on: the array geometry (xbar_rows, xbar_cols), the weight
// quantization and slicing into cells (weight_bits, cell_bits, and
// weight_scale, the scales the program holds), and the chip
// capacity the compiler assigns arrays to tiles and budgets duplication
// against (xbars_per_ima, imas_per_tile, tiles_per_chip). docs/Hardware.md.
constexpr HardwareField kFields[] = {
    name("name", &HardwareDesc::name),
    count("xbar_rows", &HardwareDesc::xbarRows, kPlacement),
    count("xbar_cols", &HardwareDesc::xbarCols, kPlacement),
    bits("weight_bits", &HardwareDesc::weightBits, 2, 24, kPlacement),
    bits("cell_bits", &HardwareDesc::cellBits, 1, 24, kPlacement),
    bits("input_bits", &HardwareDesc::inputBits, 2, 24),
    bitsOrAuto("adc_bits", &HardwareDesc::adcBits, 1, 16,
               &HardwareDesc::adcBitsAuto),
    count("xbars_per_ima", &HardwareDesc::xbarsPerIma, kPlacement),
    count("imas_per_tile", &HardwareDesc::imasPerTile, kPlacement),
    count("tiles_per_chip", &HardwareDesc::tilesPerChip, kPlacement),
    real("read_cycle_ns", &HardwareDesc::readCycleNs, K::Duration),
    count("ht_links", &HardwareDesc::htLinks, kCost, 0),
    real("ht_power_w", &HardwareDesc::htPowerW, K::Power),
    real("ht_area_mm2", &HardwareDesc::htAreaMm2, K::Area),
    real("ht_link_gbps", &HardwareDesc::htLinkGBps, K::Bandwidth),
    count("edram_bytes", &HardwareDesc::edramBytes),
    real("edram_power_mw", &HardwareDesc::edramPowerMw, K::Power),
    real("edram_area_mm2", &HardwareDesc::edramAreaMm2, K::Area),
    count("edram_width_bits", &HardwareDesc::edramWidthBits),
    real("tile_clock_ghz", &HardwareDesc::tileClockGhz, K::Frequency),
    count("bus_wires", &HardwareDesc::busWires),
    real("bus_power_mw", &HardwareDesc::busPowerMw, K::Power),
    real("bus_area_mm2", &HardwareDesc::busAreaMm2, K::Area),
    real("router_power_mw", &HardwareDesc::routerPowerMw, K::Power),
    real("router_area_mm2", &HardwareDesc::routerAreaMm2, K::Area),
    count("tiles_per_router", &HardwareDesc::tilesPerRouter),
    count("router_flit_bits", &HardwareDesc::routerFlitBits),
    count("router_ports", &HardwareDesc::routerPorts),
    count("sigmoid_units", &HardwareDesc::sigmoidUnits),
    real("sigmoid_power_mw", &HardwareDesc::sigmoidPowerMw, K::Power),
    real("sigmoid_area_mm2", &HardwareDesc::sigmoidAreaMm2, K::Area),
    real("tile_shift_add_power_mw", &HardwareDesc::tileShiftAddPowerMw,
         K::Power),
    real("tile_shift_add_area_mm2", &HardwareDesc::tileShiftAddAreaMm2,
         K::Area),
    real("max_pool_power_mw", &HardwareDesc::maxPoolPowerMw, K::Power),
    real("max_pool_area_mm2", &HardwareDesc::maxPoolAreaMm2, K::Area),
    count("tile_output_register_bytes", &HardwareDesc::tileOutputRegisterBytes),
    real("tile_output_register_power_mw",
         &HardwareDesc::tileOutputRegisterPowerMw, K::Power),
    real("tile_output_register_area_mm2",
         &HardwareDesc::tileOutputRegisterAreaMm2, K::Area),
    real("vfu_div_power_mw", &HardwareDesc::vfuDivPowerMw, K::Power),
    real("vfu_mul_power_mw", &HardwareDesc::vfuMulPowerMw, K::Power),
    real("vfu_other_power_mw", &HardwareDesc::vfuOtherPowerMw, K::Power),
    real("vfu_leak_power_mw", &HardwareDesc::vfuLeakPowerMw, K::Power),
    real("vfu_area_mm2", &HardwareDesc::vfuAreaMm2, K::Area),
    count("vfu_latency_cycles", &HardwareDesc::vfuLatencyCycles),
    real("vfu_cycle_ns", &HardwareDesc::vfuCycleNs, K::Duration),
    count("adcs_per_ima", &HardwareDesc::adcsPerIma),
    real("adc_sample_rate_gsps", &HardwareDesc::adcSampleRateGsps,
         K::Frequency),
    real("adc_power_mw", &HardwareDesc::adcPowerMw, K::Power),
    real("adc_area_mm2", &HardwareDesc::adcAreaMm2, K::Area),
    count("dacs_per_ima", &HardwareDesc::dacsPerIma),
    real("dac_power_mw", &HardwareDesc::dacPowerMw, K::Power),
    real("dac_area_mm2", &HardwareDesc::dacAreaMm2, K::Area),
    count("sample_holds_per_ima", &HardwareDesc::sampleHoldsPerIma),
    real("sample_hold_power_mw", &HardwareDesc::sampleHoldPowerMw, K::Power),
    real("sample_hold_area_mm2", &HardwareDesc::sampleHoldAreaMm2, K::Area),
    real("xbar_power_mw", &HardwareDesc::xbarPowerMw, K::Power),
    real("xbar_area_mm2", &HardwareDesc::xbarAreaMm2, K::Area),
    count("ima_shift_add_units", &HardwareDesc::imaShiftAddUnits),
    real("ima_shift_add_power_mw", &HardwareDesc::imaShiftAddPowerMw, K::Power),
    real("ima_shift_add_area_mm2", &HardwareDesc::imaShiftAddAreaMm2, K::Area),
    count("input_register_bytes", &HardwareDesc::inputRegisterBytes),
    real("input_register_power_mw", &HardwareDesc::inputRegisterPowerMw,
         K::Power),
    real("input_register_area_mm2", &HardwareDesc::inputRegisterAreaMm2,
         K::Area),
    count("ima_output_register_bytes", &HardwareDesc::imaOutputRegisterBytes),
    real("ima_output_register_power_mw",
         &HardwareDesc::imaOutputRegisterPowerMw, K::Power),
    real("ima_output_register_area_mm2",
         &HardwareDesc::imaOutputRegisterAreaMm2, K::Area),
    real("rotator_energy_pj_per_word", &HardwareDesc::rotatorEnergyPjPerWord,
         K::Energy),
    real("rotator_area_mm2", &HardwareDesc::rotatorAreaMm2, K::Area),
    real("write_energy_pj_per_cell", &HardwareDesc::writeEnergyPjPerCell,
         K::Energy),
    real("write_latency_ns_per_row", &HardwareDesc::writeLatencyNsPerRow,
         K::Duration),
    count("write_verify_iterations", &HardwareDesc::writeVerifyIterations),
    count("write_parallel_arrays_per_tile",
          &HardwareDesc::writeParallelArraysPerTile),
    bits("adc_reference_bits", &HardwareDesc::adcReferenceBits, 1, 32),
    real("adc_tech_nm", &HardwareDesc::adcTechNm, K::Length),
    real("adc_static_fraction", &HardwareDesc::adcStaticFraction, K::Fraction),
    real("dac_static_fraction", &HardwareDesc::dacStaticFraction, K::Fraction),
    real("sample_hold_static_fraction", &HardwareDesc::sampleHoldStaticFraction,
         K::Fraction),
    real("xbar_static_fraction", &HardwareDesc::xbarStaticFraction,
         K::Fraction),
    real("ima_shift_add_static_fraction",
         &HardwareDesc::imaShiftAddStaticFraction, K::Fraction),
    real("input_register_static_fraction",
         &HardwareDesc::inputRegisterStaticFraction, K::Fraction),
    real("ima_output_register_static_fraction",
         &HardwareDesc::imaOutputRegisterStaticFraction, K::Fraction),
    real("edram_static_fraction", &HardwareDesc::edramStaticFraction,
         K::Fraction),
    real("bus_static_fraction", &HardwareDesc::busStaticFraction, K::Fraction),
    real("router_static_fraction", &HardwareDesc::routerStaticFraction,
         K::Fraction),
    real("sigmoid_static_fraction", &HardwareDesc::sigmoidStaticFraction,
         K::Fraction),
    real("tile_shift_add_static_fraction",
         &HardwareDesc::tileShiftAddStaticFraction, K::Fraction),
    real("max_pool_static_fraction", &HardwareDesc::maxPoolStaticFraction,
         K::Fraction),
    real("tile_output_register_static_fraction",
         &HardwareDesc::tileOutputRegisterStaticFraction, K::Fraction),
    real("ht_static_fraction", &HardwareDesc::htStaticFraction, K::Fraction),
    // Analog accuracy (docs/Accuracy.md); the simulator reads them, the
    // mapping does not depend on them.
    choice("weight_encoding", &HardwareDesc::weightEncoding,
           "flipped|offset|differential"),
    choiceOrNumber("adc_range", &HardwareDesc::adcRange, "max|calibrated",
                   0.0),
    real("adc_clip_percentile", &HardwareDesc::adcClipPercentile,
         K::Percentile),
    real("cell_sigma", &HardwareDesc::cellSigma, K::Sigma),
    real("read_sigma", &HardwareDesc::readSigma, K::Sigma),
    real("stuck_at_zero_rate", &HardwareDesc::stuckAtZeroRate, K::Probability),
    real("stuck_at_one_rate", &HardwareDesc::stuckAtOneRate, K::Probability),
    choiceOrNumber("on_off_ratio", &HardwareDesc::onOffRatio, "inf", 1.0),
    // The program holds the scales the key asks for (placement).
    choice("weight_scale_granularity", &HardwareDesc::weightScale, "layer|channel",
           kPlacement),
};

/// Parser state for one document; errors carry the byte offset.
class JsonReader {
public:
  JsonReader(const std::string &text, const std::string &file,
             std::string &error)
      : text(text), file(file), error(error) {}

  bool parse(HardwareDesc &out);

private:
  const std::string &text;
  const std::string &file;
  std::string &error;
  size_t pos = 0;

  bool fail(const std::string &msg) { return failAt(pos, msg); }
  bool failAt(size_t offset, const std::string &msg) {
    error = file + ": byte offset " + std::to_string(offset) + ": " + msg;
    return false;
  }
  bool failKey(const std::string &key, const std::string &msg) {
    error = file + ": key '" + key + "': " + msg;
    return false;
  }
  void skipSpace() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' ||
                                 text[pos] == '\n' || text[pos] == '\r'))
      ++pos;
  }
  bool expect(char c, const char *what) {
    skipSpace();
    if (pos >= text.size())
      return fail(std::string("unexpected end of input, expected ") + what);
    if (text[pos] != c)
      return fail(std::string("expected ") + what + ", found '" +
                  printable(text[pos]) + "'");
    ++pos;
    return true;
  }
  static std::string printable(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f)
      return std::string(1, c);
    char buf[8];
    std::snprintf(buf, sizeof(buf), "\\x%02x", u);
    return buf;
  }
  bool parseHex4(uint32_t &out);
  bool parseString(std::string &out);
  bool parseNumber(const std::string &key, std::string &raw, double &value);
  bool assign(const std::string &key, size_t keyOffset, HardwareDesc &out,
              std::vector<std::string> &seen);
};

bool JsonReader::parseHex4(uint32_t &out) {
  if (text.size() - pos < 4)
    return fail("truncated \\u escape");
  out = 0;
  for (int i = 0; i < 4; ++i) {
    char c = text[pos + i];
    out <<= 4;
    if (c >= '0' && c <= '9')
      out |= c - '0';
    else if (c >= 'a' && c <= 'f')
      out |= c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      out |= c - 'A' + 10;
    else
      return failAt(pos + i, "invalid hex digit in \\u escape");
  }
  pos += 4;
  return true;
}

bool JsonReader::parseString(std::string &out) {
  // pos is at the opening quote.
  ++pos;
  out.clear();
  while (true) {
    if (pos >= text.size())
      return fail("unterminated string");
    unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c == '"') {
      ++pos;
      return true;
    }
    if (c < 0x20)
      return fail("control character in string");
    if (c != '\\') {
      out += static_cast<char>(c);
      ++pos;
      continue;
    }
    if (++pos >= text.size())
      return fail("unterminated escape");
    char e = text[pos++];
    switch (e) {
    case '"': out += '"'; break;
    case '\\': out += '\\'; break;
    case '/': out += '/'; break;
    case 'b': out += '\b'; break;
    case 'f': out += '\f'; break;
    case 'n': out += '\n'; break;
    case 'r': out += '\r'; break;
    case 't': out += '\t'; break;
    case 'u': {
      uint32_t cp;
      if (!parseHex4(cp))
        return false;
      if (cp >= 0xD800 && cp < 0xDC00) {
        uint32_t lo;
        if (text.compare(pos, 2, "\\u") != 0)
          return fail("unpaired surrogate in \\u escape");
        pos += 2;
        if (!parseHex4(lo))
          return false;
        if (lo < 0xDC00 || lo > 0xDFFF)
          return fail("invalid low surrogate in \\u escape");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return fail("unpaired surrogate in \\u escape");
      }
      // UTF-8 encode.
      if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      }
      break;
    }
    default:
      return failAt(pos - 1, std::string("invalid escape '\\") +
                                 printable(e) + "'");
    }
  }
}

/// The number value of `key`: its errors name the key as well as the offset.
bool JsonReader::parseNumber(const std::string &key, std::string &raw,
                             double &value) {
  // JSON grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  size_t begin = pos;
  auto digits = [&]() {
    size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
      ++pos;
    return pos > start;
  };
  if (pos < text.size() && text[pos] == '-')
    ++pos;
  if (pos < text.size() && text[pos] == '0')
    ++pos;
  else if (!digits())
    return failAt(begin, "key '" + key + "': malformed number");
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    if (!digits())
      return failAt(begin, "key '" + key + "': malformed number");
  }
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-'))
      ++pos;
    if (!digits())
      return failAt(begin, "key '" + key + "': malformed number");
  }
  raw = text.substr(begin, pos - begin);
  errno = 0;
  value = std::strtod(raw.c_str(), nullptr);
  if (errno == ERANGE && std::isinf(value))
    return failAt(begin, "key '" + key + "': number out of range (" + raw +
                              " is beyond a double's range)");
  return true;
}

bool JsonReader::assign(const std::string &key, size_t keyOffset,
                        HardwareDesc &out, std::vector<std::string> &seen) {
  // Value starts at pos (spaces skipped).
  char c = text[pos];
  bool isString = c == '"';
  bool isNumber = c == '-' || (c >= '0' && c <= '9');
  if (!isString && !isNumber)
    return fail("key '" + key + "': value must be a number or a string" +
                (c == '{' || c == '[' ? " (nested objects and arrays are not "
                                        "supported)"
                                      : ""));
  std::string str, raw;
  double number = 0;
  if (isString ? !parseString(str) : !parseNumber(key, raw, number))
    return false;

  for (const std::string &s : seen)
    if (s == key)
      return failAt(keyOffset, "duplicate key '" + key + "'");
  seen.push_back(key);
  // Keys starting with '_' carry citations and comments.
  if (!key.empty() && key[0] == '_')
    return true;

  for (const HardwareField &f : kFields) {
    if (key != f.key)
      continue;
    switch (f.kind) {
    case F::String:
      // "adc_range": 300 means the same as "adc_range": "300".
      if (!isString && f.quantity == K::ChoiceOrNumber) {
        out.*(f.str) = raw;
        return true;
      }
      if (!isString)
        return failKey(key, "expected a string");
      out.*(f.str) = str;
      return true;
    case F::Int: {
      if (f.autoFlag && isString && str == "auto")
        return out.*(f.autoFlag) = true, true;
      bool integral = isNumber && raw.find_first_of(".eE") == std::string::npos;
      char *end = nullptr;
      errno = 0;
      long long v = integral ? std::strtoll(raw.c_str(), &end, 10) : 0;
      if (!integral || errno == ERANGE)
        return failKey(key, std::string("expected an integer") +
                                (f.autoFlag ? " or \"auto\"" : "") + ", got " +
                                (isString ? "a string" : raw));
      out.*(f.integer) = v;
      if (f.autoFlag)
        out.*(f.autoFlag) = false;
      return true;
    }
    case F::Real:
      if (!isNumber)
        return failKey(key, "expected a number, got a string");
      out.*(f.real) = number;
      return true;
    }
  }
  error = file + ": " + unknownHardwareKeyMessage(key);
  if (nearestHardwareKey(key).empty())
    error += " (keys starting with '_' are comments)";
  return false;
}

bool JsonReader::parse(HardwareDesc &out) {
  if (!expect('{', "'{' (a hardware description is one JSON object)"))
    return false;
  std::vector<std::string> seen;
  skipSpace();
  if (pos < text.size() && text[pos] == '}') {
    ++pos;
  } else {
    while (true) {
      skipSpace();
      if (pos >= text.size())
        return fail("unexpected end of input, expected a key");
      if (text[pos] != '"')
        return fail("expected a quoted key, found '" + printable(text[pos]) +
                    "'");
      size_t keyOffset = pos;
      std::string key;
      if (!parseString(key) || !expect(':', "':' after key"))
        return false;
      skipSpace();
      if (pos >= text.size())
        return fail("unexpected end of input, expected a value");
      if (!assign(key, keyOffset, out, seen))
        return false;
      skipSpace();
      if (pos >= text.size())
        return fail("unexpected end of input, expected ',' or '}'");
      if (text[pos] == '}') {
        ++pos;
        break;
      }
      if (text[pos] != ',')
        return fail("expected ',' or '}', found '" + printable(text[pos]) +
                    "'");
      ++pos;
    }
  }
  skipSpace();
  if (pos != text.size())
    return fail("trailing characters after the object");
  return true;
}

} // namespace

const char *overflowPolicyName(OverflowPolicy policy) {
  return policy == OverflowPolicy::MultiChip ? "chips" : "reprogram";
}

bool parseOverflowPolicy(const std::string &text, OverflowPolicy &out) {
  if (text == "chips")
    return out = OverflowPolicy::MultiChip, true;
  if (text == "reprogram")
    return out = OverflowPolicy::Reprogram, true;
  return false;
}

const HardwareField *hardwareFieldsBegin() { return kFields; }
const HardwareField *hardwareFieldsEnd() {
  return kFields + sizeof(kFields) / sizeof(kFields[0]);
}

const char *hardwareKindName(HardwareKind kind) {
  switch (kind) {
  case K::Name: return "name";
  case K::Count: return "count";
  case K::Bits: return "bits";
  case K::Frequency: return "frequency";
  case K::Bandwidth: return "bandwidth";
  case K::Duration: return "duration";
  case K::Length: return "length";
  case K::Power: return "power";
  case K::Area: return "area";
  case K::Energy: return "energy";
  case K::Fraction: return "fraction";
  case K::Sigma: return "sigma";
  case K::Probability: return "probability";
  case K::Percentile: return "percentile";
  case K::Choice: return "choice";
  case K::ChoiceOrNumber: return "choice or number";
  }
  return "?";
}

const HardwareField *findHardwareField(const std::string &key) {
  for (const HardwareField &f : kFields)
    if (key == f.key)
      return &f;
  return nullptr;
}

namespace {

/// Levenshtein distance (insertions, deletions, substitutions), ASCII
/// case-insensitive.
size_t editDistance(const std::string &a, const std::string &b) {
  auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0]; // row[i-1][j-1]
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j]; // row[i-1][j]
      size_t substitute = diagonal + (lower(a[i - 1]) != lower(b[j - 1]));
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

} // namespace

std::string nearestHardwareKey(const std::string &key) {
  // Keys are short; a longer string is no typo of one (and would make the
  // distance table large).
  if (key.empty() || key.size() > 256)
    return "";
  size_t limit = std::max<size_t>(2, key.size() / 3);
  size_t best = limit + 1;
  const char *nearest = nullptr;
  for (const HardwareField &f : kFields) {
    size_t d = editDistance(key, f.key);
    if (d < best) {
      best = d;
      nearest = f.key;
    }
  }
  return nearest ? nearest : "";
}

std::string unknownHardwareKeyMessage(const std::string &key) {
  std::string message = "unknown key '" + key + "'";
  std::string nearest = nearestHardwareKey(key);
  if (!nearest.empty())
    message += "; did you mean '" + nearest + "'?";
  return message;
}

bool parseHardwareDesc(const std::string &jsonText, const std::string &fileName,
                       HardwareDesc &out, std::string &error) {
  HardwareDesc hw = out;
  JsonReader reader(jsonText, fileName, error);
  if (!reader.parse(hw))
    return false;
  std::string e = validate(hw);
  if (!e.empty()) {
    error = fileName + ": " + e;
    return false;
  }
  out = hw;
  return true;
}

bool loadHardwareDesc(const std::string &path, HardwareDesc &out,
                      std::string &error) {
  std::string text;
  if (!readFileBytes(path, text, error))
    return false;
  return parseHardwareDesc(text, path, out, error);
}

namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

/// A finite decimal number and nothing else ("1e3", ".5"; not "inf", "0x10",
/// "1.5x", " 1").
bool parseDecimal(const std::string &s, double &value) {
  if (s.empty() || s.find_first_not_of("0123456789+-.eE") != std::string::npos)
    return false;
  char *end = nullptr;
  errno = 0;
  value = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && errno != ERANGE &&
         std::isfinite(value);
}

/// The words of a Choice field ("a|b|c"), split.
std::vector<std::string> splitWords(const char *words) {
  std::vector<std::string> out(1);
  for (const char *c = words; *c; ++c) {
    if (*c == '|')
      out.emplace_back();
    else
      out.back() += *c;
  }
  return out;
}

/// "" when the value of a Choice or ChoiceOrNumber field is valid.
std::string checkChoice(const HardwareField &f, const std::string &value) {
  std::vector<std::string> words = splitWords(f.words);
  for (const std::string &w : words)
    if (value == w)
      return "";
  double number;
  if (f.quantity == K::ChoiceOrNumber && parseDecimal(value, number) &&
      number > f.numberAbove)
    return "";
  if (f.quantity == K::ChoiceOrNumber)
    words.push_back("a number > " + fmt(f.numberAbove));
  std::string list;
  for (size_t i = 0; i < words.size(); ++i)
    list += (i ? (i + 1 == words.size() ? " or " : ", ") : "") + words[i];
  return std::string(f.key) + " = '" + value + "' must be " +
         (f.quantity == K::Choice ? "one of " : "") + list;
}

/// The range of one field, by its kind; "" when the value is in it.
std::string checkField(const HardwareField &f, const HardwareDesc &hw) {
  static const HardwareDesc defaults;
  const std::string key = f.key;
  switch (f.kind) {
  case F::String:
    if (f.quantity == K::Choice || f.quantity == K::ChoiceOrNumber)
      return checkChoice(f, hw.*(f.str));
    return (hw.*(f.str)).empty() ? key + " must not be empty" : "";
  case F::Int: {
    int64_t v = hw.*(f.integer);
    if (isAutoValue(f, hw) || (v >= f.minInt && v <= f.maxInt))
      return "";
    return key + " = " + std::to_string(v) + " must be in [" +
           std::to_string(f.minInt) + ", " + std::to_string(f.maxInt) + "]" +
           (f.autoFlag ? " or auto" : "");
  }
  case F::Real:
    break;
  }
  double v = hw.*(f.real), d = defaults.*(f.real);
  double lo = 0, hi = 1;
  std::string why;
  switch (f.quantity) {
  case K::Frequency:
  case K::Bandwidth:
  case K::Duration:
  case K::Length:
    lo = d / kRatioBound;
    hi = d * kRatioBound;
    why = " (a " + std::string(hardwareKindName(f.quantity)) +
          ": 1e-6 to 1e6 times the default " + fmt(d) + ")";
    break;
  case K::Power:
  case K::Area:
  case K::Energy:
    hi = d * kRatioBound;
    why = " (a " + std::string(hardwareKindName(f.quantity)) +
          ": at most 1e6 times the default " + fmt(d) + ")";
    break;
  case K::Fraction:
    why = " (a fraction)";
    break;
  case K::Sigma:
    hi = kMaxSigma;
    why = " (a relative standard deviation)";
    break;
  case K::Probability:
    why = " (a probability)";
    break;
  case K::Percentile:
    lo = 50;
    hi = 100;
    why = " (a percentile)";
    break;
  default:
    break;
  }
  // NaN fails both comparisons. The slack admits a bound typed in decimal
  // (6.4e-6 for 6.4 / 1e6) that differs from the computed one in the last bit.
  if (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12))
    return "";
  return key + " = " + fmt(v) + " must be in [" + fmt(lo) + ", " + fmt(hi) +
         "]" + why;
}

} // namespace

std::string validate(const HardwareDesc &hw) {
  for (const HardwareField &f : kFields) {
    std::string e = checkField(f, hw);
    if (!e.empty())
      return e;
  }
  if (hw.cellBits > hw.weightBits)
    return "cell_bits = " + std::to_string(hw.cellBits) + " must be in [1, " +
           std::to_string(hw.weightBits) + "] (at most weight_bits)";
  if (hw.cellsPerWeight() > hw.xbarCols)
    return "cells per weight (" + std::to_string(hw.cellsPerWeight()) +
           ") exceed xbar_cols = " + std::to_string(hw.xbarCols);
  // Column sums are exact in int64: cells of cellBits times inputs of
  // inputBits over xbarRows rows, shifted by up to cpw*cellBits bits.
  int rowBits = 0;
  while ((int64_t(1) << rowBits) < hw.xbarRows)
    ++rowBits;
  if (hw.cellsPerWeight() * hw.cellBits + hw.inputBits + rowBits > 60)
    return "weight_bits + input_bits + log2(xbar_rows) is too large for exact "
           "64-bit column sums";
  if (hw.stuckAtZeroRate + hw.stuckAtOneRate > 1)
    return "stuck_at_zero_rate + stuck_at_one_rate = " +
           fmt(hw.stuckAtZeroRate + hw.stuckAtOneRate) +
           " must be at most 1 (a cell is stuck at one level at most)";
  return "";
}

WeightEncoding weightEncoding(const HardwareDesc &hw) {
  if (hw.weightEncoding == "offset")
    return WeightEncoding::Offset;
  if (hw.weightEncoding == "differential")
    return WeightEncoding::Differential;
  return WeightEncoding::Flipped;
}

bool channelWeightScales(const HardwareDesc &hw) {
  return hw.weightScale == "channel";
}

int64_t arraysPerCrossbar(const HardwareDesc &hw) {
  return weightEncoding(hw) == WeightEncoding::Differential ? 2 : 1;
}

double adcRangeValue(const HardwareDesc &hw) {
  double v = 0;
  return parseDecimal(hw.adcRange, v) ? v : 0.0;
}

double onOffRatioValue(const HardwareDesc &hw) {
  double v = 0;
  return hw.onOffRatio != "inf" && parseDecimal(hw.onOffRatio, v)
             ? v
             : std::numeric_limits<double>::infinity();
}

bool hasDeviceNonIdealities(const HardwareDesc &hw) {
  return hw.cellSigma > 0 || hw.readSigma > 0 || hw.stuckAtZeroRate > 0 ||
         hw.stuckAtOneRate > 0 || std::isfinite(onOffRatioValue(hw));
}

} // namespace rebocc::model
