"""The DOCX table of contents: a real TOC field over Heading 1, already filled in.

Word builds a contents list from a ``TOC`` field; until someone presses F9 it
shows the field's cached result.  We write that result ourselves — one
``toc 1`` paragraph per heading, each a hyperlink to the heading's bookmark
with a ``PAGEREF`` field for its page — so the list is complete the moment the
file is opened, in Word, WPS or LibreOffice, and Word can still update it.
The page numbers come from the PDF's layout (the same IR, the same page size),
so both files print the same contents.
"""

from __future__ import annotations

from contractgen.ir import TableOfContents
from contractgen.writers.ooxml import element, field_char, field_runs, field_start, text_run

TOC_INSTRUCTION = 'TOC \\o "1-1" \\h \\z \\u'  # outline level 1 (Heading 1), hyperlinked entries


class Bookmarks:
    """Word bookmark names (``_Toc…``) and ids for section anchors, given out in order."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def name(self, anchor: str) -> str:
        if anchor not in self.names:
            self.names[anchor] = f"_Toc{100000001 + len(self.names)}"
        return self.names[anchor]

    def around(self, anchor: str):
        """The bookmarkStart and bookmarkEnd to put around a heading's runs."""
        name = self.name(anchor)
        bookmark_id = name.removeprefix("_Toc")
        return element("w:bookmarkStart", id=bookmark_id, name=name), element("w:bookmarkEnd", id=bookmark_id)


def contents_elements(contents: TableOfContents, style_ids: dict[str, str], bookmarks: Bookmarks, page_numbers: dict[str, int]):
    """The 目录 heading, then the TOC field whose result is one paragraph per entry."""
    heading = _styled_paragraph(style_ids["TOC Heading"])
    heading.append(text_run(contents.title, bold=True))
    yield heading
    entries = contents.entries
    for index, entry in enumerate(entries):
        paragraph = _styled_paragraph(style_ids["toc 1"])
        if index == 0:
            for run in field_start(TOC_INSTRUCTION):
                paragraph.append(run)
        name = bookmarks.name(entry.anchor)
        link = element("w:hyperlink", anchor=name, history="1")
        link.append(text_run(entry.text))
        tab = element("w:r")
        tab.append(element("w:tab"))
        link.append(tab)
        page = page_numbers.get(entry.anchor)
        for run in field_runs(f"PAGEREF {name} \\h", str(page) if page else ""):
            link.append(run)
        paragraph.append(link)
        if index == len(entries) - 1:
            paragraph.append(field_char("end"))  # the TOC field's result ends with the last entry
        yield paragraph


def _styled_paragraph(style_id: str):
    paragraph = element("w:p")
    properties = element("w:pPr")
    properties.append(element("w:pStyle", val=style_id))
    paragraph.append(properties)
    return paragraph


__all__ = ["TOC_INSTRUCTION", "Bookmarks", "contents_elements"]
