#!/usr/bin/python3
"""LSTM, GRU and RNN end to end against onnxruntime-node.

  recurrent-ort.py REBOCC_SRC REBOCC OUT_DIR

The models, random weights (seeded):
  kws: a keyword spotter from torch (opset 13): 40 MFCC features per frame,
       a 2-layer nn.LSTM (hidden 64), the last layer's final hidden state
       into a Linear over 12 keywords. Exported with a symbolic sequence
       length T and compiled twice, --input-shape x=20x1x40 and x=49x1x40:
       the two programs have the same instructions and size (the time steps
       are a loop, not unrolled), and both match onnxruntime.
  gru: a bidirectional nn.GRU from torch (linear_before_reset = 1), hidden
       24, batch 2, 12 steps, the mean over time into a Linear.
  onnx: built with python onnx (opset 14): an LSTM in reverse with
       initial_h, initial_c, peepholes and clip, and a bidirectional GRU with
       linear_before_reset = 0, initial_h and a full-length sequence_lens;
       every output (Y, Y_h, Y_c).
  clstm: an ONNX LSTM whose W and R are block-circulant (k = 4, as in
       C-LSTM): both crossbar layers are detected with k = 4.
  rnn_tanh, rnn_relu: torch nn.RNN (opset 14), 2 layers, bidirectional,
       hidden 16, batch 2, 9 steps: the Linear over the last step and the
       final hidden states.
  rnn_forms: ONNX RNN nodes covering every activation (with
       activation_alpha / beta), forward, reverse, bidirectional, clip,
       initial_h, B and a node with only Y_h; every output.
  crnn: an ONNX RNN whose W and R are block-circulant (k = 4): both layers
       are detected with k = 4.
The onnx and rnn_forms models also run as opsets 18 and 21 (LSTM, GRU and
RNN are unchanged from 14 to 21; the same nodes, the same inputs).
Float reference within rtol 1e-4 / atol 1e-4; fixed point within 2e-2 of
each output's largest magnitude (W and R are 16-bit crossbar layers).
"""
import os
import subprocess
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (cross_check, finish, script_args,  # noqa: E402
                             write_inputs)

src, rebocc, out = script_args()
status = 0


class Kws(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(40, 64, num_layers=2)
        self.fc = nn.Linear(64, 12)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.fc(h[-1])


class Gru(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(16, 24, bidirectional=True)
        self.fc = nn.Linear(48, 5)

    def forward(self, x):
        y, _ = self.gru(x)
        return self.fc(y.mean(0))


def export(model, shape, name, dynamic):
    path = os.path.join(out, name + ".onnx")
    torch.onnx.export(model.eval(), torch.zeros(*shape), path,
                      opset_version=13, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "T"}} if dynamic else None)
    ops = [n.op_type for n in onnx.load(path).graph.node]
    print(f"{name} ops: {' '.join(sorted(set(ops)))}")
    return path


def check(path, name, x, flags=()):
    global status
    d = os.path.join(out, name)
    inputs = write_inputs(d, {"x": x})
    status |= cross_check(src, rebocc, path, inputs, d, 1e-4, 1e-4, name,
                          fixed_range_tol=2e-2, rebocc_flags=list(flags))


torch.manual_seed(0)
rng = np.random.default_rng(5)
kws = export(Kws(), (20, 1, 40), "kws", True)
sizes = []
for steps in (20, 49):
    flags = ["--input-shape", f"x={steps}x1x40"]
    program = os.path.join(out, f"kws{steps}.rbp")
    subprocess.run([rebocc, kws, *flags, "-o", program],
                   check=True)
    text = subprocess.run([rebocc, kws, *flags, "--emit=program"], check=True,
                          capture_output=True, text=True).stdout
    insts = [line.split()[3] for line in text.splitlines()
             if line.startswith("inst ")]
    sizes.append((os.path.getsize(program), insts))
    x = rng.normal(0.0, 1.0, (steps, 1, 40)).astype(np.float32)
    check(kws, f"kws T={steps}", x, flags)
print("kws instructions:", len(sizes[0][1]), "lstm:", sizes[0][1].count("lstm"))
print("kws program bytes equal for T=20 and T=49:", sizes[0][0] == sizes[1][0])
print("kws opcodes equal for T=20 and T=49:", sizes[0][1] == sizes[1][1])

torch.manual_seed(1)
gru = export(Gru(), (12, 2, 16), "gru", False)
check(gru, "gru", rng.normal(0.0, 1.0, (12, 2, 16)).astype(np.float32))


