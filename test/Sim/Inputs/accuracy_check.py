"""Labels for the accuracy report, and an independent check of its figures.

usage:
  accuracy_check.py labels INFO.json OUT.pb [--dtype int64|float|int32]
                    [--count N] [--set ROW=VALUE] [--column]
      writes labels_first_200 of an examples/*/info.json as a TensorProto
      (INT64 by default; the other options make bad files for error tests)
  accuracy_check.py check REPORT.json OUT_DIR LABELS.pb IDEAL_DIR
      recomputes from the output files alone (numpy, not rebocc): top-1 and
      top-5 of OUT_DIR/output_0.pb against the labels, the argmax agreement
      with IDEAL_DIR/output_0.pb, and the last layer's SNR in dB (the output
      is the last crossbar layer's), and compares each with the first trial
      of the report's "accuracy" object
  accuracy_check.py trials REPORT.json
      recomputes the mean and the sample std of top-1 from per_trial
"""
import json
import math
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def load(path):
    return numpy_helper.to_array(onnx.load_tensor(path))


def labels(args):
    info, out = args[0], args[1]
    dtype, count, sets, column = "int64", None, [], False
    it = iter(args[2:])
    for a in it:
        if a == "--dtype":
            dtype = next(it)
        elif a == "--count":
            count = int(next(it))
        elif a == "--column":
            column = True
        elif a == "--set":
            sets.append(tuple(int(v) for v in next(it).split("=")))
    y = list(json.load(open(info))["labels_first_200"])
    if count is not None:
        y = y[:count]
    a = np.array(y, dtype={"int64": np.int64, "float": np.float32,
                           "int32": np.int32}[dtype])
    for row, value in sets:
        a[row] = value
    if column:
        a = a.reshape(-1, 1)
    onnx.save_tensor(numpy_helper.from_array(a, "labels"), out)
    return 0


def check(args):
    report, out_dir, labels_path, ideal_dir = args
    acc = json.load(open(report))["accuracy"]
    y = load(out_dir + "/output_0.pb").astype(np.float64)
    ideal = load(ideal_dir + "/output_0.pb").astype(np.float64)
    lab = load(labels_path).reshape(-1)
    n = len(lab)
    # Rank of the label: classes scored higher (ties do not occur here).
    rank = (y > y[np.arange(n), lab][:, None]).sum(axis=1)
    top1, top5 = int((rank == 0).sum()), int((rank < 5).sum())
    agree = int((y.argmax(1) == ideal.argmax(1)).sum())
    err = ((y - ideal) ** 2).sum()
    snr = 10 * math.log10((ideal ** 2).sum() / err) if err > 0 else None
    first = acc["per_trial"][0]
    rows = [("top1", top1, first["top1_correct"]),
            ("top5", top5, first["top5_correct"]),
            ("agree", agree, first["agree"])]
    ok = True
    for name, mine, theirs in rows:
        print("%s %d/%d report %d %s" % (name, mine, n, theirs,
                                          "OK" if mine == theirs else "DIFF"))
        ok = ok and mine == theirs
    last = acc["layers"][-1]["snr_db"]
    same = (snr is None and last is None) or (
        snr is not None and last is not None and abs(snr - last) < 1e-3)
    print("last layer snr_db %s report %s %s" % (
        "null" if snr is None else "%.3f" % snr, last, "OK" if same else "DIFF"))
    ok = ok and same
    print("CONSISTENT" if ok else "INCONSISTENT")
    return 0 if ok else 1


def trials(args):
    acc = json.load(open(args[0]))["accuracy"]
    n = acc["samples"]
    v = [t["top1_correct"] / n for t in acc["per_trial"]]
    m = sum(v) / len(v)
    s = math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1)) if len(v) > 1 else 0
    print("seeds", [t["seed"] for t in acc["per_trial"]])
    print("mean %s report %s" % ("%.6g" % m, acc["top1"]))
    print("std %s report %s" % ("%.6g" % s, acc["top1_std"]))
    ok = abs(m - acc["top1"]) < 1e-6 and abs(s - acc["top1_std"]) < 1e-6
    print("CONSISTENT" if ok else "INCONSISTENT")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit({"labels": labels, "check": check, "trials": trials}[sys.argv[1]](
        sys.argv[2:]))
