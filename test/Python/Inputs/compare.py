"""rebocc.compare against rebocc --compare=reboc,dense (compare.test).

    compare.py EXAMPLES_DIR CLI_DIR

CLI_DIR holds rebocc's reports: dense-cost.json (mlp_dense --pipeline=inter
--cost-only), dense-run.json and dense-out/<mapping>/output_0.pb (the same
run on test_data_set_0) and circulant-cost.json (mlp_circulant
--cost-only). Prints one line per check for FileCheck.
"""
import json
import os
import sys

import onnx
from onnx import numpy_helper

import rebocc
from report_checks import error, same_report

examples, cli_dir = sys.argv[1:3]


def tensor(path):
    return numpy_helper.to_array(onnx.load_tensor(path))


def load(name):
    with open(os.path.join(cli_dir, name), encoding="utf-8") as f:
        return json.load(f)


# k = 1: the dense model's ReBoc mapping is the dense one, so every ratio
# of the two is exactly 1 (an identity, not a computed expectation).
dense = os.path.join(examples, "mlp_dense", "model.onnx")
outputs, report = rebocc.compare(dense, pipeline="inter")
assert outputs == {"reboc": [], "dense": []}
ratios = report["ratios"]["dense/reboc"]
print("k=1 ratios:", sorted(ratios.items()))
assert all(value == 1 for value in ratios.values())
same_report(report, load("dense-cost.json"))
print("k=1 cost-only: equals rebocc --compare; command line",
      " ".join(report["command_line"][2:]))

# With inputs each program runs on them: the outputs are the tool's, byte
# for byte, per mapping, and so is the report.
x = tensor(os.path.join(examples, "mlp_dense", "test_data_set_0",
                        "input_0.pb"))
outputs, report = rebocc.compare(dense, [x], pipeline="inter")
for mapping in ("reboc", "dense"):
    cli = tensor(os.path.join(cli_dir, "dense-out", mapping, "output_0.pb"))
    assert outputs[mapping][0].tobytes() == cli.tobytes(), mapping
same_report(report, load("dense-run.json"))
assert all(value == 1 for value in report["ratios"]["dense/reboc"].values())
print("k=1 run: outputs and report equal rebocc --compare")

# A block-circulant model: ratios other than 1, still the tool's, and each
# the dense report's value over the ReBoc one's.
circulant = os.path.join(examples, "mlp_circulant", "model.onnx")
_, report = rebocc.compare(circulant)
same_report(report, load("circulant-cost.json"))
ratios = report["ratios"]["dense/reboc"]
reboc, dense_cost = (r["cost"] for r in report["compare"])
assert ratios["energy"] == dense_cost["energy_j"]["total"] / reboc["energy_j"]["total"]
assert ratios["crossbars"] == (dense_cost["utilization"]["crossbars"]
                              / reboc["utilization"]["crossbars"])
assert ratios["crossbars"] > 1
print("circulant: equals rebocc --compare; crossbars ratio",
      ratios["crossbars"])

_, report = rebocc.compare(circulant, mappings=["dense"])
print("one mapping:", [r["cost"]["mapping"] for r in report["compare"]],
      report["ratios"])
error(lambda: rebocc.compare(circulant, mapping="dense"))
error(lambda: rebocc.compare(circulant, mappings=["isaac"]))
error(lambda: rebocc.compare(circulant, mappings=[]))
error(lambda: rebocc.compare(circulant, seed=1))
error(lambda: rebocc.compare(circulant, labels=[1]))
error(lambda: rebocc.compare(circulant, [x.astype("float64")]))

# The model is compiled once per mapping but its import warnings are said
# once, as rebocc --compare says them (an IR version the checker does not
# know gives one).
import warnings

newer = onnx.load(circulant)
newer.ir_version = 99
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    rebocc.compare(newer)
print("warnings:", [str(w.message) for w in caught])