def newer_opsets(model, name, inputs):
    """Cross-checks `model` again as opsets 18 and 21 (same nodes)."""
    result = 0
    for opset in (18, 21):
        model.opset_import[0].version = opset
        model.ir_version = 10 if opset >= 21 else 8
        path = os.path.join(out, f"{name}{opset}.onnx")
        onnx.save(model, path)
        d = os.path.join(out, f"{name}{opset}")
        result |= cross_check(src, rebocc, path, inputs, d, 1e-4, 1e-4,
                              f"{name} opset {opset}", fixed_range_tol=2e-2)
    return result


def floats(name, shape, scale=0.4):
    return numpy_helper.from_array(
        rng.normal(0.0, scale, shape).astype(np.float32), name)


T, B, I, H = 7, 3, 6, 5
nodes = [
    helper.make_node("LSTM", ["X", "W", "R", "B", "", "h0", "c0", "P"],
                     ["lstm_y", "lstm_yh", "lstm_yc"], hidden_size=H,
                     direction="reverse", clip=2.5),
    helper.make_node("GRU", ["X", "Wg", "Rg", "Bg", "lens", "h0g"],
                     ["gru_y", "gru_yh"], hidden_size=H,
                     direction="bidirectional", linear_before_reset=0),
]
init = [floats("W", (1, 4 * H, I)), floats("R", (1, 4 * H, H)),
        floats("B", (1, 8 * H)), floats("h0", (1, B, H)),
        floats("c0", (1, B, H)), floats("P", (1, 3 * H)),
        floats("Wg", (2, 3 * H, I)), floats("Rg", (2, 3 * H, H)),
        floats("Bg", (2, 6 * H)), floats("h0g", (2, B, H)),
        numpy_helper.from_array(np.full(B, T, np.int32), "lens")]
outputs = ["lstm_y", "lstm_yh", "lstm_yc", "gru_y", "gru_yh"]
graph = helper.make_graph(
    nodes, "recurrent",
    [helper.make_tensor_value_info("X", TensorProto.FLOAT, [T, B, I])],
    [helper.make_tensor_value_info(n, TensorProto.FLOAT, None)
     for n in outputs], initializer=init)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
model.ir_version = 8
path = os.path.join(out, "onnx.onnx")
onnx.save(model, path)
d = os.path.join(out, "onnx")
x = rng.normal(0.0, 1.0, (T, B, I)).astype(np.float32)
inputs = write_inputs(d, {"X": x})
status |= cross_check(src, rebocc, path, inputs, d, 1e-4,
                      1e-4, "onnx", fixed_range_tol=2e-2)
status |= newer_opsets(model, "onnx", inputs)


def circulant(rows, cols, k):
    """A random rows x cols matrix of k x k circulant blocks,
    block[r][c] = w[(c - r) mod k]."""
    m = np.zeros((rows, cols), np.float32)
    for i in range(0, rows, k):
        for j in range(0, cols, k):
            w = rng.normal(0.0, 0.3, k)
            for r in range(k):
                for c in range(k):
                    m[i + r, j + c] = w[(c - r) % k]
    return m


def check_circulant_cell(op, outputs, name, init, T, B, I, H):
    """One block-circulant `op` node over X (T, B, I): prints the k, m, n
    of each layer of its program and cross-checks it with onnxruntime."""
    graph = helper.make_graph(
        [helper.make_node(op, ["X", "W", "R", "B"], outputs, hidden_size=H)],
        name, [helper.make_tensor_value_info("X", TensorProto.FLOAT, [T, B, I])],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, None)
         for n in outputs], initializer=init)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 14)])
    model.ir_version = 8
    path = os.path.join(out, name + ".onnx")
    onnx.save(model, path)
    text = subprocess.run([rebocc, path, "--emit=program"], check=True,
                          capture_output=True, text=True).stdout
    for line in text.splitlines():
        if line.startswith("layer "):
            fields = dict(f.split("=", 1) for f in line.split()[2:] if "=" in f)
            print(f"{name} layer {fields['name']} k={fields['k']} "
                  f"m={fields['m']} n={fields['n']}")
    d = os.path.join(out, name)
    x = rng.normal(0.0, 1.0, (T, B, I)).astype(np.float32)
    return cross_check(src, rebocc, path, write_inputs(d, {"X": x}), d, 1e-4,
                       1e-4, name, fixed_range_tol=2e-2)


# C-LSTM: W and R block-circulant with k = 4 (H = 8, I = 16): both layers
# are detected with k = 4, like any other layer.
T, B, I, H = 6, 2, 16, 8
init = [numpy_helper.from_array(circulant(4 * H, I, 4)[None], "W"),
        numpy_helper.from_array(circulant(4 * H, H, 4)[None], "R"),
        floats("B", (1, 8 * H))]
