//===- Interpreter.cpp - Cost-annotated ReRAM interpreter -----------------===//
//
// Executes crossbar layers the way the arrays would: each array is
// "programmed" once per layer execution with its cells (bias-encoded,
// bit-sliced weights in fixed-point mode), inputs are rotated per step as
// REBOC.md describes, columns are shift-and-added over bit slices and partial
// sums reduced over row tiles. Result shapes come from the per-opcode shape
// function and the counts from the per-run bookkeeping of
// rebocc/Model/CountProgram.h, which the shape-only walk of --cost-only
// shares; the counting rules are documented in rebocc/Model/Events.h.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Sim/Interpreter.h"
#include "rebocc/Model/CountProgram.h"
#include "rebocc/Target/Program/Layout.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rebocc::sim {

using namespace program;

namespace {

std::string str(int64_t v) { return std::to_string(v); }

/// Element count of `shape`, or -1 when a dimension is negative or the count
/// exceeds 2^30 (outputs larger than that are refused, not attempted).
int64_t boundedCount(const std::vector<int64_t> &shape) {
  int64_t count = 1;
  for (int64_t dim : shape)
    if (dim < 0 || __builtin_mul_overflow(count, dim, &count) ||
        count > (int64_t(1) << 30))
      return -1;
  return count;
}

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



//===----------------------------------------------------------------------===//
// Digital instructions
//===----------------------------------------------------------------------===//

int64_t product(const std::vector<int64_t> &shape, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t d = begin; d < end; ++d)
    p *= shape[d];
  return p;
}

using model::broadcastShape;

/// Element strides of `shape` aligned to `rank`, 0 on broadcast dims.
std::vector<int64_t> broadcastStrides(const std::vector<int64_t> &shape,
                                      const std::vector<int64_t> &out) {
  size_t rank = out.size(), lead = rank - shape.size();
  std::vector<int64_t> strides(rank, 0);
  int64_t stride = 1;
  for (size_t d = rank; d-- > lead;) {
    int64_t dim = shape[d - lead];
    strides[d] = dim == 1 ? 0 : stride;
    stride *= dim;
  }
  return strides;
}

template <typename Op>
bool binary(const Tensor &A, const Tensor &B, Tensor &out, Op op,
            std::string &error) {
  std::vector<int64_t> shape;
  if (!broadcastShape(A.shape, B.shape, shape)) {
    error = "shapes " + shapeToString(A.shape) + " and " +
            shapeToString(B.shape) + " do not broadcast";
    return false;
  }
  out.shape = shape;
  out.data.resize(product(shape, 0, shape.size()));
  if (A.shape == B.shape) {
    for (size_t e = 0; e < out.data.size(); ++e)
      out.data[e] = op(A.data[e], B.data[e]);
    return true;
  }
  std::vector<int64_t> sa = broadcastStrides(A.shape, shape),
                       sb = broadcastStrides(B.shape, shape);
  std::vector<int64_t> index(shape.size(), 0);
  int64_t ia = 0, ib = 0;
  for (size_t e = 0; e < out.data.size(); ++e) {
    out.data[e] = op(A.data[ia], B.data[ib]);
    // Odometer increment over the output index.
    for (size_t d = shape.size(); d-- > 0;) {
      ia += sa[d];
      ib += sb[d];
      if (++index[d] < shape[d])
        break;
      ia -= sa[d] * shape[d];
      ib -= sb[d] * shape[d];
      index[d] = 0;
    }
  }
  return true;
}

void softmax(const Tensor &in, int64_t axis, Tensor &out) {
  out.shape = in.shape;
  out.data.resize(in.data.size());
  int64_t outer = product(in.shape, 0, axis), len = in.shape[axis],
          inner = product(in.shape, axis + 1, in.shape.size());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      const float *x = &in.data[o * len * inner + i];
      float *y = &out.data[o * len * inner + i];
      // Subtract the max so exp never overflows.
      float mx = -INFINITY;
      for (int64_t e = 0; e < len; ++e)
        mx = std::max(mx, x[e * inner]);
      double sum = 0;
      for (int64_t e = 0; e < len; ++e) {
        y[e * inner] = std::exp(x[e * inner] - mx);
        sum += y[e * inner];
      }
      for (int64_t e = 0; e < len; ++e)
        y[e * inner] = static_cast<float>(y[e * inner] / sum);
    }
}

