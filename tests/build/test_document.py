"""Model → intermediate document: section order, numbering, facts."""

from __future__ import annotations

import pytest

from contractgen.check import check_document
from contractgen.errors import MissingSectionsError
from contractgen.ir import Document, Paragraph, Section, Table
from contractgen.kinds.training_agreement import KIND as TRAINING_AGREEMENT
from contractgen.models.agreement import TrainingAgreement
from contractgen.pipeline import build
from tests.conftest import agreement_data, make_agreement_model


@pytest.fixture(scope="module")
def document() -> Document:
    return build(make_agreement_model())


def texts(section: Section) -> list[str]:
    return [b.full_text for b in section.blocks if isinstance(b, Paragraph)]


def test_sections_follow_the_domain_order(document):
    assert [s.key for s in document.sections] == [
        "cover", "parties", "purpose", "content", "schedule", "fees", "obligations", "evaluation",
        "confidentiality", "intellectual_property", "liability", "change_termination", "disputes",
        "effectiveness", "signature",
    ]


def test_articles_are_numbered_by_the_renderer(document):
    numbered = [s.heading for s in document.sections if s.number]
    assert numbered[0] == "第一条　培训目的"
    assert numbered[9] == "第十条　协议的变更与解除"
    assert numbered[-1] == "第十二条　协议生效及其他"


def test_optional_sections_disappear_and_numbers_close_up():
    data = agreement_data()
    for key in ("evaluation", "confidentiality", "intellectual_property", "liability"):
        del data[key]
    document = build(TrainingAgreement.model_validate(data))
    assert [s.number for s in document.sections if s.number][-1] == "第八条"
    assert document.section("evaluation") is None


def test_total_fee_in_figures_and_uppercase(document):
    fees = texts(document.section("fees"))
    assert fees[0].startswith("（一）本协议项下培训费用总额为¥96,000.00（大写：人民币玖万陆仟元整）")


def test_instalment_table_sums_to_the_total(document):
    table = next(b for b in document.section("fees").blocks if isinstance(b, Table))
    amounts = [row[2] for row in table.rows[:-1]]
    assert amounts == ["38,400.00", "38,400.00", "19,200.00"]
    assert table.rows[-1][0] == "合计" and table.rows[-1][2] == "96,000.00"
    assert table.rows[-1][3] == "人民币玖万陆仟元整"


def test_cross_references_use_the_real_article_number(document):
    liability = texts(document.section("liability"))
    assert document.section("confidentiality").number == "第七条"
    assert any("违反第七条约定" in t for t in liability)


def test_litigation_names_the_rule(document):
    assert any("甲方住所地有管辖权的人民法院提起诉讼" in t for t in texts(document.section("disputes")))


def test_arbitration_replaces_litigation():
    data = agreement_data()
    data["disputes"] = {"arbitration": {"commission": "杭州仲裁委员会"}}
    disputes = " ".join(texts(build(TrainingAgreement.model_validate(data)).section("disputes")))
    assert "提交杭州仲裁委员会" in disputes and "诉讼" not in disputes


def test_obligations_can_replace_defaults():
    data = agreement_data()
    data["obligations"] = {"replace_defaults": True, "client": ["只付款"], "provider": ["只培训"]}
    obligations = texts(build(TrainingAgreement.model_validate(data)).section("obligations"))
    assert obligations == ["（一）甲方的权利与义务", "1.只付款。", "（二）乙方的权利与义务", "1.只培训。"]


def test_copies_use_liang_for_two():
    data = agreement_data(effectiveness__copies=2)
    text = " ".join(texts(build(TrainingAgreement.model_validate(data)).section("effectiveness")))
    assert "一式两份，甲乙双方各执一份" in text  # the domain brief's wording: 两 before a measure word
    data = agreement_data(effectiveness__copies=4)
    assert "各执两份" in " ".join(texts(build(TrainingAgreement.model_validate(data)).section("effectiveness")))


def test_counts_before_measure_words_use_liang():
    data = agreement_data()
    data["fees"]["instalments"] = data["fees"]["instalments"][:2]
    data["fees"]["instalments"][1]["amount"] = "57600.00"
    data["confidentiality"]["years_after_end"] = "2"
    document = build(TrainingAgreement.model_validate(data))
    assert "分两期支付" in " ".join(texts(document.section("fees")))
    assert "终止后两年内持续有效" in " ".join(texts(document.section("confidentiality")))


def test_newline_in_a_value_stays_one_paragraph_with_a_line_break():
    data = agreement_data(training__background="第一行\n第二行")
    purpose = build(TrainingAgreement.model_validate(data)).section("purpose")
    assert purpose.blocks[0].text == "培训背景：第一行\n第二行。"


def test_a_template_that_drops_a_section_fails(document):
    kept = tuple(s for s in document.sections if s.key not in ("fees", "disputes"))
    broken = Document(document.kind, document.locale, document.metadata, document.header_text, kept)
    with pytest.raises(MissingSectionsError) as caught:
        check_document(broken, TRAINING_AGREEMENT)
    assert caught.value.missing == ("培训费用及支付方式 (fees)", "争议解决 (disputes)")


def test_intermediate_document_snapshot(document, snapshot):
    data = document.to_dict()
    assert [s["key"] for s in data["sections"]][-1] == "signature"
    assert data["metadata"]["identifier"] == "HZYX-PX-2026-018"
    assert data == snapshot
