"""客户服务岗位培训标准 (position training standard): the data the standard says.

Chapters (domain brief §3): 总则, 培训目标 (职业素养/知识/技能), 培训内容与要求
(one topic per subject, each with its requirements), 培训考核, 标准的修订, 附则.
Every chapter has defaults, so ``kind`` + ``info`` alone give a complete standard.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, field_validator, model_validator

from contractgen.models.base import CrossFieldChecks, Model, check_unique
from contractgen.models.policy import (
    ASSESSMENT_LABELS,
    POLICY_LABELS,
    Article,
    Assessment,
    AssessmentMethod,
    Kpi,
    PolicyDocument,
    Supplementary,
)
from contractgen.types import Hours, Line, Text

ChapterKey = Literal["general", "objectives", "content", "assessment", "revision", "supplementary"]
Category = Literal["conduct", "knowledge", "skills"]

CATEGORY_LABELS: dict[str, str] = {"conduct": "职业素养", "knowledge": "知识", "skills": "技能"}

_TRAILING_PUNCTUATION = "。；;，,.、 "


# ── 总则 ────────────────────────────────────────────────────────────────


class Position(Model):
    """一个适用岗位：名称与岗位职责。"""

    name: Line = Field(title="岗位名称", description="如 售前客服、售后客服、客服组长")
    duties: Text | None = Field(default=None, title="岗位职责", description="可选，一句话概括，如 负责售前咨询接待与商品推荐")


def _default_positions() -> list[Position]:
    return [
        Position(name="售前客服", duties="负责售前咨询接待、商品介绍与推荐、订单促成与催付"),
        Position(name="售后客服", duties="负责物流查询、退换货及退款处理、中差评回访与投诉处理"),
        Position(name="客服组长", duties="负责客服班组的排班与日常管理、服务质量抽检及疑难问题处理"),
    ]


class General(Model):
    """总则：目的、依据、适用范围与原则。"""

    purpose: Text = Field(
        default="规范客户服务岗位培训工作，明确客户服务人员应当具备的职业素养、知识和技能，提升客户服务质量和顾客满意度",
        title="制定目的",
        description="接在“为”之后、“根据……制定本标准”之前的一句话，不写句末标点",
    )
    basis: list[Line] = Field(
        default_factory=lambda: [
            "《中华人民共和国消费者权益保护法》",
            "《中华人民共和国电子商务法》",
            "《中华人民共和国个人信息保护法》",
        ],
        min_length=1,
        title="制定依据",
        description="本标准所依据的法律法规及规章，写明书名号，如 《中华人民共和国电子商务法》",
    )
    platforms: list[Line] = Field(
        default_factory=list,
        title="经营平台",
        description="如 淘宝、天猫；写出后依据条款写明“××平台的相关规则”，不写则泛称“本公司所入驻电子商务平台的相关规则”",
    )
    positions: list[Position] = Field(
        default_factory=_default_positions, min_length=1, title="适用岗位", description="默认 售前客服、售后客服、客服组长"
    )
    also_applies_to: Text | None = Field(
        default="试用期员工、实习人员及外包客服人员",
        title="参照执行人员",
        description="参照本标准执行的其他人员；写 null 则不设",
    )
    principles: list[Text] = Field(
        default_factory=lambda: [
            "按需施教、学以致用：培训内容紧扣客服岗位实际工作和真实案例",
            "分岗分级：按售前、售后和管理岗位的不同职责确定培训重点",
            "理论与实操并重：课堂讲授与情景演练、跟岗实习相结合",
            "持续改进：定期评估培训效果，根据平台规则和业务变化及时更新培训内容",
        ],
        min_length=1,
        title="培训原则",
    )

    @field_validator("purpose")
    @classmethod
    def _no_trailing_punctuation(cls, value: str) -> str:
        return value.rstrip(_TRAILING_PUNCTUATION) or value

    @model_validator(mode="after")
    def _unique_positions(self) -> General:
        checks = CrossFieldChecks()
        check_unique(self.positions, "name", ("positions",), checks, "position")
        checks.raise_if_any()
        return self

    def position_names(self) -> list[str]:
        return [p.name for p in self.positions]


# ── 培训目标 ────────────────────────────────────────────────────────────


class Objectives(Model):
    """培训目标，分职业素养、知识、技能三类，每类至少一条。"""

    conduct: list[Text] = Field(
        default_factory=lambda: [
            "树立“以客户为中心”的服务意识，诚实守信，不欺骗、误导消费者",
            "遵守公司规章制度和平台规则，严守商业秘密，依法保护客户个人信息",
            "保持积极、耐心、礼貌的服务态度，能够管理自身情绪，承受一定的工作压力",
            "具有团队协作精神和责任意识，对客户问题主动跟进直至解决",
        ],
        min_length=1,
        title="职业素养目标",
    )
    knowledge: list[Text] = Field(
        default_factory=lambda: [
            "了解公司发展历程、组织架构、经营品类及电子商务行业的基本情况",
            "熟练掌握店铺在售商品的功能、规格参数、使用方法、售后政策及常见问题",
            "熟悉所入驻平台的交易、物流、售后、评价及违规处理规则",
            "掌握消费者权益保护、电子商务、个人信息保护等法律法规中与客服工作相关的规定",
        ],
        min_length=1,
        title="知识目标",
    )
    skills: list[Text] = Field(
        default_factory=lambda: [
            "熟练使用客服工作台及订单、物流、工单等业务系统",
            "能够准确识别客户需求，运用规范话术解答咨询、推荐商品并促成交易",
            "能够按流程处理退换货、退款、补发及投诉，有效化解客户纠纷",
            "能够在规定时限内响应客户，文字表达准确、简洁、无错别字",
        ],
        min_length=1,
        title="技能目标",
    )

    def groups(self) -> list[tuple[str, str, list[str]]]:
        """(key, label, objectives) in the order the standard lists them."""
        return [(key, CATEGORY_LABELS[key], getattr(self, key)) for key in CATEGORY_LABELS]


# ── 培训内容与要求 ──────────────────────────────────────────────────────


class Topic(Model):
    """一项培训内容：名称、类别、具体要求，以及可选的学时、考核方式与适用岗位。"""

    name: Line = Field(title="培训内容", description="如 服务礼仪、产品知识；同一标准内不得重复")
    category: Category = Field(
        title="类别", description="conduct 职业素养类；knowledge 知识类；skills 技能类（对应三类培训目标）"
    )
    requirements: list[Text] = Field(min_length=1, title="培训要求", description="每条一项具体要求")
    hours: Hours | None = Field(default=None, title="学时", description="可选，可写 1.5")
    assessment: list[AssessmentMethod] = Field(
        default_factory=list,
        title="考核方式",
        description="可选；须为 assessment.methods 中的方式：written_test 笔试；practical 实操；case_analysis 案例分析；role_play 情景模拟；spot_check 聊天记录抽检",
    )
    positions: list[Line] = Field(
        default_factory=list,
        title="适用岗位",
        description="可选；不写则适用于全部岗位，写出的须为 general.positions 中的岗位名称",
    )

    def assessment_text(self) -> str:
        return "、".join(ASSESSMENT_LABELS[m] for m in self.assessment)


def _topic(
    name: str, category: Category, hours: str, assessment: list[AssessmentMethod], requirements: list[str]
) -> Topic:
    return Topic(name=name, category=category, hours=Decimal(hours), assessment=assessment, requirements=requirements)


def _default_topics() -> list[Topic]:
    return [
        _topic("职业道德与行为规范", "conduct", "2", ["written_test"], [
            "如实介绍商品信息，不作虚假或者引人误解的宣传，不夸大商品功效",
            "不得以返现、赠品等方式诱导客户给予好评，不得私下与客户交易或者索取、收受财物",
            "遵守考勤、排班与交接班制度，工作时间不得擅离岗位或者长时间不回复客户",
            "不得辱骂、讽刺、威胁客户，不得发表损害公司和平台声誉的言论",
        ]),
        _topic("服务礼仪", "conduct", "3", ["role_play"], [
            "掌握在线服务规范用语和禁用语，表达礼貌、亲切、专业",
            "接待时使用统一问候语，结束服务时致谢并主动询问客户是否还有其他需要",
            "不使用生硬、推诿或者含糊其辞的用语，恰当使用表情符号",
            "电话回访时先自报家门、说明来意，语速适中，吐字清晰",
        ]),
        _topic("保密要求", "conduct", "2", ["written_test"], [
            "严格保守公司经营数据、商品成本、营销计划等商业秘密",
            "客户的姓名、电话、收货地址、订单及聊天记录等个人信息，只在处理订单和售后所必需的范围内查询和使用",
            "不得截图、拍照、导出或者向他人提供客户信息，不得在私人设备或者社交软件中留存客户信息",
            "核实客户身份后方可告知或者修改订单信息，发现信息泄露风险立即报告",
        ]),
        _topic("情绪管理", "conduct", "2", ["role_play"], [
            "了解客服工作压力的来源，掌握自我调节和压力疏导的基本方法",
            "面对客户抱怨、指责时保持冷静克制，不与客户争执",
            "能够识别客户情绪，运用同理心表达安抚客户",
            "遇到无法独立化解的冲突，按规定及时升级至组长处理",
        ]),
        _topic("公司与行业知识", "knowledge", "2", ["written_test"], [
            "了解公司发展历程、企业文化、组织架构及各部门职责",
            "了解店铺定位、主营品类、品牌特点及主要竞争对手情况",
            "了解电子商务行业发展趋势及“618”“双十一”等大促活动的运营特点",
        ]),
        _topic("产品知识", "knowledge", "6", ["written_test", "practical"], [
            "掌握在售商品的功能、规格参数、材质、使用及保养方法",
            "掌握商品卖点、适用人群及搭配推荐",
            "掌握保修期限、退换货政策，能够对常见故障作出初步判断",
            "新品上线前完成该商品的专项学习",
        ]),
        _topic("平台规则", "knowledge", "4", ["written_test", "case_analysis"], [
            "熟悉所入驻平台的交易、发货、物流、退款售后及评价规则",
            "熟悉七天无理由退货、价格保护、运费险等消费者保障规则",
            "了解违规行为类型、处罚规则及申诉流程，避免因客服操作不当导致店铺受罚",
            "平台规则调整后及时学习更新",
        ]),
        _topic("法律法规", "knowledge", "3", ["written_test", "case_analysis"], [
            "掌握《中华人民共和国消费者权益保护法》关于消费者知情权、自主选择权和无理由退货等规定",
            "掌握《中华人民共和国电子商务法》关于商品信息披露、搭售提示、不得删除消费者评价等规定",
            "掌握《中华人民共和国个人信息保护法》关于个人信息处理规则和个人信息安全的规定",
            "了解《中华人民共和国广告法》关于禁止使用“国家级”“最高级”“最佳”等用语的规定",
        ]),
        _topic("沟通与销售技巧", "skills", "4", ["role_play"], [
            "运用提问和倾听准确识别客户需求",
            "根据客户需求推荐合适的商品，准确介绍优惠活动，促成下单",
            "掌握催付、关联推荐等话术，提高询单转化率",
        ]),
        _topic("售后与投诉处理", "skills", "4", ["case_analysis", "role_play"], [
            "熟悉退货、换货、退款、补发等售后流程及处理时限",
            "按照“倾听—致歉—核实—解决—回访”的步骤处理投诉",
            "掌握中差评回访及平台介入纠纷的应对方法",
            "发现重大投诉或者舆情风险及时上报",
        ]),
        _topic("客服系统操作", "skills", "2", ["practical"], [
            "熟练使用客服工作台、订单管理、物流查询和工单系统",
            "会设置和使用快捷短语、自动回复，能够同时接待多位客户",
            "准确录入和流转售后工单，做到信息完整、交接清楚",
        ]),
    ]


class Content(Model):
    """培训内容与要求：各项培训内容（名称不得重复）、岗前培训期与培训教材。"""

    topics: list[Topic] = Field(
        default_factory=_default_topics,
        min_length=1,
        title="培训内容",
        description="每项一个培训主题；默认涵盖职业道德与行为规范、服务礼仪、保密要求、情绪管理、公司与行业知识、产品知识、平台规则、法律法规、沟通与销售技巧、售后与投诉处理、客服系统操作",
    )
    induction_days: int | None = Field(
        default=7, ge=1, le=90, title="岗前培训期（工作日）", description="新入职人员集中培训及跟岗实习的时间；写 null 则不规定"
    )
    materials: list[Line] = Field(
        default_factory=lambda: ["客服岗位培训手册", "商品知识库", "平台规则汇编", "典型案例集"],
        title="培训教材",
        description="不加书名号，如 客服岗位培训手册",
    )

    @field_validator("materials")
    @classmethod
    def _strip_title_marks(cls, value: list[str]) -> list[str]:
        return [m.strip().removeprefix("《").removesuffix("》") or m for m in value]

    @model_validator(mode="after")
    def _unique_topics(self) -> Content:
        checks = CrossFieldChecks()
        check_unique(self.topics, "name", ("topics",), checks, "topic")
        checks.raise_if_any()
        return self

    def topics_in(self, category: str) -> list[Topic]:
        return [t for t in self.topics if t.category == category]

    def categories(self) -> list[tuple[str, str, list[Topic]]]:
        """(key, label, topics) for each category that has topics, in the standard's order."""
        return [(key, label, self.topics_in(key)) for key, label in CATEGORY_LABELS.items() if self.topics_in(key)]

    @property
    def total_hours(self) -> Decimal | None:
        """The sum of the topics' hours, or None when any topic has none."""
        if any(t.hours is None for t in self.topics):
            return None
        return sum((t.hours for t in self.topics if t.hours is not None), Decimal(0))


