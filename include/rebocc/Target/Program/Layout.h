//===- Layout.h - Crossbar layout of a block-circulant layer ----*- C++ -*-===//
//
// Shared by the compiler (mapping passes, conversion) and the interpreter, so
// both agree on how a layer is cut into arrays. No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_TARGET_PROGRAM_LAYOUT_H
#define REBOCC_TARGET_PROGRAM_LAYOUT_H

#include "rebocc/Target/Program/Program.h"

namespace rebocc::program {

/// The tiling planArrays produces for one layer. Every group has the same
/// geometry; arrays are group major, then row-tile major.
struct LayerGeometry {
  int64_t rows = 0; // logical rows of one group: logicalRows(), d times for C
  int64_t cols = 0; // weight columns of one group: p*d
  int64_t rowsPerArray = 0, weightColsPerArray = 0;
  int64_t rowTiles = 0, colTiles = 0;
  int64_t arraysPerGroup = 0; // rowTiles * colTiles
  int64_t arrays = 0;         // groups * arraysPerGroup
};

/// Computes the geometry of `layer` (from kind, groups, kernelH/W, p, q, k,
/// dup, mapping) on `hw`:
///   rowsPerArray = floor(xbarRows / k) * k   (a k-slice never straddles)
///   weightColsPerArray = floor(xbarCols / cellsPerWeight)
///   rowTiles = ceil(rows / rowsPerArray), colTiles = ceil(cols / wcpa)
/// Returns an error message when the layer cannot be mapped (k > xbarRows,
/// cellsPerWeight > xbarCols, d not dividing k, non-positive sizes, a fully
/// connected layer with groups != 1 or a kernel other than 1x1, mapping C(d)
/// whose copies do not fit one array, overflow), else "".
std::string planGeometry(const CrossbarLayer &layer,
                         const model::HardwareDesc &hw, LayerGeometry &geometry);

/// Array number `index` (< geometry.arrays) of a layer with `geometry`.
Array plannedArray(const LayerGeometry &geometry, int64_t index);

/// Fills rowsPerArray, weightColsPerArray, rowTiles, colTiles and arrays of
/// `layer` per planGeometry: arrays are group major (each with its `group`),
/// then row-tile major. Mapping C(d) places one group's d block-diagonal
/// copies in a single array. Returns planGeometry's error, else "".
std::string planArrays(CrossbarLayer &layer, const model::HardwareDesc &hw);

/// Number of arrays planArrays would produce for a fully connected layer
/// mapped with A/B/E (p, q, k, d), without building them; 0 when the layer
/// cannot be mapped.
int64_t countArrays(int64_t p, int64_t q, int64_t k, int64_t dup,
                    const model::HardwareDesc &hw);

/// Number of arrays planArrays would produce for `layer` (any kind, groups,
/// mapping, including C), without building them; 0 when unmappable.
int64_t countLayerArrays(const CrossbarLayer &layer,
                         const model::HardwareDesc &hw);

/// Number of arrays of `layer` before any duplication: mapping A with d = 1
/// (its kind, groups, kernel, p, q, k; the dense baseline E counts as
/// duplicated, d = k). 0 when unmappable.
int64_t countUnduplicatedArrays(const CrossbarLayer &layer,
                                const model::HardwareDesc &hw);

/// True when mapping C(d) is possible for `layer` (its p, q, k, kernel):
/// d divides k and one group's d copies fit one array,
/// d * logicalRows() <= xbarRows and d * p * cellsPerWeight <= xbarCols.
bool fitsMappingC(const CrossbarLayer &layer, int64_t d,
                  const model::HardwareDesc &hw);

/// Logical rows of `array` that carry real inputs: rows whose channel/feature
/// index j*k + t (the row number modulo q*k) is below n. Padding rows beyond
/// n are never driven with data.
int64_t realRows(const CrossbarLayer &layer, const Array &array);

} // namespace rebocc::program

#endif // REBOCC_TARGET_PROGRAM_LAYOUT_H