status |= check_circulant_cell("LSTM", ["y", "yh", "yc"], "clstm", init,
                              T, B, I, H)


class Rnn(nn.Module):
    def __init__(self, nonlinearity):
        super().__init__()
        self.rnn = nn.RNN(10, 16, num_layers=2, bidirectional=True,
                          nonlinearity=nonlinearity)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        y, h = self.rnn(x)
        return self.fc(y[-1]), h


# torch nn.RNN (tanh and relu), 2 layers, bidirectional: two RNN nodes, each
# output checked (the Linear over the last step and the final states).
for nonlinearity in ("tanh", "relu"):
    torch.manual_seed(2)
    name = f"rnn_{nonlinearity}"
    path = os.path.join(out, name + ".onnx")
    torch.onnx.export(Rnn(nonlinearity).eval(), torch.zeros(9, 2, 10), path,
                      opset_version=14, input_names=["x"],
                      output_names=["y", "h"])
    ops = [n.op_type for n in onnx.load(path).graph.node]
    print(f"{name} ops: {' '.join(sorted(set(ops)))} RNN: {ops.count('RNN')}")
    check(path, name, rng.normal(0.0, 1.0, (9, 2, 10)).astype(np.float32))

# ONNX RNN with every activation and form: forward with B, initial_h and
# clip; reverse; bidirectional pairs; only Y_h. Every output. (onnxruntime
# has no RNN with layout = 1: ONNX's test_simple_rnn_batchwise checks it.)
T, B, I, H = 5, 2, 3, 4
forms = [  # activations, alpha, beta, direction, extra attributes
    (["Sigmoid"], None, None, "forward", {"clip": 0.8}),
    (["Affine"], [0.7], [0.2], "reverse", {}),
    (["LeakyRelu", "ThresholdedRelu"], [0.2, 0.1], None, "bidirectional", {}),
    (["ScaledTanh", "HardSigmoid"], [1.5, 0.3], [0.6, 0.4], "bidirectional",
     {}),
    (["Elu", "Softsign"], None, None, "bidirectional", {}),
    (["Softplus"], None, None, "forward", {}),
    (["Tanh", "Relu"], None, None, "bidirectional", {"yh_only": True}),
]
nodes, init, outputs = [], [], []
for i, (acts, alpha, beta, direction, extra) in enumerate(forms):
    D = 2 if direction == "bidirectional" else 1
    attrs = {"hidden_size": H, "activations": acts, "direction": direction}
    if alpha:
        attrs["activation_alpha"] = alpha
    if beta:
        attrs["activation_beta"] = beta
    if "clip" in extra:
        attrs["clip"] = extra["clip"]
    init += [floats(f"W{i}", (D, H, I), 0.6), floats(f"R{i}", (D, H, H)),
             floats(f"B{i}", (D, 2 * H)),
             floats(f"h{i}", (D, B, H))]
    outs = ["", f"yh{i}"] if extra.get("yh_only") else [f"y{i}", f"yh{i}"]
    nodes.append(helper.make_node("RNN", ["X", f"W{i}", f"R{i}", f"B{i}",
                                          "", f"h{i}"], outs, **attrs))
    outputs += [o for o in outs if o]
graph = helper.make_graph(
    nodes, "rnn_forms",
    [helper.make_tensor_value_info("X", TensorProto.FLOAT, [T, B, I])],
    [helper.make_tensor_value_info(n, TensorProto.FLOAT, None)
     for n in outputs], initializer=init)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
model.ir_version = 8
path = os.path.join(out, "rnn_forms.onnx")
onnx.save(model, path)
print("rnn_forms outputs:", len(outputs))
d = os.path.join(out, "rnn_forms")
x = rng.normal(0.0, 1.0, (T, B, I)).astype(np.float32)
inputs = write_inputs(d, {"X": x})
status |= cross_check(src, rebocc, path, inputs, d, 1e-4,
                      1e-4, "rnn_forms", fixed_range_tol=2e-2)
status |= newer_opsets(model, "rnn_forms", inputs)

# A block-circulant RNN (k = 4): W and R are detected with k = 4.
T, B, I, H = 6, 2, 16, 8
init = [numpy_helper.from_array(circulant(H, I, 4)[None], "W"),
        numpy_helper.from_array(circulant(H, H, 4)[None], "R"),
        floats("B", (1, 2 * H))]
status |= check_circulant_cell("RNN", ["y", "yh"], "crnn", init, T, B, I, H)
finish(status)
