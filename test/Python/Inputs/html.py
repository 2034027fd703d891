"""Writes the HTML reports of a run, estimates and a comparison (html.test).

    html.py MLP_DIR OUT_DIR
"""
import os
import pathlib
import sys

import onnx
from onnx import numpy_helper

import rebocc

mlp_dir, out = sys.argv[1:3]
model = os.path.join(mlp_dir, "model.onnx")
x = numpy_helper.to_array(onnx.load_tensor(
    os.path.join(mlp_dir, "test_data_set_0", "input_0.pb")))
program = rebocc.compile(model)
_, report = program.run([x], html=os.path.join(out, "run.html"))
print("command line:", " ".join(report["command_line"][2:]))
rebocc.estimate(model, pipeline="inter",
                html=pathlib.Path(out, "estimate.html"))
program.estimate(pipeline="inter", html=os.path.join(out, "program-estimate.html"))
rebocc.compare(model, html=os.path.join(out, "compare.html"))

bad = os.path.join(out, "no-such-dir", "x.html")
try:
    program.run([x], html=bad)
except rebocc.Error as e:
    print("rebocc.Error:", e)
print("not written:", not os.path.exists(bad))
try:
    program.estimate(html=3)
except TypeError as e:
    print("builtins.TypeError:", e)
