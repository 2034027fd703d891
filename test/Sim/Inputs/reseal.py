"""Seals an edited program again: rewrites the header's checksum to the
seal64 of every byte after the header line (docs/ProgramFormat.md,
"Checksum"), so a test can feed the reader a hand-edited program and see the
reader's own message about the edit rather than the checksum's.

seal64 is written out here from its description in docs/ProgramFormat.md,
independently of the C++ one (lib/Support/FileIO.cpp).

usage: reseal.py IN.rbp OUT.rbp
"""
import re
import struct
import sys

MASK = 0xFFFFFFFFFFFFFFFF
PRIME = 0x9E3779B97F4A7C15
MIX = 0xFF51AFD7ED558CCD


def step(h, w):
    h = ((h ^ w) * PRIME) & MASK
    return ((h << 29) | (h >> 35)) & MASK


def seal64(data):
    lanes = [(MIX * (2 * i + 1)) & MASK for i in range(8)]
    padded = bytes(data) + bytes(-len(data) % 64)
    for at in range(0, len(padded), 64):
        words = struct.unpack_from("<8Q", padded, at)
        lanes = [step(h, w) for h, w in zip(lanes, words)]
    h = 0
    for lane in lanes:
        h = step(h, lane)
    h = step(h, len(data))
    h ^= h >> 33
    h = (h * MIX) & MASK
    return h ^ (h >> 33)


def main():
    data = open(sys.argv[1], "rb").read()
    eol = data.index(b"\n")
    header, body = data[:eol], data[eol + 1:]
    header, count = re.subn(rb" checksum=0x[0-9a-f]{16}$",
                            b" checksum=0x%016x" % seal64(body), header)
    if count != 1:
        sys.exit("reseal.py: no checksum field in the header line")
    open(sys.argv[2], "wb").write(header + b"\n" + body)


if __name__ == "__main__":
    main()
