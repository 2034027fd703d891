//===- ExactGemm.h - the lossless crossbar product as a GEMM ----*- C++ -*-===//
//
// Private to lib/Sim. Where the bit-sliced arrays provably compute the exact
// integer product (isLossless), that product is a matrix product of integer
// codes. In double precision every such product and partial sum is exact
// while |D| * |x| summed over a row stays within 2^53, whatever the order of
// the additions, so a BLAS dgemm (OpenBLAS) gives the same integers as the
// cells, bit for bit, and at any blocking or thread count.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_LIB_SIM_EXACTGEMM_H
#define REBOCC_LIB_SIM_EXACTGEMM_H

#include "CrossbarSchedule.h"
#include "TaskRunner.h"
#include "rebocc/Model/Hardware.h"
#include "rebocc/Support/Tensor.h"

#include <cstdint>
#include <string>

namespace rebocc::sim {

/// True when every partial sum of `rows` products of weight codes up to
/// `maxWeight` and input codes up to `maxInput` (in magnitude) is an integer
/// double holds exactly: rows * maxWeight * maxInput <= 2^53.
bool fitsDoubleGemm(int64_t rows, int64_t maxWeight, int64_t maxInput);

/// Runs lossless layer `L` (schedule `S`) on `x` into `y` (sized) as double
/// GEMMs over im2col tiles, the tiles spread over `tasks`. `ran` is false
/// (and nothing is run) when the layer does not qualify (fitsDoubleGemm, or
/// its double matrix would be too large): the caller then uses the integer
/// direct product. Returns false with `error` when an input is refused.
bool runExactGemm(const program::CrossbarLayer &L,
                  const model::HardwareDesc &hw, const LayerPlan &S,
                  const support::Tensor &x, support::Tensor &y,
                  TaskRunner &tasks, bool &ran, std::string &error);

} // namespace rebocc::sim

#endif // REBOCC_LIB_SIM_EXACTGEMM_H
