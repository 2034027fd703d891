"""LayerNormalization over a short last dimension against onnxruntime-node
(test/e2e/layernorm-small-ort.test), bit for bit, rebocc --run in float
reference and fixed point (no crossbar layer).

Below 8 normalized elements onnxruntime 1.30 (CPU) computes each row with
a running mean and sum of squared deviations in float32 (measured:
docs/SupportedOps.md), which rebocc reproduces with digital ops:
  d = x_k - m;  m = m + d / k;  M2 = M2 + d * (x_k - m)   (k = 1..n)
  sigma = sqrt(M2 / n + epsilon);  Y = (x - m) / sigma * Scale + B
  Mean = m;  InvStdDev = 1 / sigma
One model per n = 1..7 (x [2000, n] and a batch-dynamic [N, 3, n] at
opset 17, epsilon 1e-5, random Scale and B), on normal data, data far
from 0 (1000 + normal), data of mixed magnitudes and rows of one repeated
value (M2 = 0). Each output must equal onnxruntime's bit for bit; the
count of elements numpy's float32 recurrence above disagrees with (0 for
all: the recurrence is onnxruntime's) and of those the two-pass formulas
get wrong (numpy: the mean as the exact sum rounded to float32, over n;
the variance and the normalization in double precision around the exact
mean, rounded once; what rebocc computed before 2026-12-04, up to its own
summation order) show the inputs tell the recurrence apart.
"""
import os
import sys

import numpy as np
from onnx import TensorProto as T, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (finish, model_at_opset,  # noqa: E402
                             ort_and_rebocc_runs, read_tensor, script_args,
                             write_inputs)

import onnx  # noqa: E402

F = np.float32
D = np.float64
EPS = F(1e-5)
RNG = np.random.default_rng(17)
ROWS = 500


def rows(n):
    """ROWS rows of each kind: normal, offset, mixed magnitudes, repeated."""
    normal = RNG.standard_normal((ROWS, n))
    offset = 1000 + RNG.standard_normal((ROWS, n))
    mixed = (RNG.standard_normal((ROWS, n)) *
             10.0 ** RNG.integers(-3, 4, (ROWS, n)))
    repeated = np.repeat(RNG.standard_normal((ROWS, 1)), n, axis=1)
    return np.concatenate([normal, offset, mixed, repeated]).astype(F)


def running(x, scale, bias):
    """onnxruntime's float32 recurrence over the last axis."""
    flat = x.reshape(-1, x.shape[-1])
    n = flat.shape[1]
    m = np.zeros(flat.shape[0], F)
    m2 = np.zeros(flat.shape[0], F)
    for k in range(n):
        d = (flat[:, k] - m).astype(F)
        m = (m + d / F(k + 1)).astype(F)
        m2 = (m2 + d * (flat[:, k] - m)).astype(F)
    sigma = np.sqrt((m2 / F(n) + EPS).astype(F)).astype(F)
    y = ((flat - m[:, None]).astype(F) / sigma[:, None]).astype(F)
    y = (y * scale).astype(F) + bias
    shape = x.shape[:-1] + (1,)
    return (y.astype(F).reshape(x.shape), m.reshape(shape),
            (F(1) / sigma).astype(F).reshape(shape))


def two_pass(x, scale, bias):
    """The sum-over-count formulas (see the module comment)."""
    flat = x.reshape(-1, x.shape[-1]).astype(D)
    n = flat.shape[1]
    mean = (flat.sum(1).astype(F) / F(n)).astype(F)
    exact = flat.sum(1) / n
    sigma = np.sqrt(((flat - exact[:, None]) ** 2).sum(1) / n + EPS)
    y = ((flat - exact[:, None]) / sigma[:, None]).astype(F)
    y = (y * scale).astype(F) + bias
    shape = x.shape[:-1] + (1,)
    return (y.astype(F).reshape(x.shape), mean.reshape(shape),
            (1 / sigma).astype(F).reshape(shape))


def graph(n, x):
    dims = ["N"] + list(x.shape[1:]) if x.ndim == 3 else list(x.shape)
    stats = dims[:-1] + [1]
    return helper.make_graph(
        [helper.make_node("LayerNormalization", ["x", "scale", "bias"],
                          ["y", "mean", "inv"], axis=-1, epsilon=float(EPS))],
        f"ln{n}", [helper.make_tensor_value_info("x", T.FLOAT, dims)],
        [helper.make_tensor_value_info("y", T.FLOAT, dims),
         helper.make_tensor_value_info("mean", T.FLOAT, stats),
         helper.make_tensor_value_info("inv", T.FLOAT, stats)],
        [numpy_helper.from_array(RNG.uniform(0.5, 2, n).astype(F), "scale"),
         numpy_helper.from_array(RNG.uniform(-1, 1, n).astype(F), "bias")])


def main():
    src, rebocc, out = script_args()
    status = 0
    for n in range(1, 8):
        for label, x in (("2d", rows(n)),
                         ("3d", rows(n)[:1200].reshape(400, 3, n))):
            g = graph(n, x)
            scale = numpy_helper.to_array(g.initializer[0])
            bias = numpy_helper.to_array(g.initializer[1])
            folder = os.path.join(out, f"n{n}-{label}")
            os.makedirs(folder, exist_ok=True)
            path = os.path.join(folder, "ln.onnx")
            onnx.save(model_at_opset(g, 17), path)
            inputs = write_inputs(os.path.join(folder, "in"), {"x": x})
            ours, old = running(x, scale, bias), two_pass(x, scale, bias)
            for mode, actual in ort_and_rebocc_runs(src, rebocc, path, inputs,
                                                    folder):
                line = []
                for i, name in enumerate(("y", "mean", "inv")):
                    e = read_tensor(os.path.join(folder, "ort",
                                                 f"output_{i}.pb"))
                    got = read_tensor(os.path.join(actual, f"output_{i}.pb"))
                    same = e.shape == got.shape and np.array_equal(e, got)
                    model = int((ours[i].reshape(e.shape) != e).sum())
                    was = int((old[i].reshape(e.shape) != e).sum())
                    status |= not same or model != 0
                    line.append(f"{name} {'identical' if same else 'DIFFERENT'}"
                                f" (recurrence {model}, two-pass {was} of "
                                f"{e.size})")
                print(f"n={n} {label} {mode}: " + "; ".join(line), flush=True)
    finish(status)


if __name__ == "__main__":
    main()
