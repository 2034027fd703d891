//===- RecurrentKernels.cpp - the lstm, gru and rnn cells -----------------===//
//
// A recurrent cell is a loop over the time steps of its input, never
// unrolled into the program: each step runs the recurrent crossbar layers on
// the previous hidden state (runCrossbar, the same engines as a crossbar
// instruction, fixed point or float reference) and the gates on the digital
// units, with ONNX LSTM / GRU semantics (default activations) or ONNX RNN's
// (a gru instruction with mode rnn, any of its activations). The input
// projection W x_t + Wb is the operand x, computed for all steps at once by
// an ordinary crossbar layer before the loop.
//
//===----------------------------------------------------------------------===//

#include "CrossbarEngine.h"
#include "SimSupport.h"
#include "rebocc/Support/RnnActivation.h"

#include <algorithm>
#include <cmath>

namespace rebocc::sim {

using namespace program;

namespace {

float sigmoid(float v) {
  return static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(v))));
}

float tanhf32(float v) {
  return static_cast<float>(std::tanh(static_cast<double>(v)));
}

/// The recurrent state and what every step needs.
struct Loop {
  const Program &P;
  const Instruction &I;
  const RunOptions &options;
  TaskRunner &tasks;
  int64_t batch, hidden, steps;
  Tensor h, c;

  float clip(float v) const {
    return I.alpha > 0 ? std::max(-I.alpha, std::min(I.alpha, v)) : v;
  }
  /// Recurrent layer `i` of the instruction on `in` (B x H).
  bool read(size_t i, const Tensor &in, Tensor &out, std::string &error) {
    int64_t index = I.layers[i];
    return runCrossbar(P.layers[index], P.hw, options, index, in, out, tasks,
                       error);
  }
  /// Time index of step s.
  int64_t timeOf(int64_t s) const { return I.reverse ? steps - 1 - s : s; }
};

/// One LSTM step at time t: gates i, o, f, c (ONNX order) from x_t and
/// R h + Rb, peepholes i, o, f.
bool lstmStep(Loop &L, const float *x, const float *peep, std::string &error) {
  Tensor rh;
  if (!L.read(0, L.h, rh, error))
    return false;
  const int64_t H = L.hidden;
  for (int64_t b = 0; b < L.batch; ++b) {
    const float *g = x + b * 4 * H, *r = rh.data.data() + b * 4 * H;
    float *h = L.h.data.data() + b * H, *c = L.c.data.data() + b * H;
    for (int64_t j = 0; j < H; ++j) {
      float gi = g[j] + r[j], go = g[H + j] + r[H + j];
      float gf = g[2 * H + j] + r[2 * H + j], gc = g[3 * H + j] + r[3 * H + j];
      if (peep) {
        gi += peep[j] * c[j];
        gf += peep[2 * H + j] * c[j];
      }
      float i = sigmoid(L.clip(gi)), f = sigmoid(L.clip(gf));
      float cell = f * c[j] + i * tanhf32(L.clip(gc));
      if (peep)
        go += peep[H + j] * cell;
      c[j] = cell;
      h[j] = sigmoid(L.clip(go)) * tanhf32(cell);
    }
  }
  return true;
}

/// One GRU step: gates z, r, h (ONNX order). With linear_before_reset the
/// candidate is tanh(x_h + r * (R_h h + Rb_h)) from the one layer; without,
/// tanh(x_h + R_h (r * h) + Rb_h), a second read after the reset gate.
bool gruStep(Loop &L, const float *x, std::string &error) {
  Tensor rh;
  if (!L.read(0, L.h, rh, error))
    return false;
  const int64_t H = L.hidden, width = rh.shape[1];
  std::vector<float> z(L.batch * H), cand(L.batch * H);
  Tensor reset;
  reset.shape = {L.batch, H};
  reset.data.resize(L.batch * H);
  for (int64_t b = 0; b < L.batch; ++b)
    for (int64_t j = 0; j < H; ++j) {
      const float *g = x + b * 3 * H, *r = rh.data.data() + b * width;
      z[b * H + j] = sigmoid(L.clip(g[j] + r[j]));
      float rg = sigmoid(L.clip(g[H + j] + r[H + j]));
      if (L.I.linearBeforeReset)
        cand[b * H + j] = tanhf32(L.clip(g[2 * H + j] + rg * r[2 * H + j]));
      else
        reset.data[b * H + j] = rg * L.h.data[b * H + j];
    }
  if (!L.I.linearBeforeReset) {
    Tensor rhh;
    if (!L.read(1, reset, rhh, error))
      return false;
    for (int64_t b = 0; b < L.batch; ++b)
      for (int64_t j = 0; j < H; ++j)
        cand[b * H + j] = tanhf32(
            L.clip(x[b * 3 * H + 2 * H + j] + rhh.data[b * H + j]));
  }
  for (int64_t e = 0; e < L.batch * H; ++e)
    L.h.data[e] = (1.0f - z[e]) * cand[e] + z[e] * L.h.data[e];
  return true;
}

/// One simple RNN step (gru mode rnn): h = f(clip(x_t + R h + Rb)) with the
/// instruction's ONNX activation f.
bool rnnStep(Loop &L, const float *x, std::string &error) {
  Tensor rh;
  if (!L.read(0, L.h, rh, error))
    return false;
  for (int64_t e = 0; e < L.batch * L.hidden; ++e)
    L.h.data[e] = support::applyRnnActivation(
        L.I.activation, L.I.activationAlpha, L.I.activationBeta,
        L.clip(x[e] + rh.data[e]));
  return true;
}

} // namespace

bool runRecurrent(const Instruction &I, const Program &P,
                  const RunOptions &options,
                  const std::vector<const Tensor *> &ins, Tensor &out,
                  TaskRunner &tasks, std::string &error) {
  const Tensor &x = *ins[0];
  const bool lstm = I.op == OpCode::Lstm;
  Loop L{P, I, options, tasks, ins[1]->shape[0], ins[1]->shape[1], 0,
         *ins[1], lstm ? *ins[2] : Tensor()};
  L.steps = x.shape[0] / L.batch;
  const float *peep = lstm && ins.size() == 4 ? ins[3]->data.data() : nullptr;
  const int64_t stride = L.batch * L.hidden, width = x.shape[1];
  out.shape = {L.steps + (lstm ? 2 : 1), L.batch, L.hidden};
  out.data.assign(out.shape[0] * stride, 0.0f);
  for (int64_t s = 0; s < L.steps; ++s) {
    int64_t t = L.timeOf(s);
    const float *xt = x.data.data() + t * L.batch * width;
    bool stepped = lstm              ? lstmStep(L, xt, peep, error)
                   : I.mode == "rnn" ? rnnStep(L, xt, error)
                                     : gruStep(L, xt, error);
    if (!stepped) {
      error = "time step " + str(t) + ": " + error;
      return false;
    }
    std::copy(L.h.data.begin(), L.h.data.end(), out.data.begin() + t * stride);
  }
  std::copy(L.h.data.begin(), L.h.data.end(),
            out.data.begin() + L.steps * stride);
  if (lstm)
    std::copy(L.c.data.begin(), L.c.data.end(),
              out.data.begin() + (L.steps + 1) * stride);
  return true;
}

} // namespace rebocc::sim
