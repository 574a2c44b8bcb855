"""The line markup that clause templates render to, parsed into IR blocks.

Each non-blank line starts with a marker written by the template author:

``title:``  the section title          ``p:``      a body paragraph (indented)
``plain:``  a paragraph without indent ``item:``   （一） item
``sub:``    1. sub-item                ``subsub:`` (1) sub-sub-item
``table:``  a table with this caption  ``borderless-table:`` the same, no rules
``widths:`` relative column widths     ``head:``   header cells, ``|``-separated
``row:``    body cells                 ``closing:`` a closing line (（以下无正文）)
``doc-title:`` the document title      ``subtitle:`` a line under it (合同编号)
``centered:`` a centred line (the cover line of a policy)
``article:`` an article of a chaptered document: 第N条, numbered on from
             the previous section's last article

Emphasis: a ``!`` right before the colon (``p!:``, ``plain!:``, ``item!:``,
``sub!:``, ``subsub!:``, ``article!:``, ``closing!:``, ``centered!:``) sets
the whole paragraph in bold in both formats (:attr:`Paragraph.emphasis`).  It
is for the terms that must be drawn to a party's attention (民法典 art. 496:
liability caps, deemed confirmations, a right to defer payment).  The ``!``
belongs to the marker, and only a template's own text can start a line, so a
value can never turn emphasis on; a ``!`` on a marker that is not a body
paragraph (``title!:``, ``row!:`` …) is a template error.

Values interpolated by Jinja are escaped (``\\``, ``\\|``, ``\\n``), so only
the template's own text can start a line or separate cells.  Labels are
counted here: item counters restart with each paragraph, article and
section; article numbers run on through the whole document.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from contractgen.errors import TemplateError
from contractgen.ir import LINE_BREAK, Block, Paragraph, Table
from contractgen.text.numerals import article_label, list_item_label

_LINE = re.compile(r"^\s*([a-z-]+)(!?):(?: (.*))?$")
ITEM_LEVELS = {"item": 1, "sub": 2, "subsub": 3}
PARAGRAPH_KINDS = {
    "p": "body",
    "plain": "plain",
    "closing": "closing",
    "doc-title": "title",
    "subtitle": "subtitle",
    "centered": "centered",
}
KNOWN_MARKERS = {
    "title", "table", "borderless-table", "widths", "head", "row", "article", *PARAGRAPH_KINDS, *ITEM_LEVELS
}
EMPHASIS_MARKERS = {"p", "plain", "item", "sub", "subsub", "article", "closing", "centered"}
ARTICLE_SEPARATOR = "\u3000"  # a full-width space between 第N条 and the article's text


def _scan(text: str, split: bool) -> list[str]:
    """Undo :func:`contractgen.clauses.protect_value`, splitting on bare ``|`` if asked."""
    parts: list[str] = []
    current: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            escaped = next(chars, "")
            current.append(LINE_BREAK if escaped == "n" else escaped)
        elif char == "|" and split:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return parts


def unescape(text: str) -> str:
    return _scan(text, split=False)[0]


def split_cells(text: str) -> tuple[str, ...]:
    return tuple(_scan(text, split=True))


@dataclass
class _TableDraft:
    caption: str
    borderless: bool
    widths: tuple[int, ...] = ()
    header: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = field(default_factory=list)

    def finish(self, where: str) -> Table:
        width = len(self.header) or (len(self.rows[0]) if self.rows else 0)
        for row in self.rows:
            if len(row) != width:
                raise TemplateError(f"{where}: table {self.caption!r} has a row of {len(row)} cells, expected {width}")
        if self.widths and len(self.widths) != width:
            raise TemplateError(f"{where}: table {self.caption!r} has {len(self.widths)} widths for {width} columns")
        return Table(self.header, tuple(self.rows), self.caption, self.widths, self.borderless)


@dataclass
class ParsedSection:
    title: str
    blocks: tuple[Block, ...]
    last_article: int = 0


def _read_line(raw: str, where: str) -> tuple[str, bool, str]:
    """A line's marker, whether it is emphasised (``item!:``), and its (still escaped) body."""
    match = _LINE.match(raw)
    if not match:
        raise TemplateError(f"{where} has no marker (p:, item:, row: …): {raw.strip()[:60]!r}")
    marker, emphasis, body = match.group(1), bool(match.group(2)), match.group(3) or ""
    if marker not in KNOWN_MARKERS:
        raise TemplateError(f"{where}: unknown marker {marker!r}")
    if emphasis and marker not in EMPHASIS_MARKERS:
        raise TemplateError(f"{where}: {marker}!: only a paragraph can be emphasised")
    return marker, emphasis, body


def parse_section(text: str, template: str, articles_before: int | None = None) -> ParsedSection:
    """Parse one rendered clause template into its title and blocks.

    ``articles_before`` is the number of articles in earlier sections, for
    chaptered documents; ``None`` means this kind has no ``article:`` lines.
    """
    title = ""
    blocks: list[Block] = []
    counters = [0, 0, 0]
    article = articles_before or 0
    table: _TableDraft | None = None

    def close_table() -> None:
        nonlocal table
        if table is not None:
            blocks.append(table.finish(template))
            table = None

    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        marker, emphasis, body = _read_line(raw, f"{template}: rendered line {number}")
        if marker in ("head", "row", "widths"):
            if table is None:
                raise TemplateError(f"{template}: rendered line {number}: {marker}: outside a table")
            if marker == "head":
                table.header = split_cells(body)
            elif marker == "row":
                table.rows.append(split_cells(body))
            else:
                table.widths = tuple(int(w) for w in split_cells(body))
            continue
        close_table()
        if marker == "title":
            title = unescape(body)
        elif marker in ("table", "borderless-table"):
            table = _TableDraft(unescape(body), borderless=marker == "borderless-table")
        elif marker in PARAGRAPH_KINDS:
            counters = [0, 0, 0]
            blocks.append(Paragraph(unescape(body), PARAGRAPH_KINDS[marker], emphasis=emphasis))
        elif marker == "article":
            if articles_before is None:
                raise TemplateError(f"{template}: rendered line {number}: article: is only for chaptered documents")
            counters = [0, 0, 0]
            article += 1
            label = article_label(article) + ARTICLE_SEPARATOR
            blocks.append(Paragraph(unescape(body), "article", label=label, emphasis=emphasis))
        else:  # an item (the markers are checked above)
            level = ITEM_LEVELS[marker]
            counters[level - 1] += 1
            counters[level:] = [0] * (3 - level)
            label = list_item_label(level, counters[level - 1])
            blocks.append(Paragraph(unescape(body), "item", level, label, emphasis=emphasis))
    close_table()
    return ParsedSection(title, tuple(keep_lead_ins_with_items(blocks)), article)


def keep_lead_ins_with_items(blocks: list[Block]) -> list[Block]:
    """Mark each paragraph followed by a deeper item, so a page never ends on a lead-in line."""
    marked: list[Block] = []
    for block, following in zip(blocks, [*blocks[1:], None], strict=True):
        leads = (
            isinstance(block, Paragraph)
            and isinstance(following, Paragraph)
            and following.kind == "item"
            and following.level > block.level
        )
        marked.append(dataclasses.replace(block, keep_with_next=True) if leads else block)
    return marked
