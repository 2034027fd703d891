//===- HardwareTest.cpp - Hardware description parsing --------------------===//

#include "rebocc/Model/Hardware.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>

using namespace rebocc::model;

namespace {

std::string parseError(const std::string &json) {
  HardwareDesc hw;
  std::string error;
  EXPECT_FALSE(parseHardwareDesc(json, "hw.json", hw, error)) << json;
  return error;
}

TEST(Hardware, DefaultsFileMatchesBuiltInDefaults) {
  HardwareDesc hw, defaults;
  hw.xbarRows = 1; // must be overwritten by the file
  std::string error;
  ASSERT_TRUE(loadHardwareDesc(std::string(REBOCC_SOURCE_DIR) +
                                   "/hw/isaac-ce.json",
                               hw, error))
      << error;
  for (const HardwareField *f = hardwareFieldsBegin();
       f != hardwareFieldsEnd(); ++f) {
    SCOPED_TRACE(f->key);
    if (f->kind == HardwareField::String)
      EXPECT_EQ(hw.*(f->str), defaults.*(f->str));
    else if (f->kind == HardwareField::Int)
      EXPECT_EQ(hw.*(f->integer), defaults.*(f->integer));
    else
      EXPECT_DOUBLE_EQ(hw.*(f->real), defaults.*(f->real));
  }
  EXPECT_EQ(hw.cellsPerWeight(), 8);
  EXPECT_EQ(validate(hw), "");
}

TEST(Hardware, DefaultsFileCitesEveryField) {
  std::string path = std::string(REBOCC_SOURCE_DIR) + "/hw/isaac-ce.json";
  FILE *f = std::fopen(path.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  std::string text;
  char buf[4096];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof(buf), f)) > 0)
    text.append(buf, got);
  std::fclose(f);
  for (const HardwareField *fld = hardwareFieldsBegin();
       fld != hardwareFieldsEnd(); ++fld) {
    if (std::string(fld->key) == "name")
      continue;
    EXPECT_NE(text.find("\"_" + std::string(fld->key) + "_source\""),
              std::string::npos)
        << fld->key;
  }
}

TEST(Hardware, PartialOverridesKeepDefaults) {
  HardwareDesc hw;
  std::string error;
  ASSERT_TRUE(parseHardwareDesc(
      R"({"name": "small", "xbar_rows": 64, "adc_power_mw": 2.5e0,
          "_note": "anything", "_n": 3})",
      "hw.json", hw, error))
      << error;
  EXPECT_EQ(hw.name, "small");
  EXPECT_EQ(hw.xbarRows, 64);
  EXPECT_EQ(hw.xbarCols, 128);
  EXPECT_DOUBLE_EQ(hw.adcPowerMw, 2.5);
  ASSERT_TRUE(parseHardwareDesc(" { } ", "hw.json", hw, error)) << error;
  ASSERT_TRUE(parseHardwareDesc(R"({"name": "a\u00e9\"\\\/\n"})", "hw.json",
                                hw, error))
      << error;
  EXPECT_EQ(hw.name, "a\xc3\xa9\"\\/\n");
}

TEST(Hardware, UnknownKeyNamesTheKey) {
  std::string e = parseError(R"({"xbar_rows": 128, "xbar_colums": 128})");
  EXPECT_EQ(e, "hw.json: unknown key 'xbar_colums'; did you mean "
               "'xbar_cols'?");
  e = parseError(R"({"adc_bit": 8})");
  EXPECT_EQ(e, "hw.json: unknown key 'adc_bit'; did you mean 'adc_bits'?");
  // Only keys starting with '_' are comments.
  e = parseError(R"({"citation": "ISAAC"})");
  EXPECT_EQ(e, "hw.json: unknown key 'citation' (keys starting with '_' are "
               "comments)");
}

