//===- Attribution.cpp - where two mappings' costs differ -----------------===//

#include "rebocc/Model/Attribution.h"
#include "rebocc/Support/Json.h"
#include "rebocc/Support/TextTable.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace rebocc::model {

namespace {

double computeEnergy(const EnergyBreakdown &e) {
  return e.adc + e.dac + e.crossbar + e.sampleHold + e.shiftAdd +
         e.inputRegister + e.outputRegister;
}

double trafficEnergy(const EnergyBreakdown &e) {
  return e.buffer + e.bus + e.network + e.interChip + e.hostIo;
}

const LayerReport *countsOf(const RunReport &counts, const std::string &name) {
  for (const LayerReport &r : counts.layers)
    if (r.name == name)
      return &r;
  return nullptr;
}

} // namespace

std::vector<LayerAttribution>
attributeDifferences(const CostReport &base, const RunReport &baseCounts,
                     const CostReport &other, const RunReport &otherCounts) {
  // The n-th layer of a name in `base` pairs with the n-th of that name in
  // `other`: one op may lower to several digital layers of one name (PRelu).
  std::map<std::string, std::vector<const LayerCost *>> byName;
  for (const LayerCost &l : other.layers)
    byName[l.name].push_back(&l);
  std::map<std::string, size_t> seen;
  std::vector<LayerAttribution> rows;
  for (const LayerCost &a : base.layers) {
    auto it = byName.find(a.name);
    size_t nth = seen[a.name]++;
    if (it == byName.end() || nth >= it->second.size())
      continue;
    const LayerCost &b = *it->second[nth];
    LayerAttribution row;
    row.name = a.name;
    row.crossbars = b.crossbars - a.crossbars;
    row.baseReplication = a.replication;
    row.otherReplication = b.replication;
    const LayerReport *ca = countsOf(baseCounts, a.name);
    const LayerReport *cb = countsOf(otherCounts, a.name);
    if (ca && cb) {
      row.adcConversions = cb->adcConversions - ca->adcConversions;
      row.bufferWords = cb->bufferWords - ca->bufferWords;
      row.bufferAccesses = (cb->bufferReads + cb->bufferWrites) -
                           (ca->bufferReads + ca->bufferWrites);
    }
    row.computeJ = computeEnergy(b.dynamicJ) - computeEnergy(a.dynamicJ);
    row.rotationJ = b.dynamicJ.rotator - a.dynamicJ.rotator;
    row.trafficJ = trafficEnergy(b.dynamicJ) - trafficEnergy(a.dynamicJ);
    row.programmingJ = b.dynamicJ.programming - a.dynamicJ.programming;
    row.staticJ = b.staticJ.total() - a.staticJ.total();
    row.digitalJ = b.dynamicJ.digital - a.dynamicJ.digital;
    row.energyJ = b.energyJ() - a.energyJ();
    row.latencyS = b.latencyS - a.latencyS;
    row.baseBottleneck = a.bottleneck;
    row.otherBottleneck = b.bottleneck;
    rows.push_back(row);
  }
  return rows;
}

void writeAttributionJson(llvm::json::OStream &json,
                          const std::vector<LayerAttribution> &rows) {
  using support::jsonNumber;
  using support::jsonString;
  json.array([&] {
    for (const LayerAttribution &r : rows)
      json.object([&] {
        json.attribute("name", jsonString(r.name));
        json.attribute("crossbars", r.crossbars);
        json.attribute("adc_conversions", r.adcConversions);
        json.attribute("buffer_words", r.bufferWords);
        json.attribute("buffer_accesses", r.bufferAccesses);
        json.attributeArray("replication", [&] {
          json.value(r.baseReplication);
          json.value(r.otherReplication);
        });
        json.attributeObject("energy_j", [&] {
          json.attribute("total", jsonNumber(r.energyJ));
          json.attribute("crossbars_and_conversions", jsonNumber(r.computeJ));
          json.attribute("rotation", jsonNumber(r.rotationJ));
          json.attribute("buffer_traffic", jsonNumber(r.trafficJ));
          json.attribute("programming", jsonNumber(r.programmingJ));
          json.attribute("static", jsonNumber(r.staticJ));
          json.attribute("digital", jsonNumber(r.digitalJ));
        });
        json.attribute("latency_s", jsonNumber(r.latencyS));
        json.attributeArray("bottleneck", [&] {
          json.value(jsonString(r.baseBottleneck));
          json.value(jsonString(r.otherBottleneck));
        });
      });
  });
}

std::string attributionToTable(const std::vector<LayerAttribution> &rows,
                               const std::string &title) {
  auto sci = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%+.2e", v);
    return std::string(buf);
  };
  std::vector<std::vector<std::string>> cells;
  cells.push_back({"layer", "d_xbars", "d_adc_conv", "repl", "d_energy_j",
                   "compute", "rotation", "traffic", "programming", "static",
                   "digital", "d_latency_s"});
  for (const LayerAttribution &r : rows)
    cells.push_back({r.name, std::to_string(r.crossbars),
                     std::to_string(r.adcConversions),
                     std::to_string(r.baseReplication) + "->" +
                         std::to_string(r.otherReplication),
                     sci(r.energyJ), sci(r.computeJ), sci(r.rotationJ),
                     sci(r.trafficJ), sci(r.programmingJ), sci(r.staticJ),
                     sci(r.digitalJ), sci(r.latencyS)});
  return "# where " + title + " differ, per layer (second minus first)\n" +
         support::formatColumns(cells, {0});
}

} // namespace rebocc::model
