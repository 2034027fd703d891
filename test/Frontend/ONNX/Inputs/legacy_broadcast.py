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
import onnx
from onnx import numpy_helper

X = np.arange(24, dtype=np.float32).reshape(2, 3, 2, 2) / 4
S = np.array([2.0, -3.0, 0.5], np.float32)
H = np.array([1.0, 10.0], np.float32)


def legacy(a, b, axis, fn):
    out = np.empty_like(a)
    for idx in itertools.product(*map(range, a.shape)):
        out[idx] = fn(a[idx], b[idx[axis:axis + b.ndim]])
    return out


def read(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


mode, folder = sys.argv[1:3]
if mode == "inputs":
    for name, array, file in (("X", X, "x.pb"), ("S", S, "s.pb")):
        with open(os.path.join(folder, file), "wb") as f:
            f.write(numpy_helper.from_array(array, name).SerializeToString())
    sys.exit(0)
expected = {
    "Y": legacy(X, H, 2, lambda x, y: x + y),
    "Z": legacy(X, S, 1, lambda x, y: x * y),
    "W": legacy(X, H, 3, lambda x, y: x - y),  # no axis: the trailing dims
}
status = 0
for i, (name, want) in enumerate(expected.items()):
    got = read(os.path.join(folder, "out", f"output_{i}.pb"))
    same = got.shape == want.shape and np.array_equal(got, want)
    print(f"{name} {'matches' if same else 'DIFFERS from'} the legacy rule")
    status |= not same
sys.exit(status)
