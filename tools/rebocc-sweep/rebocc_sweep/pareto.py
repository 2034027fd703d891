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
    """The points (x, y, ...) no other point dominates (equals or beats on
    both axes, beats on one), sorted by x; equal points are all on it."""
    sx = 1 if x_better == "min" else -1
    sy = 1 if y_better == "min" else -1
    keyed = sorted(points, key=lambda p: (sx * p[0], sy * p[1]))
    out, best_y, i = [], float("inf"), 0
    while i < len(keyed):
        # The points of one x: only those of the group's best y can be on
        # the front, and only if no smaller x reached that y.
        j = i
        while j < len(keyed) and keyed[j][0] == keyed[i][0]:
            j += 1
        group_y = sy * keyed[i][1]
        if group_y < best_y:
            out.extend(p for p in keyed[i:j] if sy * p[1] == group_y)
            best_y = group_y
        i = j
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
