//===- Provenance.cpp - where a JSON report came from ---------------------===//

#include "rebocc/Support/Provenance.h"
#include "rebocc/Support/FileIO.h"
#include "rebocc/Support/Json.h"
#include "rebocc/Support/Version.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SHA256.h"

namespace rebocc::support {

std::string sha256Hex(llvm::StringRef bytes) {
  return llvm::toHex(llvm::SHA256::hash(llvm::arrayRefFromStringRef(bytes)),
                     /*LowerCase=*/true);
}

bool makeReportProvenance(llvm::StringRef tool, int argc, char **argv,
                          llvm::StringRef inputKind,
                          const std::string &inputPath, ReportProvenance &out,
                          std::string &error) {
  out = ReportProvenance();
  out.tool = tool.str();
  out.commandLine.assign(argv, argv + argc);
  out.inputKind = inputKind.str();
  out.inputPath = inputPath;
  if (inputPath == "-")
    return true;
  std::string bytes;
  if (!readFileBytes(inputPath, bytes, error))
    return false;
  out.inputSha256 = sha256Hex(bytes);
  return true;
}

void writeProvenance(llvm::json::OStream &json, const ReportProvenance &p) {
  json.attribute("schema_version", kReportSchemaVersion);
  json.attributeObject("tool", [&] {
    json.attribute("name", jsonString(p.tool));
    json.attribute("version", versionNumber());
    json.attribute("git", gitCommit());
  });
  if (!p.inputKind.empty())
    json.attributeObject(p.inputKind, [&] {
      json.attribute("path", jsonString(p.inputPath));
      if (p.inputSha256.empty())
        json.attribute("sha256", nullptr);
      else
        json.attribute("sha256", p.inputSha256);
    });
  json.attributeArray("command_line", [&] {
    for (const std::string &arg : p.commandLine)
      json.value(jsonString(arg));
  });
}

} // namespace rebocc::support
