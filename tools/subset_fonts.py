#!/usr/bin/env python3
"""Build the Chinese fonts that contractgen ships, from Debian's fonts-noto-cjk.

Usage (from the repository root, with fontTools installed)::

    python tools/subset_fonts.py
    python tools/subset_fonts.py --source-dir /usr/share/fonts/opentype/noto --out-dir templates/fonts

For each of Noto Serif CJK and Noto Sans CJK, Regular and Bold, it picks the
Simplified Chinese face of the TTC collection by its PostScript name (not by
index), keeps the characters listed in :func:`charset` (Latin, punctuation,
all of the CJK Unified Ideographs U+4E00-U+9FFF; Extension A U+3400-U+4DBF
too for the serif faces, see ``--ext-a``), drops hinting, vertical metrics
and vertical/Japanese/Korean layout features, renames the family to
"contractgen Noto Serif SC" / "contractgen Noto Sans SC" and writes
``templates/fonts/<face>.subset.otf`` for each :data:`TARGETS` entry.

Two rules make the fonts right and small in every PDF viewer:

- **GID = CID.**  The faces are CID-keyed CFF.  A PDF content stream holds
  glyph ids, and ISO 32000-1 §9.7.4.2 tells a viewer to read them as CIDs and
  find the glyph through the CFF charset (MuPDF and Acrobat do; poppler and
  PDFium happen not to).  Subsetting renumbers the glyphs, so the script
  renumbers the CIDs to match (:func:`renumber_cids`): glyph *n* is CID *n*.
- **Common glyphs first.**  WeasyPrint keeps every glyph slot up to the
  highest one a document uses, so the glyph order (:func:`glyph_tiers`) puts
  Latin and punctuation first, then GB 2312 level 1, level 2, the rest of the
  ideographs and Extension A last.  A typical contract uses no glyph past
  the first few thousand.

Next to each font a ``.coverage.json`` file lists the code points the font
maps, as ranges (read by ``contractgen.writers.fonts`` instead of parsing the
cmap on every run).

The output is deterministic: the same input fonts give byte-identical files
(``head.modified`` is pinned to the source font's value).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT_DIR = REPO_ROOT / "templates" / "fonts"
DEBIAN_FONT_DIR = Path("/usr/share/fonts/opentype/noto")

COVERAGE_SUFFIX = ".coverage.json"


@dataclass(frozen=True)
class Target:
    role: str  # "serif" | "sans"
    weight: str  # "Regular" | "Bold": the style name and the TTC's file name part
    source_psname: str  # PostScript name (name ID 6) of the face to take
    family: str  # new family name (name IDs 1 and 16, the CFF FamilyName)
    out_name: str

    @property
    def ttc_name(self) -> str:
        return f"Noto{self.role.capitalize()}CJK-{self.weight}.ttc"

    @property
    def psname(self) -> str:
        """New PostScript name (name ID 6, CFF FontName)."""
        return self.family.replace(" ", "") + f"-{self.weight}"

    @property
    def name_key(self) -> str:
        return f"{self.role}-{self.weight.lower()}"


def _target(role: str, weight: str) -> Target:
    face = f"Noto{role.capitalize()}CJKsc-{weight}"
    return Target(
        role=role,
        weight=weight,
        source_psname=face,
        family=f"contractgen Noto {role.capitalize()} SC",
        out_name=f"{face}.subset.otf",
    )


TARGETS = tuple(_target(role, weight) for weight in ("Regular", "Bold") for role in ("serif", "sans"))

# Horizontal layout features worth keeping for Chinese + Latin text.  Left
# out on purpose: vertical ones (vert, vrt2, vkrn, vpal, vhal), 'locl' (its
# only effect in the SC face is to pull in the Japanese, Korean and
# traditional glyph variants), 'aalt'/'hist'/'ruby'/'dlig' and the width
# variants (fwid, hwid, pwid), which nobody asks for in a contract.
LAYOUT_FEATURES = [
    "ccmp",  # (de)composition: accented Latin
    "liga",  # Latin fi/fl ligatures
    "calt",
    "kern",
    "mark",
    "mkmk",
    "palt",  # proportional CJK punctuation (font-feature-settings: "palt")
    "halt",  # half-width CJK punctuation
]

# Tables we do not need: vertical metrics/origins (no vertical writing).
DROP_TABLES = ["VORG", "vhea", "vmtx"]


def _ranges(*pairs: tuple[int, int]) -> set[int]:
    out: set[int] = set()
    for first, last in pairs:
        out.update(range(first, last + 1))
    return out


def charset(ext_a: bool = True) -> set[int]:
    """The code points to keep (those the source font lacks are skipped)."""
    chars = _ranges(
        (0x0020, 0x007E),  # Basic Latin
        (0x00A0, 0x00FF),  # Latin-1 Supplement (¥ U+00A5, ·, ×, ÷, °, ±, ©, ®)
        (0x2000, 0x206F),  # General Punctuation (— … ‘ ’ “ ” ‰ ※ ‧)
        (0x20AC, 0x20AC),  # €
        (0x2100, 0x2122),  # Letterlike symbols: ℃ ℉ № ℡ ™
        (0x2160, 0x217B),  # Roman numerals Ⅰ–Ⅻ ⅰ–ⅻ
        (0x2190, 0x2193),  # ← ↑ → ↓
        (0x2236, 0x2236),  # ∶ (ratio, used as a colon)
        (0x2260, 0x2260),  # ≠
        (0x2264, 0x2265),  # ≤ ≥
        (0x2460, 0x249B),  # ① – ⑳, ⑴ – ⒇, ⒈ – ⒛
        (0x25A0, 0x25A1),  # ■ □
        (0x25B2, 0x25B3),  # ▲ △
        (0x25C6, 0x25C7),  # ◆ ◇
        (0x25CB, 0x25CB),  # ○
        (0x25CE, 0x25CF),  # ◎ ●
        (0x2605, 0x2606),  # ★ ☆
        (0x2610, 0x2612),  # ☐ ☑ ☒ (not in Noto CJK 2.00x; kept if a future one has them)
        (0x2713, 0x2714),  # ✓ ✔ (idem)
        (0x3000, 0x303F),  # CJK Symbols and Punctuation (、。〇《》「」【】〔〕)
        (0x30FB, 0x30FB),  # ・ (katakana middle dot, in transliterated names)
        (0x4E00, 0x9FFF),  # CJK Unified Ideographs, all of them
        (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms (（），：；！？￥)
    )
    if ext_a:
        chars |= _ranges((0x3400, 0x4DBF))  # CJK Unified Ideographs Extension A
    return chars


def find_face(ttc: Path, psname: str) -> int:
    """Index of the face whose PostScript name is ``psname`` in a TTC."""
    collection = TTCollection(str(ttc), lazy=True)
    try:
        names = []
        for index, face in enumerate(collection.fonts):
            name = face["name"].getDebugName(6)
            names.append(name)
            if name == psname:
                return index
    finally:
        collection.close()
    raise SystemExit(f"{ttc}: no face named {psname!r} (faces: {', '.join(map(str, names))})")


def _set_name(font: TTFont, name_id: int, value: str) -> None:
    font["name"].setName(value, name_id, 3, 1, 0x409)


def rename(font: TTFont, target: Target) -> None:
    """Give the subset its own names so it can never be mistaken for the full font.

    Regular and Bold share the family name (name ID 1) and differ in the
    style (name ID 2), so fontconfig and Word see one family with two weights.
    """
    name = font["name"]
    version = name.getDebugName(5) or ""
    revision = f"{font['head'].fontRevision:.3f}"
    # Drop every record but Windows/English, then rewrite the naming ones.
    name.names = [r for r in name.names if r.platformID == 3 and r.langID == 0x409]
    name.names = [r for r in name.names if r.nameID not in (16, 17)]  # typographic names: as 1/2
    _set_name(font, 1, target.family)
    _set_name(font, 2, target.weight)
    _set_name(font, 3, f"{revision};contractgen;{target.psname}")
    _set_name(font, 4, f"{target.family} {target.weight}")
    _set_name(font, 5, f"{version}; contractgen subset of {target.source_psname}")
    _set_name(font, 6, target.psname)
    name.names.sort(key=lambda r: (r.platformID, r.platEncID, r.langID, r.nameID))

    cff = font["CFF "].cff
    cff.fontNames = [target.psname]
    top = cff.topDictIndex[0]
    top.FamilyName = target.family
    top.FullName = f"{target.family} {target.weight}"
    # A CID-keyed font also names each FDArray sub-font after the font; the
    # TTC faces share one CFF whose sub-fonts carry the Japanese face's name
    # ("NotoSerifCJKjp-Regular-Alphabetic"): keep only the part after "-<weight>".
    marker = f"-{target.weight}"
    for fd in getattr(top, "FDArray", None) or []:
        fd_name = getattr(fd, "FontName", None)
        if fd_name and marker in fd_name:
            fd.FontName = target.psname + fd_name.split(marker, 1)[1]


def coverage_ranges(codepoints: set[int]) -> list[list[int]]:
    """Sorted code points as [first, last] ranges."""
    out: list[list[int]] = []
    for cp in sorted(codepoints):
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


# --------------------------------------------------------------------------- glyph order


def _gb2312_rows(first_lead: int, last_lead: int) -> list[int]:
    """The code points of GB 2312 rows ``first_lead``..``last_lead`` (lead bytes), in GB order."""
    out = []
    for lead in range(first_lead, last_lead + 1):
        for trail in range(0xA1, 0xFF):
            try:
                out.append(ord(bytes((lead, trail)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return out


def _is_han(cp: int) -> bool:
    return 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF


def glyph_tiers(font: TTFont) -> list[list[str]]:
    """The font's glyphs in the order they should be numbered, as tiers.

    1. ``.notdef``, the glyphs of every non-Han character (Latin, digits,
       punctuation, symbols) and every glyph no character maps to (ligatures,
       accent pieces, alternates reached through GSUB): what any document uses;
    2. GB 2312 level 1 (3,755 common hanzi), in GB order;
    3. GB 2312 level 2 (3,008);
    4. the other ideographs U+4E00-U+9FFF, then Extension A, by code point.

    A glyph shared by several characters takes the earliest tier.
    """
    cmap = font.getBestCmap()
    order = font.getGlyphOrder()
    mapped = set(cmap.values())
    tiers: list[list[str]] = [
        [order[0]]
        + [cmap[cp] for cp in sorted(cmap) if not _is_han(cp)]
        + [g for g in order[1:] if g not in mapped],
        [cmap[cp] for cp in _gb2312_rows(0xB0, 0xD7) if cp in cmap],
        [cmap[cp] for cp in _gb2312_rows(0xD8, 0xF7) if cp in cmap],
        [cmap[cp] for cp in sorted(cmap) if 0x4E00 <= cp <= 0x9FFF]
        + [cmap[cp] for cp in sorted(cmap) if 0x3400 <= cp <= 0x4DBF],
    ]
    seen: set[str] = set()
    result = []
    for tier in tiers:
        kept = []
        for glyph in tier:
            if glyph not in seen:
                seen.add(glyph)
                kept.append(glyph)
        result.append(kept)
    if len(seen) != len(order):
        raise SystemExit(f"glyph order lost {len(order) - len(seen)} glyphs")
    return result


def split_shared_glyphs(font: TTFont) -> int:
    """Give every character a glyph of its own; returns how many glyphs were cloned.

    Noto CJK draws a few characters with one glyph (``-`` U+00AD U+2011,
    ``–`` U+2012, ～ 〜, …).  A PDF's text layer (ToUnicode) maps each glyph to
    one text, so such characters would read back as whichever one the
    document used first: a contract number with a non-breaking hyphen would
    turn every ASCII hyphen into U+2011 when copied.  The second and later
    characters of each group get a copy of the glyph (same outline, width
    and Private DICT).
    """
    cmap = font.getBestCmap()
    users: dict[str, list[int]] = {}
    for cp in sorted(cmap):
        users.setdefault(cmap[cp], []).append(cp)
    top = font["CFF "].cff.topDictIndex[0]
    strings = top.CharStrings
    order = list(font.getGlyphOrder())
    fd_select = list(top.FDSelect.gidArray) if hasattr(top, "FDSelect") else None
    metrics = font["hmtx"].metrics
    clones: dict[int, str] = {}
    free_cids = (cid for cid in range(65534, 0, -1) if f"cid{cid:05d}" not in strings.charStrings)
    for glyph, codepoints in users.items():
        source = order.index(glyph)
        for cp in codepoints[1:]:
            name = f"cid{next(free_cids):05d}"  # an unused CID for now: renumber_cids() sets the final one
            strings.charStringsIndex.append(strings.charStringsIndex[strings.charStrings[glyph]])
            strings.charStrings[name] = len(strings.charStringsIndex) - 1
            order.append(name)
            if fd_select is not None:
                fd_select.append(fd_select[source])
            metrics[name] = metrics[glyph]
            clones[cp] = name
    if not clones:
        return 0
    top.charset = order
    font.setGlyphOrder(order)
    if fd_select is not None:
        top.FDSelect.gidArray = fd_select
    for table in font["cmap"].tables:
        if table.isUnicode():
            for cp, name in clones.items():
                if cp in table.cmap:
                    table.cmap[cp] = name
    return len(clones)


def reorder(font: TTFont, new_order: list[str]) -> None:
    """Renumber the glyphs in ``new_order`` (all tables, FDSelect included)."""
    from fontTools.ttLib.reorderGlyphs import reorderGlyphs

    top = font["CFF "].cff.topDictIndex[0]
    old_order = font.getGlyphOrder()
    fd_of = dict(zip(old_order, top.FDSelect.gidArray)) if hasattr(top, "FDSelect") else None
    reorderGlyphs(font, new_order)
    if fd_of is not None:
        # reorderGlyphs reorders the charset and CharStrings, not FDSelect
        # (which fontTools indexes by glyph id): each glyph keeps its Private DICT.
        top.FDSelect.gidArray = [fd_of[name] for name in new_order]


def renumber_cids(font_bytes: bytes) -> bytes:
    """Make every glyph's CID equal to its glyph id (charset ``cidNNNNN`` = position).

    Only the CFF charset changes; every other table addresses glyphs by id
    and is copied unchanged (the font is opened lazily and only ``CFF `` is
    decompiled).
    """
    font = TTFont(io.BytesIO(font_bytes), lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    cff = font["CFF "].cff
    top = cff.topDictIndex[0]
    if not hasattr(top, "ROS"):
        raise SystemExit("expected a CID-keyed CFF font")
    old_order = list(top.charset)
    new_order = [old_order[0]] + [f"cid{gid:05d}" for gid in range(1, len(old_order))]
    strings = top.CharStrings
    strings.charStrings = {new: strings.charStrings[old] for old, new in zip(old_order, new_order)}
    top.charset = new_order
    font.setGlyphOrder(new_order)
    out = io.BytesIO()
    font.save(out)
    font.close()
    return out.getvalue()


def check_gid_equals_cid(path: Path) -> None:
    """Fail the build if any glyph's CID differs from its glyph id."""
    with TTFont(str(path), lazy=True) as font:
        charset = font["CFF "].cff.topDictIndex[0].charset
        wrong = [(gid, name) for gid, name in enumerate(charset[1:], start=1) if name != f"cid{gid:05d}"]
    if wrong:
        raise SystemExit(f"{path}: {len(wrong)} glyphs whose CID is not their glyph id, e.g. {wrong[:3]}")


