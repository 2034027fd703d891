"""Prints "same but command_line" when the JSON reports given are equal after
dropping their command_line (which names the flags that differ); else the
first member that differs, and exits 1."""
import json
import sys

reports = [json.load(open(path)) for path in sys.argv[1:]]
for report in reports:
    report.pop("command_line", None)
for path, report in zip(sys.argv[2:], reports[1:]):
    for key in set(reports[0]) | set(report):
        if reports[0].get(key) != report.get(key):
            print("%s differs from %s in %s" % (path, sys.argv[1], key))
            sys.exit(1)
print("same but command_line")
