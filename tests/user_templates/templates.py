"""Small user templates for the tests: HTML text and DOCX bytes built with python-docx."""

from __future__ import annotations

import io
from typing import Iterable

from docx import Document

from contractgen.kinds import KINDS
from contractgen.user_templates import TemplateSource, template_from_bytes

AGREEMENT = KINDS["training_agreement"]


def all_required_headings(kind=AGREEMENT) -> list[str]:
    """``{{ section('key') }}`` for every required section, in order."""
    return [f"{{{{ section('{spec.key}') }}}}" for spec in kind.required_sections()]


def html_template(body: str = "", *, headings: Iterable[str] | None = None, name: str = "house.html") -> TemplateSource:
    """An HTML template with every required heading, then ``body`` after the first one."""
    lines = list(all_required_headings() if headings is None else headings)
    paragraphs = [f"<h2>{line}</h2>" for line in lines]
    paragraphs.insert(1 if paragraphs else 0, body)
    text = "<!DOCTYPE html>\n<html><body>\n" + "\n".join(paragraphs) + "\n</body></html>\n"
    return template_from_bytes(name, text.encode("utf-8"), "html")


def docx_template(*paragraphs, headings: Iterable[str] | None = None, header: str | None = None,
                  tables: Iterable[list[list[str]]] = (), name: str = "house.docx") -> TemplateSource:
    """A DOCX template: the required headings, then ``paragraphs`` (a str, or a list of (text, bold) runs), then tables."""
    doc = Document()
    lines = list(all_required_headings() if headings is None else headings)
    if lines:
        doc.add_paragraph(lines[0], style="Heading 1")
    for paragraph in paragraphs:
        if isinstance(paragraph, str):
            doc.add_paragraph(paragraph)
        else:
            target = doc.add_paragraph()
            for text, bold in paragraph:
                target.add_run(text).bold = bold
    for rows in tables:
        table = doc.add_table(rows=0, cols=len(rows[0]))
        for values in rows:
            for cell, value in zip(table.add_row().cells, values):
                cell.paragraphs[0].add_run(value)
    for line in lines[1:]:
        doc.add_paragraph(line, style="Heading 1")
    if header is not None:
        doc.sections[0].header.paragraphs[0].add_run(header)
    buffer = io.BytesIO()
    doc.save(buffer)
    return template_from_bytes(name, buffer.getvalue(), "docx")