bool reshape(const Tensor &in, const std::vector<int64_t> &target,
             Tensor &out, std::string &error) {
  std::vector<int64_t> shape = target;
  int64_t known = 1, inferred = -1;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 0) {
      if (d >= in.shape.size()) {
        error = "reshape dimension " + str(d) + " is 0 (copy) but the input " +
                shapeToString(in.shape) + " has no such dimension";
        return false;
      }
      shape[d] = in.shape[d];
    }
    if (shape[d] == -1)
      inferred = static_cast<int64_t>(d);
    else
      known *= shape[d];
  }
  int64_t total = static_cast<int64_t>(in.data.size());
  if (inferred >= 0) {
    if (known == 0 || total % known != 0) {
      error = "cannot reshape " + shapeToString(in.shape) + " to " +
              shapeToString(target);
      return false;
    }
    shape[inferred] = total / known;
  } else if (known != total) {
    error = "cannot reshape " + shapeToString(in.shape) + " (" + str(total) +
            " elements) to " + shapeToString(target);
    return false;
  }
  out.shape = shape;
  out.data = in.data;
  return true;
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


namespace {

/// `bitSliced`: fixed point on the materialized cells instead of the exact
/// direct product (same outputs). The layer's events are counted by run()
/// (model::RunCounter), from the shapes.
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

/// MaxPool / AveragePool over N x C x H x W (ONNX semantics; see
/// docs/ProgramFormat.md): padding never wins a max; with ceil_mode the last
/// window must start inside the input or its leading padding;
/// count_include_pad divides by the window clipped to the padded input,
/// otherwise by the real elements. A window without any input element (only
/// possible with dilation) yields 0.
bool pool(const Tensor &in, const Instruction &I, Tensor &out,
          std::string &error) {
  const bool isMax = I.op == OpCode::MaxPool;
  if (in.shape.size() != 4) {
    error = "pooling input must have rank 4 (N, C, H, W), got " +
            shapeToString(in.shape);
    return false;
  }
  const int64_t N = in.shape[0], C = in.shape[1], H = in.shape[2],
                W = in.shape[3];
  const int64_t kH = I.kernel[0], kW = I.kernel[1], sH = I.strides[0],
                sW = I.strides[1], pt = I.pads[0], pl = I.pads[1],
                pb = I.pads[2], pr = I.pads[3], dH = I.dilations[0],
                dW = I.dilations[1];
  int64_t Ho = support::windowOutput(H, kH, sH, pt, pb, dH, I.ceilMode);
  int64_t Wo = support::windowOutput(W, kW, sW, pl, pr, dW, I.ceilMode);
  if (Ho < 1 || Wo < 1) {
    error = "pooling window " + str(kH) + "x" + str(kW) + " (dilations " +
            str(dH) + "x" + str(dW) + ", with pads) does not fit input " +
            shapeToString(in.shape);
    return false;
  }
  out.shape = {N, C, Ho, Wo};
  int64_t count = boundedCount(out.shape);
  if (count < 0) {
    error = "pooling output " + shapeToString(out.shape) + " is too large";
    return false;
  }
  out.data.assign(count, 0.0f);
  // Per output row/column: the sampled input positions inside the input, and
  // (count_include_pad) the number inside the padded input.
  auto positions = [](int64_t o, int64_t stride, int64_t padBegin,
                      int64_t padEnd, int64_t kernel, int64_t dilation,
                      int64_t size, std::vector<int64_t> &real,
                      int64_t &padded) {
    real.clear();
    padded = 0;
    int64_t start = o * stride - padBegin;
    for (int64_t u = 0; u < kernel; ++u) {
      int64_t i = start + u * dilation;
      if (i >= -padBegin && i < size + padEnd)
        ++padded;
      if (i >= 0 && i < size)
        real.push_back(i);
    }
  };
  std::vector<std::vector<int64_t>> rowsAt(Ho), colsAt(Wo);
  std::vector<int64_t> paddedRows(Ho), paddedCols(Wo);
  for (int64_t oy = 0; oy < Ho; ++oy)
    positions(oy, sH, pt, pb, kH, dH, H, rowsAt[oy], paddedRows[oy]);
  for (int64_t ox = 0; ox < Wo; ++ox)
    positions(ox, sW, pl, pr, kW, dW, W, colsAt[ox], paddedCols[ox]);
  for (int64_t nc = 0; nc < N * C; ++nc) {
    const float *plane = &in.data[nc * H * W];
    float *dst = &out.data[nc * Ho * Wo];
    for (int64_t oy = 0; oy < Ho; ++oy)
      for (int64_t ox = 0; ox < Wo; ++ox) {
        const std::vector<int64_t> &ys = rowsAt[oy], &xs = colsAt[ox];
        float result = 0.0f;
        if (isMax) {
          bool any = false;
          for (int64_t iy : ys)
            for (int64_t ix : xs) {
              float v = plane[iy * W + ix];
              if (!any || v > result || std::isnan(v))
                result = v;
              any = true;
            }
        } else {
          double sum = 0;
          for (int64_t iy : ys)
            for (int64_t ix : xs)
              sum += plane[iy * W + ix];
          int64_t divisor =
              I.countIncludePad
                  ? paddedRows[oy] * paddedCols[ox]
                  : static_cast<int64_t>(ys.size() * xs.size());
          result = divisor > 0 ? static_cast<float>(sum / divisor) : 0.0f;
        }
        dst[oy * Wo + ox] = result;
      }
  }
  return true;
}

/// Mean over every dimension after the first two; those become 1.
bool globalAveragePool(const Tensor &in, Tensor &out, std::string &error) {
  if (in.shape.size() < 3) {
    error = "global_average_pool input must have rank >= 3, got " +
            shapeToString(in.shape);
    return false;
  }
  int64_t outer = in.shape[0] * in.shape[1];
  int64_t inner = product(in.shape, 2, in.shape.size());
  out.shape = in.shape;
  for (size_t d = 2; d < out.shape.size(); ++d)
    out.shape[d] = 1;
  out.data.assign(outer, 0.0f);
  for (int64_t o = 0; o < outer; ++o) {
    double sum = 0;
    for (int64_t e = 0; e < inner; ++e)
      sum += in.data[o * inner + e];
    out.data[o] = inner > 0 ? static_cast<float>(sum / inner) : 0.0f;
  }
  return true;
}

bool concat(const std::vector<const Tensor *> &ins, int64_t axis, Tensor &out,
            std::string &error) {
  const std::vector<int64_t> &first = ins[0]->shape;
  int64_t rank = static_cast<int64_t>(first.size());
  if (axis < 0 || axis >= rank) {
    error = "concat axis " + str(axis) + " out of range for input " +
            shapeToString(first);
    return false;
  }
  out.shape = first;
  out.shape[axis] = 0;
  for (const Tensor *t : ins) {
    bool ok = static_cast<int64_t>(t->shape.size()) == rank;
    for (int64_t d = 0; ok && d < rank; ++d)
      ok = d == axis || t->shape[d] == first[d];
    if (!ok) {
      error = "concat operands " + shapeToString(first) + " and " +
              shapeToString(t->shape) + " differ outside axis " + str(axis);
      return false;
    }
    out.shape[axis] += t->shape[axis];
  }
  int64_t outer = product(first, 0, axis);
  out.data.clear();
  out.data.reserve(product(out.shape, 0, out.shape.size()));
  for (int64_t o = 0; o < outer; ++o)
    for (const Tensor *t : ins) {
      int64_t chunk = product(t->shape, axis, t->shape.size());
      out.data.insert(out.data.end(), t->data.begin() + o * chunk,
                      t->data.begin() + (o + 1) * chunk);
    }
  return true;
}

/// Visits every element of an output of shape `shape` in row-major order;
/// `source(d, i)` maps output index i of dimension d to an input offset
/// contribution, or -1 when the element is not taken from the input.
/// Calls emit(offset) or emit(-1).
template <typename Source, typename Emit>
void gatherOdometer(const std::vector<int64_t> &shape, Source source,
                    Emit emit) {
  size_t rank = shape.size();
  if (rank == 0) {
    emit(int64_t(0));
    return;
  }
  for (int64_t dim : shape)
    if (dim == 0)
      return;
  std::vector<int64_t> index(rank, 0);
  const size_t last = rank - 1;
  while (true) {
    bool outside = false;
    int64_t base = 0;
    for (size_t d = 0; d < last; ++d) {
      int64_t off = source(d, index[d]);
      if (off < 0)
        outside = true;
      else
        base += off;
    }
    for (int64_t i = 0; i < shape[last]; ++i) {
      int64_t off = outside ? -1 : source(last, i);
      emit(off < 0 ? int64_t(-1) : base + off);
    }
    size_t d = last;
    while (d-- > 0) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
    if (d == size_t(-1))
      return;
  }
}

std::vector<int64_t> rowMajorStrides(const std::vector<int64_t> &shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;)
    strides[d - 1] = strides[d] * shape[d];
  return strides;
}

