"""The Python package against the rebocc tool (test/Python/api.test).

    api.py MODEL_DIR CLI_DIR OUT_DIR SCHEMA

MODEL_DIR holds model.onnx and test_data_set_0 (the input and torch's
outputs). CLI_DIR holds what rebocc wrote for the same flags:
estimate.json (--cost-only --hw-set adc_bits=6 --mapping=dense),
batch64.json (--cost-only --input-shape input=64x784 --pipeline=inter),
run.json and out/output_0.pb (--run). Prints one line per check for FileCheck; a
mismatch raises. SCHEMA is docs/report.schema.json, which the reports
validate against.
"""
import json
import os
import sys
import warnings

import jsonschema
import numpy as np
import onnx
from onnx import numpy_helper

import rebocc

model_dir, cli_dir, out_dir, schema_path = sys.argv[1:5]
model = os.path.join(model_dir, "model.onnx")


def tensor(path):
    return numpy_helper.to_array(onnx.load_tensor(path))


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# estimate with hw_set: the same report as rebocc --cost-only with the same
# flags, all but the provenance's command line.
report = rebocc.estimate(model, hw_set={"adc_bits": 6}, mapping="dense")
reports = [report]
cli = load(os.path.join(cli_dir, "estimate.json"))
print("estimate command line:", " ".join(report["command_line"][2:]))
for key in cli:
    if key != "command_line":
        assert report[key] == cli[key], key
print("estimate: equals rebocc --cost-only; adc_bits",
      report["hardware"]["adc_bits"], "energy_j", report["cost"]["energy_j"]["total"])
assert report["cost"]["energy_j"] == cli["cost"]["energy_j"]

# Program.estimate is the same report; the program's seed, a run default,
# is left out of an estimate's command line (--cost-only refuses --seed).
seeded = rebocc.compile(model, hw_set={"adc_bits": 6}, mapping="dense", seed=3)
report = seeded.estimate()
assert report["cost"] == cli["cost"]
print("Program.estimate command line:", " ".join(report["command_line"][2:]))

# Shapes fixed by input_shape, as --input-shape fixes them.
report = rebocc.estimate(model, input_shape={"input": (64, 784)},
                         pipeline="inter")
cli = load(os.path.join(cli_dir, "batch64.json"))
assert report["cost"] == cli["cost"]
print("estimate of batch 64: equals rebocc --cost-only; inferences",
      report["cost"]["inferences"])

# compile().run([x]): the outputs are rebocc --run's, byte for byte.
x = tensor(os.path.join(model_dir, "test_data_set_0", "input_0.pb"))
torch_logits = tensor(os.path.join(model_dir, "test_data_set_0", "output_0.pb"))
cli_out = tensor(os.path.join(cli_dir, "out", "output_0.pb"))
program = rebocc.compile(model)
print("program:", program.inputs, program.outputs, program.layers)
outputs, report = program.run([x])
reports.append(report)
(y,) = outputs
print("run:", y.dtype, y.shape)
assert y.dtype == cli_out.dtype and y.shape == cli_out.shape
assert y.tobytes() == cli_out.tobytes()
print("run: outputs equal rebocc --run byte for byte")
cli = load(os.path.join(cli_dir, "run.json"))
assert report["cost"] == cli["cost"]
print("run: cost equals rebocc --run; command line",
      " ".join(report["command_line"][2:]))
agree = int((y.argmax(1) == torch_logits.argmax(1)).sum())
print("top-1 agreement with torch: %d/%d" % (agree, len(y)))

# Labels: torch's classes, so every row is right.
_, report = program.run([x], labels=torch_logits.argmax(1))
print("labels: top1_correct", report["accuracy"]["per_trial"][0]["top1_correct"])

# An onnx.ModelProto compiles to the same program; save() writes the file
# rebocc -o writes (compared by the RUN line) and load() runs it again.
from_proto = rebocc.compile(onnx.load(model))
assert from_proto.text == program.text
program.save(os.path.join(out_dir, "python.rbp"))
again, report = rebocc.load(os.path.join(out_dir, "python.rbp")).run([x])
assert again[0].tobytes() == y.tobytes()
print("load: runs the saved program; tool", report["tool"]["name"])

# The reports validate against the published schema.
schema = load(schema_path)
for report in reports:
    jsonschema.validate(report, schema)
print("reports: valid against", os.path.basename(schema_path))


# Warnings go to Python's warnings: --objective without the chip budget.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    rebocc.compile(model, objective="energy")
for w in caught:
    print("warning: %s: %s" % (w.category.__name__, w.message))


def error(call):
    try:
        call()
    except Exception as e:  # the type and the message are what is checked
        print("%s.%s: %s" % (type(e).__module__, type(e).__name__, e))
    else:
        raise AssertionError("no exception")


error(lambda: rebocc.compile(model, blocksize=4))
error(lambda: rebocc.compile(model, mapping="isaac"))
error(lambda: rebocc.compile(model, block_size=True))
error(lambda: rebocc.compile(model, block_size=3))
error(lambda: rebocc.compile(os.path.join(out_dir, "missing.onnx")))
error(lambda: rebocc.compile(42))
error(lambda: rebocc.estimate(model, hw_set={"adc_bitz": 6}))
error(lambda: rebocc.estimate(model, hw_set={8: 6}))
error(lambda: rebocc.compile(model, freeze_input={0: x}))
error(lambda: rebocc.compile(model, input_shape={0: (1, 784)}))
error(lambda: program.run([x.astype(np.float64)]))
error(lambda: program.run([x[:, :700]]))
error(lambda: program.run([]))
error(lambda: program.run([x], block_size=4))
error(lambda: program.run([x], labels=np.zeros(3, np.int64)))
error(lambda: rebocc.estimate(model, seed=1))
error(lambda: program.estimate(float_reference=True))
error(lambda: program.estimate(mapping="dense"))
