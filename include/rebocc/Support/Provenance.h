//===- Provenance.h - where a JSON report came from -------------*- C++ -*-===//
//
// Every JSON report a tool writes starts with its provenance: the layout's
// schema version, the tool and the commit it was built from, the input file
// with its SHA-256, and the command line (docs/Report.md). With them a
// report names the binary and the bytes it came from, and how to make it
// again.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_PROVENANCE_H
#define REBOCC_SUPPORT_PROVENANCE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rebocc::support {

/// The version of the report layout (docs/report.schema.json). Raised when a
/// member is renamed, removed or changes meaning; new members do not raise
/// it.
constexpr int64_t kReportSchemaVersion = 1;

struct ReportProvenance {
  std::string tool;                     // "rebocc", "rebocc-sim"
  std::vector<std::string> commandLine; // argv as given, argv[0] included
  std::string inputKind;                // "model" or "program"
  std::string inputPath;                // as given; "-" is stdin
  std::string inputSha256;              // lowercase hex; "" for stdin
};

/// The provenance of a tool run on `inputPath`: argv as its command line and
/// the SHA-256 of the input file's bytes (none for "-", stdin, which cannot
/// be read twice). False with `error` when the file cannot be read.
bool makeReportProvenance(llvm::StringRef tool, int argc, char **argv,
                          llvm::StringRef inputKind,
                          const std::string &inputPath, ReportProvenance &out,
                          std::string &error);

/// The SHA-256 of `bytes` in lowercase hex, as sha256sum prints it.
std::string sha256Hex(llvm::StringRef bytes);

/// Writes the members "schema_version", "tool" {name, version, git},
/// <inputKind> {path, sha256 (null for stdin)} (when there is an input) and
/// "command_line" into the object `json` has open.
void writeProvenance(llvm::json::OStream &json, const ReportProvenance &p);

} // namespace rebocc::support

#endif // REBOCC_SUPPORT_PROVENANCE_H
