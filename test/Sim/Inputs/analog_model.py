"""An independent model of docs/Accuracy.md on one small fully connected layer.

usage:
  analog_model.py make DIR
      writes DIR/model.onnx (Gemm, 6 inputs, 3 outputs, random weights) and
      DIR/x.pb (4 rows, negative values included: the sign bit drives)
  analog_model.py check DIR OUT.pb [--seed N] [KEY=VALUE ...]
      recomputes the layer's outputs from docs/Accuracy.md (quantization,
      encoding, the counter-based generator, reads, ADC, decoding) for the
      hardware keys given (ISAAC-CE defaults otherwise) and compares them with
      rebocc-sim's OUT.pb
  analog_model.py calibrate DIR [KEY=VALUE ...]
      prints the full scale adc_range = calibrated gives on DIR/x.pb: the
      adc_clip_percentile of the ideal column sums of every read that drives
      a row (check then takes it as full_scale=N)
  analog_model.py stats DIR SIM_DIR TRIALS SIGMA
      read noise only: compares the mean and std of rebocc-sim's output error
      over seeds 0..TRIALS-1 (SIM_DIR/<seed>/output_0.pb, run with read_sigma
      = SIGMA) with a Monte Carlo of read noise SIGMA drawn by numpy's own
      generator (exit 1 when they disagree)

Written from the document, not from the C++ (lib/Sim/AnalogEngine.cpp). The
layer fits one array (6 rows, 3 weight columns, one step), so the schedule is
the identity: row r holds input r, weight column c output c.
"""
import math
import os
import statistics
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

M64 = (1 << 64) - 1
N_IN, N_OUT = 6, 3


def mix(z):
    z = (z + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def key_hash(*words):
    h = mix(words[0] & M64)
    for w in words[1:]:
        h = mix(h ^ (w & M64))
    return h


def uniform(h):
    return ((h >> 11) + 0.5) * 2.0 ** -53


_STANDARD_NORMAL = statistics.NormalDist()


def normal(h):
    # Inversion with Python's own AS 241 (statistics.NormalDist.inv_cdf).
    return _STANDARD_NORMAL.inv_cdf(uniform(h))


def round_half_away(v):
    return math.copysign(math.floor(abs(v) + 0.5), v)


HW = {"xbar_rows": 128, "weight_bits": 16, "cell_bits": 2, "input_bits": 16,
      "adc_bits": 8, "weight_encoding": "flipped", "adc_range": "max",
      "cell_sigma": 0.0, "read_sigma": 0.0, "stuck_at_zero_rate": 0.0,
      "stuck_at_one_rate": 0.0, "on_off_ratio": "inf",
      "adc_clip_percentile": 99.99, "full_scale": 0.0}


def make(d):
    rng = np.random.default_rng(5)
    W = rng.uniform(-1, 1, (N_OUT, N_IN)).astype(np.float32)
    B = rng.uniform(-0.5, 0.5, N_OUT).astype(np.float32)
    g = helper.make_graph(
        [helper.make_node("Gemm", ["X", "W", "B"], ["Y"], transB=1)], "tiny",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", N_IN])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", N_OUT])],
        [numpy_helper.from_array(W, "W"), numpy_helper.from_array(B, "B")])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    onnx.save(m, os.path.join(d, "model.onnx"))
    x = rng.uniform(-1, 1, (4, N_IN)).astype(np.float32)
    x[1] = np.abs(x[1])  # one row without the sign bit
    onnx.save_tensor(numpy_helper.from_array(x, "X"), os.path.join(d, "x.pb"))


def load(d):
    m = onnx.load(os.path.join(d, "model.onnx"))
    init = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
    x = numpy_helper.to_array(onnx.load_tensor(os.path.join(d, "x.pb")))
    return init["W"], init["B"], x


