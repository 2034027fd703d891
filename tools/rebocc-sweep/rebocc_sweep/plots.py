"""Pareto plots of a sweep's rows (matplotlib, Agg: no display needed)."""

import os

from . import pareto

# Per front (pareto.FRONTS, by name): the file stem and the axes' labels,
# (name, unit). The tick labels carry SI prefixes (EngFormatter: "900 nJ").
PLOTS = {
    "energy_latency": ("pareto-energy-latency",
                       ("energy per inference", "J"), ("latency", "s")),
    "area_throughput": ("pareto-area-throughput",
                        ("area", "mm²"), ("throughput", "inferences/s")),
    "accuracy_energy": ("pareto-accuracy-energy",
                        ("energy per inference", "J"), ("top-1 accuracy", "")),
}


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
    # SI prefixes on the ticks ("900 nJ", "3 M"), not on mm² (a "kmm²"
    # misleads) or on a unit that is a fraction ("Minferences/s").
    if unit in ("J", "s"):
        axis.set_major_formatter(ticker.EngFormatter(unit=unit))
    elif unit and unit != "mm²":
        axis.set_major_formatter(ticker.EngFormatter())


# More front points than this are left unlabelled: their labels would pile up.
MAX_LABELS = 8


def _annotate(ax, front, rows, color):
    """Label the front's points with the parameters that differ along it,
    alternately above and below the point."""
    if len(front) > MAX_LABELS:
        return
    params = [rows[p[2]]["params"] for p in front]
    varying = [i for i in range(len(params[0]))
               if len({ps[i][1] for ps in params}) > 1] if len(front) > 1 else \
        list(range(len(params[0])))
    for n, (p, ps) in enumerate(zip(front, params)):
        text = " ".join("%s=%s" % ps[i] for i in varying)
        if text:
            ax.annotate(text, (p[0], p[1]), textcoords="offset points",
                        xytext=(5, 5 if n % 2 == 0 else -11),
                        fontsize="x-small", color=color)


def draw(rows, out_dir):
    """Draw every plot the rows have figures for; return the files written."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import ticker

    written = []
    for name, x, xb, y, yb in pareto.FRONTS:
        stem, xlabel, ylabel = PLOTS[name]
        series = pareto.series(rows, x, y)
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
            front = pareto.front(pts, xb, yb)
            ax.plot([p[0] for p in front], [p[1] for p in front], color=color,
                    marker=marker, markeredgecolor="black", linewidth=1.5,
                    drawstyle="steps-post" if len(front) > 1 else "default",
                    label="%s Pareto front" % names[model])
            _annotate(ax, front, rows, color)
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
