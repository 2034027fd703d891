"""The command line: sweep, --emit-commands, --run-point and --merge."""

import argparse
import difflib
import os
import shlex
import sys

from . import grid, pareto, plots, runner, table

PROG = "rebocc-sweep"


def fail(message):
    """One `error:` line and exit 1 (rebocc's convention)."""
    print("%s: error: %s" % (PROG, message), file=sys.stderr)
    sys.exit(1)


class Parser(argparse.ArgumentParser):
    def error(self, message):
        # argparse's usage block and exit 2 would bury the one line that
        # matters; an unknown option gets the nearest one, as rebocc does.
        if message.startswith("unrecognized arguments: "):
            words = message[len("unrecognized arguments: "):].split()
            options = [o for a in self._actions for o in a.option_strings]
            near = difflib.get_close_matches(words[0].split("=")[0], options, n=1)
            message = "unknown option '%s'%s" % (
                words[0], "; did you mean '%s'?" % near[0] if near else "")
        fail(message)


def parser():
    p = Parser(prog=PROG, allow_abbrev=False,
               description="Run rebocc over the cross product of grids and "
                           "collect the reports into one CSV and Pareto plots "
                           "(docs/Sweep.md).")
    p.add_argument("models", nargs="*", metavar="MODEL")
    p.add_argument("--grid", action="append", default=[], metavar="KEY=V1,V2,...",
                   help="a hardware key (to --hw-set) or a compiler option "
                        "(%s) and its values; repeatable"
                        % ", ".join(grid.COMPILER_FLAGS))
    p.add_argument("--out", metavar="DIR", help="the sweep's directory")
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                   help="points run at once (default: the cores)")
    p.add_argument("--rebocc", metavar="PATH",
                   help="the rebocc to run (default: the one next to this tool)")
    p.add_argument("--hw", metavar="FILE", help="base hardware description (rebocc --hw)")
    p.add_argument("--run", action="store_true",
                   help="simulate (rebocc --run) instead of --cost-only: "
                        "outputs, and the accuracy with --labels")
    p.add_argument("--input", action="append", default=[], metavar="FILE",
                   help="--run: input tensor (.pb), in order (rebocc --input)")
    p.add_argument("--labels", metavar="FILE", help="--run: labels (rebocc --labels)")
    p.add_argument("--rebocc-arg", action="append", default=[], metavar="ARG",
                   help="one more argument for every rebocc run; repeatable")
    p.add_argument("--emit-commands", action="store_true",
                   help="plan the sweep in --out and print one command per "
                        "point instead of running them")
    p.add_argument("--run-point", metavar="POINT_DIR",
                   help="run one planned point (what --emit-commands prints)")
    p.add_argument("--merge", action="store_true",
                   help="the positional arguments are sweep directories: "
                        "write their points' CSV and plots into --out")
    p.add_argument("--no-plots", action="store_true", help="only the CSV")
    return p


def default_rebocc():
    here = os.path.dirname(os.path.realpath(sys.argv[0]))
    return os.path.join(here, "rebocc")


def mode_args(args):
    """rebocc arguments shared by every point (absolute paths: points run in
    their own directories)."""
    out = []
    if args.hw:
        out += ["--hw", os.path.abspath(args.hw)]
    if args.run:
        if not args.input:
            fail("--run needs --input FILE (one per model input, in order)")
        out += ["--run", "--output-dir", "outputs"]
        for f in args.input:
            out += ["--input", os.path.abspath(f)]
        if args.labels:
            out += ["--labels", os.path.abspath(args.labels)]
    else:
        if args.input or args.labels:
            fail("--input and --labels need --run (a cost-only sweep takes "
                 "shapes from the model; pass --rebocc-arg=--input=F for "
                 "another batch)")
        out.append("--cost-only")
    return out + args.rebocc_arg


def check_models(models):
    """Each model once: the same model twice would be the same points, run
    twice at once in the same directories."""
    seen = {}
    for m in models:
        real = os.path.realpath(m)
        if real in seen:
            fail("'%s' and '%s' are the same model" % (seen[real], m))
        seen[real] = m


def check_files(args, rebocc):
    if not (os.path.isfile(rebocc) and os.access(rebocc, os.X_OK)):
        fail("no rebocc at '%s' (use --rebocc PATH)" % rebocc)
    for f in args.models + args.input + [x for x in (args.labels, args.hw) if x]:
        if not os.path.isfile(f):
            fail("'%s': no such file" % f)


