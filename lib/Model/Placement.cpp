//===- Placement.cpp - where every layer's arrays sit ---------------------===//
//
// The placement rule (placeArrays): every layer owns whole IMAs (its arrays
// share the IMA's ADCs and input register), packed in program order over the
// chips, or over chip loads when the model is reprogrammed
// (docs/CostModel.md, "Placement"). The cost model's view of a program's
// placement (placeLayers) is derived from the positions the program carries,
// never recomputed.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/Placement.h"
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

/// Array `a` of a layer, in IMA `slot` (numbered over the chips: chip slot /
/// imas_per_chip) of chip load `load`; it takes crossbar a mod xbars_per_ima.
program::ArrayPlace placeOne(int64_t slot, int64_t load, int64_t a,
                             const HardwareDesc &hw) {
  const int64_t imasPerChip = hw.tilesPerChip * hw.imasPerTile;
  program::ArrayPlace p;
  p.chip = slot / imasPerChip;
  p.load = load;
  p.tile = slot % imasPerChip / hw.imasPerTile;
  p.ima = slot % hw.imasPerTile;
  p.xbar = a % hw.xbarsPerIma;
  return p;
}

/// Chip loads of consecutive layers while they fit; a layer larger than a
/// chip takes loads of its own and the next layer starts a new one.
void placeInLoads(const std::vector<int64_t> &arrays, const HardwareDesc &hw,
                  std::vector<std::vector<program::ArrayPlace>> &out) {
  const int64_t imasPerChip = hw.tilesPerChip * hw.imasPerTile;
  int64_t load = -1, at = 0;
  for (size_t l = 0; l < arrays.size(); ++l) {
    const int64_t imas = ceilDiv(arrays[l], hw.xbarsPerIma);
    const bool chunked = imas > imasPerChip;
    if (chunked || load < 0 || at + imas > imasPerChip) {
      ++load;
      at = 0;
    }
    for (int64_t a = 0; a < arrays[l]; ++a) {
      int64_t ima = a / hw.xbarsPerIma;
      out[l][a] =
          chunked ? placeOne(ima % imasPerChip, load + ima / imasPerChip, a, hw)
                  : placeOne(at + ima, load, a, hw);
    }
    if (chunked) {
      load += ceilDiv(imas, imasPerChip) - 1;
      at = imasPerChip;
    } else {
      at += imas;
    }
  }
}

/// The IMAs a layer's arrays occupy, as (load, IMA slot) pairs: the slot is
/// global over the chips, so a multi-chip layer's IMAs are distinct.
std::vector<std::pair<int64_t, int64_t>>
occupiedImas(const program::CrossbarLayer &layer, const HardwareDesc &hw) {
  const int64_t imasPerChip = hw.tilesPerChip * hw.imasPerTile;
  std::vector<std::pair<int64_t, int64_t>> imas;
  for (const program::Array &a : layer.arrays)
    imas.push_back({a.place.load, a.place.chip * imasPerChip +
                                      a.place.tile * hw.imasPerTile +
                                      a.place.ima});
  std::sort(imas.begin(), imas.end());
  imas.erase(std::unique(imas.begin(), imas.end()), imas.end());
  return imas;
}

/// The figures of every chip load: each layer's arrays and cells, and a
/// layer cut over several loads shares them out evenly, filling each load's
/// IMAs (docs/CostModel.md, "Reprogramming").
void sumLoads(const program::Program &P, const RunReport &counts, int64_t loads,
              const HardwareDesc &hw, Placement &out) {
  const int64_t imasPerChip = hw.tilesPerChip * hw.imasPerTile;
  out.loads.assign(loads, ChipLoad());
  for (size_t l = 0; l < P.layers.size(); ++l) {
    const CrossbarLayer &layer = P.layers[l];
    const LayerPlacement &place = out.layers[l];
    int64_t rows = 0;
    for (const program::Array &a : layer.arrays)
      rows = std::max(rows, a.rowCount);
    // A differential pair writes two arrays per placed crossbar.
    const int64_t pair = arraysPerCrossbar(hw);
    int64_t arrays = static_cast<int64_t>(layer.arrays.size()) * pair;
    int64_t cells = counts.layers[l].occupiedCells * pair;
    if (arrays == 0)
      continue;
    for (int64_t k = 0; k < place.chunks; ++k) {
      ChipLoad &load = out.loads[place.load + k];
      bool cut = place.chunks > 1;
      load.imas += cut ? imasPerChip : place.imas;
      load.arrays += cut ? ceilDiv(arrays, place.chunks) : arrays;
      load.cells += cut ? cells / place.chunks : cells;
      load.maxRows = std::max(load.maxRows, rows);
    }
  }
}

} // namespace