# ── 培训考核 ────────────────────────────────────────────────────────────


# When the on-duty KPIs are assessed (StandardAssessment.kpi_period).
KPI_PERIOD_LABELS: dict[str, str] = {"monthly": "按月", "quarterly": "按季度"}

# What the standard says happens after a failed retake (Retake.after_failing_retake).
RETAKE_OUTCOME_LABELS: dict[str, str] = {
    "retrain": "应当重新参加该项培训",
    "reassign": "公司可以调整其工作岗位",
    "mentoring_extended": "公司可以延长其带教期，带教期满后再行考核",
}


class StandardAssessment(Assessment):
    """培训考核：共用的考核方式、等级、学分与补考，加上岗条件、在岗考核指标与结果运用。"""

    methods: list[AssessmentMethod] = Field(
        default_factory=lambda: ["written_test", "practical", "case_analysis", "role_play", "spot_check"],
        min_length=1,
        title="考核方式",
        description="written_test 笔试；practical 实操；case_analysis 案例分析；role_play 情景模拟；spot_check 聊天记录抽检",
    )
    pass_before_duty: bool = Field(
        default=True, title="考核合格方可上岗", description="true：新入职人员岗前培训考核合格后方可独立上岗"
    )
    kpis: list[Kpi] = Field(
        default_factory=list,
        title="在岗考核指标",
        description="可选，如 首次响应时间不超过 30 秒；direction 为 lower 时写“不超过”，higher 时写“不低于”",
    )
    kpi_period: Literal["monthly", "quarterly"] = Field(
        default="monthly", title="在岗考核周期", description="monthly 按月；quarterly 按季度"
    )
    results_use: list[Text] = Field(
        default_factory=lambda: ["员工转正", "评优评先", "岗位晋升", "绩效工资核定"],
        min_length=1,
        title="考核结果运用",
        description="考核结果作为哪些事项的依据",
    )

    @model_validator(mode="after")
    def _unique_kpis(self) -> StandardAssessment:
        checks = CrossFieldChecks()
        check_unique(self.kpis, "name", ("kpis",), checks, "KPI")
        checks.raise_if_any()
        return self


