//===- JsonTest.cpp - the reports' JSON values and layout -----------------===//

#include "rebocc/Support/Json.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace rebocc::support;

namespace {

TEST(Json, DocumentLayoutAndValues) {
  std::string text = jsonDocument([](llvm::json::OStream &json) {
    json.object([&] {
      json.attribute("name", jsonString("fc1\xc2\xb7\xc3\xa9")); // fc1·é
      json.attribute("bad", jsonString("a\xff"));
      json.attribute("quote", jsonString("\"\\\n"));
      json.attribute("count", int64_t(1234567));
      json.attribute("tenth", jsonNumber(0.1));
      json.attribute("half", jsonNumber(0.5));
      json.attribute("nan", jsonNumber(std::nan("")));
      json.attribute("inf", jsonNumber(HUGE_VAL));
      json.attributeArray("list", [&] {
        json.value(1);
        json.value(true);
      });
      json.attributeObject("empty", [] {});
    });
  });
  // UTF-8 is kept, a byte that is not UTF-8 becomes U+FFFD, integers are
  // exact, doubles are in their shortest round-trip form, NaN and infinity
  // are null.
  EXPECT_EQ(text, "{\n"
                  "  \"name\": \"fc1\xc2\xb7\xc3\xa9\",\n"
                  "  \"bad\": \"a\xef\xbf\xbd\",\n"
                  "  \"quote\": \"\\\"\\\\\\n\",\n"
                  "  \"count\": 1234567,\n"
                  "  \"tenth\": 0.1,\n"
                  "  \"half\": 0.5,\n"
                  "  \"nan\": null,\n"
                  "  \"inf\": null,\n"
                  "  \"list\": [\n"
                  "    1,\n"
                  "    true\n"
                  "  ],\n"
                  "  \"empty\": {}\n"
                  "}\n");
}

// Each number against its shortest round-trip spelling, worked out by hand
// (Python's repr gives the same): llvm::json's 17 digits go, integers and
// strings stay.
TEST(Json, ShortestNumbers) {
  EXPECT_EQ(shortestNumbers("[0.10000000000000001, 0.30000000000000004, "
                            "1.0000000000000001e-05, 2.5e+20, -1.5, "
                            "9007199254740993, 12, -0, 5.9999999999999995e-04, "
                            "1e-300]"),
            "[0.1, 0.30000000000000004, 1e-5, 2.5e+20, -1.5, "
            "9007199254740993, 12, -0, 6e-4, 1e-300]");
  // Digits inside strings, escaped quotes included, are text.
  EXPECT_EQ(shortestNumbers("{\"a\\\"0.10000000000000001\": "
                            "\"0.10000000000000001\", \"b\": "
                            "0.20000000000000001}"),
            "{\"a\\\"0.10000000000000001\": \"0.10000000000000001\", "
            "\"b\": 0.2}");
}

// Every double the document holds parses back to itself.
TEST(Json, DocumentNumbersRoundTrip) {
  const double values[] = {0.1, 1.0 / 3.0, 2.0 / 3.0 * 1e-9, 6.02214076e23,
                           5e-324, 1.7976931348623157e308, 123456.789};
  std::string text = jsonDocument([&](llvm::json::OStream &json) {
    json.array([&] {
      for (double v : values)
        json.value(v);
    });
  });
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError());
  const llvm::json::Array *array = parsed->getAsArray();
  ASSERT_TRUE(array && array->size() == std::size(values));
  for (size_t i = 0; i < std::size(values); ++i)
    EXPECT_EQ((*array)[i].getAsNumber(), values[i]) << i;
  EXPECT_NE(text.find("  0.1,\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  6.02214076e+23,\n"), std::string::npos) << text;
}

} // namespace
