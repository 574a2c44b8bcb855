"""The PDF read back: Chinese text, bundled fonts, footer, metadata, determinism, safety."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from contractgen.errors import MissingGlyphError
from contractgen.ir import Paragraph, Table
from contractgen.pipeline import build, load, render
from contractgen.resources import templates_dir
from contractgen.writers.html import render_html
from contractgen.writers.pdf import AssetOnlyFetcher, lay_out_pdf, write_pdf
from tests.conftest import EXAMPLES, make_agreement_model
from tests.emphasis import OFFLINE_EMPHASISED, html_emphasised
from tests.pdf_text import pdf_fonts, pdf_pages, squash


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return render(make_agreement_model(), ["pdf"])["pdf"]


def test_a4_pages_with_page_x_of_y_footer(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    pages = pdf_pages(pdf_bytes)
    assert len(pages) >= 5
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {len(pages)} 页" in text


def test_chinese_text_is_extractable(pdf_bytes):
    first = squash(pdf_pages(pdf_bytes)[0])
    assert first.startswith("培训委托协议书")
    for name in ("李赟", "王喆", "张堃"):
        assert name in squash("".join(pdf_pages(pdf_bytes)))


def test_only_bundled_fonts_are_embedded(pdf_bytes):
    fonts = pdf_fonts(pdf_bytes)
    assert fonts and all(name.startswith("contractgen-Noto-") for name in fonts)


def test_metadata(pdf_bytes):
    info = PdfReader(io.BytesIO(pdf_bytes)).metadata
    assert info.title == "培训委托协议书"
    assert info.author == "杭州云杉优选电子商务有限公司"
    assert info["/CreationDate"].startswith("D:20261215")


def test_same_input_gives_identical_bytes(pdf_bytes):
    assert render(make_agreement_model(), ["pdf"])["pdf"] == pdf_bytes


def test_markup_characters_come_out_as_written():
    model = make_agreement_model()
    data = model.model_dump()
    data["parties"]["client"]["name"] = "A & B <Ltd> 公司"
    data["training"]["purpose"][0] = '<img src="http://127.0.0.1:9/x"> & <b>粗</b>'
    model = type(model).model_validate(data)
    text = squash("".join(pdf_pages(write_pdf(build(model)))))
    assert squash("A & B <Ltd> 公司") in text
    assert squash('<img src="http://127.0.0.1:9/x"> & <b>粗</b>') in text


def test_character_without_glyph_names_the_field():
    model = make_agreement_model(parties__provider__contact="陈𠀀")
    with pytest.raises(MissingGlyphError) as caught:
        render(model, ["pdf"])
    (problem,) = caught.value.problems
    assert problem.path == "parties.provider.contact"
    assert "U+20000" in problem.message


def test_fetcher_refuses_network_and_files_outside_the_assets(tmp_path):
    fetcher = AssetOnlyFetcher((templates_dir(),))
    with pytest.raises(ValueError, match="only the package's own files"):
        fetcher.fetch("http://127.0.0.1:9/")
    with pytest.raises(ValueError, match="outside the allowed asset folders"):
        fetcher.fetch("file:///etc/passwd")
    css = templates_dir() / "html" / "document.css"
    assert fetcher.fetch(css.as_uri()).read() == css.read_bytes()


def test_pdf_text_snapshot(pdf_bytes, pdf_snapshot):
    pages = [squash(page) for page in pdf_pages(pdf_bytes)]
    assert pages[0].startswith("培训委托协议书合同编号：HZYX-PX-2026-018")
    assert "甲方（委托方）：杭州云杉优选电子商务有限公司" in pages[-1]
    assert pdf_bytes == pdf_snapshot


def test_the_page_html_marks_exactly_the_emphasised_paragraphs():
    assert html_emphasised(render_html(build(make_agreement_model()))) == list(OFFLINE_EMPHASISED)
    assert html_emphasised(render_html(build(load(EXAMPLES / "training_regulation.yaml")))) == []


def laid_out_text_by_weight(document) -> dict[bool, str]:
    """All text the PDF draws, squashed, split by whether its computed font-weight is bold (700 and above)."""
    texts: dict[bool, list[str]] = {True: [], False: []}

    def walk(box) -> None:
        if isinstance(getattr(box, "text", None), str):  # a TextBox: one run of one line
            texts[box.style["font_weight"] >= 700].append(box.text)
        for child in getattr(box, "children", ()):
            walk(child)

    for page in lay_out_pdf(document).rendered.pages:
        walk(page._page_box)
    return {weight: squash("".join(parts)) for weight, parts in texts.items()}


@pytest.mark.parametrize("example", ["training_agreement_offline.yaml", "training_regulation.yaml"])
def test_the_pdf_sets_headings_table_headers_and_emphasised_clauses_in_bold_and_nothing_else(example):
    document = build(load(EXAMPLES / example))
    paragraphs = [b for s in document.sections for b in s.blocks if isinstance(b, Paragraph)]
    bold_pieces = [s.heading for s in document.sections if s.show_heading]
    bold_pieces += [p.full_text for p in paragraphs if p.emphasis or p.kind == "title"]
    bold_pieces += [p.label for p in paragraphs if p.kind == "article"]
    bold_pieces += [cell for s in document.sections for b in s.blocks if isinstance(b, Table) for cell in b.header]
    bold_pieces += [document.contents.title] if document.contents else []
    text = laid_out_text_by_weight(document)
    unexplained = text[True]
    for piece in sorted((squash(p) for p in bold_pieces), key=len, reverse=True):
        assert piece in text[True]
        unexplained = unexplained.replace(piece, "")
    assert unexplained == ""
    for paragraph in paragraphs:
        if paragraph.emphasis:
            assert squash(paragraph.full_text) not in text[False]
        elif paragraph.text:
            assert squash(paragraph.text) in text[False]
