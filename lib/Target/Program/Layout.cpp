//===- Layout.cpp - Crossbar layout of a block-circulant layer ------------===//
//
// One group's logical matrix has kernelH*kernelW*q*k rows ordered (u, v, j, t)
// and p*d weight columns ordered (i, u) (mapping C(d): d times the rows and
// p*d columns ordered (copy, i), block diagonal). Arrays tile it row-tile
// major; rows per array are a multiple of k so an input slice (and hence its
// local rotation) stays in one array. Groups are laid out one after another
// with identical geometry.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Target/Program/Layout.h"
#include "rebocc/Support/Shapes.h"

#include <algorithm>

namespace rebocc::program {

using support::ceilDiv;

namespace {

std::string str(int64_t v) { return std::to_string(v); }

/// Checks k, d and the hardware; shared by planGeometry and fitsMappingC.
std::string checkBasics(const CrossbarLayer &L, int64_t dup,
                        const model::HardwareDesc &hw) {
  if (L.k < 1)
    return "block size k = " + str(L.k) + " must be positive";
  if (L.p < 1 || L.q < 1)
    return "block counts p = " + str(L.p) + ", q = " + str(L.q) +
           " must be positive";
  if (dup < 1 || L.k % dup != 0)
    return "duplication d = " + str(dup) +
           " must be a positive divisor of k = " + str(L.k);
  if (L.groups < 1)
    return "groups = " + str(L.groups) + " must be positive";
  if (L.kernelH < 1 || L.kernelW < 1)
    return "kernel " + str(L.kernelH) + "x" + str(L.kernelW) +
           " must be positive";
  if (L.kind == LayerKind::FullyConnected &&
      (L.groups != 1 || L.kernelH != 1 || L.kernelW != 1))
    return "a fully connected layer has one group and a 1x1 kernel";
  if (hw.xbarRows < 1 || hw.xbarCols < 1 || hw.cellBits < 1)
    return "hardware geometry must be positive";
  if (L.k > hw.xbarRows)
    return "block size k = " + str(L.k) + " exceeds the " + str(hw.xbarRows) +
           " crossbar rows";
  if (hw.cellsPerWeight() > hw.xbarCols)
    return str(hw.cellsPerWeight()) + " cells per weight exceed the " +
           str(hw.xbarCols) + " crossbar columns";
  return "";
}

/// Logical rows of one group (before C copies); -1 on overflow.
int64_t groupRows(const CrossbarLayer &L) {
  int64_t kk, rows;
  if (__builtin_mul_overflow(L.kernelH, L.kernelW, &kk) ||
      __builtin_mul_overflow(kk, L.q, &rows) ||
      __builtin_mul_overflow(rows, L.k, &rows))
    return -1;
  return rows;
}

} // namespace

std::string planGeometry(const CrossbarLayer &L, const model::HardwareDesc &hw,
                         LayerGeometry &G) {
  G = LayerGeometry();
  std::string error = checkBasics(L, L.dup, hw);
  if (!error.empty())
    return error;
  int64_t cpw = layerCellsPerWeight(L, hw);
  int64_t rows = groupRows(L), cols;
  if (rows < 0 || __builtin_mul_overflow(L.p, L.dup, &cols))
    return "layer size overflows";
  if (L.mapping == Mapping::C) {
    int64_t cRows, cCells;
    if (__builtin_mul_overflow(rows, L.dup, &cRows) ||
        __builtin_mul_overflow(cols, cpw, &cCells) || cRows > hw.xbarRows ||
        cCells > hw.xbarCols)
      return "mapping C(" + str(L.dup) + ") needs one group's " + str(L.dup) +
             " block-diagonal copies in one array: d*rows = " + str(L.dup) +
             "*" + str(rows) + " <= xbar_rows = " + str(hw.xbarRows) +
             " and d*p*cells_per_weight = " + str(L.dup) + "*" + str(L.p) +
             "*" + str(cpw) + " <= xbar_cols = " + str(hw.xbarCols);
    rows = cRows;
  }
  G.rows = rows;
  G.cols = cols;
  G.rowsPerArray = hw.xbarRows / L.k * L.k;
  G.weightColsPerArray = hw.xbarCols / cpw;
  G.rowTiles = ceilDiv(rows, G.rowsPerArray);
  G.colTiles = ceilDiv(cols, G.weightColsPerArray);
  if (__builtin_mul_overflow(G.rowTiles, G.colTiles, &G.arraysPerGroup) ||
      __builtin_mul_overflow(G.arraysPerGroup, L.groups, &G.arrays))
    return "array count overflows";
  return "";
}

Array plannedArray(const LayerGeometry &G, int64_t index) {
  Array a;
  a.group = index / G.arraysPerGroup;
  int64_t local = index % G.arraysPerGroup;
  a.rowTile = local / G.colTiles;
  a.colTile = local % G.colTiles;
  a.rowBegin = a.rowTile * G.rowsPerArray;
  a.rowCount = std::min(G.rowsPerArray, G.rows - a.rowBegin);
  a.weightColBegin = a.colTile * G.weightColsPerArray;
  a.weightColCount = std::min(G.weightColsPerArray, G.cols - a.weightColBegin);
  return a;
}

std::string planArrays(CrossbarLayer &layer, const model::HardwareDesc &hw) {
  LayerGeometry G;
  std::string error = planGeometry(layer, hw, G);
  if (!error.empty())
    return error;
  layer.rowsPerArray = G.rowsPerArray;
  layer.weightColsPerArray = G.weightColsPerArray;
  layer.rowTiles = G.rowTiles;
  layer.colTiles = G.colTiles;
  layer.arrays.clear();
  layer.arrays.reserve(static_cast<size_t>(G.arrays));
  for (int64_t a = 0; a < G.arrays; ++a)
    layer.arrays.push_back(plannedArray(G, a));
  return "";
}

int64_t countLayerArrays(const CrossbarLayer &layer,
                         const model::HardwareDesc &hw) {
  LayerGeometry G;
  if (!planGeometry(layer, hw, G).empty())
    return 0;
  return G.arrays;
}

int64_t countArrays(int64_t p, int64_t q, int64_t k, int64_t dup,
                    const model::HardwareDesc &hw) {
  CrossbarLayer L;
  L.p = p;
  L.q = q;
  L.k = k;
  L.dup = dup;
  L.mapping = Mapping::B; // A, B and E share the tiling
  return countLayerArrays(L, hw);
}

/// The geometry of `layer` (no weights) mapped as `mapping` with `dup`
/// copies per block-row.
static CrossbarLayer remapped(const CrossbarLayer &layer, Mapping mapping,
                              int64_t dup) {
  CrossbarLayer L;
  L.kind = layer.kind;
  L.groups = layer.groups;
  L.kernelH = layer.kernelH;
  L.kernelW = layer.kernelW;
  L.p = layer.p;
  L.q = layer.q;
  L.k = layer.k;
  L.dup = dup;
  L.mapping = mapping;
  return L;
}

int64_t countUnduplicatedArrays(const CrossbarLayer &layer,
                                const model::HardwareDesc &hw) {
  return countLayerArrays(remapped(layer, Mapping::A, 1), hw);
}

bool fitsMappingC(const CrossbarLayer &layer, int64_t d,
                  const model::HardwareDesc &hw) {
  LayerGeometry G;
  return planGeometry(remapped(layer, Mapping::C, d), hw, G).empty();
}

int64_t realRows(const CrossbarLayer &layer, const Array &array) {
  int64_t qk = layer.q * layer.k;
  if (qk <= 0)
    return 0;
  int64_t n = std::min(layer.n, qk);
  // Rows r < end with r mod qk < n.
  auto below = [&](int64_t end) {
    return end / qk * n + std::min(end % qk, n);
  };
  return below(array.rowBegin + array.rowCount) - below(array.rowBegin);
}

} // namespace rebocc::program
