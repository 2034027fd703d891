#!/usr/bin/python3
"""Run an ONNX model in float64 with numpy, to measure how far float32 runs
(onnxruntime, rebocc --float-reference) are from the exact answer.

  float64_reference.py MODEL.onnx --input input_0.pb [...] --output-dir DIR
                       [--output NAME ...]

Every float initializer and input is widened to float64 and every node is
evaluated in float64 (convolutions as float64 matrix products), so its
rounding is 2^-53 relative where float32's is 2^-24: the difference between
a float32 run and this one is, to within a part in 1e8, the float32 run's own
error. It writes output_N.pb (float64) for each graph output, then for each
--output NAME (an intermediate value, e.g. the input of a peak picker) in
the order given, for scripts/compare_outputs.py.

It knows the ops of the models it was written for (docs/RealModels.md,
MLSD): Add, Cast, Clip, Concat, Conv, Div, Equal, MaxPool (2-D), Mul, Pad
(constant), Relu, Reshape, Resize (linear, half_pixel, 4-D), Shape,
Sigmoid, Slice, Split, Sub, Transpose. Any other op or attribute is an
error naming the node. Exit status: 0 ok, 1 errors.
"""
import argparse
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper


class Unsupported(Exception):
    pass


def attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def widen(array):
    return array.astype(np.float64) if array.dtype.kind == "f" else array


def conv(x, w, b, a):
    if a.get("auto_pad", b"NOTSET") != b"NOTSET":
        raise Unsupported("auto_pad")
    if x.ndim != 4:
        raise Unsupported("a Conv that is not 2-D")
    top, left, bottom, right = a.get("pads", [0, 0, 0, 0])
    sh, sw = a.get("strides", [1, 1])
    dh, dw = a.get("dilations", [1, 1])
    groups = a.get("group", 1)
    x = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (wd - dw * (kw - 1) - 1) // sw + 1
    y = np.zeros((n, m, oh, ow))
    mg = m // groups
    for i in range(kh):
        for j in range(kw):
            patch = x[:, :, i * dh:i * dh + sh * (oh - 1) + 1:sh,
                      j * dw:j * dw + sw * (ow - 1) + 1:sw]
            if groups == c == m:  # depthwise: one channel per group
                y += w[None, :, 0, i, j, None, None] * patch
                continue
            for g in range(groups):
                part = patch[:, g * cg:(g + 1) * cg].reshape(n, cg, -1)
                y[:, g * mg:(g + 1) * mg] += np.matmul(
                    w[g * mg:(g + 1) * mg, :, i, j], part).reshape(n, mg, oh, ow)
    if b is not None:
        y += b[None, :, None, None]
    return y


def resize_axis(x, axis, out, scale):
    """Linear interpolation along `axis`, half_pixel coordinates, clamped
    at the edges (onnxruntime's and the ONNX reference's behaviour)."""
    size = x.shape[axis]
    pos = np.clip((np.arange(out) + 0.5) / scale - 0.5, 0, size - 1)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, size - 1)
    frac = pos - lo
    shape = [1] * x.ndim
    shape[axis] = out
    frac = frac.reshape(shape)
    return np.take(x, lo, axis) * (1 - frac) + np.take(x, hi, axis) * frac


def resize(x, inputs, a):
    if a.get("mode", b"nearest") != b"linear" or \
            a.get("coordinate_transformation_mode", b"half_pixel") != b"half_pixel":
        raise Unsupported("a Resize other than linear half_pixel")
    scales = inputs[2] if len(inputs) > 2 and inputs[2] is not None else np.array([])
    sizes = inputs[3] if len(inputs) > 3 and inputs[3] is not None else np.array([])
    if sizes.size:
        out = [int(s) for s in sizes]
        scales = [o / i for o, i in zip(out, x.shape)]
    elif scales.size:
        out = [int(np.floor(i * s)) for i, s in zip(x.shape, scales)]
    else:
        raise Unsupported("a Resize without scales or sizes")
    for axis in range(x.ndim):
        if out[axis] != x.shape[axis] or scales[axis] != 1:
            x = resize_axis(x, axis, out[axis], float(scales[axis]))
    return x


def max_pool(x, a):
    if x.ndim != 4 or a.get("auto_pad", b"NOTSET") != b"NOTSET" or \
            a.get("ceil_mode", 0) or any(d != 1 for d in a.get("dilations", [1, 1])):
        raise Unsupported("a MaxPool other than 2-D, explicit pads, floor")
    kh, kw = a["kernel_shape"]
    sh, sw = a.get("strides", [1, 1])
    top, left, bottom, right = a.get("pads", [0, 0, 0, 0])
    x = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)),
               constant_values=-np.inf)
    windows = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))
    return windows[:, :, ::sh, ::sw].max(axis=(-2, -1))


def slice_(x, inputs):
    starts, ends = inputs[1].tolist(), inputs[2].tolist()
    axes = inputs[3].tolist() if len(inputs) > 3 and inputs[3] is not None \
        else list(range(len(starts)))
    steps = inputs[4].tolist() if len(inputs) > 4 and inputs[4] is not None \
        else [1] * len(starts)
    index = [slice(None)] * x.ndim
    for start, end, axis, step in zip(starts, ends, axes, steps):
        size = x.shape[axis]
        start = start + size if start < 0 else start
        end = end + size if end < 0 else end
        if step > 0:
            index[axis] = slice(max(0, min(size, start)), max(0, min(size, end)), step)
        else:
            start = max(-1, min(size - 1, start))
            end = max(-1, min(size - 1, end))
            index[axis] = slice(start, end if end >= 0 else None, step)
    return x[tuple(index)]


