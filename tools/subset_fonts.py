#!/usr/bin/env python3
"""Build the Chinese fonts that contractgen ships, from Debian's fonts-noto-cjk.

Usage (from the repository root, with fontTools installed)::

    python tools/subset_fonts.py
    python tools/subset_fonts.py --serif-ttc /path/NotoSerifCJK-Regular.ttc \\
        --sans-ttc /path/NotoSansCJK-Regular.ttc --out-dir templates/fonts

For each of Noto Serif CJK and Noto Sans CJK it picks the Simplified Chinese
face of the TTC collection by its PostScript name (not by index), keeps the
characters listed in :func:`charset` (Latin, punctuation, all of the CJK
Unified Ideographs U+4E00-U+9FFF; Extension A U+3400-U+4DBF too for the
serif, see ``--ext-a``), drops hinting, vertical
metrics and vertical/Japanese/Korean layout features, renames the family to
"contractgen Noto Serif SC" / "contractgen Noto Sans SC" and writes

    templates/fonts/NotoSerifCJKsc-Regular.subset.otf
    templates/fonts/NotoSansCJKsc-Regular.subset.otf

plus, next to each font, a ``.coverage.json`` file listing the code points
the font maps, as ranges (read by ``contractgen.writers.fonts`` instead of
parsing the cmap on every run).

The output is deterministic: the same input fonts give byte-identical files
(``head.modified`` is pinned to the source font's value).
"""

from __future__ import annotations

import argparse
import hashlib
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
    role: str
    default_ttc: Path
    source_psname: str  # PostScript name (name ID 6) of the face to take
    family: str  # new family name (name IDs 1, 4 and the CFF FamilyName)
    psname: str  # new PostScript name (name ID 6, CFF FontName)
    out_name: str


TARGETS = (
    Target(
        role="serif",
        default_ttc=DEBIAN_FONT_DIR / "NotoSerifCJK-Regular.ttc",
        source_psname="NotoSerifCJKsc-Regular",
        family="contractgen Noto Serif SC",
        psname="contractgenNotoSerifSC-Regular",
        out_name="NotoSerifCJKsc-Regular.subset.otf",
    ),
    Target(
        role="sans",
        default_ttc=DEBIAN_FONT_DIR / "NotoSansCJK-Regular.ttc",
        source_psname="NotoSansCJKsc-Regular",
        family="contractgen Noto Sans SC",
        psname="contractgenNotoSansSC-Regular",
        out_name="NotoSansCJKsc-Regular.subset.otf",
    ),
)

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
    """Give the subset its own names so it can never be mistaken for the full font."""
    name = font["name"]
    version = name.getDebugName(5) or ""
    revision = f"{font['head'].fontRevision:.3f}"
    # Drop every record but Windows/English, then rewrite the naming ones.
    name.names = [r for r in name.names if r.platformID == 3 and r.langID == 0x409]
    _set_name(font, 1, target.family)
    _set_name(font, 2, "Regular")
    _set_name(font, 3, f"{revision};contractgen;{target.psname}")
    _set_name(font, 4, f"{target.family} Regular")
    _set_name(font, 5, f"{version}; contractgen subset of {target.source_psname}")
    _set_name(font, 6, target.psname)
    name.names.sort(key=lambda r: (r.platformID, r.platEncID, r.langID, r.nameID))

    cff = font["CFF "].cff
    cff.fontNames = [target.psname]
    top = cff.topDictIndex[0]
    top.FamilyName = target.family
    top.FullName = f"{target.family} Regular"
    # A CID-keyed font also names each FDArray sub-font after the font; the
    # TTC faces share one CFF whose sub-fonts carry the Japanese face's name
    # ("NotoSerifCJKjp-Regular-Alphabetic"): keep only the part after "-Regular".
    for fd in getattr(top, "FDArray", None) or []:
        fd_name = getattr(fd, "FontName", None)
        if fd_name and "-Regular" in fd_name:
            fd.FontName = target.psname + fd_name.split("-Regular", 1)[1]


def coverage_ranges(codepoints: set[int]) -> list[list[int]]:
    """Sorted code points as [first, last] ranges."""
    out: list[list[int]] = []
    for cp in sorted(codepoints):
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def build(target: Target, ttc: Path, out_dir: Path, *, ext_a: bool, desubroutinize: bool) -> Path:
    index = find_face(ttc, target.source_psname)
    font = TTFont(str(ttc), fontNumber=index, recalcTimestamp=False, recalcBBoxes=False, lazy=False)
    modified = font["head"].modified
    wanted = charset(ext_a)
    available = set(font.getBestCmap())

    options = subset.Options()
    options.layout_features = LAYOUT_FEATURES
    options.drop_tables = options.drop_tables + DROP_TABLES
    options.hinting = False
    options.desubroutinize = desubroutinize
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
    font["head"].modified = modified  # deterministic output

    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / target.out_name
    font.save(str(out))
    font.close()

    check = TTFont(str(out), lazy=True)
    mapped = set(check.getBestCmap())
    glyphs = len(check.getGlyphOrder())
    check.close()
    coverage = {
        "font": target.out_name,
        "size": out.stat().st_size,
        "sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
        "codepoints": len(mapped),
        "ranges": coverage_ranges(mapped),
    }
    coverage_path = out.with_name(out.name + COVERAGE_SUFFIX)
    coverage_path.write_text(
        json.dumps(coverage, separators=(",", ":"), sort_keys=False) + "\n", encoding="utf-8"
    )
    print(
        f"{target.role}: {ttc} face #{index} ({target.source_psname}) -> {out}\n"
        f"  {len(mapped)} code points, {glyphs} glyphs, {out.stat().st_size:,} bytes, "
        f"sha256 {coverage['sha256']}"
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serif-ttc", type=Path, default=TARGETS[0].default_ttc)
    parser.add_argument("--sans-ttc", type=Path, default=TARGETS[1].default_ttc)
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR)
    parser.add_argument(
        "--ext-a", choices=("serif", "both", "none"), default="serif",
        help="which fonts get CJK Extension A (U+3400-U+4DBF, 6,582 rare ideographs; "
        "+1.8 MB zipped for the serif, +1.4 MB for the sans).  Default: serif only, "
        "the body-text font, which keeps the two fonts at about 11.8 MB zipped.",
    )
    parser.add_argument(
        "--desubroutinize", action="store_true",
        help="inline the CFF subroutines (bigger file, slightly better zip ratio)",
    )
    args = parser.parse_args(argv)

    sources = {"serif": args.serif_ttc, "sans": args.sans_ttc}
    for target in TARGETS:
        ttc = sources[target.role]
        if not ttc.is_file():
            parser.error(f"{ttc}: no such file (install fonts-noto-cjk or pass --{target.role}-ttc)")
        started = time.perf_counter()
        ext_a = args.ext_a == "both" or args.ext_a == target.role
        build(target, ttc, args.out_dir, ext_a=ext_a, desubroutinize=args.desubroutinize)
        print(f"  built in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
