#!/usr/bin/python3
"""Writes a VGG-16-classifier-sized fully connected stack as ONNX, with
block-circulant weights expanded to dense (as a real export would look), so
rebocc has to detect the block sizes.

  gen_fc_stack.py OUT_DIR [--layers 25088:4096:16,4096:4096:16,4096:1000:8]

Each layer spec is n_in:n_out:k. Writes OUT_DIR/model.onnx and
OUT_DIR/test_data_set_0/input_0.pb (one input vector, batch 1).
"""
import argparse
import os

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto


def circulant_dense(rng, m, n, k):
    p, q = m // k, n // k
    w = rng.standard_normal((p, q, k)).astype(np.float32) / np.sqrt(n)
    r = np.arange(k)[:, None]
    c = np.arange(k)[None, :]
    index = (c - r) % k                      # W_ij[r][c] = w_ij[(c - r) mod k]
    blocks = w[:, :, index]                  # p, q, k, k
    return blocks.transpose(0, 2, 1, 3).reshape(m, n)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--layers", default="25088:4096:16,4096:4096:16,4096:1000:8")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    nodes, inits = [], []
    prev = "input"
    specs = [tuple(int(v) for v in s.split(":")) for s in args.layers.split(",")]
    for index, (n, m, k) in enumerate(specs):
        name = f"fc{index + 1}"
        w = circulant_dense(rng, m, n, k)
        b = (rng.standard_normal(m) * 0.01).astype(np.float32)
        inits += [numpy_helper.from_array(w, f"{name}.weight"),
                  numpy_helper.from_array(b, f"{name}.bias")]
        out = "logits" if index == len(specs) - 1 else f"{name}_out"
        nodes.append(helper.make_node("Gemm", [prev, f"{name}.weight", f"{name}.bias"],
                                      [f"{name}_pre" if out != "logits" else out],
                                      name=name, transB=1))
        if out != "logits":
            nodes.append(helper.make_node("Relu", [f"{name}_pre"], [out], name=f"{name}_relu"))
        prev = out
    graph = helper.make_graph(
        nodes, "fc_stack",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", specs[0][0]])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", specs[-1][1]])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    os.makedirs(os.path.join(args.out, "test_data_set_0"), exist_ok=True)
    onnx.save(model, os.path.join(args.out, "model.onnx"))
    x = rng.standard_normal((1, specs[0][0])).astype(np.float32)
    with open(os.path.join(args.out, "test_data_set_0", "input_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(x, "input").SerializeToString())


if __name__ == "__main__":
    main()