TEST(Hardware, MalformedJsonNamesTheOffset) {
  EXPECT_NE(parseError(R"({"xbar_rows": 128,, })").find("byte offset 18"),
            std::string::npos)
      << parseError(R"({"xbar_rows": 128,, })");
  EXPECT_NE(parseError(R"({"xbar_rows": 12x})").find("byte offset 16"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"xbar_rows": 128)").find("unexpected end"),
            std::string::npos);
  EXPECT_NE(parseError("[1]").find("byte offset 0"), std::string::npos);
  EXPECT_NE(parseError(R"({"_a": 1} x)").find("trailing"), std::string::npos);
  EXPECT_NE(parseError(R"({"xbar_rows": 01})").find("byte offset"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"name": "a\qb"})").find("invalid escape"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"xbar_rows": {"a": 1}})").find("nested"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"xbar_rows": true})").find("'xbar_rows'"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"name": "x", "name": "y"})").find("duplicate"),
            std::string::npos);
}

TEST(Hardware, TypeAndRangeErrorsNameTheKey) {
  EXPECT_NE(parseError(R"({"xbar_rows": 1.5})")
                .find("key 'xbar_rows': expected an integer"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"name": 3})").find("key 'name': expected a string"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"read_cycle_ns": "fast"})").find("'read_cycle_ns'"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"cell_bits": 32})").find("cell_bits"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"xbar_rows": 0})").find("xbar_rows"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"xbar_cols": 4})").find("cells per weight"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"read_cycle_ns": -1})").find("read_cycle_ns"),
            std::string::npos);
  // Cost-model fields: every bad value names its key.
  EXPECT_NE(parseError(R"({"adc_power_mw": -1})").find("adc_power_mw"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"adc_sample_rate_gsps": 0})")
                .find("adc_sample_rate_gsps"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"tile_clock_ghz": 0})").find("tile_clock_ghz"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"adcs_per_ima": 0})").find("adcs_per_ima"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"write_verify_iterations": 0})")
                .find("write_verify_iterations"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"adc_static_fraction": 1.5})")
                .find("adc_static_fraction"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"edram_bytes": 1.5})").find("edram_bytes"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"adc_energy_pj": 1.5})").find("adc_energy_pj"),
            std::string::npos); // derived now, no longer a key
  HardwareDesc hw;
  hw.htLinks = 0;
  EXPECT_EQ(validate(hw), ""); // a single chip needs no links
}

TEST(Hardware, TruncationNeverCrashes) {
  std::string text = R"({"name": "x\u00e9", "xbar_rows": 64, "_c": "d",
                         "adc_power_mw": -0.0e+1})";
  for (size_t len = 0; len < text.size(); ++len) {
    HardwareDesc hw;
    std::string error;
    EXPECT_FALSE(parseHardwareDesc(text.substr(0, len), "t.json", hw, error));
    EXPECT_FALSE(error.empty());
  }
  HardwareDesc hw;
  std::string error;
  EXPECT_TRUE(parseHardwareDesc(text, "t.json", hw, error)) << error;
  EXPECT_FALSE(loadHardwareDesc("/nonexistent/hw.json", hw, error));
  EXPECT_NE(error.find("/nonexistent/hw.json"), std::string::npos);
}

// --- Kinds, bounds, nearest key and --hw-set overrides. -------------------

bool isRatioKind(HardwareKind k) {
  return k == HardwareKind::Frequency || k == HardwareKind::Bandwidth ||
         k == HardwareKind::Duration || k == HardwareKind::Length;
}
bool isNonNegativeKind(HardwareKind k) {
  return k == HardwareKind::Power || k == HardwareKind::Area ||
         k == HardwareKind::Energy;
}

/// validate() of the defaults with one real field set to `v`.
std::string validateReal(const HardwareField &f, double v) {
  HardwareDesc hw;
  hw.*(f.real) = v;
  return validate(hw);
}

