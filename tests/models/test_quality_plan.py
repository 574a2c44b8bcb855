"""服务质量提升方案: validation (defaults, cross-field paths) and the built document."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from contractgen.ir import Document, Paragraph, Table
from contractgen.kinds import KINDS
from contractgen.loading import load_yaml_file
from contractgen.models.quality_plan import QualityPlan
from contractgen.pipeline import build
from contractgen.text.numerals import article_label, chapter_label
from contractgen.validation import validate
from tests.conftest import EXAMPLES, ROOT, validation_problems

EXAMPLE = EXAMPLES / "quality_plan.yaml"
STARTER = ROOT / "templates" / "starters" / "quality_plan.yaml"
_BASE = load_yaml_file(EXAMPLE).data

SHORT = {
    "kind": "quality_plan",
    "info": {"company": "杭州云杉优选电子商务有限公司", "doc_no": "YS-KF-FA-2027-009", "effective_date": "2027-03-01"},
}

CHAPTERS = ["总则", "培训体系", "服务标准", "动态考核", "服务流程优化", "激励与文化", "技术支持", "数据驱动优化", "附则"]


def example_data() -> dict[str, Any]:
    return copy.deepcopy(_BASE)


def short_data(**chapters: Any) -> dict[str, Any]:
    return copy.deepcopy(SHORT) | chapters


def problems(data: dict) -> dict[str, str]:
    return validation_problems(QualityPlan, data)


def paragraphs(document: Document, key: str | None = None) -> list[Paragraph]:
    return [
        block
        for section in document.sections
        if key is None or section.key == key
        for block in section.blocks
        if isinstance(block, Paragraph)
    ]


def all_text(document: Document) -> str:
    parts = [p.full_text for p in paragraphs(document)]
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Table):
                parts.append(block.caption)
                parts.extend(" | ".join(row) for row in (block.header, *block.rows))
    return "\n".join(parts)


# ── validation ────────────────────────────────────────────────────────────────


def test_example_and_starter_validate():
    plan = validate(QualityPlan, example_data())
    assert plan.info.company == "杭州云杉优选电子商务有限公司"
    assert plan.general.headcount == 30
    assert plan.technology.chatbot.target_share == Decimal("0.45")
    assert validate(QualityPlan, load_yaml_file(STARTER).data).kind == "quality_plan"


def test_kind_is_registered():
    assert KINDS["quality_plan"].model is QualityPlan
    assert KINDS["quality_plan"].label == "服务质量提升方案"


def test_defaults_fill_a_short_yaml():
    plan = validate(QualityPlan, short_data())
    assert plan.title == "服务质量提升方案"
    kpis = {k.name: (k.target, k.unit, k.direction) for k in plan.standards.kpis}
    assert kpis["首次响应时间"] == (Decimal(30), "秒", "lower")
    assert kpis["问题解决时长"] == (Decimal(24), "小时", "lower")
    assert kpis["客户满意度"] == (Decimal("4.8"), "分", "higher")
    assert {"不清楚", "应该是吧", "你自己看"} <= set(plan.standards.banned_phrases)
    assert [r.stars for r in plan.assessment.ratings_best_first()] == [5, 4, 3, 2, 1]
    assert plan.assessment.spot_check.per_agent_per_week == 20
    assert plan.assessment.spot_check.rate is None
    assert [m.type for m in plan.training.methods] == ["online", "internal", "mentoring"]
    assert [c.department for c in plan.process.cooperation] == ["仓储部", "物流组", "售后部"]
    assert plan.process.faq.update_days == 7
    assert plan.technology.chatbot.target_share == Decimal("0.4")
    assert plan.optimisation is None
    assert plan.supplementary.interpreter == "客服部"


def test_interpreter_follows_the_lead_department_unless_written():
    plan = validate(QualityPlan, short_data(general={"lead_department": "客户体验中心"}, supplementary={}))
    assert plan.supplementary.interpreter == "客户体验中心"
    plan = validate(QualityPlan, short_data(supplementary={"interpreter": "人力资源部"}))
    assert plan.supplementary.interpreter == "人力资源部"


def test_sample_rate_instead_of_sample_size():
    plan = validate(QualityPlan, short_data(assessment={"spot_check": {"rate": "5%"}}))
    assert plan.assessment.spot_check.rate == Decimal("0.05")
    assert plan.assessment.spot_check.per_agent_per_week is None


def test_sample_size_and_rate_together_fail():
    data = example_data()
    data["assessment"]["spot_check"]["rate"] = "5%"
    assert problems(data)["assessment.spot_check.rate"] == "give either per_agent_per_week or rate, not both"


def test_no_sample_size_fails():
    data = example_data()
    data["assessment"]["spot_check"]["per_agent_per_week"] = None
    assert problems(data)["assessment.spot_check.per_agent_per_week"] == "give the sample size: per_agent_per_week or rate"


def test_star_scale_must_cover_one_to_five():
    data = example_data()
    data["assessment"]["ratings"] = [
        {"stars": n, "name": f"{n}星", "description": "评定条件"} for n in (5, 4, 4, 2, 1)
    ]
    found = problems(data)
    assert found["assessment.ratings[2].stars"] == "4 stars are rated twice"
    assert found["assessment.ratings"] == "the scale must cover 1–5 stars; missing: 3"


def test_stars_outside_one_to_five_fail():
    data = example_data()
    data["assessment"]["ratings"] = [{"stars": n, "name": "x", "description": "y"} for n in (0, 1, 2, 3, 4, 5)]
    assert "assessment.ratings[0].stars" in problems(data)


def test_assessment_indicators_must_be_kpis():
    data = example_data()
    data["assessment"]["indicators"][1] = "好评率"
    assert problems(data)["assessment.indicators[1]"].startswith("'好评率' is not a service-standard KPI")


def test_kpi_target_worse_than_baseline():
    data = example_data()
    data["standards"]["kpis"][0]["target"] = 60  # 首次响应时间 52 s → 60 s, lower is better
    assert problems(data)["standards.kpis[0].target"].startswith("target 60 is not better than the baseline 52")


def test_kpi_names_are_unique():
    data = example_data()
    data["standards"]["kpis"][2]["name"] = "首次响应时间"
    assert problems(data)["standards.kpis[2].name"] == "KPI '首次响应时间' is listed twice"


def test_bases_must_name_a_kpi():
    data = example_data()
    data["standards"]["bases"]["好评率"] = "好评数÷评价数"
    assert problems(data)["standards.bases.好评率"].startswith("'好评率' is not one of the KPIs")


def test_model_phrase_must_not_contain_a_banned_phrase():
    data = example_data()
    data["standards"]["model_phrases"] = ["您好，请问有什么可以帮您？", "这个我也不清楚，您稍等。"]
    assert problems(data)["standards.model_phrases[1]"] == "the model phrase contains the banned phrase '不清楚'"


def test_chatbot_target_must_beat_current_share():
    data = example_data()
    data["technology"]["chatbot"]["target_share"] = "20%"
    assert problems(data)["technology.chatbot.target_share"] == "target share 20% is not above the current share 25%"


def test_period_cannot_start_before_the_plan_takes_effect():
    data = example_data()
    data["general"]["period"]["start"] = "2026-12-01"
    assert problems(data)["general.period.start"] == (
        "the plan is carried out from 2026-12-01, before it takes effect on 2027-01-01"
    )


def test_period_end_before_start():
    data = example_data()
    data["general"]["period"]["end"] = "2026-12-31"
    assert problems(data)["general.period.end"] == "the period ends on 2026-12-31, before its start 2027-01-01"


def test_duplicate_method_department_and_course():
    data = example_data()
    data["training"]["methods"].append({"type": "online"})
    data["training"]["courses"][2]["name"] = "新员工岗前培训"
    data["process"]["cooperation"][1]["department"] = "仓储部"
    found = problems(data)
    assert found["training.methods[3].type"] == "training method 'online' is listed twice"
    assert found["training.courses[2].name"] == "course '新员工岗前培训' is listed twice"
    assert found["process.cooperation[1].department"] == "department '仓储部' is listed twice"


def test_extra_articles_for_an_unknown_chapter_fail():
    data = example_data()
    data["extra_articles"]["fees"] = [{"text": "某条款。"}]
    assert "extra_articles.fees" in problems(data)


def test_extra_articles_for_an_absent_optional_chapter_fail():
    data = example_data()
    del data["optimisation"]
    data["extra_articles"]["optimisation"] = [{"text": "复盘报告抄送人力资源部。"}]
    assert problems(data)["extra_articles.optimisation"].startswith("the chapter optimisation (数据驱动优化) is not in this plan")


def test_cross_chapter_problems_are_reported_beside_field_errors():
    data = example_data()
    data["assessment"]["indicators"][0] = "好评率"
    data["info"]["version"] = ""
    found = problems(data)
    assert "info.version" in found
    assert "assessment.indicators[0]" in found


def test_an_omitted_chapter_counts_as_its_default_in_cross_chapter_checks():
    data = example_data()
    del data["standards"]
    data["assessment"]["indicators"] = ["好评率"]
    data["info"]["version"] = ""
    found = problems(data)
    assert "info.version" in found
    assert found["assessment.indicators[0]"].startswith("'好评率' is not a service-standard KPI (standards.kpis: 首次响应时间")


# ── the built document ────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def document() -> Document:
    return build(validate(QualityPlan, example_data()))


def test_chapters_in_order(document):
    chapters = [s.heading for s in document.sections if s.show_heading]
    assert chapters == [f"{chapter_label(n)}\u3000{title}" for n, title in enumerate(CHAPTERS, start=1)]
    assert chapters[0] == "第一章\u3000总则" and chapters[-1] == "第九章\u3000附则"
    assert document.sections[0].key == "cover"


def test_every_required_section_is_present(document):
    keys = {s.key for s in document.sections if s.blocks}
    assert {spec.key for spec in KINDS["quality_plan"].required_sections()} <= keys


def test_articles_are_numbered_continuously(document):
    labels = [p.label for p in paragraphs(document) if p.kind == "article"]
    assert labels == [article_label(n) + "\u3000" for n in range(1, len(labels) + 1)]
    assert len(labels) >= 9 * 3
    for section in document.sections:
        if section.show_heading:
            assert any(p.kind == "article" for p in paragraphs(document, section.key)), section.key


def test_cover_line(document):
    cover = [p.text for p in paragraphs(document, "cover")]
    assert cover[:3] == [
        "客户服务质量提升方案",
        "杭州云杉优选电子商务有限公司",
        "文件编号：YS-KF-FA-2027-002　版本：V1.0　生效日期：2027年1月1日",
    ]


def test_service_standards_carry_the_numbers(document):
    text = "\n".join(p.full_text for p in paragraphs(document, "standards"))
    assert "首次响应时间不超过30秒（现为52秒）" in text
    assert "问题解决时长不超过24小时" in text
    assert "客户满意度不低于4.8分" in text
    assert "“不清楚”" in text and "“应该是吧”" in text
    table = next(b for b in document.section("standards").blocks if isinstance(b, Table))
    assert table.header == ("指标", "目标值", "统计口径")
    assert table.rows[0][:2] == ("首次响应时间", "≤30秒")
    assert table.rows[4][:2] == ("客户满意度", "≥4.8分")


def test_assessment_spot_checks_and_stars(document):
    text = "\n".join(p.full_text for p in paragraphs(document, "assessment"))
    assert "不少于20条聊天记录" in text
    assert "（一）五星（卓越）" in text and "（五）一星（不合格）" in text
    assert "新入职客服人员在带教期内不参加星级评定" in text  # extra article, numbered on


def test_facts_from_the_other_chapters(document):
    text = all_text(document)
    assert "厨房小家电、个护电器、清洁电器、配件与耗材四类" in text
    assert "每7日更新一次" in text
    assert "仓储部：负责库存核实" in text
    assert "¥6,000.00（大写：人民币陆仟元整）" in text
    assert "占全部咨询的45%以上（目前为25%）" in text
    assert "本方案自2027年1月1日起施行" not in text  # approved_by is given
    assert "本方案经总经理办公会审议通过，自2027年1月1日起施行。《客服部服务规范（2024年版）》同时废止。" in text


def test_short_yaml_builds_every_required_chapter():
    document = build(validate(QualityPlan, short_data()))
    headings = [s.heading for s in document.sections if s.show_heading]
    assert headings == [f"{chapter_label(n)}\u3000{t}" for n, t in enumerate([c for c in CHAPTERS if c != "数据驱动优化"], 1)]
    text = all_text(document)
    assert "本方案自2027年3月1日起施行。" in text
    assert "每周随机抽取每名客服人员不少于20条聊天记录" in text
    assert "以本方案第三章规定的全部服务指标为考核指标" in text


def test_sample_rate_is_written_as_a_percentage():
    document = build(validate(QualityPlan, short_data(assessment={"spot_check": {"rate": "5%"}})))
    assert "每周按不低于5%的比例随机抽取" in all_text(document)
