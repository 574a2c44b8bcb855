"""Every character of a PDF must have a glyph: checked before writing, naming the field.

WeasyPrint only logs a missing glyph (``.notdef``) to a silent logger and
prints an empty box; for a contract that is a defect, so we look first.
User values are checked field by field (so the error names the key path);
the rendered document is then checked as a whole, which catches template text.
"""

from __future__ import annotations

from typing import Any, Iterator

from pydantic import BaseModel

from contractgen.errors import MissingGlyphError, Problem
from contractgen.ir import Document, Paragraph
from contractgen.writers.fonts import FontFace, FontSet, missing_glyphs


def iter_strings(value: Any, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every string inside a model, with its key path."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from iter_strings(getattr(value, name), loc + (name,))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from iter_strings(item, loc + (index,))


def _describe(chars: list[str], face: FontFace) -> str:
    listed = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in chars)
    return f"no glyph for {listed} in the font {face.family} ({face.path.name})"


def model_glyph_problems(model: BaseModel, fonts: FontSet) -> list[tuple[tuple, str]]:
    """(key path, message) for each field holding a character the body font lacks."""
    problems = []
    for loc, text in iter_strings(model):
        faces = (fonts.serif, fonts.sans) if loc == ("title",) else (fonts.serif,)
        for face in faces:
            missing = missing_glyphs(text, face)
            if missing:
                problems.append((loc, _describe(missing, face)))
    return problems


def document_glyph_problems(document: Document, fonts: FontSet) -> list[Problem]:
    """Characters of the rendered text (template text included) the fonts lack."""
    problems = []
    for section in document.sections:
        sans_texts = [section.heading] if section.show_heading else []
        serif_texts = []
        for block in section.blocks:
            if isinstance(block, Paragraph):
                (sans_texts if block.kind == "title" else serif_texts).append(block.full_text)
            else:
                sans_texts.append(block.caption)
                serif_texts.extend(cell for row in (block.header, *block.rows) for cell in row)
        for face, texts in ((fonts.sans, sans_texts), (fonts.serif, serif_texts)):
            missing = missing_glyphs("".join(texts), face)
            if missing:
                problems.append(Problem(f"section {section.key}", _describe(missing, face)))
    return problems


def text_glyph_problems(text: str, fonts: FontSet, where: str) -> list[Problem]:
    """Characters of laid-out text (a user template's own words) that neither bundled face can draw."""
    missing = sorted(set(missing_glyphs(text, fonts.serif)) & set(missing_glyphs(text, fonts.sans)))
    return [Problem(where, _describe(missing, fonts.serif))] if missing else []


def raise_for_missing_glyphs(problems: list[Problem]) -> None:
    if problems:
        raise MissingGlyphError(problems)
