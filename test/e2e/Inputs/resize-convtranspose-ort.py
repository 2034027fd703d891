#!/usr/bin/python3
"""Cross-check rebocc's Resize and ConvTranspose with onnxruntime-node, on
one model per opset 18, 19 and 21.

  resize-convtranspose-ort.py REBOCC_SRC REBOCC OUT_DIR

Builds each model with python onnx (X: [N, 2, 3, 4] float32): Resize
nearest (half_pixel, round_prefer_floor) by scales, linear align_corners by
sizes of axes [2, 3], linear pytorch_half_pixel downsampling, cubic
asymmetric, nearest floor asymmetric with keep_aspect_ratio_policy
not_larger, and from opset 19 linear half_pixel_symmetric; ConvTranspose
with strides, pads, output_padding, dilations and group 2, with auto_pad
SAME_UPPER, and with output_shape. Writes seeded random inputs (batches 2
and 5), runs onnxruntime (scripts/ort_reference.sh) and rebocc --run and
compares every output (scripts/compare_outputs.py): float reference within
rtol 1e-4 / atol 1e-5; fixed point within 2e-2 of each output's largest
magnitude (ConvTranspose is a crossbar layer, quantized to 16 bits).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_cross_check import (cross_check, finish, floats, ints,  # noqa: E402
                             model_at_opset, script_args, write_inputs)

src, rebocc, out = script_args()
N = helper.make_node


def build(opset):
    rng = np.random.default_rng(7)
    nodes = [
        N("Resize", ["X", "", "up2"], ["nearest"], mode="nearest"),
        N("Resize", ["X", "", "", "sizes57"], ["linear_corners"],
          mode="linear", coordinate_transformation_mode="align_corners",
          axes=[2, 3]),
        N("Resize", ["X", "", "half"], ["linear_down"], mode="linear",
          coordinate_transformation_mode="pytorch_half_pixel"),
        N("Resize", ["X", "", "up15"], ["cubic"], mode="cubic",
          coordinate_transformation_mode="asymmetric"),
        N("Resize", ["X", "", "", "sizes66"], ["nearest_aspect"],
          mode="nearest", nearest_mode="floor",
          coordinate_transformation_mode="asymmetric", axes=[2, 3],
          keep_aspect_ratio_policy="not_larger"),
        N("ConvTranspose", ["X", "W", "B"], ["deconv"], strides=[2, 2],
          pads=[1, 0, 0, 1], output_padding=[1, 0], dilations=[1, 2],
          group=2),
        N("ConvTranspose", ["X", "W2"], ["deconv_same"], strides=[2, 2],
          auto_pad="SAME_UPPER"),
        N("ConvTranspose", ["X", "W2"], ["deconv_shape"], strides=[2, 3],
          output_shape=[8, 12]),
    ]
    outputs = ["nearest", "linear_corners", "linear_down", "cubic",
               "nearest_aspect", "deconv", "deconv_same", "deconv_shape"]
    init = [
        floats("up2", [1, 1, 2, 2]), ints("sizes57", [5, 7]),
        floats("half", [1, 1, 0.5, 0.5]), floats("up15", [1, 1, 1.5, 2]),
        ints("sizes66", [6, 6]),
        floats("W", rng.normal(0, 0.5, (2, 3, 3, 2))),
        floats("B", rng.normal(0, 0.5, 6)),
        floats("W2", rng.normal(0, 0.5, (2, 4, 3, 3))),
    ]
    if opset >= 19:
        nodes.append(N("Resize", ["X", "", "up_sym"], ["linear_symmetric"],
                       mode="linear",
                       coordinate_transformation_mode="half_pixel_symmetric"))
        outputs.append("linear_symmetric")
        init.append(floats("up_sym", [1, 1, 2.5, 1.5]))
    graph = helper.make_graph(
        nodes, "resize_convtranspose",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 2, 3, 4])],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, None)
         for n in outputs],
        initializer=init)
    return model_at_opset(graph, opset)


status = 0
for opset in (18, 19, 21):
    model_dir = os.path.join(out, f"opset{opset}")
    os.makedirs(model_dir, exist_ok=True)
    path = os.path.join(model_dir, "model.onnx")
    onnx.save(build(opset), path)
    rng = np.random.default_rng(300 + opset)
    for batch in (2, 5):
        d = os.path.join(model_dir, f"batch{batch}")
        x = rng.normal(0.0, 2.0, (batch, 2, 3, 4)).astype(np.float32)
        inputs = write_inputs(d, {"X": x})
        status |= cross_check(src, rebocc, path, inputs, d, 1e-4, 1e-5,
                              f"opset {opset} batch {batch}",
                              fixed_range_tol=2e-2)
finish(status)
