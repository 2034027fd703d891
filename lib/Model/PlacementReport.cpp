//===- PlacementReport.cpp - the report's list of array places ------------===//
//
// The "placement" member of the cost report: where every array of the
// program sits, as the estimate read it (docs/CostModel.md, "Report").
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CostModel.h"

#include "llvm/Support/JSON.h"

namespace rebocc::model {

void writePlacementJson(llvm::json::OStream &json, const CostReport &report) {
  json.attributeObject("placement", [&] {
    json.attribute("overflow", overflowPolicyName(report.overflow));
    json.attributeArray("arrays", [&] {
      for (const PlacedArray &a : report.arrays)
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
    });
  });
}

} // namespace rebocc::model
