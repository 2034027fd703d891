#!/usr/bin/python3
"""A Transformer encoder end to end against onnxruntime-node.

  transformer-ort.py REBOCC_SRC REBOCC OUT_DIR

Builds a 2-layer nn.TransformerEncoder (d_model 16, 2 heads, feed-forward
32, batch_first) with a linear head in torch (random weights, seed 0).
torch 1.13 cannot export nn.TransformerEncoder in eval mode (its fast path
has no ONNX symbolic), so it is exported in train mode with dropout 0
(opset 17, whose LayerNormalization replaces the hand-written one; batch 2,
sequence 5, static shapes: torch's attention moves the batch to dim 1 and
merges it with the heads). The export holds MatMuls of
two run-time tensors (Q K^T, and the softmax times V) and batch-moving
Transposes. Writes a seeded input, runs onnxruntime and rebocc --run with
--attention=digital and --attention=reprogram: float reference within rtol
1e-4 / atol 1e-4, fixed point (16-bit) within 2e-2 of each output's largest
magnitude; and the two modes' outputs must be identical.

Then the same encoder with batch_first=False and a dynamic batch: input
(sequence 5, batch, 16), exported with dynamic_axes {1: "batch"}. torch's
attention moves the batch (Transposes of (seq, batch * heads, d)) and
merges it into the heads (batch * 2) and the rows (5 * batch) through
Shape -> Gather -> Mul -> Concat -> Reshape chains on the run-time batch.
One compile, no --input-shape: the program declares x [5,-1,16]; it is run
at batch 1 and batch 3 against onnxruntime with the same tolerances.
"""
import json
import os
import subprocess
import sys

import numpy as np
import onnx
import torch
from onnx import helper
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (attention_modes_agree, cross_check,  # noqa: E402
                             finish, ints, script_args, write_inputs)

src, rebocc, out = script_args()


class Encoder(nn.Module):
    def __init__(self, batch_first=True):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d_model=16, nhead=2,
                                           dim_feedforward=32, dropout=0.0,
                                           batch_first=batch_first)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)
        self.head = nn.Linear(16, 4)

    def forward(self, x):
        return self.head(self.encoder(x))


torch.manual_seed(0)
model = Encoder().train()
path = os.path.join(out, "transformer.onnx")
torch.onnx.export(model, torch.zeros(2, 5, 16), path, opset_version=17,
                  input_names=["x"], output_names=["y"],
                  training=torch.onnx.TrainingMode.TRAINING,
                  do_constant_folding=False)
graph = onnx.load(path).graph
initializers = {t.name for t in graph.initializer}
# Weights, and torch's transposes of them (x @ W.T).
weights = initializers | {n.output[0] for n in graph.node
                          if n.op_type == "Transpose"
                          and n.input[0] in initializers}
runtime = [n for n in graph.node if n.op_type == "MatMul"
           and not any(i in weights for i in n.input)]
print("MatMul nodes:", sum(n.op_type == "MatMul" for n in graph.node))
print("MatMul of two run-time tensors:", len(runtime))

status = 0
rng = np.random.default_rng(3)
d = os.path.join(out, "batch2")
x = rng.normal(0.0, 1.0, (2, 5, 16)).astype(np.float32)
inputs = write_inputs(d, {"x": x})
status |= cross_check(src, rebocc, path, inputs, d, 1e-4, 1e-4,
                      "transformer", fixed_range_tol=2e-2)
# The same model with the attention products reprogrammed: the outputs
# are those of the digital units, bit for bit.
status |= attention_modes_agree(rebocc, path, inputs, d)

# batch_first=False with a dynamic batch: one program for every batch size.
torch.manual_seed(1)
model = Encoder(batch_first=False).train()
path = os.path.join(out, "transformer-seq-first.onnx")
torch.onnx.export(model, torch.zeros(5, 2, 16), path, opset_version=17,
                  input_names=["x"], output_names=["y"],
                  dynamic_axes={"x": {1: "batch"}, "y": {1: "batch"}},
                  training=torch.onnx.TrainingMode.TRAINING,
                  do_constant_folding=False)
graph = onnx.load(path).graph
dims = graph.input[0].type.tensor_type.shape.dim
print("seq-first input:", [d.dim_param or d.dim_value for d in dims])
weights = {t.name for t in graph.initializer}
print("seq-first Transposes of run-time data:",
      sum(n.op_type == "Transpose" and n.input[0] not in weights
          for n in graph.node))
program = os.path.join(out, "transformer-seq-first.prog")
subprocess.run([rebocc, path, "-o", program], check=True)
with open(program) as f:
    print("program input:", next(line.split(" shape=")[1].split()[0]
                                 for line in f if line.startswith("value %0 ")))
for batch in (1, 3):
    d = os.path.join(out, f"seq-first-batch{batch}")
    x = rng.normal(0.0, 1.0, (5, batch, 16)).astype(np.float32)
    inputs = write_inputs(d, {"x": x})
    status |= cross_check(src, rebocc, path, inputs, d, 1e-4, 1e-4,
                          f"seq-first batch {batch}", fixed_range_tol=2e-2)
seq_first, seq_first_input = path, inputs[0]
# A model whose batch rows mix: a Softmax across the batch (after a
# Transpose moves it to the front) and a MatMul of the batch-first data by
# its own transpose (batch x batch scores). Run on whole tensors, it matches
# onnxruntime at batch 3; run row by row it could not.
mix = helper.make_graph(
    [helper.make_node("Transpose", ["x"], ["t"], perm=[1, 0, 2]),
     helper.make_node("Softmax", ["t"], ["s"], axis=0),
     helper.make_node("Reshape", ["t", "rows"], ["r"]),
     helper.make_node("Transpose", ["r"], ["rt"], perm=[1, 0]),
     helper.make_node("MatMul", ["r", "rt"], ["g"])],
    "batch_mix",
    [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT,
                                   [5, "batch", 16])],
    [helper.make_tensor_value_info("s", onnx.TensorProto.FLOAT,
                                   ["batch", 5, 16]),
     helper.make_tensor_value_info("g", onnx.TensorProto.FLOAT,
                                   ["batch", "batch"])],
    [ints("rows", [0, 80])])
path = os.path.join(out, "batch-mix.onnx")
onnx.save(helper.make_model(mix, opset_imports=[helper.make_opsetid("", 13)]),
          path)
d = os.path.join(out, "batch-mix")
inputs = write_inputs(d, {"x": rng.normal(0.0, 1.0, (5, 3, 16))
                          .astype(np.float32)})
status |= cross_check(src, rebocc, path, inputs, d, 1e-4, 1e-4, "batch-mix",
                      fixed_range_tol=2e-2)

# The report's inferences are the batch (dimension 1), not the sequence;
# --cost-only without an input runs batch 1.
for label, args in (("batch 3", ["--input", seq_first_input]),
                    ("no input", [])):
    report = os.path.join(out, "cost.json")
    subprocess.run([rebocc, seq_first, "--cost-only", *args, "--report",
                    report],
                   check=True, stdout=subprocess.DEVNULL)
    with open(report) as f:
        print(f"seq-first cost-only {label}: inferences",
              json.load(f)["cost"]["inferences"])
finish(status)
