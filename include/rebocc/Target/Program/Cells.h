//===- Cells.h - which quantized weight each crossbar cell holds -*- C++ -*-===//
//
// Shared by the simulator's engines and by everything that reasons about the
// programmed cells without running them (the ADC resolution a layer needs).
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_TARGET_PROGRAM_CELLS_H
#define REBOCC_TARGET_PROGRAM_CELLS_H

#include "rebocc/Target/Program/Program.h"

#include <algorithm>
#include <cstdint>

namespace rebocc::program {

/// Index into the defining vectors of the cell at local row r, weight column
/// c of array a: column (i, u), row (J, t) (J = (u_k*kernelW + v_k)*q + j)
/// holds w_ij[(t - u) mod k] of the array's group. Mapping C: copy u holds the
/// A layout in its own rows and columns; -1 for its off-diagonal cells (not
/// programmed, conductance 0).
int64_t weightIndex(const CrossbarLayer &L, const Array &a, int64_t r,
                    int64_t c);

/// std::round (half away from zero) of |v| < 2^52 without the libm call:
/// baseline x86-64 has no rounding instruction, and the quantizers round
/// every weight and input. v - t is exact, t being v's integer part.
inline double roundHalfAway(double v) {
  const double t = static_cast<double>(static_cast<int64_t>(v));
  const double f = v - t;
  return f >= 0.5 ? t + 1 : f <= -0.5 ? t - 1 : t;
}

/// Fixed-point weight code of unique weight `w`: clamp(round(w/s), +-maxW).
/// Inline: the simulator quantizes every weight of every layer per run.
inline int64_t quantizeWeight(const CrossbarLayer &L, size_t w, int64_t maxW) {
  const double limit = static_cast<double>(maxW);
  // Clamped before rounding (the same, maxW being an integer): the
  // quotient then fits roundHalfAway whatever the scale.
  const double v = static_cast<double>(L.weights[w]) / L.scaleOfWeight(w);
  return static_cast<int64_t>(
      roundHalfAway(std::min(limit, std::max(-limit, v))));
}

} // namespace rebocc::program

#endif // REBOCC_TARGET_PROGRAM_CELLS_H
