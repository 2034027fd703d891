//===- EventReport.cpp - JSON and table forms of the event counts ---------===//

#include "rebocc/Model/Events.h"
#include "rebocc/Support/Json.h"
#include "rebocc/Support/TextTable.h"

#include <algorithm>
#include <cstdio>

namespace rebocc::model {

namespace {

std::string str(int64_t v) { return std::to_string(v); }


std::string jsonCounts(const LayerReport &r) {
  return "\"crossbars\": " + str(r.crossbars) +
         ", \"u_occ\": " + support::jsonNumber(r.uOcc) +
         ", \"u_uniq\": " + support::jsonNumber(r.uUniq) +
         ", \"vectors\": " + str(r.vectors) +
         ", \"xbar_activations\": " + str(r.xbarActivations) +
         ", \"adc_conversions\": " + str(r.adcConversions) +
         ", \"buffer_reads\": " + str(r.bufferReads) +
         ", \"buffer_writes\": " + str(r.bufferWrites) +
         ", \"buffer_words\": " + str(r.bufferWords) +
         ", \"input_words\": " + str(r.inputWords) +
         ", \"rotations\": " + str(r.rotations) +
         ", \"reduction_adds\": " + str(r.reductionAdds) +
         ", \"occupied_cells\": " + str(r.occupiedCells) +
         ", \"unique_cells\": " + str(r.uniqueCells) +
         ", \"capacity_cells\": " + str(r.capacityCells) +
         ", \"crossbars_before_dup\": " + str(r.crossbarsUndup) +
         ", \"u_uniq_before_dup\": " + support::jsonNumber(r.uUniqUndup);
}


} // namespace

std::string reportToJson(const RunReport &report) {
  std::string out = "{\n  \"hw\": " + support::jsonQuote(report.hwName) +
                    ",\n  \"arithmetic\": " + support::jsonQuote(report.arithmetic) +
                    ",\n  \"layers\": [";
  for (size_t l = 0; l < report.layers.size(); ++l) {
    const LayerReport &r = report.layers[l];
    out += std::string(l ? "," : "") + "\n    {\"name\": " +
           support::jsonQuote(r.name) + ", \"block_size\": " + str(r.blockSize) +
           ", \"mapping\": " + support::jsonQuote(r.mapping) +
           ", \"dup\": " + str(r.dup) + ", \"steps\": " + str(r.steps) + ", " +
           jsonCounts(r) + "}";
  }
  out += std::string(report.layers.empty() ? "" : "\n  ") + "],\n" +
         "  \"totals\": {" + jsonCounts(report.total) + "}\n}\n";
  return out;
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
  return out;
}

} // namespace rebocc::model
