"""Building blocks shared by the in-house policies (制度, 标准, 方案).

Every policy kind (``training_regulation``, ``training_standard``,
``staffing_plan``, ``quality_plan``) is one company's document with a cover
line (:class:`DocumentInfo`), chapters of articles, and a closing chapter of
supplementary provisions.  The defaults come from the domain brief, so a
short YAML gives a complete document; every default can be overridden by
writing the field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from contractgen.models.base import CrossFieldChecks, DocumentModel, Model
from contractgen.models.common import COMMON_LABELS, GradeBand, Kpi, Module, check_grade_bands
from contractgen.types import Line, Text

SUPPORTED_LOCALES = ("zh-CN",)


class DocumentInfo(Model):
    """文件信息：封面行上的公司名称、文件编号、版本与生效日期。"""

    company: Line = Field(title="公司名称", description="营业执照上的全称，如 杭州云杉优选电子商务有限公司")
    doc_no: Line = Field(title="文件编号", description="如 YX-HR-ZD-2027-003；也用作输出文件名", max_length=64)
    version: Line = Field(default="V1.0", title="版本", description="如 V2.0")
    effective_date: dt.date = Field(title="生效日期", description="如 2027-01-01")
    issued_by: Line = Field(default="人力资源部", title="制定部门")
    approved_by: Line | None = Field(default=None, title="批准人/批准机构", description="可选，如 总经理办公会")


class PlanPeriod(Model):
    """方案实施期。"""

    start: dt.date = Field(title="开始日期", description="如 2027-01-01")
    end: dt.date = Field(title="结束日期", description="如 2027-12-31")

    @model_validator(mode="after")
    def _ordered(self) -> "PlanPeriod":
        checks = CrossFieldChecks()
        checks.require(self.start <= self.end, ("end",), f"the period ends on {self.end}, before its start {self.start}")
        checks.raise_if_any()
        return self


class Article(Model):
    """一条追加的条款：正文，可带（一）（二）分项。"""

    text: Text = Field(title="条文")
    items: list[Text] = Field(default_factory=list, title="分项", description="依次编为（一）（二）……")


class Role(Model):
    """一个培训职责主体（培训管理小组、人力资源部、客服主管、培训讲师、带教导师）及其职责。"""

    name: Line = Field(title="名称")
    members: list[Line] = Field(default_factory=list, title="组成人员", description="如 组长：客服总监")
    duties: list[Text] = Field(min_length=1, title="职责")


def _role(name: str, duties: list[str], members: list[str] | None = None) -> Role:
    return Role(name=name, duties=duties, members=members or [])


class Organisation(Model):
    """培训组织与职责。每个角色都有默认职责，写出即覆盖。"""

    group: Role = Field(
        default_factory=lambda: _role(
            "培训管理小组",
            [
                "审定年度、季度培训计划及培训预算",
                "统筹协调培训资源，监督培训计划的执行",
                "审议培训效果评估结果，决定培训体系的改进措施",
            ],
            ["组长：客服总监", "副组长：人力资源部经理", "成员：各客服组组长、专职培训师"],
        ),
        title="培训管理小组",
    )
    hr: Role = Field(
        default_factory=lambda: _role(
            "人力资源部",
            [
                "组织培训需求调查，编制培训计划并报培训管理小组审批",
                "联系内外部培训资源，安排培训场地、设备与资料",
                "组织培训考核，建立并维护员工培训档案",
                "统计培训数据，编写培训效果评估报告",
            ],
        ),
        title="人力资源部",
    )
    supervisor: Role = Field(
        default_factory=lambda: _role(
            "客服主管",
            [
                "根据客服工作中的问题提出培训需求",
                "督促本组员工按时参加培训，落实培训纪律",
                "跟踪员工培训后的在岗表现，反馈培训效果",
            ],
        ),
        title="客服主管",
    )
    trainers: Role = Field(
        default_factory=lambda: _role(
            "培训讲师",
            [
                "按培训计划开发课程，编写讲义、案例与试题",
                "按时保质完成授课，记录学员出勤与课堂表现",
                "参与培训考核与效果评估，持续改进课程内容",
            ],
        ),
        title="培训讲师",
    )
    mentors: Role | None = Field(
        default_factory=lambda: _role(
            "带教导师",
            [
                "按师徒协议对新员工进行一对一带教",
                "每周检查徒弟的接待记录并给予反馈",
                "带教期满提交带教评价，作为徒弟转正的依据之一",
            ],
        ),
        title="带教导师",
        description="实行师徒制时适用；写 null 则不设",
    )

    def roles(self) -> list[Role]:
        """The roles in the order a regulation lists them."""
        return [r for r in (self.group, self.hr, self.supervisor, self.trainers, self.mentors) if r is not None]


MethodType = Literal["internal", "external", "online", "mentoring"]

METHOD_LABELS: dict[str, str] = {
    "internal": "内部培训",
    "external": "外部培训",
    "online": "线上自学",
    "mentoring": "师徒带教",
}


class TrainingMethod(Model):
    """一种培训方式。"""

    type: MethodType = Field(
        title="方式", description="internal 内部培训；external 外部培训；online 线上自学；mentoring 师徒带教"
    )
    description: Text | None = Field(default=None, title="说明", description="不写则使用默认说明")
    providers: list[Line] = Field(
        default_factory=list, title="资源/机构", description="如 淘宝大学、千牛学习中心；可选"
    )


# How often: 每周组织一次, 每季度开展一轮 (every policy's cycles and cadences use these words).
CADENCE_LABELS: dict[str, str] = {
    "daily": "每日",
    "weekly": "每周",
    "monthly": "每月",
    "quarterly": "每季度",
    "half_yearly": "每半年",
    "annual": "每年",
}


class PlanCadence(Model):
    """培训计划的节奏：年度计划、季度计划与临时计划的触发条件。"""

    annual_plan_month: int = Field(
        default=12, ge=1, le=12, title="年度计划编制月份", description="每年此月底前编制下一年度培训计划"
    )
    annual_approver: Line = Field(default="总经理", title="年度计划审批人")
    quarterly: bool = Field(default=True, title="编制季度计划")
    ad_hoc_triggers: list[Text] = Field(
        default_factory=lambda: ["平台规则发生重大变更", "新品上线或大促活动前", "客户投诉量短期内明显上升"],
        title="临时培训的触发条件",
    )


AssessmentMethod = Literal["written_test", "practical", "case_analysis", "role_play", "spot_check"]

ASSESSMENT_LABELS: dict[str, str] = {
    "written_test": "笔试",
    "practical": "实操考核",
    "case_analysis": "案例分析",
    "role_play": "情景模拟",
    "spot_check": "聊天记录抽检",
}


def _default_grades() -> list[GradeBand]:
    return [
        GradeBand(name="优秀", min_score=90, max_score=100),
        GradeBand(name="良好", min_score=80, max_score=89),
        GradeBand(name="合格", min_score=60, max_score=79),
        GradeBand(name="不合格", min_score=0, max_score=59),
    ]


# Not "extend the probation": an employer may agree only one probation period with an employee
# (劳动合同法第十九条), so a failed retake extends the mentoring instead.
RetakeOutcome = Literal["retrain", "reassign", "mentoring_extended"]


class Retake(Model):
    """不合格后的补考或重新培训。"""

    within_days: int = Field(default=15, ge=1, le=180, title="补考期限（日）")
    max_retakes: int = Field(default=1, ge=0, le=5, title="补考次数")
    after_failing_retake: RetakeOutcome = Field(
        default="retrain",
        title="补考仍不合格的处理",
        description="retrain 重新参加培训；reassign 调整岗位；mentoring_extended 延长带教期",
    )


class Assessment(Model):
    """培训考核：方式、成绩等级（分数段覆盖 0–100）、学分与补考。"""

    methods: list[AssessmentMethod] = Field(
        default_factory=lambda: ["written_test", "practical", "case_analysis"],
        min_length=1,
        title="考核方式",
        description="written_test 笔试；practical 实操；case_analysis 案例分析；role_play 情景模拟；spot_check 聊天记录抽检",
    )
    grades: list[GradeBand] = Field(
        default_factory=_default_grades, min_length=2, title="成绩等级", description="分数段须覆盖 0–100，不重不漏"
    )
    pass_grade: Line = Field(default="合格", title="合格等级", description="此等级及以上为合格")
    credits_per_course: Decimal = Field(
        default=Decimal(1), gt=0, le=100, decimal_places=1, title="每门课程合格可得学分"
    )
    annual_credits_required: Decimal | None = Field(
        default=Decimal(12), ge=0, le=1000, decimal_places=1, title="每年应修学分", description="可选"
    )
    retake: Retake = Field(default_factory=Retake, title="补考规则")

    @model_validator(mode="after")
    def _grades_cover_scores(self) -> "Assessment":
        checks = CrossFieldChecks()
        check_grade_bands(self.grades, checks, ("grades",))
        names = [g.name for g in self.grades]
        checks.require(self.pass_grade in names, ("pass_grade",), f"{self.pass_grade!r} is not one of the grades: {', '.join(names)}")
        checks.raise_if_any()
        return self

    def passing_grades(self) -> list[GradeBand]:
        """The pass grade and every grade above it, best first."""
        threshold = next(g.min_score for g in self.grades if g.name == self.pass_grade)
        return sorted((g for g in self.grades if g.min_score >= threshold), key=lambda g: -g.min_score)

    def failing_grades(self) -> list[GradeBand]:
        threshold = next(g.min_score for g in self.grades if g.name == self.pass_grade)
        return sorted((g for g in self.grades if g.min_score < threshold), key=lambda g: -g.min_score)


class RecordsPolicy(Model):
    """培训档案：记录什么、何时更新、谁可以查阅。"""

    keeper: Line = Field(default="人力资源部", title="档案管理部门")
    contents: list[Line] = Field(
        default_factory=lambda: ["培训课程", "培训日期", "培训讲师", "考核成绩", "培训心得"],
        min_length=1,
        title="档案内容",
    )
    update_days: int = Field(default=5, ge=1, le=60, title="培训结束后更新期限（工作日）")
    self_access: bool = Field(default=True, title="员工可查阅本人档案")
    others_approval: Line = Field(default="人力资源总监", title="查阅他人档案的审批人")
    retention_years: int = Field(default=3, ge=1, le=30, title="离职后档案保存年限")


class Incentives(Model):
    """激励与约束。"""

    rewards: list[Text] = Field(
        default_factory=lambda: [
            "考核成绩优秀者，颁发培训优秀证书，并给予一次性奖励",
            "年度培训学分排名前列者，在评优评先和晋升时优先考虑",
            "担任内部讲师或带教导师表现突出者，给予课酬或带教津贴",
        ],
        title="奖励措施",
    )
    sanctions: list[Text] = Field(
        default_factory=lambda: [
            "无故缺席培训的，按旷工处理",
            "考核不合格且补考仍不合格的，暂停晋升资格",
            "年度学分未达要求的，年度绩效考核不得评为优秀",
        ],
        title="约束措施",
    )


class Supplementary(Model):
    """附则：解释部门、施行日期、替代的旧文件。"""

    interpreter: Line = Field(default="人力资源部", title="解释部门")
    replaces: Line | None = Field(
        default=None, title="同时废止的文件", description="可选，如 《客服培训管理办法（2024年版）》"
    )
    extra: list[Text] = Field(default_factory=list, title="其他附则")


POLICY_LABELS: dict[str, dict[str, str]] = COMMON_LABELS | {
    "assessment": ASSESSMENT_LABELS,
    "method": METHOD_LABELS,
    "cadence": CADENCE_LABELS,
}
"""The label tables every policy kind's templates see."""


class PolicyDocument(DocumentModel):
    """What every policy kind has: language, cover line information and extra articles.

    A kind's model subclasses this, adds ``kind: Literal[...]``, a default
    ``title`` and its chapters, and types ``extra_articles`` as a mapping
    from a ``Literal`` of its chapter keys to lists of :class:`Article`
    (appended at the end of that chapter, numbered on with the rest).  Its
    ``labels`` extend :data:`POLICY_LABELS` with the kind's own tables.
    """

    locale: Literal["zh-CN"] = Field(default="zh-CN", title="语言区域")
    info: DocumentInfo = Field(title="文件信息")

    labels = POLICY_LABELS


__all__ = [
    "ASSESSMENT_LABELS",
    "Article",
    "Assessment",
    "CADENCE_LABELS",
    "DocumentInfo",
    "GradeBand",
    "Incentives",
    "Kpi",
    "METHOD_LABELS",
    "Module",
    "Organisation",
    "POLICY_LABELS",
    "PolicyDocument",
    "PlanCadence",
    "PlanPeriod",
    "RecordsPolicy",
    "Retake",
    "RetakeOutcome",
    "Role",
    "SUPPORTED_LOCALES",
    "Supplementary",
    "TrainingMethod",
]
