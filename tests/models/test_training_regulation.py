"""客服培训管理制度: validation (defaults, cross-field paths) and the built document."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any

import pytest

from contractgen.includes import resolve_includes
from contractgen.ir import Paragraph
from contractgen.kinds import kind_named
from contractgen.loading import load_yaml_file
from contractgen.models.training_regulation import TrainingRegulation
from contractgen.pipeline import build
from contractgen.resources import templates_dir
from contractgen.text.numerals import article_label, chapter_label
from contractgen.validation import validate
from tests.conftest import EXAMPLES, validation_problems

EXAMPLE = EXAMPLES / "training_regulation.yaml"
STARTER = templates_dir() / "starters" / "training_regulation.yaml"
_BASE = resolve_includes(load_yaml_file(EXAMPLE), EXAMPLES).data
SHORT = {
    "kind": "training_regulation",
    "info": {"company": "杭州示例电子商务有限公司", "doc_no": "HR-ZD-2027-001", "effective_date": "2027-01-01"},
}
CHAPTERS = [
    "总则",
    "培训组织与职责",
    "培训需求分析",
    "培训计划",
    "培训内容",
    "培训方式",
    "培训实施",
    "培训效果评估",
    "培训档案管理",
    "激励与约束",
    "附则",
]


def example_data() -> dict[str, Any]:
    return copy.deepcopy(_BASE)


def short_data(**chapters: Any) -> dict[str, Any]:
    return copy.deepcopy(SHORT) | chapters


def problems(data: dict) -> dict[str, str]:
    return validation_problems(TrainingRegulation, data)


def articles(document) -> list[Paragraph]:
    return [b for s in document.sections for b in s.blocks if isinstance(b, Paragraph) and b.kind == "article"]


def text_of(document) -> str:
    return "\n".join(b.full_text for s in document.sections for b in s.blocks if isinstance(b, Paragraph))


@pytest.fixture(scope="module")
def example() -> TrainingRegulation:
    return TrainingRegulation.model_validate(example_data())


@pytest.fixture(scope="module")
def example_document(example):
    return build(example)


# --- validation ---------------------------------------------------------------------------


def test_example_and_starter_are_valid(example):
    assert example.info.doc_no == "YS-HR-ZD-2027-003"
    assert [m.type for m in example.methods] == ["internal", "external", "online", "mentoring"]
    starter = validate(TrainingRegulation, load_yaml_file(STARTER).data)
    assert starter.title == "客服培训管理制度"


def test_short_yaml_gets_every_default():
    regulation = TrainingRegulation.model_validate(short_data())
    assert regulation.title == "客服培训管理制度"
    assert [m.name for m in regulation.content.modules] == ["平台规则", "产品知识", "沟通技巧", "投诉处理", "服务意识与职业道德"]
    assert all(m.hours > 0 and m.topics for m in regulation.content.modules)
    assert [m.type for m in regulation.methods] == ["internal", "external", "online", "mentoring"]
    assert [(k.name, k.target, k.direction) for k in regulation.evaluation.kpis][:3] == [
        ("首次响应时间", Decimal(30), "lower"),
        ("客户满意度", Decimal("4.8"), "higher"),
        ("问题解决率", Decimal(95), "higher"),
    ]
    assert [g.name for g in regulation.implementation.assessment.grades] == ["优秀", "良好", "合格", "不合格"]
    assert regulation.records.others_approval == "人力资源总监"
    assert regulation.needs.survey_cadence == "quarterly"
    assert regulation.planning.quarterly is True
    assert [p.name for p in regulation.general.principles] == ["实用性原则", "系统性原则", "持续性原则"]


def test_modules_and_kpis_are_the_shared_models():
    from contractgen.models.agreement import Evaluation as AgreementEvaluation
    from contractgen.models.agreement import Training
    from contractgen.models.common import Kpi, Module

    fields = TrainingRegulation.model_fields
    assert fields["content"].annotation.model_fields["modules"].annotation == list[Module]
    assert fields["evaluation"].annotation.model_fields["kpis"].annotation == list[Kpi]
    assert Training.model_fields["modules"].annotation == list[Module]
    assert AgreementEvaluation.model_fields["kpis"].annotation == list[Kpi]


def test_a_field_written_replaces_its_default():
    regulation = TrainingRegulation.model_validate(
        short_data(needs={"survey_cadence": "half_yearly"}, planning={"quarterly": False})
    )
    assert regulation.needs.survey_cadence == "half_yearly"
    assert regulation.needs.survey_methods == ["questionnaire", "interview"]
    assert regulation.planning.quarterly is False


def test_module_listed_twice():
    data = example_data()
    data["content"]["modules"][3]["name"] = "平台规则与产品知识"
    assert problems(data)["content.modules[3].name"] == "module '平台规则与产品知识' is listed twice"


def test_new_hire_hours_cover_every_module():
    data = example_data()
    data["content"]["new_hire_hours"] = 20
    assert problems(data)["content.new_hire_hours"] == (
        "new hires must complete every module: 20 hours is less than the modules' 34 hours"
    )


def test_practice_hours_within_module_hours():
    data = example_data()
    data["content"]["modules"][0]["practice_hours"] = 13
    assert "practice hours exceed" in problems(data)["content.modules[0].practice_hours"]


def test_kpi_listed_twice():
    data = example_data()
    data["evaluation"]["kpis"][2]["name"] = "首次响应时间"
    assert problems(data)["evaluation.kpis[2].name"] == "KPI '首次响应时间' is listed twice"


def test_kpi_target_worse_than_baseline():
    data = example_data()
    data["evaluation"]["kpis"][1]["target"] = 60  # first response 52 s → 60 s, lower is better
    assert problems(data)["evaluation.kpis[1].target"].startswith("target 60 is not better than the baseline 52")


def test_grade_bands_must_cover_0_to_100():
    data = example_data()
    data["implementation"]["assessment"]["grades"] = [
        {"name": "合格", "min_score": 65, "max_score": 100},
        {"name": "不合格", "min_score": 0, "max_score": 59},
    ]
    assert problems(data)["implementation.assessment.grades[0]"] == "scores 60–64 belong to no grade"


def test_pass_grade_must_be_a_grade():
    data = example_data()
    data["implementation"]["assessment"]["pass_grade"] = "及格"
    assert "is not one of the grades" in problems(data)["implementation.assessment.pass_grade"]


def test_method_listed_twice():
    data = example_data()
    data["methods"].append({"type": "online"})
    assert problems(data)["methods[4].type"] == "method 'online' is listed twice"


def test_mentoring_needs_mentors():
    data = example_data()
    data["organisation"]["mentors"] = None
    assert "mentors' duties are needed" in problems(data)["organisation.mentors"]


def test_mentors_written_without_mentoring():
    data = short_data(
        methods=[{"type": "internal"}],
        organisation={"mentors": {"name": "带教导师", "duties": ["一对一带教"]}},
    )
    assert "methods have no mentoring" in problems(data)["organisation.mentors"]


def test_default_mentors_are_left_out_without_mentoring():
    regulation = TrainingRegulation.model_validate(short_data(methods=[{"type": "internal"}, {"type": "online"}]))
    assert "带教导师" not in [r.name for r in regulation.roles()]
    text = text_of(build(regulation))
    assert "带教导师由" not in text and "师徒带教" not in text


def test_cross_field_problem_reported_beside_a_field_problem():
    data = example_data()
    data["organisation"]["mentors"] = None
    data["records"]["update_days"] = 0
    found = problems(data)
    assert {"organisation.mentors", "records.update_days"} <= set(found)


def test_extra_articles_with_an_unknown_chapter_fails():
    data = example_data()
    data["extra_articles"]["signature"] = [{"text": "某条款。"}]
    assert "extra_articles.signature" in problems(data)


def test_unknown_key_is_rejected_with_a_suggestion():
    data = example_data()
    data["evaluation"]["folow_up_days"] = 30
    assert problems(data)["evaluation.folow_up_days"] == "unknown key 'folow_up_days'; did you mean 'follow_up_days'?"


# --- the built document ---------------------------------------------------------------------


def test_every_required_section_is_present_in_order(example_document):
    kind = kind_named("training_regulation")
    assert [s.key for s in example_document.sections] == [s.key for s in kind.sections]
    assert all(s.required for s in kind.sections)
    assert all(example_document.section(s.key).blocks for s in kind.sections)


def test_chapter_headings_in_order(example_document):
    headings = [s.heading for s in example_document.sections if s.show_heading]
    assert headings == [f"{chapter_label(n)}\u3000{title}" for n, title in enumerate(CHAPTERS, start=1)]
    assert headings[0] == "第一章\u3000总则" and headings[-1] == "第十一章\u3000附则"
    assert [e.text for e in example_document.contents.entries] == headings


def test_articles_are_numbered_continuously(example_document):
    labels = [p.label.strip() for p in articles(example_document)]
    assert labels == [article_label(n) for n in range(1, len(labels) + 1)]
    assert 35 <= len(labels) <= 50
    for section in example_document.sections[1:]:
        assert any(isinstance(b, Paragraph) and b.kind == "article" for b in section.blocks), section.key


def test_short_yaml_builds_a_complete_regulation():
    document = build(TrainingRegulation.model_validate(short_data()))
    assert len([s for s in document.sections if s.show_heading]) == 11
    assert 35 <= len(articles(document)) <= 50
    text = text_of(document)
    assert "各电商平台开设的店铺" in text
    assert "本制度自2027年1月1日起施行。" in text


def test_cover(example_document):
    cover = [b.text for b in example_document.sections[0].blocks]
    assert cover[:3] == [
        "客服培训管理制度",
        "杭州云杉优选电子商务有限公司",
        "文件编号：YS-HR-ZD-2027-003\u3000版本：V2.0\u3000生效日期：2027年1月1日",
    ]
    assert example_document.metadata.identifier == "YS-HR-ZD-2027-003"


def test_kpis_are_written_with_their_direction(example_document):
    text = text_of(example_document)
    assert "首次响应时间不超过30秒（培训前为52秒）" in text
    assert "客户满意度（5分制）不低于4.8分（培训前为4.5分）" in text
    assert "问题解决率不低于95%" in text
    assert "售后投诉率不超过2%" in text
    assert "培训结束后90日为效果跟踪期" in text


def test_facts_of_each_chapter(example_document):
    text = text_of(example_document)
    assert "为规范客服人员培训管理" in text and "制定本制度。" in text
    assert "包括售前客服、售后客服、客服组长和质检专员" in text
    assert "实用性原则" in text and "系统性原则" in text and "持续性原则" in text
    assert "组长：客服总监" in text
    assert "每季度组织开展一次培训需求调查，采用问卷调查、个别访谈、聊天记录抽查等方式" in text
    assert "钉钉“培训需求”反馈群" in text
    assert "每年11月底前" in text and "报总经理批准实施" in text
    assert "单周客户投诉量较前四周平均值上升 30% 以上" in text
    assert "服务意识与职业道德（4学时）" in text
    assert "不少于40学时" in text and "不少于32学时" in text
    assert "淘宝大学" in text and "师徒带教" in text
    assert "培训开始3个工作日前" in text and "按缺勤处理" in text and "经所在客服组组长批准" in text
    assert "优秀（90—100分）、良好（80—89分）、合格（60—79分）和不合格（0—59分）四个等级" in text
    assert "每门课程记2学分" in text and "每年应修满16学分" in text
    assert "应在10日内参加补考" in text
    assert "记载培训课程、培训日期、培训讲师、考核成绩、培训心得等内容" in text
    assert "员工可以查阅本人的培训档案；查阅他人培训档案的，须经人力资源总监批准。" in text
    assert "给予 200 元奖励" in text and "按旷工处理" in text
    assert "本制度经总经理办公会审议通过，由人力资源部负责解释。" in text
    assert "本制度自2027年1月1日起施行。《客服部培训管理办法（2024年版）》同时废止。" in text


def test_extra_articles_close_their_chapter(example_document):
    implementation = example_document.section("implementation").blocks
    last = [b for b in implementation if isinstance(b, Paragraph) and b.kind == "article"][-1]
    assert last.text.startswith("“618”“双11”等大促活动期间暂停集中培训")
    records = example_document.section("records").blocks
    assert records[-1].text.startswith("培训档案以电子档案为主")


def test_no_hand_typed_numbers_in_the_text(example_document):
    for paragraph in (b for s in example_document.sections for b in s.blocks if isinstance(b, Paragraph)):
        assert not re.search(r"第[一二三四五六七八九十百]+[条章]", paragraph.text), paragraph.text
        assert not re.match(r"[（(][一二三四五六七八九十]+[）)]", paragraph.text), paragraph.text


def test_a_failed_retake_can_extend_the_mentoring_not_the_probation():
    retake = {"within_days": 10, "max_retakes": 1, "after_failing_retake": "mentoring_extended"}
    regulation = TrainingRegulation.model_validate(short_data(implementation={"assessment": {"retake": retake}}))
    text = text_of(build(regulation))
    assert "补考仍不合格的，由带教导师延长带教期并继续辅导，带教期满后再次考核。" in text
    assert "延长试用期" not in text
    data = example_data()
    data["implementation"]["assessment"]["retake"]["after_failing_retake"] = "probation_extended"
    assert "mentoring_extended" in problems(data)["implementation.assessment.retake.after_failing_retake"]
