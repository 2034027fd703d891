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
#include "DirectMatrix.h"
#include "ExactGemm.h"
#include "SimSupport.h"
#include "rebocc/Model/CountProgram.h"
#include "rebocc/Target/Program/AdcNeed.h"
#include "rebocc/Target/Program/Layout.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>

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

  float finish(Acc acc, double, float, float bias) const {
    return static_cast<float>(acc + bias);
  }

private:
  const LayerPlan &S;
  std::vector<std::vector<float>> cells; // per array, row-major rows x cols
  std::vector<double> colAcc;
};

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
        D(std::make_shared<const std::vector<WeightT>>(std::move(D))) {}

  bool quantize(const float *x, int64_t count, std::vector<X> &out,
                double &scale, std::string &error) {
    return quantizeInput(x, count, maxX, out, scale, error, L.inputBits > 0);
  }

  /// Exact: buildDirectMatrix checked that no sum can overflow. `count` is
  /// 1 (kBatch).
  bool mvm(int64_t g, const X *xv, int64_t, Acc *acc, int64_t, std::string &) {
    for (int64_t o = 0; o < L.m; ++o) {
      const WeightT *d = D->data() + (g * L.m + o) * rows;
      int64_t sum = 0;
      for (int64_t r = 0; r < rows; ++r)
        sum += NarrowProduct
                   ? static_cast<int64_t>(static_cast<int32_t>(d[r]) * xv[r])
                   : static_cast<int64_t>(d[r]) * xv[r];
      acc[o] += sum;
    }
    return true;
  }

  float finish(Acc acc, double sx, float weightScale, float bias) const {
    return finishFixed(weightScale, static_cast<double>(acc), sx, bias);
  }

private:
  const CrossbarLayer &L;
  const int64_t rows;
  const double maxX;
  /// Shared by the workers' copies (WorkerEngines).
  std::shared_ptr<const std::vector<WeightT>> D;
};

/// One engine per worker of `tasks`: `E` and copies of it (each with its
/// own scratch; the programmed cells are copied, not redrawn).
template <typename Engine> class WorkerEngines {
public:
  WorkerEngines(Engine &E, const TaskRunner &tasks) : first(E) {
    copies.reserve(tasks.workers() - 1);
    for (unsigned w = 1; w < tasks.workers(); ++w)
      copies.push_back(E);
  }
  Engine &operator[](unsigned worker) {
    return worker == 0 ? first : copies[worker - 1];
  }

private:
  Engine &first;
  std::vector<Engine> copies;
};

/// The first error of `errors` (by task) into `error`; false if any.
bool firstError(const std::vector<std::string> &errors, std::string &error) {
  for (const std::string &e : errors)
    if (!e.empty()) {
      error = e;
      return false;
    }
  return true;
}

/// Fully connected: x is (batch, n) or (n); one vector per batch row, up to
/// Engine::kBatch rows per mvm and per task.
template <typename Engine>
bool runFullyConnected(const CrossbarLayer &L, const LayerPlan &S, Engine &E,
                       const Tensor &x, Tensor &y, TaskRunner &tasks,
                       std::string &error) {
  const int64_t batch = x.shape.size() == 2 ? x.shape[0] : 1;
  const int64_t chunk = std::max<int64_t>(1, std::min(batch, Engine::kBatch));
  const int64_t chunks = (batch + chunk - 1) / chunk;
  WorkerEngines<Engine> engines(E, tasks);
  std::vector<std::string> errors(chunks);
  tasks.forEach(chunks, [&](int64_t task, unsigned w) {
    Engine &Ew = engines[w];
    std::string &err = errors[task];
    const int64_t b0 = task * chunk, n = std::min(chunk, batch - b0);
    std::vector<typename Engine::X> xq, xv(n * S.rows, typename Engine::X(0));
    std::vector<typename Engine::Acc> acc(n * L.m);
    std::vector<double> scale(n);
    for (int64_t i = 0; i < n; ++i) {
      const int64_t b = b0 + i;
      if (!Ew.quantize(x.data.data() + b * L.n, L.n, xq, scale[i], err)) {
        err += " (batch row " + str(b) + ")";
        return;
      }
      std::copy(xq.begin(), xq.end(), xv.begin() + i * S.rows);
    }
    if (!Ew.mvm(0, xv.data(), n, acc.data(), b0, err))
      return;
    for (int64_t i = 0; i < n; ++i)
      for (int64_t o = 0; o < L.m; ++o)
        y.data[(b0 + i) * L.m + o] =
            Ew.finish(acc[i * L.m + o], scale[i], L.scaleOfOutput(o),
                      L.bias[o]);
  });
  return firstError(errors, error);
}

