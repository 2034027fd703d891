//===- Hardware.cpp - Hardware description --------------------------------===//
//
// A deliberately small JSON reader: one flat object whose values are numbers
// or strings. That is all a hardware description needs, and it keeps the
// project free of third-party parsers on a path that reads user files.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/Hardware.h"
#include "rebocc/Support/FileIO.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace rebocc::model {

namespace {

using F = HardwareField;
const HardwareField kFields[] = {
    {"name", F::String, &HardwareDesc::name, nullptr, nullptr},
    {"xbar_rows", F::Int, nullptr, &HardwareDesc::xbarRows, nullptr},
    {"xbar_cols", F::Int, nullptr, &HardwareDesc::xbarCols, nullptr},
    {"weight_bits", F::Int, nullptr, &HardwareDesc::weightBits, nullptr},
    {"cell_bits", F::Int, nullptr, &HardwareDesc::cellBits, nullptr},
    {"input_bits", F::Int, nullptr, &HardwareDesc::inputBits, nullptr},
    {"adc_bits", F::Int, nullptr, &HardwareDesc::adcBits, nullptr},
    {"xbars_per_ima", F::Int, nullptr, &HardwareDesc::xbarsPerIma, nullptr},
    {"imas_per_tile", F::Int, nullptr, &HardwareDesc::imasPerTile, nullptr},
    {"tiles_per_chip", F::Int, nullptr, &HardwareDesc::tilesPerChip, nullptr},
    {"read_cycle_ns", F::Real, nullptr, nullptr, &HardwareDesc::readCycleNs},
    {"ht_links", F::Int, nullptr, &HardwareDesc::htLinks, nullptr},
    {"ht_power_w", F::Real, nullptr, nullptr,
     &HardwareDesc::htPowerW},
    {"ht_area_mm2", F::Real, nullptr, nullptr,
     &HardwareDesc::htAreaMm2},
    {"ht_link_gbps", F::Real, nullptr, nullptr,
     &HardwareDesc::htLinkGBps},
    {"edram_bytes", F::Int, nullptr, &HardwareDesc::edramBytes, nullptr},
    {"edram_power_mw", F::Real, nullptr, nullptr,
     &HardwareDesc::edramPowerMw},
    {"edram_area_mm2", F::Real, nullptr, nullptr,
     &HardwareDesc::edramAreaMm2},
    {"edram_width_bits", F::Int, nullptr, &HardwareDesc::edramWidthBits, nullptr},
    {"tile_clock_ghz", F::Real, nullptr, nullptr,
     &HardwareDesc::tileClockGhz},
    {"bus_wires", F::Int, nullptr, &HardwareDesc::busWires, nullptr},
    {"bus_power_mw", F::Real, nullptr, nullptr,
     &HardwareDesc::busPowerMw},
    {"bus_area_mm2", F::Real, nullptr, nullptr,
     &HardwareDesc::busAreaMm2},
    {"router_power_mw", F::Real, nullptr, nullptr,
     &HardwareDesc::routerPowerMw},
    {"router_area_mm2", F::Real, nullptr, nullptr,
     &HardwareDesc::routerAreaMm2},
    {"tiles_per_router", F::Int, nullptr, &HardwareDesc::tilesPerRouter, nullptr},
    {"router_flit_bits", F::Int, nullptr, &HardwareDesc::routerFlitBits, nullptr},
    {"router_ports", F::Int, nullptr, &HardwareDesc::routerPorts, nullptr},
    {"sigmoid_units", F::Int, nullptr, &HardwareDesc::sigmoidUnits, nullptr},
    {"sigmoid_power_mw", F::Real, nullptr, nullptr,
     &HardwareDesc::sigmoidPowerMw},
    {"sigmoid_area_mm2", F::Real, nullptr, nullptr,
     &HardwareDesc::sigmoidAreaMm2},
    {"tile_shift_add_power_mw", F::Real, nullptr, nullptr,
     &HardwareDesc::tileShiftAddPowerMw},
    {"tile_shift_add_area_mm2", F::Real, nullptr, nullptr,
     &HardwareDesc::tileShiftAddAreaMm2},
    {"max_pool_power_mw", F::Real, nullptr, nullptr,
     &HardwareDesc::maxPoolPowerMw},
    {"max_pool_area_mm2", F::Real, nullptr, nullptr,
     &HardwareDesc::maxPoolAreaMm2},
    {"tile_output_register_bytes", F::Int, nullptr, &HardwareDesc::tileOutputRegisterBytes, nullptr},
    {"tile_output_register_power_mw", F::Real, nullptr, nullptr,
     &HardwareDesc::tileOutputRegisterPowerMw},
    {"tile_output_register_area_mm2", F::Real, nullptr, nullptr,
     &HardwareDesc::tileOutputRegisterAreaMm2},
    {"adcs_per_ima", F::Int, nullptr, &HardwareDesc::adcsPerIma, nullptr},
    {"adc_sample_rate_gsps", F::Real, nullptr, nullptr,
     &HardwareDesc::adcSampleRateGsps},
    {"adc_power_mw", F::Real, nullptr, nullptr,
     &HardwareDesc::adcPowerMw},
    {"adc_area_mm2", F::Real, nullptr, nullptr,
     &HardwareDesc::adcAreaMm2},
    {"dacs_per_ima", F::Int, nullptr, &HardwareDesc::dacsPerIma, nullptr},
    {"dac_power_mw", F::Real, nullptr, nullptr,
     &HardwareDesc::dacPowerMw},
    {"dac_area_mm2", F::Real, nullptr, nullptr,
     &HardwareDesc::dacAreaMm2},
    {"sample_holds_per_ima", F::Int, nullptr, &HardwareDesc::sampleHoldsPerIma, nullptr},
    {"sample_hold_power_mw", F::Real, nullptr, nullptr,
     &HardwareDesc::sampleHoldPowerMw},
    {"sample_hold_area_mm2", F::Real, nullptr, nullptr,
     &HardwareDesc::sampleHoldAreaMm2},
    {"xbar_power_mw", F::Real, nullptr, nullptr,
     &HardwareDesc::xbarPowerMw},
    {"xbar_area_mm2", F::Real, nullptr, nullptr,
     &HardwareDesc::xbarAreaMm2},
    {"ima_shift_add_units", F::Int, nullptr, &HardwareDesc::imaShiftAddUnits, nullptr},
    {"ima_shift_add_power_mw", F::Real, nullptr, nullptr,
     &HardwareDesc::imaShiftAddPowerMw},
    {"ima_shift_add_area_mm2", F::Real, nullptr, nullptr,
     &HardwareDesc::imaShiftAddAreaMm2},
    {"input_register_bytes", F::Int, nullptr, &HardwareDesc::inputRegisterBytes, nullptr},
    {"input_register_power_mw", F::Real, nullptr, nullptr,
     &HardwareDesc::inputRegisterPowerMw},
    {"input_register_area_mm2", F::Real, nullptr, nullptr,
     &HardwareDesc::inputRegisterAreaMm2},
    {"ima_output_register_bytes", F::Int, nullptr, &HardwareDesc::imaOutputRegisterBytes, nullptr},
    {"ima_output_register_power_mw", F::Real, nullptr, nullptr,
     &HardwareDesc::imaOutputRegisterPowerMw},
    {"ima_output_register_area_mm2", F::Real, nullptr, nullptr,
     &HardwareDesc::imaOutputRegisterAreaMm2},
    {"rotator_energy_pj_per_word", F::Real, nullptr, nullptr,
     &HardwareDesc::rotatorEnergyPjPerWord},
    {"rotator_area_mm2", F::Real, nullptr, nullptr,
     &HardwareDesc::rotatorAreaMm2},
    {"write_energy_pj_per_cell", F::Real, nullptr, nullptr,
     &HardwareDesc::writeEnergyPjPerCell},
    {"write_latency_ns_per_row", F::Real, nullptr, nullptr,
     &HardwareDesc::writeLatencyNsPerRow},
    {"write_verify_iterations", F::Int, nullptr, &HardwareDesc::writeVerifyIterations, nullptr},
    {"write_parallel_arrays_per_tile", F::Int, nullptr, &HardwareDesc::writeParallelArraysPerTile, nullptr},
    {"adc_reference_bits", F::Int, nullptr, &HardwareDesc::adcReferenceBits, nullptr},
    {"adc_tech_nm", F::Real, nullptr, nullptr,
     &HardwareDesc::adcTechNm},
    {"adc_static_fraction", F::Real, nullptr, nullptr,
     &HardwareDesc::adcStaticFraction},
    {"dac_static_fraction", F::Real, nullptr, nullptr,
     &HardwareDesc::dacStaticFraction},
    {"sample_hold_static_fraction", F::Real, nullptr, nullptr,
     &HardwareDesc::sampleHoldStaticFraction},
    {"xbar_static_fraction", F::Real, nullptr, nullptr,
     &HardwareDesc::xbarStaticFraction},
    {"ima_shift_add_static_fraction", F::Real, nullptr, nullptr,
     &HardwareDesc::imaShiftAddStaticFraction},
    {"input_register_static_fraction", F::Real, nullptr, nullptr,
     &HardwareDesc::inputRegisterStaticFraction},
    {"ima_output_register_static_fraction", F::Real, nullptr, nullptr,
     &HardwareDesc::imaOutputRegisterStaticFraction},
    {"edram_static_fraction", F::Real, nullptr, nullptr,
     &HardwareDesc::edramStaticFraction},
    {"bus_static_fraction", F::Real, nullptr, nullptr,
     &HardwareDesc::busStaticFraction},
    {"router_static_fraction", F::Real, nullptr, nullptr,
     &HardwareDesc::routerStaticFraction},
    {"sigmoid_static_fraction", F::Real, nullptr, nullptr,
     &HardwareDesc::sigmoidStaticFraction},
    {"tile_shift_add_static_fraction", F::Real, nullptr, nullptr,
     &HardwareDesc::tileShiftAddStaticFraction},
    {"max_pool_static_fraction", F::Real, nullptr, nullptr,
     &HardwareDesc::maxPoolStaticFraction},
    {"tile_output_register_static_fraction", F::Real, nullptr, nullptr,
     &HardwareDesc::tileOutputRegisterStaticFraction},
    {"ht_static_fraction", F::Real, nullptr, nullptr,
     &HardwareDesc::htStaticFraction},
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
  bool parseNumber(std::string &raw, double &value);
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

bool JsonReader::parseNumber(std::string &raw, double &value) {
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
    return failAt(begin, "malformed number");
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    if (!digits())
      return failAt(begin, "malformed number");
  }
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-'))
      ++pos;
    if (!digits())
      return failAt(begin, "malformed number");
  }
  raw = text.substr(begin, pos - begin);
  errno = 0;
  value = std::strtod(raw.c_str(), nullptr);
  if (errno == ERANGE && std::isinf(value))
    return failAt(begin, "number out of range");
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
  if (isString ? !parseString(str) : !parseNumber(raw, number))
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
      if (!isString)
        return failKey(key, "expected a string");
      out.*(f.str) = str;
      return true;
    case F::Int: {
      bool integral = isNumber && raw.find_first_of(".eE") == std::string::npos;
      char *end = nullptr;
      errno = 0;
      long long v = integral ? std::strtoll(raw.c_str(), &end, 10) : 0;
      if (!integral || errno == ERANGE)
        return failKey(key, "expected an integer, got " +
                                (isString ? "a string" : raw));
      out.*(f.integer) = v;
      return true;
    }
    case F::Real:
      if (!isNumber)
        return failKey(key, "expected a number, got a string");
      out.*(f.real) = number;
      return true;
    }
  }
  return failKey(key, "unknown key (keys starting with '_' are comments)");
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

