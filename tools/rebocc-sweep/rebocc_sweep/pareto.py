"""Pareto fronts of a sweep, per model: which points no other point of the
same model beats on both figures of a pair."""

# (name, x column, x better, y column, y better). Energy is per inference so
# that models run with different batches compare.
FRONTS = [
    ("energy_latency", "energy_per_inference_j", "min", "latency_s", "min"),
    ("area_throughput", "area_mm2", "min", "throughput_inferences_per_s", "max"),
    ("accuracy_energy", "energy_per_inference_j", "min", "accuracy_top1", "max"),
]


def front(points, x_better, y_better):
    """The points (x, y, ...) that no other point equals or beats on both
    axes while beating on one, sorted by x; of equal points, the first."""
    sx = 1 if x_better == "min" else -1
    sy = 1 if y_better == "min" else -1
    keyed = sorted(points, key=lambda p: (sx * p[0], sy * p[1]))
    out, best_y = [], None
    for p in keyed:
        if best_y is None or sy * p[1] < best_y:
            out.append(p)
            best_y = sy * p[1]
    return out


def series(rows, x, y):
    """{model: [(x, y, row index), ...]} of the rows that ran and have both
    figures, models in the order they first appear."""
    out = {}
    for i, r in enumerate(rows):
        f = dict(r["figures"])
        if r["status"] != "ok" or f.get(x) is None or f.get(y) is None:
            continue
        out.setdefault(r["model"], []).append((float(f[x]), float(f[y]), i))
    return out


def mark(rows):
    """Give every row a `pareto` list of (column, on the front?) for each
    front whose figures the sweep has (accuracy only with --run --labels)."""
    for r in rows:
        r["pareto"] = []
    for name, x, xb, y, yb in FRONTS:
        groups = series(rows, x, y)
        if not groups:
            continue
        on = {p[2] for pts in groups.values() for p in front(pts, xb, yb)}
        present = {p[2] for pts in groups.values() for p in pts}
        for i, r in enumerate(rows):
            value = (i in on) if i in present else None
            r["pareto"].append(("pareto_" + name, value))
