"""The one helper every DOCX element builder uses: a WordprocessingML element with w: attributes."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def element(tag: str, **attributes: str):
    """``element("w:jc", val="center")`` → ``<w:jc w:val="center"/>``."""
    built = OxmlElement(tag)
    for name, value in attributes.items():
        built.set(qn(f"w:{name}"), value)
    return built


def text_run(text: str, style_id: str | None = None, bold: bool = False):
    """A w:r holding ``text`` (spaces kept), optionally in a character style and bold."""
    run = element("w:r")
    if style_id or bold:
        run.append(run_properties(style_id, bold))
    piece = element("w:t")
    piece.set(qn("xml:space"), "preserve")
    piece.text = text
    run.append(piece)
    return run


def run_properties(style_id: str | None = None, bold: bool = False):
    """A w:rPr: the character style, then bold as Word writes it (w:b, and w:bCs for complex scripts)."""
    properties = element("w:rPr")
    if style_id:
        properties.append(element("w:rStyle", val=style_id))
    if bold:
        properties.append(element("w:b"))
        properties.append(element("w:bCs"))
    return properties


def field_runs(instruction: str, cached: str) -> list:
    """A complex field (begin, instruction, separate, cached result, end) as runs."""
    return [*field_start(instruction), *([text_run(cached)] if cached else []), field_char("end")]


def field_start(instruction: str) -> list:
    """The runs that open a field and hold its instruction; its result and ``field_char("end")`` follow."""
    instr_run = element("w:r")
    instr = element("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run.append(instr)
    return [field_char("begin"), instr_run, field_char("separate")]


def field_char(kind: str):
    run = element("w:r")
    run.append(element("w:fldChar", fldCharType=kind))
    return run
