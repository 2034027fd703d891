"""Seals an edited program again: rewrites the header's checksum to the
FNV-1a 64 of every byte after the header line (docs/ProgramFormat.md,
"Checksum"), so a test can feed the reader a hand-edited program and see the
reader's own message about the edit rather than the checksum's.

usage: reseal.py IN.rbp OUT.rbp
"""
import re
import sys


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for byte in data:
        h ^= byte
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def main():
    data = open(sys.argv[1], "rb").read()
    eol = data.index(b"\n")
    header, body = data[:eol], data[eol + 1:]
    header, count = re.subn(rb" checksum=0x[0-9a-f]{16}$",
                            b" checksum=0x%016x" % fnv1a64(body), header)
    if count != 1:
        sys.exit("reseal.py: no checksum field in the header line")
    open(sys.argv[2], "wb").write(header + b"\n" + body)


if __name__ == "__main__":
    main()