TEST(Hardware, EveryFieldHasAKindMatchingItsType) {
  HardwareDesc defaults;
  std::set<std::string> keys;
  for (const HardwareField *f = hardwareFieldsBegin(); f != hardwareFieldsEnd();
       ++f) {
    SCOPED_TRACE(f->key);
    EXPECT_TRUE(keys.insert(f->key).second) << "duplicate key";
    EXPECT_EQ(findHardwareField(f->key), f);
    std::string key = f->key;
    bool fractionName = key.size() > 16 && key.compare(key.size() - 16, 16,
                                                       "_static_fraction") == 0;
    EXPECT_EQ(f->quantity == HardwareKind::Fraction, fractionName);
    switch (f->kind) {
    case HardwareField::String:
      EXPECT_TRUE(f->quantity == HardwareKind::Name ||
                  f->quantity == HardwareKind::Choice ||
                  f->quantity == HardwareKind::ChoiceOrNumber);
      // A choice lists its words; its default is the first.
      EXPECT_EQ(f->words != nullptr, f->quantity != HardwareKind::Name);
      if (f->words)
        EXPECT_EQ(std::string(f->words).rfind(defaults.*(f->str) + "|", 0) ==
                          0 ||
                      std::string(f->words) == defaults.*(f->str),
                  true);
      break;
    case HardwareField::Int:
      EXPECT_TRUE(f->quantity == HardwareKind::Count ||
                  f->quantity == HardwareKind::Bits);
      EXPECT_LE(f->minInt, defaults.*(f->integer));
      EXPECT_GE(f->maxInt, defaults.*(f->integer));
      EXPECT_GE(f->minInt, 0);
      EXPECT_LE(f->maxInt, int64_t(1) << 20);
      break;
    case HardwareField::Real: {
      double d = defaults.*(f->real);
      EXPECT_TRUE(isRatioKind(f->quantity) || isNonNegativeKind(f->quantity) ||
                  f->quantity == HardwareKind::Fraction ||
                  f->quantity == HardwareKind::Sigma ||
                  f->quantity == HardwareKind::Probability ||
                  f->quantity == HardwareKind::Percentile);
      // A ratio bound needs a positive default to scale.
      if (isRatioKind(f->quantity) || isNonNegativeKind(f->quantity))
        EXPECT_GT(d, 0);
      else if (f->quantity == HardwareKind::Percentile)
        EXPECT_TRUE(d >= 50 && d <= 100);
      else
        EXPECT_TRUE(d >= 0 && d <= 1);
      break;
    }
    }
  }
  EXPECT_EQ(findHardwareField("nope"), nullptr);
  EXPECT_STREQ(hardwareKindName(HardwareKind::Duration), "duration");
  EXPECT_EQ(findHardwareField("read_cycle_ns")->quantity,
            HardwareKind::Duration);
  EXPECT_EQ(findHardwareField("adc_sample_rate_gsps")->quantity,
            HardwareKind::Frequency);
  EXPECT_EQ(findHardwareField("ht_link_gbps")->quantity,
            HardwareKind::Bandwidth);
  EXPECT_EQ(findHardwareField("adc_power_mw")->quantity, HardwareKind::Power);
  EXPECT_EQ(findHardwareField("adc_bits")->quantity, HardwareKind::Bits);
  EXPECT_EQ(findHardwareField("adcs_per_ima")->quantity, HardwareKind::Count);
}

TEST(Hardware, RatioKindsAreBoundedAroundTheirDefault) {
  HardwareDesc defaults;
  for (const HardwareField *f = hardwareFieldsBegin(); f != hardwareFieldsEnd();
       ++f) {
    if (f->kind != HardwareField::Real || !isRatioKind(f->quantity))
      continue;
    SCOPED_TRACE(f->key);
    double d = defaults.*(f->real);
    EXPECT_EQ(validateReal(*f, d * 1e-6), "");
    EXPECT_EQ(validateReal(*f, d * 1e6), "");
    EXPECT_EQ(validateReal(*f, d * 3.5), "");
    for (double bad : {d * 0.9e-6, d * 1.1e6, 0.0, -d, 1e-310, 1e-300,
                       std::numeric_limits<double>::infinity(),
                       std::numeric_limits<double>::quiet_NaN()}) {
      std::string e = validateReal(*f, bad);
      EXPECT_EQ(e.rfind(std::string(f->key) + " = ", 0), 0u)
          << bad << ": " << e;
      EXPECT_NE(e.find("1e-6 to 1e6 times the default"), std::string::npos)
          << e;
    }
  }
  // The reproduction of the wrapped cycle count is an error naming the key.
  EXPECT_EQ(validateReal(*findHardwareField("read_cycle_ns"), 1e-310),
            "read_cycle_ns = 1e-310 must be in [0.0001, 1e+08] (a duration: "
            "1e-6 to 1e6 times the default 100)");
}

