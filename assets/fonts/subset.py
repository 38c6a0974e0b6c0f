#!/usr/bin/env python3
"""Regenerates assets/fonts/OptiscapeSans-Regular.ttf, the one font `optiscape render` embeds.

It is a subset of four SIL OFL 1.1 fonts merged into one TrueType font, so the CLI draws the
same glyphs on a bare machine with no system fonts, Chinese included:

  Noto Sans              Latin, Greek, superscripts (x², 10⁻⁶, 0.98ᵗ)   fonts-noto-core
  Noto Sans CJK SC       every Chinese character the project uses, arrows, ∇ ∑ ≈ ≤ ...
                                                                        fonts-noto-cjk
  Noto Sans Math         the few operators the others lack (∼ ⌈ ⌉)     fonts-noto-core
  Noto Sans Symbols 2    ✗                                              fonts-noto-core

Each character comes from the first font in that order that has it. The characters: printable
ASCII, Latin-1, Greek, super- and subscripts, and every non-ASCII character of the texts the
project shows (src/scene, src/surface/presets.rs, src/render, the app's i18n catalogs).

Run from the repository root after adding Chinese text (tests/render.rs fails until you do):

    apt-get install fonts-noto-core fonts-noto-cjk && pip install fonttools
    python3 assets/fonts/subset.py
"""

import glob
import os
import sys
import unicodedata

from fontTools import subset
from fontTools.merge import Merger
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

NOTO = "/usr/share/fonts/truetype/noto"
CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
OUT = "assets/fonts/OptiscapeSans-Regular.ttf"
FAMILY = "Optiscape Sans"

# Files whose text the project shows (the same list tests/render.rs checks against).
SOURCES = [
    "src/scene/*.rs",
    "src/surface/presets.rs",
    "src/render/*.rs",
    "www/i18n/*.json",
    "www/*/i18n/*.json",
]


def characters():
    chars = set(chr(c) for c in range(0x20, 0x7F))
    chars |= set(chr(c) for c in range(0xA0, 0x100))
    chars |= set(chr(c) for c in range(0x391, 0x3CA))
    chars |= set(chr(c) for c in range(0x2070, 0x20A0))
    chars |= set("–—‘’“”…′″‖•−×÷±≈≤≥∇∑√∞→←↑↓")
    for pattern in SOURCES:
        for path in sorted(glob.glob(pattern)):
            with open(path, encoding="utf-8") as f:
                chars |= {c for c in f.read() if ord(c) > 0x7F and c.isprintable()}
    return {c for c in chars if unicodedata.category(c) != "Cn"}


def load_cjk_sc():
    for font in TTCollection(CJK).fonts:
        if font["name"].getDebugName(1) == "Noto Sans CJK SC":
            return font
    sys.exit(f"no Noto Sans CJK SC in {CJK}")


def subset_font(font, codepoints):
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "MATH", "vhea", "vmtx", "VORG",
                            "DSIG", "meta", "STAT", "gasp", "JSTF"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    return font


def cff_to_glyf(font):
    """Converts a CFF (cubic) font to TrueType (quadratic) outlines, as fontTools' otf2ttf."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ["maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                  "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                  "maxComponentElements"]:
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    del font["CFF "]
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\0\1\0\0"
    return font


def rename(font):
    name = font["name"]
    copyright = ("Copyright 2015 Google LLC (Noto Sans); Copyright 2018 Google LLC (Noto Sans "
                 "Math); Copyright 2017 Google Inc. (Noto Sans Symbols 2); Copyright 2014-2021 "
                 "Adobe (http://www.adobe.com/), with Reserved Font Name 'Source' (Noto Sans CJK "
                 "SC). Subset and merged for optiscape by assets/fonts/subset.py.")
    for rec in list(name.names):
        if rec.nameID in (0, 1, 3, 4, 6, 16, 17):
            name.removeNames(nameID=rec.nameID)
    for pid, eid, lid in [(3, 1, 0x409), (1, 0, 0)]:
        name.setName(copyright, 0, pid, eid, lid)
        name.setName(FAMILY, 1, pid, eid, lid)
        name.setName("Regular", 2, pid, eid, lid)
        name.setName(f"{FAMILY} Regular", 3, pid, eid, lid)
        name.setName(f"{FAMILY} Regular", 4, pid, eid, lid)
        name.setName("OptiscapeSans-Regular", 6, pid, eid, lid)
    return font


def main():
    if not os.path.exists("Cargo.toml"):
        sys.exit("run from the repository root")
    wanted = {ord(c) for c in characters()}
    sources = [
        ("Noto Sans", TTFont(f"{NOTO}/NotoSans-Regular.ttf")),
        ("Noto Sans CJK SC", load_cjk_sc()),
        ("Noto Sans Math", TTFont(f"{NOTO}/NotoSansMath-Regular.ttf")),
        ("Noto Sans Symbols 2", TTFont(f"{NOTO}/NotoSansSymbols2-Regular.ttf")),
    ]
    parts = []
    left = set(wanted)
    for label, font in sources:
        have = left & set(font.getBestCmap())
        left -= have
        if not have:
            continue
        font = subset_font(font, have)
        if "CFF " in font:
            font = cff_to_glyf(font)
        path = f"/tmp/optiscape-part-{len(parts)}.ttf"
        font.save(path)
        parts.append(path)
        print(f"{label}: {len(have)} characters")
    missing = sorted(c for c in left if not chr(c).isspace())
    if missing:
        # tests/render.rs names what the texts need; here, say what no source font has.
        print("no source font has:", " ".join(f"U+{c:04X} {chr(c)}" for c in missing))
    merger = Merger()
    merged = merger.merge(parts)
    # The merger keeps the tallest ascent and deepest descent of all parts (Noto Sans Math's).
    # ab_glyph (the PNG text) sizes a font so that ascent − descent is the pixel size plotters
    # asks for, while SVG text gets font-size = size / 1.24; an ascent − descent of 1.24 em
    # makes both the same size, so a label measured for the PNG fits in the SVG too.
    merged["hhea"].ascent, merged["hhea"].descent, merged["hhea"].lineGap = 980, -260, 0
    os2 = merged["OS/2"]
    os2.sTypoAscender, os2.sTypoDescender, os2.sTypoLineGap = 980, -260, 0
    latin = TTFont(parts[0])
    os2.usWinAscent, os2.usWinDescent = latin["OS/2"].usWinAscent, latin["OS/2"].usWinDescent
    rename(merged)
    # The same input gives the same file: a fixed date instead of today's.
    merged["head"].created = merged["head"].modified = 3786912000  # 2024-01-01
    merged.recalcTimestamp = False
    merged.save(OUT)
    print(f"{OUT}: {os.path.getsize(OUT)} bytes, {len(merged.getBestCmap())} characters")


if __name__ == "__main__":
    main()
