//===- Layout.cpp - Crossbar layout of a block-circulant layer ------------===//
//
// The logical matrix has q*k rows ordered (j, t) and p*d weight columns
// ordered (i, u). Arrays tile it row-tile major; rows per array are a multiple
// of k so an input slice (and hence its local rotation) stays in one array.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Target/Program/Layout.h"
#include "rebocc/Support/Circulant.h"

#include <algorithm>

namespace rebocc::program {

using circulant::ceilDiv;

namespace {

/// Checks what planArrays needs and computes the tiling. Returns "" or why
/// the layer cannot be mapped.
std::string tiling(int64_t p, int64_t q, int64_t k, int64_t dup,
                   const sim::HardwareDesc &hw, int64_t &rowsPerArray,
                   int64_t &weightColsPerArray, int64_t &rowTiles,
                   int64_t &colTiles) {
  if (k < 1)
    return "block size k = " + std::to_string(k) + " must be positive";
  if (p < 1 || q < 1)
    return "block counts p = " + std::to_string(p) + ", q = " +
           std::to_string(q) + " must be positive";
  if (dup < 1 || k % dup != 0)
    return "duplication d = " + std::to_string(dup) +
           " must be a positive divisor of k = " + std::to_string(k);
  if (hw.xbarRows < 1 || hw.xbarCols < 1 || hw.cellBits < 1)
    return "hardware geometry must be positive";
  int64_t cpw = hw.cellsPerWeight();
  if (k > hw.xbarRows)
    return "block size k = " + std::to_string(k) + " exceeds the " +
           std::to_string(hw.xbarRows) + " crossbar rows";
  if (cpw > hw.xbarCols)
    return std::to_string(cpw) + " cells per weight exceed the " +
           std::to_string(hw.xbarCols) + " crossbar columns";
  int64_t rows, cols;
  if (__builtin_mul_overflow(q, k, &rows) ||
      __builtin_mul_overflow(p, dup, &cols))
    return "layer size overflows";
  rowsPerArray = hw.xbarRows / k * k;
  weightColsPerArray = hw.xbarCols / cpw;
  rowTiles = ceilDiv(rows, rowsPerArray);
  colTiles = ceilDiv(cols, weightColsPerArray);
  int64_t arrays;
  if (__builtin_mul_overflow(rowTiles, colTiles, &arrays))
    return "array count overflows";
  return "";
}

} // namespace

std::string planArrays(CrossbarLayer &layer, const sim::HardwareDesc &hw) {
  int64_t rpa, wcpa, rowTiles, colTiles;
  std::string error = tiling(layer.p, layer.q, layer.k, layer.dup, hw, rpa,
                             wcpa, rowTiles, colTiles);
  if (!error.empty())
    return error;
  layer.rowsPerArray = rpa;
  layer.weightColsPerArray = wcpa;
  layer.rowTiles = rowTiles;
  layer.colTiles = colTiles;
  int64_t rows = layer.q * layer.k, cols = layer.p * layer.dup;
  layer.arrays.clear();
  layer.arrays.reserve(static_cast<size_t>(rowTiles * colTiles));
  for (int64_t rt = 0; rt < rowTiles; ++rt) {
    for (int64_t ct = 0; ct < colTiles; ++ct) {
      Array a;
      a.rowTile = rt;
      a.colTile = ct;
      a.rowBegin = rt * rpa;
      a.rowCount = std::min(rpa, rows - a.rowBegin);
      a.weightColBegin = ct * wcpa;
      a.weightColCount = std::min(wcpa, cols - a.weightColBegin);
      layer.arrays.push_back(a);
    }
  }
  return "";
}

int64_t countArrays(int64_t p, int64_t q, int64_t k, int64_t dup,
                    const sim::HardwareDesc &hw) {
  int64_t rpa, wcpa, rowTiles, colTiles;
  if (!tiling(p, q, k, dup, hw, rpa, wcpa, rowTiles, colTiles).empty())
    return 0;
  return rowTiles * colTiles;
}

} // namespace rebocc::program