TEST(Hardware, PowersAreasEnergiesAndFractions) {
  HardwareDesc defaults;
  for (const HardwareField *f = hardwareFieldsBegin(); f != hardwareFieldsEnd();
       ++f) {
    if (f->kind != HardwareField::Real || isRatioKind(f->quantity) ||
        f->quantity == HardwareKind::Percentile) // AnalogKeys
      continue;
    SCOPED_TRACE(f->key);
    double d = defaults.*(f->real);
    double hi = f->quantity == HardwareKind::Sigma ? kMaxSigma
                : f->quantity == HardwareKind::Fraction ||
                        f->quantity == HardwareKind::Probability
                    ? 1.0
                    : d * 1e6;
    EXPECT_EQ(validateReal(*f, 0.0), "");
    EXPECT_EQ(validateReal(*f, hi), "");
    for (double bad :
         {-1e-9, hi * 1.001 + 1e-9, std::numeric_limits<double>::infinity(),
          std::numeric_limits<double>::quiet_NaN()}) {
      std::string e = validateReal(*f, bad);
      EXPECT_EQ(e.rfind(std::string(f->key) + " = ", 0), 0u)
          << bad << ": " << e;
    }
  }
  EXPECT_EQ(validateReal(*findHardwareField("adc_static_fraction"), 1.5),
            "adc_static_fraction = 1.5 must be in [0, 1] (a fraction)");
}

TEST(Hardware, IntegerAndNameRanges) {
  for (const HardwareField *f = hardwareFieldsBegin(); f != hardwareFieldsEnd();
       ++f) {
    if (f->kind != HardwareField::Int)
      continue;
    SCOPED_TRACE(f->key);
    for (int64_t bad : {f->minInt - 1, f->maxInt + 1}) {
      HardwareDesc hw;
      hw.*(f->integer) = bad;
      EXPECT_EQ(validate(hw).rfind(std::string(f->key) + " = ", 0), 0u)
          << validate(hw);
    }
  }
  HardwareDesc hw;
  hw.name = "";
  EXPECT_EQ(validate(hw), "name must not be empty");
  hw = HardwareDesc();
  hw.cellBits = 20;
  EXPECT_EQ(validate(hw), "cell_bits = 20 must be in [1, 16] (at most "
                          "weight_bits)");
}

TEST(Hardware, NearestKey) {
  EXPECT_EQ(nearestHardwareKey("adc_bit"), "adc_bits");
  EXPECT_EQ(nearestHardwareKey("adc_bitz"), "adc_bits");
  EXPECT_EQ(nearestHardwareKey("ADC_BITS"), "adc_bits");
  EXPECT_EQ(nearestHardwareKey("xbar-rows"), "xbar_rows");
  EXPECT_EQ(nearestHardwareKey("readcycle_ns"), "read_cycle_ns");
  EXPECT_EQ(nearestHardwareKey("adc_power_mW"), "adc_power_mw");
  EXPECT_EQ(nearestHardwareKey("tile_clock_mhz"), "tile_clock_ghz");
  EXPECT_EQ(nearestHardwareKey("adc_bits"), "adc_bits"); // distance 0
  // Nothing near: no suggestion rather than a random key.
  EXPECT_EQ(nearestHardwareKey("citation"), "");
  EXPECT_EQ(nearestHardwareKey("adc_energy_pj"), "");
  EXPECT_EQ(nearestHardwareKey(""), "");
  EXPECT_EQ(nearestHardwareKey(std::string(10000, 'x')), "");
  EXPECT_EQ(unknownHardwareKeyMessage("adc_bit"),
            "unknown key 'adc_bit'; did you mean 'adc_bits'?");
  EXPECT_EQ(unknownHardwareKeyMessage("citation"), "unknown key 'citation'");
}

