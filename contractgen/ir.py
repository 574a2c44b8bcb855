"""The intermediate document that both writers read.

Plain frozen dataclasses, like Jinja2's ``nodes``: the builder makes them from
a model and the clause templates; the checker, the DOCX writer and the PDF
writer only read them, so the DOCX and the PDF can never say different things.
Numbers and labels (第三条, （一）) are already resolved here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Literal, Union

LINE_BREAK = "\n"  # a line break inside a paragraph (from a value's own \n)

ParagraphKind = Literal["title", "subtitle", "centered", "plain", "body", "article", "item", "closing"]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``label`` is 第N条 for articles and （一）, 1., (1) for items of ``level`` 1–3."""

    text: str
    kind: ParagraphKind = "body"
    level: int = 0
    label: str = ""
    keep_with_next: bool = False  # a lead-in ("……如下：") stays on the page of its first item
    emphasis: bool = False  # set in bold: a term drawn to the other party's attention (民法典 art. 496)

    @property
    def full_text(self) -> str:
        return f"{self.label}{self.text}"


@dataclass(frozen=True)
class Table:
    """A table; ``header`` is repeated on each page, ``widths`` are relative."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    widths: tuple[int, ...] = ()
    borderless: bool = False

    def column_weights(self) -> list[int]:
        """Relative column widths; equal columns when the template gave none."""
        columns = len(self.header or (self.rows[0] if self.rows else ()))
        return list(self.widths) or [1] * columns


Block = Union[Paragraph, Table]


@dataclass(frozen=True)
class Section:
    """A section of the document; numbered sections carry their 第N条 label."""

    key: str
    title: str
    number: str = ""
    blocks: tuple[Block, ...] = ()
    show_heading: bool = True

    @property
    def heading(self) -> str:
        return f"{self.number}\u3000{self.title}" if self.number else self.title  # full-width space

    @property
    def anchor(self) -> str:
        """The link target of the section's heading (a PDF id, a DOCX bookmark)."""
        return f"section-{self.key}"


@dataclass(frozen=True)
class ContentsEntry:
    text: str
    anchor: str


@dataclass(frozen=True)
class TableOfContents:
    """目录: one entry per section heading; writers place it after the first (cover) section."""

    title: str
    entries: tuple[ContentsEntry, ...]


@dataclass(frozen=True)
class Metadata:
    """What the DOCX core properties and the PDF info dictionary say."""

    title: str
    identifier: str
    subject: str
    author: str
    keywords: str
    created: dt.date
    language: str


@dataclass(frozen=True)
class Document:
    kind: str
    locale: str
    metadata: Metadata
    header_text: str
    sections: tuple[Section, ...] = field(default_factory=tuple)
    layout: str = "articles"  # or "chapters": centred 第N章 headings over 第N条 articles
    contents: TableOfContents | None = None

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def to_dict(self) -> dict:
        """A JSON-ready form for snapshots and debugging."""
        data = asdict(self)
        data["metadata"]["created"] = self.metadata.created.isoformat()
        return data
