"""The fonts a PDF is set in: the shipped Noto CJK subsets, or the user's own files.

contractgen ships four fonts (built by ``tools/subset_fonts.py``, see
``templates/fonts/README.md``) so that Chinese renders on a machine with no
CJK font installed:

- serif (body text, 宋体): "contractgen Noto Serif SC", Regular and Bold;
  Latin, punctuation, all of the CJK Unified Ideographs U+4E00-U+9FFF and
  Extension A U+3400-U+4DBF;
- sans (headings, captions, 黑体): "contractgen Noto Sans SC", Regular and
  Bold, the same without Extension A.

A bold face has exactly the characters of its regular face, so the glyph
check of a role holds for both weights.

:class:`FontFace.family` is the CSS family name the page stylesheet uses for a
role.  It is the same whether the file is the packaged font or the user's
(``FontSet.with_overrides``), so the stylesheet never changes.

A user font may be any OpenType/TrueType file (``.otf``, ``.ttf``, ``.woff``,
``.woff2``) or a collection (``.ttc``/``.otc``); of a collection only the
first face (index 0) is used, both for the glyph check and by WeasyPrint.
To use another face of a collection, extract it first (for instance with
fontTools: ``TTFont("x.ttc", fontNumber=2).save("x.otf")``).

A CID-keyed CFF font (most CJK ``.otf`` files) must number its glyphs as
its CIDs: a PDF content stream holds glyph ids and spec-following viewers
(MuPDF, Acrobat) read them as CIDs, so any other font prints blanks there.
:func:`cid_problem` checks that rule.  The shipped fonts keep it (a test
checks each one); a user's font need not, because the PDF writer lays every
document out with a subset of each face whose CIDs are renumbered to match
(:mod:`contractgen.writers.subset`).

Which characters a font maps is read from its ``cmap`` table with fontTools
(about 20-50 ms for the shipped fonts); for a font that has a
``<font file>.coverage.json`` next to it (written by the subset script) the
ranges in that file are used instead (about 2 ms).  Either way the result is
cached per (path, mtime, size).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from contractgen.errors import FontError
from contractgen.resources import fonts_dir

SERIF = "serif"
SANS = "sans"
ROLES = (SERIF, SANS)

#: CSS family name per role (used by templates/html/document.css).
FAMILIES = {
    SERIF: "contractgen Noto Serif SC",
    SANS: "contractgen Noto Sans SC",
}

#: File names of the packaged fonts, in ``resources.fonts_dir()``, per role.
PACKAGED_FILES = {
    SERIF: "NotoSerifCJKsc-Regular.subset.otf",
    SANS: "NotoSansCJKsc-Regular.subset.otf",
}
PACKAGED_BOLD_FILES = {
    SERIF: "NotoSerifCJKsc-Bold.subset.otf",
    SANS: "NotoSansCJKsc-Bold.subset.otf",
}

#: Suffix of the precomputed coverage file written beside a font.
COVERAGE_SUFFIX = ".coverage.json"


@dataclass(frozen=True)
class FontFace:
    """One font file in one role."""

    role: str  # "serif" | "sans"
    family: str  # CSS family name to use in @font-face
    path: Path
    bold: bool = False  # the face's weight: @font-face font-weight bold or normal

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"font role must be one of {ROLES}, not {self.role!r}")


@dataclass(frozen=True)
class FontSet:
    """The serif (body) and sans (headings) faces of a document, with their bold weights.

    A role without a bold face (a user's own font) prints bold text in its
    regular face: WeasyPrint does not synthesize bold.
    """

    serif: FontFace
    sans: FontFace
    serif_bold: FontFace | None = None
    sans_bold: FontFace | None = None

    @property
    def faces(self) -> tuple[FontFace, ...]:
        """Every face, regular ones first."""
        return tuple(f for f in (self.serif, self.sans, self.serif_bold, self.sans_bold) if f is not None)

    @classmethod
    def packaged(cls) -> FontSet:
        """The fonts shipped in the package."""
        return _packaged()

    @classmethod
    def with_overrides(cls, serif: Path | str | None = None, sans: Path | str | None = None) -> FontSet:
        """The packaged fonts, with the user's font files in place of either or both.

        Each given file is checked now (exists, is readable, is a font with a
        Unicode cmap); a bad one raises :class:`FontError` naming the path.  A role given a user
        font has no bold face: the packaged bold would be another design.
        """
        packaged = _packaged()
        return cls(
            serif=_user_face(SERIF, serif) if serif is not None else packaged.serif,
            sans=_user_face(SANS, sans) if sans is not None else packaged.sans,
            serif_bold=packaged.serif_bold if serif is None else None,
            sans_bold=packaged.sans_bold if sans is None else None,
        )


@cache
def _packaged() -> FontSet:
    folder = fonts_dir()
    faces = {}
    for suffix, files, bold in (("", PACKAGED_FILES, False), ("_bold", PACKAGED_BOLD_FILES, True)):
        for role in ROLES:
            path = folder / files[role]
            if not path.is_file():
                raise FontError(
                    f"{path}: packaged font missing (rebuild it with: python tools/subset_fonts.py)"
                )
            faces[role + suffix] = FontFace(role=role, family=FAMILIES[role], path=path, bold=bold)
    return FontSet(**faces)


def _user_face(role: str, path: Path | str) -> FontFace:
    path = Path(path).expanduser()
    if not path.exists():
        raise FontError(f"{path}: {role} font file not found")
    if not path.is_file():
        raise FontError(f"{path}: {role} font is not a file")
    path = path.resolve()
    codepoints(path)  # reads and caches the cmap; raises FontError if it is not a font
    return FontFace(role=role, family=FAMILIES[role], path=path)


def cid_problem(path: Path) -> str | None:
    """Why the font at ``path`` would print blanks in spec-following PDF viewers, or None.

    In a CID-keyed CFF font each glyph has a CID besides its glyph id.  The
    PDF holds glyph ids, and MuPDF, Acrobat and macOS Preview read them as
    CIDs (ISO 32000-1 §9.7.4.2), so the two numbers must be equal for every
    glyph.  A full font from its foundry usually has that property; a subset
    made without keeping glyph ids usually does not.  TrueType outlines and
    name-keyed CFF fonts are always fine.
    """
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            if "CFF " not in font:
                return None
            top = font["CFF "].cff.topDictIndex[0]
            if not hasattr(top, "ROS"):
                return None
            charset = top.charset
    except Exception as exc:  # fontTools raises many kinds on damaged CFF data
        return f"its CFF table cannot be read ({type(exc).__name__}: {exc})"
    for gid, name in enumerate(charset[1:], start=1):
        if name != f"cid{gid:05d}":
            return (
                f"glyph {gid} is CID {int(name[3:])}: embedded as it is, this font would print "
                "blank text in MuPDF, Acrobat and Preview (tools/subset_fonts.py renumbers the CIDs)"
            )
    return None


# --------------------------------------------------------------------------- coverage


def codepoints(path: Path | str) -> frozenset[int]:
    """The code points the font at ``path`` maps to a glyph (its cmap), cached.

    The cache key is the resolved path with the file's mtime and size, so a
    font replaced on disk is read again.  Raises :class:`FontError` if the
    file cannot be read or is not a font.
    """
    path = Path(path)
    try:
        stat = path.stat()
        resolved = path.resolve()
    except OSError as exc:
        raise FontError(f"{path}: cannot read font file: {exc.strerror or exc}") from exc
    return _codepoints_cached(resolved, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _codepoints_cached(path: Path, mtime_ns: int, size: int) -> frozenset[int]:
    from_file = _read_coverage_file(path, size)
    if from_file is not None:
        return from_file
    return _read_cmap(path)


codepoints.cache_info = _codepoints_cached.cache_info  # type: ignore[attr-defined]
codepoints.cache_clear = _codepoints_cached.cache_clear  # type: ignore[attr-defined]


def _read_coverage_file(font_path: Path, font_size: int) -> frozenset[int] | None:
    """The code points listed in ``<font>.coverage.json``, if it exists and matches the font.

    The file records the font's size; a coverage file left over from another
    build of the font is ignored (the cmap is read instead).
    """
    coverage_path = font_path.with_name(font_path.name + COVERAGE_SUFFIX)
    try:
        data = json.loads(coverage_path.read_text(encoding="utf-8"))
        if data.get("size") != font_size:
            return None
        ranges = data["ranges"]
        return frozenset(cp for first, last in ranges for cp in range(first, last + 1))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _read_cmap(path: Path) -> frozenset[int]:
    """The cmap of a font file (face 0 of a collection), with fontTools."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            cmap = font.getBestCmap() if "cmap" in font else None
    except (TTLibError, OSError, ValueError, AssertionError, ImportError) as exc:
        # ImportError: a WOFF2 file without the brotli module.
        raise FontError(f"{path}: not a readable font file ({exc})") from exc
    except Exception as exc:  # fontTools raises many kinds on garbage input
        raise FontError(f"{path}: not a readable font file ({type(exc).__name__}: {exc})") from exc
    if not cmap:
        raise FontError(f"{path}: the font has no Unicode character map")
    return frozenset(cmap)


def _needs_no_glyph(char: str) -> bool:
    """Whitespace, line/paragraph separators, controls and invisible format characters.

    These are laid out without a glyph of their own (HarfBuzz hides the
    default-ignorable ones), so a font lacking them is not a defect.
    """
    if char.isspace():  # includes \\n, \\r, \\t, U+2028, U+2029, U+3000, U+00A0
        return True
    if unicodedata.category(char) in ("Cc", "Cf"):  # controls; ZWSP, ZWJ, soft hyphen, BOM
        return True
    cp = ord(char)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF  # variation selectors


def missing_glyphs(text: str, face: FontFace) -> list[str]:
    """The distinct characters of ``text`` the face has no glyph for, in order of first appearance.

    Whitespace, line and paragraph separators, control characters and
    invisible format characters (see :func:`_needs_no_glyph`) are ignored.
    """
    covered = codepoints(face.path)
    missing: dict[str, None] = {}
    seen: set[str] = set()
    for char in text:
        if char in seen:
            continue
        seen.add(char)
        if ord(char) not in covered and not _needs_no_glyph(char):
            missing[char] = None
    return list(missing)


# --------------------------------------------------------------------------- CSS


def _css_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    return f'"{escaped}"'


def css_font_faces(fonts: FontSet) -> str:
    """``@font-face`` rules binding each face's CSS family and weight to its file (a ``file://`` URL)."""
    rules = []
    for face in fonts.faces:
        rules.append(
            "@font-face {\n"
            f"  font-family: {_css_string(face.family)};\n"
            f"  src: url({_css_string(face.path.resolve().as_uri())});\n"
            "  font-style: normal;\n"
            f"  font-weight: {'bold' if face.bold else 'normal'};\n"
            "}\n"
        )
    return "".join(rules)
