"""Read a written DOCX back as (style, text) blocks, in body order, table cells included.

Used by the required-section check, the tests and the snapshot helpers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document as open_docx
from docx.oxml.ns import qn

CELL = "table-cell"


@dataclass(frozen=True)
class DocxBlock:
    style: str
    text: str


def read_docx_blocks(data: bytes) -> list[DocxBlock]:
    """Body paragraphs as (style name, text); table cells as (``table-cell``, text)."""
    docx = open_docx(io.BytesIO(data))
    names = {style.style_id: style.name for style in docx.styles}
    blocks: list[DocxBlock] = []
    for element in docx.element.body.iterchildren():
        if element.tag == qn("w:p"):
            blocks.append(DocxBlock(_style_name(element, names), _text(element)))
        elif element.tag == qn("w:tbl"):
            for cell_paragraph in element.iter(qn("w:p")):
                blocks.append(DocxBlock(CELL, _text(cell_paragraph)))
    return blocks


def _style_name(paragraph, names: dict[str, str]) -> str:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return names.get(style.get(qn("w:val")), "Normal") if style is not None else "Normal"


def _text(paragraph) -> str:
    parts: list[str] = []
    for node in paragraph.iter(qn("w:t"), qn("w:br"), qn("w:tab")):
        parts.append(node.text or "" if node.tag == qn("w:t") else ("\n" if node.tag == qn("w:br") else "\t"))
    return "".join(parts)