std::string linkProblem(int64_t chips, bool reprogram, const HardwareDesc &hw) {
  if (hw.htLinks > 0)
    return "";
  if (reprogram)
    return "reprogramming needs ht_links > 0 to bring the weights on chip";
  if (chips > 1)
    return "the model needs " + std::to_string(chips) +
           " chips but ht_links = 0 (no inter-chip links)";
  return "";
}

std::string placeArrays(const std::vector<int64_t> &arrays,
                        const HardwareDesc &hw, OverflowPolicy policy,
                        std::vector<std::vector<program::ArrayPlace>> &out) {
  const int64_t imasPerChip = hw.tilesPerChip * hw.imasPerTile;
  out.assign(arrays.size(), {});
  int64_t imasNeeded = 0;
  for (size_t l = 0; l < arrays.size(); ++l) {
    out[l].resize(arrays[l]);
    imasNeeded += ceilDiv(arrays[l], hw.xbarsPerIma);
  }
  const bool reprogram =
      imasNeeded > imasPerChip && policy == OverflowPolicy::Reprogram;
  if (reprogram) {
    placeInLoads(arrays, hw, out);
    return linkProblem(1, true, hw);
  }
  int64_t at = 0;
  for (size_t l = 0; l < arrays.size(); ++l) {
    for (int64_t a = 0; a < arrays[l]; ++a)
      out[l][a] = placeOne(at + a / hw.xbarsPerIma, 0, a, hw);
    at += ceilDiv(arrays[l], hw.xbarsPerIma);
  }
  return linkProblem(std::max<int64_t>(1, ceilDiv(imasNeeded, imasPerChip)),
                     false, hw);
}

std::string placeProgram(program::Program &P, const HardwareDesc &hw,
                         OverflowPolicy policy) {
  std::vector<int64_t> arrays;
  for (const CrossbarLayer &layer : P.layers)
    arrays.push_back(static_cast<int64_t>(layer.arrays.size()));
  std::vector<std::vector<program::ArrayPlace>> places;
  std::string error = placeArrays(arrays, hw, policy, places);
  for (size_t l = 0; l < P.layers.size(); ++l)
    for (size_t a = 0; a < places[l].size(); ++a)
      P.layers[l].arrays[a].place = places[l][a];
  P.overflow = policy;
  return error;
}

bool placeLayers(const program::Program &P, const RunReport &counts,
                 const HardwareDesc &hw, const CostOptions &options,
                 Placement &out, std::string &error) {
  out = Placement();
  if (options.overflow != P.overflow) {
    error = std::string("the program is placed for overflow=") +
            overflowPolicyName(P.overflow) + ", not " +
            overflowPolicyName(options.overflow) +
            " (recompile it with --overflow=" +
            overflowPolicyName(options.overflow) + ")";
    return false;
  }
  error = program::verifyPlacement(P, hw);
  if (!error.empty())
    return false;
  const int64_t imasPerChip = hw.tilesPerChip * hw.imasPerTile;
  int64_t loads = 1, chips = 1;
  out.layers.resize(P.layers.size());
  for (size_t l = 0; l < P.layers.size(); ++l) {
    LayerPlacement &place = out.layers[l];
    std::vector<std::pair<int64_t, int64_t>> imas =
        occupiedImas(P.layers[l], hw);
    place.imas = static_cast<int64_t>(imas.size());
    if (!imas.empty()) {
      // Sorted by load, then slot: the first is where the layer starts.
      place.load = imas.front().first;
      place.start = imas.front().second;
      place.chunks = imas.back().first - place.load + 1;
      loads = std::max(loads, imas.back().first + 1);
      chips = std::max(chips, imas.back().second / imasPerChip + 1);
    }
    out.crossbarsNeeded += static_cast<int64_t>(P.layers[l].arrays.size());
    out.imasNeeded += place.imas;
  }
  out.fits = out.imasNeeded <= imasPerChip;
  // Reprogrammed: placed in several chip loads (the rule does that exactly
  // when the model does not fit one chip).
  out.reprogram = P.overflow == OverflowPolicy::Reprogram && loads > 1;
  out.chips = out.reprogram ? 1 : chips;
  error = linkProblem(out.chips, out.reprogram, hw);
  if (!error.empty())
    return false;
  if (out.reprogram)
    sumLoads(P, counts, loads, hw, out);
  return true;
}

} // namespace rebocc::model
