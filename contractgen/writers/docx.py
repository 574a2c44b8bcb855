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
from docx.oxml.document import CT_Body
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from lxml import etree
from docxtpl import DocxTemplate
from jinja2.sandbox import ImmutableSandboxedEnvironment

from contractgen.errors import TemplateError
from contractgen.ir import LINE_BREAK, Document, Metadata, Paragraph, Section, Table
from contractgen.resources import templates_dir
from contractgen.writers.contents import Bookmarks, contents_elements
from contractgen.writers.determinism import normalise_zip
from contractgen.writers.ooxml import element, run_properties, text_run

BODY_MARKER = "CONTRACTGEN-BODY"

STYLE_OF_KIND = {
    "title": "Title",
    "subtitle": "Subtitle",
    "centered": "Cover Line",
    "plain": "Plain Text Line",
    "body": "Normal",
    "article": "Normal",
    "item": "Normal",
    "closing": "Closing",
}
BOLD_KINDS = {"title"}  # 黑体 in bold, as the PDF's h1; so are headings, 第N条 labels, table headers and 目录


@cache
def docx_jinja_environment() -> ImmutableSandboxedEnvironment:
    """The environment docxtpl must use: sandboxed, strict, XML-escaping."""
    return ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)


def default_page_template() -> Path:
    return templates_dir() / "docx" / "base.docx"


def write_docx(
    document: Document, page_template: Path | None = None, page_numbers: dict[str, int] | None = None
) -> bytes:
    """The DOCX bytes of ``document``; the same document gives the same bytes.

    ``page_numbers`` (section anchor → page) fill in the table of contents
    before Word recomputes it; without them the entries show no number.
    """
    template = DocxTemplate(str(page_template or default_page_template()))
    try:
        template.render({"header_text": document.header_text}, jinja_env=docx_jinja_environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"DOCX page template: {exc}") from exc
    docx = template.docx
    _own_body(docx)
    _write_body(docx, document, page_numbers or {})
    _set_properties(docx, document)
    buffer = io.BytesIO()
    docx.save(buffer)
    return normalise_zip(buffer.getvalue())


def _own_body(docx) -> None:
    """Give the document a body parsed by python-docx, whatever still holds docxtpl's.

    docxtpl re-parses the body with a plain lxml parser.  lxml hands out the
    Python object it already has for an element, so while anything keeps
    docxtpl's alive (a sampling profiler holding its frame, as every Dask
    worker runs) python-docx would get a plain element without its methods.
    """
    root = docx.element
    body = root.find(qn("w:body"))
    if not isinstance(body, CT_Body):
        root.replace(body, parse_xml(etree.tostring(body)))


def _find_marker(docx):
    for paragraph in docx.paragraphs:
        if paragraph.text.strip() == BODY_MARKER:
            return paragraph
    raise TemplateError(f"the DOCX page template has no paragraph reading {BODY_MARKER}")


def _write_body(docx, document: Document, page_numbers: dict[str, int]) -> None:
    """Insert the document's blocks where the marker paragraph stands, then drop it.

    Elements are built directly (with style ids resolved once): python-docx's
    per-paragraph style look-up scans every style and would dominate the time.
    """
    marker = _find_marker(docx)._p
    style_ids = {name: docx.styles[name].style_id for name in _USED_STYLES}
    width = _text_width(docx)
    bookmarks = Bookmarks()
    chaptered = document.layout == "chapters"
    for index, section in enumerate(document.sections):
        after_contents = index == 1 and document.contents is not None
        for node in _section_elements(section, style_ids, width, bookmarks, chaptered, after_contents):
            marker.addprevious(node)
        if index == 0 and document.contents is not None:
            for node in contents_elements(document.contents, style_ids, bookmarks, page_numbers):
                marker.addprevious(node)
    marker.getparent().remove(marker)


_USED_STYLES = (
    *STYLE_OF_KIND.values(), "Heading 1", "Caption", "Table Text", "Table Heading", "Signature Line", "Table Grid",
    "Normal Table", "TOC Heading", "toc 1", "Article Label",
)
KEEP_TOGETHER_ROWS = 8  # tables this short never split across pages
SPACE_AFTER_TABLE = "120"  # twips before the paragraph that follows a table (6 pt, as the PDF)


def _text_width(docx) -> int:
    """The text width in twips."""
    section = docx.sections[0]
    return int(section.page_width - section.left_margin - section.right_margin) // 635


def _section_elements(
    section: Section, style_ids: dict[str, str], width: int, bookmarks: Bookmarks, chaptered: bool, new_page: bool
):
    if section.show_heading:
        yield _heading(section, style_ids["Heading 1"], bookmarks, chaptered, new_page)
    after_table = False
    for block in section.blocks:
        if isinstance(block, Paragraph):
            bold = block.emphasis or block.kind in BOLD_KINDS
            if block.kind == "article":
                label = (block.label, style_ids["Article Label"])
                paragraph = _paragraph(block.text, style_ids["Normal"], label=label, bold=bold)
            else:
                paragraph = _paragraph(block.full_text, style_ids[STYLE_OF_KIND[block.kind]], bold=bold)
            if after_table:
                paragraph.pPr.append(element("w:spacing", before=SPACE_AFTER_TABLE))
            if block.kind == "closing" or block.keep_with_next:
                paragraph.pPr.insert(1, element("w:keepNext"))
            after_table = False
            yield paragraph
        else:
            after_table = True
            if block.caption and not block.borderless:
                yield _paragraph(block.caption, style_ids["Caption"])
            yield _table(block, style_ids, width)


