//===- CrossbarEngine.cpp - Execution of crossbar layers ------------------===//
//
// Executes crossbar layers the way the arrays would: each array is
// "programmed" once per layer execution with its cells (bias-encoded,
// bit-sliced weights in fixed-point mode), inputs are rotated per step as
// REBOC.md describes, columns are shift-and-added over bit slices and partial
// sums reduced over row tiles. The result shape comes from
// model::crossbarOutputShape (rebocc/Model/CountProgram.h).
//
//===----------------------------------------------------------------------===//

#include "CrossbarEngine.h"
#include "SimSupport.h"
#include "rebocc/Model/CountProgram.h"
#include "rebocc/Target/Program/Layout.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace rebocc::sim {

using namespace program;

namespace {

//===----------------------------------------------------------------------===//
// Crossbar layers
//===----------------------------------------------------------------------===//

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
LayerPlan planSchedule(const CrossbarLayer &L) {
  LayerPlan S;
  S.rows = L.logicalRows();
  S.steps = L.k / L.dup;
  S.perGroup = static_cast<int64_t>(L.arrays.size()) / L.groups;
  const bool C = L.mapping == Mapping::C;
  for (int64_t ai = 0; ai < S.perGroup; ++ai) {
    const Array &a = L.arrays[ai];
    ArrayPlan A;
    A.rows = a.rowCount;
    A.cols = a.weightColCount;
    A.drive.resize(S.steps * A.rows);
    A.output.resize(S.steps * A.cols);
    for (int64_t s = 0; s < S.steps; ++s) {
      int64_t s0 = s * L.dup;
      for (int64_t r = 0; r < A.rows; ++r) {
        int64_t row = a.rowBegin + r;
        int64_t u = C ? row / S.rows : 0, rr = C ? row % S.rows : row;
        A.drive[s * A.rows + r] = rr / L.k * L.k + (rr % L.k + s0 + u) % L.k;
      }
      for (int64_t c = 0; c < A.cols; ++c) {
        int64_t gc = a.weightColBegin + c;
        int64_t i = C ? gc % L.p : gc / L.dup, u = C ? gc / L.p : gc % L.dup;
        int64_t o = i * L.k + s0 + u;
        A.output[s * A.cols + c] = o < L.m ? o : -1;
      }
    }
    auto clamp = [](int64_t v, int64_t hi) {
      return std::max<int64_t>(0, std::min(v, hi));
    };
    for (int64_t r = 0; r < A.rows; ++r) {
      int64_t u = C ? (a.rowBegin + r) / S.rows : 0;
      A.rowColLo.push_back(C ? clamp(u * L.p - a.weightColBegin, A.cols) : 0);
      A.rowColHi.push_back(C ? clamp((u + 1) * L.p - a.weightColBegin, A.cols)
                             : A.cols);
    }
    for (int64_t c = 0; c < A.cols; ++c) {
      int64_t u = C ? (a.weightColBegin + c) / L.p : 0;
      A.colRowLo.push_back(C ? clamp(u * S.rows - a.rowBegin, A.rows) : 0);
      A.colRowHi.push_back(C ? clamp((u + 1) * S.rows - a.rowBegin, A.rows)
                             : A.rows);
    }
    S.arrays.push_back(std::move(A));
  }
  return S;
}

/// Index into the defining vectors of the cell at local row r, weight column
/// c of array a: column (i, u), row (J, t) (J = (u_k*kernelW + v_k)*q + j)
/// holds w_ij[(t - u) mod k] of the array's group. Mapping C: copy u holds the
/// A layout in its own rows and columns; -1 for its off-diagonal cells (not
/// programmed, conductance 0).
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

/// Float reference: same arrays and schedule, one float "cell" per weight.
class FloatEngine {
public:
  using X = float;
  using Acc = double;

  FloatEngine(const CrossbarLayer &L, const LayerPlan &S) : S(S) {
    cells.resize(L.arrays.size());
    for (size_t ai = 0; ai < L.arrays.size(); ++ai) {
      const Array &a = L.arrays[ai];
      std::vector<float> &m = cells[ai];
      m.assign(a.rowCount * a.weightColCount, 0.0f);
      for (int64_t r = 0; r < a.rowCount; ++r)
        for (int64_t c = 0; c < a.weightColCount; ++c) {
          int64_t w = weightIndex(L, a, r, c);
          if (w >= 0)
            m[r * a.weightColCount + c] = L.weights[w];
        }
    }
  }

  bool quantize(const float *x, int64_t count, std::vector<X> &out,
                double &scale, std::string &) {
    out.assign(x, x + count);
    scale = 1.0;
    return true;
  }

