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

/// Fills rowsPerArray, weightColsPerArray, rowTiles, colTiles and arrays of
/// `layer` from its p, q, k, dup and the hardware geometry:
///   rowsPerArray = floor(xbarRows / k) * k   (a k-slice never straddles)
///   weightColsPerArray = floor(xbarCols / cellsPerWeight)
/// Returns an error message when the layer cannot be mapped (k > xbarRows,
/// cellsPerWeight > xbarCols, d not dividing k), else "".
std::string planArrays(CrossbarLayer &layer, const sim::HardwareDesc &hw);

/// Number of arrays planArrays would produce, without building them; 0 when
/// the layer cannot be mapped.
int64_t countArrays(int64_t p, int64_t q, int64_t k, int64_t dup,
                    const sim::HardwareDesc &hw);

} // namespace rebocc::program

#endif // REBOCC_TARGET_PROGRAM_LAYOUT_H