bool pad(const Tensor &in, const Instruction &I, Tensor &out,
         std::string &error) {
  size_t rank = in.shape.size();
  if (I.pads.size() != 2 * rank) {
    error = "pad needs 2 x rank pads for input " + shapeToString(in.shape);
    return false;
  }
  out.shape = in.shape;
  // map[d][i]: input index of output index i along d, -1 = the constant.
  std::vector<std::vector<int64_t>> map(rank);
  std::vector<int64_t> strides = rowMajorStrides(in.shape);
  for (size_t d = 0; d < rank; ++d) {
    int64_t size = in.shape[d], before = I.pads[d], after = I.pads[rank + d];
    if (before + after > 0 && I.mode != "constant" &&
        (size == 0 ||
         (I.mode == "reflect" && (before > size - 1 || after > size - 1)))) {
      error = I.mode + " padding of " + str(before) + "," + str(after) +
              " needs dimension " + str(static_cast<int64_t>(d)) +
              " of input " + shapeToString(in.shape) + " to be " +
              (I.mode == "reflect" ? "larger than each pad" : "non-empty");
      return false;
    }
    out.shape[d] = size + before + after;
    if (out.shape[d] > (int64_t(1) << 30)) {
      error = "pad output is too large";
      return false;
    }
    map[d].resize(out.shape[d]);
    for (int64_t i = 0; i < out.shape[d]; ++i) {
      int64_t j = i - before;
      if (j < 0 || j >= size) {
        if (I.mode == "constant")
          j = -1;
        else if (I.mode == "edge")
          j = j < 0 ? 0 : size - 1;
        else
          j = j < 0 ? -j : 2 * (size - 1) - j;
      }
      map[d][i] = j < 0 ? -1 : j * strides[d];
    }
  }
  int64_t count = boundedCount(out.shape);
  if (count < 0) {
    error = "pad output " + shapeToString(out.shape) + " is too large";
    return false;
  }
  out.data.clear();
  out.data.reserve(count);
  gatherOdometer(
      out.shape, [&](size_t d, int64_t i) { return map[d][i]; },
      [&](int64_t off) {
        out.data.push_back(off < 0 ? I.alpha : in.data[off]);
      });
  return true;
}