  /// acc[o] += the layer's group-g matrix times gathered vector `xv`.
  bool mvm(int64_t g, const X *xv, Acc *acc, std::string &) {
    for (int64_t s = 0; s < S.steps; ++s)
      for (int64_t ai = 0; ai < S.perGroup; ++ai) {
        const ArrayPlan &A = S.arrays[ai];
        const float *m = cells[g * S.perGroup + ai].data();
        const int64_t *drive = &A.drive[s * A.rows];
        colAcc.assign(A.cols, 0.0);
        for (int64_t r = 0; r < A.rows; ++r) {
          double xr = xv[drive[r]];
          if (xr == 0)
            continue;
          const float *row = m + r * A.cols;
          for (int64_t c = A.rowColLo[r], e = A.rowColHi[r]; c < e; ++c)
            colAcc[c] += static_cast<double>(row[c]) * xr;
        }
        const int64_t *out = &A.output[s * A.cols];
        for (int64_t c = 0; c < A.cols; ++c)
          if (out[c] >= 0)
            acc[out[c]] += colAcc[c]; // reduction over row tiles
      }
    return true;
  }

  float finish(Acc acc, double, float bias) const {
    return static_cast<float>(acc + bias);
  }

private:
  const LayerPlan &S;
  std::vector<std::vector<float>> cells; // per array, row-major rows x cols
  std::vector<double> colAcc;
};

/// Fixed-point weight code of unique weight `w`: clamp(round(w/s), +-maxW).
int64_t quantizeWeight(const CrossbarLayer &L, size_t w, int64_t maxW) {
  const double limit = static_cast<double>(maxW);
  double q = std::round(static_cast<double>(L.weights[w]) / L.weightScale);
  return static_cast<int64_t>(std::min(limit, std::max(-limit, q)));
}

/// Dynamic scale sx = max|x| / (2^(ib-1) - 1) over the `count` values;
/// an all-zero input stays zero.
bool quantizeInput(const float *x, int64_t count, double maxX,
                   std::vector<int32_t> &out, double &scale,
                   std::string &error) {
  double maxAbs = 0;
  for (int64_t e = 0; e < count; ++e) {
    if (!std::isfinite(x[e])) {
      error =
          "input element " + str(e) + " is not finite (fixed-point arithmetic)";
      return false;
    }
    maxAbs = std::max(maxAbs, std::fabs(static_cast<double>(x[e])));
  }
  scale = maxAbs / maxX;
  out.resize(count);
  for (int64_t e = 0; e < count; ++e)
    out[e] = maxAbs > 0 ? static_cast<int32_t>(std::min(
                              maxX, std::max(-maxX, std::round(x[e] / scale))))
                        : 0;
  return true;
}

/// Rescale and bias of an integer output (both fixed-point engines).
float finishFixed(const CrossbarLayer &L, int64_t acc, double sx, float bias) {
  return static_cast<float>(static_cast<double>(acc) * L.weightScale * sx +
                            bias);
}

/// Fixed point: bias-encoded weights bit-sliced into cells of cellBits,
/// inputs quantized with one dynamic scale per input vector (FC) or per
/// image (convolution), integer column sums, shift-and-add.
template <typename CellT> class FixedEngine {
public:
  using X = int32_t;
  using Acc = int64_t;

  FixedEngine(const CrossbarLayer &L, const HardwareDesc &hw,
              const LayerPlan &S)
      : L(L), S(S), cpw(hw.cellsPerWeight()), cellBits(hw.cellBits),
        offset(int64_t(1) << (hw.weightBits - 1)),
        maxX(static_cast<double>((int64_t(1) << (hw.inputBits - 1)) - 1)) {
    const uint32_t mask = (uint32_t(1) << cellBits) - 1;
    // Quantize each unique weight once: u = clamp(round(w/s)) + 2^(wb-1).
    std::vector<uint32_t> encoded(L.weights.size());
    for (size_t w = 0; w < L.weights.size(); ++w)
      encoded[w] =
          static_cast<uint32_t>(quantizeWeight(L, w, offset - 1) + offset);
    // Programming: physical column c*cpw + b of an array holds bit slice b
    // (LSB first) of weight column c; stored row-major. Unprogrammed cells
    // (mapping C off-diagonal) stay 0.
    cells.resize(L.arrays.size());
    for (size_t ai = 0; ai < L.arrays.size(); ++ai) {
      const Array &a = L.arrays[ai];
      const int64_t pc = a.weightColCount * cpw;
      std::vector<CellT> &m = cells[ai];
      m.assign(a.rowCount * pc, CellT(0));
      for (int64_t r = 0; r < a.rowCount; ++r)
        for (int64_t c = 0; c < a.weightColCount; ++c) {
          int64_t w = weightIndex(L, a, r, c);
          if (w < 0)
            continue;
          uint32_t u = encoded[w];
          for (int64_t b = 0; b < cpw; ++b)
            m[r * pc + c * cpw + b] =
                static_cast<CellT>((u >> (b * cellBits)) & mask);
        }
    }
  }

  bool quantize(const float *x, int64_t count, std::vector<X> &out,
                double &scale, std::string &error) {
    return quantizeInput(x, count, maxX, out, scale, error);
  }

  bool mvm(int64_t g, const X *xv, Acc *acc, std::string &error) {
    for (int64_t s = 0; s < S.steps; ++s)
      for (int64_t ai = 0; ai < S.perGroup; ++ai) {
        const ArrayPlan &A = S.arrays[ai];
        const CellT *m = cells[g * S.perGroup + ai].data();
        const int64_t *drive = &A.drive[s * A.rows];
        const int64_t pc = A.cols * cpw;
        prefix.resize(A.rows + 1);
        prefix[0] = 0;
        colAcc.assign(pc, 0);
        for (int64_t r = 0; r < A.rows; ++r) {
          int64_t xr = xv[drive[r]];
          prefix[r + 1] = prefix[r] + xr;
          if (xr == 0)
            continue;
          const CellT *row = m + r * pc;
          for (int64_t c = A.rowColLo[r] * cpw, e = A.rowColHi[r] * cpw; c < e;
               ++c)
            colAcc[c] += static_cast<int64_t>(row[c]) * xr;
        }
        const int64_t *out = &A.output[s * A.cols];
        for (int64_t c = 0; c < A.cols; ++c) {
          int64_t o = out[c];
          if (o < 0)
            continue; // padding output
          int64_t sum = 0;
          for (int64_t b = 0; b < cpw; ++b) // shift-and-add
            sum += colAcc[c * cpw + b] * (int64_t(1) << (b * cellBits));
          // The unit column (one per copy for mapping C) undoes the bias
          // encoding over the column's programmed rows.
          sum -= offset * (prefix[A.colRowHi[c]] - prefix[A.colRowLo[c]]);
          if (__builtin_add_overflow(acc[o], sum, &acc[o])) {
            error = "partial-sum reduction overflows 64 bits at output " +
                    str(o);
            return false;
          }
        }
      }
    return true;
  }

  float finish(Acc acc, double sx, float bias) const {
    return finishFixed(L, acc, sx, bias);
  }

private:
  const CrossbarLayer &L;
  const LayerPlan &S;
  const int64_t cpw, cellBits, offset;
  const double maxX;
  std::vector<std::vector<CellT>> cells; // per array, row-major
  std::vector<int64_t> colAcc, prefix;
};

/// The integer linear map the bit-sliced arrays compute, as one dense
/// matrix per group: D[(g*m + o)*rows + x] is the coefficient of gathered
/// input x in output o. In every mapping the schedule (planSchedule,
/// weightIndex) drives output o = i*k + e with the cells of w_ij[(t - e) mod k]
/// on gathered input J*k + t, each exactly once, and the unit column cancels
/// the bias encoding of those cells exactly, so D holds the quantized
/// defining vectors rotated by e. Returns false (use the cell path) when the
/// matrix is too large or an output could overflow int64 (then the cell path
/// reports the overflow); `maxEntry` receives max |D|. WeightT must hold
/// weightBits-bit codes.
template <typename WeightT>
bool buildDirectMatrix(const CrossbarLayer &L, const HardwareDesc &hw,
                       const LayerPlan &S, std::vector<WeightT> &D,
                       int64_t &maxEntry) {
  const int64_t maxW = (int64_t(1) << (hw.weightBits - 1)) - 1;
  const int64_t maxX = (int64_t(1) << (hw.inputBits - 1)) - 1;
  const int64_t R = S.rows, k = L.k, blocks = R / k;
  int64_t entries, bound;
  if (__builtin_mul_overflow(L.groups * L.m, R, &entries) ||
      entries > (int64_t(1) << 30) ||
      __builtin_mul_overflow(maxW * maxX, R, &bound))
    return false;
  std::vector<WeightT> q(L.weights.size());
  maxEntry = 0;
  for (size_t w = 0; w < L.weights.size(); ++w) {
    q[w] = static_cast<WeightT>(quantizeWeight(L, w, maxW));
    maxEntry = std::max<int64_t>(maxEntry, q[w] < 0 ? -int64_t(q[w]) : q[w]);
  }
  D.resize(entries);
  for (int64_t g = 0; g < L.groups; ++g)
    for (int64_t o = 0; o < L.m; ++o) {
      const int64_t i = o / k, e = o % k;
      WeightT *d = D.data() + (g * L.m + o) * R;
      for (int64_t J = 0; J < blocks; ++J) {
        const WeightT *w = q.data() + ((g * L.p + i) * blocks + J) * k;
        // d[J*k + t] = w[(t - e) mod k]
        for (int64_t t = 0; t < e; ++t)
          d[J * k + t] = w[t - e + k];
        for (int64_t t = e; t < k; ++t)
          d[J * k + t] = w[t - e];
      }
    }
  return true;
}

/// Fixed point without cells: the same integer outputs as FixedEngine (its
/// column sums, shift-and-add and unit column are exact and ADC clipping is
/// not modelled), computed as one integer dot product per output from the
/// dense matrix of buildDirectMatrix. NarrowProduct: every product |D * x|
/// fits in int32.
template <typename WeightT, bool NarrowProduct> class DirectEngine {
public:
  using X = int32_t;
  using Acc = int64_t;

  DirectEngine(const CrossbarLayer &L, const HardwareDesc &hw,
               const LayerPlan &S, std::vector<WeightT> &&D)
      : L(L), rows(S.rows),
        maxX(static_cast<double>((int64_t(1) << (hw.inputBits - 1)) - 1)),
        D(std::move(D)) {}

  bool quantize(const float *x, int64_t count, std::vector<X> &out,
                double &scale, std::string &error) {
    return quantizeInput(x, count, maxX, out, scale, error);
  }

  /// Exact: buildDirectMatrix checked that no sum can overflow.
  bool mvm(int64_t g, const X *xv, Acc *acc, std::string &) {
    for (int64_t o = 0; o < L.m; ++o) {
      const WeightT *d = D.data() + (g * L.m + o) * rows;
      int64_t sum = 0;
      for (int64_t r = 0; r < rows; ++r)
        sum += NarrowProduct
                   ? static_cast<int64_t>(static_cast<int32_t>(d[r]) * xv[r])
                   : static_cast<int64_t>(d[r]) * xv[r];
      acc[o] += sum;
    }
    return true;
  }

  float finish(Acc acc, double sx, float bias) const {
    return finishFixed(L, acc, sx, bias);
  }

private:
  const CrossbarLayer &L;
  const int64_t rows;
  const double maxX;
  std::vector<WeightT> D;
};

/// Fully connected: x is (batch, n) or (n); one vector per batch row.
template <typename Engine>
bool runFullyConnected(const CrossbarLayer &L, const LayerPlan &S, Engine &E,
                       const Tensor &x, Tensor &y, std::string &error) {
  int64_t batch = x.shape.size() == 2 ? x.shape[0] : 1;
  std::vector<typename Engine::X> xq, xv(S.rows);
  std::vector<typename Engine::Acc> acc(L.m);
  for (int64_t b = 0; b < batch; ++b) {
    double scale;
    if (!E.quantize(x.data.data() + b * L.n, L.n, xq, scale, error)) {
      error += " (batch row " + str(b) + ")";
      return false;
    }
    std::fill(xv.begin(), xv.end(), typename Engine::X(0));
    std::copy(xq.begin(), xq.end(), xv.begin());
    std::fill(acc.begin(), acc.end(), typename Engine::Acc(0));
    if (!E.mvm(0, xv.data(), acc.data(), error))
      return false;
    for (int64_t o = 0; o < L.m; ++o)
      y.data[b * L.m + o] = E.finish(acc[o], scale, L.bias[o]);
  }
  return true;
}

/// Convolution: x is N x C x H x W, y N x C_out x Ho x Wo (already sized).
/// Per image, group and output position the im2col vector is gathered in
/// (u, v, j, t) order and run through the group's arrays.
template <typename Engine>
bool runConvolution(const CrossbarLayer &L, const LayerPlan &S, Engine &E,
                    const Tensor &x, Tensor &y, std::string &error) {
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2],
                W = x.shape[3];
  const int64_t Ho = y.shape[2], Wo = y.shape[3], Cout = y.shape[1];
  const int64_t HW = H * W, qk = L.q * L.k;
  std::vector<typename Engine::X> xq, xv(S.rows);
  std::vector<typename Engine::Acc> acc(L.m);
  for (int64_t img = 0; img < N; ++img) {
    double scale;
    // One input scale per image: max |x| over all its channels.
    if (!E.quantize(x.data.data() + img * C * HW, C * HW, xq, scale, error)) {
      error += " (image " + str(img) + ")";
      return false;
    }
    for (int64_t g = 0; g < L.groups; ++g) {
      const typename Engine::X *groupBase = xq.data() + g * L.n * HW;
      for (int64_t oy = 0; oy < Ho; ++oy)
        for (int64_t ox = 0; ox < Wo; ++ox) {
          // im2col: row ((u*kernelW + v)*q + j)*k + t <- channel j*k + t
          // of the group at the window position (zero in the padding).
          for (int64_t u = 0; u < L.kernelH; ++u) {
            int64_t iy = oy * L.strideH - L.padTop + u * L.dilationH;
            for (int64_t v = 0; v < L.kernelW; ++v) {
              int64_t ix = ox * L.strideW - L.padLeft + v * L.dilationW;
              typename Engine::X *dst = xv.data() + (u * L.kernelW + v) * qk;
              int64_t c = 0;
              if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
                const typename Engine::X *src = groupBase + iy * W + ix;
                for (; c < L.n; ++c)
                  dst[c] = src[c * HW];
              }
              for (; c < qk; ++c)
                dst[c] = 0;
            }
          }
          std::fill(acc.begin(), acc.end(), typename Engine::Acc(0));
          if (!E.mvm(g, xv.data(), acc.data(), error))
            return false;
          for (int64_t o = 0; o < L.m; ++o)
            y.data[((img * Cout + g * L.m + o) * Ho + oy) * Wo + ox] =
                E.finish(acc[o], scale, L.bias[g * L.m + o]);
        }
    }
  }
  return true;
}

