"""Prints a JSON report without its "command_line" (the one member that
differs between two runs of the same program with other flags or paths),
keys sorted, so two reports compare with cmp/diff.
Usage: drop_command_line.py REPORT.json"""
import json
import sys

report = json.load(open(sys.argv[1]))
if "command_line" not in report:
    sys.exit("drop_command_line: no command_line in " + sys.argv[1])
del report["command_line"]
print(json.dumps(report, indent=1, sort_keys=True))