/// The error of applyHardwareOverrides on the defaults; `hw` must not change.
std::string overrideError(const std::vector<std::string> &sets,
                          bool allowPlacement = true) {
  HardwareDesc hw;
  hw.adcPowerMw = 3.0; // a marker: must survive a failed override
  std::string error;
  EXPECT_FALSE(applyHardwareOverrides(hw, sets, allowPlacement, error));
  EXPECT_DOUBLE_EQ(hw.adcPowerMw, 3.0);
  EXPECT_EQ(hw.xbarRows, 128);
  return error;
}

TEST(Hardware, OverridesSetValues) {
  HardwareDesc hw;
  std::string error;
  ASSERT_TRUE(applyHardwareOverrides(
      hw,
      {"adc_power_mw=32", "xbar_rows=64", "name=what-if", "ht_links=0",
       "tile_clock_ghz=1E0", "dac_power_mw=.5", "sample_hold_power_mw=2.",
       "input_bits=+8", "adc_static_fraction=0"},
      /*allowPlacement=*/true, error))
      << error;
  EXPECT_DOUBLE_EQ(hw.adcPowerMw, 32.0);
  EXPECT_EQ(hw.xbarRows, 64);
  EXPECT_EQ(hw.name, "what-if");
  EXPECT_EQ(hw.htLinks, 0);
  EXPECT_DOUBLE_EQ(hw.tileClockGhz, 1.0);
  EXPECT_DOUBLE_EQ(hw.dacPowerMw, 0.5);
  EXPECT_DOUBLE_EQ(hw.sampleHoldPowerMw, 2.0);
  EXPECT_EQ(hw.inputBits, 8);
  EXPECT_DOUBLE_EQ(hw.adcStaticFraction, 0.0);
  // Validated once, after the last override: these only fit together
  // (8 cells per 16-bit weight do not fit 4 columns; 4 per 8-bit do).
  hw = HardwareDesc();
  EXPECT_FALSE(applyHardwareOverrides(hw, {"xbar_cols=4"}, true, error));
  ASSERT_TRUE(
      applyHardwareOverrides(hw, {"xbar_cols=4", "weight_bits=8"}, true, error))
      << error;
  EXPECT_EQ(hw.xbarCols, 4);
  EXPECT_TRUE(applyHardwareOverrides(hw, {}, false, error)) << error;
  // One override alone, no validation.
  const HardwareField *f = nullptr;
  ASSERT_TRUE(applyHardwareOverride(hw, "adc_bits=6", error, &f)) << error;
  EXPECT_EQ(hw.adcBits, 6);
  EXPECT_EQ(f, findHardwareField("adc_bits"));
}