template <typename Engine>
bool runLayer(const CrossbarLayer &L, const LayerPlan &S, Engine &E,
              const Tensor &x, Tensor &y, std::string &error) {
  return L.kind == LayerKind::Convolution
             ? runConvolution(L, S, E, x, y, error)
             : runFullyConnected(L, S, E, x, y, error);
}

/// Runs the layer on DirectEngine; false (nothing run) when
/// buildDirectMatrix refuses the layer, else `ok` is runLayer's result.
template <typename WeightT>
bool runDirect(const CrossbarLayer &L, const HardwareDesc &hw,
               const LayerPlan &S, const Tensor &x, Tensor &y, bool &ok,
               std::string &error) {
  std::vector<WeightT> D;
  int64_t maxEntry = 0;
  if (!buildDirectMatrix(L, hw, S, D, maxEntry))
    return false;
  const int64_t maxX = (int64_t(1) << (hw.inputBits - 1)) - 1;
  if (maxEntry * maxX <= INT32_MAX) {
    DirectEngine<WeightT, true> E(L, hw, S, std::move(D));
    ok = runLayer(L, S, E, x, y, error);
  } else {
    DirectEngine<WeightT, false> E(L, hw, S, std::move(D));
    ok = runLayer(L, S, E, x, y, error);
  }
  return true;
}

} // namespace

