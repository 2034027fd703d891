"""Pareto plots of a sweep's rows (matplotlib, Agg: no display needed)."""

import os

# (file stem, x column, x label, x better, y column, y label, y better,
#  needed column). Labels carry the unit of the tick labels, which are
#  written with SI prefixes (EngFormatter: "900 nJ"). Energy is per inference so that models run with
#  different batches compare.
PLOTS = [
    ("pareto-energy-latency",
     "energy_per_inference_j", ("energy per inference", "J"), "min",
     "latency_s", ("latency", "s"), "min", None),
    ("pareto-area-throughput",
     "area_mm2", ("area", "mm²"), "min",
     "throughput_inferences_per_s", ("throughput", "inferences/s"), "max", None),
    ("pareto-accuracy-energy",
     "energy_per_inference_j", ("energy per inference", "J"), "min",
     "accuracy_top1", ("top-1 accuracy", ""), "max", "accuracy_top1"),
]


def pareto_front(points, x_better, y_better):
    """The points no other point beats or equals on both axes and beats on
    one, sorted by x."""
    sx = 1 if x_better == "min" else -1
    sy = 1 if y_better == "min" else -1
    keyed = sorted(points, key=lambda p: (sx * p[0], sy * p[1]))
    front, best_y = [], None
    for p in keyed:
        if best_y is None or sy * p[1] < best_y:
            front.append(p)
            best_y = sy * p[1]
    return front


def _series(rows, x, y):
    """{model: [(x, y, params), ...]} of the rows that ran and have both
    figures."""
    series = {}
    for r in rows:
        f = dict(r["figures"])
        if r["status"] != "ok":
            continue
        if x == "energy_per_inference_j":
            e, n = f.get("energy_j"), f.get("inferences")
            xv = e / n if e is not None and n else None
        else:
            xv = f.get(x)
        yv = f.get(y)
        if xv is None or yv is None:
            continue
        params = " ".join("%s=%s" % kv for kv in r["params"])
        series.setdefault(r["model"], []).append((float(xv), float(yv), params))
    return series


def _labels(models):
    """Short legend names: the fewest trailing path components that still
    tell the models apart."""
    parts = {m: os.path.normpath(m).split(os.sep) for m in models}
    # The bundled examples are all model.onnx: start from their folder.
    first = 2 if any(p[-1].startswith("model.") and len(p) > 1
                     for p in parts.values()) else 1
    for n in range(first, max((len(p) for p in parts.values()), default=1) + 1):
        names = {m: "/".join(p[-n:]) for m, p in parts.items()}
        if len(set(names.values())) == len(names):
            return names
    return {m: m for m in models}


def _log_if_wide(axis_set, values):
    positive = [v for v in values if v > 0]
    if positive and len(positive) == len(values) and \
            max(positive) / min(positive) > 20:
        axis_set("log")


def _axis(axis, label, better, ticker):
    name, unit = label
    text = "%s (%s)" % (name, unit) if unit else name
    axis.set_label_text("%s, %s is better" % (text, "lower" if better == "min" else "higher"))
    # SI prefixes read well for J, s and inferences/s, not for mm².
    if unit and unit != "mm²":
        axis.set_major_formatter(ticker.EngFormatter(unit=unit))


def draw(rows, out_dir):
    """Draw every plot the rows have figures for; return the files written."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import ticker

    written = []
    for stem, x, xlabel, xb, y, ylabel, yb, needed in PLOTS:
        if needed and not any(needed in dict(r["figures"]) for r in rows):
            continue
        series = _series(rows, x, y)
        if not series:
            continue
        names = _labels(list(series))
        fig, ax = plt.subplots(figsize=(7, 5))
        markers = "osD^vP*Xh<>"
        for i, (model, pts) in enumerate(series.items()):
            color = "C%d" % (i % 10)
            marker = markers[i % len(markers)]
            ax.scatter([p[0] for p in pts], [p[1] for p in pts], color=color,
                       marker=marker, alpha=0.35, s=28,
                       label="%s (%d points)" % (names[model], len(pts)))
            front = pareto_front(pts, xb, yb)
            ax.plot([p[0] for p in front], [p[1] for p in front], color=color,
                    marker=marker, markeredgecolor="black", linewidth=1.5,
                    drawstyle="steps-post" if len(front) > 1 else "default",
                    label="%s Pareto front" % names[model])
            for p in front:
                ax.annotate(p[2], (p[0], p[1]), textcoords="offset points",
                            xytext=(4, 4), fontsize="x-small", color=color)
        all_pts = [p for pts in series.values() for p in pts]
        _log_if_wide(ax.set_xscale, [p[0] for p in all_pts])
        _log_if_wide(ax.set_yscale, [p[1] for p in all_pts])
        _axis(ax.xaxis, xlabel, xb, ticker)
        _axis(ax.yaxis, ylabel, yb, ticker)
        ax.set_title("%s vs %s (Pareto fronts outlined)" % (ylabel[0], xlabel[0]))
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize="small")
        fig.tight_layout()
        for ext in ("png", "svg"):
            path = os.path.join(out_dir, "%s.%s" % (stem, ext))
            # Fixed metadata: the same sweep draws the same files.
            fig.savefig(path + ".tmp", format=ext, dpi=120,
                        metadata={"Date": None} if ext == "svg" else None)
            os.replace(path + ".tmp", path)
            written.append(path)
        plt.close(fig)
    return written
