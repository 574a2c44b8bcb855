"""Checks on a DOCX template's Word structure that Jinja cannot see.

docxtpl works on the XML: a tag whose characters sit in runs of different
formatting, a tag split over two paragraphs, a ``{%tr %}`` outside a table
row, or a ``{% for %}`` opened in one row and closed in another gives a
broken document or silently drops text.  Each problem names the part
(body, header1…) and the paragraph by number and text, as a person finds it in Word.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Iterator

from lxml import etree

from contractgen.errors import Problem

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_OPENING = re.compile(r"\{[{%#]")
_BLOCK = re.compile(r"\{%-?\s*(?:(p|tr|tc|r)\s+)?(\w+)")
_OPENERS = {"for", "if", "macro", "call", "filter", "with", "raw", "autoescape"}
_MIDDLES = {"elif", "else"}
_IGNORED_RUN_PROPERTIES = {f"{W}lang", f"{W}noProof", f"{W}rFonts"}


@dataclass(frozen=True)
class Place:
    """Where a paragraph is: its part, its number in that part, and its table row and cell if any."""

    part: str
    paragraph: int
    text: str
    table: int | None = None
    row: int | None = None
    cell: int | None = None

    def describe(self) -> str:
        text = excerpt(self.text)
        where = f"{self.part} paragraph {self.paragraph}"
        if self.row is not None:
            where += f" (table {self.table}, row {self.row})"
        return f"{where} 「{text}」"


def excerpt(text: str, limit: int = 40) -> str:
    """Enough of a paragraph's text for a person to find it in Word."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Tag:
    text: str
    place: Place


def template_parts(data: bytes) -> list[tuple[str, bytes]]:
    """(label, XML) of the parts docxtpl renders: the body, then headers and footers."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        parts = [("body", archive.read("word/document.xml"))]
        for prefix in ("header", "footer"):
            for name in sorted(n for n in names if re.fullmatch(rf"word/{prefix}\d*\.xml", n)):
                parts.append((name.removeprefix("word/").removesuffix(".xml"), archive.read(name)))
    return parts


def structure_problems(name: str, data: bytes) -> list[Problem]:
    problems: list[Problem] = []
    tags: list[Tag] = []
    for part, xml in template_parts(data):
        root = etree.fromstring(xml, _PARSER)
        part_tags: list[Tag] = []
        places: list[Place] = []
        for place, runs in _paragraphs(part, root):
            places.append(place)
            problems.extend(_split_tag_problems(name, place, runs))
            part_tags.extend(Tag(match.group(0), place) for match in _TAG.finditer("".join(text for text, _ in runs)))
        problems.extend(_row_tag_problems(name, part_tags))
        problems.extend(_crowded_row_problems(name, part_tags, places))
        tags.extend(part_tags)
    problems.extend(_block_problems(name, tags))
    return problems


def _paragraphs(part: str, root) -> Iterator[tuple[Place, list[tuple[str, bytes]]]]:
    """Each paragraph with its runs as (text, formatting signature)."""
    tables: dict[object, int] = {}
    rows: dict[object, int] = {}
    cells: dict[object, int] = {}
    for number, paragraph in enumerate(root.iter(f"{W}p"), start=1):
        runs = [(_run_text(run), _formatting(run)) for run in paragraph.iter(f"{W}r")]
        text = "".join(t for t, _ in runs)
        cell = _ancestor(paragraph, "tc")
        row = _ancestor(paragraph, "tr")
        table = _ancestor(paragraph, "tbl")
        yield (
            Place(
                part,
                number,
                text.strip(),
                tables.setdefault(table, len(tables) + 1) if table is not None else None,
                rows.setdefault(row, len(rows) + 1) if row is not None else None,
                cells.setdefault(cell, len(cells) + 1) if cell is not None else None,
            ),
            runs,
        )


def _ancestor(element, local: str):
    for parent in element.iterancestors(f"{W}{local}"):
        return parent
    return None


def _run_text(run) -> str:
    return "".join(
        node.text or "" if node.tag == f"{W}t" else "\t" for node in run if node.tag in (f"{W}t", f"{W}tab")
    )


def _formatting(run) -> bytes:
    """The run's visible formatting; language and proofing marks (which Word splits runs on) ignored."""
    properties = run.find(f"{W}rPr")
    if properties is None:
        return b""
    kept = [child for child in properties if child.tag not in _IGNORED_RUN_PROPERTIES]
    return b"".join(etree.tostring(child) for child in kept)


