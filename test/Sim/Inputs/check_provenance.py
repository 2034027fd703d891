"""Checks the provenance at the head of a rebocc JSON report against values
found independently of the tool: the input's SHA-256 as sha256sum printed it,
the commit as git printed it, the hardware as the description file holds it
with the --hw-set overrides applied here, and the command line as the test
wrote it.

  check_provenance.py REPORT --tool T --kind model|program --input PATH
      --sha256 HEX --git SHA --version V --hw FILE [--hw-set K=V ...]
      --seed N -- ARGV...

Prints one "ok ..." line per check; exits 1 at the first mismatch.
"""
import argparse
import json
import sys


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def expect(what, got, want):
    if got != want or type(got) is not type(want):
        fail("%s: report %r, expected %r" % (what, got, want))
    print("ok %s" % what)


def expected_hardware(path, overrides):
    with open(path) as f:
        hw = {k: v for k, v in json.load(f).items() if not k.startswith("_")}
    for item in overrides:
        key, value = item.split("=", 1)
        old = hw[key]
        # The override's value in the type the file gives the key: numbers
        # the tool stores as integers are integers in both.
        hw[key] = int(value) if isinstance(old, int) else (
            float(value) if isinstance(old, float) else value)
    return hw


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("--tool", required=True)
    ap.add_argument("--kind", required=True, choices=["model", "program"])
    ap.add_argument("--input", required=True)
    ap.add_argument("--sha256", required=True)
    ap.add_argument("--git", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--hw", required=True)
    ap.add_argument("--hw-set", action="append", default=[])
    ap.add_argument("--seed", type=int, required=True)
    split = sys.argv.index("--")
    args = ap.parse_args(sys.argv[1:split])
    args.argv = sys.argv[split + 1:]
    with open(args.report) as f:
        report = json.load(f)

    keys = list(report)
    expect("head", keys[:6], ["schema_version", "tool", args.kind,
                              "command_line", "seed", "hardware"])
    expect("schema_version", report["schema_version"], 1)
    expect("tool.name", report["tool"]["name"], args.tool)
    expect("tool.version", report["tool"]["version"], args.version)
    expect("tool.git", report["tool"]["git"], args.git)
    expect(args.kind + ".path", report[args.kind]["path"], args.input)
    expect(args.kind + ".sha256", report[args.kind]["sha256"], args.sha256)
    expect("command_line", report["command_line"][1:], args.argv)
    expect("seed", report["seed"], args.seed)

    want = expected_hardware(args.hw, args.hw_set)
    got = report["hardware"]
    expect("hardware keys", sorted(got), sorted(want))
    for key in want:
        # 100 in the file and 100.0 in the report are the same value.
        if isinstance(want[key], float) and isinstance(got[key], int):
            got[key] = float(got[key])
        if got[key] != want[key] or type(got[key]) is not type(want[key]):
            fail("hardware.%s: report %r, expected %r" % (key, got[key],
                                                          want[key]))
    print("ok hardware: %d fields" % len(want))


main()