bool transpose(const Tensor &in, const std::vector<int64_t> &perm,
               Tensor &out, std::string &error) {
  size_t rank = in.shape.size();
  if (perm.size() != rank) {
    error = "perm does not match input " + shapeToString(in.shape);
    return false;
  }
  std::vector<int64_t> strides = rowMajorStrides(in.shape), permStrides(rank);
  out.shape.resize(rank);
  for (size_t d = 0; d < rank; ++d) {
    out.shape[d] = in.shape[perm[d]];
    permStrides[d] = strides[perm[d]];
  }
  out.data.clear();
  out.data.reserve(in.data.size());
  gatherOdometer(
      out.shape, [&](size_t d, int64_t i) { return i * permStrides[d]; },
      [&](int64_t off) { out.data.push_back(in.data[off]); });
  return true;
}

/// Executes one instruction; `error` is completed by the caller. The result
/// shape comes from model::instructionResultShape (the shape-only walk of
/// --cost-only uses the same function), checked before the kernel runs; the
/// kernel must produce exactly that shape.
bool execute(const Program &P, const Instruction &I, const RunOptions &options,
             std::vector<Tensor> &values, std::string &error) {
  auto operand = [&](size_t i) -> const Tensor & {
    return values[I.operands[i]];
  };
  std::vector<int64_t> expected;
  {
    std::vector<const std::vector<int64_t> *> shapes;
    for (int v : I.operands)
      shapes.push_back(&values[v].shape);
    error = model::instructionResultShape(P, I, shapes, expected);
    if (!error.empty())
      return false;
  }
  Tensor out;
  switch (I.op) {
  case OpCode::Crossbar:
    if (!runCrossbar(P.layers[I.index], P.hw, options.arithmetic,
                     options.bitSliced, operand(0), out, error))
      return false;
    break;
  case OpCode::Relu:
    out = operand(0);
    for (float &v : out.data)
      v = v > 0 ? v : 0.0f;
    break;
  case OpCode::Sigmoid:
    out = operand(0);
    for (float &v : out.data)
      v = static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(v))));
    break;
  case OpCode::Softmax:
    if (I.axis >= static_cast<int64_t>(operand(0).shape.size())) {
      error = "softmax axis " + str(I.axis) + " out of range for input " +
              shapeToString(operand(0).shape);
      return false;
    }
    softmax(operand(0), I.axis, out);
    break;
  case OpCode::Add:
    if (!binary(operand(0), operand(1), out,
                [](float a, float b) { return a + b; }, error))
      return false;
    break;
  case OpCode::Mul:
    if (!binary(operand(0), operand(1), out,
                [](float a, float b) { return a * b; }, error))
      return false;
    break;
  case OpCode::Reshape:
    if (!reshape(operand(0), I.shape, out, error))
      return false;
    break;
  case OpCode::Flatten: {
    const Tensor &in = operand(0);
    if (I.axis > static_cast<int64_t>(in.shape.size())) {
      error = "flatten axis " + str(I.axis) + " out of range for input " +
              shapeToString(in.shape);
      return false;
    }
    out.shape = {product(in.shape, 0, I.axis),
                 product(in.shape, I.axis, in.shape.size())};
    out.data = in.data;
    break;
  }
  case OpCode::Constant:
    out.shape = P.constants[I.index].shape;
    out.data = P.constants[I.index].data;
    break;
  case OpCode::Identity:
    out = operand(0);
    break;
  case OpCode::MaxPool:
  case OpCode::AveragePool:
    if (!pool(operand(0), I, out, error))
      return false;
    break;
  case OpCode::GlobalAveragePool:
    if (!globalAveragePool(operand(0), out, error))
      return false;
    break;
  case OpCode::Clip:
    out = operand(0);
    for (float &v : out.data)
      v = v < I.alpha ? I.alpha : (v > I.beta ? I.beta : v);
    break;
  case OpCode::LeakyRelu:
    out = operand(0);
    for (float &v : out.data)
      v = v < 0 ? I.alpha * v : v;
    break;
  case OpCode::HardSigmoid:
    out = operand(0);
    for (float &v : out.data)
      v = std::max(0.0f, std::min(1.0f, I.alpha * v + I.beta));
    break;
  case OpCode::HardSwish:
    out = operand(0);
    for (float &v : out.data)
      v = v * std::max(0.0f, std::min(1.0f, v / 6.0f + 0.5f));
    break;
  case OpCode::PRelu: {
    std::vector<int64_t> shape;
    if (!broadcastShape(operand(0).shape, operand(1).shape, shape) ||
        shape != operand(0).shape) {
      error = "slope " + shapeToString(operand(1).shape) +
              " does not broadcast to x " + shapeToString(operand(0).shape);
      return false;
    }
    if (!binary(operand(0), operand(1), out,
                [](float x, float slope) { return x < 0 ? slope * x : x; },
                error))
      return false;
    break;
  }
  case OpCode::Concat: {
    std::vector<const Tensor *> ins;
    for (size_t i = 0; i < I.operands.size(); ++i)
      ins.push_back(&operand(i));
    if (!concat(ins, I.axis, out, error))
      return false;
    break;
  }
  case OpCode::Pad:
    if (!pad(operand(0), I, out, error))
      return false;
    break;
  case OpCode::Transpose:
    if (!transpose(operand(0), I.perm, out, error))
      return false;
    break;
  }
  if (out.shape != expected) {
    error = "internal error: the kernel computed shape " +
            shapeToString(out.shape) + ", the shape function " +
            shapeToString(expected);
    return false;
  }
  values[I.result] = std::move(out);
  return true;
}


} // namespace

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//