def collect(out_dir, sweep_dirs):
    """Rows of the planned points of each sweep directory, in plan order; a
    point in several directories counts once (the first that ran it)."""
    rows = {}
    for d in sweep_dirs:
        plan = runner.read_json(os.path.join(d, runner.PLAN))
        if plan is None:
            fail("'%s': not a sweep directory (no readable %s)" % (d, runner.PLAN))
        for pid in plan["points"]:
            row = table.load_row(os.path.join(d, runner.POINTS, pid))
            if row is None:
                fail("'%s': point %s has no point.json" % (d, pid))
            if pid not in rows or rows[pid]["status"] != "ok":
                rows[pid] = row
    return list(rows.values())


def report(out_dir, sweep_dirs, draw_plots):
    """Write sweep.csv and the plots; exit non-zero with a summary when a
    point failed or did not run."""
    rows = collect(out_dir, sweep_dirs)
    pareto.mark(rows)
    os.makedirs(out_dir, exist_ok=True)
    csv_path = os.path.join(out_dir, "sweep.csv")
    table.write_csv(csv_path, rows)
    written = [csv_path]
    if draw_plots:
        written += plots.draw(rows, out_dir)
    bad = [r for r in rows if r["status"] != "ok"]
    print("rebocc-sweep: %d points, %d ok; wrote %s" % (
        len(rows), len(rows) - len(bad), ", ".join(written)), file=sys.stderr)
    if bad:
        for r in bad:
            print("rebocc-sweep: %s %s: %s" % (r["point_id"], r["status"],
                                                r["message"]), file=sys.stderr)
        fail("%d of %d points did not succeed (see %s)" % (len(bad), len(rows), csv_path))


# Options of a sweep that --run-point and --merge do not take: given there
# they would be silently ignored.
SWEEP_ONLY = ["grid", "jobs", "rebocc", "hw", "run", "input", "labels",
              "rebocc_arg", "emit_commands"]


def reject_sweep_options(args, mode):
    for name in SWEEP_ONLY:
        if getattr(args, name) not in (None, False, [], 0):
            fail("--%s has no effect with %s" % (name.replace("_", "-"), mode))


def run_point_main(args):
    reject_sweep_options(args, "--run-point")
    if args.models or args.merge or args.out or args.no_plots:
        fail("--run-point takes one point directory and nothing else")
    if runner.is_done(args.run_point):
        return 0
    try:
        result = runner.run_point(args.run_point)
    except runner.SweepError as e:
        fail(str(e))
    if result["status"] != "ok":
        fail("%s: %s" % (args.run_point, result["message"]))
    return 0


def merge_main(args):
    reject_sweep_options(args, "--merge")
    if not args.models:
        fail("--merge needs sweep directories")
    out = args.out or (args.models[0] if len(args.models) == 1 else None)
    if not out:
        fail("--merge of several directories needs --out")
    report(out, args.models, not args.no_plots)
    return 0


def sweep_main(args):
    if not args.models:
        fail("no model given")
    if not args.out:
        fail("--out DIR is required")
    if args.jobs < 0:
        fail("-j must be at least 1")
    try:
        grids = grid.parse_grids(args.grid)
    except grid.GridError as e:
        fail(str(e))
    rebocc = os.path.abspath(args.rebocc or default_rebocc())
    check_files(args, rebocc)
    check_models(args.models)
    margs = mode_args(args)
    try:
        runner.check_options(rebocc, grids, margs, args.out)
    except runner.SweepError as e:
        fail(str(e))
    os.makedirs(args.out, exist_ok=True)
    specs = runner.plan(args.out, rebocc, args.models, grids, margs)
    if args.emit_commands:
        me = os.path.realpath(sys.argv[0])
        for s in specs:
            print(shlex.join([me, "--run-point", os.path.abspath(
                os.path.join(args.out, runner.POINTS, s["id"]))]))
        return 0
    jobs = args.jobs or len(os.sched_getaffinity(0))
    try:
        runner.run_points(args.out, specs, jobs)
    except runner.SweepError as e:
        fail(str(e))
    report(args.out, [args.out], not args.no_plots)
    return 0


def main(argv=None):
    args = parser().parse_args(argv)
    if args.run_point:
        return run_point_main(args)
    if args.merge:
        return merge_main(args)
    return sweep_main(args)
