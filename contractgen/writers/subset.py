"""The font subsets a PDF is laid out with and embeds, made the same way on every machine.

Two steps, both with HarfBuzz's subsetter from the ``uharfbuzz`` wheel,
which brings its own HarfBuzz, so the bytes depend on neither the system
libraries nor the clock:

1. :func:`subset_characters`, before layout: each face cut down to the
   characters of one document, glyphs numbered densely from 1 and every
   CID equal to its glyph id (``CFF_IDENTITY_CHARSET``), layout tables kept
   for shaping.  The document is laid out with these small fonts, so the
   glyph ids in its pages are small too.
2. :func:`subset_glyphs`, when the PDF is written (below).

In step 2, WeasyPrint would subset each embedded font itself, with the
system's ``libharfbuzz-subset`` if it can load it and with fontTools if
not; the two give different bytes, and fontTools stamps the wall-clock time
into the font (``head.modified``).  The PDF writer replaces that step (see
:mod:`contractgen.writers.pdf_fonts`) with :func:`subset_glyphs`.  Glyph ids
are kept (``RETAIN_GIDS``): the page content streams already hold the ids
the layout chose, so each used glyph stays at its place and the unused slots
below the highest one are left empty (cheap, since step 1 made the font
small).  Every CID stays equal to its glyph id, which is what MuPDF,
Acrobat and Preview read from the page (ISO 32000-1 §9.7.4.2).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb

#: Tables a PDF viewer never reads: layout is already done, the glyphs are placed.
DROPPED_TABLES = (
    "BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GDEF", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ",
    "kern", "meta", "morx", "vhea", "vmtx", "VORG",
)


class SubsetFailed(RuntimeError):
    """HarfBuzz could not subset the font."""


@lru_cache(maxsize=16)
def _face(path: Path, mtime_ns: int, size: int) -> hb.Face:
    """A font file as a HarfBuzz face, memory-mapped, kept while the file is unchanged."""
    return hb.Face(hb.Blob.from_file_path(str(path)))


def subset_characters(path: Path, codepoints: Iterable[int]) -> bytes:
    """The font at ``path`` (face 0) with the glyphs of ``codepoints`` only, GID = CID, layout tables kept."""
    stat = path.stat()
    face = _face(path, stat.st_mtime_ns, stat.st_size)
    request = hb.SubsetInput()
    for codepoint in sorted(set(codepoints)):
        request.unicode_set.add(codepoint)
    request.flags = (
        hb.SubsetFlags.NO_HINTING
        | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
        | hb.SubsetFlags.NOTDEF_OUTLINE
        | hb.SubsetFlags.CFF_IDENTITY_CHARSET
    )
    return _run(face, request)


def subset_glyphs(font: bytes, glyph_ids: Iterable[int], *, index: int = 0, notdef_outline: bool = False) -> bytes:
    """``font`` with only ``glyph_ids`` (and .notdef) left, each at its original glyph id.

    ``index`` is the face of a collection.  ``notdef_outline`` keeps the
    .notdef box drawn (WeasyPrint maps characters missing from a font to it).
    """
    face = hb.Face(hb.Blob(font), index)
    request = hb.SubsetInput()
    for gid in sorted(set(glyph_ids) | {0}):
        request.glyph_set.add(gid)
    request.unicode_set.clear()  # keep exactly the glyphs laid out, not a character's other forms
    flags = (
        hb.SubsetFlags.RETAIN_GIDS
        | hb.SubsetFlags.NO_HINTING
        | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
        | hb.SubsetFlags.DESUBROUTINIZE  # smaller than the kept subroutines once few glyphs are left
    )
    if notdef_outline:
        flags |= hb.SubsetFlags.NOTDEF_OUTLINE
    request.flags = flags
    dropped = request.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for tag in DROPPED_TABLES:
        dropped.add(_tag(tag))
    return _run(face, request)


def _run(face: hb.Face, request: hb.SubsetInput) -> bytes:
    result = hb.subset(face, request)
    if result is None:
        raise SubsetFailed("HarfBuzz could not subset the font")
    data = result.blob.data
    if not data:
        raise SubsetFailed("HarfBuzz returned an empty font")
    return bytes(data)


def _tag(name: str) -> int:
    return int.from_bytes(name.encode("ascii"), "big")
