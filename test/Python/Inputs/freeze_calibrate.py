"""freeze_input and calibration_inputs against rebocc's --freeze-input and
--calibration-input (test/Python/freeze-calibrate.test).

    freeze_calibrate.py FREEZE_DIR MLP_DIR CLI_DIR OUT_DIR

FREEZE_DIR holds Inputs/freeze_model.py's freeze.onnx and tensors; MLP_DIR
the bundled Fashion-MNIST MLP; CLI_DIR what rebocc wrote with the same data:
freeze/ (--freeze-input flag=flag.pb --run --float-reference: out/,
report.json, freeze.rbp) and calibrated/ (--hw-set adc_range=calibrated
--calibration-input cal.pb: out/, report.json). Prints one line per check.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

import rebocc
from report_checks import error, same_report

freeze_dir, mlp_dir, cli_dir, out_dir = sys.argv[1:5]


def tensor(path):
    return numpy_helper.to_array(onnx.load_tensor(path))


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# freeze_input: the If folds to its taken branch, the flag is no longer an
# input, and the program, outputs and report are rebocc --freeze-input's.
model = os.path.join(freeze_dir, "freeze.onnx")
x = tensor(os.path.join(freeze_dir, "x.pb"))
W = np.array([[1, 0, 2], [0, 1, -1], [3, 1, 0], [-2, 0, 1]], np.float32)
program = rebocc.compile(model, freeze_input={"flag": np.array(True)})
print("frozen inputs:", program.inputs)
program.save(os.path.join(out_dir, "freeze.rbp"))
(z,), report = program.run([x], float_reference=True)
cli_z = tensor(os.path.join(cli_dir, "freeze", "out", "output_0.pb"))
assert z.tobytes() == cli_z.tobytes()
same_report(report, load(os.path.join(cli_dir, "freeze", "report.json")))
print("freeze: equals rebocc --freeze-input; command line",
      " ".join(report["command_line"][2:]))
# By hand (numpy): the then branch, 2x @ W; small integers, so exact.
assert (z == (2 * x) @ W).all(), z
print("freeze true:", z.tolist())
# False takes the other branch; an onnx.TensorProto is taken as a file's.
flag = onnx.load_tensor(os.path.join(freeze_dir, "flag-false.pb"))
(z,), _ = rebocc.compile(model, freeze_input={"flag": flag}).run(
    [x], float_reference=True)
assert (z == (x + 1) @ W).all(), z
print("freeze false:", z.tolist())
# Without freezing, the flag is a run-time input of the program.
print("unfrozen inputs:", rebocc.compile(model).inputs)
error(lambda: rebocc.compile(model, freeze_input={"nope": np.array(True)}))
error(lambda: rebocc.compile(model, freeze_input={"flag": x}))
error(lambda: rebocc.compile(model, freeze_input={"flag": True}))
error(lambda: rebocc.compile(model, freeze_input=[np.array(True)]))
error(lambda: program.run([x], freeze_input={"flag": np.array(True)}))

# calibration_inputs: adc_range = calibrated calibrates each layer's ADC on
# the arrays given, as on --calibration-input files: the same outputs, byte
# for byte, and the same report (its adc_calibration included).
mlp = os.path.join(mlp_dir, "model.onnx")
images = tensor(os.path.join(mlp_dir, "test_data_set_0", "input_0.pb"))
calibrated = rebocc.compile(mlp, hw_set={"adc_range": "calibrated"})
(y,), report = calibrated.run([images], calibration_inputs=[images[:50]])
cli_y = tensor(os.path.join(cli_dir, "calibrated", "out", "output_0.pb"))
assert y.tobytes() == cli_y.tobytes()
same_report(report, load(os.path.join(cli_dir, "calibrated", "report.json")))
print("calibrated: equals rebocc --calibration-input;",
      len(report["adc_calibration"]["layers"]), "layers calibrated")
# Another calibration set is another calibration (the check can fail).
(other,), other_report = calibrated.run([images],
                                        calibration_inputs=[images[150:]])
assert other_report["adc_calibration"] != report["adc_calibration"]
error(lambda: calibrated.run([images]))
error(lambda: calibrated.run([images], calibration_inputs=[]))
error(lambda: calibrated.run([images],
                             calibration_inputs=[images.astype(np.float64)]))
error(lambda: calibrated.run([images], calibration_inputs=[images[:, :10]]))
error(lambda: rebocc.compile(mlp).run([images],
                                      calibration_inputs=[images[:50]]))
