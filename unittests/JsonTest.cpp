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
  // exact, doubles round-trip (17 significant digits where needed), NaN and
  // infinity are null.
  EXPECT_EQ(text, "{\n"
                  "  \"name\": \"fc1\xc2\xb7\xc3\xa9\",\n"
                  "  \"bad\": \"a\xef\xbf\xbd\",\n"
                  "  \"quote\": \"\\\"\\\\\\n\",\n"
                  "  \"count\": 1234567,\n"
                  "  \"tenth\": 0.10000000000000001,\n"
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

} // namespace
