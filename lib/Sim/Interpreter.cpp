//===- Interpreter.cpp - Cost-annotated ReRAM interpreter -----------------===//
//
// Executes crossbar layers the way the arrays would: each array is
// "programmed" once per layer execution with its cells (bias-encoded,
// bit-sliced weights in fixed-point mode), inputs are rotated per step as
// REBOC.md describes, columns are shift-and-added over bit slices and partial
// sums reduced over row tiles. The counters follow the formulas documented in
// Interpreter.h.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Sim/Interpreter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rebocc::sim {

using namespace program;

namespace {

std::string str(int64_t v) { return std::to_string(v); }

/// Logical rows of `a` that carry real inputs (index j*k+t = row < n).
int64_t realRows(const Array &a, int64_t n) {
  return std::max<int64_t>(0,
                           std::min(a.rowBegin + a.rowCount, n) - a.rowBegin);
}

/// Index into the defining vectors of the weight at local row r, local
/// weight column c of array a: column (i,u), row (j,t) holds w_ij[(t-u) mod k].
int64_t weightIndex(const CrossbarLayer &L, const Array &a, int64_t r,
                    int64_t c) {
  int64_t g = a.weightColBegin + c, row = a.rowBegin + r;
  int64_t i = g / L.dup, u = g % L.dup;
  int64_t j = row / L.k, t = row % L.k;
  return (i * L.q + j) * L.k + ((t - u) % L.k + L.k) % L.k;
}

/// Fills `xin` with the inputs driving the rows of `a` at rotation s0:
/// row (j,t) gets x[j*k + (t+s0) mod k], 0 beyond n.
template <typename T>
void driveRows(const CrossbarLayer &L, const Array &a, const T *x, int64_t s0,
               std::vector<T> &xin) {
  xin.resize(a.rowCount);
  for (int64_t r = 0; r < a.rowCount; ++r) {
    int64_t row = a.rowBegin + r;
    int64_t idx = row / L.k * L.k + (row % L.k + s0) % L.k;
    xin[r] = idx < L.n ? x[idx] : T(0);
  }
}

/// Output feature of local weight column c of `a` at rotation s0.
int64_t outputIndex(const CrossbarLayer &L, const Array &a, int64_t c,
                    int64_t s0) {
  int64_t g = a.weightColBegin + c;
  return g / L.dup * L.k + s0 + g % L.dup;
}

//===----------------------------------------------------------------------===//
// Crossbar layers
//===----------------------------------------------------------------------===//

/// Float reference: same arrays and schedule, one float "cell" per weight.
void runFloat(const CrossbarLayer &L, const float *X, float *Y,
              int64_t batch) {
  std::vector<std::vector<float>> cells(L.arrays.size());
  for (size_t ai = 0; ai < L.arrays.size(); ++ai) {
    const Array &a = L.arrays[ai];
    cells[ai].resize(a.rowCount * a.weightColCount);
    for (int64_t c = 0; c < a.weightColCount; ++c)
      for (int64_t r = 0; r < a.rowCount; ++r)
        cells[ai][c * a.rowCount + r] = L.weights[weightIndex(L, a, r, c)];
  }
  std::vector<double> acc(L.m);
  std::vector<float> xin;
  for (int64_t b = 0; b < batch; ++b) {
    const float *x = X + b * L.n;
    std::fill(acc.begin(), acc.end(), 0.0);
    for (int64_t s0 = 0; s0 < L.k; s0 += L.dup) {
      for (size_t ai = 0; ai < L.arrays.size(); ++ai) {
        const Array &a = L.arrays[ai];
        driveRows(L, a, x, s0, xin);
        for (int64_t c = 0; c < a.weightColCount; ++c) {
          int64_t o = outputIndex(L, a, c, s0);
          if (o >= L.m)
            continue; // padding output
          const float *col = &cells[ai][c * a.rowCount];
          double s = 0;
          for (int64_t r = 0; r < a.rowCount; ++r)
            s += static_cast<double>(col[r]) * xin[r];
          acc[o] += s; // reduction over row tiles
        }
      }
    }
    for (int64_t o = 0; o < L.m; ++o)
      Y[b * L.m + o] = static_cast<float>(acc[o] + L.bias[o]);
  }
}

/// Fixed point: bias-encoded weights bit-sliced into cells of cellBits,
/// inputs quantized per vector, integer column sums, shift-and-add.
template <typename CellT>
bool runFixed(const CrossbarLayer &L, const HardwareDesc &hw, const float *X,
              float *Y, int64_t batch, std::string &error) {
  const int64_t cpw = hw.cellsPerWeight(), cellBits = hw.cellBits;
  const int64_t offset = int64_t(1) << (hw.weightBits - 1);
  const double maxW = static_cast<double>(offset - 1);
  const uint32_t mask = (uint32_t(1) << cellBits) - 1;

  // Quantize each unique weight once: u = clamp(round(w/s)) + 2^(wb-1).
  std::vector<uint32_t> encoded(L.weights.size());
  for (size_t w = 0; w < L.weights.size(); ++w) {
    double q = std::round(static_cast<double>(L.weights[w]) / L.weightScale);
    q = std::min(maxW, std::max(-maxW, q));
    encoded[w] = static_cast<uint32_t>(static_cast<int64_t>(q) + offset);
  }
  // Programming: physical column c*cpw + b of an array holds bit slice b
  // (LSB first) of weight column c; stored column-major.
  std::vector<std::vector<CellT>> cells(L.arrays.size());
  for (size_t ai = 0; ai < L.arrays.size(); ++ai) {
    const Array &a = L.arrays[ai];
    std::vector<CellT> &m = cells[ai];
    m.resize(a.weightColCount * cpw * a.rowCount);
    for (int64_t c = 0; c < a.weightColCount; ++c)
      for (int64_t r = 0; r < a.rowCount; ++r) {
        uint32_t u = encoded[weightIndex(L, a, r, c)];
        for (int64_t b = 0; b < cpw; ++b)
          m[(c * cpw + b) * a.rowCount + r] =
              static_cast<CellT>((u >> (b * cellBits)) & mask);
      }
  }

  const double maxX = static_cast<double>((int64_t(1) << (hw.inputBits - 1)) - 1);
  std::vector<int32_t> xq(L.n), xin;
  std::vector<int64_t> acc(L.m);
  for (int64_t b = 0; b < batch; ++b) {
    const float *x = X + b * L.n;
    double maxAbs = 0;
    for (int64_t e = 0; e < L.n; ++e) {
      if (!std::isfinite(x[e])) {
        error = "input element " + str(e) + " of batch row " + str(b) +
                " is not finite (fixed-point arithmetic)";
        return false;
      }
      maxAbs = std::max(maxAbs, std::fabs(static_cast<double>(x[e])));
    }
    // Dynamic per-vector scale; an all-zero vector stays zero.
    double sx = maxAbs / maxX;
    for (int64_t e = 0; e < L.n; ++e)
      xq[e] = maxAbs > 0 ? static_cast<int32_t>(std::min(
                               maxX, std::max(-maxX, std::round(x[e] / sx))))
                         : 0;
    std::fill(acc.begin(), acc.end(), 0);
    for (int64_t s0 = 0; s0 < L.k; s0 += L.dup) {
      for (size_t ai = 0; ai < L.arrays.size(); ++ai) {
        const Array &a = L.arrays[ai];
        driveRows(L, a, xq.data(), s0, xin);
        int64_t sumX = 0;
        for (int32_t v : xin)
          sumX += v;
        for (int64_t c = 0; c < a.weightColCount; ++c) {
          int64_t o = outputIndex(L, a, c, s0);
          if (o >= L.m)
            continue;
          int64_t s = 0;
          for (int64_t bit = 0; bit < cpw; ++bit) {
            const CellT *col = &cells[ai][(c * cpw + bit) * a.rowCount];
            int64_t sb = 0;
            for (int64_t r = 0; r < a.rowCount; ++r)
              sb += static_cast<int64_t>(col[r]) * xin[r];
            s += sb * (int64_t(1) << (bit * cellBits)); // shift-and-add
          }
          s -= offset * sumX; // unit column undoes the bias encoding
          if (__builtin_add_overflow(acc[o], s, &acc[o])) {
            error = "partial-sum reduction overflows 64 bits at output " +
                    str(o);
            return false;
          }
        }
      }
    }
    for (int64_t o = 0; o < L.m; ++o)
      Y[b * L.m + o] = static_cast<float>(
          static_cast<double>(acc[o]) * L.weightScale * sx + L.bias[o]);
  }
  return true;
}

/// Adds the dynamic counts of `vectors` input vectors to `r`.
void countVectors(const CrossbarLayer &L, const HardwareDesc &hw,
                  int64_t vectors, LayerReport &r) {
  int64_t crossbars = static_cast<int64_t>(L.arrays.size());
  int64_t steps = L.k / L.dup, cpw = hw.cellsPerWeight();
  int64_t columns = 0, rows = 0;
  for (const Array &a : L.arrays) {
    columns += a.weightColCount * cpw;
    rows += realRows(a, L.n);
  }
  int64_t words = L.sharedInput ? L.n : rows;
  r.vectors += vectors;
  r.xbarActivations += vectors * crossbars * steps;
  r.adcConversions += vectors * columns * steps;
  r.rotations += vectors * crossbars * (steps - 1);
  r.bufferWrites += vectors * words;
  r.bufferReads += vectors * words;
  r.reductionAdds += vectors * (L.rowTiles - 1) * L.m;
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

/// numpy broadcasting of two shapes; false when incompatible.
bool broadcastShape(const std::vector<int64_t> &a,
                    const std::vector<int64_t> &b, std::vector<int64_t> &out) {
  size_t rank = std::max(a.size(), b.size());
  out.assign(rank, 1);
  for (size_t d = 0; d < rank; ++d) {
    int64_t da = d < rank - a.size() ? 1 : a[d - (rank - a.size())];
    int64_t db = d < rank - b.size() ? 1 : b[d - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return false;
    out[d] = da == 1 ? db : da;
  }
  return true;
}

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

bool runCrossbar(const CrossbarLayer &L, const HardwareDesc &hw,
                 Arithmetic arithmetic, const Tensor &x, Tensor &y,
                 LayerReport &report, std::string &error) {
  if (x.shape.empty() || x.shape.size() > 2) {
    error = "crossbar input must have rank 1 or 2 (batch, n), got " +
            shapeToString(x.shape);
    return false;
  }
  int64_t batch = x.shape.size() == 2 ? x.shape[0] : 1;
  int64_t n = x.shape.back();
  if (n != L.n) {
    error = "crossbar input " + shapeToString(x.shape) + " has " + str(n) +
            " features, layer '" + L.name + "' expects n = " + str(L.n);
    return false;
  }
  y.shape = x.shape.size() == 2 ? std::vector<int64_t>{batch, L.m}
                                : std::vector<int64_t>{L.m};
  y.data.assign(batch * L.m, 0.0f);
  if (arithmetic == Arithmetic::FloatReference) {
    runFloat(L, x.data.data(), y.data.data(), batch);
  } else {
    bool ok;
    if (hw.cellBits <= 8)
      ok = runFixed<uint8_t>(L, hw, x.data.data(), y.data.data(), batch, error);
    else if (hw.cellBits <= 16)
      ok = runFixed<uint16_t>(L, hw, x.data.data(), y.data.data(), batch,
                              error);
    else
      ok = runFixed<uint32_t>(L, hw, x.data.data(), y.data.data(), batch,
                              error);
    if (!ok)
      return false;
  }
  countVectors(L, hw, batch, report);
  return true;
}

/// Executes one instruction; `error` is completed by the caller.
bool execute(const Program &P, const Instruction &I, Arithmetic arithmetic,
             std::vector<Tensor> &values, RunReport &report,
             std::string &error) {
  auto operand = [&](size_t i) -> const Tensor & {
    return values[I.operands[i]];
  };
  Tensor out;
  switch (I.op) {
  case OpCode::Crossbar:
    if (!runCrossbar(P.layers[I.index], P.hw, arithmetic, operand(0), out,
                     report.layers[I.index], error))
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
  }
  std::string e = checkShape(P.values[I.result].shape, out.shape);
  if (!e.empty()) {
    error = "result " + e;
    return false;
  }
  values[I.result] = std::move(out);
  return true;
}

std::string fmtRatio(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

std::string jsonString(const std::string &s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

double ratio(int64_t num, int64_t den) {
  return den > 0 ? static_cast<double>(num) / static_cast<double>(den) : 0.0;
}

} // namespace

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

std::string shapeToString(const std::vector<int64_t> &shape) {
  std::string out = "[";
  for (size_t d = 0; d < shape.size(); ++d)
    out += (d ? "," : "") + str(shape[d]);
  return out + "]";
}

std::string checkShape(const std::vector<int64_t> &expected,
                       const std::vector<int64_t> &actual) {
  bool ok = expected.size() == actual.size();
  for (size_t d = 0; ok && d < expected.size(); ++d)
    ok = expected[d] == -1 || expected[d] == actual[d];
  if (ok)
    return "";
  return "shape " + shapeToString(actual) +
         " does not match the program's shape " + shapeToString(expected) +
         " (-1 = any batch)";
}

std::string mappingLabel(const CrossbarLayer &layer) {
  if (layer.mapping == Mapping::B)
    return "B(" + str(layer.dup) + ")";
  return mappingName(layer.mapping);
}

LayerReport staticLayerReport(const CrossbarLayer &L, const HardwareDesc &hw) {
  LayerReport r;
  r.name = L.name;
  r.blockSize = L.k;
  r.mapping = mappingLabel(L);
  r.dup = L.dup;
  r.crossbars = static_cast<int64_t>(L.arrays.size());
  r.steps = L.dup > 0 ? L.k / L.dup : 0;
  int64_t cpw = hw.cellsPerWeight(), rows = 0;
  for (const Array &a : L.arrays) {
    int64_t real = realRows(a, L.n);
    rows += real;
    r.occupiedCells += real * a.weightColCount * cpw;
  }
  r.uniqueCells = L.p * L.q * L.k * cpw;
  r.capacityCells = r.crossbars * hw.xbarRows * hw.xbarCols;
  r.uOcc = ratio(r.occupiedCells, r.capacityCells);
  r.uUniq = ratio(r.uniqueCells, r.capacityCells);
  r.bufferWords = L.sharedInput ? L.n : rows;
  return r;
}

bool run(const Program &program, const std::vector<Tensor> &inputs,
         const RunOptions &options, std::vector<Tensor> &outputs,
         RunReport &report, std::string &error) {
  std::string e = verify(program);
  if (!e.empty()) {
    error = "invalid program: " + e;
    return false;
  }
  report = RunReport();
  report.hwName = program.hw.name;
  report.arithmetic = options.arithmetic == Arithmetic::FixedPoint
                          ? "fixed-point"
                          : "float-reference";
  for (const CrossbarLayer &L : program.layers)
    report.layers.push_back(staticLayerReport(L, program.hw));

  if (inputs.size() != program.inputs.size()) {
    error = "the program has " + str(program.inputs.size()) + " inputs, " +
            str(inputs.size()) + " were given";
    return false;
  }
  std::vector<Tensor> values(program.values.size());
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
  }

  // Free each value after its last use; outputs are kept.
  std::vector<int64_t> lastUse(values.size(), -1);
  for (size_t i = 0; i < program.instructions.size(); ++i)
    for (int v : program.instructions[i].operands)
      lastUse[v] = static_cast<int64_t>(i);
  for (int v : program.outputs)
    lastUse[v] = INT64_MAX;

  for (size_t i = 0; i < program.instructions.size(); ++i) {
    const Instruction &I = program.instructions[i];
    if (!execute(program, I, options.arithmetic, values, report, error)) {
      error = "instruction " + str(i) + " (" + opcodeName(I.op) + " '" +
              I.name + "'): " + error;
      return false;
    }
    for (int v : I.operands)
      if (lastUse[v] == static_cast<int64_t>(i))
        values[v] = Tensor();
  }

  outputs.clear();
  for (int v : program.outputs)
    outputs.push_back(values[v]);

  LayerReport &t = report.total;
  t.name = "total";
  for (const LayerReport &r : report.layers) {
    t.crossbars += r.crossbars;
    t.vectors += r.vectors;
    t.xbarActivations += r.xbarActivations;
    t.adcConversions += r.adcConversions;
    t.bufferReads += r.bufferReads;
    t.bufferWrites += r.bufferWrites;
    t.bufferWords += r.bufferWords;
    t.rotations += r.rotations;
    t.reductionAdds += r.reductionAdds;
    t.occupiedCells += r.occupiedCells;
    t.uniqueCells += r.uniqueCells;
    t.capacityCells += r.capacityCells;
  }
  t.uOcc = ratio(t.occupiedCells, t.capacityCells);
  t.uUniq = ratio(t.uniqueCells, t.capacityCells);
  return true;
}

namespace {

std::string jsonCounts(const LayerReport &r) {
  return "\"crossbars\": " + str(r.crossbars) +
         ", \"u_occ\": " + fmtRatio(r.uOcc) +
         ", \"u_uniq\": " + fmtRatio(r.uUniq) +
         ", \"vectors\": " + str(r.vectors) +
         ", \"xbar_activations\": " + str(r.xbarActivations) +
         ", \"adc_conversions\": " + str(r.adcConversions) +
         ", \"buffer_reads\": " + str(r.bufferReads) +
         ", \"buffer_writes\": " + str(r.bufferWrites) +
         ", \"buffer_words\": " + str(r.bufferWords) +
         ", \"rotations\": " + str(r.rotations) +
         ", \"reduction_adds\": " + str(r.reductionAdds) +
         ", \"occupied_cells\": " + str(r.occupiedCells) +
         ", \"unique_cells\": " + str(r.uniqueCells) +
         ", \"capacity_cells\": " + str(r.capacityCells);
}

} // namespace

std::string reportToJson(const RunReport &report) {
  std::string out = "{\n  \"hw\": " + jsonString(report.hwName) +
                    ",\n  \"arithmetic\": " + jsonString(report.arithmetic) +
                    ",\n  \"layers\": [";
  for (size_t l = 0; l < report.layers.size(); ++l) {
    const LayerReport &r = report.layers[l];
    out += std::string(l ? "," : "") + "\n    {\"name\": " +
           jsonString(r.name) + ", \"block_size\": " + str(r.blockSize) +
           ", \"mapping\": " + jsonString(r.mapping) +
           ", \"dup\": " + str(r.dup) + ", \"steps\": " + str(r.steps) + ", " +
           jsonCounts(r) + "}";
  }
  out += std::string(report.layers.empty() ? "" : "\n  ") + "],\n" +
         "  \"totals\": {" + jsonCounts(report.total) + "}\n}\n";
  return out;
}

std::string reportToTable(const RunReport &report) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"layer", "k", "mapping", "xbars", "u_occ", "u_uniq", "steps",
                  "vectors", "xbar_act", "adc_conv", "buf_reads",
                  "buf_writes", "buf_words", "rotations", "red_adds"});
  auto fixed = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.4f", v);
    return std::string(buf);
  };
  auto add = [&](const LayerReport &r, bool total) {
    rows.push_back({r.name, total ? "-" : str(r.blockSize),
                    total ? "-" : r.mapping, str(r.crossbars), fixed(r.uOcc),
                    fixed(r.uUniq), total ? "-" : str(r.steps), str(r.vectors),
                    str(r.xbarActivations), str(r.adcConversions),
                    str(r.bufferReads), str(r.bufferWrites),
                    str(r.bufferWords), str(r.rotations),
                    str(r.reductionAdds)});
  };
  for (const LayerReport &r : report.layers)
    add(r, false);
  add(report.total, true);

  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto &row : rows)
    for (size_t c = 0; c < row.size(); ++c)
      width[c] = std::max(width[c], row[c].size());
  std::string out = "# hw " + report.hwName + ", " + report.arithmetic +
                    " arithmetic\n";
  for (const auto &row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      // Names left-aligned, numbers right-aligned.
      std::string pad(width[c] - row[c].size(), ' ');
      line += (c ? "  " : "") + (c == 0 || c == 2 ? row[c] + pad : pad + row[c]);
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    out += line + "\n";
  }
  return out;
}

} // namespace rebocc::sim
