"""Runs the ```python blocks of a Markdown page in order, in one namespace,
from the directory given (test/Python/docs-walkthrough.test).

    run_walkthrough.py PAGE.md DIR

Prints "block N (line L)" before each block's own output; an exception in a
block fails the run with its traceback.
"""
import os
import re
import sys

page, root = sys.argv[1:3]
with open(page, encoding="utf-8") as f:
    text = f.read()
blocks = [(text.count("\n", 0, m.start()) + 2, m.group(1))
          for m in re.finditer(r"^```python\n(.*?)^```$", text, re.S | re.M)]
if not blocks:
    sys.exit("%s: no python blocks" % page)
os.chdir(root)
namespace = {"__name__": "__walkthrough__"}
for number, (line, code) in enumerate(blocks, 1):
    print("block %d (line %d)" % (number, line), flush=True)
    exec(compile(code, "%s:%d" % (page, line), "exec"), namespace)
print("%d blocks ran" % len(blocks))