# ── 标准的修订 ──────────────────────────────────────────────────────────


class Revision(Model):
    """标准的修订：复审周期、修订情形、提出与批准。"""

    cycle_months: int = Field(default=12, ge=1, le=60, title="复审周期（月）", description="如 12 即每年复审一次")
    triggers: list[Text] = Field(
        default_factory=lambda: [
            "所入驻电子商务平台的规则发生重大调整",
            "国家出台或者修订与客户服务相关的法律法规",
            "公司组织架构、客服岗位设置或者主营商品发生重大变化",
            "培训效果评估表明本标准已不能满足岗位要求",
        ],
        min_length=1,
        title="修订情形",
        description="出现其中任一情形即应及时修订",
    )
    start_within_days: int = Field(default=30, ge=1, le=180, title="启动修订期限（日）", description="修订情形出现后多少日内启动修订")
    proposer: Line = Field(default="人力资源部会同客服部", title="修订提出部门")
    approver: Line = Field(default="总经理", title="修订批准人")


# ── 章与章之间的检查 ────────────────────────────────────────────────────


def _check_topic_positions(checks: CrossFieldChecks, general: General, content: Content) -> None:
    known = general.position_names()
    for index, topic in enumerate(content.topics):
        for position_index, position in enumerate(topic.positions):
            checks.require(
                position in known,
                ("content", "topics", index, "positions", position_index),
                f"{position!r} is not a position of general.positions ({'、'.join(known)})",
            )


