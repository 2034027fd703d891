"""Inputs and expected values for legacy-broadcast.onnxtxt, by explicit loops
over the opset 1-6 rule (B's dims lined up with A's from `axis`), not by
numpy broadcasting.

  legacy_broadcast.py inputs DIR   writes DIR/x.pb (X, [2, 3, 2, 2]), DIR/s.pb
  legacy_broadcast.py check DIR    compares DIR/out/output_{0,1,2}.pb
"""
import itertools
import os
import sys

import numpy as np

# The tensor file reader and writer of the onnxruntime checks.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "e2e", "Inputs"))
from ort_cross_check import read_tensor, write_input  # noqa: E402

X = np.arange(24, dtype=np.float32).reshape(2, 3, 2, 2) / 4
S = np.array([2.0, -3.0, 0.5], np.float32)
H = np.array([1.0, 10.0], np.float32)


def legacy(a, b, axis, fn):
    out = np.empty_like(a)
    for idx in itertools.product(*map(range, a.shape)):
        out[idx] = fn(a[idx], b[idx[axis:axis + b.ndim]])
    return out


mode, folder = sys.argv[1:3]
if mode == "inputs":
    for name, array, file in (("X", X, "x.pb"), ("S", S, "s.pb")):
        write_input(os.path.join(folder, file), array, name)
    sys.exit(0)
expected = {
    "Y": legacy(X, H, 2, lambda x, y: x + y),
    "Z": legacy(X, S, 1, lambda x, y: x * y),
    "W": legacy(X, H, 3, lambda x, y: x - y),  # no axis: the trailing dims
}
status = 0
for i, (name, want) in enumerate(expected.items()):
    got = read_tensor(os.path.join(folder, "out", f"output_{i}.pb"))
    same = got.shape == want.shape and np.array_equal(got, want)
    print(f"{name} {'matches' if same else 'DIFFERS from'} the legacy rule")
    status |= not same
sys.exit(status)