std::string checkShape(const std::vector<int64_t> &expected,
                       const std::vector<int64_t> &actual) {
  return model::checkShape(expected, actual);
}



bool run(const Program &program, const std::vector<Tensor> &inputs,
         const RunOptions &options, std::vector<Tensor> &outputs,
         RunReport &report, std::string &error) {
  std::string e = verify(program);
  if (!e.empty()) {
    error = "invalid program: " + e;
    return false;
  }
  // The counts come from the shapes the kernels produce, through the same
  // bookkeeping as the shape-only walk of --cost-only (model::countProgram).
  model::RunCounter counter(program,
                            options.arithmetic == Arithmetic::FixedPoint
                                ? "fixed-point"
                                : "float-reference",
                            report);

  if (inputs.size() != program.inputs.size()) {
    error = "the program has " + str(program.inputs.size()) + " inputs, " +
            str(inputs.size()) + " were given";
    return false;
  }
  std::vector<Tensor> values(program.values.size());
  std::vector<const std::vector<int64_t> *> shapes;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Value &v = program.values[program.inputs[i]];
    int64_t count = 1;
    for (int64_t dim : inputs[i].shape)
      if (dim < 0 || __builtin_mul_overflow(count, dim, &count))
        count = -1;
    if (count != static_cast<int64_t>(inputs[i].data.size())) {
      error = "input " + str(i) + " ('" + v.name + "'): shape " +
              shapeToString(inputs[i].shape) + " does not match its " +
              str(inputs[i].data.size()) + " elements";
      return false;
    }
    e = checkShape(v.shape, inputs[i].shape);
    if (!e.empty()) {
      error = "input " + str(i) + " ('" + v.name + "'): " + e;
      return false;
    }
    values[program.inputs[i]] = inputs[i];
    shapes.push_back(&inputs[i].shape);
  }
  counter.inputs(shapes);

  // Free each value after its last use; outputs are kept.
  std::vector<int64_t> lastUse(values.size(), -1);
  for (size_t i = 0; i < program.instructions.size(); ++i)
    for (int v : program.instructions[i].operands)
      lastUse[v] = static_cast<int64_t>(i);
  for (int v : program.outputs)
    lastUse[v] = INT64_MAX;

  for (size_t i = 0; i < program.instructions.size(); ++i) {
    const Instruction &I = program.instructions[i];
    bool ok = execute(program, I, options, values, error);
    if (ok) {
      shapes.clear();
      for (int v : I.operands)
        shapes.push_back(&values[v].shape);
      error = counter.instruction(I, shapes, values[I.result].shape);
      ok = error.empty();
    }
    if (!ok) {
      error = "instruction " + str(i) + " (" + opcodeName(I.op) + " '" +
              I.name + "'): " + error;
      return false;
    }
    for (int v : I.operands)
      if (lastUse[v] == static_cast<int64_t>(i))
        values[v] = Tensor();
  }

  outputs.clear();
  shapes.clear();
  for (int v : program.outputs)
    outputs.push_back(values[v]);
  for (const Tensor &t : outputs)
    shapes.push_back(&t.shape);
  counter.finish(shapes);
  return true;
}

} // namespace rebocc::sim