def _check_topic_assessment(checks: CrossFieldChecks, content: Content, assessment: StandardAssessment) -> None:
    allowed = assessment.methods
    for index, topic in enumerate(content.topics):
        for method_index, method in enumerate(topic.assessment):
            checks.require(
                method in allowed,
                ("content", "topics", index, "assessment", method_index),
                f"{method!r} is not one of assessment.methods ({', '.join(allowed)})",
            )


def _check_every_category_taught(checks: CrossFieldChecks, content: Content) -> None:
    for key, label in CATEGORY_LABELS.items():
        checks.require(
            bool(content.topics_in(key)),
            ("content", "topics"),
            f"no topic has category {key!r}: the {label} objectives would have no training content",
        )


# ── 标准 ────────────────────────────────────────────────────────────────


class TrainingStandard(PolicyDocument):
    """客户服务岗位培训标准。"""

    kind: Literal["training_standard"] = Field(title="文书类型")
    title: Line = Field(default="客户服务岗位培训标准", title="标题")
    general: General = Field(default_factory=General, title="总则")
    objectives: Objectives = Field(default_factory=Objectives, title="培训目标")
    content: Content = Field(default_factory=Content, title="培训内容与要求")
    assessment: StandardAssessment = Field(default_factory=StandardAssessment, title="培训考核")
    revision: Revision = Field(default_factory=Revision, title="标准的修订")
    supplementary: Supplementary = Field(default_factory=Supplementary, title="附则")
    extra_articles: dict[ChapterKey, list[Article]] = Field(
        default_factory=dict,
        title="追加条款",
        description="按章追加的条款，键为章：general 总则、objectives 培训目标、content 培训内容与要求、assessment 培训考核、revision 标准的修订、supplementary 附则；追加在该章末尾，条号自动续编",
    )

    cross_checks = (
        (_check_topic_positions, ("general", "content")),
        (_check_topic_assessment, ("content", "assessment")),
        (_check_every_category_taught, ("content",)),
    )
    labels = POLICY_LABELS | {"kpi_period": KPI_PERIOD_LABELS, "retake_outcome": RETAKE_OUTCOME_LABELS}


__all__ = [
    "CATEGORY_LABELS",
    "Content",
    "General",
    "Objectives",
    "Position",
    "Revision",
    "StandardAssessment",
    "Topic",
    "TrainingStandard",
]
