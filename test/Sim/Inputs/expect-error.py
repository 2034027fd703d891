"""Runs a command that must fail cleanly and checks how.

usage: expect-error.py SUBSTRING COMMAND [ARG...]

Passes when the command exits with code 1 (not another code, not a signal),
prints exactly one line on stderr, that line starts with "<tool>: error: "
(tool = the command's base name) and contains SUBSTRING.
"""
import os
import subprocess
import sys

expected, cmd = sys.argv[1], sys.argv[2:]
p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                   universal_newlines=True)
lines = p.stderr.splitlines()
prefix = os.path.basename(cmd[0]) + ": error: "
problems = []
if p.returncode != 1:
    problems.append("exit code %d, expected 1" % p.returncode)
if len(lines) != 1:
    problems.append("%d lines on stderr, expected 1" % len(lines))
elif not lines[0].startswith(prefix):
    problems.append("stderr does not start with %r" % prefix)
elif expected not in lines[0]:
    problems.append("stderr does not contain %r" % expected)
if problems:
    print("command:", " ".join(cmd))
    print("stderr:", p.stderr)
    print("\n".join(problems))
    sys.exit(1)
