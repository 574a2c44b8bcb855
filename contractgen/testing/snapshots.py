"""Readable, deterministic snapshot text for a written DOCX and PDF, and the syrupy extensions that store it.

A snapshot of raw DOCX/PDF bytes would change with every zip timestamp or
font subset tag and its diff would be unreadable. What a template produces is
its words, their Word styles, the table cells, the header and footer, the
document properties and, for the PDF, which text lands on which page in which
fonts; that is what these functions write, one fact per line, so a review of a
snapshot diff reads like a review of the document.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from docx import Document as open_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import IndirectObject
from syrupy.extensions.amber import AmberSnapshotExtension

if TYPE_CHECKING:
    from syrupy.location import PyTestLocation
    from syrupy.types import SerializableData, SnapshotIndex

LINE_BREAK = "⏎"  # a line break inside a paragraph (Shift+Enter): one paragraph stays one line
PAGE_BREAK = "␌"  # a page or column break inside a paragraph
TAB = "⇥"
CELL_PARAGRAPH = "¶"  # between the paragraphs of one table cell
# Fields whose cached result is a page number: Word recomputes them, so the snapshot shows the field.
PAGE_FIELDS = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES", "PAGEREF"})
PROPERTIES = ("title", "subject", "author", "keywords", "identifier", "category", "language", "created")
PDF_METADATA = (
    ("title", "/Title"),
    ("subject", "/Subject"),
    ("author", "/Author"),
    ("keywords", "/Keywords"),
    ("created", "/CreationDate"),
)
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")

_P, _TBL, _TR, _TC, _SDT = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt")
_T, _BR, _TAB, _PTAB = qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:ptab")
_FLD_CHAR, _INSTR, _FLD_SIMPLE = qn("w:fldChar"), qn("w:instrText"), qn("w:fldSimple")
_NOT_TEXT = frozenset({qn("w:pPr"), qn("w:rPr"), qn("w:del"), qn("w:moveFrom")})
_REFERENCES = (qn("w:headerReference"), qn("w:footerReference"))
_STYLE_PATHS = {WD_STYLE_TYPE.PARAGRAPH: "./w:pPr/w:pStyle/@w:val", WD_STYLE_TYPE.TABLE: "./w:tblPr/w:tblStyle/@w:val"}
_BUILT_IN_DEFAULTS = {WD_STYLE_TYPE.PARAGRAPH: "Normal", WD_STYLE_TYPE.TABLE: "Normal Table"}


def docx_snapshot_text(data: bytes) -> str:
    """A DOCX as text: core properties, header and footer, then one line per paragraph and per table row.

    Paragraphs read ``[Style name] text``; a table reads ``[table Style]`` and
    then ``| cell | cell |`` per row. Page-number fields (PAGE, NUMPAGES,
    PAGEREF) show as ``{PAGE}`` rather than the number Word will recompute.
    """
    return "\n".join(_DocxReader(_open_docx(data)).lines())


def pdf_snapshot_text(data: bytes) -> str:
    """A PDF as text: page count, font names, metadata, then the extracted text of each page."""
    reader = _open_pdf(data)
    head = [f"page count: {len(reader.pages)}", f"fonts: {', '.join(_font_names(reader))}", *_metadata_lines(reader)]
    pages = ([f"--- page {number} ---", *_page_lines(page)] for number, page in enumerate(reader.pages, start=1))
    return "\n".join(head + [line for page in pages for line in page])


def pdf_font_names(data: bytes) -> list[str]:
    """The fonts a PDF uses, sorted, without the random ``ABCDEF+`` subset tag."""
    return _font_names(_open_pdf(data))


class _DocumentSnapshotExtension(AmberSnapshotExtension):
    """Amber snapshots of a document's text; entries are named ``test_x[docx]`` / ``test_x[pdf]``.

    The suffix lets one test assert a DOCX, a PDF and a plain ``snapshot``
    without two assertions claiming the same entry of the ``.ambr`` file.
    """

    format_name = ""

    def to_text(self, data: bytes) -> str:
        raise NotImplementedError

    def serialize(self, data: SerializableData, **kwargs: Any) -> str:
        return super().serialize(self.to_text(_document_bytes(data, self.format_name)), **kwargs)

    @classmethod
    def get_snapshot_name(cls, *, test_location: PyTestLocation, index: SnapshotIndex = 0) -> str:
        return f"{super().get_snapshot_name(test_location=test_location, index=index)}[{cls.format_name}]"


class DocxSnapshotExtension(_DocumentSnapshotExtension):
    """Compare DOCX bytes (or a path to a .docx) through :func:`docx_snapshot_text`."""

    format_name = "docx"

    def to_text(self, data: bytes) -> str:
        return docx_snapshot_text(data)


class PdfSnapshotExtension(_DocumentSnapshotExtension):
    """Compare PDF bytes (or a path to a .pdf) through :func:`pdf_snapshot_text`."""

    format_name = "pdf"

    def to_text(self, data: bytes) -> str:
        return pdf_snapshot_text(data)


def _document_bytes(data: Any, format_name: str) -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, os.PathLike):
        with open(data, "rb") as file:
            return file.read()
    raise TypeError(f"a {format_name} snapshot compares the file's bytes or a path to it, not {type(data).__name__}")


def _open_docx(data: bytes) -> Any:
    try:
        return open_docx(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError) as error:
        raise ValueError(f"not a DOCX document ({error})") from error


def _open_pdf(data: bytes) -> PdfReader:
    try:
        return PdfReader(io.BytesIO(data))
    except PdfReadError as error:
        raise ValueError(f"not a PDF document ({error})") from error


def _escape(text: str) -> str:
    """Control and invisible format characters as ``\\uXXXX``: they show in a diff, and a block stays one line."""
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)


def _labelled(label: str, text: str) -> str:
    """``label text``, trailing spaces escaped: editors and pre-commit hooks strip them from snapshot files."""
    body = text.rstrip()
    shown = body + "".join(f"\\u{ord(c):04x}" for c in text[len(body) :])
    return f"{label} {shown}" if shown else label


# --- DOCX -------------------------------------------------------------------


@dataclass
class _Field:
    instruction: str = ""
    in_result: bool = False
    hidden: bool = False

    @property
    def name(self) -> str:
        words = self.instruction.split()
        return words[0].upper() if words else ""


class _Story:
    """The text of one story (body, header, footer); a field may open in one paragraph and close in another."""

    def __init__(self) -> None:
        self._fields: list[_Field] = []

    def text(self, paragraph: Any) -> str:
        out: list[str] = []
        self._walk(paragraph, out)
        return "".join(out)

    def _walk(self, element: Any, out: list[str]) -> None:
        for node in element.iterchildren():
            if node.tag == _T:
                self._emit(out, _escape(node.text or ""))
            elif node.tag == _BR:
                self._emit(out, PAGE_BREAK if node.get(qn("w:type")) in ("page", "column") else LINE_BREAK)
            elif node.tag in (_TAB, _PTAB):
                self._emit(out, TAB)
            elif node.tag == _FLD_CHAR:
                self._field_char(node.get(qn("w:fldCharType")), out)
            elif node.tag == _INSTR:
                self._instruction(node.text or "")
            elif node.tag == _FLD_SIMPLE:
                self._simple_field(node, out)
            elif node.tag not in _NOT_TEXT:
                self._walk(node, out)

    def _emit(self, out: list[str], text: str) -> None:
        if all(field.in_result and not field.hidden for field in self._fields):
            out.append(text)

    def _instruction(self, text: str) -> None:
        if self._fields and not self._fields[-1].in_result:
            self._fields[-1].instruction += text

    def _field_char(self, kind: str | None, out: list[str]) -> None:
        if kind == "begin":
            self._fields.append(_Field())
        elif kind == "separate" and self._fields:
            self._show_result(self._fields[-1], out)
        elif kind == "end" and self._fields:
            field = self._fields.pop()
            if not field.in_result and field.name in PAGE_FIELDS:
                self._emit(out, f"{{{field.name}}}")

    def _show_result(self, field: _Field, out: list[str]) -> None:
        field.in_result = True
        if field.name in PAGE_FIELDS:
            self._emit(out, f"{{{field.name}}}")
            field.hidden = True

    def _simple_field(self, node: Any, out: list[str]) -> None:
        name = _Field(node.get(qn("w:instr")) or "").name
        if name in PAGE_FIELDS:
            self._emit(out, f"{{{name}}}")
        else:
            self._walk(node, out)


class _DocxReader:
    """Lines of :func:`docx_snapshot_text` for one opened document."""

    def __init__(self, document: Any) -> None:
        self._document = document
        self._styles = {style.style_id: style.name for style in document.styles}
        self._defaults = {kind: _default_style(document, kind) for kind in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.TABLE)}

    def lines(self) -> Iterator[str]:
        yield from self._properties()
        yield from self._headers_and_footers()
        yield "--- body ---"
        yield from self._blocks(self._document.element.body, _Story())

    def _properties(self) -> Iterator[str]:
        properties = self._document.core_properties
        for name in PROPERTIES:
            value = getattr(properties, name)
            shown = value.isoformat() if isinstance(value, datetime) else (value or "")
            yield _labelled(f"{name}:", _escape(shown))

    def _headers_and_footers(self) -> Iterator[str]:
        sections = list(self._document.element.body.iter(qn("w:sectPr")))
        for number, section in enumerate(sections, start=1):
            for reference in section.iterchildren(*_REFERENCES):
                kind = "header" if reference.tag == _REFERENCES[0] else "footer"
                where = reference.get(qn("w:type"), "default")
                label = kind if where == "default" else f"{kind} ({where})"
                yield f"--- {label} ---" if len(sections) == 1 else f"--- section {number} {label} ---"
                part = self._document.part.related_parts[reference.get(qn("r:id"))]
                yield from self._blocks(part.element, _Story())

    def _blocks(self, container: Any, story: _Story) -> Iterator[str]:
        for child in container.iterchildren():
            if child.tag == _P:
                yield _labelled(f"[{self._style(child, WD_STYLE_TYPE.PARAGRAPH)}]", story.text(child))
            elif child.tag == _TBL:
                yield from self._table(child, story)
            elif child.tag == _SDT:
                yield from self._blocks_in_content_control(child, story)

    def _blocks_in_content_control(self, sdt: Any, story: _Story) -> Iterator[str]:
        content = sdt.find(qn("w:sdtContent"))
        if content is not None:
            yield from self._blocks(content, story)

    def _table(self, table: Any, story: _Story) -> Iterator[str]:
        yield f"[table {self._style(table, WD_STYLE_TYPE.TABLE)}]"
        for row in table.iterchildren(_TR):
            cells = (_cell_text(cell, story) for cell in row.iterchildren(_TC))
            yield "| " + " | ".join(cells) + " |"

    def _style(self, element: Any, kind: WD_STYLE_TYPE) -> str:
        """The style's name; without one, the document's default style of that kind (as Word shows it)."""
        ids = element.xpath(_STYLE_PATHS[kind])
        return self._styles.get(ids[0], ids[0]) if ids else self._defaults[kind]


def _default_style(document: Any, kind: WD_STYLE_TYPE) -> str:
    default = document.styles.default(kind)
    return default.name if default is not None else _BUILT_IN_DEFAULTS[kind]


def _cell_text(cell: Any, story: _Story) -> str:
    return CELL_PARAGRAPH.join(story.text(p).replace("|", "\\|") for p in cell.iter(_P))


# --- PDF --------------------------------------------------------------------


def _page_lines(page: Any) -> list[str]:
    text = page.extract_text().replace("\r\n", "\n").replace("\r", "\n")
    lines = [_escape(line).rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _metadata_lines(reader: PdfReader) -> list[str]:
    info = reader.metadata or {}
    return [f"{name}: {_escape(str(info.get(key, '')))}".rstrip() for name, key in PDF_METADATA]


def _font_names(reader: PdfReader) -> list[str]:
    seen: set[Any] = set()
    names = {SUBSET_TAG.sub("", name) for page in reader.pages for name in _fonts_in(page.get("/Resources"), seen)}
    return sorted(names)


def _fonts_in(resources: Any, seen: set[Any]) -> Iterator[str]:
    """Font names in a resource dictionary and in the form XObjects it draws."""
    resources = resources.get_object() if resources is not None else {}
    for font in _values(resources.get("/Font")):
        if "/BaseFont" in font:
            yield str(font["/BaseFont"]).removeprefix("/")
    for reference in _references(resources.get("/XObject")):
        xobject = reference.get_object()
        key = (reference.idnum, reference.generation) if isinstance(reference, IndirectObject) else id(xobject)
        if xobject.get("/Subtype") == "/Form" and key not in seen:
            seen.add(key)
            yield from _fonts_in(xobject.get("/Resources"), seen)


def _references(dictionary: Any) -> Iterable[Any]:
    return dictionary.get_object().values() if dictionary is not None else ()


def _values(dictionary: Any) -> Iterator[Any]:
    for value in _references(dictionary):
        yield value.get_object()
