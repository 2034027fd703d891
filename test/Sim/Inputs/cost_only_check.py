#!/usr/bin/env python3
"""--cost-only must report exactly what a full run reports.

  cost_only_check.py --rebocc BIN --model DIR --work DIR [--pipelines intra,inter]
      For each pipeline, runs `rebocc DIR/model.onnx` on
      DIR/test_data_set_0/input_0.pb with --run and with --cost-only, once
      plain and once with --compare=reboc,dense, each with --report and
      --html, and compares the two: every report's "cost" object, its layers
      and totals (parsed JSON, numbers as written, so bit for bit), the
      compare ratios, the HTML page and the printed table (but for the
      arithmetic line). The cost-only runs must write no output files.
      Prints one line per combination.

  cost_only_check.py --files RUN.json COSTONLY.json
      Compares two report files the same way.

Exit code 1 with the first difference on failure.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile


class Mismatch(Exception):
    pass


def load(path):
    with open(path) as f:
        # Numbers as strings: equal text is equal bits, and NaN-free.
        return json.load(f, parse_float=str)


def diff(a, b, where):
    """Raises Mismatch at the first place a and b differ."""
    if type(a) is not type(b):
        raise Mismatch("%s: %r (run) vs %r (cost-only)" % (where, a, b))
    if isinstance(a, dict):
        if sorted(a) != sorted(b):
            raise Mismatch("%s: keys %s (run) vs %s (cost-only)" %
                           (where, sorted(a), sorted(b)))
        for key in a:
            diff(a[key], b[key], where + "." + key)
    elif isinstance(a, list):
        if len(a) != len(b):
            raise Mismatch("%s: %d entries (run) vs %d (cost-only)" %
                           (where, len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, "%s[%d]" % (where, i))
    elif a != b:
        raise Mismatch("%s: %r (run) vs %r (cost-only)" % (where, a, b))


def compare_report(run, cost, where):
    if cost.get("arithmetic") != "cost-only":
        raise Mismatch("%s.arithmetic: %r, expected 'cost-only'" %
                       (where, cost.get("arithmetic")))
    if "cost" not in run or "cost" not in cost:
        raise Mismatch("%s: no cost object" % where)
    # The cost first (the figure that matters), then the counts.
    diff(run["cost"], cost["cost"], where + ".cost")
    for key in ("hw", "layers", "totals"):
        diff(run[key], cost[key], where + "." + key)
    extra = set(run) ^ set(cost)
    if extra:
        raise Mismatch("%s: keys %s in only one report" % (where, sorted(extra)))


def compare_files(run_path, cost_path):
    run, cost = load(run_path), load(cost_path)
    if "compare" in run:
        if "compare" not in cost:
            raise Mismatch("the cost-only report is not a comparison")
        diff(len(run["compare"]), len(cost["compare"]), "compare (count)")
        for i, (a, b) in enumerate(zip(run["compare"], cost["compare"])):
            compare_report(a, b, "compare[%d]" % i)
        diff(run["ratios"], cost["ratios"], "ratios")
        return len(run["compare"])
    compare_report(run, cost, "report")
    return 1


def table_without_arithmetic(text):
    return [line for line in text.splitlines() if not line.startswith("# hw ")]


def check_model(rebocc, model_dir, work, pipelines):
    # The runs happen in their own directories.
    rebocc = os.path.abspath(rebocc) if os.sep in rebocc else shutil.which(rebocc)
    model_dir = os.path.abspath(model_dir)
    name = os.path.basename(os.path.normpath(model_dir))
    model = os.path.join(model_dir, "model.onnx")
    data = os.path.join(model_dir, "test_data_set_0", "input_0.pb")
    for pipeline in pipelines:
        for compare in (False, True):
            tag = "%s %s %s" % (name, pipeline, "compare" if compare else "single")
            base = os.path.join(work, tag.replace(" ", "-"))
            os.makedirs(base, exist_ok=True)
            common = [rebocc, model, "--input", data, "--pipeline=" + pipeline]
            if compare:
                common.append("--compare=reboc,dense")
            outputs = {}
            for mode in ("run", "cost"):
                # Each mode in an empty directory: cost-only must leave only
                # its report and page there (the default --output-dir is .).
                cwd = os.path.join(base, mode)
                os.makedirs(cwd, exist_ok=True)
                args = common + ["--report", "r.json", "--html", "r.html"]
                if mode == "run":
                    args += ["--output-dir", "out"] + ([] if compare else ["--run"])
                else:
                    args.append("--cost-only")
                proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
                if proc.returncode != 0:
                    raise Mismatch("%s: %s failed (%d): %s" %
                                   (tag, mode, proc.returncode, proc.stderr))
                outputs[mode] = (cwd, proc.stdout)
            files = sorted(os.listdir(outputs["cost"][0]))
            if files != ["r.html", "r.json"]:
                raise Mismatch("%s: --cost-only left %s" % (tag, files))
            reports = compare_files(os.path.join(outputs["run"][0], "r.json"),
                                    os.path.join(outputs["cost"][0], "r.json"))
            # The page embeds the table: all but its arithmetic line equal.
            pages = [table_without_arithmetic(
                         open(os.path.join(outputs[m][0], "r.html")).read()
                         .replace("# hw ", "\n# hw "))
                     for m in ("run", "cost")]
            if pages[0] != pages[1]:
                raise Mismatch("%s: the HTML pages differ" % tag)
            tables = [table_without_arithmetic(outputs[m][1]) for m in ("run", "cost")]
            if tables[0] != tables[1]:
                for a, b in zip(tables[0], tables[1]):
                    if a != b:
                        raise Mismatch("%s: table line\n  %s (run)\n  %s (cost-only)" %
                                       (tag, a, b))
                raise Mismatch("%s: tables of different length" % tag)
            print("%s: equal (%d report%s, cost, counts, page, table)" %
                  (tag, reports, "s" if reports > 1 else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rebocc")
    parser.add_argument("--model")
    parser.add_argument("--work")
    parser.add_argument("--pipelines", default="intra,inter")
    parser.add_argument("--files", nargs=2, metavar=("RUN", "COSTONLY"))
    args = parser.parse_args()
    try:
        if args.files:
            n = compare_files(*args.files)
            print("equal (%d report%s)" % (n, "s" if n > 1 else ""))
        elif args.rebocc and args.model:
            work = args.work or tempfile.mkdtemp()
            check_model(args.rebocc, args.model, work, args.pipelines.split(","))
        else:
            parser.error("give --files or --rebocc and --model")
    except Mismatch as e:
        print("MISMATCH: %s" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
