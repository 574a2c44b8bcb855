"""客户服务岗位培训标准: validation (defaults, cross-field paths) and the built document's facts."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from contractgen.ir import Document, Paragraph, Section, Table
from contractgen.kinds import KINDS
from contractgen.loading import load_yaml_file, load_yaml_text
from contractgen.models.training_standard import TrainingStandard
from contractgen.pipeline import build, load_source
from contractgen.resources import templates_dir
from contractgen.text.numerals import article_label
from tests.conftest import EXAMPLES, validation_problems

EXAMPLE = EXAMPLES / "training_standard.yaml"
STARTER = templates_dir() / "starters" / "training_standard.yaml"
_BASE = load_yaml_file(EXAMPLE).data

SHORT_YAML = """\
kind: training_standard
info:
  company: 杭州示例电子商务有限公司
  doc_no: SL-KF-BZ-001
  effective_date: 2027-03-01
"""


def example_data() -> dict[str, Any]:
    return copy.deepcopy(_BASE)


def problems(data: dict) -> dict[str, str]:
    return validation_problems(TrainingStandard, data)


def short_model(**chapters: Any) -> TrainingStandard:
    data = load_yaml_text(SHORT_YAML).data | chapters
    return TrainingStandard.model_validate(data)


# ── validation ──────────────────────────────────────────────────────────


def test_the_example_validates():
    standard = TrainingStandard.model_validate(example_data())
    assert standard.info.company == "杭州云杉优选电子商务有限公司"
    assert standard.general.platforms == ["淘宝", "天猫"]
    assert standard.content.total_hours == Decimal(40)
    assert next(k.name for k in standard.assessment.kpis) == "首次响应时间"


def test_the_starter_validates_as_is():
    loaded = load_source(load_yaml_file(STARTER))
    assert isinstance(loaded.model, TrainingStandard)


def test_the_kind_is_registered_with_all_chapters_required():
    kind = KINDS["training_standard"]
    chapters = [(s.key, s.label, s.required) for s in kind.sections if s.key != "cover"]
    assert chapters == [
        ("general", "总则", True),
        ("objectives", "培训目标", True),
        ("content", "培训内容与要求", True),
        ("assessment", "培训考核", True),
        ("revision", "标准的修订", True),
        ("supplementary", "附则", True),
    ]


def test_defaults_fill_a_short_yaml():
    standard = short_model()
    assert standard.title == "客户服务岗位培训标准"
    assert [p.name for p in standard.general.positions] == ["售前客服", "售后客服", "客服组长"]
    assert "《中华人民共和国消费者权益保护法》" in standard.general.basis
    assert all(getattr(standard.objectives, group) for group in ("conduct", "knowledge", "skills"))
    names = [t.name for t in standard.content.topics]
    for expected in ("职业道德与行为规范", "服务礼仪", "保密要求", "情绪管理", "公司与行业知识", "产品知识", "平台规则", "法律法规"):
        assert expected in names
    assert standard.revision.cycle_months == 12
    assert standard.assessment.pass_grade == "合格"
    assert standard.assessment.kpis == []


def test_defaults_can_be_overridden():
    standard = short_model(revision={"cycle_months": 24, "approver": "董事会"}, general={"platforms": ["京东"]})
    assert standard.revision.cycle_months == 24
    assert standard.revision.approver == "董事会"
    assert standard.general.platforms == ["京东"]
    assert len(standard.general.positions) == 3  # untouched fields keep their defaults


def test_purpose_loses_its_trailing_full_stop():
    standard = short_model(general={"purpose": "规范客服培训。"})
    assert standard.general.purpose == "规范客服培训"


def test_topic_names_must_be_unique():
    data = example_data()
    data["content"]["topics"][3]["name"] = "服务礼仪"
    assert problems(data)["content.topics[3].name"] == "topic '服务礼仪' is listed twice"


def test_topic_positions_must_be_positions_of_the_standard():
    data = example_data()
    data["content"]["topics"][11]["positions"] = ["客服主管"]
    assert problems(data)["content.topics[11].positions[0]"].startswith("'客服主管' is not a position of general.positions")


def test_topic_assessment_must_be_one_of_the_assessment_methods():
    data = example_data()
    data["assessment"]["methods"] = ["written_test", "practical", "case_analysis", "spot_check"]
    found = problems(data)
    assert found["content.topics[1].assessment[0]"].startswith("'role_play' is not one of assessment.methods")
    assert "content.topics[0].assessment[0]" not in found


def test_every_objective_group_needs_training_content():
    data = example_data()
    data["content"]["topics"] = [t for t in data["content"]["topics"] if t["category"] != "skills"]
    assert "the 技能 objectives would have no training content" in problems(data)["content.topics"]


def test_position_names_must_be_unique():
    data = example_data()
    data["general"]["positions"][1]["name"] = "售前客服"
    assert problems(data)["general.positions[1].name"] == "position '售前客服' is listed twice"


def test_kpi_names_must_be_unique():
    data = example_data()
    data["assessment"]["kpis"][1]["name"] = "首次响应时间"
    assert problems(data)["assessment.kpis[1].name"] == "KPI '首次响应时间' is listed twice"


def test_kpi_target_worse_than_baseline():
    data = example_data()
    data["assessment"]["kpis"][0]["target"] = 50  # first response 42 s → 50 s, lower is better
    assert problems(data)["assessment.kpis[0].target"].startswith("target 50 is not better than the baseline 42")


def test_grades_and_pass_grade_come_from_the_shared_assessment():
    data = example_data()
    data["assessment"]["pass_grade"] = "及格"
    assert problems(data)["assessment.pass_grade"].startswith("'及格' is not one of the grades")


def test_each_objective_group_must_be_non_empty():
    data = example_data()
    data.setdefault("objectives", {})["knowledge"] = []
    assert "objectives.knowledge" in problems(data)


def test_extra_articles_with_an_unknown_chapter_fails():
    data = example_data()
    data["extra_articles"] = {"appendix": [{"text": "追加条款。"}]}
    message = problems(data)["extra_articles.appendix"]
    assert "'general'" in message and "'supplementary'" in message


def test_cross_field_problems_are_reported_beside_field_errors():
    data = example_data()
    data["info"]["doc_no"] = ""
    data["content"]["topics"][11]["positions"] = ["客服主管"]
    assert {"info.doc_no", "content.topics[11].positions[0]"} <= set(problems(data))


# ── the built document ──────────────────────────────────────────────────


@pytest.fixture(scope="module")
def document() -> Document:
    return build(TrainingStandard.model_validate(example_data()))


def texts(section: Section) -> list[str]:
    return [b.full_text for b in section.blocks if isinstance(b, Paragraph)]


def all_text(document: Document) -> str:
    return "\n".join(t for s in document.sections for t in texts(s))


def test_chapter_headings_in_order(document):
    assert [s.heading for s in document.sections if s.show_heading] == [
        "第一章　总则",
        "第二章　培训目标",
        "第三章　培训内容与要求",
        "第四章　培训考核",
        "第五章　标准的修订",
        "第六章　附则",
    ]
    assert document.contents is not None
    assert next(e.text for e in document.contents.entries) == "第一章　总则"


def test_articles_are_numbered_continuously(document):
    labels = [
        b.label.strip() for s in document.sections for b in s.blocks if isinstance(b, Paragraph) and b.kind == "article"
    ]
    assert labels == [article_label(n) for n in range(1, len(labels) + 1)]
    assert len(labels) >= 20


def test_every_required_section_is_present_with_content(document):
    for spec in KINDS["training_standard"].required_sections():
        section = document.section(spec.key)
        assert section is not None and section.blocks, spec.key


def test_cover_shows_company_number_and_date(document):
    cover = texts(document.section("cover"))
    assert cover[0] == "客户服务岗位培训标准"
    assert cover[1] == "杭州云杉优选电子商务有限公司"
    assert cover[2] == "文件编号：YS-KF-BZ-2027-001　版本：V2.0　生效日期：2027年1月1日"
    assert document.metadata.identifier == "YS-KF-BZ-2027-001"


def test_first_article_states_purpose_and_basis(document):
    first = texts(document.section("general"))[0]
    assert first.startswith("第一条　为规范客户服务岗位培训工作")
    assert "《中华人民共和国消费者权益保护法》《中华人民共和国电子商务法》" in first  # no 顿号 between titles
    assert "以及淘宝、天猫平台的相关规则" in first
    assert first.endswith("制定本标准。")


def test_scope_lists_the_positions(document):
    general = texts(document.section("general"))
    assert any(t.startswith("（一）售前客服：") for t in general)
    assert any(t.startswith("（三）客服组长：") for t in general)


def test_three_objective_groups(document):
    objectives = texts(document.section("objectives"))
    heads = [t for t in objectives if t.startswith("第") and t.endswith("目标：")]
    assert [h.split("　", 1)[1] for h in heads] == ["职业素养目标：", "知识目标：", "技能目标："]


def test_content_articles_carry_every_requirement(document):
    content = "\n".join(texts(document.section("content")))
    for topic in TrainingStandard.model_validate(example_data()).content.topics:
        assert topic.name in content
        for requirement in topic.requirements:
            assert requirement in content
    assert "（四）班组管理与服务质检（适用于客服组长）：" in content


def test_content_table_lists_topics_hours_and_assessment(document):
    table = next(b for b in document.section("content").blocks if isinstance(b, Table))
    assert table.header == ("序号", "类别", "培训内容", "学时", "考核方式", "适用岗位")
    assert table.rows[0] == ("1", "职业素养", "职业道德与行为规范", "2", "笔试", "全部岗位")
    assert table.rows[-2][2:] == ("班组管理与服务质检", "4", "案例分析、聊天记录抽检", "客服组长")
    assert table.rows[-1][0] == "合计" and table.rows[-1][3] == "40"


def test_kpis_are_written_with_their_direction(document):
    assessment = "\n".join(texts(document.section("assessment")))
    assert "首次响应时间不超过30秒（现状为42秒）" in assessment
    assert "询单转化率不低于45%（现状为38%）" in assessment
    assert "聊天记录抽检合格率不低于95%。" in assessment
    assert "按月对下列服务指标进行在岗考核" in assessment


def test_assessment_grades_credits_and_retake(document):
    assessment = "\n".join(texts(document.section("assessment")))
    assert "优秀（90—100分）" in assessment and "四个等级" in assessment
    assert "在岗人员每年应当修满16学分" in assessment
    assert "10日内参加补考" in assessment
    assert "方可独立上岗" in assessment


def test_extra_article_closes_its_chapter(document):
    last = texts(document.section("assessment"))[-1]
    assert last.endswith("客服组长每月从每名组员的聊天记录中随机抽检不少于20条，抽检结果计入当月聊天记录抽检合格率。")


def test_revision_cycle_and_approver(document):
    revision = "\n".join(texts(document.section("revision")))
    assert "本标准每年复审一次" in revision
    assert "15日内启动修订" in revision
    assert "报总经理办公会批准发布" in revision


@pytest.mark.parametrize(("months", "wording"), [(6, "每六个月复审一次"), (24, "每两年复审一次"), (18, "每十八个月复审一次")])
def test_revision_cycle_wording(months, wording):
    document = build(short_model(revision={"cycle_months": months}))
    assert wording in "\n".join(texts(document.section("revision")))


def test_supplementary_uses_the_noun_standard(document):
    supplementary = texts(document.section("supplementary"))
    assert supplementary[0].endswith("本标准由人力资源部负责解释。")
    assert supplementary[-1].endswith("本标准自2027年1月1日起施行。《客服人员岗前培训标准（2024年版）》同时废止。")


def test_a_short_yaml_builds_a_complete_standard():
    document = build(short_model())
    text = all_text(document)
    assert "以及本公司所入驻电子商务平台的相关规则" in text
    assert "合计34学时" in text
    assert "本标准自2027年3月1日起施行。" in text
    assert "在岗考核" not in text  # no KPIs by default


def test_no_retake_wording():
    document = build(short_model(assessment={"retake": {"max_retakes": 0, "after_failing_retake": "reassign"}}))
    assert "考核不合格的，不安排补考，公司可以调整其工作岗位。" in all_text(document)


def test_a_failed_retake_can_extend_the_mentoring_not_the_probation():
    document = build(short_model(assessment={"retake": {"after_failing_retake": "mentoring_extended"}}))
    assert "补考仍不合格的，公司可以延长其带教期，带教期满后再行考核。" in all_text(document)
    data = example_data()
    data["assessment"]["retake"]["after_failing_retake"] = "probation_extended"  # 劳动合同法第十九条: one probation only
    assert "mentoring_extended" in problems(data)["assessment.retake.after_failing_retake"]
