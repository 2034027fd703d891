//===- Cells.cpp - which quantized weight each crossbar cell holds --------===//
//
// REBOC.md describes the rotation layout; docs/Design.md the quantization.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Target/Program/Cells.h"

#include <algorithm>
#include <cmath>

namespace rebocc::program {

int64_t weightIndex(const CrossbarLayer &L, const Array &a, int64_t r,
                    int64_t c) {
  int64_t R = L.logicalRows(), blocks = R / L.k;
  int64_t row = a.rowBegin + r, gc = a.weightColBegin + c, i, u;
  if (L.mapping == Mapping::C) {
    if (gc / L.p != row / R)
      return -1;
    i = gc % L.p;
    u = 0;
    row %= R;
  } else {
    i = gc / L.dup;
    u = gc % L.dup;
  }
  int64_t J = row / L.k, t = row % L.k;
  return ((a.group * L.p + i) * blocks + J) * L.k + ((t - u) % L.k + L.k) % L.k;
}

} // namespace rebocc::program
