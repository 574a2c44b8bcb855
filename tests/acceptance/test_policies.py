"""Chaptered kinds (制度, 标准, 方案) on their shipped examples, read back from DOCX and PDF.

For each policy kind: chapters in order, articles numbered 第一条 … without a
gap in both formats, a real TOC field in the DOCX whose prefilled page numbers
match the pages the PDF's own contents list shows — and those are the pages
the headings are really on.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest

from contractgen.kinds import KINDS
from contractgen.pipeline import build, load, render
from contractgen.readback import read_docx_blocks
from contractgen.text.numerals import article_label, chapter_label
from tests.conftest import EXAMPLES
from tests.pdf_text import pdf_pages, squash

POLICY_KINDS = [name for name, kind in KINDS.items() if kind.layout == "chapters"]
ARTICLE = re.compile(r"^(第[零一二三四五六七八九十百]+条)\u3000")
PDF_ARTICLE = re.compile(r"^(第[零一二三四五六七八九十百]+条)")  # pypdf may drop the full-width space
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module", params=POLICY_KINDS)
def rendered(request):
    model = load(EXAMPLES / f"{request.param}.yaml")
    outputs = render(model)
    return request.param, model, build(model), outputs["docx"], outputs["pdf"]


def test_every_policy_kind_has_an_example():
    assert set(POLICY_KINDS) == {"training_regulation", "training_standard", "staffing_plan", "quality_plan"}


def test_chapters_follow_the_kind_and_are_numbered(rendered):
    name, model, document, _, _ = rendered
    kind = KINDS[name]
    present = [spec.key for spec in kind.sections if spec.present(model)]
    assert [s.key for s in document.sections] == present
    chapters = [s for s in document.sections if s.show_heading]
    assert [s.number for s in chapters] == [chapter_label(i) for i in range(1, len(chapters) + 1)]
    assert chapters[0].heading.startswith("第一章\u3000")
    assert chapters[-1].key == "supplementary" and chapters[-1].title == "附则"


def test_articles_run_on_without_a_gap_in_both_formats(rendered):
    _, _, document, docx_bytes, pdf_bytes = rendered
    docx_labels = [m.group(1) for b in read_docx_blocks(docx_bytes) if (m := ARTICLE.match(b.text))]
    count = len(docx_labels)
    assert count >= 15
    assert docx_labels == [article_label(i) for i in range(1, count + 1)]
    assert docx_labels[9:11] == ["第十条", "第十一条"]
    lines = [line.strip() for page in pdf_pages(pdf_bytes) for line in page.splitlines()]
    pdf_labels = [m.group(1) for line in lines if (m := PDF_ARTICLE.match(line))]
    assert pdf_labels == docx_labels
    ir_labels = [b.label.strip() for s in document.sections for b in s.blocks if getattr(b, "kind", "") == "article"]
    assert ir_labels == docx_labels


def test_docx_contents_is_a_real_toc_field_prefilled(rendered):
    _, _, document, docx_bytes, _ = rendered
    xml = zipfile.ZipFile(io.BytesIO(docx_bytes)).read("word/document.xml").decode("utf-8")
    assert ' TOC \\o "1-1" \\h \\z \\u ' in xml
    assert xml.count('w:fldCharType="begin"') == xml.count('w:fldCharType="end"')
    opened = docx.Document(io.BytesIO(docx_bytes))
    headings = [p for p in opened.paragraphs if p.style.name == "Heading 1"]
    entries = [p for p in opened.paragraphs if p.style.name == "toc 1"]
    assert [h.text for h in headings] == [e.text.split("\t")[0] for e in entries]
    assert [h.text for h in headings] == [entry.text for entry in document.contents.entries]
    for heading, entry in zip(headings, entries, strict=True):
        page = entry.text.split("\t")[1]
        assert page.isdigit()
        bookmark = heading._p.find(f"{W}bookmarkStart").get(f"{W}name")
        assert f"PAGEREF {bookmark} \\h" in "".join(entry._p.itertext())
        assert entry._p.find(f"{W}hyperlink").get(f"{W}anchor") == bookmark


def _contents_pages(pages: list[str], headings: list[str]) -> dict[str, int]:
    toc = squash(pages[0]) + squash(pages[1])
    found = {}
    for heading in headings:
        match = re.search(re.escape(squash(heading)) + r"[.．·…]*(\d+)", toc)
        assert match, f"{heading} is not in the PDF contents"
        found[heading] = int(match.group(1))
    return found


def test_pdf_contents_shows_the_real_pages_and_the_docx_agrees(rendered):
    _, _, document, docx_bytes, pdf_bytes = rendered
    pages = pdf_pages(pdf_bytes)
    headings = [entry.text for entry in document.contents.entries]
    shown = _contents_pages(pages, headings)
    body_start = next(i for i, page in enumerate(pages) if squash(headings[0]) in squash(page) and "目录" not in squash(page))
    for heading, number in shown.items():
        where = next(i for i in range(body_start, len(pages)) if squash(heading) in squash(pages[i]))
        assert number == where + 1, f"{heading}: contents says page {number}, it is on page {where + 1}"
    opened = docx.Document(io.BytesIO(docx_bytes))
    docx_pages = {p.text.split("\t")[0]: int(p.text.split("\t")[1]) for p in opened.paragraphs if p.style.name == "toc 1"}
    assert docx_pages == shown


def test_cover_line_and_properties(rendered):
    _, model, _, docx_bytes, pdf_bytes = rendered
    first = squash(pdf_pages(pdf_bytes)[0])
    info = model.info
    assert first.startswith(squash(model.title))
    for fact in (info.company, f"文件编号：{info.doc_no}", f"版本：{info.version}"):
        assert squash(fact) in first
    day = info.effective_date
    assert f"生效日期：{day.year}年{day.month}月{day.day}日" in first
    properties = docx.Document(io.BytesIO(docx_bytes)).core_properties
    assert (properties.identifier, properties.title, properties.author) == (info.doc_no, model.title, info.company)


def test_intermediate_document_snapshot(rendered, snapshot):
    _, _, document, _, _ = rendered
    assert document.layout == "chapters"
    assert document.to_dict() == snapshot


def test_docx_read_back_snapshot(rendered, docx_snapshot):
    _, _, _, docx_bytes, _ = rendered
    blocks = [(b.style, b.text) for b in read_docx_blocks(docx_bytes)]
    assert blocks[0][0] == "Title"
    assert docx_bytes == docx_snapshot


def test_pdf_text_snapshot(rendered, pdf_snapshot):
    _, _, _, _, pdf_bytes = rendered
    pages = [squash(page) for page in pdf_pages(pdf_bytes)]
    assert "目录" in pages[0] + pages[1]
    assert pdf_bytes == pdf_snapshot
