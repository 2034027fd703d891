#!/usr/bin/env python3
"""Checks the library layering of a rebocc source tree (docs/Design.md).

Support is the bottom layer: it includes only rebocc/Support/. The simulator
(Sim) is the top layer: nothing in Support, Model, Target, Frontend, Dialect
or Conversion includes rebocc/Sim/ (lib/ and include/rebocc/), and only
lib/Sim defines or links ReboccSim among the libraries.

Usage: check_layering.py SOURCE_ROOT. Prints one line per violation and
exits 1 when there is any; prints "layering ok: N files" otherwise.
"""
import os
import re
import sys

BELOW_SIM = ["Support", "Model", "Target", "Frontend", "Dialect", "Conversion",
             "Compiler"]
SOURCE_SUFFIXES = (".h", ".cpp", ".td", ".inc")
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"](rebocc/[^">]+)[">]')
LINKS_SIM = re.compile(r"\bReboccSim\b")


def files_under(root, suffixes):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(suffixes):
                yield os.path.join(dirpath, name)


def check_includes(root, layer, problems):
    """Returns the number of source files of `layer` read."""
    count = 0
    for top in (os.path.join(root, "lib", layer),
                os.path.join(root, "include", "rebocc", layer)):
        for path in files_under(top, SOURCE_SUFFIXES):
            count += 1
            rel = os.path.relpath(path, root)
            with open(path, encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    header = m.group(1)
                    if header.startswith("rebocc/Sim/"):
                        problems.append(f"{rel}:{number}: {layer} includes "
                                        f"the simulator header {header}")
                    elif layer == "Support" and not header.startswith(
                            "rebocc/Support/"):
                        problems.append(f"{rel}:{number}: Support includes "
                                        f"{header}; it may only include "
                                        f"rebocc/Support/")
    return count


def check_links(root, problems):
    for path in files_under(os.path.join(root, "lib"), ("CMakeLists.txt",)):
        rel = os.path.relpath(path, root)
        if rel.startswith(os.path.join("lib", "Sim") + os.sep):
            continue
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                code = line.split("#", 1)[0]
                if LINKS_SIM.search(code):
                    problems.append(f"{rel}:{number}: a library below the "
                                    f"simulator names ReboccSim")


def main():
    if len(sys.argv) != 2 or not os.path.isdir(os.path.join(sys.argv[1], "lib")):
        sys.exit("usage: check_layering.py SOURCE_ROOT (with lib/ and include/)")
    root = sys.argv[1]
    problems = []
    count = sum(check_includes(root, layer, problems) for layer in BELOW_SIM)
    check_links(root, problems)
    for p in problems:
        print("error: " + p)
    if problems:
        sys.exit(1)
    print(f"layering ok: {count} files")


if __name__ == "__main__":
    main()
