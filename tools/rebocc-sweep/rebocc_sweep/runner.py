"""Planning a sweep into its directory, checking its options up front and
running its points (in parallel, skipping the ones already done)."""

import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time

from . import grid

PLAN = "sweep.json"
POINTS = "points"


class SweepError(Exception):
    pass


def write_json(path, value):
    """Write atomically, so an interrupted sweep never leaves half a file."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, path)


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _first_error_line(text):
    lines = [l for l in text.splitlines() if l.strip()]
    for line in lines:
        if "error:" in line:
            return line.strip()
    return lines[-1].strip() if lines else ""


def check_options(rebocc, grids, mode_args, scratch):
    """Fail before running anything when rebocc rejects the shared arguments
    or a grid value (an unknown hardware key, a value out of range, an
    unknown enum value).

    rebocc parses its options and applies --hw-set before it reads the model,
    so the arguments are tried on a model path that does not exist: a first
    error that names that path means they passed. The shared arguments once,
    then each grid value with them."""
    missing = os.path.join(os.path.abspath(scratch),
                           ".rebocc-sweep-no-such-model.onnx")

    def rejection(extra):
        proc = subprocess.run([rebocc] + mode_args + extra + [missing],
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        first = _first_error_line(proc.stderr)
        if missing in first:
            return None
        return first or "rebocc exited with %d" % proc.returncode

    message = rejection([])
    if message:
        raise SweepError("rebocc rejects the sweep's arguments: " + message)
    for key, values in grids:
        for value in values:
            message = rejection(grid.option_args([(key, value)]))
            if not message:
                continue
            suggestion = grid.compiler_key_suggestion(key)
            if key not in grid.COMPILER_FLAGS and suggestion and \
                    "did you mean" not in message:
                message += " (or the compiler option '%s'?)" % suggestion
            raise SweepError("--grid %s=%s: %s" % (key, value, message))


def single_thread_args(rebocc):
    """The arguments that keep one rebocc run on one thread, so -j N runs
    use N cores: its thread-count option, if its --help lists one. (The
    rebocc of this writing has none and runs on one thread.)"""
    proc = subprocess.run([rebocc, "--help"], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True)
    listed = {m.group(1) for m in re.finditer(r"^\s+(-j|--jobs|--threads)\b",
                                              proc.stdout, re.M)}
    for flag in ("--jobs", "--threads", "-j"):
        if flag in listed:
            return ["%s=1" % flag]
    return []


def plan(out_dir, rebocc, models, grids, mode_args):
    """Write sweep.json and every point's point.json; return the points. The
    thread option is not part of a point's id: a rebocc that gains one does
    not make a sweep's points new."""
    threads = single_thread_args(rebocc)
    os.makedirs(os.path.join(out_dir, POINTS), exist_ok=True)
    specs = []
    for model, params in grid.points(models, grids):
        pid = grid.point_id(model, params, mode_args)
        spec = {"id": pid, "model": model,
                "params": [list(p) for p in params],
                "command": grid.rebocc_command(rebocc, model, params,
                                               mode_args + threads)}
        point_dir = os.path.join(out_dir, POINTS, pid)
        os.makedirs(point_dir, exist_ok=True)
        if read_json(os.path.join(point_dir, "point.json")) != spec:
            write_json(os.path.join(point_dir, "point.json"), spec)
        specs.append(spec)
    write_json(os.path.join(out_dir, PLAN),
               {"grid_keys": [k for k, _ in grids],
                "models": models,
                "points": [s["id"] for s in specs]})
    return specs


def is_done(point_dir):
    result = read_json(os.path.join(point_dir, "result.json"))
    return (result is not None and result.get("status") == "ok" and
            read_json(os.path.join(point_dir, "report.json")) is not None)


def run_point(point_dir):
    """Run one point's rebocc command in its directory; record the outcome in
    result.json (status, exit code, first error line, wall time)."""
    spec = read_json(os.path.join(point_dir, "point.json"))
    if spec is None:
        raise SweepError("%s: no readable point.json" % point_dir)
    for stale in ("result.json", "report.json"):
        if os.path.exists(os.path.join(point_dir, stale)):
            os.remove(os.path.join(point_dir, stale))
    start = time.monotonic()
    with open(os.path.join(point_dir, "stdout.txt"), "w") as out, \
            open(os.path.join(point_dir, "stderr.txt"), "w+") as err:
        try:
            code = subprocess.call(spec["command"], cwd=point_dir,
                                   stdout=out, stderr=err)
        except OSError as e:
            code, err_text = 127, "cannot run %s: %s" % (spec["command"][0], e)
        else:
            err.seek(0)
            err_text = err.read()
    seconds = time.monotonic() - start
    ok = code == 0 and read_json(os.path.join(point_dir, "report.json")) is not None
    if ok:
        message = ""
    elif code < 0:
        message = "rebocc killed by signal %d" % -code
    else:
        message = _first_error_line(err_text) or (
            "rebocc exited with %d" % code if code else "rebocc wrote no report")
    result = {"status": "ok" if ok else "failed", "exit_code": code,
              "message": message, "seconds": round(seconds, 3)}
    write_json(os.path.join(point_dir, "result.json"), result)
    return result


def run_points(out_dir, specs, jobs, log=sys.stderr):
    """Run every point not already done, `jobs` at a time. Prints one line per
    point run and one for those skipped; returns the number that failed."""
    dirs = [os.path.join(out_dir, POINTS, s["id"]) for s in specs]
    todo = [d for d in dirs if not is_done(d)]
    done = len(dirs) - len(todo)
    if done:
        print("rebocc-sweep: %d of %d points already done, skipped"
              % (done, len(dirs)), file=log)
    failed = 0
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = {pool.submit(run_point, d): d for d in todo}
        for n, future in enumerate(concurrent.futures.as_completed(futures), 1):
            result = future.result()
            name = os.path.basename(futures[future])
            if result["status"] == "ok":
                line = "ran %s (%.2f s)" % (name, result["seconds"])
            else:
                failed += 1
                line = "ran %s: FAILED: %s" % (name, result["message"])
            print("rebocc-sweep: [%d/%d] %s" % (n, len(todo), line), file=log,
                  flush=True)
    except KeyboardInterrupt:
        # Start no more points; the running ones got the signal too. What
        # finished is kept, and rerunning the sweep resumes it.
        pool.shutdown(wait=True, cancel_futures=True)
        raise SweepError("interrupted; run the same command again to resume")
    pool.shutdown()
    return failed
