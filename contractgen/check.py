"""Required sections: checked on the intermediate document and on the written DOCX."""

from __future__ import annotations

from contractgen.errors import MissingSectionsError
from contractgen.ir import Document, Paragraph, Section
from contractgen.kinds import Kind
from contractgen.readback import DocxBlock

HEADING_STYLE = "Heading 1"


def section_anchor(section: Section) -> str:
    """The text that proves a section made it into an output: its heading or first text."""
    if section.show_heading:
        return section.heading
    for block in section.blocks:
        if isinstance(block, Paragraph):
            return block.full_text
        if block.rows:
            return block.rows[0][0]
    return ""


def check_document(document: Document, kind: Kind) -> None:
    """Every required section is present, non-empty and in the declared order."""
    missing = [
        f"{spec.label} ({spec.key})"
        for spec in kind.required_sections()
        if (section := document.section(spec.key)) is None or not (section.blocks or section.show_heading)
    ]
    if missing:
        raise MissingSectionsError("intermediate document", missing)


def check_docx(blocks: list[DocxBlock], document: Document, kind: Kind) -> None:
    """Every required section's anchor text appears in the DOCX read back, in order."""
    texts = [(block.style, block.text) for block in blocks]
    missing: list[str] = []
    position = 0
    for spec in kind.required_sections():
        section = document.section(spec.key)
        anchor = section_anchor(section) if section else ""
        found = _find(texts, anchor, position, HEADING_STYLE if section and section.show_heading else None)
        if found is None:
            missing.append(f"{spec.label} ({spec.key})")
        else:
            position = found
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