bool runCrossbar(const CrossbarLayer &L, const HardwareDesc &hw,
                 Arithmetic arithmetic, bool bitSliced, const Tensor &x,
                 Tensor &y, std::string &error) {
  error = model::crossbarOutputShape(L, x.shape, y.shape);
  if (!error.empty())
    return false;
  int64_t count = boundedCount(y.shape);
  if (count < 0) {
    error = "crossbar output " + shapeToString(y.shape) + " is too large";
    return false;
  }
  y.data.assign(count, 0.0f);

  LayerPlan S = planSchedule(L);
  bool ok;
  if (arithmetic == Arithmetic::FloatReference) {
    FloatEngine E(L, S);
    ok = runLayer(L, S, E, x, y, error);
  } else if (!bitSliced &&
             (hw.weightBits <= 16
                  ? runDirect<int16_t>(L, hw, S, x, y, ok, error)
                  : runDirect<int32_t>(L, hw, S, x, y, ok, error))) {
    // The direct product ran: bit-identical to the cells (DirectEngine).
  } else if (hw.cellBits <= 8) {
    FixedEngine<uint8_t> E(L, hw, S);
    ok = runLayer(L, S, E, x, y, error);
  } else if (hw.cellBits <= 16) {
    FixedEngine<uint16_t> E(L, hw, S);
    ok = runLayer(L, S, E, x, y, error);
  } else {
    FixedEngine<uint32_t> E(L, hw, S);
    ok = runLayer(L, S, E, x, y, error);
  }
  return ok;
}

} // namespace rebocc::sim
