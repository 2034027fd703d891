#!/usr/bin/python3
"""Each operator rebocc composes of digital ops (LRN, GlobalMaxPool,
ArgMax, ArgMin, the reductions, CumSum, Trilu, Hardmax, TopK, Upsample,
LpPool, GlobalLpPool) is
charged per element: the dynamic energy of the instructions its node
becomes (the report's layers named after the node's output, host I/O left
out) is positive, and larger for an input of twice the elements.

  composed_ops_cost.py REBOCC OUT_DIR

Prints one line per operator: "<op>: <energy n> < <energy 2n> OK".
"""
import json
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rebocc, out = sys.argv[1:3]
os.makedirs(out, exist_ok=True)
N = helper.make_node


def ints(name, values):
    return numpy_helper.from_array(np.array(values, np.int64), name)


# op: (node attributes, extra initializers, opset, integer output)
CASES = {
    "LRN": ({"size": 3}, [], 13, False),
    "GlobalMaxPool": ({}, [], 13, False),
    "ArgMax": ({"axis": 3}, [], 13, True),
    "ArgMin": ({"axis": 3, "select_last_index": 1}, [], 13, True),
    "ReduceProd": ({"axes": [3]}, [], 13, False),
    "ReduceL1": ({"axes": [3]}, [], 13, False),
    "ReduceSumSquare": ({"axes": [3]}, [], 13, False),
    "ReduceLogSum": ({"axes": [3]}, [], 13, False),
    "ReduceLogSumExp": ({"axes": [3]}, [], 13, False),
    "CumSum": ({}, [ints("axis", [3])], 13, False),
    "Trilu": ({}, [], 14, False),
    "Hardmax": ({"axis": 3}, [], 13, False),
    "TopK": ({}, [ints("k", [2])], 13, False),
    "Upsample": ({"scales": [1.0, 1.0, 2.0, 2.0]}, [], 7, False),
    "LpPool": ({"kernel_shape": [2, 2], "p": 3}, [], 18, False),
    "GlobalLpPool": ({"p": 3}, [], 2, False),
}


def energy(op, width):
    attrs, init, opset, integer = CASES[op]
    inputs = ["X"] + [t.name for t in init]
    outputs = ["Y", "I"] if op == "TopK" else ["Y"]
    graph = helper.make_graph(
        [N(op, inputs, outputs, **attrs)], op.lower(),
        [helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                       [1, 4, 4, width])],
        [helper.make_tensor_value_info(
            "Y", TensorProto.INT64 if integer else TensorProto.FLOAT, None)],
        initializer=init)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    path = os.path.join(out, f"{op}-{width}.onnx")
    report = path + ".json"
    onnx.save(model, path)
    subprocess.run([rebocc, path, "--cost-only", "--report", report],
                   check=True, stdout=subprocess.DEVNULL)
    with open(report) as f:
        layers = json.load(f)["cost"]["layers"]
    return sum(l["energy_j"]["dynamic"]
               - l["energy_j"]["dynamic_by_component"]["host_io"]
               for l in layers if l["name"] in outputs)


status = 0
for op in CASES:
    small, large = energy(op, 4), energy(op, 8)
    ok = 0 < small < large
    print(f"{op}: {small:.4g} < {large:.4g} {'OK' if ok else 'FAIL'}")
    status |= not ok
sys.exit(status)
