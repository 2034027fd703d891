"""Checks the numbers of rebocc JSON reports (docs/Report.md, "Numbers"):

 * every number with a fraction or an exponent is the shortest decimal that
   parses back to its double (Python's repr finds that decimal on its own),
   so parsing gives back the tool's double;
 * in every energy object, total == dynamic + static, and dynamic and static
   are the sums of their *_by_component parts in listed order, exactly;
 * each run-level component is the sum of the layers' in listed order, and
   each integer count of "totals" the sum of the layers' (host_io is charged
   to the run only, docs/CostModel.md).

  check_report_numbers.py REPORT...

Prints one summary line per report; exits 1 at the first mismatch.
"""
import decimal
import json
import sys


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def shortest(token):
    """The token's value as (sign, digits, exponent), and that of the
    shortest repr of the double it parses to."""
    printed = decimal.Decimal(token).normalize().as_tuple()
    wanted = decimal.Decimal(repr(float(token))).normalize().as_tuple()
    return printed, wanted


def parse(text, where):
    tokens = []

    def parse_float(token):
        tokens.append(token)
        return float(token)

    report = json.loads(text, parse_float=parse_float)
    for token in tokens:
        printed, wanted = shortest(token)
        if printed != wanted:
            fail("%s: %s is not the shortest round-trip form (%s)" %
                 (where, token, repr(float(token))))
    return report, len(tokens)


def listed_sum(values):
    total = 0.0
    for v in values:
        total += v
    return total


def energy_objects(node, path="$"):
    if isinstance(node, dict):
        if "dynamic_by_component" in node:
            yield path, node
        for key, value in node.items():
            yield from energy_objects(value, path + "." + key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from energy_objects(value, "%s[%d]" % (path, i))


def check_energy(path, e):
    if e["total"] != e["dynamic"] + e["static"]:
        fail("%s: total %r != dynamic + static %r" %
             (path, e["total"], e["dynamic"] + e["static"]))
    for part in ("dynamic", "static"):
        parts = e[part + "_by_component"].values()
        if e[part] != listed_sum(parts):
            fail("%s: %s %r != sum of its components %r" %
                 (path, part, e[part], listed_sum(parts)))


def reports_in(report):
    """The run reports: the report itself or each of a comparison's."""
    return report["compare"] if "compare" in report else [report]


def check_layers(where, run):
    cost = run.get("cost")
    if cost:
        for part in ("dynamic", "static"):
            key = part + "_by_component"
            for name, value in cost["energy_j"][key].items():
                if name == "host_io":
                    continue
                layers = listed_sum(l["energy_j"][key][name]
                                    for l in cost["layers"])
                if value != layers:
                    fail("%s: %s %s %r != the layers' sum %r" %
                         (where, part, name, value, layers))
    for name, value in run["totals"].items():
        if isinstance(value, int) and name in run["layers"][0]:
            layers = sum(l[name] for l in run["layers"])
            if value != layers:
                fail("%s: totals.%s %r != the layers' sum %r" %
                     (where, name, value, layers))


def main():
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            report, floats = parse(f.read(), path)
        energies = list(energy_objects(report))
        for where, e in energies:
            check_energy(path + ": " + where, e)
        for i, run in enumerate(reports_in(report)):
            check_layers("%s: report %d" % (path, i), run)
        print("ok %s: %d doubles shortest, %d energy sums exact" %
              (path.rsplit("/", 1)[-1], floats, len(energies)))


main()