TEST(Hardware, OverrideParseErrorsNameTheKey) {
  EXPECT_EQ(overrideError({"adc_power_mw"}),
            "--hw-set 'adc_power_mw': expected KEY=VALUE");
  EXPECT_EQ(overrideError({"=3"}),
            "--hw-set '=3': expected KEY=VALUE, the key is empty");
  EXPECT_EQ(overrideError({"adc_power_mw="}),
            "--hw-set adc_power_mw: empty value");
  EXPECT_EQ(overrideError({"adc_bit=8"}),
            "--hw-set adc_bit: unknown key 'adc_bit'; did you mean "
            "'adc_bits'?");
  EXPECT_EQ(overrideError({"citation=x"}),
            "--hw-set citation: unknown key 'citation'");
  for (const char *bad : {"1.5x", "abc", "0x10", " 1", "1 ", "inf", "nan", "1e",
                          "1e+", ".", "-", "1..2", "1,5", "1e3.5"})
    EXPECT_EQ(overrideError({std::string("adc_power_mw=") + bad}),
              std::string("--hw-set adc_power_mw: expected a number, got '") +
                  bad + "'");
  for (const char *bad : {"1.5", "1e3", "12a", "0x10", "", "+", "1 "}) {
    if (!*bad)
      continue;
    EXPECT_EQ(overrideError({std::string("xbar_rows=") + bad}),
              std::string("--hw-set xbar_rows: expected an integer, got '") +
                  bad + "'");
  }
  EXPECT_EQ(overrideError({"xbar_rows=99999999999999999999"}),
            "--hw-set xbar_rows: expected an integer, got "
            "'99999999999999999999'");
  EXPECT_EQ(overrideError({"read_cycle_ns=1e400"}),
            "--hw-set read_cycle_ns: '1e400' is out of range");
  EXPECT_EQ(overrideError({"adc_power_mw=1", "adc_power_mw=2"}),
            "--hw-set adc_power_mw: given twice");
  // Values: the same validate() as a file or a program.
  EXPECT_EQ(overrideError({"read_cycle_ns=1e-310"}),
            "--hw-set: read_cycle_ns = 1e-310 must be in [0.0001, 1e+08] (a "
            "duration: 1e-6 to 1e6 times the default 100)");
  EXPECT_EQ(overrideError({"adc_sample_rate_gsps=1e-300"})
                .rfind("--hw-set: adc_sample_rate_gsps = 1e-300 must be in", 0),
            0u);
  EXPECT_EQ(
      overrideError({"adc_power_mw=-1"})
          .rfind("--hw-set: adc_power_mw = -1 must be in [0, 1.6e+07]", 0),
      0u);
  EXPECT_EQ(overrideError({"adc_static_fraction=1.5"}),
            "--hw-set: adc_static_fraction = 1.5 must be in [0, 1] (a "
            "fraction)");
  EXPECT_EQ(overrideError({"xbar_rows=0"}),
            "--hw-set: xbar_rows = 0 must be in [1, 1048576]");
  // A failed override of one key leaves the others unapplied too.
  EXPECT_EQ(overrideError({"adc_power_mw=9", "adc_bits=x"}),
            "--hw-set adc_bits: expected an integer or 'auto', got 'x'");
}

TEST(Hardware, PlacementKeysAreFlagged) {
  std::set<std::string> placement;
  for (const HardwareField *f = hardwareFieldsBegin(); f != hardwareFieldsEnd();
       ++f)
    if (f->placement)
      placement.insert(f->key);
  EXPECT_EQ(placement,
            (std::set<std::string>{"xbar_rows", "xbar_cols", "weight_bits",
                                   "cell_bits", "xbars_per_ima",
                                   "imas_per_tile", "tiles_per_chip",
                                   "weight_scale_granularity"}));
  // rebocc-sim (allowPlacement = false) refuses to change them...
  for (const std::string &key : placement) {
    HardwareDesc hw;
    const HardwareField *f = findHardwareField(key);
    // A count halved, or a choice's other word (weight_scale_granularity).
    std::string changed;
    if (f->kind == HardwareField::Int) {
      changed = std::to_string(hw.*(f->integer) / 2);
    } else {
      llvm::SmallVector<llvm::StringRef> words;
      llvm::StringRef(f->words).split(words, '|');
      for (llvm::StringRef word : words)
        if (word != hw.*(f->str))
          changed = word.str();
    }
    ASSERT_FALSE(changed.empty()) << key;
    EXPECT_EQ(overrideError({key + "=" + changed},
                            /*allowPlacement=*/false),
              "--hw-set " + key +
                  ": changes the mapping; recompile with "
                  "rebocc");
  }
  // ... but accepts them unchanged, and every other key.
  HardwareDesc hw;
  std::string error;
  EXPECT_TRUE(
      applyHardwareOverrides(hw,
                             {"xbar_rows=128", "input_bits=8", "adc_bits=6",
                              "adc_power_mw=32", "read_cycle_ns=50", "name=x"},
                             /*allowPlacement=*/false, error))
      << error;
  EXPECT_EQ(hw.inputBits, 8);
}