def _split_tag_problems(name: str, place: Place, runs: list[tuple[str, bytes]]) -> list[Problem]:
    text = "".join(t for t, _ in runs)
    problems = []
    covered = []
    for match in _TAG.finditer(text):
        covered.append((match.start(), match.end()))
        formats = set(_formats_between(runs, match.start(), match.end()))
        if len(formats) > 1:
            problems.append(
                Problem(
                    place.describe(),
                    f"the tag {match.group(0)} is broken across Word runs with different formatting; "
                    "select the whole tag and give it one format (or retype it in one go)",
                    file=name,
                )
            )
    for opening in _OPENING.finditer(text):
        if not any(start <= opening.start() < end for start, end in covered):
            problems.append(
                Problem(
                    place.describe(),
                    f"the tag opened by {opening.group(0)} is not closed in the same paragraph "
                    "(a tag must not be broken across paragraphs)",
                    file=name,
                )
            )
    return problems


def _formats_between(runs: list[tuple[str, bytes]], start: int, end: int) -> Iterator[bytes]:
    position = 0
    for text, formatting in runs:
        if text and position < end and position + len(text) > start:
            yield formatting
        position += len(text)


def _row_tag_problems(name: str, tags: list[Tag]) -> list[Problem]:
    problems = []
    for tag in tags:
        prefix = _prefix(tag.text)
        if prefix == "tr" and tag.place.row is None:
            problems.append(Problem(tag.place.describe(), f"{tag.text} is not inside a table row; {{%tr %}} tags belong in a row of their own", file=name))
        elif prefix == "tc" and tag.place.cell is None:
            problems.append(Problem(tag.place.describe(), f"{tag.text} is not inside a table cell", file=name))
    return problems


def _crowded_row_problems(name: str, tags: list[Tag], places: list[Place]) -> list[Problem]:
    """A row holding a {%tr %} tag must hold nothing else: docxtpl replaces the whole row by the tag."""
    rows_with_tr = {tag.place.row: tag for tag in tags if _prefix(tag.text) == "tr" and tag.place.row is not None}
    problems = []
    for row, tag in rows_with_tr.items():
        other_text = "".join(_TAG.sub("", place.text) for place in places if place.row == row and place.part == tag.place.part)
        if other_text.strip():
            problems.append(
                Problem(
                    tag.place.describe(),
                    "this table row holds a {%tr %} tag and other text; docxtpl replaces the whole row by the tag, "
                    "so the text would be lost: put the {%tr %} tag in a row of its own",
                    file=name,
                )
            )
    return problems


def _prefix(tag: str) -> str:
    match = re.match(r"\{[{%#]-?\s*(p|tr|tc|r)\s", tag)
    return match.group(1) if match else ""


def _block_problems(name: str, tags: list[Tag]) -> list[Problem]:
    """Block tags must open and close in the same container: paragraph, cell, row or table."""
    problems = []
    stack: list[tuple[str, str, Tag]] = []
    for tag in tags:
        match = _BLOCK.match(tag.text)
        if not match:
            continue
        prefix, word = match.group(1) or "", match.group(2)
        if word == "set" and "=" not in tag.text:
            word = "set-block"
        if word in _OPENERS or word == "set-block":
            stack.append((prefix, word, tag))
        elif word.startswith("end") and stack:
            opened_prefix, opened_word, opener = stack.pop()
            problem = _pair_problem(opened_prefix, opener, prefix, tag)
            if problem:
                problems.append(Problem(tag.place.describe(), problem, file=name))
        elif word in _MIDDLES and stack:
            opened_prefix, _, opener = stack[-1]
            problem = _pair_problem(opened_prefix, opener, prefix, tag)
            if problem:
                problems.append(Problem(tag.place.describe(), problem, file=name))
    return problems


_SAME = {
    "": ("paragraph", lambda a, b: (a.part, a.paragraph) == (b.part, b.paragraph)),
    "r": ("paragraph", lambda a, b: (a.part, a.paragraph) == (b.part, b.paragraph)),
    "p": ("table cell (or both outside tables)", lambda a, b: (a.part, a.cell) == (b.part, b.cell)),
    "tr": ("table", lambda a, b: a.part == b.part and a.table == b.table and a.row is not None and b.row is not None),
    "tc": ("table row", lambda a, b: a.part == b.part and a.row == b.row and a.cell is not None and b.cell is not None),
}


def _pair_problem(opened_prefix: str, opener: Tag, prefix: str, closer: Tag) -> str | None:
    opened = f"{opener.text} ({opener.place.describe()})"
    if prefix != opened_prefix:
        wanted = "{%" + (f"{opened_prefix} " if opened_prefix else " ") + "…%}"
        return f"{closer.text} closes {opened}: use the same kind of tag, {wanted}"
    container, same = _SAME[prefix]
    if same(opener.place, closer.place):
        return None
    hint = {
        "": " — to repeat or hide whole paragraphs use {%p %}, table rows {%tr %}",
        "p": " — to repeat or hide table rows use {%tr %}",
    }.get(prefix, "")
    return f"{closer.text} is not in the same {container} as {opened}{hint}"
