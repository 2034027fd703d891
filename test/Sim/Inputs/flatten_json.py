"""Prints a JSON report one leaf per line, in document order, for FileCheck.

flatten_json.py FILE prints `path = value`: object keys joined by '.', array
elements as [i], or [NAME] when the element is an object with a "name".
Strings are JSON-quoted, booleans true/false, integers as they are, other
numbers with 6 significant digits (%.6g), so a check pins a value as far as
it was computed by hand, not the writer's last digits.
"""
import json
import sys


def text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "%.6g" % value
    return json.dumps(value, ensure_ascii=False)


def flatten(value, path, out):
    if isinstance(value, dict):
        for key, item in value.items():
            flatten(item, f"{path}.{key}" if path else key, out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            label = index
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                label = item["name"]
            flatten(item, f"{path}[{label}]", out)
    else:
        out.append(f"{path} = {text(value)}")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: flatten_json.py FILE")
    with open(sys.argv[1], encoding="utf-8") as f:
        document = json.load(f)
    lines = []
    flatten(document, "", lines)
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