def _heading(section: Section, style_id: str, bookmarks: Bookmarks, chaptered: bool, new_page: bool = False):
    """A Heading 1 paragraph inside the bookmark the contents link to; chapter headings are centred."""
    paragraph = _paragraph(section.heading, style_id, bold=True)
    if new_page:
        paragraph.pPr.insert(1, element("w:pageBreakBefore"))
    if chaptered:
        paragraph.pPr.append(element("w:jc", val="center"))
    start, end = bookmarks.around(section.anchor)
    paragraph.insert(1, start)
    paragraph.append(end)
    return paragraph


def _paragraph(
    text: str, style_id: str, keep_next: bool = False, label: tuple[str, str] | None = None, bold: bool = False
):
    """A w:p with one run, bold if asked; a newline in the text becomes a real line break (w:br).

    ``label`` (text, character style id) is written as its own run first: 第N条 in 黑体, bold.
    """
    paragraph = element("w:p")
    properties = element("w:pPr")
    properties.append(element("w:pStyle", val=style_id))
    if keep_next:
        properties.append(element("w:keepNext"))
    paragraph.append(properties)
    if label is not None:
        paragraph.append(text_run(*label, bold=True))
    run = element("w:r")
    if bold:
        run.append(run_properties(bold=True))
    for index, line in enumerate(text.split(LINE_BREAK)):
        if index:
            run.append(element("w:br"))
        piece = element("w:t")
        piece.set(qn("xml:space"), "preserve")
        piece.text = line
        run.append(piece)
    paragraph.append(run)
    return paragraph


def _table(table: Table, style_ids: dict[str, str], width: int):
    rows = ([table.header] if table.header else []) + list(table.rows)
    widths = _column_widths(table, width)
    table_element = element("w:tbl")
    properties = element("w:tblPr")
    properties.append(element("w:tblStyle", val=style_ids["Normal Table" if table.borderless else "Table Grid"]))
    properties.append(element("w:tblW", w=str(sum(widths)), type="dxa"))
    properties.append(element("w:jc", val="center"))
    properties.append(element("w:tblLayout", type="fixed"))
    if table.borderless:  # the signature block starts at the body margin
        margins = element("w:tblCellMar")
        margins.append(element("w:left", w="0", type="dxa"))
        properties.append(margins)
    table_element.append(properties)
    grid = element("w:tblGrid")
    for column_width in widths:
        grid.append(element("w:gridCol", w=str(column_width)))
    table_element.append(grid)
    keep_together = table.borderless or len(rows) <= KEEP_TOGETHER_ROWS
    for index, values in enumerate(rows):
        is_header = bool(table.header) and index == 0
        style = "Signature Line" if table.borderless else ("Table Heading" if is_header else "Table Text")
        keep_next = (keep_together or is_header) and index < len(rows) - 1
        table_element.append(_row(values, widths, style_ids[style], is_header, keep_next, table.borderless))
    return table_element


SIGNATURE_ROW_HEIGHT = "680"  # twips: room to sign and to seal


def _row(values: tuple[str, ...], widths: list[int], style_id: str, is_header: bool, keep_next: bool, tall: bool):
    row = element("w:tr")
    row_properties = element("w:trPr")
    row_properties.append(element("w:cantSplit"))
    if tall:
        row_properties.append(element("w:trHeight", val=SIGNATURE_ROW_HEIGHT, hRule="atLeast"))
    if is_header:
        row_properties.append(element("w:tblHeader"))
    row.append(row_properties)
    for value, column_width in zip(values, widths, strict=True):
        cell = element("w:tc")
        cell_properties = element("w:tcPr")
        cell_properties.append(element("w:tcW", w=str(column_width), type="dxa"))
        cell_properties.append(element("w:vAlign", val="top" if tall else "center"))
        cell.append(cell_properties)
        cell.append(_paragraph(value, style_id, keep_next, bold=is_header))
        row.append(cell)
    return row


def _column_widths(table: Table, total_twips: int) -> list[int]:
    """Relative widths → twips that fill the text width."""
    weights = table.column_weights()
    return [total_twips * w // sum(weights) for w in weights]


def _set_properties(docx, document: Document) -> None:
    set_core_properties(docx, document.metadata, document.kind)


def set_core_properties(docx, meta: Metadata, kind: str) -> None:
    """Title, subject, author, identifier and dates from the model: the same input, the same properties."""
    moment = dt.datetime.combine(meta.created, dt.time(0, 0))
    props = docx.core_properties
    props.title = meta.title
    props.subject = meta.subject
    props.author = meta.author
    props.keywords = meta.keywords
    props.language = meta.language
    props.category = kind
    props.comments = "由 contractgen 生成"
    props.identifier = meta.identifier
    props.last_modified_by = meta.author
    props.revision = 1
    props.created = moment
    props.modified = moment
