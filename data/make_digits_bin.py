#!/usr/bin/env python3
"""Pack data/digits.csv (label,p0..p63; 1797 rows, values 0..16) into data/digits.bin.

Format (read by src/nn/data/digits.rs):
  bytes 0..4   magic b"DGT1"
  bytes 4..6   number of rows, u16 little-endian
  byte  6      number of pixels per row (64)
  then, row after row, the label and the 64 pixels as 5-bit unsigned values,
  packed most significant bit first; the last byte is padded with zero bits.
Also prints the FNV-1a 64 checksum of the decoded values (label then pixels, one byte each,
row after row) that tests/nn_props.rs and the digits module check.
"""
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "data/digits.csv"
dst = sys.argv[2] if len(sys.argv) > 2 else "data/digits.bin"
lines = open(src).read().split("\n")
assert lines[0].startswith("label,p0,")
rows = [list(map(int, l.split(","))) for l in lines[1:] if l]
assert all(len(r) == 65 and all(0 <= v <= 16 for v in r) for r in rows)
out = bytearray(b"DGT1") + len(rows).to_bytes(2, "little") + bytes([64])
acc, nbits = 0, 0
for r in rows:
    for v in r:
        acc = (acc << 5) | v
        nbits += 5
        while nbits >= 8:
            nbits -= 8
            out.append((acc >> nbits) & 0xFF)
        acc &= (1 << nbits) - 1
if nbits:
    out.append((acc << (8 - nbits)) & 0xFF)
open(dst, "wb").write(out)
h = 0xCBF29CE484222325
for r in rows:
    for v in r:
        h = ((h ^ v) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
print(f"{len(rows)} rows, {len(out)} bytes, fnv1a64 = 0x{h:016x}")
