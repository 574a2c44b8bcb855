"""Required sections: checked on the intermediate document and on the written DOCX."""

from __future__ import annotations

from contractgen.errors import MissingSectionsError
from contractgen.ir import Document, Paragraph, Section, Table
from contractgen.kinds import Kind
from contractgen.readback import DocxBlock

HEADING_STYLE = "Heading 1"


def section_anchors(section: Section) -> list[str]:
    """The texts that prove a section made it into an output.

    A section with a heading is proved by its heading; one without (cover,
    parties, signature) by its first paragraph and the first cell of its first table.
    """
    if section.show_heading:
        return [section.heading]
    anchors = []
    paragraph = next((b for b in section.blocks if isinstance(b, Paragraph)), None)
    if paragraph:
        anchors.append(paragraph.full_text)
    table = next((b for b in section.blocks if isinstance(b, Table) and b.rows), None)
    if table:
        anchors.append(table.rows[0][0])
    return anchors


def check_document(document: Document, kind: Kind) -> None:
    """Every required section is present and has content."""
    missing = [
        f"{spec.label} ({spec.key})"
        for spec in kind.required_sections()
        if (section := document.section(spec.key)) is None or not section.blocks
    ]
    if missing:
        raise MissingSectionsError("intermediate document", missing)


def check_docx(blocks: list[DocxBlock], document: Document, kind: Kind) -> None:
    """Every required section's anchor texts appear in the DOCX read back, in order."""
    texts = [(block.style, block.text) for block in blocks]
    missing: list[str] = []
    position = 0
    for spec in kind.required_sections():
        section = document.section(spec.key)
        anchors = section_anchors(section) if section else []
        style = HEADING_STYLE if section and section.show_heading else None
        found = [_find(texts, anchor, position, style) for anchor in anchors]
        if not anchors or None in found:
            missing.append(f"{spec.label} ({spec.key})")
        else:
            position = max(found)
    if missing:
        raise MissingSectionsError("written DOCX", missing)


def _find(texts: list[tuple[str, str]], anchor: str, start: int, style: str | None) -> int | None:
    if not anchor:
        return None
    for index in range(start, len(texts)):
        block_style, text = texts[index]
        if text.strip() == anchor.strip() and (style is None or block_style == style):
            return index
    return None