def check_outlines(source: TTFont, built_path: Path, sample: list[int]) -> int:
    """Compare the outline of each sampled character in the source and the built font.

    Renumbering must never move an outline to another character or another
    Private DICT (which would change its widths and hinting zones).
    """
    from fontTools.pens.recordingPen import RecordingPen

    def outline(font: TTFont, cp: int):
        glyph_set = font.getGlyphSet()
        name = font.getBestCmap()[cp]
        pen = RecordingPen()
        glyph_set[name].draw(pen)
        return pen.value, glyph_set[name].width

    with TTFont(str(built_path)) as built:
        built_cmap = built.getBestCmap()
        checked = 0
        for cp in sample:
            if cp in built_cmap:
                if outline(source, cp) != outline(built, cp):
                    raise SystemExit(f"{built_path}: U+{cp:04X} lost its outline in the build")
                checked += 1
    return checked


# --------------------------------------------------------------------------- build


def build(target: Target, ttc: Path, out_dir: Path, *, ext_a: bool) -> Path:
    index = find_face(ttc, target.source_psname)
    font = TTFont(str(ttc), fontNumber=index, recalcTimestamp=False, recalcBBoxes=False, lazy=False)
    modified = font["head"].modified
    wanted = charset(ext_a)
    available = set(font.getBestCmap())

    options = subset.Options()
    options.layout_features = LAYOUT_FEATURES
    options.drop_tables = options.drop_tables + DROP_TABLES
    options.hinting = False
    options.desubroutinize = False
    options.notdef_outline = True  # a missing glyph shows as a box, not as nothing
    options.name_IDs = ["*"]  # keep copyright, licence, trademark, designer ...
    options.name_languages = [0x409]
    options.glyph_names = False
    options.recalc_timestamp = False
    options.recalc_bounds = True
    options.recalc_average_width = True
    options.recalc_max_context = True
    options.prune_unicode_ranges = True
    options.prune_codepage_ranges = True

    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted & available))
    subsetter.subset(font)
    rename(font, target)
    cloned = split_shared_glyphs(font)
    tiers = glyph_tiers(font)
    reorder(font, [glyph for tier in tiers for glyph in tier])
    font["head"].modified = modified  # deterministic output
    subset_bytes = io.BytesIO()
    font.save(subset_bytes)
    font.close()

    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / target.out_name
    out.write_bytes(renumber_cids(subset_bytes.getvalue()))
    check_gid_equals_cid(out)

    with TTFont(str(ttc), fontNumber=index, lazy=True) as source:
        sample = sorted(cp for cp in wanted & available if not _is_han(cp))
        sample += sorted(cp for cp in wanted & available if _is_han(cp))[::97]
        checked = check_outlines(source, out, sample)

    with TTFont(str(out), lazy=True) as check:
        mapped = set(check.getBestCmap())
        glyphs = len(check.getGlyphOrder())
    coverage = {
        "font": target.out_name,
        "size": out.stat().st_size,
        "sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
        "codepoints": len(mapped),
        "tiers": [len(tier) for tier in tiers],
        "ranges": coverage_ranges(mapped),
    }
    coverage_path = out.with_name(out.name + COVERAGE_SUFFIX)
    coverage_path.write_text(
        json.dumps(coverage, separators=(",", ":"), sort_keys=False) + "\n", encoding="utf-8"
    )
    print(
        f"{target.name_key}: {ttc} face #{index} ({target.source_psname}) -> {out}\n"
        f"  {len(mapped)} code points, {glyphs} glyphs (tiers {coverage['tiers']}), "
        f"{cloned} shared glyphs split, {out.stat().st_size:,} bytes, {checked} outlines checked, "
        f"sha256 {coverage['sha256']}"
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source-dir", type=Path, default=DEBIAN_FONT_DIR,
        help="folder holding NotoSerifCJK-{Regular,Bold}.ttc and NotoSansCJK-{Regular,Bold}.ttc "
        "(Debian's fonts-noto-cjk)",
    )
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR)
    parser.add_argument(
        "--ext-a", choices=("serif", "both", "none"), default="serif",
        help="which faces get CJK Extension A (U+3400-U+4DBF, 6,582 rare ideographs).  "
        "Default: the serif faces only (body text); the sans faces set headings, "
        "mostly fixed text, and the glyph check reports an Extension A character there.",
    )
    parser.add_argument("--only", choices=[t.name_key for t in TARGETS], action="append",
                        help="build only this face (repeatable)")
    args = parser.parse_args(argv)

    for target in TARGETS:
        if args.only and target.name_key not in args.only:
            continue
        ttc = args.source_dir / target.ttc_name
        if not ttc.is_file():
            parser.error(f"{ttc}: no such file (install fonts-noto-cjk or pass --source-dir)")
        started = time.perf_counter()
        ext_a = args.ext_a == "both" or args.ext_a == target.role
        build(target, ttc, args.out_dir, ext_a=ext_a)
        print(f"  built in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