TEST(Hardware, AnalogKeys) {
  HardwareDesc hw;
  EXPECT_EQ(weightEncoding(hw), WeightEncoding::Flipped);
  EXPECT_EQ(adcRangeValue(hw), 0.0); // max
  EXPECT_TRUE(std::isinf(onOffRatioValue(hw)));
  EXPECT_FALSE(hasDeviceNonIdealities(hw));
  std::string error;
  ASSERT_TRUE(applyHardwareOverrides(
      hw,
      {"weight_encoding=differential", "adc_range=300.5", "on_off_ratio=1e1",
       "stuck_at_zero_rate=0.25", "stuck_at_one_rate=0.75"},
      /*allowPlacement=*/false, error))
      << error;
  EXPECT_EQ(weightEncoding(hw), WeightEncoding::Differential);
  EXPECT_EQ(adcRangeValue(hw), 300.5);
  EXPECT_EQ(onOffRatioValue(hw), 10.0);
  EXPECT_TRUE(hasDeviceNonIdealities(hw));
  for (const char *one : {"cell_sigma=0.1", "read_sigma=0.01",
                          "stuck_at_one_rate=1", "on_off_ratio=1.5"}) {
    HardwareDesc h;
    ASSERT_TRUE(applyHardwareOverrides(h, {one}, false, error)) << error;
    EXPECT_TRUE(hasDeviceNonIdealities(h)) << one;
  }
  HardwareDesc offset;
  ASSERT_TRUE(applyHardwareOverrides(offset, {"weight_encoding=offset"}, false,
                                     error));
  EXPECT_EQ(weightEncoding(offset), WeightEncoding::Offset);
  EXPECT_FALSE(hasDeviceNonIdealities(offset));

  EXPECT_EQ(overrideError({"cell_sigma=-0.1"}),
            "--hw-set: cell_sigma = -0.1 must be in [0, 10] (a relative "
            "standard deviation)");
  EXPECT_EQ(overrideError({"read_sigma=11"}),
            "--hw-set: read_sigma = 11 must be in [0, 10] (a relative "
            "standard deviation)");
  EXPECT_EQ(overrideError({"stuck_at_zero_rate=1.5"}),
            "--hw-set: stuck_at_zero_rate = 1.5 must be in [0, 1] (a "
            "probability)");
  EXPECT_EQ(overrideError({"stuck_at_one_rate=-0.1"}),
            "--hw-set: stuck_at_one_rate = -0.1 must be in [0, 1] (a "
            "probability)");
  EXPECT_EQ(overrideError({"stuck_at_zero_rate=0.5", "stuck_at_one_rate=0.7"}),
            "--hw-set: stuck_at_zero_rate + stuck_at_one_rate = 1.2 must be "
            "at most 1 (a cell is stuck at one level at most)");
  for (const char *bad : {"1", "0.5", "-3", "0", "abc", "1x", "nan", "0x10"})
    EXPECT_EQ(overrideError({std::string("on_off_ratio=") + bad}),
              std::string("--hw-set: on_off_ratio = '") + bad +
                  "' must be inf or a number > 1");
  for (const char *bad : {"0", "-1", "calibrate", "inf", "Max"})
    EXPECT_EQ(overrideError({std::string("adc_range=") + bad}),
              std::string("--hw-set: adc_range = '") + bad +
                  "' must be max, calibrated or a number > 0");
  EXPECT_EQ(overrideError({"weight_encoding=twos"}),
            "--hw-set: weight_encoding = 'twos' must be one of flipped, "
            "offset or differential");
  EXPECT_EQ(overrideError({"adc_clip_percentile=49.9"}),
            "--hw-set: adc_clip_percentile = 49.9 must be in [50, 100] (a "
            "percentile)");
  EXPECT_EQ(overrideError({"adc_clip_percentile=100.5"}),
            "--hw-set: adc_clip_percentile = 100.5 must be in [50, 100] (a "
            "percentile)");
  ASSERT_TRUE(applyHardwareOverrides(
      hw, {"adc_range=calibrated", "adc_clip_percentile=50"}, false, error))
      << error;
  EXPECT_EQ(adcRangeValue(hw), 0.0);
  EXPECT_EQ(hw.adcClipPercentile, 50.0);
  EXPECT_EQ(overrideError({"adc_bits=0"}),
            "--hw-set: adc_bits = 0 must be in [1, 16] or auto");
  EXPECT_EQ(overrideError({"adc_bits=17"}),
            "--hw-set: adc_bits = 17 must be in [1, 16] or auto");
  EXPECT_EQ(overrideError({"adc_bits=7.5"}),
            "--hw-set adc_bits: expected an integer or 'auto', got '7.5'");
  EXPECT_EQ(overrideError({"adc_bits=Auto"}),
            "--hw-set adc_bits: expected an integer or 'auto', got 'Auto'");

  // A file may give the numeric choices as JSON numbers.
  HardwareDesc file;
  ASSERT_TRUE(parseHardwareDesc(
      R"({"adc_range": 300, "on_off_ratio": 1e2, "weight_encoding": "offset"})",
      "hw.json", file, error))
      << error;
  EXPECT_EQ(file.adcRange, "300");
  EXPECT_EQ(adcRangeValue(file), 300.0);
  EXPECT_EQ(onOffRatioValue(file), 100.0);
  EXPECT_EQ(parseError(R"({"weight_encoding": 3})"),
            "hw.json: key 'weight_encoding': expected a string");
  EXPECT_EQ(parseError(R"({"on_off_ratio": 1})"),
            "hw.json: on_off_ratio = '1' must be inf or a number > 1");
}

