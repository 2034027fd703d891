"""Checks rebocc-sweep's outputs against the reports they came from, written
apart from the tool: its own table of CSV columns and report paths, its own
brute-force Pareto test, its own PNG/SVG parsing.

usage: check_sweep.py reports DIR ROWS        CSV rows = the points' reports
       check_sweep.py direct CSV REPORT K=V... the row with these parameters
                                               = a direct rebocc run's report
       check_sweep.py pareto CSV               pareto_* columns = dominance
       check_sweep.py images DIR STEM...       STEM.png and STEM.svg are
                                               images, no other plot exists
       check_sweep.py point DIR K=V...         the directory of the point with
                                               these parameters
       check_sweep.py accuracy DIR LABELS.pb   each row's accuracy_top1 = the
                                               top-1 of its outputs/output_0.pb
                                               (numpy)
"""
import csv
import glob
import json
import os
import struct
import sys
import xml.etree.ElementTree as ET

# CSV column -> where docs/CostModel.md puts the figure in the report.
FIGURES = {
    "energy_j": ("cost", "energy_j", "total"),
    "energy_dynamic_j": ("cost", "energy_j", "dynamic"),
    "energy_static_j": ("cost", "energy_j", "static"),
    "latency_s": ("cost", "latency_s"),
    "run_s": ("cost", "run_s"),
    "cycles": ("cost", "cycles"),
    "throughput_inferences_per_s": ("cost", "throughput_inferences_per_s"),
    "inferences": ("cost", "inferences"),
    "area_mm2": ("cost", "area_mm2"),
    "power_w": ("cost", "power_w"),
    "static_power_w": ("cost", "static_power_w"),
    "gops_per_w": ("cost", "gops_per_w"),
    "crossbars": ("cost", "utilization", "crossbars"),
    "adcs": ("cost", "utilization", "adcs"),
    "u_occ": ("cost", "utilization", "u_occ"),
    "u_uniq": ("cost", "utilization", "u_uniq"),
    "tiles_used": ("cost", "tiles_used"),
    "vfu_tiles": ("cost", "vfu_tiles"),
    "chips": ("cost", "chips"),
    "fits": ("cost", "fits"),
    "adc_conversions": ("totals", "adc_conversions"),
}
ACCURACY = {"accuracy_top1": ("accuracy", "top1"),
            "accuracy_top5": ("accuracy", "top5")}

# Each plot's axis labels, with their units.
AXES = {"pareto-energy-latency": ("energy per inference (J)", "latency (s)"),
        "pareto-area-throughput": ("area (mm²)", "throughput (inferences/s)"),
        "pareto-accuracy-energy": ("energy per inference (J)", "top-1 accuracy")}

problems = []


def check(ok, message):
    if not ok:
        problems.append(message)