/// Convolution: x is N x C x H x W, y N x C_out x Ho x Wo (already sized).
/// Per image and group the im2col vectors of up to Engine::kBatch output
/// positions (row-major) are gathered and run through the group's arrays;
/// a task runs a few such chunks. The chunks, hence the vector numbers that
/// key the read noise, do not depend on the tasks.
template <typename Engine>
bool runConvolution(const CrossbarLayer &L, const LayerPlan &S, Engine &E,
                    const Tensor &x, Tensor &y, TaskRunner &tasks,
                    std::string &error) {
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  const int64_t Ho = y.shape[2], Wo = y.shape[3], Cout = y.shape[1];
  const int64_t HW = H * W, positions = Ho * Wo;
  const int64_t chunk =
      std::max<int64_t>(1, std::min(positions, Engine::kBatch));
  const int64_t span = chunk * std::max<int64_t>(1, 64 / chunk);
  const int64_t spans = (positions + span - 1) / span;
  // One input scale per image: max |x| over all its channels.
  std::vector<std::vector<typename Engine::X>> xq(N);
  std::vector<double> scale(N);
  for (int64_t img = 0; img < N; ++img)
    if (!E.quantize(x.data.data() + img * C * HW, C * HW, xq[img], scale[img],
                    error)) {
      error += " (image " + str(img) + ")";
      return false;
    }
  WorkerEngines<Engine> engines(E, tasks);
  std::vector<std::string> errors(N * L.groups * spans);
  tasks.forEach(N * L.groups * spans, [&](int64_t task, unsigned w) {
    Engine &Ew = engines[w];
    const int64_t img = task / (L.groups * spans), g = task / spans % L.groups;
    const int64_t first = task % spans * span;
    const int64_t last = std::min(positions, first + span);
    const typename Engine::X *groupBase = xq[img].data() + g * L.n * HW;
    std::vector<typename Engine::X> xv(chunk * S.rows);
    std::vector<typename Engine::Acc> acc(chunk * L.m);
    for (int64_t p0 = first; p0 < last; p0 += chunk) {
      const int64_t n = std::min(chunk, positions - p0);
      for (int64_t i = 0; i < n; ++i)
        gatherWindow(L, groupBase, H, W, (p0 + i) / Wo, (p0 + i) % Wo,
                     xv.data() + i * S.rows);
      std::fill(acc.begin(), acc.end(), typename Engine::Acc{});
      // Vector numbers (read-noise keys): (img * Ho + oy) * Wo + ox.
      if (!Ew.mvm(g, xv.data(), n, acc.data(), img * positions + p0,
                  errors[task]))
        return;
      for (int64_t i = 0; i < n; ++i)
        for (int64_t o = 0; o < L.m; ++o)
          y.data[(img * Cout + g * L.m + o) * positions + p0 + i] =
              Ew.finish(acc[i * L.m + o], scale[img],
                        L.scaleOfOutput(g * L.m + o), L.bias[g * L.m + o]);
    }
  });
  return firstError(errors, error);
}

template <typename Engine>
bool runLayer(const CrossbarLayer &L, const LayerPlan &S, Engine &E,
              const Tensor &x, Tensor &y, TaskRunner &tasks,
              std::string &error) {
  return L.kind == LayerKind::Convolution
             ? runConvolution(L, S, E, x, y, tasks, error)
             : runFullyConnected(L, S, E, x, y, tasks, error);
}

