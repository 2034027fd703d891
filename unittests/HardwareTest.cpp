//===- HardwareTest.cpp - Hardware description parsing --------------------===//

#include "rebocc/Model/Hardware.h"

#include <gtest/gtest.h>


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
  EXPECT_NE(e.find("hw.json: key 'xbar_colums': unknown key"),
            std::string::npos)
      << e;
  // Only keys starting with '_' are comments.
  e = parseError(R"({"citation": "ISAAC"})");
  EXPECT_NE(e.find("'citation'"), std::string::npos) << e;
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

} // namespace
