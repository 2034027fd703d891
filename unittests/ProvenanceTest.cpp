//===- ProvenanceTest.cpp - a report's provenance members -----------------===//

#include "rebocc/Support/Json.h"
#include "rebocc/Support/Provenance.h"
#include "rebocc/Support/Version.h"

#include <gtest/gtest.h>

using namespace rebocc::support;

namespace {

// FIPS 180-2's examples (appendix B) and the empty message.
TEST(Provenance, Sha256) {
  EXPECT_EQ(sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(
      sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Provenance, Members) {
  ReportProvenance p;
  p.tool = "rebocc-sim";
  p.commandLine = {"rebocc-sim", "m.rbp", "--seed", "3"};
  p.inputKind = "program";
  p.inputPath = "m.rbp";
  p.inputSha256 = sha256Hex("abc");
  std::string text = jsonDocument([&](llvm::json::OStream &json) {
    json.object([&] { writeProvenance(json, p); });
  });
  EXPECT_EQ(text, std::string("{\n"
                              "  \"schema_version\": 1,\n"
                              "  \"tool\": {\n"
                              "    \"name\": \"rebocc-sim\",\n"
                              "    \"version\": \"") +
                      rebocc::versionNumber() +
                      "\",\n"
                      "    \"git\": \"" +
                      rebocc::gitCommit() +
                      "\"\n"
                      "  },\n"
                      "  \"program\": {\n"
                      "    \"path\": \"m.rbp\",\n"
                      "    \"sha256\": \"ba7816bf8f01cfea414140de5dae2223b00361a3"
                      "96177a9cb410ff61f20015ad\"\n"
                      "  },\n"
                      "  \"command_line\": [\n"
                      "    \"rebocc-sim\",\n"
                      "    \"m.rbp\",\n"
                      "    \"--seed\",\n"
                      "    \"3\"\n"
                      "  ]\n"
                      "}\n");
}

// stdin has no hash; a missing file is an error naming it.
TEST(Provenance, StdinAndMissingFile) {
  char arg0[] = "rebocc", arg1[] = "-";
  char *argv[] = {arg0, arg1};
  ReportProvenance p;
  std::string error;
  ASSERT_TRUE(makeReportProvenance("rebocc", 2, argv, "model", "-", p, error));
  EXPECT_EQ(p.inputSha256, "");
  EXPECT_EQ(p.commandLine, (std::vector<std::string>{"rebocc", "-"}));
  EXPECT_FALSE(makeReportProvenance("rebocc", 2, argv, "model",
                                    "/nonexistent/m.onnx", p, error));
  EXPECT_NE(error.find("/nonexistent/m.onnx"), std::string::npos) << error;
}

} // namespace
