//===- EventReport.cpp - JSON and table forms of the event counts ---------===//

#include "rebocc/Model/Events.h"
#include "rebocc/Support/Json.h"
#include "rebocc/Support/TextTable.h"

#include <algorithm>
#include <cstdio>

namespace rebocc::model {

namespace {

std::string str(int64_t v) { return std::to_string(v); }

using support::jsonNumber;
using support::jsonString;

void writeCounts(llvm::json::OStream &json, const LayerReport &r) {
  json.attribute("crossbars", r.crossbars);
  json.attribute("u_occ", jsonNumber(r.uOcc));
  json.attribute("u_uniq", jsonNumber(r.uUniq));
  json.attribute("vectors", r.vectors);
  json.attribute("xbar_activations", r.xbarActivations);
  json.attribute("adc_conversions", r.adcConversions);
  json.attribute("buffer_reads", r.bufferReads);
  json.attribute("buffer_writes", r.bufferWrites);
  json.attribute("buffer_words", r.bufferWords);
  json.attribute("input_words", r.inputWords);
  json.attribute("rotations", r.rotations);
  json.attribute("reduction_adds", r.reductionAdds);
  json.attribute("scale_multiplies", r.scaleMultiplies);
  json.attribute("occupied_cells", r.occupiedCells);
  json.attribute("unique_cells", r.uniqueCells);
  json.attribute("capacity_cells", r.capacityCells);
  json.attribute("crossbars_before_dup", r.crossbarsUndup);
  json.attribute("u_uniq_before_dup", jsonNumber(r.uUniqUndup));
}

void writeLayer(llvm::json::OStream &json, const LayerReport &r) {
  json.object([&] {
    json.attribute("name", jsonString(r.name));
    json.attribute("block_size", r.blockSize);
    json.attribute("mapping", jsonString(r.mapping));
    json.attribute("dup", r.dup);
    json.attribute("steps", r.steps);
    writeCounts(json, r);
  });
}

} // namespace

void writeRunReportFields(llvm::json::OStream &json, const RunReport &report) {
  json.attribute("hw", jsonString(report.hwName));
  json.attribute("arithmetic", jsonString(report.arithmetic));
  json.attributeArray("layers", [&] {
    for (const LayerReport &r : report.layers)
      writeLayer(json, r);
  });
  json.attributeObject("totals", [&] { writeCounts(json, report.total); });
  if (report.branches.empty())
    return;
  json.attributeArray("branches", [&] {
    for (const BranchReport &b : report.branches)
      json.object([&] {
        json.attribute("name", jsonString(b.name));
        json.attribute("taken", b.thenTaken ? "then" : "else");
        json.attribute("assumed", b.assumed);
      });
  });
}

std::string reportToJson(const RunReport &report) {
  return support::jsonDocument([&](llvm::json::OStream &json) {
    json.object([&] { writeRunReportFields(json, report); });
  });
}

std::string reportToTable(const RunReport &report) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"layer", "k", "mapping", "dup", "xbars", "xbars_pre_dup",
                  "u_occ", "u_uniq", "u_uniq_pre_dup", "steps", "vectors",
                  "xbar_act", "adc_conv", "buf_reads", "buf_writes",
                  "buf_words", "rotations", "red_adds"});
  auto fixed = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.4f", v);
    return std::string(buf);
  };
  auto add = [&](const LayerReport &r, bool total) {
    rows.push_back({r.name, total ? "-" : str(r.blockSize),
                    total ? "-" : r.mapping, total ? "-" : str(r.dup),
                    str(r.crossbars), str(r.crossbarsUndup), fixed(r.uOcc),
                    fixed(r.uUniq), fixed(r.uUniqUndup),
                    total ? "-" : str(r.steps), str(r.vectors),
                    str(r.xbarActivations), str(r.adcConversions),
                    str(r.bufferReads), str(r.bufferWrites),
                    str(r.bufferWords), str(r.rotations),
                    str(r.reductionAdds)});
  };
  for (const LayerReport &r : report.layers)
    add(r, false);
  add(report.total, true);

  // countProgram's reports (--cost-only) say they were not simulated.
  std::string out = "# hw " + report.hwName + ", " +
                    (report.arithmetic == "cost-only"
                         ? std::string("cost only (shapes, no simulation)")
                         : report.arithmetic + " arithmetic") +
                    "\n";
  // Names left-aligned, numbers right-aligned.
  out += support::formatColumns(rows, {0, 2});
  // Run-time Ifs: only the branch that ran is in the counts above.
  for (const BranchReport &b : report.branches)
    out += "# if '" + b.name + "' ran its " +
           (b.thenTaken ? "then" : "else") + " branch" +
           (b.assumed ? " (assumed: --cost-only has no data)" : "") + "\n";
  return out;
}

} // namespace rebocc::model
