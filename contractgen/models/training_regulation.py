"""客服培训管理制度 (in-house training regulation): the data its chapters say.

Every chapter has defaults taken from the domain brief (§2), so a YAML with
``kind`` and ``info`` alone gives a complete regulation; any field written in
the YAML replaces its default.  ``content.modules`` and ``evaluation.kpis``
use the same :class:`Module` and :class:`Kpi` as the training agreement, so
one data file can feed both.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from contractgen.models.base import CrossFieldChecks, Model, check_unique
from contractgen.models.common import Kpi, Module, practice_hours, total_hours
from contractgen.models.policy import (
    METHOD_LABELS,
    POLICY_LABELS,
    Article,
    Assessment,
    Incentives,
    Organisation,
    PlanCadence,
    PolicyDocument,
    RecordsPolicy,
    Role,
    Supplementary,
    TrainingMethod,
)
from contractgen.types import Hours, Line, Text

ChapterKey = Literal[
    "general",
    "organisation",
    "needs",
    "planning",
    "content",
    "methods",
    "implementation",
    "evaluation",
    "records",
    "incentives",
    "supplementary",
]

Cadence = Literal["weekly", "monthly", "quarterly", "half_yearly", "annual"]
CADENCE_DESCRIPTION = "weekly 每周；monthly 每月；quarterly 每季度；half_yearly 每半年；annual 每年"


class Principle(Model):
    """一项培训原则：名称与释义。"""

    name: Line = Field(title="原则名称", description="如 实用性原则")
    text: Text = Field(title="释义")


def _default_principles() -> list[Principle]:
    return [
        Principle(
            name="实用性原则",
            text="培训内容紧密结合客服岗位的实际工作，以解决接待、售后和投诉处理中的实际问题为导向，做到学以致用",
        ),
        Principle(
            name="系统性原则",
            text="培训贯穿员工入职、在岗和晋升的各个阶段，需求分析、计划、实施、考核与评估环环相扣，形成完整体系",
        ),
        Principle(
            name="持续性原则",
            text="培训常态化开展，并随平台规则、商品和客户需求的变化及时更新，促进员工能力持续提升",
        ),
    ]


class General(Model):
    """总则：目的、依据、适用范围与原则。"""

    purpose: Text = Field(
        default="规范客服人员培训管理，提升客服人员的专业知识、服务技能和职业素养，提高客户满意度，降低客户投诉率",
        title="制定目的",
        description="写在“为……，制定本制度”中间的一句话，不必以“为”开头",
    )
    basis: list[Line] = Field(
        default_factory=lambda: ["《中华人民共和国劳动法》", "《中华人民共和国劳动合同法》"],
        title="制定依据",
        description="法律法规名称，带书名号；写 [] 则只写“根据公司有关规定”",
    )
    department: Line = Field(default="客服部", title="适用部门")
    platforms: list[Line] = Field(
        default_factory=list, title="经营平台", description="如 淘宝、天猫；不写则称“各电商平台”"
    )
    roles: list[Line] = Field(
        default_factory=lambda: ["售前客服", "售后客服", "客服组长", "客服主管"],
        min_length=1,
        title="适用岗位",
    )
    also_applies_to: list[Line] = Field(
        default_factory=lambda: ["实习生", "外包客服人员"],
        title="参照执行的人员",
        description="如 实习生、外包客服人员；写 [] 则不写",
    )
    principles: list[Principle] = Field(
        default_factory=_default_principles, min_length=1, title="培训原则", description="默认：实用性、系统性、持续性"
    )


SurveyMethod = Literal["questionnaire", "interview", "focus_group", "chat_review"]
SURVEY_LABELS: dict[str, str] = {
    "questionnaire": "问卷调查",
    "interview": "个别访谈",
    "focus_group": "座谈会",
    "chat_review": "聊天记录抽查",
}


class Needs(Model):
    """培训需求分析：定期调查、实时反馈与数据分析。"""

    survey_cadence: Cadence = Field(
        default="quarterly", title="需求调查周期", description=CADENCE_DESCRIPTION
    )
    survey_methods: list[SurveyMethod] = Field(
        default_factory=lambda: ["questionnaire", "interview"],
        min_length=1,
        title="调查方式",
        description="questionnaire 问卷调查；interview 个别访谈；focus_group 座谈会；chat_review 聊天记录抽查",
    )
    feedback_channels: list[Line] = Field(
        default_factory=lambda: ["内部办公平台的培训需求反馈群", "培训需求在线登记表"],
        min_length=1,
        title="实时反馈渠道",
    )
    analysis_cadence: Cadence = Field(
        default="monthly", title="服务数据分析周期", description=CADENCE_DESCRIPTION
    )
    metrics: list[Line] = Field(
        default_factory=lambda: ["客户投诉率", "平均响应时间", "问题解决率", "客户满意度"],
        min_length=1,
        title="分析的服务指标",
    )
    report_days: int = Field(
        default=10, ge=1, le=60, title="需求分析报告期限（工作日）", description="需求调查结束后多少个工作日内形成报告"
    )


def _default_modules() -> list[Module]:
    return [
        Module(
            name="平台规则",
            hours=Decimal(6),
            topics=["平台交易、发货、退换货及售后服务规则", "违规行为类型、处罚标准与申诉流程"],
        ),
        Module(
            name="产品知识",
            hours=Decimal(8),
            practice_hours=Decimal(2),
            topics=["店铺在售商品的功能、参数、卖点与使用方法", "常见质量问题的判断与处理"],
        ),
        Module(
            name="沟通技巧",
            hours=Decimal(6),
            practice_hours=Decimal(3),
            topics=["服务礼仪、规范用语与禁用语", "客户需求挖掘、商品推荐与催付话术"],
        ),
        Module(
            name="投诉处理",
            hours=Decimal(6),
            practice_hours=Decimal(3),
            topics=["投诉分级、处理流程与时限", "退款纠纷及平台介入的应对", "情绪激动客户的安抚技巧"],
        ),
        Module(
            name="服务意识与职业道德",
            hours=Decimal(4),
            topics=["以客户为中心的服务理念", "职业道德、保密义务与客户个人信息保护"],
        ),
    ]


class Content(Model):
    """培训内容：模块（与培训委托协议书共用同一模型）及学时要求。"""

    modules: list[Module] = Field(
        default_factory=_default_modules,
        min_length=1,
        title="培训模块",
        description="默认：平台规则、产品知识、沟通技巧、投诉处理、服务意识与职业道德",
    )
    new_hire_hours: Hours | None = Field(
        default=Decimal(40),
        title="岗前培训学时",
        description="新员工上岗前应完成的最少学时，不得少于全部模块学时之和；写 null 则不写",
    )
    annual_hours_min: Hours | None = Field(
        default=Decimal(24), title="在岗员工年度最低学时", description="写 null 则不写"
    )

    @model_validator(mode="after")
    def _consistent(self) -> "Content":
        checks = CrossFieldChecks()
        check_unique(self.modules, "name", ("modules",), checks, "module")
        if self.new_hire_hours is not None:
            checks.require(
                self.new_hire_hours >= self.total_hours,
                ("new_hire_hours",),
                f"new hires must complete every module: {_hours(self.new_hire_hours)} hours is less than "
                f"the modules' {_hours(self.total_hours)} hours",
            )
        checks.raise_if_any()
        return self

    @property
    def total_hours(self) -> Decimal:
        return total_hours(self.modules)

    @property
    def practice_hours(self) -> Decimal:
        return practice_hours(self.modules)


def _hours(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _default_methods() -> list[TrainingMethod]:
    return [TrainingMethod(type=t) for t in METHOD_LABELS]  # type: ignore[arg-type]


def _default_discipline() -> list[Text]:
    return [
        "按时参加培训，不得无故迟到、早退或中途离场",
        "培训期间将手机调至静音，不得处理与培训无关的事务",
        "认真听讲、做好笔记，积极参与案例讨论和情景演练",
        "线上培训须全程开启摄像头，不得挂机或由他人代学",
        "爱护培训场地和设备，保守培训中涉及的商业秘密和客户信息",
    ]


# What the regulation says happens after a failed retake (Retake.after_failing_retake).
RETAKE_OUTCOME_LABELS: dict[str, str] = {
    "retrain": "须重新参加该课程的培训并再次考核",
    "reassign": "公司可根据其岗位胜任情况，依法调整其工作岗位",
    "mentoring_extended": "由带教导师延长带教期并继续辅导，带教期满后再次考核",
}


class Implementation(Model):
    """培训实施：通知、签到与请假、课堂纪律、考核。"""

    notice_days: int = Field(default=3, ge=1, le=30, title="培训通知提前期（工作日）")
    notice_channels: list[Line] = Field(
        default_factory=lambda: ["内部办公平台", "客服工作群"], min_length=1, title="通知渠道"
    )
    sign_in: Line = Field(
        default="现场签到或线上打卡", title="签到方式", description="如 现场签到或线上打卡"
    )
    late_minutes: int = Field(
        default=15, ge=1, le=120, title="按缺勤处理的迟到、早退时长（分钟）"
    )
    leave_approver: Line = Field(default="客服主管", title="培训请假审批人")
    leave_notice_days: int = Field(default=1, ge=0, le=10, title="请假提前期（工作日）", description="0 表示当日请假")
    makeup_days: int = Field(default=7, ge=1, le=60, title="补课期限（日）", description="请假缺课后多少日内补课")
    discipline: list[Text] = Field(default_factory=_default_discipline, min_length=1, title="培训纪律")
    assessment: Assessment = Field(default_factory=Assessment, title="培训考核")


def _default_kpis() -> list[Kpi]:
    return [
        Kpi(name="首次响应时间", unit="秒", target=Decimal(30), direction="lower"),
        Kpi(name="客户满意度", unit="分", target=Decimal("4.8"), direction="higher"),
        Kpi(name="问题解决率", unit="%", target=Decimal(95), direction="higher"),
        Kpi(name="客户投诉率", unit="%", target=Decimal("1.5"), direction="lower"),
    ]


class Evaluation(Model):
    """培训效果评估：学员反馈、在岗表现（指标与协议书共用）与跟踪评估。"""

    feedback_days: int = Field(default=3, ge=1, le=30, title="学员反馈期限（日）", description="培训结束后多少日内填写反馈表")
    feedback_items: list[Line] = Field(
        default_factory=lambda: ["课程内容", "讲师授课", "培训组织", "个人收获"],
        min_length=1,
        title="反馈评价项目",
    )
    course_score_min: int | None = Field(
        default=80, ge=1, le=100, title="课程满意度整改线（百分制）", description="低于此分的课程须整改；写 null 则不写"
    )
    kpis: list[Kpi] = Field(
        default_factory=_default_kpis,
        title="在岗绩效指标",
        description="与培训委托协议书的 evaluation.kpis 同一结构；lower 写作“不超过”，higher 写作“不低于”",
    )
    data_source: Line = Field(default="客服工作台及电商平台后台的统计数据", title="指标数据来源")
    follow_up_days: int = Field(default=90, ge=7, le=730, title="跟踪期（日）", description="培训结束后跟踪效果的天数")
    report_days: int = Field(default=10, ge=1, le=60, title="评估报告期限（工作日）", description="跟踪期满后多少个工作日内提交评估报告")

    @model_validator(mode="after")
    def _unique_kpis(self) -> "Evaluation":
        checks = CrossFieldChecks()
        check_unique(self.kpis, "name", ("kpis",), checks, "KPI")
        checks.raise_if_any()
        return self


def _check_unique_methods(checks: CrossFieldChecks, methods: list[TrainingMethod]) -> None:
    check_unique(methods, "type", ("methods",), checks, "method")


def _check_mentors(checks: CrossFieldChecks, methods: list[TrainingMethod], organisation: Organisation) -> None:
    mentoring = any(m.type == "mentoring" for m in methods)
    if mentoring and organisation.mentors is None:
        checks.fail(
            ("organisation", "mentors"),
            "methods include mentoring (师徒带教), so the mentors' duties are needed: remove 'mentors: null'",
        )
    elif not mentoring and organisation.mentors is not None and "mentors" in organisation.model_fields_set:
        checks.fail(
            ("organisation", "mentors"),
            "mentors are described but methods have no mentoring: add {type: mentoring} to methods or remove mentors",
        )


class TrainingRegulation(PolicyDocument):
    """客服培训管理制度。"""

    kind: Literal["training_regulation"] = Field(title="文书类型")
    title: Line = Field(default="客服培训管理制度", title="标题")
    general: General = Field(default_factory=General, title="总则")
    organisation: Organisation = Field(default_factory=Organisation, title="培训组织与职责")
    needs: Needs = Field(default_factory=Needs, title="培训需求分析")
    planning: PlanCadence = Field(default_factory=PlanCadence, title="培训计划")
    content: Content = Field(default_factory=Content, title="培训内容")
    methods: list[TrainingMethod] = Field(
        default_factory=_default_methods,
        min_length=1,
        title="培训方式",
        description="默认四种：internal 内部培训、external 外部培训、online 线上自学、mentoring 师徒带教；每种只写一次",
    )
    implementation: Implementation = Field(default_factory=Implementation, title="培训实施")
    evaluation: Evaluation = Field(default_factory=Evaluation, title="培训效果评估")
    records: RecordsPolicy = Field(default_factory=RecordsPolicy, title="培训档案管理")
    incentives: Incentives = Field(default_factory=Incentives, title="激励与约束")
    supplementary: Supplementary = Field(default_factory=Supplementary, title="附则")
    extra_articles: dict[ChapterKey, list[Article]] = Field(
        default_factory=dict,
        title="追加条款",
        description="键为章的键名（general、organisation、needs、planning、content、methods、implementation、"
        "evaluation、records、incentives、supplementary），条款依次排在该章末尾并连续编号",
    )

    cross_checks = (
        (_check_unique_methods, ("methods",)),
        (_check_mentors, ("methods", "organisation")),
    )
    labels = POLICY_LABELS | {"survey": SURVEY_LABELS, "retake_outcome": RETAKE_OUTCOME_LABELS}

    def method(self, type_: str) -> TrainingMethod | None:
        return next((m for m in self.methods if m.type == type_), None)

    def roles(self) -> list[Role]:
        """The organisation's roles; the mentors only where mentoring is a training method."""
        mentoring = self.method("mentoring") is not None
        return [r for r in self.organisation.roles() if mentoring or r is not self.organisation.mentors]