/// Runs the layer on DirectEngine; false (nothing run) when
/// buildDirectMatrix refuses the layer, else `ok` is runLayer's result.
template <typename WeightT>
bool runDirect(const CrossbarLayer &L, const HardwareDesc &hw,
               const LayerPlan &S, const Tensor &x, Tensor &y,
               TaskRunner &tasks, bool &ok, std::string &error) {
  std::vector<WeightT> D;
  int64_t maxEntry = 0;
  if (!buildDirectMatrix(L, hw, S, D, maxEntry))
    return false;
  const int64_t maxX = (int64_t(1) << (hw.inputBits - 1)) - 1;
  if (maxEntry * maxX <= INT32_MAX) {
    DirectEngine<WeightT, true> E(L, hw, S, std::move(D));
    ok = runLayer(L, S, E, x, y, tasks, error);
  } else {
    DirectEngine<WeightT, false> E(L, hw, S, std::move(D));
    ok = runLayer(L, S, E, x, y, tasks, error);
  }
  return true;
}

/// Runs the layer on AnalogEngine<Devices>.
template <bool Devices>
bool runAnalog(const CrossbarLayer &L, const HardwareDesc &hw,
               const LayerPlan &S, const AnalogOptions &options,
               const AdcLaw &adc, const Tensor &x, Tensor &y, TaskRunner &tasks,
               std::string &error) {
  AnalogEngine<Devices> E(L, hw, S, options, adc);
  if (!options.histogram)
    return runLayer(L, S, E, x, y, tasks, error);
  // The histogram is one shared count: one worker.
  TaskRunner serial(1);
  return runLayer(L, S, E, x, y, serial, error);
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

bool runCrossbar(const CrossbarLayer &L, const HardwareDesc &chip,
                 const RunOptions &options, int64_t layerIndex, const Tensor &x,
                 Tensor &y, TaskRunner &tasks, std::string &error) {
  // The layer's own weight bits (integer weights) set its cells and offset.
  const HardwareDesc hw = program::layerHardware(L, chip);
  error = model::crossbarOutputShape(L, x.shape, y.shape);
  if (!error.empty())
    return false;
  int64_t count = boundedCount(y.shape);
  if (count < 0) {
    error = "crossbar output " + shapeToString(y.shape) + " is too large";
    return false;
  }
  y.data.assign(count, 0.0f);

  AnalogOptions analog;
  if (!analogOptions(hw, options, layerIndex, analog, error))
    return false;
  const AdcLaw adc =
      adcLaw(hw, options.idealAnalog ? 0 : program::layerAdcBits(L, hw),
             options.idealAnalog, analog.calibratedFullScale);
  const bool direct = !options.bitSliced && !analog.histogram &&
                      (options.idealAnalog || isLossless(L, hw, adc));
  bool ok, ran = false;
  const bool fixed = options.arithmetic == Arithmetic::FixedPoint;
  if (fixed && direct) {
    // The double GEMM reads only the plan's sizes: the arrays' schedule
    // tables are a sizeable part of a short run, so they are built only for
    // the paths that read them.
    ok = runExactGemm(L, hw, planSizes(L), x, y, tasks, ran, error);
    if (ran) // exact, bit-identical to the cells (isLossless)
      return ok;
  }
  LayerPlan S = planSchedule(L);
  if (!fixed) {
    FloatEngine E(L, S);
    ok = runLayer(L, S, E, x, y, tasks, error);
  } else if (direct &&
             (hw.weightBits <= 16
                  ? runDirect<int16_t>(L, hw, S, x, y, tasks, ok, error)
                  : runDirect<int32_t>(L, hw, S, x, y, tasks, ok, error))) {
    // The integer direct product ran: where double sums could round, or
    // the double matrix would be too large.
  } else if (!options.idealAnalog && model::hasDeviceNonIdealities(hw)) {
    ok = runAnalog<true>(L, hw, S, analog, adc, x, y, tasks, error);
  } else {
    ok = runAnalog<false>(L, hw, S, analog, adc, x, y, tasks, error);
  }
  return ok;
}

} // namespace rebocc::sim