TEST(Hardware, FileValuesGoThroughTheSameBounds) {
  EXPECT_EQ(parseError(R"({"read_cycle_ns": 1e-310})"),
            "hw.json: read_cycle_ns = 1e-310 must be in [0.0001, 1e+08] (a "
            "duration: 1e-6 to 1e6 times the default 100)");
  EXPECT_NE(parseError(R"({"adc_sample_rate_gsps": 1e-300})")
                .find("adc_sample_rate_gsps = 1e-300"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"adc_power_mw": 1e300})").find("adc_power_mw"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"ht_link_gbps": 1e9})").find("ht_link_gbps"),
            std::string::npos);
}

} // namespace

TEST(Hardware, AdcBitsTakesAuto) {
  // `auto` on the command line, in a file and in a program's hw line; a
  // number clears it again; only adc_bits takes the word.
  HardwareDesc hw;
  std::string error;
  ASSERT_TRUE(applyHardwareOverrides(hw, {"adc_bits=auto"}, false, error))
      << error;
  EXPECT_TRUE(hw.adcBitsAuto);
  EXPECT_EQ(validate(hw), "");
  ASSERT_TRUE(applyHardwareOverrides(hw, {"adc_bits=6"}, false, error))
      << error;
  EXPECT_FALSE(hw.adcBitsAuto);
  EXPECT_EQ(hw.adcBits, 6);
  EXPECT_FALSE(applyHardwareOverrides(hw, {"input_bits=auto"}, true, error));
  EXPECT_EQ(error, "--hw-set input_bits: expected an integer, got 'auto'");

  HardwareDesc file;
  ASSERT_TRUE(parseHardwareDesc(R"({"adc_bits": "auto"})", "hw.json", file,
                                error))
      << error;
  EXPECT_TRUE(file.adcBitsAuto);
  EXPECT_FALSE(parseHardwareDesc(R"({"adc_bits": "six"})", "hw.json", file,
                                 error));
  EXPECT_EQ(error, "hw.json: key 'adc_bits': expected an integer or "
                   "\"auto\", got a string");
  EXPECT_FALSE(parseHardwareDesc(R"({"adc_bits": 6.5})", "hw.json", file,
                                 error));
  EXPECT_EQ(error,
            "hw.json: key 'adc_bits': expected an integer or \"auto\", got 6.5");
  EXPECT_FALSE(
      parseHardwareDesc(R"({"adc_bits": 0})", "hw.json", file, error));
  EXPECT_EQ(error, "hw.json: adc_bits = 0 must be in [1, 16] or auto");
}
