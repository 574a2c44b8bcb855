"""客服人员聘任方案: validation rules (each names its key path) and facts of the built document."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest

from contractgen.ir import Paragraph, Table
from contractgen.kinds import KINDS
from contractgen.loading import load_yaml_file
from contractgen.models.staffing_plan import StaffingPlan
from contractgen.pipeline import build, load, loads
from contractgen.text.numerals import article_label
from contractgen.validation import validate
from tests.conftest import validation_problems

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "staffing_plan.yaml"
STARTER = ROOT / "templates" / "starters" / "staffing_plan.yaml"
_BASE = load_yaml_file(EXAMPLE).data

SHORT = """\
kind: staffing_plan
info:
  company: 杭州云杉优选电子商务有限公司
  doc_no: YS-HR-FA-2027-001
  effective_date: 2027-01-01
situation:
  current_headcount: 24
  planned_headcount: 30
"""

CHAPTERS = ["目标与范围", "现状与需求", "招聘", "培训", "绩效考核", "激励机制", "数据支持", "总结", "附则"]


def plan_data() -> dict:
    return copy.deepcopy(_BASE)


def problems(data: dict) -> dict[str, str]:
    return validation_problems(StaffingPlan, data)


def paragraphs(document) -> list[Paragraph]:
    return [b for s in document.sections for b in s.blocks if isinstance(b, Paragraph)]


def section_text(document, key: str) -> str:
    return "\n".join(b.full_text for b in document.section(key).blocks if isinstance(b, Paragraph))


# ---------------------------------------------------------------- validation


def test_example_and_starter_validate():
    plan = load(EXAMPLE)
    assert plan.situation.gap == 6
    assert sum(k.weight for k in plan.appraisal.kpis) == 100
    assert plan.incentives.pay_levels[0].monthly_min == Decimal("4800.00")
    assert load(STARTER).kind == "staffing_plan"


def test_kind_is_registered():
    assert KINDS["staffing_plan"].model is StaffingPlan
    assert [s.key for s in KINDS["staffing_plan"].required_sections()] == [
        "cover", "goals", "situation", "recruitment", "training", "appraisal", "incentives", "data_support",
        "supplementary",
    ]


def test_defaults_fill_a_short_yaml():
    plan = loads(SHORT)
    assert plan.title == "客服人员聘任方案"
    assert "缺乏系统的培训体系" in "".join(plan.situation.problems)
    assert plan.recruitment.channels == ["招聘网站", "校园招聘", "内部推荐"]
    assert [k.dimension for k in plan.appraisal.kpis] == ["客户满意度", "处理效率", "团队协作"]
    assert sum(k.weight for k in plan.appraisal.kpis) == 100
    assert plan.incentives.promotion_path == ["初级客服", "中级客服", "高级客服", "客服组长"]
    assert plan.summary is None
    document = build(plan)
    assert [s.key for s in document.sections][-1] == "supplementary"
    assert document.section("summary") is None
    assert "尚需新增6人" in section_text(document, "situation")


def test_headcounts_are_required():
    data = plan_data()
    del data["situation"]["planned_headcount"]
    assert problems(data)["situation.planned_headcount"] == "required field is missing"


def test_rates_accept_percentages():
    plan = StaffingPlan.model_validate(plan_data())
    assert plan.situation.turnover_rate == Decimal("0.35")
    assert plan.situation.complaint_rate == Decimal("0.032")


def test_kpi_weights_must_sum_to_100():
    data = plan_data()
    data["appraisal"]["kpis"][0]["weight"] = 45
    assert problems(data)["appraisal.kpis"] == "the KPI weights add up to 105%, not 100% (difference +5)"


def test_kpi_target_worse_than_baseline():
    data = plan_data()
    data["appraisal"]["kpis"][1]["target"] = 40  # average response time 38 s → 40 s, lower is better
    assert problems(data)["appraisal.kpis[1].target"].startswith("target 40 is not better than the baseline 38")


def test_kpi_names_are_unique():
    data = plan_data()
    data["appraisal"]["kpis"][2]["name"] = "客户满意率"
    assert problems(data)["appraisal.kpis[2].name"] == "KPI '客户满意率' is listed twice"


def test_appraisal_grades_cover_0_to_100():
    data = plan_data()
    data["appraisal"]["grades"] = [
        {"name": "优秀", "min_score": 90, "max_score": 100, "consequence": "优先晋升"},
        {"name": "合格", "min_score": 60, "max_score": 85, "consequence": "按标准发放"},
        {"name": "待改进", "min_score": 0, "max_score": 59, "consequence": "绩效面谈"},
    ]
    assert problems(data)["appraisal.grades[0]"] == "scores 86–89 belong to no grade"


def test_pay_level_minimum_above_maximum():
    data = plan_data()
    data["incentives"]["pay_levels"][4]["monthly_min"] = "15500.00"
    assert problems(data) == {"incentives.pay_levels[4].monthly_max": "the maximum 15000.00 is below the minimum 15500.00"}


def test_pay_levels_must_ascend():
    data = plan_data()
    data["incentives"]["pay_levels"][2]["monthly_min"] = "5000.00"
    assert problems(data)["incentives.pay_levels[2].monthly_min"] == (
        "the minimum 5000.00 is not above the minimum 5800.00 of 中级客服 (list the levels from lowest to highest)"
    )


def test_pay_is_money_not_float():
    data = plan_data()
    data["incentives"]["pay_levels"][0]["monthly_min"] = 4800.5
    assert "not a float" in problems(data)["incentives.pay_levels[0].monthly_min"]


def test_promotion_path_names_pay_levels():
    data = plan_data()
    data["incentives"]["promotion_path"][4] = "客服经理"
    assert problems(data)["incentives.promotion_path[4]"].startswith("'客服经理' is not a pay level")


def test_promotion_grade_must_be_an_appraisal_grade():
    data = plan_data()
    data["incentives"]["promotion_grade"] = "A"
    assert problems(data)["incentives.promotion_grade"] == "'A' is not an appraisal grade (grades: 优秀、良好、合格、待改进)"


def test_hiring_must_cover_the_headcount_gap():
    data = plan_data()
    data["recruitment"]["hiring"] = [{"period": "2027年第一季度", "count": 4}]
    assert problems(data)["recruitment.hiring"] == (
        "the hiring batches add up to 4, fewer than the 6 agents needed to go from 24 to the planned 30"
    )


def test_targets_must_improve_on_the_current_rates():
    data = plan_data()
    data["goals"]["turnover_target"] = "40%"
    del data["situation"]["complaint_rate"]
    found = problems(data)
    assert found["goals.turnover_target"] == "the turnover target 40% is not below the current rate 35%"
    assert found["goals.complaint_target"] == "a complaint target needs the current rate: add situation.complaint_rate"


def test_period_end_before_start():
    data = plan_data()
    data["goals"]["period"]["end"] = "2026-12-31"
    assert problems(data)["goals.period.end"] == "the period ends on 2026-12-31, before its start 2027-01-01"


def test_course_names_are_unique_across_basic_and_skills():
    data = plan_data()
    data["training"]["skills"][2]["name"] = "产品知识"
    assert problems(data)["training.skills[2].name"] == "course '产品知识' is listed twice"


def test_extra_articles_with_an_unknown_chapter_fails():
    data = plan_data()
    data["extra_articles"]["fees"] = [{"text": "无关条款。"}]
    assert "extra_articles.fees" in problems(data)


def test_summary_articles_need_a_summary():
    data = plan_data()
    del data["summary"]
    data["extra_articles"]["summary"] = [{"text": "补充总结。"}]
    assert problems(data)["extra_articles.summary"].startswith("the summary chapter appears only with a summary text")


def test_cross_chapter_problems_are_reported_beside_field_errors():
    data = plan_data()
    data["recruitment"]["hiring"] = [{"period": "2027年第一季度", "count": 1}]
    data["info"]["doc_no"] = ""
    found = problems(data)
    assert {"info.doc_no", "recruitment.hiring"} <= set(found)


# ---------------------------------------------------------------- the built document


@pytest.fixture(scope="module")
def document():
    return build(load(EXAMPLE))


def test_chapters_in_order(document):
    headings = [s.heading for s in document.sections if s.show_heading]
    assert headings == [f"第{n}章\u3000{t}" for n, t in zip("一二三四五六七八九", CHAPTERS)]
    assert document.contents is not None and len(document.contents.entries) == len(CHAPTERS)


def test_articles_are_numbered_continuously(document):
    labels = [p.label for p in paragraphs(document) if p.kind == "article"]
    assert labels == [article_label(n) + "\u3000" for n in range(1, len(labels) + 1)]
    assert len(labels) >= 35
    first = document.section("goals").blocks[0]
    assert first.full_text.startswith("第一条\u3000为建立一支") and first.text.endswith("制定本方案。")


def test_every_chapter_has_articles(document):
    for section in document.sections[1:]:
        assert any(isinstance(b, Paragraph) and b.kind == "article" for b in section.blocks), section.key


def test_cover(document):
    cover = [b.text for b in document.sections[0].blocks]
    assert cover[0] == "客服人员聘任方案（2027年度）"
    assert cover[1] == "杭州云杉优选电子商务有限公司"
    assert cover[2] == "文件编号：YS-HR-FA-2027-002\u3000版本：V1.0\u3000生效日期：2027年1月1日"
    assert document.metadata.identifier == "YS-HR-FA-2027-002"


def test_situation_states_the_numbers(document):
    text = section_text(document, "situation")
    assert "现有在岗客服人员24人" in text
    assert "客服人员流失率为35%，客户投诉率为3.2%" in text
    assert "编制定为30人" in text and "尚需新增6人" in text
    goals = section_text(document, "goals")
    assert "流失率由35%降至20%以下" in goals and "投诉率由3.2%降至1.5%以下" in goals


def test_recruitment_has_scenarios_channels_and_batches(document):
    text = section_text(document, "recruitment")
    assert "结构化面试" in text and "由面试官扮演顾客" in text
    assert "退一赔三" in text
    assert "内部推荐奖励¥800.00" in text
    assert "计划招聘客服人员11人，分三批实施" in text
    assert "试用期为两个月" in text


def test_kpi_text_states_target_direction_and_weight(document):
    text = section_text(document, "appraisal")
    assert "客户满意率不低于96%（目前为91%），权重40%" in text
    assert "平均响应时间不超过25秒（目前为38秒），权重20%" in text
    assert "团队协作评分不低于85分，权重25%" in text
    table = next(b for b in document.section("appraisal").blocks if isinstance(b, Table))
    assert table.rows[1][3] == "≤25秒"
    assert table.rows[-1] == ("合计", "", "", "", "100%")


def test_pay_table_prints_money(document):
    table = next(b for b in document.section("incentives").blocks if isinstance(b, Table))
    assert table.header[:4] == ("序号", "职级", "月薪下限", "月薪上限")
    assert table.rows[0][1:4] == ("初级客服", "¥4,800.00", "¥5,800.00")
    assert table.rows[-1][1] == "客服主管"
    text = section_text(document, "incentives")
    assert "初级客服→中级客服→高级客服→客服组长→客服主管" in text
    assert "最近连续三个月度考核周期的绩效考核结果均为“良好”及以上" in text


def test_extra_article_closes_its_chapter(document):
    last = [b for b in document.section("incentives").blocks if isinstance(b, Paragraph)][-1]
    assert last.kind == "article" and last.text.startswith("客服人员在大促期间连续加班的")


def test_training_table_sums_hours(document):
    table = next(b for b in document.section("training").blocks if isinstance(b, Table))
    assert table.rows[-1] == ("合计", "", "45", "17")


def test_summary_lines_become_articles(document):
    summary = [b for b in document.section("summary").blocks if isinstance(b, Paragraph)]
    assert len(summary) == 2 and all(p.kind == "article" for p in summary)


def test_supplementary_states_effective_date_and_replaced_file(document):
    text = section_text(document, "supplementary")
    assert "本方案由人力资源部负责解释" in text
    assert "本方案经总经理办公会批准，自2027年1月1日起施行。《客服人员招聘与管理暂行办法（2025年版）》同时废止。" in text


def test_short_yaml_builds_every_required_chapter():
    document = build(loads(SHORT))
    keys = [s.key for s in document.sections]
    assert keys == ["cover", "goals", "situation", "recruitment", "training", "appraisal", "incentives",
                    "data_support", "supplementary"]
    assert "第八章\u3000附则" == document.section("supplementary").heading
    assert "客户满意率不低于95%" in section_text(document, "appraisal")


def test_a_failed_retake_can_extend_the_mentoring_not_the_probation():
    data = plan_data()
    data["training"]["assessment"]["retake"]["after_failing_retake"] = "mentoring_extended"
    text = section_text(build(validate(StaffingPlan, data)), "training")
    assert "补考仍不合格的，延长带教期，由带教导师继续辅导，带教期满后再次考核。" in text
    data["training"]["assessment"]["retake"]["after_failing_retake"] = "probation_extended"
    assert "mentoring_extended" in problems(data)["training.assessment.retake.after_failing_retake"]
