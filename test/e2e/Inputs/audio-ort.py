#!/usr/bin/python3
"""Cross-check rebocc's audio front-end operators (HannWindow, STFT,
MelWeightMatrix, DFT) with onnxruntime-node, at opsets 17 to 21.

  audio-ort.py REBOCC_SRC REBOCC OUT_DIR

Per opset one model: a log-mel front end on a real signal X [N, 512, 1]
(a periodic HannWindow of 64 samples, STFT with frame_step 32 and
frame_length 64, |S| = sqrt(re^2 + im^2), MatMul by a MelWeightMatrix of 8
mel bins for 8 kHz between 20 Hz and 4 kHz, Log(mel + 1)), whose STFT and
log-mel are both outputs, an inverse DFT of a complex Z [N, 16, 2] along
axis 1 (an attribute before opset 20, an input from 20) and a onesided
20-point DFT of a real Z0 [N, 16, 1] (zero-padded by dft_length). onnxruntime
computes the transforms with an FFT and rebocc as a product by the DFT
basis, so the float reference is held to rtol 1e-5, atol 1e-4 (measured
up to 4.1e-6 absolute on the STFT, up to 15.9, and 2.1e-5 on the 20-point
DFT, up to 10.2, where onnxruntime is 1.7e-5 from numpy's double FFT and
rebocc 2.6e-7), and fixed point to 1e-3 of each output's largest magnitude
(16-bit crossbar weights and inputs: measured up to 9.4e-5 of it;
docs/SupportedOps.md, "Audio front ends"). X is a sum of two
sinusoids and seeded noise; batches 1 and 3.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (cross_check, finish, script_args,  # noqa: E402
                             write_inputs)

src, rebocc, out = script_args()
# Fixed point: a fraction of each output's largest magnitude (16-bit
# weights and inputs: measured up to 1e-4, docs/SupportedOps.md).
FIXED_TOL = 1e-3
N = helper.make_node
LENGTH, FRAME, STEP, MELS, RATE = 512, 64, 32, 8, 8000


def scalar(name, value, dtype):
    return numpy_helper.from_array(np.array(value, dtype), name)


def model(path, opset):
    inits = [scalar("size", FRAME, np.int64), scalar("step", STEP, np.int64),
             scalar("flen", FRAME, np.int64), scalar("mels", MELS, np.int64),
             scalar("dftlen", FRAME, np.int64), scalar("rate", RATE, np.int64),
             scalar("low", 20.0, np.float32), scalar("high", 4000.0, np.float32),
             scalar("one", 1.0, np.float32),
             numpy_helper.from_array(np.array([-1], np.int64), "last")]
    nodes = [
        N("HannWindow", ["size"], ["window"]),
        N("STFT", ["X", "step", "window", "flen"], ["stft"]),
        N("Mul", ["stft", "stft"], ["power2"]),
        N("ReduceSum", ["power2", "last"], ["power"], keepdims=0),
        N("Sqrt", ["power"], ["magnitude"]),
        N("MelWeightMatrix", ["mels", "dftlen", "rate", "low", "high"],
          ["melw"]),
        N("MatMul", ["magnitude", "melw"], ["mel"]),
        N("Add", ["mel", "one"], ["mel1"]),
        N("Log", ["mel1"], ["logmel"]),
    ]
    inits.append(scalar("padded", 20, np.int64))
    if opset >= 20:
        inits.append(numpy_helper.from_array(np.array(1, np.int64), "axis"))
        nodes.append(N("DFT", ["Z", "", "axis"], ["idft"], inverse=1))
        nodes.append(N("DFT", ["Z0", "padded", "axis"], ["rdft"], onesided=1))
    else:
        nodes.append(N("DFT", ["Z"], ["idft"], axis=1, inverse=1))
        nodes.append(N("DFT", ["Z0", "padded"], ["rdft"], axis=1, onesided=1))
    frames = (LENGTH - FRAME) // STEP + 1
    graph = helper.make_graph(
        nodes, "logmel",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                       ["N", LENGTH, 1]),
         helper.make_tensor_value_info("Z", TensorProto.FLOAT, ["N", 16, 2]),
         helper.make_tensor_value_info("Z0", TensorProto.FLOAT,
                                       ["N", 16, 1])],
        [helper.make_tensor_value_info("stft", TensorProto.FLOAT,
                                       ["N", frames, FRAME // 2 + 1, 2]),
         helper.make_tensor_value_info("logmel", TensorProto.FLOAT,
                                       ["N", frames, MELS]),
         helper.make_tensor_value_info("idft", TensorProto.FLOAT,
                                       ["N", 16, 2]),
         helper.make_tensor_value_info("rdft", TensorProto.FLOAT,
                                       ["N", 11, 2])],
        initializer=inits)
    m = helper.make_model(graph,
                          opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 10 if opset >= 21 else 8
    onnx.save(m, path)


def inputs(batch, rng):
    t = np.arange(LENGTH) / RATE
    tones = np.sin(2 * np.pi * 440 * t) + 0.5 * np.sin(2 * np.pi * 1800 * t)
    x = tones[None, :] + rng.normal(0.0, 0.3, (batch, LENGTH))
    z = rng.normal(0.0, 1.0, (batch, 16, 2))
    z0 = rng.normal(0.0, 1.0, (batch, 16, 1))
    return {"X": x[..., None].astype(np.float32), "Z": z.astype(np.float32),
            "Z0": z0.astype(np.float32)}


status = 0
rng = np.random.default_rng(17)
for opset in (17, 18, 19, 20, 21):
    folder = os.path.join(out, f"opset{opset}")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.onnx")
    model(path, opset)
    for batch in (1, 3):
        d = os.path.join(folder, f"batch{batch}")
        files = write_inputs(d, inputs(batch, rng))
        status |= cross_check(src, rebocc, path, files, d, 1e-5, 1e-4,
                              f"opset {opset} batch {batch}",
                              fixed_range_tol=FIXED_TOL)
finish(status)
