"""Rendering with a user's template: the same guarantees as the built-in templates."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from contractgen.errors import InputError, MissingSectionsError, TemplateError
from contractgen.pipeline import load, render
from contractgen.readback import read_docx_blocks
from contractgen.text.amount import rmb_uppercase
from contractgen.text.numerals import article_label
from contractgen.user_templates import read_template
from tests.conftest import OFFLINE_EXAMPLE, ONLINE_EXAMPLE, make_agreement_model
from tests.pdf_text import pdf_pages, squash
from tests.user_templates.templates import AGREEMENT, docx_template, html_template

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "templates"


@pytest.fixture(scope="module")
def house():
    return [read_template(EXAMPLES / "house.docx"), read_template(EXAMPLES / "house.html")]


@pytest.fixture(scope="module")
def offline_files(house):
    return render(load(OFFLINE_EXAMPLE), templates=house)


def docx_lines(data: bytes) -> list[str]:
    return [block.text for block in read_docx_blocks(data)]


def test_both_formats_come_from_the_house_templates(offline_files):
    assert set(offline_files) == {"docx", "pdf"}
    assert "合同双方" in docx_lines(offline_files["docx"])
    assert "合同双方" in squash("".join(pdf_pages(offline_files["pdf"])))


def test_house_docx_facts_uppercase_amounts_and_instalment_sum(offline_files):
    model = load(OFFLINE_EXAMPLE)
    text = "\n".join(docx_lines(offline_files["docx"]))
    assert f"（大写：人民币{rmb_uppercase(model.fees.total)}）" in text
    assert sum((i.amount for i in model.fees.instalments), Decimal(0)) == model.fees.total
    for instalment in model.fees.instalments:
        assert f"人民币{rmb_uppercase(instalment.amount)}" in text


def test_house_docx_sections_in_order_with_article_numbers(offline_files):
    headings = [b.text for b in read_docx_blocks(offline_files["docx"]) if b.style == "Heading 1"]
    assert headings[0] == "合同双方"
    numbered = headings[1:]
    assert [h.split("\u3000")[0] for h in numbered] == [article_label(n) for n in range(1, len(numbered) + 1)]
    assert numbered[0] == "第一条\u3000培训目标" and "第四条\u3000费用与付款" in numbered


def test_house_pdf_has_the_same_clause_words_as_the_house_docx(offline_files):
    pdf = squash("".join(pdf_pages(offline_files["pdf"])))
    for heading in (b.text for b in read_docx_blocks(offline_files["docx"]) if b.style == "Heading 1"):
        assert squash(heading) in pdf


def test_letterhead_and_properties_come_from_the_model(offline_files):
    doc = Document(io.BytesIO(offline_files["docx"]))
    model = load(OFFLINE_EXAMPLE)
    assert model.parties.client.name in doc.sections[0].header.paragraphs[0].text
    assert doc.core_properties.identifier == model.contract_no
    assert doc.core_properties.title == model.title


def test_same_input_same_bytes(house, offline_files):
    again = render(load(OFFLINE_EXAMPLE), templates=house)
    assert again == offline_files


def test_online_example_renders_with_the_house_templates(house):
    files = render(load(ONLINE_EXAMPLE), templates=house)
    assert "提交上海仲裁委员会仲裁" in "".join(docx_lines(files["docx"]))


def test_a_docx_template_alone_makes_a_docx_only():
    with pytest.raises(InputError, match="no template makes it: give an .html template too"):
        render(make_agreement_model(), ["docx", "pdf"], templates=[docx_template()])


def test_ampersand_and_angle_brackets_come_out_exactly_in_a_user_docx():
    model = make_agreement_model(parties__client__name="A & B <Ltd>")
    template = docx_template("甲方：{{ parties.client.name }}", header="{{ parties.client.name }}")
    data = render(model, ["docx"], templates=[template])["docx"]
    doc = Document(io.BytesIO(data))
    assert "甲方：A & B <Ltd>" in [p.text for p in doc.paragraphs]
    assert doc.sections[0].header.paragraphs[0].text == "A & B <Ltd>"
    assert "A & B <Ltd>" in doc.core_properties.subject
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"&amp;amp;" not in archive.read("word/document.xml")


def test_ampersand_in_a_user_html_comes_out_once():
    model = make_agreement_model(parties__client__name="A & B <Ltd>")
    data = render(model, ["pdf"], templates=[html_template("<p>甲方：{{ parties.client.name }}</p>")])["pdf"]
    assert "甲方：A&B<Ltd>" in squash("".join(pdf_pages(data)))


def test_a_newline_in_a_value_is_a_real_line_break_in_a_user_docx():
    model = make_agreement_model(training__background="第一行\n第二行")
    data = render(model, ["docx"], templates=[docx_template("{{ training.background }}")])["docx"]
    assert "第一行\n第二行" in docx_lines(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<w:br/>" in archive.read("word/document.xml")


def test_a_section_hidden_by_a_false_condition_is_caught_on_the_output():
    """Lint sees section('fees') in the text; only the output shows it never printed."""
    headings = [h if "'fees'" not in h else "{% if false %}" + h + "{% endif %}" for h in
                [f"{{{{ section('{s.key}') }}}}" for s in AGREEMENT.required_sections()]]
    with pytest.raises(MissingSectionsError, match=r"培训费用及支付方式 \(fees\)"):
        render(make_agreement_model(), ["pdf"], templates=[html_template(headings=headings)])


def test_sections_out_of_order_are_refused():
    keys = [s.key for s in AGREEMENT.required_sections()]
    keys[3], keys[4] = keys[4], keys[3]
    headings = [f"{{{{ section('{key}') }}}}" for key in keys]
    with pytest.raises(TemplateError, match="out of order"):
        render(make_agreement_model(), ["docx"], templates=[docx_template(headings=headings)])


def test_a_section_written_twice_is_an_error():
    with pytest.raises(TemplateError, match=r"section\('fees'\) is written twice"):
        render(make_agreement_model(), ["pdf"], templates=[html_template("{{ section('fees') }}")])


def test_an_absent_optional_section_cannot_be_written():
    model = make_agreement_model(liability=None)
    with pytest.raises(TemplateError, match=r"has no liability; wrap it in \{% if liability %\}"):
        render(model, ["pdf"], templates=[html_template("{{ section('liability') }}")])


def test_next_article_counts_through_the_document():
    data = render(make_agreement_model(), ["docx"], templates=[docx_template("{{ next_article() }}", "{{ next_article() }}")])
    lines = docx_lines(data["docx"])
    assert lines.index("第一条") < lines.index("第二条")


def test_a_character_the_fonts_lack_in_the_template_text_is_refused():
    with pytest.raises(InputError, match="U\\+1F600"):
        render(make_agreement_model(), ["pdf"], templates=[html_template("<p>\U0001F600</p>")])


def test_house_template_output_is_pinned_by_snapshots(offline_files, docx_snapshot, pdf_snapshot):
    """The way users guard their own templates (contractgen.testing), used on ours."""
    assert offline_files["docx"] == docx_snapshot
    assert offline_files["pdf"] == pdf_snapshot
