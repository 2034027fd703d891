//===- Placement.cpp - where every layer's arrays sit ---------------------===//
//
// Every layer owns whole IMAs (its arrays share the IMA's ADCs and input
// register), packed in program order over the chips, or over chip loads
// when the model is reprogrammed (docs/CostModel.md, "Placement").
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CostStages.h"
#include "rebocc/Support/Shapes.h"

#include <algorithm>
#include <cstdlib>

namespace rebocc::model {

using support::ceilDiv;
using program::CrossbarLayer;

Mesh::Mesh(const HardwareDesc &hw)
    : tilesPerChip(hw.tilesPerChip), tilesPerRouter(hw.tilesPerRouter) {
  int64_t routers = ceilDiv(hw.tilesPerChip, hw.tilesPerRouter);
  width = 1;
  while (width * width < routers)
    ++width;
}

int64_t Mesh::fromPort(int64_t tile) const {
  int64_t r = (tile % tilesPerChip) / tilesPerRouter;
  return r % width + r / width;
}

int64_t Mesh::hops(int64_t a, int64_t b) const {
  if (chipOf(a) != chipOf(b))
    return fromPort(a) + fromPort(b) + 2;
  int64_t ra = (a % tilesPerChip) / tilesPerRouter;
  int64_t rb = (b % tilesPerChip) / tilesPerRouter;
  return std::abs(ra % width - rb % width) + std::abs(ra / width - rb / width) +
         1;
}

namespace {

/// Chip loads for reprogramming: consecutive layers while they fit; a layer
/// larger than a chip takes `chunks` loads of its own.
void placeInLoads(const program::Program &P, const RunReport &counts,
                  int64_t imasPerChip, Placement &out) {
  int64_t at = 0;
  for (size_t l = 0; l < P.layers.size(); ++l) {
    const CrossbarLayer &layer = P.layers[l];
    LayerPlacement &place = out.layers[l];
    int64_t rows = 0;
    for (const program::Array &a : layer.arrays)
      rows = std::max(rows, a.rowCount);
    int64_t arrays = static_cast<int64_t>(layer.arrays.size());
    int64_t cells = counts.layers[l].occupiedCells;
    if (place.chunks > 1 || out.loads.empty() || at + place.imas > imasPerChip) {
      at = 0;
      out.loads.push_back(ChipLoad());
    }
    if (place.chunks > 1) {
      for (int64_t k = 0; k < place.chunks; ++k) {
        if (k)
          out.loads.push_back(ChipLoad());
        ChipLoad &load = out.loads.back();
        load.imas = imasPerChip;
        load.arrays = ceilDiv(arrays, place.chunks);
        load.cells = cells / place.chunks;
        load.maxRows = rows;
      }
      place.load = static_cast<int64_t>(out.loads.size()) - place.chunks;
      place.start = 0;
      at = imasPerChip; // the next layer starts a new load
      continue;
    }
    place.load = static_cast<int64_t>(out.loads.size()) - 1;
    place.start = at;
    at += place.imas;
    ChipLoad &load = out.loads.back();
    load.imas += place.imas;
    load.arrays += arrays;
    load.cells += cells;
    load.maxRows = std::max(load.maxRows, rows);
  }
}

} // namespace

bool placeLayers(const program::Program &P, const RunReport &counts,
                 const HardwareDesc &hw, const CostOptions &options,
                 Placement &out, std::string &error) {
  out = Placement();
  const int64_t imasPerChip = hw.tilesPerChip * hw.imasPerTile;
  out.layers.resize(P.layers.size());
  for (size_t l = 0; l < P.layers.size(); ++l) {
    int64_t arrays = static_cast<int64_t>(P.layers[l].arrays.size());
    LayerPlacement &place = out.layers[l];
    place.imas = ceilDiv(arrays, hw.xbarsPerIma);
    out.crossbarsNeeded += arrays;
    out.imasNeeded += place.imas;
    if (place.imas > imasPerChip)
      place.chunks = ceilDiv(place.imas, imasPerChip);
  }
  out.fits = out.imasNeeded <= imasPerChip;
  out.reprogram = !out.fits && options.overflow == OverflowPolicy::Reprogram;
  if (!out.reprogram) // spread over chips: a large layer is not cut in loads
    for (LayerPlacement &place : out.layers)
      place.chunks = 1;
  if (out.reprogram) {
    if (hw.htLinks == 0) {
      error = "reprogramming needs ht_links > 0 to bring the weights on chip";
      return false;
    }
    placeInLoads(P, counts, imasPerChip, out);
    return true;
  }
  out.chips = std::max<int64_t>(1, ceilDiv(out.imasNeeded, imasPerChip));
  if (out.chips > 1 && hw.htLinks == 0) {
    error = "the model needs " + std::to_string(out.chips) +
            " chips but ht_links = 0 (no inter-chip links)";
    return false;
  }
  int64_t at = 0;
  for (LayerPlacement &place : out.layers) {
    place.start = at;
    at += place.imas;
  }
  return true;
}

} // namespace rebocc::model
