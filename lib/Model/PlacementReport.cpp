//===- PlacementReport.cpp - the report's list of array places ------------===//
//
// The "placement" member of the cost report: where every array of the
// program sits, as the estimate read it (docs/CostModel.md, "Report"). One
// array per line, so a report of a large model stays greppable.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CostModel.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace rebocc::model {

std::string placementToJson(const CostReport &report) {
  std::string out;
  llvm::raw_string_ostream os(out);
  os << "{\"overflow\": ";
  llvm::json::OStream(os).value(overflowPolicyName(report.overflow));
  os << ", \"arrays\": [";
  for (size_t i = 0; i < report.arrays.size(); ++i) {
    const PlacedArray &a = report.arrays[i];
    os << (i ? ",\n" : "\n") << "      ";
    llvm::json::OStream json(os);
    json.object([&] {
      json.attribute("layer", a.layer);
      json.attribute("layer_name", a.layerName);
      json.attribute("array", a.array);
      json.attribute("chip", a.place.chip);
      json.attribute("load", a.place.load);
      json.attribute("tile", a.place.tile);
      json.attribute("ima", a.place.ima);
      json.attribute("xbar", a.place.xbar);
    });
  }
  os << (report.arrays.empty() ? "]}" : "\n    ]}");
  return out;
}

} // namespace rebocc::model