const HardwareField *hardwareFieldsBegin() { return kFields; }
const HardwareField *hardwareFieldsEnd() {
  return kFields + sizeof(kFields) / sizeof(kFields[0]);
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

std::string validate(const HardwareDesc &hw) {
  auto range = [](const char *key, int64_t v, int64_t lo, int64_t hi) {
    if (v >= lo && v <= hi)
      return std::string();
    return std::string(key) + " = " + std::to_string(v) + " must be in [" +
           std::to_string(lo) + ", " + std::to_string(hi) + "]";
  };
  std::string e;
  const int64_t big = int64_t(1) << 20;
  if (!(e = range("xbar_rows", hw.xbarRows, 1, big)).empty() ||
      !(e = range("xbar_cols", hw.xbarCols, 1, big)).empty() ||
      !(e = range("weight_bits", hw.weightBits, 2, 24)).empty() ||
      !(e = range("cell_bits", hw.cellBits, 1, hw.weightBits)).empty() ||
      !(e = range("input_bits", hw.inputBits, 2, 24)).empty() ||
      !(e = range("adc_bits", hw.adcBits, 1, 32)).empty() ||
      !(e = range("xbars_per_ima", hw.xbarsPerIma, 1, big)).empty() ||
      !(e = range("imas_per_tile", hw.imasPerTile, 1, big)).empty() ||
      !(e = range("tiles_per_chip", hw.tilesPerChip, 1, big)).empty())
    return e;
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
  // Every other field: integers in [lo, 2^20], reals finite and >= 0 (> 0
  // where they divide: rates, clocks, bandwidths, the read cycle).
  static const char *const kPositiveReals[] = {
      "read_cycle_ns",  "tile_clock_ghz", "adc_sample_rate_gsps",
      "ht_link_gbps",   "write_latency_ns_per_row"};
  static const char *const kMayBeZeroInts[] = {"ht_links"};
  for (const HardwareField *f = hardwareFieldsBegin(); f != hardwareFieldsEnd();
       ++f) {
    std::string key = f->key;
    if (f->kind == HardwareField::Real) {
      double v = hw.*(f->real);
      bool positive = false;
      for (const char *p : kPositiveReals)
        positive |= key == p;
      if (!std::isfinite(v) || v < 0 || (positive && !(v > 0)))
        return key + " must be finite and " +
               (positive ? "positive" : "non-negative");
    } else if (f->kind == HardwareField::Int) {
      bool zeroOk = false;
      for (const char *p : kMayBeZeroInts)
        zeroOk |= key == p;
      if (!(e = range(f->key, hw.*(f->integer), zeroOk ? 0 : 1, big)).empty())
        return e;
    }
  }
  for (const HardwareField *f = hardwareFieldsBegin(); f != hardwareFieldsEnd();
       ++f) {
    std::string key = f->key;
    if (key.size() > 16 && key.compare(key.size() - 16, 16, "_static_fraction") == 0 &&
        hw.*(f->real) > 1)
      return key + " must be in [0, 1]";
  }
  if (hw.name.empty())
    return "name must not be empty";
  return "";
}

} // namespace rebocc::model
