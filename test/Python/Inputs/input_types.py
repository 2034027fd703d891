"""In-memory inputs against rebocc-sim's input files (input-types.test).

    input_types.py MLP_DIR TYPED_DIR OUT_DIR

MLP_DIR is the bundled Fashion-MNIST MLP (a float32 input); TYPED_DIR holds
typed.onnx and its files (test/Sim/Inputs/typed_inputs.py: BOOL, INT64,
INT64 and UINT64 inputs). Writes to OUT_DIR the float64 and int64 files of
the MLP's input, which the test also gives to rebocc-sim, and prints one
line per check for FileCheck.
"""
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

import rebocc

mlp_dir, typed_dir, out_dir = sys.argv[1:4]


def tensor(path):
    return numpy_helper.to_array(onnx.load_tensor(path))


def save(array, name):
    with open(os.path.join(out_dir, name), "wb") as f:
        f.write(numpy_helper.from_array(array, "input").SerializeToString())


def error(program, inputs, **kwargs):
    try:
        program.run(inputs, **kwargs)
    except (rebocc.Error, TypeError) as e:
        print("%s.%s: %s" % (type(e).__module__, type(e).__name__, e))
        return
    raise AssertionError("no error for %r" % ([a.dtype for a in inputs],))


mlp = rebocc.compile(os.path.join(mlp_dir, "model.onnx"))
x = tensor(os.path.join(mlp_dir, "test_data_set_0", "input_0.pb"))[:8]
(reference,), _ = mlp.run([x])

# A float32 input takes float32; float64, float16 and int64 are refused as
# rebocc-sim refuses files of those types (the test runs it on the same
# data), a dtype ONNX has no type for too.
save(x.astype(np.float64), "x-double.pb")
save(x.astype(np.int64), "x-int64.pb")
error(mlp, [x.astype(np.float64)])
error(mlp, [x.astype(np.float16)])
error(mlp, [x.astype(np.int64)])
error(mlp, [x.astype(np.complex64)])
error(mlp, [x.tolist()])

# The layout is not the values: a transposed view, a strided slice and
# big-endian float32 run as their contiguous copies do, byte for byte.
columns = np.asfortranarray(x)
assert not columns.flags.c_contiguous
(y,), _ = mlp.run([columns])
assert y.tobytes() == reference.tobytes()
wide = np.zeros((8, 2 * 784), np.float32)
wide[:, ::2] = x
(y,), _ = mlp.run([wide[:, ::2]])
assert y.tobytes() == reference.tobytes()
(y,), _ = mlp.run([x.astype(">f4")])
assert y.tobytes() == reference.tobytes()
print("layouts: equal to the contiguous input byte for byte")

# 8-bit data (quantized inputs) is taken as rebocc-sim takes it: each value
# converted exactly; these are the float32 values' own integers.
pixels = np.round(x * 255)
(y,), _ = mlp.run([pixels.astype(np.uint8)])
(z,), _ = mlp.run([pixels.astype(np.float32)])
assert y.tobytes() == z.tobytes()
print("uint8: equal to its float32 values")

# The rank and the shape are the program's.
error(mlp, [x[0]])
error(mlp, [np.ones((), np.float32)])
error(mlp, [np.float32(1.0)])
error(mlp, [x[:, :700]])

# Typed inputs (c BOOL, x INT64, y INT64, u UINT64; test/Sim/typed-inputs.test
# computes the outputs by hand): arrays of those dtypes, converted exactly.
typed = rebocc.compile(os.path.join(typed_dir, "typed.onnx"))
c = np.array([[1, 0, 1], [0, 1, 0]], bool)
xi = np.array([[16777216, -16777216, 3], [4, -5, 6]], np.int64)
yi = np.array([[0, 1, 2], [4, 5, -6]], np.int64)
u = np.array([7, 9], np.uint64)
(w, e, n), _ = typed.run([c, xi, yi, u])
print("typed:", w.tolist(), e.tolist(), n.tolist())
print("typed dtypes:", w.dtype, e.dtype, n.dtype, "shapes:", w.shape, e.shape,
      n.shape)
# Each output is what rebocc-sim's --output-dir file of the same inputs
# holds (written by input-types.test into OUT_DIR/q), dtype and bytes.
for i, array in enumerate((w, e, n)):
    written = tensor(os.path.join(out_dir, "q", "output_%d.pb" % i))
    assert array.dtype == written.dtype, (i, array.dtype, written.dtype)
    assert array.tobytes() == written.tobytes(), i
print("typed: equal to rebocc-sim's output files")
# The same values rebocc-sim writes for the files of typed-inputs.test.
(w2, e2, n2), _ = typed.run([c, xi, yi, u], float_reference=True)
assert w2.tobytes() == w.tobytes() and e2.tobytes() == e.tobytes()
error(typed, [c, xi.astype(np.float32), yi, u])
error(typed, [c.astype(np.int64), xi, yi, u])
error(typed, [c, xi.astype(np.int32), yi, u])
error(typed, [c, np.array([[16777217, 0, 0], [0, 0, 0]], np.int64), yi, u])
error(typed, [c, np.array([[0, 0, 0], [0, 0, -16777217]], np.int64), yi, u])
error(typed, [c, xi, yi, np.array([7, 18446744073709551615], np.uint64)])
