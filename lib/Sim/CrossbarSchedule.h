//===- CrossbarSchedule.h - arrays, schedule and quantization ---*- C++ -*-===//
//
// Private to lib/Sim. What every crossbar engine shares: which gathered input
// drives which array row in which step, which output each weight column
// produces, which unique weight each cell holds, and the fixed-point
// quantization of weights and inputs (CrossbarEngine.cpp, AnalogEngine.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_LIB_SIM_CROSSBARSCHEDULE_H
#define REBOCC_LIB_SIM_CROSSBARSCHEDULE_H

#include "rebocc/Target/Program/Cells.h"
#include "rebocc/Target/Program/Program.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rebocc::sim {

/// Schedule tables of one array position; every group has the same geometry,
/// so the tables of group 0's arrays serve all groups.
struct ArrayPlan {
  int64_t rows = 0, cols = 0;  // local logical rows, weight columns
  std::vector<int64_t> drive;  // steps x rows: index into the gathered vector
  std::vector<int64_t> output; // steps x cols: output feature, -1 = padding
  // Programmed cells: per row its weight columns, per weight column its rows
  // (everything except mapping C's off-diagonal blocks).
  std::vector<int64_t> rowColLo, rowColHi, colRowLo, colRowHi;
};

struct LayerPlan {
  int64_t rows = 0;     // gathered vector length: logicalRows()
  int64_t steps = 0;    // k/d
  int64_t perGroup = 0; // arrays per group
  std::vector<ArrayPlan> arrays;
};

/// Builds the schedule: in step s (s0 = s*d), logical row (j, t) of copy u
/// (u = 0 unless mapping C) is driven with x_j[(t + s0 + u) mod k]; weight
/// column (i, u) produces output i*k + s0 + u. Columns are ordered (i, u) for
/// A/B/E and (u, i) for C.
LayerPlan planSchedule(const program::CrossbarLayer &L);
/// The plan's sizes (rows, steps, perGroup) without the arrays' tables,
/// which only the cell paths read.
LayerPlan planSizes(const program::CrossbarLayer &L);

using program::quantizeWeight;
using program::weightIndex;

/// quantizeWeight of every unique weight of `L` into `codes` (as doubles);
/// returns the largest |code|. The same codes, vectorized where the CPU
/// allows.
int64_t quantizeWeightCodes(const program::CrossbarLayer &L, int64_t maxW,
                            double *codes);

/// Dynamic scale sx = max|x| / maxX over the `count` values, codes
/// clamp(round(x/sx), +-maxX); an all-zero input stays zero. With
/// `integer` (a layer's own input_bits: the model's activation codes) the
/// values are the codes, sx = 1, and a value that is not an integer of at
/// most maxX in magnitude is an error, never clamped.
bool quantizeInput(const float *x, int64_t count, double maxX,
                   std::vector<int32_t> &out, double &scale,
                   std::string &error, bool integer = false);
/// The same codes as doubles, into `out` (`count` of them).
bool quantizeInput(const float *x, int64_t count, double maxX, double *out,
                   double &scale, std::string &error, bool integer = false);
/// The same codes as int16 (maxX <= INT16_MAX).
bool quantizeInput(const float *x, int64_t count, double maxX, int16_t *out,
                   double &scale, std::string &error, bool integer = false);

/// Rescale and bias of an integer output (the fixed-point engines);
/// `weightScale` is the output's (CrossbarLayer::scaleOfOutput).
inline float finishFixed(float weightScale, double acc, double sx,
                         float bias) {
  return static_cast<float>(acc * weightScale * sx + bias);
}

/// The im2col vector of output position (oy, ox) in (u, v, j, t) order: row
/// ((u*kernelW + v)*q + j)*k + t <- channel j*k + t of the group at the
/// window position (zero in the padding). `groupBase` is the group's first
/// channel of the H x W image.
template <typename X>
void gatherWindow(const program::CrossbarLayer &L, const X *groupBase,
                  int64_t H, int64_t W, int64_t oy, int64_t ox, X *xv) {
  const int64_t HW = H * W, qk = L.q * L.k;
  for (int64_t u = 0; u < L.kernelH; ++u) {
    int64_t iy = oy * L.strideH - L.padTop + u * L.dilationH;
    for (int64_t v = 0; v < L.kernelW; ++v) {
      int64_t ix = ox * L.strideW - L.padLeft + v * L.dilationW;
      X *dst = xv + (u * L.kernelW + v) * qk;
      int64_t c = 0;
      if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
        const X *src = groupBase + iy * W + ix;
        for (; c < L.n; ++c)
          dst[c] = src[c * HW];
      }
      for (; c < qk; ++c)
        dst[c] = 0;
    }
  }
}

} // namespace rebocc::sim

#endif // REBOCC_LIB_SIM_CROSSBARSCHEDULE_H
