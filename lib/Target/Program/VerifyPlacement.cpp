//===- VerifyPlacement.cpp - where a program's arrays sit -----------------===//
//
// verifyPlacement(): the rules docs/ProgramFormat.md ("Placement") gives for
// the chip/load/tile/IMA/crossbar of every array. The cost model derives
// each layer's IMAs, chips and chip loads from these positions
// (model::placeLayers), so it relies on every rule checked here.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Target/Program/Program.h"

#include <algorithm>
#include <tuple>

namespace rebocc::program {

namespace {

std::string str(int64_t v) { return std::to_string(v); }

/// One placed array, for sorting by position.
struct Slot {
  ArrayPlace place;
  size_t layer, array;

  auto ima() const {
    return std::make_tuple(place.load, place.chip, place.tile, place.ima);
  }
  auto xbar() const {
    return std::tuple_cat(ima(), std::make_tuple(place.xbar));
  }
};

std::string arrayName(const Program &P, size_t l, size_t a) {
  return "layer " + str(static_cast<int64_t>(l)) + " '" + P.layers[l].name +
         "' array " + str(static_cast<int64_t>(a));
}

std::string imaPosition(const ArrayPlace &p) {
  return "chip " + str(p.chip) + " load " + str(p.load) + " tile " +
         str(p.tile) + " ima " + str(p.ima);
}

std::string position(const ArrayPlace &p) {
  return imaPosition(p) + " xbar " + str(p.xbar);
}

/// The bounds of one array's place; "" when it is within them.
std::string checkBounds(const Program &P, const model::HardwareDesc &hw,
                        const ArrayPlace &p) {
  if (!p.placed())
    return "is not placed (the compiler's crossbar-place-arrays pass places "
           "every array)";
  if (p.tile >= hw.tilesPerChip || p.ima >= hw.imasPerTile ||
      p.xbar >= hw.xbarsPerIma)
    return position(p) +
           " is outside the chip (tiles_per_chip = " + str(hw.tilesPerChip) +
           ", imas_per_tile = " + str(hw.imasPerTile) +
           ", xbars_per_ima = " + str(hw.xbarsPerIma) + ")";
  if (P.overflow == model::OverflowPolicy::MultiChip && p.load != 0)
    return position(p) + ": a program placed for overflow=chips has one "
                         "load (0)";
  if (P.overflow == model::OverflowPolicy::Reprogram && p.chip != 0)
    return position(p) + ": a program placed for overflow=reprogram runs on "
                         "one chip (0)";
  return "";
}

/// True when `sorted` runs 0, 1, 2, ... (with repeats), skipping none.
bool dense(const std::vector<int64_t> &sorted) {
  int64_t next = 0;
  for (int64_t v : sorted) {
    if (v > next)
      return false;
    if (v == next)
      ++next;
  }
  return true;
}

} // namespace

std::string verifyPlacement(const Program &P) {
  return verifyPlacement(P, P.hw);
}

std::string verifyPlacement(const Program &P, const model::HardwareDesc &hw) {
  std::vector<Slot> slots;
  for (size_t l = 0; l < P.layers.size(); ++l)
    for (size_t a = 0; a < P.layers[l].arrays.size(); ++a) {
      const ArrayPlace &p = P.layers[l].arrays[a].place;
      std::string e = checkBounds(P, hw, p);
      if (!e.empty())
        return arrayName(P, l, a) + ": " + e;
      slots.push_back({p, l, a});
    }
  std::sort(slots.begin(), slots.end(), [](const Slot &x, const Slot &y) {
    return std::make_tuple(x.xbar(), x.layer, x.array) <
           std::make_tuple(y.xbar(), y.layer, y.array);
  });
  for (size_t i = 1; i < slots.size(); ++i) {
    const Slot &x = slots[i - 1], &y = slots[i];
    std::string both = arrayName(P, x.layer, x.array) + " and " +
                       arrayName(P, y.layer, y.array);
    if (x.xbar() == y.xbar())
      return both + " sit on the same crossbar (" + position(y.place) + ")";
    if (x.ima() == y.ima() && x.layer != y.layer)
      return both + " share an IMA (" + imaPosition(y.place) +
             "): each layer owns whole IMAs";
  }
  std::vector<int64_t> loads, chips;
  for (const Slot &s : slots) {
    loads.push_back(s.place.load);
    chips.push_back(s.place.chip);
  }
  std::sort(loads.begin(), loads.end());
  std::sort(chips.begin(), chips.end());
  if (!dense(loads))
    return "chip loads must be numbered 0, 1, 2, ... with none empty";
  if (!dense(chips))
    return "chips must be numbered 0, 1, 2, ... with none empty";
  return "";
}

} // namespace rebocc::program
