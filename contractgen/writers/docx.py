"""IR → DOCX: docxtpl renders the page template, python-docx writes the body.

The page template (``templates/docx/base.docx``) carries the Word styles,
the header tag ``{{ header_text }}`` and the PAGE/NUMPAGES footer; docxtpl
renders it in a sandboxed, autoescaped Jinja2 environment.  The body is the
intermediate document, written paragraph by paragraph in place of the
template's marker paragraph.  Only this module imports docx/docxtpl.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path

import jinja2
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2.sandbox import ImmutableSandboxedEnvironment

from contractgen.errors import TemplateError
from contractgen.ir import LINE_BREAK, Document, Paragraph, Section, Table
from contractgen.resources import templates_dir
from contractgen.writers.determinism import normalise_zip

BODY_MARKER = "CONTRACTGEN-BODY"

STYLE_OF_KIND = {
    "title": "Title",
    "subtitle": "Subtitle",
    "plain": "Plain Text Line",
    "body": "Normal",
    "item": "Normal",
    "closing": "Closing",
}


@cache
def docx_jinja_environment() -> ImmutableSandboxedEnvironment:
    """The environment docxtpl must use: sandboxed, strict, XML-escaping."""
    return ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)


def default_page_template() -> Path:
    return templates_dir() / "docx" / "base.docx"


def write_docx(document: Document, page_template: Path | None = None) -> bytes:
    """The DOCX bytes of ``document``; the same document gives the same bytes."""
    template = DocxTemplate(str(page_template or default_page_template()))
    try:
        template.render({"header_text": document.header_text}, jinja_env=docx_jinja_environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"DOCX page template: {exc}") from exc
    docx = template.docx
    _write_body(docx, document)
    _set_properties(docx, document)
    buffer = io.BytesIO()
    docx.save(buffer)
    return normalise_zip(buffer.getvalue())


def _find_marker(docx):
    for paragraph in docx.paragraphs:
        if paragraph.text.strip() == BODY_MARKER:
            return paragraph
    raise TemplateError(f"the DOCX page template has no paragraph reading {BODY_MARKER}")


def _write_body(docx, document: Document) -> None:
    """Insert the document's blocks where the marker paragraph stands, then drop it.

    Elements are built directly (with style ids resolved once): python-docx's
    per-paragraph style look-up scans every style and would dominate the time.
    """
    marker = _find_marker(docx)._p
    style_ids = {name: docx.styles[name].style_id for name in _USED_STYLES}
    width = _text_width(docx)
    for section in document.sections:
        for element in _section_elements(section, style_ids, width):
            marker.addprevious(element)
    marker.getparent().remove(marker)


_USED_STYLES = (
    *STYLE_OF_KIND.values(), "Heading 1", "Caption", "Table Text", "Table Heading", "Signature Line", "Table Grid", "Normal Table"
)
KEEP_TOGETHER_ROWS = 8  # tables this short never split across pages
SPACE_AFTER_TABLE = "120"  # twips before the paragraph that follows a table (6 pt, as the PDF)


def _text_width(docx) -> int:
    """The text width in twips."""
    section = docx.sections[0]
    return int(section.page_width - section.left_margin - section.right_margin) // 635


def _section_elements(section: Section, style_ids: dict[str, str], width: int):
    if section.show_heading:
        yield _paragraph(section.heading, style_ids["Heading 1"])
    after_table = False
    for block in section.blocks:
        if isinstance(block, Paragraph):
            paragraph = _paragraph(block.full_text, style_ids[STYLE_OF_KIND[block.kind]])
            if after_table:
                paragraph.pPr.append(_element("w:spacing", before=SPACE_AFTER_TABLE))
            if block.kind == "closing":
                paragraph.pPr.insert(1, _element("w:keepNext"))
            after_table = False
            yield paragraph
        else:
            after_table = True
            if block.caption and not block.borderless:
                yield _paragraph(block.caption, style_ids["Caption"])
            yield _table(block, style_ids, width)


def _element(tag: str, **attributes: str):
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _paragraph(text: str, style_id: str, keep_next: bool = False):
    """A w:p with one run; a newline in the text becomes a real line break (w:br)."""
    paragraph = _element("w:p")
    properties = _element("w:pPr")
    properties.append(_element("w:pStyle", val=style_id))
    if keep_next:
        properties.append(_element("w:keepNext"))
    paragraph.append(properties)
    run = _element("w:r")
    for index, line in enumerate(text.split(LINE_BREAK)):
        if index:
            run.append(_element("w:br"))
        piece = _element("w:t")
        piece.set(qn("xml:space"), "preserve")
        piece.text = line
        run.append(piece)
    paragraph.append(run)
    return paragraph


def _table(table: Table, style_ids: dict[str, str], width: int):
    rows = ([table.header] if table.header else []) + list(table.rows)
    widths = _column_widths(table, width)
    element = _element("w:tbl")
    properties = _element("w:tblPr")
    properties.append(_element("w:tblStyle", val=style_ids["Normal Table" if table.borderless else "Table Grid"]))
    properties.append(_element("w:tblW", w=str(sum(widths)), type="dxa"))
    properties.append(_element("w:jc", val="center"))
    properties.append(_element("w:tblLayout", type="fixed"))
    if table.borderless:  # the signature block starts at the body margin
        margins = _element("w:tblCellMar")
        margins.append(_element("w:left", w="0", type="dxa"))
        properties.append(margins)
    element.append(properties)
    grid = _element("w:tblGrid")
    for column_width in widths:
        grid.append(_element("w:gridCol", w=str(column_width)))
    element.append(grid)
    keep_together = table.borderless or len(rows) <= KEEP_TOGETHER_ROWS
    for index, values in enumerate(rows):
        is_header = bool(table.header) and index == 0
        style = "Signature Line" if table.borderless else ("Table Heading" if is_header else "Table Text")
        keep_next = (keep_together or is_header) and index < len(rows) - 1
        element.append(_row(values, widths, style_ids[style], is_header, keep_next, table.borderless))
    return element


SIGNATURE_ROW_HEIGHT = "680"  # twips: room to sign and to seal


def _row(values: tuple[str, ...], widths: list[int], style_id: str, is_header: bool, keep_next: bool, tall: bool):
    row = _element("w:tr")
    row_properties = _element("w:trPr")
    row_properties.append(_element("w:cantSplit"))
    if tall:
        row_properties.append(_element("w:trHeight", val=SIGNATURE_ROW_HEIGHT, hRule="atLeast"))
    if is_header:
        row_properties.append(_element("w:tblHeader"))
    row.append(row_properties)
    for value, column_width in zip(values, widths, strict=True):
        cell = _element("w:tc")
        cell_properties = _element("w:tcPr")
        cell_properties.append(_element("w:tcW", w=str(column_width), type="dxa"))
        cell_properties.append(_element("w:vAlign", val="top" if tall else "center"))
        cell.append(cell_properties)
        cell.append(_paragraph(value, style_id, keep_next))
        row.append(cell)
    return row


def _column_widths(table: Table, total_twips: int) -> list[int]:
    """Relative widths → twips that fill the text width."""
    weights = table.column_weights()
    return [total_twips * w // sum(weights) for w in weights]


def _set_properties(docx, document: Document) -> None:
    meta = document.metadata
    moment = dt.datetime.combine(meta.created, dt.time(0, 0))
    props = docx.core_properties
    props.title = meta.title
    props.subject = meta.subject
    props.author = meta.author
    props.keywords = meta.keywords
    props.language = meta.language
    props.category = document.kind
    props.comments = "由 contractgen 生成"
    props.identifier = meta.identifier
    props.last_modified_by = meta.author
    props.revision = 1
    props.created = moment
    props.modified = moment
