//===- CrossbarEngine.cpp - Execution of crossbar layers ------------------===//
//
// Executes crossbar layers on one of three engines that share the schedule
// of CrossbarSchedule.h (inputs rotated per step as REBOC.md describes,
// partial sums reduced over row tiles): the float reference, the analog
// engine (AnalogEngine.h: bit-serial inputs, ADCs, device non-idealities) and
// the direct product, the analog engine's exact result computed without
// cells, used only where isLossless proves the two equal. The result shape
// comes from model::crossbarOutputShape (rebocc/Model/CountProgram.h).
//
//===----------------------------------------------------------------------===//

#include "CrossbarEngine.h"
#include "AnalogEngine.h"
#include "CrossbarSchedule.h"
#include "SimSupport.h"
#include "rebocc/Model/CountProgram.h"
#include "rebocc/Target/Program/AdcNeed.h"
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

/// Float reference: same arrays and schedule, one float "cell" per weight.
class FloatEngine {
public:
  using X = float;
  using Acc = double;
  static constexpr int64_t kBatch = 1;

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

  /// acc[o] += the layer's group-g matrix times gathered vector `xv`
  /// (`count` is 1: kBatch).
  bool mvm(int64_t g, const X *xv, int64_t, Acc *acc, int64_t, std::string &) {
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

/// The integer linear map the bit-sliced arrays compute, as one dense
/// matrix per group: D[(g*m + o)*rows + x] is the coefficient of gathered
/// input x in output o. In every mapping the schedule (planSchedule,
/// weightIndex) drives output o = i*k + e with the cells of w_ij[(t - e) mod k]
/// on gathered input J*k + t, each exactly once, and the unit column cancels
/// the bias encoding of those cells exactly, so D holds the quantized
/// defining vectors rotated by e. Returns false (use the cell path) when the
/// matrix is too large or an output could overflow int64; `maxEntry`
/// receives max |D|. WeightT must hold
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

/// Fixed point without cells: the integer outputs AnalogEngine computes when
/// its ADC neither rounds nor clips and its devices are ideal (isLossless),
/// as one integer dot product per output from the dense matrix of
/// buildDirectMatrix. NarrowProduct: every product |D * x|
/// fits in int32.
template <typename WeightT, bool NarrowProduct> class DirectEngine {
public:
  using X = int32_t;
  using Acc = int64_t;
  static constexpr int64_t kBatch = 1;

  DirectEngine(const CrossbarLayer &L, const HardwareDesc &hw,
               const LayerPlan &S, std::vector<WeightT> &&D)
      : L(L), rows(S.rows),
        maxX(static_cast<double>((int64_t(1) << (hw.inputBits - 1)) - 1)),
        D(std::move(D)) {}

  bool quantize(const float *x, int64_t count, std::vector<X> &out,
                double &scale, std::string &error) {
    return quantizeInput(x, count, maxX, out, scale, error);
  }

  /// Exact: buildDirectMatrix checked that no sum can overflow. `count` is
  /// 1 (kBatch).
  bool mvm(int64_t g, const X *xv, int64_t, Acc *acc, int64_t, std::string &) {
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
    return finishFixed(L, static_cast<double>(acc), sx, bias);
  }

private:
  const CrossbarLayer &L;
  const int64_t rows;
  const double maxX;
  std::vector<WeightT> D;
};

/// Fully connected: x is (batch, n) or (n); one vector per batch row, up to
/// Engine::kBatch rows per mvm.
template <typename Engine>
bool runFullyConnected(const CrossbarLayer &L, const LayerPlan &S, Engine &E,
                       const Tensor &x, Tensor &y, std::string &error) {
  const int64_t batch = x.shape.size() == 2 ? x.shape[0] : 1;
  const int64_t chunk = std::min(batch, Engine::kBatch);
  std::vector<typename Engine::X> xq, xv(chunk * S.rows);
  std::vector<typename Engine::Acc> acc(chunk * L.m);
  std::vector<double> scale(chunk);
  for (int64_t b0 = 0; b0 < batch; b0 += chunk) {
    const int64_t n = std::min(chunk, batch - b0);
    std::fill(xv.begin(), xv.end(), typename Engine::X(0));
    for (int64_t i = 0; i < n; ++i) {
      const int64_t b = b0 + i;
      if (!E.quantize(x.data.data() + b * L.n, L.n, xq, scale[i], error)) {
        error += " (batch row " + str(b) + ")";
        return false;
      }
      std::copy(xq.begin(), xq.end(), xv.begin() + i * S.rows);
    }
    std::fill(acc.begin(), acc.end(), typename Engine::Acc{});
    if (!E.mvm(0, xv.data(), n, acc.data(), b0, error))
      return false;
    for (int64_t i = 0; i < n; ++i)
      for (int64_t o = 0; o < L.m; ++o)
        y.data[(b0 + i) * L.m + o] =
            E.finish(acc[i * L.m + o], scale[i], L.bias[o]);
  }
  return true;
}

/// The im2col vector of output position (oy, ox) in (u, v, j, t) order: row
/// ((u*kernelW + v)*q + j)*k + t <- channel j*k + t of the group at the
/// window position (zero in the padding). `groupBase` is the group's first
/// channel of the H x W image.
template <typename X>
void gatherWindow(const CrossbarLayer &L, const X *groupBase, int64_t H,
                  int64_t W, int64_t oy, int64_t ox, X *xv) {
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

/// Convolution: x is N x C x H x W, y N x C_out x Ho x Wo (already sized).
/// Per image and group the im2col vectors of up to Engine::kBatch output
/// positions (row-major) are gathered and run through the group's arrays.
template <typename Engine>
bool runConvolution(const CrossbarLayer &L, const LayerPlan &S, Engine &E,
                    const Tensor &x, Tensor &y, std::string &error) {
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2],
                W = x.shape[3];
  const int64_t Ho = y.shape[2], Wo = y.shape[3], Cout = y.shape[1];
  const int64_t HW = H * W, positions = Ho * Wo;
  const int64_t chunk = std::max<int64_t>(
      1, std::min(positions, Engine::kBatch));
  std::vector<typename Engine::X> xq, xv(chunk * S.rows);
  std::vector<typename Engine::Acc> acc(chunk * L.m);
  for (int64_t img = 0; img < N; ++img) {
    double scale;
    // One input scale per image: max |x| over all its channels.
    if (!E.quantize(x.data.data() + img * C * HW, C * HW, xq, scale, error)) {
      error += " (image " + str(img) + ")";
      return false;
    }
    for (int64_t g = 0; g < L.groups; ++g) {
      const typename Engine::X *groupBase = xq.data() + g * L.n * HW;
      for (int64_t p0 = 0; p0 < positions; p0 += chunk) {
        const int64_t n = std::min(chunk, positions - p0);
        for (int64_t i = 0; i < n; ++i)
          gatherWindow(L, groupBase, H, W, (p0 + i) / Wo, (p0 + i) % Wo,
                       xv.data() + i * S.rows);
        std::fill(acc.begin(), acc.end(), typename Engine::Acc{});
        // Vector numbers (read-noise keys): (img * Ho + oy) * Wo + ox.
        if (!E.mvm(g, xv.data(), n, acc.data(), img * positions + p0, error))
          return false;
        for (int64_t i = 0; i < n; ++i)
          for (int64_t o = 0; o < L.m; ++o)
            y.data[(img * Cout + g * L.m + o) * positions + p0 + i] =
                E.finish(acc[i * L.m + o], scale, L.bias[g * L.m + o]);
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

/// Runs the layer on AnalogEngine<Devices>.
template <bool Devices>
bool runAnalog(const CrossbarLayer &L, const HardwareDesc &hw,
               const LayerPlan &S, const AnalogOptions &options,
               const AdcLaw &adc, const Tensor &x, Tensor &y,
               std::string &error) {
  AnalogEngine<Devices> E(L, hw, S, options, adc);
  return runLayer(L, S, E, x, y, error);
}

/// The analog engine's options for layer `layerIndex` of a run; false when
/// a calibrated ADC range has no calibration.
bool analogOptions(const HardwareDesc &hw, const RunOptions &options,
                   int64_t layerIndex, AnalogOptions &analog,
                   std::string &error) {
  analog.seed = options.seed;
  analog.layer = layerIndex;
  analog.ideal = options.idealAnalog;
  const size_t index = static_cast<size_t>(layerIndex);
  if (options.adcHistograms) {
    if (options.adcHistograms->size() <= index)
      options.adcHistograms->resize(index + 1);
    analog.histogram = &(*options.adcHistograms)[index];
  }
  if (options.arithmetic == Arithmetic::FixedPoint && !options.idealAnalog &&
      hw.adcRange == "calibrated") {
    if (index >= options.adcFullScale.size() ||
        !(options.adcFullScale[index] > 0)) {
      error = "adc_range = calibrated needs a calibration run "
              "(--calibration-input)";
      return false;
    }
    analog.calibratedFullScale = options.adcFullScale[index];
  }
  return true;
}

} // namespace

bool runCrossbar(const CrossbarLayer &L, const HardwareDesc &hw,
                 const RunOptions &options, int64_t layerIndex,
                 const Tensor &x, Tensor &y, std::string &error) {
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
  AnalogOptions analog;
  if (!analogOptions(hw, options, layerIndex, analog, error))
    return false;
  const AdcLaw adc =
      adcLaw(hw, options.idealAnalog ? 0 : program::layerAdcBits(L, hw),
             options.idealAnalog, analog.calibratedFullScale);
  const bool direct = !options.bitSliced && !analog.histogram &&
                      (options.idealAnalog || isLossless(L, hw, adc));
  bool ok;
  if (options.arithmetic == Arithmetic::FloatReference) {
    FloatEngine E(L, S);
    ok = runLayer(L, S, E, x, y, error);
  } else if (direct &&
             (hw.weightBits <= 16
                  ? runDirect<int16_t>(L, hw, S, x, y, ok, error)
                  : runDirect<int32_t>(L, hw, S, x, y, ok, error))) {
    // The direct product ran: bit-identical to the cells (isLossless).
  } else if (!options.idealAnalog && model::hasDeviceNonIdealities(hw)) {
    ok = runAnalog<true>(L, hw, S, analog, adc, x, y, error);
  } else {
    ok = runAnalog<false>(L, hw, S, analog, adc, x, y, error);
  }
  return ok;
}

} // namespace rebocc::sim