class Layer:
    """The programmed array(s) of the layer: conductances and flip flags."""

    def __init__(self, W, hw, seed):
        wb, cb = hw["weight_bits"], hw["cell_bits"]
        self.L = (1 << cb) - 1
        self.cpw = -(-wb // cb)
        self.offset = 1 << (wb - 1)
        self.enc = hw["weight_encoding"]
        self.halves = 2 if self.enc == "differential" else 1
        # Weight scale in float32, as the compiler computes it.
        self.ws = np.float32(np.max(np.abs(W))) / np.float32(self.offset - 1)
        q = np.zeros(W.shape, dtype=np.int64)
        for i in range(N_OUT):
            for r in range(N_IN):
                v = round_half_away(float(W[i, r]) / float(self.ws))
                q[i, r] = int(max(-(self.offset - 1), min(self.offset - 1, v)))
        pc = N_OUT * self.cpw
        self.G, self.flipped = [], []
        ratio = math.inf if hw["on_off_ratio"] == "inf" else float(hw["on_off_ratio"])
        gmin = 0.0 if math.isinf(ratio) else self.L / ratio
        gstep = (self.L - gmin) / self.L
        p0, p1 = float(hw["stuck_at_zero_rate"]), float(hw["stuck_at_one_rate"])
        sigma = float(hw["cell_sigma"])
        for h in range(self.halves):
            lev = np.zeros((N_IN, pc), dtype=np.int64)
            for r in range(N_IN):
                for c in range(N_OUT):
                    if self.enc == "differential":
                        v = abs(q[c, r]) if (q[c, r] < 0) == (h == 1) else 0
                    else:
                        v = q[c, r] + self.offset
                    for b in range(self.cpw):
                        lev[r, c * self.cpw + b] = (v >> (b * cb)) & self.L
            flip = np.zeros(pc, dtype=bool)
            if self.enc == "flipped":
                for col in range(pc):
                    if 2 * lev[:, col].sum() > N_IN * self.L:
                        flip[col] = True
                        lev[:, col] = self.L - lev[:, col]
            G = np.zeros((N_IN, pc), dtype=np.float32)
            for r in range(N_IN):
                for col in range(pc):
                    idx = r * pc + col
                    if p0 + p1 > 0:
                        u = uniform(key_hash(seed, 1, 0, h, idx))
                        if u < p0 + p1:
                            G[r, col] = gmin if u < p0 else self.L
                            continue
                    g = gmin + lev[r, col] * gstep
                    if sigma > 0:
                        g *= 1.0 + sigma * normal(key_hash(seed, 2, 0, h, idx))
                    G[r, col] = max(g, 0.0)
            self.G.append(G)
            self.flipped.append(flip)


def adc(hw, L):
    bits = hw["adc_bits"]
    max_code = (1 << bits) - 1
    if hw["adc_range"] == "calibrated":
        step = max(1.0, hw["full_scale"] / max_code)
    elif hw["adc_range"] == "max":
        full = hw["xbar_rows"] * L
        if hw["weight_encoding"] == "flipped":
            full //= 2
        step = 1.0 if full <= max_code else full / max_code
    else:
        step = float(hw["adc_range"]) / max_code
    return max_code, step


def quantize_row(row, maxx):
    """Codes and scale of one input vector: sx = max|x| / maxx."""
    maxabs = max(abs(float(v)) for v in row)
    sx = maxabs / maxx
    xq = [int(max(-maxx, min(maxx, round_half_away(float(v) / sx))))
          if maxabs > 0 else 0 for v in row]
    return xq, sx


def forward(W, B, x, hw, seed):
    lay = Layer(W, hw, seed)
    ib = hw["input_bits"]
    maxx = (1 << (ib - 1)) - 1
    max_code, step = adc(hw, lay.L)
    read_sigma = float(hw["read_sigma"])
    y = np.zeros((x.shape[0], N_OUT), dtype=np.float32)
    for row in range(x.shape[0]):
        xq, sx = quantize_row(x[row], maxx)
        exact_acc = [0] * N_OUT
        code_acc = [0] * N_OUT
        for j in range(ib):
            active = [((v & 0xFFFFFFFF) >> j) & 1 for v in xq]
            pop = sum(active)
            if pop == 0:
                continue
            read = row * ib + j
            codes = []
            for h in range(lay.halves):
                G = lay.G[h]
                hc = []
                for col in range(G.shape[1]):
                    a, sq = 0.0, 0.0
                    for r in range(N_IN):
                        if active[r]:
                            a += float(G[r, col])
                            sq += float(G[r, col]) * float(G[r, col])
                    if read_sigma > 0:
                        a += read_sigma * math.sqrt(sq) * normal(
                            key_hash(seed, 3, 0, h, col, read))
                    c = math.floor(a / step + 0.5)
                    hc.append(int(min(max(c, 0), max_code)))
                codes.append(hc)
            weight = -(1 << j) if j == ib - 1 else (1 << j)
            for c in range(N_OUT):
                exact = 0 if lay.enc == "differential" else -lay.offset * pop
                code = 0
                for b in range(lay.cpw):
                    col, shift = c * lay.cpw + b, b * hw["cell_bits"]
                    if lay.enc == "differential":
                        code += (codes[0][col] - codes[1][col]) << shift
                    elif lay.flipped[0][col]:
                        exact += (lay.L * pop) << shift
                        code -= codes[0][col] << shift
                    else:
                        code += codes[0][col] << shift
                exact_acc[c] += weight * exact
                code_acc[c] += weight * code
        for c in range(N_OUT):
            if step == 1.0:
                v = float(exact_acc[c] + code_acc[c])
            else:
                v = float(exact_acc[c]) + step * float(code_acc[c])
            y[row, c] = np.float32(v * float(lay.ws) * sx + float(B[c]))
    return y


def calibrate(d, args):
    W, B, x = load(d)
    hw, _ = parse_settings(args)
    lay = Layer(W, dict(hw, cell_sigma=0.0, read_sigma=0.0,
                        stuck_at_zero_rate=0.0, stuck_at_one_rate=0.0,
                        on_off_ratio="inf"), 0)
    ib = hw["input_bits"]
    maxx = (1 << (ib - 1)) - 1
    sums = []
    for row in range(x.shape[0]):
        xq, _ = quantize_row(x[row], maxx)
        for j in range(ib):
            active = [((v & 0xFFFFFFFF) >> j) & 1 for v in xq]
            if sum(active) == 0:
                continue
            for G in lay.G:
                for col in range(G.shape[1]):
                    sums.append(int(sum(G[r, col] for r in range(N_IN)
                                        if active[r])))
    sums.sort()
    need = math.ceil(hw["adc_clip_percentile"] / 100.0 * len(sums))
    print("full scale %d of %d sums" % (max(1, sums[need - 1]), len(sums)))
    return 0


def parse_settings(args):
    hw, seed = dict(HW), 0
    it = iter(args)
    for a in it:
        if a == "--seed":
            seed = int(next(it))
            continue
        k, v = a.split("=", 1)
        hw[k] = int(v) if isinstance(HW[k], int) else (
            float(v) if isinstance(HW[k], float) else v)
    return hw, seed


def check(d, out, args):
    W, B, x = load(d)
    hw, seed = parse_settings(args)
    got = numpy_helper.to_array(onnx.load_tensor(out))
    want = forward(W, B, x, hw, seed)
    ideal = forward(W, B, x, dict(HW, adc_bits=16), seed)
    diff = float(np.max(np.abs(got - want)))
    scale = float(np.max(np.abs(want)))
    print("max |rebocc - model| %.3g of max |y| %.3g" % (diff, scale))
    print("max |model - ideal| %.3g" % float(np.max(np.abs(want - ideal))))
    ok = diff <= 1e-6 * scale
    print("MATCH" if ok else "MISMATCH")
    return 0 if ok else 1


def stats(d, sim_dir, trials, sigma):
    # sigma: the model's read noise; rebocc-sim ran with its own.
    """Read noise only, ISAAC-CE defaults otherwise (8-bit ADC, step 1).

    The model draws, per column and read, N(0, sigma^2 * sum G^2) with numpy's
    generator, rounds to the ADC code and decodes, for `trials` trials. Per
    output, the mean and std of the error (against the noise-free output)
    must agree within 4 standard errors of the difference of two independent
    estimates from `trials` samples each: std * sqrt(2/T) for the mean,
    std / sqrt(T) for the std (near-normal errors: sigma large enough that
    every read is noisy, not a rare rounding)."""
    W, B, x = load(d)
    clean = forward(W, B, x, dict(HW), 0)
    sim = np.stack([numpy_helper.to_array(onnx.load_tensor(
        os.path.join(sim_dir, str(s), "output_0.pb"))) for s in range(trials)])
    rng = np.random.default_rng(12345)
    model = np.stack([forward_numpy_noise(W, B, x, sigma, rng)
                      for _ in range(trials)])
    e_sim, e_mod = sim - clean, model - clean
    ok = True
    ref = e_mod.std(0)
    for name, a, b, se in (
            ("mean", e_sim.mean(0), e_mod.mean(0), math.sqrt(2.0 / trials)),
            ("std", e_sim.std(0), e_mod.std(0), math.sqrt(1.0 / trials))):
        tol = 4.0 * ref * se + 1e-7
        worst = float(np.max(np.abs(a - b) / tol))
        print("%s of the error: worst |rebocc - numpy| / tolerance %.2f" %
              (name, worst))
        ok = ok and worst <= 1.0
    print("error std (rebocc) %.4g, noise is not vacuous: %s" %
          (float(e_sim.std()), float(e_sim.std()) > 0))
    print("AGREE" if ok else "DISAGREE")
    return 0 if ok else 1


def forward_numpy_noise(W, B, x, sigma, rng):
    """forward() with read noise drawn by numpy instead of the hash."""
    global normal
    saved = normal
    normal = lambda h: float(rng.standard_normal())
    try:
        return forward(W, B, x, dict(HW, read_sigma=sigma), 0)
    finally:
        normal = saved


def main():
    cmd = sys.argv[1]
    if cmd == "make":
        make(sys.argv[2])
        return 0
    if cmd == "check":
        return check(sys.argv[2], sys.argv[3], sys.argv[4:])
    if cmd == "calibrate":
        return calibrate(sys.argv[2], sys.argv[3:])
    if cmd == "stats":
        return stats(sys.argv[2], sys.argv[3], int(sys.argv[4]),
                     float(sys.argv[5]))
    raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    sys.exit(main())
