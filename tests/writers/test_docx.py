"""The DOCX read back: Word styles, East-Asian fonts and language, footer fields, properties."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_LINE_SPACING

from contractgen.pipeline import build, load, render
from contractgen.readback import CELL, read_docx_blocks
from contractgen.writers.docx import write_docx
from tests.conftest import EXAMPLES, make_agreement_model
from tests.emphasis import OFFLINE_EMPHASISED, docx_bold_paragraphs, run_weights

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return render(make_agreement_model(), ["docx"])["docx"]


def part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def test_headings_use_word_heading_styles(docx_bytes):
    document = docx.Document(io.BytesIO(docx_bytes))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert styled[0] == ("Title", "培训委托协议书")
    headings = [text for style, text in styled if style == "Heading 1"]
    assert headings[:3] == ["第一条　培训目的", "第二条　培训内容", "第三条　培训方式与时间"]
    assert len(headings) == 12


def test_east_asian_fonts_language_and_body_layout(docx_bytes):
    styles = part(docx_bytes, "word/styles.xml")
    assert 'w:eastAsia="zh-CN"' in styles and 'w:eastAsia="ja-JP"' not in styles
    document = docx.Document(io.BytesIO(docx_bytes))
    normal, heading = document.styles["Normal"], document.styles["Heading 1"]
    assert normal.element.rPr.rFonts.get(f"{W}eastAsia") == "宋体"
    assert heading.element.rPr.rFonts.get(f"{W}eastAsia") == "黑体"
    assert normal.font.size.pt == 12
    assert normal.paragraph_format.line_spacing.pt == 21.6  # exact, 1.5 lines of 12 pt: pages break as in the PDF
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.element.pPr.find(f"{W}ind").get(f"{W}firstLineChars") == "200"
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_headings_reach_the_navigation_pane_and_word_2013_mode(docx_bytes):
    styles = part(docx_bytes, "word/styles.xml")
    heading = styles[styles.index('w:styleId="Heading1"'):]
    assert '<w:outlineLvl w:val="0"/>' in heading[: heading.index("</w:style>")]
    settings = part(docx_bytes, "word/settings.xml")
    assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"' in settings
    assert "<w:doNotExpandShiftReturn/>" in settings


def test_footer_has_page_and_numpages_fields(docx_bytes):
    footer = part(docx_bytes, "word/footer1.xml")
    assert " PAGE " in footer and " NUMPAGES " in footer
    document = docx.Document(io.BytesIO(docx_bytes))
    assert document.sections[0].footer.paragraphs[0].text == "第 1 页 共 1 页"
    assert document.sections[0].header.paragraphs[0].text == "培训委托协议书　HZYX-PX-2026-018"


def test_core_properties_carry_real_values(docx_bytes):
    props = docx.Document(io.BytesIO(docx_bytes)).core_properties
    assert props.title == "培训委托协议书"
    assert props.author == "杭州云杉优选电子商务有限公司"
    assert props.subject == "杭州云杉优选电子商务有限公司委托杭州知行客服职业技能培训有限公司开展客户服务培训"
    assert props.identifier == "HZYX-PX-2026-018"
    assert props.created.date().isoformat() == "2026-12-15"


def test_tables_for_modules_sessions_and_instalments(docx_bytes):
    tables = docx.Document(io.BytesIO(docx_bytes)).tables
    headers = [tuple(c.text for c in t.rows[0].cells) for t in tables]
    assert headers[0][1] == "培训模块"
    assert headers[1][1] == "日期" and len(tables[1].rows) == 11  # header + 10 sessions
    assert headers[2][3] == "大写金额" and tables[2].rows[-1].cells[3].text == "人民币玖万陆仟元整"
    assert tables[-1].rows[0].cells[0].text == "甲方（委托方）：杭州云杉优选电子商务有限公司"


def test_same_input_gives_identical_bytes(docx_bytes):
    assert render(make_agreement_model(), ["docx"])["docx"] == docx_bytes
    assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in zipfile.ZipFile(io.BytesIO(docx_bytes)).infolist())


def test_markup_characters_come_out_as_written():
    model = make_agreement_model(contract_no="A&B<1>")
    data = model.model_dump()
    data["parties"]["client"]["name"] = "A & B <Ltd> 公司"
    model = type(model).model_validate(data)
    output = write_docx(build(model))
    document = docx.Document(io.BytesIO(output))
    assert document.paragraphs[1].text == "合同编号：A&B<1>"
    assert document.sections[0].header.paragraphs[0].text == "培训委托协议书　A&B<1>"
    assert document.core_properties.author == "A & B <Ltd> 公司"
    assert any(c.text == "甲方（委托方）：A & B <Ltd> 公司" for t in document.tables for r in t.rows for c in r.cells)
    assert "&amp;amp;" not in part(output, "word/document.xml")


def test_newline_becomes_a_real_line_break():
    model = make_agreement_model(training__background="第一行\n第二行")
    output = write_docx(build(model))
    paragraph = next(p for p in docx.Document(io.BytesIO(output)).paragraphs if p.text.startswith("培训背景"))
    assert paragraph.text == "培训背景：第一行\n第二行。"
    assert paragraph._p.xpath(".//w:br")


def test_read_back_snapshot(docx_bytes, docx_snapshot):
    blocks = read_docx_blocks(docx_bytes)
    assert sum(1 for b in blocks if b.style == CELL) > 40
    assert docx_bytes == docx_snapshot


def test_docxtpl_always_gets_our_sandboxed_environment(monkeypatch):
    from docxtpl import DocxTemplate
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    seen = {}
    original = DocxTemplate.render

    def spy(self, context, jinja_env=None, autoescape=False):
        seen["env"], seen["autoescape"] = jinja_env, autoescape
        return original(self, context, jinja_env=jinja_env, autoescape=autoescape)

    monkeypatch.setattr(DocxTemplate, "render", spy)
    write_docx(build(make_agreement_model()))
    assert isinstance(seen["env"], ImmutableSandboxedEnvironment) and seen["autoescape"] is True


def test_headings_and_emphasised_clauses_are_bold_runs_and_nothing_else_is():
    output = write_docx(build(make_agreement_model()))
    document = docx.Document(io.BytesIO(output))
    headings = [p.text for p in document.paragraphs if p.style.name in ("Title", "Heading 1")]
    assert len(headings) == 13
    bold, mixed = docx_bold_paragraphs(output)
    assert sorted(bold) == sorted([*headings, *OFFLINE_EMPHASISED])
    assert mixed == []
    liability = next(p for p in document.paragraphs if "违约金总额以" in p.text)
    properties = liability.runs[0]._r.rPr
    assert properties.find(f"{W}b") is not None and properties.find(f"{W}bCs") is not None  # Word's own Ctrl+B


def cell_weights(rows) -> set[bool]:
    """Whether each run of text in these table rows is bold, as a set: {True}, {False} or both."""
    return {bold for row in rows for cell in row.cells for p in cell.paragraphs for _, bold in run_weights(p)}


def test_table_headers_are_bold_and_table_bodies_are_not():
    document = docx.Document(io.BytesIO(write_docx(build(make_agreement_model()))))
    grid_tables = [t for t in document.tables if t.style.name == "Table Grid"]
    assert len(grid_tables) == 4
    for table in grid_tables:
        header, *body = table.rows
        assert cell_weights([header]) == {True}
        assert cell_weights(body) == {False}
    assert cell_weights(document.tables[-1].rows) == {False}  # the signature block has no header


def test_in_a_chaptered_document_the_contents_title_and_article_labels_are_bold():
    output = write_docx(build(load(EXAMPLES / "training_regulation.yaml")))
    document = docx.Document(io.BytesIO(output))
    contents = next(p for p in document.paragraphs if p.style.name == "TOC Heading")
    assert run_weights(contents) == [("目\u3000录", True)]
    first = next(p for p in document.paragraphs if p.text.startswith("第一条"))
    label, text = first.runs
    assert (label.style.name, label.bold, text.style.name, text.bold) == ("Article Label", True, "Default Paragraph Font", None)
    entries = [p for p in document.paragraphs if p.style.name == "toc 1"]
    assert entries and not any(bold for p in entries for _, bold in run_weights(p))


def test_heading_styles_are_bold_so_headings_added_in_word_are_too(docx_bytes):
    styles = docx.Document(io.BytesIO(docx_bytes)).styles
    for name in ("Title", "Heading 1", "Table Heading", "TOC Heading", "Article Label"):
        assert styles[name].font.bold is True and styles[name].font.cs_bold is True, name
    for name in ("Normal", "Table Text", "Caption"):
        assert not styles[name].font.bold, name


def test_a_docx_renders_while_something_still_holds_docxtpls_body(monkeypatch, docx_bytes):
    """A sampling profiler (every Dask worker runs one) can keep docxtpl's plain-parsed body alive."""
    from docxtpl import DocxTemplate

    held = []
    original = DocxTemplate.map_tree

    def map_tree(self, tree):
        held.append(tree)
        return original(self, tree)

    monkeypatch.setattr(DocxTemplate, "map_tree", map_tree)
    assert render(make_agreement_model(), ["docx"])["docx"] == docx_bytes
    assert held and type(held[0]).__name__ == "_Element"  # the premise: docxtpl's body is a plain element