def rows_of(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def lookup(report, path):
    for key in path:
        report = report[key]
    return report


def same(cell, value):
    """A CSV cell read back equals the report's JSON value exactly."""
    if isinstance(value, bool):
        return cell == ("true" if value else "false")
    if isinstance(value, int):
        return cell == str(value)
    return float(cell) == value


def compare_row(row, report, where):
    columns = dict(FIGURES)
    if "accuracy" in report:
        columns.update(ACCURACY)
    for column, path in columns.items():
        check(column in row, "%s: no column %s" % (where, column))
        if column in row:
            value = lookup(report, path)
            check(same(row[column], value), "%s: %s = %r, report %r"
                  % (where, column, row[column], value))
    energy = report["cost"]["energy_j"]
    for part in ("dynamic", "static"):
        for comp, value in energy[part + "_by_component"].items():
            column = "energy_%s_%s_j" % (part, comp)
            check(column in row and same(row[column], value),
                  "%s: %s differs from the report" % (where, column))
    per = energy["total"] / report["cost"]["inferences"]
    check(float(row["energy_per_inference_j"]) == per,
          "%s: energy_per_inference_j" % where)


def params_reached_rebocc(row, report, where):
    """The row's parameters are what rebocc used: hardware keys in the
    resolved hardware, compiler options on its command line."""
    flags = {"mapping": "--mapping", "block_size": "--block-size"}
    for key, flag in flags.items():
        if key in row:
            check("%s=%s" % (flag, row[key]) in report["command_line"],
                  "%s: %s=%s not on rebocc's command line" % (where, key, row[key]))
    for key in ("adc_bits", "xbar_rows"):
        if key in row:
            check(str(report["hardware"][key]) == row[key],
                  "%s: hardware %s = %r, row %r" % (where, key,
                                                    report["hardware"][key], row[key]))


def cmd_reports(out_dir, count):
    rows = rows_of(os.path.join(out_dir, "sweep.csv"))
    check(len(rows) == int(count), "%d rows, expected %s" % (len(rows), count))
    reports = glob.glob(os.path.join(out_dir, "points", "*", "report.json"))
    check(len(reports) == int(count), "%d reports, expected %s" % (len(reports), count))
    for row in rows:
        where = row["point_id"]
        check(row["status"] == "ok" and row["message"] == "", "%s: status" % where)
        with open(os.path.join(out_dir, "points", row["point_id"], "report.json")) as f:
            report = json.load(f)
        compare_row(row, report, where)
        params_reached_rebocc(row, report, where)
        check(os.path.samefile(report["model"]["path"], row["model"]),
              "%s: report of another model" % where)
    print("checked %d rows against their reports" % len(rows))


def matching(rows, pairs):
    want = dict(p.split("=", 1) for p in pairs)
    return [r for r in rows if all(r.get(k) == v for k, v in want.items())]


def cmd_direct(csv_path, report_path, *pairs):
    found = matching(rows_of(csv_path), pairs)
    check(len(found) == 1, "%d rows match %s" % (len(found), pairs))
    with open(report_path) as f:
        report = json.load(f)
    if found:
        compare_row(found[0], report, "direct run")
    print("row %s = the direct run" % " ".join(pairs))


def dominated(p, q, senses):
    """q beats p: at least as good on both, better on one."""
    ge = all((b <= a) if s == "min" else (b >= a) for a, b, s in zip(p, q, senses))
    gt = any((b < a) if s == "min" else (b > a) for a, b, s in zip(p, q, senses))
    return ge and gt


def cmd_pareto(csv_path):
    rows = rows_of(csv_path)
    fronts = {"pareto_energy_latency": (("energy_per_inference_j", "min"), ("latency_s", "min")),
              "pareto_area_throughput": (("area_mm2", "min"), ("throughput_inferences_per_s", "max")),
              "pareto_accuracy_energy": (("energy_per_inference_j", "min"), ("accuracy_top1", "max"))}
    checked = 0
    for column, axes in fronts.items():
        if column not in rows[0]:
            continue
        senses = [s for _, s in axes]
        ran = [r for r in rows if r["status"] == "ok"]
        for r in rows:
            if r["status"] != "ok":
                check(r[column] == "", "%s %s: %r for a point that did not run"
                      % (r["point_id"], column, r[column]))
                continue
            p = [float(r[c]) for c, _ in axes]
            others = [[float(q[c]) for c, _ in axes] for q in ran
                      if q is not r and q["model"] == r["model"]]
            on = not any(dominated(p, q, senses) for q in others)
            check(r[column] == ("true" if on else "false"),
                  "%s %s: %s, expected %s" % (r["point_id"], column, r[column], on))
            checked += 1
    check(checked > 0, "no pareto column")
    print("checked %d pareto flags" % checked)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    check(head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR",
          "%s: not a PNG" % path)
    return struct.unpack(">II", head[16:24])


def cmd_images(out_dir, *stems):
    for stem in stems:
        w, h = png_size(os.path.join(out_dir, stem + ".png"))
        check(w >= 400 and h >= 300, "%s.png: %dx%d" % (stem, w, h))
        root = ET.parse(os.path.join(out_dir, stem + ".svg")).getroot()
        check(root.tag == "{http://www.w3.org/2000/svg}svg", "%s.svg: root %s" % (stem, root.tag))
        check(len(list(root.iter("{http://www.w3.org/2000/svg}path"))) > 10,
              "%s.svg: nothing drawn" % stem)
        # matplotlib draws text as paths and leaves the text in a comment.
        with open(os.path.join(out_dir, stem + ".svg"), encoding="utf-8") as f:
            svg = f.read()
        for label in AXES[stem]:
            check("<!-- %s, " % label in svg, "%s.svg: no axis '%s'" % (stem, label))
    found = sorted(os.path.basename(p) for p in
                   glob.glob(os.path.join(out_dir, "*.png")) + glob.glob(os.path.join(out_dir, "*.svg")))
    expected = sorted(s + e for s in stems for e in (".png", ".svg"))
    check(found == expected, "plots %s, expected %s" % (found, expected))
    print("%d plots, PNG and SVG" % len(stems))


def cmd_point(out_dir, *pairs):
    found = matching(rows_of(os.path.join(out_dir, "sweep.csv")), pairs)
    check(len(found) == 1, "%d rows match %s" % (len(found), pairs))
    print(os.path.join(out_dir, "points", found[0]["point_id"]) if found else "none")


def cmd_accuracy(out_dir, labels_path):
    import onnx
    from onnx import numpy_helper
    labels = numpy_helper.to_array(onnx.load_tensor(labels_path)).reshape(-1)
    rows = rows_of(os.path.join(out_dir, "sweep.csv"))
    for row in rows:
        out = numpy_helper.to_array(onnx.load_tensor(os.path.join(
            out_dir, "points", row["point_id"], "outputs", "output_0.pb")))
        correct = int((out.reshape(len(labels), -1).argmax(axis=1) == labels).sum())
        check(float(row["accuracy_top1"]) == correct / len(labels),
              "%s: accuracy_top1 %s, outputs give %d/%d" % (
                  row["point_id"], row["accuracy_top1"], correct, len(labels)))
        print("adc_bits %s: %d/%d correct" % (row.get("adc_bits"), correct, len(labels)))


commands = {"accuracy": cmd_accuracy, "reports": cmd_reports, "direct": cmd_direct, "pareto": cmd_pareto,
            "images": cmd_images, "point": cmd_point}
commands[sys.argv[1]](*sys.argv[2:])
if problems:
    print("\n".join(problems))
    sys.exit(1)