def pad(x, inputs, a):
    if a.get("mode", b"constant") != b"constant":
        raise Unsupported("a Pad other than constant")
    pads = [int(p) for p in inputs[1]]
    value = float(inputs[2]) if len(inputs) > 2 and inputs[2] is not None else 0.0
    r = x.ndim
    if any(p < 0 for p in pads):
        raise Unsupported("negative pads")
    return np.pad(x, [(pads[i], pads[i + r]) for i in range(r)], constant_values=value)


def reshape(x, shape):
    shape = [x.shape[i] if s == 0 else int(s) for i, s in enumerate(shape)]
    return x.reshape(shape)


def evaluate(node, inputs):
    a = attributes(node)
    op = node.op_type
    x = inputs[0] if inputs else None
    binary = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply,
              "Div": np.divide}
    if op in binary:
        return [binary[op](x, inputs[1])]
    if op == "Conv":
        return [conv(x, inputs[1], inputs[2] if len(inputs) > 2 else None, a)]
    if op == "Clip":
        low = inputs[1] if len(inputs) > 1 and inputs[1] is not None else -np.inf
        high = inputs[2] if len(inputs) > 2 and inputs[2] is not None else np.inf
        return [np.clip(x, low, high)]
    if op == "Relu":
        return [np.maximum(x, 0)]
    if op == "Sigmoid":
        return [1 / (1 + np.exp(-x))]
    if op == "Equal":
        return [x == inputs[1]]
    if op == "Cast":
        to = a["to"]
        if to in (onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE):
            return [x.astype(np.float64)]
        if to == onnx.TensorProto.INT64:
            return [x.astype(np.int64)]
        raise Unsupported(f"Cast to {to}")
    if op == "Transpose":
        return [np.transpose(x, a.get("perm"))]
    if op == "Reshape":
        return [reshape(x, inputs[1])]
    if op == "Shape":
        return [np.array(x.shape, dtype=np.int64)]
    if op == "Concat":
        return [np.concatenate(inputs, axis=a["axis"])]
    if op == "Split":
        if "split" not in a:
            raise Unsupported("a Split without split sizes")
        bounds = np.cumsum(a["split"])[:-1]
        return np.split(x, bounds, axis=a.get("axis", 0))
    if op == "Slice":
        return [slice_(x, inputs)]
    if op == "Pad":
        return [pad(x, inputs, a)]
    if op == "Resize":
        return [resize(x, inputs, a)]
    if op == "MaxPool":
        if len(node.output) > 1 and node.output[1]:
            raise Unsupported("MaxPool's Indices output")
        return [max_pool(x, a)]
    raise Unsupported("op")


def run(model, feeds, wanted):
    env = {i.name: widen(numpy_helper.to_array(i)) for i in model.graph.initializer}
    env.update({k: widen(v) for k, v in feeds.items()})
    for node in model.graph.node:
        inputs = [env[name] if name else None for name in node.input]
        try:
            outputs = evaluate(node, inputs)
        except Unsupported as e:
            raise SystemExit(f"float64_reference: error: node '{node.name}' "
                             f"({node.op_type}): not supported: {e}")
        for name, value in zip(node.output, outputs):
            env[name] = value
    missing = [name for name in wanted if name not in env]
    if missing:
        raise SystemExit(f"float64_reference: error: no value named '{missing[0]}'")
    return [env[name] for name in wanted]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model")
    parser.add_argument("--input", action="append", default=[])
    parser.add_argument("--output-dir", required=True)
    parser.add_argument("--output", action="append", default=[],
                        help="an intermediate value to write after the graph outputs")
    args = parser.parse_args()
    try:
        model = onnx.load(args.model)
    except Exception as e:  # noqa: BLE001 (any load failure is one error line)
        sys.exit(f"float64_reference: error: {args.model}: {e}")
    feeds = {}
    for path in args.input:
        tensor = onnx.TensorProto()
        try:
            with open(path, "rb") as f:
                tensor.ParseFromString(f.read())
        except Exception as e:  # noqa: BLE001
            sys.exit(f"float64_reference: error: {path}: {e}")
        feeds[tensor.name] = numpy_helper.to_array(tensor)
    initializers = {i.name for i in model.graph.initializer}
    for graph_input in model.graph.input:
        if graph_input.name not in initializers and graph_input.name not in feeds:
            sys.exit(f"float64_reference: error: no --input named '{graph_input.name}'")
    wanted = [o.name for o in model.graph.output] + args.output
    os.makedirs(args.output_dir, exist_ok=True)
    for i, value in enumerate(run(model, feeds, wanted)):
        value = np.asarray(value)
        if value.dtype == bool:
            value = value.astype(np.float64)
        tensor = numpy_helper.from_array(value, wanted[i])
        with open(os.path.join(args.output_dir, f"output_{i}.pb"), "wb") as f:
            f.write(tensor.SerializeToString())
    return 0


if __name__ == "__main__":
    sys.exit(main())
