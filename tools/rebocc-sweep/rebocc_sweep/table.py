"""One CSV row per point: its parameters and the report's headline figures."""

import csv
import os

from . import runner

# (column, path in the report). The run-level figures of the cost model
# (docs/CostModel.md, "The report"); energies are of the whole run.
HEADLINE = [
    ("energy_j", ("cost", "energy_j", "total")),
    ("energy_dynamic_j", ("cost", "energy_j", "dynamic")),
    ("energy_static_j", ("cost", "energy_j", "static")),
    ("latency_s", ("cost", "latency_s")),
    ("run_s", ("cost", "run_s")),
    ("cycles", ("cost", "cycles")),
    ("throughput_inferences_per_s", ("cost", "throughput_inferences_per_s")),
    ("inferences", ("cost", "inferences")),
    ("area_mm2", ("cost", "area_mm2")),
    ("power_w", ("cost", "power_w")),
    ("static_power_w", ("cost", "static_power_w")),
    ("dense_ops", ("cost", "dense_ops")),
    ("gops_per_w", ("cost", "gops_per_w")),
    ("gops_per_s_mm2", ("cost", "gops_per_s_mm2")),
    ("crossbars", ("cost", "utilization", "crossbars")),
    ("adcs", ("cost", "utilization", "adcs")),
    ("u_occ", ("cost", "utilization", "u_occ")),
    ("u_uniq", ("cost", "utilization", "u_uniq")),
    ("crossbars_needed", ("cost", "crossbars_needed")),
    ("imas_needed", ("cost", "imas_needed")),
    ("tiles_used", ("cost", "tiles_used")),
    ("tiles_powered", ("cost", "tiles_powered")),
    ("vfu_tiles", ("cost", "vfu_tiles")),
    ("rotator_imas", ("cost", "rotator_imas")),
    ("chips", ("cost", "chips")),
    ("fits", ("cost", "fits")),
    ("reprogrammed", ("cost", "reprogrammed")),
    ("program_loads", ("cost", "program_loads")),
    ("programming_s", ("cost", "programming_s")),
    ("adc_energy_ratio", ("cost", "adc_energy_ratio")),
    ("adc_area_ratio", ("cost", "adc_area_ratio")),
    ("host_io_bytes", ("cost", "host_io_bytes")),
    ("host_io_s", ("cost", "host_io_s")),
    ("adc_conversions", ("totals", "adc_conversions")),
    ("xbar_activations", ("totals", "xbar_activations")),
    ("buffer_words", ("totals", "buffer_words")),
    ("rotations", ("totals", "rotations")),
]

# No wall time: the CSV of a sweep is the same however its points were run.
FIXED = ["model", "point_id", "status", "message"]


def _get(report, path):
    value = report
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _cell(value):
    """JSON's spelling, so a cell reads back as the report's value: floats
    by repr (shortest round trip, as the report writes them)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def figures(report):
    """Ordered (column, value) figures of one report: the headline, the
    energy by component and, when present, the accuracy's scalars."""
    out = [(c, _get(report, p)) for c, p in HEADLINE]
    total = _get(report, ("cost", "energy_j", "total"))
    inferences = _get(report, ("cost", "inferences"))
    if total is not None and inferences:
        # Right after energy_j: the figure the plots use.
        out.insert(1, ("energy_per_inference_j", total / inferences))
    energy = _get(report, ("cost", "energy_j")) or {}
    for part in ("dynamic", "static"):
        for comp, value in (energy.get(part + "_by_component") or {}).items():
            out.append(("energy_%s_%s_j" % (part, comp), value))
    accuracy = report.get("accuracy")
    if isinstance(accuracy, dict):
        for key, value in accuracy.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out.append(("accuracy_" + key, value))
    return out


def load_row(point_dir):
    """The row of one point directory (None without a point.json)."""
    spec = runner.read_json(os.path.join(point_dir, "point.json"))
    if spec is None:
        return None
    result = runner.read_json(os.path.join(point_dir, "result.json"))
    report = runner.read_json(os.path.join(point_dir, "report.json"))
    row = {"model": spec["model"], "point_id": spec["id"],
           "params": [tuple(p) for p in spec["params"]], "figures": []}
    if result is None:
        row.update(status="not run", message="no result.json yet")
    elif result["status"] == "ok" and report is None:
        row.update(status="not run", message="report.json missing")
    else:
        row.update(status=result["status"], message=result["message"])
        if report is not None and result["status"] == "ok":
            row["figures"] = figures(report)
    return row


def _union(lists):
    seen, out = set(), []
    for items in lists:
        for item in items:
            if item not in seen:
                seen.add(item)
                out.append(item)
    return out


def write_csv(path, rows):
    params = _union([k for k, _ in r["params"]] for r in rows)
    figs = _union([c for c, _ in r["figures"]] for r in rows)
    fronts = _union([c for c, _ in r.get("pareto", [])] for r in rows)
    tmp = path + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(FIXED + params + fronts + figs)
        for r in rows:
            p, fv = dict(r["params"]), dict(r["figures"])
            pf = dict(r.get("pareto", []))
            writer.writerow([_cell(r[c]) for c in FIXED] +
                            [p.get(k, "") for k in params] +
                            [_cell(pf.get(c)) for c in fronts] +
                            [_cell(fv.get(c)) for c in figs])
    os.replace(tmp, path)
