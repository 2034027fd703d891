//===- Attribution.h - where two mappings' costs differ ---------*- C++ -*-===//
//
// `--compare=reboc,dense` reports, per layer, which source each difference
// between the two mappings comes from: crossbars and conversions, rotation,
// buffer and interconnect traffic, programming, static power (fewer or more
// IMAs for a shorter or longer time), digital work, and replicas. The
// energy parts add up to the layer's energy difference.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_MODEL_ATTRIBUTION_H
#define REBOCC_MODEL_ATTRIBUTION_H

#include "rebocc/Model/CostModel.h"

#include <string>
#include <vector>

namespace rebocc::model {

/// `other` minus `base` for one layer (matched by name, the n-th of a name
/// with the n-th), energies in J.
struct LayerAttribution {
  std::string name;
  int64_t crossbars = 0;        // array count difference
  int64_t adcConversions = 0;   // conversion count difference (whole run)
  int64_t bufferWords = 0;      // input buffer size difference (input sharing)
  int64_t bufferAccesses = 0;   // eDRAM reads + writes difference
  int64_t baseReplication = 1, otherReplication = 1;
  double computeJ = 0;      // arrays, ADCs, DACs, S&H, shift-add, registers
  double rotationJ = 0;     // input rotator
  double trafficJ = 0;      // eDRAM, bus, NoC, inter-chip links
  double programmingJ = 0;  // ReRAM writes
  double staticJ = 0;       // leakage of the powered units over their time
  double digitalJ = 0;      // digital units
  double energyJ = 0;       // the layer's whole difference (sum of the above)
  double latencyS = 0;      // per inference
  std::string baseBottleneck, otherBottleneck;
};

/// One entry per layer present in both reports (crossbar layers first).
/// Counts come from the run reports of the same programs.
std::vector<LayerAttribution>
attributeDifferences(const CostReport &base, const RunReport &baseCounts,
                     const CostReport &other, const RunReport &otherCounts);

/// The rows as a JSON array, one object per layer, written to `json`.
void writeAttributionJson(llvm::json::OStream &json,
                          const std::vector<LayerAttribution> &rows);
std::string attributionToTable(const std::vector<LayerAttribution> &rows,
                               const std::string &title);

} // namespace rebocc::model

#endif // REBOCC_MODEL_ATTRIBUTION_H
