"""服务质量提升方案 (service-quality improvement plan): the data the plan says.

Chapters follow the domain brief, §5: general provisions, training system,
service standards with numbers, dynamic assessment, process, incentives and
culture, technology, optional data-driven optimisation, supplementary
provisions.  Every chapter has defaults, so ``kind`` + ``info`` is enough
for a complete plan; each default is overridden by writing the field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, model_validator

from contractgen.models.base import CrossFieldChecks, Model, check_unique
from contractgen.models.common import Kpi, Module, practice_hours, total_hours
from contractgen.models.policy import (
    METHOD_LABELS,
    POLICY_LABELS,
    Article,
    DocumentInfo,
    Incentives,
    PlanPeriod,
    PolicyDocument,
    Supplementary,
    TrainingMethod,
)
from contractgen.types import Hours, Line, PositiveMoney, Rate, Text

ChapterKey = Literal[
    "general", "training", "standards", "assessment", "process", "incentives", "technology", "optimisation", "supplementary"
]
Cycle = Literal["weekly", "monthly", "quarterly"]


# ── 第一章 总则 ───────────────────────────────────────────────────────────────


class General(Model):
    """总则：背景、目标、适用范围、原则与组织实施。"""

    background: Text | None = Field(
        default=None,
        title="背景",
        description="可选，如 2026年第三季度店铺客户满意度降至4.6分，首次响应时间延长至52秒",
    )
    goals: list[Text] = Field(
        default_factory=lambda: [
            "建立覆盖岗前培训与在岗提升的客服培训体系，客服人员经考核合格后上岗",
            "统一服务标准和服务用语，杜绝推诿、敷衍和含糊不清的答复",
            "建立以数据为依据的动态考核机制，做到奖优罚劣、有据可查",
            "优化服务流程，借助智能工具提高接待效率，持续提升客户满意度和店铺服务评分",
        ],
        min_length=1,
        title="具体目标",
        description="每条一个目标；服务标准中的指标目标值会自动列为最后一项目标",
    )
    scope: Text = Field(
        default="公司在淘宝、天猫等电子商务平台开设的全部店铺的客户服务工作",
        title="适用范围",
        description="接在“本方案适用于”之后，如 公司天猫旗舰店及淘宝企业店的客户服务工作",
    )
    roles: list[Line] = Field(
        default_factory=lambda: ["售前客服", "售后客服", "客服组长", "质检专员"],
        min_length=1,
        title="适用人员",
    )
    headcount: int | None = Field(default=None, ge=1, le=100000, title="客服人员人数", description="可选，如 30")
    principles: list[Text] = Field(
        default_factory=lambda: [
            "以客户为中心：从客户体验出发设计服务标准和服务流程",
            "标准先行：服务行为有标准、服务结果有指标，考核以数据为依据",
            "培训与考核并重：以培训提升能力，以考核检验成效",
            "奖惩分明：考核结果与薪酬、评优和晋升挂钩",
            "持续改进：定期复盘服务数据，动态优化培训、标准与流程",
        ],
        min_length=1,
        title="基本原则",
    )
    lead_department: Line = Field(default="客服部", title="牵头部门", description="负责组织实施本方案")
    supporting_departments: list[Line] = Field(
        default_factory=lambda: ["人力资源部", "运营部", "仓储物流部"],
        title="配合部门",
    )
    period: PlanPeriod | None = Field(default=None, title="实施期", description="可选；开始日期不得早于生效日期")


# ── 第二章 培训体系 ─────────────────────────────────────────────────────────────


class TrainingDimension(Model):
    """一个培训维度及其内容。"""

    topics: list[Text] = Field(min_length=1, title="培训内容", description="每条一项内容")
    hours: Hours | None = Field(default=None, title="课时（小时）", description="可选，如 8")


class ProductTraining(TrainingDimension):
    """产品知识培训：按产品类目分类开展。"""

    categories: list[Line] = Field(
        default_factory=lambda: ["主营产品", "新上市产品", "促销组合及赠品"],
        min_length=1,
        title="产品类目",
        description="如 女装、童装、鞋靴、箱包",
    )
    new_product_days: int | None = Field(
        default=3, ge=1, le=60, title="新品培训提前天数", description="新品上线前多少日完成培训；写 null 则不作要求"
    )


def _dimension(*topics: str) -> TrainingDimension:
    return TrainingDimension(topics=list(topics))


def _default_methods() -> list[TrainingMethod]:
    return [TrainingMethod(type=t) for t in ("online", "internal", "mentoring")]


# 服务质量方案里“内部培训”即线下集中授课；其余沿用培训制度的名称。
QUALITY_METHOD_LABELS: dict[str, str] = METHOD_LABELS | {"internal": "线下集中培训"}


class TrainingSystem(Model):
    """培训体系：四个培训维度、培训方式、岗前与在岗要求。"""

    basic_skills: TrainingDimension = Field(
        default_factory=lambda: _dimension(
            "千牛工作台的接待、转接、备注与快捷短语设置",
            "订单查询、修改收货地址、改价及发票处理",
            "退款、退货、换货及售后工单的操作流程",
            "平台交易规则、店铺服务考核规则及违规处理规则",
        ),
        title="基础操作技能",
    )
    product_knowledge: ProductTraining = Field(
        default_factory=lambda: ProductTraining(
            topics=[
                "产品的材质、规格、功能与使用方法",
                "尺码或型号的选择建议及常见问题",
                "保养方法、保修条款及售后政策",
                "产品的主要卖点及与同类产品的区别",
            ]
        ),
        title="产品知识",
    )
    communication: TrainingDimension = Field(
        default_factory=lambda: _dimension(
            "规范用语与禁用语",
            "客户需求识别与提问技巧",
            "情绪安抚与共情表达",
            "异议处理与促成下单",
            "差评与投诉的沟通要点",
        ),
        title="沟通技巧",
    )
    emergencies: TrainingDimension = Field(
        default_factory=lambda: _dimension(
            "大促期间咨询量激增时的分流与排队处理",
            "物流异常、爆仓及延迟发货的统一答复口径",
            "客户情绪激烈、扬言投诉或差评时的处置",
            "系统故障、批量质量问题及舆情事件的上报",
        ),
        title="应急处理",
    )
    methods: list[TrainingMethod] = Field(
        default_factory=_default_methods,
        min_length=1,
        title="培训方式",
        description="online 线上自学；internal 线下集中培训；mentoring 师徒带教；external 外部培训",
    )
    courses: list[Module] = Field(
        default_factory=list, title="课程安排", description="可选：课程名称、课时、主要内容与实操课时，列为课程表"
    )
    onboarding_hours: Hours = Field(default=Decimal(24), title="岗前培训课时", description="新员工独立上岗前应完成的课时")
    mentoring_days: int = Field(
        default=30, ge=1, le=365, title="带教期（日）", description="采用师徒带教时，新员工的带教期"
    )
    annual_hours: Hours | None = Field(
        default=Decimal(48), title="在岗年度培训课时", description="在岗客服人员每年应参加的最少课时；写 null 则不作要求"
    )

    @model_validator(mode="after")
    def _distinct(self) -> "TrainingSystem":
        checks = CrossFieldChecks()
        check_unique(self.methods, "type", ("methods",), checks, "training method")
        check_unique(self.courses, "name", ("courses",), checks, "course")
        checks.raise_if_any()
        return self

    def dimensions(self) -> list[tuple[str, TrainingDimension]]:
        """The four dimensions with their names, in the order the plan lists them."""
        return [
            ("基础操作技能", self.basic_skills),
            ("产品知识", self.product_knowledge),
            ("沟通技巧", self.communication),
            ("应急处理", self.emergencies),
        ]

    @property
    def course_hours(self) -> Decimal:
        return total_hours(self.courses)

    @property
    def course_practice_hours(self) -> Decimal:
        return practice_hours(self.courses)


# ── 第三章 服务标准 ─────────────────────────────────────────────────────────────


def _default_kpis() -> list[Kpi]:
    return [
        Kpi(name="首次响应时间", unit="秒", target=Decimal(30), direction="lower"),
        Kpi(name="平均响应时间", unit="秒", target=Decimal(45), direction="lower"),
        Kpi(name="问题解决时长", unit="小时", target=Decimal(24), direction="lower"),
        Kpi(name="一次性解决率", unit="%", target=Decimal(90), direction="higher"),
        Kpi(name="客户满意度", unit="分", target=Decimal("4.8"), direction="higher"),
        Kpi(name="投诉率", unit="%", target=Decimal("0.5"), direction="lower"),
    ]


# 常见指标的统计口径；standards.bases 可覆盖或补充。
KNOWN_BASES: dict[str, str] = {
    "首次响应时间": "客户进线后至客服人员首次人工回复的平均时长，机器人自动回复不计入",
    "平均响应时间": "客户每次发送消息至客服人员回复的平均时长",
    "问题解决时长": "自客户提出问题至问题解决或售后工单关闭的时长",
    "一次性解决率": "无需客户再次进线即解决的咨询数占咨询总数的比例",
    "客户满意度": "客户对客服服务评价的平均分（满分5分）",
    "投诉率": "有效投诉数占接待客户总数的比例",
    "咨询转化率": "咨询后下单的客户数占咨询客户数的比例",
    "退款率": "退款订单数占支付订单数的比例",
}


class ServiceStandards(Model):
    """服务标准：量化指标、服务用语与禁用语。"""

    service_hours: Line | None = Field(
        default="每日9:00至24:00", title="人工在线服务时间", description="如 每日8:30至次日0:30；写 null 则不写"
    )
    kpis: list[Kpi] = Field(
        default_factory=_default_kpis,
        min_length=1,
        title="服务指标",
        description="每项：名称、单位、目标值、改进方向（lower 越低越好 / higher 越高越好），可写基线值",
    )
    bases: dict[Line, Text] = Field(
        default_factory=dict,
        title="统计口径",
        description="键为指标名称，值为统计口径；常见指标已有默认口径，此处可覆盖或补充",
    )
    data_sources: list[Line] = Field(
        default_factory=lambda: ["千牛工作台", "生意参谋", "客服绩效统计系统"],
        min_length=1,
        title="数据来源",
    )
    wording_rules: list[Text] = Field(
        default_factory=lambda: [
            "客户进线后首先问候，称呼客户为“您”或“亲”，语气亲切、礼貌",
            "答复应明确、具体，涉及发货时间、金额、物流单号等信息的应当准确告知",
            "需要查询或核实的，应先告知客户并说明大致等待时间，不得长时间无回应",
            "不得与客户争辩，不得使用讽刺、指责或命令式语气",
            "接待结束时应询问客户是否还有其他问题，并致谢道别",
        ],
        min_length=1,
        title="服务用语规范",
    )
    model_phrases: list[Text] = Field(
        default_factory=lambda: [
            "您好，很高兴为您服务，请问有什么可以帮您？",
            "请您稍等，我马上为您查询。",
            "给您带来不便，非常抱歉，我们会尽快为您处理。",
            "请问还有其他可以帮到您的吗？感谢您的支持，祝您生活愉快！",
        ],
        title="规范用语示例",
        description="不得含有禁用语",
    )
    banned_phrases: list[Line] = Field(
        default_factory=lambda: ["不清楚", "不知道", "应该是吧", "可能吧", "你自己看", "这不归我管", "没办法"],
        min_length=1,
        title="禁用语",
        description="推诿、敷衍或含糊不清的用语",
    )
    peak_note: Text | None = Field(
        default=None,
        title="大促期间的特别规定",
        description="可选，如 “双11”“618”大促期间，首次响应时间目标放宽至60秒",
    )

    @model_validator(mode="after")
    def _consistent(self) -> "ServiceStandards":
        checks = CrossFieldChecks()
        names = [k.name for k in self.kpis]
        check_unique(self.kpis, "name", ("kpis",), checks, "KPI")
        for key in self.bases:
            checks.require(key in names, ("bases", key), f"{key!r} is not one of the KPIs: {'、'.join(names)}")
        check_unique(self.banned_phrases, None, ("banned_phrases",), checks, "banned phrase")
        for index, phrase in enumerate(self.model_phrases):
            for banned in self.banned_phrases:
                if banned in phrase:
                    checks.fail(("model_phrases", index), f"the model phrase contains the banned phrase {banned!r}")
                    break
        checks.raise_if_any()
        return self

    def basis(self, name: str) -> str:
        """The 统计口径 of a KPI: the user's, a known one, or the data sources."""
        return self.bases.get(name) or KNOWN_BASES.get(name) or f"以{'、'.join(self.data_sources)}统计数据为准"

    def kpi_names(self) -> list[str]:
        return [k.name for k in self.kpis]


# ── 第四章 动态考核 ─────────────────────────────────────────────────────────────


class StarRating(Model):
    """一个星级：星数、称号、评定条件与结果运用。"""

    stars: int = Field(ge=1, le=5, title="星级", description="1–5")
    name: Line = Field(title="称号", description="如 卓越、优秀、合格、待改进、不合格")
    description: Text = Field(title="评定条件")
    consequence: Text | None = Field(default=None, title="结果运用", description="如 当月绩效奖金系数1.2")


def _default_ratings() -> list[StarRating]:
    return [
        StarRating(
            stars=5,
            name="卓越",
            description="各项服务指标均优于目标值，当月抽检无扣分项，并获得客户主动表扬",
            consequence="当月绩效奖金系数1.2，优先参评“月度服务之星”",
        ),
        StarRating(
            stars=4,
            name="优秀",
            description="各项服务指标全部达到目标值，抽检仅有轻微不规范问题",
            consequence="当月绩效奖金系数1.1",
        ),
        StarRating(
            stars=3,
            name="合格",
            description="主要服务指标达到目标值，个别指标略有差距，抽检无严重问题",
            consequence="当月绩效奖金系数1.0",
        ),
        StarRating(
            stars=2,
            name="待改进",
            description="两项及以上指标未达到目标值，或抽检发现较多不规范用语",
            consequence="当月绩效奖金系数0.8，由客服组长进行一对一辅导",
        ),
        StarRating(
            stars=1,
            name="不合格",
            description="多项指标明显未达标，或发生有效投诉、使用禁用语等严重问题",
            consequence="当月绩效奖金系数0.6，参加复训并限期改进；连续两个月评为一星的，按公司规定调整岗位",
        ),
    ]


class SpotCheck(Model):
    """聊天记录随机抽检：抽检量（每人每周条数或抽检比例，二选一）、检查人、检查内容与结果处理。"""

    per_agent_per_week: int | None = Field(
        default=None, ge=1, le=1000, title="每人每周抽检条数", description="与抽检比例二选一；都不写时默认每人每周20条"
    )
    rate: Rate | None = Field(default=None, title="抽检比例", description="如 5%；与每人每周抽检条数二选一")
    checkers: list[Line] = Field(
        default_factory=lambda: ["质检专员", "客服组长"], min_length=1, title="抽检人员"
    )
    items: list[Text] = Field(
        default_factory=lambda: [
            "响应是否及时",
            "用语是否规范、礼貌，有无禁用语",
            "问题解答是否准确、完整",
            "是否主动跟进直至问题解决",
            "是否按规定备注订单、登记售后工单",
        ],
        min_length=1,
        title="检查内容",
    )
    consequences: list[Text] = Field(
        default_factory=lambda: [
            "抽检结果计入当月星级评定",
            "发现使用禁用语、推诿客户或与客户争执的，当月星级评定最高为二星，并由客服组长约谈",
            "同一问题连续两周被抽检发现的，须参加针对性复训",
            "抽检发现的优秀接待案例，纳入案例库并在团队内分享",
        ],
        min_length=1,
        title="结果处理",
    )

    @model_validator(mode="before")
    @classmethod
    def _default_sample(cls, data: Any) -> Any:
        if isinstance(data, dict) and "per_agent_per_week" not in data and "rate" not in data:
            return data | {"per_agent_per_week": 20}
        return data

    @model_validator(mode="after")
    def _one_sample_size(self) -> "SpotCheck":
        checks = CrossFieldChecks()
        if self.per_agent_per_week is not None and self.rate is not None:
            checks.fail(("rate",), "give either per_agent_per_week or rate, not both")
        elif self.per_agent_per_week is None and self.rate is None:
            checks.fail(("per_agent_per_week",), "give the sample size: per_agent_per_week or rate")
        elif self.rate is not None:
            checks.require(self.rate > 0, ("rate",), "a sample rate of 0 checks nothing")
        checks.raise_if_any()
        return self


class DynamicAssessment(Model):
    """动态考核：数据指标、1–5 星评定、聊天记录抽检与申诉。"""

    cycle: Cycle = Field(default="monthly", title="考核周期", description="weekly 每周；monthly 每月；quarterly 每季度")
    indicators: list[Line] = Field(
        default_factory=list,
        title="考核指标",
        description="须为服务标准中的指标名称；不写则考核服务标准中的全部指标",
    )
    publish_days: int = Field(
        default=5, ge=1, le=30, title="结果公示期限（工作日）", description="考核周期结束后多少个工作日内公示结果"
    )
    ratings: list[StarRating] = Field(
        default_factory=_default_ratings, title="星级评定", description="一星至五星各一项，不重不漏"
    )
    spot_check: SpotCheck = Field(default_factory=SpotCheck, title="聊天记录抽检")
    appeal_days: int = Field(default=3, ge=1, le=30, title="申诉期限（工作日）")
    appeal_to: Line = Field(default="客服主管", title="受理申诉的人员或部门")

    @model_validator(mode="after")
    def _stars_one_to_five(self) -> "DynamicAssessment":
        checks = CrossFieldChecks()
        seen: set[int] = set()
        for index, rating in enumerate(self.ratings):
            checks.require(rating.stars not in seen, ("ratings", index, "stars"), f"{rating.stars} stars are rated twice")
            seen.add(rating.stars)
        missing = [str(n) for n in range(1, 6) if n not in seen]
        checks.require(not missing, ("ratings",), f"the scale must cover 1–5 stars; missing: {', '.join(missing)}")
        check_unique(self.indicators, None, ("indicators",), checks, "indicator")
        checks.raise_if_any()
        return self

    def ratings_best_first(self) -> list[StarRating]:
        return sorted(self.ratings, key=lambda r: -r.stars)


# ── 第五章 服务流程优化 ──────────────────────────────────────────────────────────


class FaqLibrary(Model):
    """常见问题知识库（FAQ 库）。"""

    owner: Line = Field(default="质检培训组", title="维护部门或岗位")
    update_days: int = Field(default=7, ge=1, le=90, title="更新周期（日）", description="每多少日更新一次")
    sources: list[Text] = Field(
        default_factory=lambda: ["近期高频咨询问题", "新品上线资料", "平台规则及店铺活动变更", "典型投诉及差评案例"],
        min_length=1,
        title="更新来源",
    )


class Cooperation(Model):
    """与一个部门的协作：负责事项与回复时限。"""

    department: Line = Field(title="部门", description="如 仓储部、物流组、售后部")
    matters: list[Text] = Field(min_length=1, title="协作事项")
    response_hours: int = Field(ge=1, le=168, title="回复时限（小时）", description="自客服转交之时起")


def _default_cooperation() -> list[Cooperation]:
    return [
        Cooperation(department="仓储部", matters=["库存核实", "错发、漏发核查", "加急发货"], response_hours=4),
        Cooperation(department="物流组", matters=["物流异常查询", "催件", "破损及丢件理赔"], response_hours=12),
        Cooperation(department="售后部", matters=["退换货审核", "质量问题鉴定", "补偿方案审批"], response_hours=24),
    ]


class ProcessOptimisation(Model):
    """服务流程优化：FAQ 库、多渠道服务、跨部门协作与问题升级。"""

    faq: FaqLibrary = Field(default_factory=FaqLibrary, title="FAQ库")
    channels: list[Line] = Field(
        default_factory=lambda: ["千牛在线咨询", "售后工单", "电话回访", "短信"],
        min_length=1,
        title="服务渠道",
    )
    first_contact_responsibility: bool = Field(
        default=True, title="首问负责制", description="首位接待的客服人员跟进到底，直至问题解决"
    )
    cooperation: list[Cooperation] = Field(
        default_factory=_default_cooperation, title="跨部门协作", description="每项：部门、协作事项、回复时限（小时）"
    )
    escalation: list[Text] = Field(
        default_factory=lambda: [
            "客服人员无法当场解决的问题，应在10分钟内提交客服组长",
            "涉及退款、赔付等超出本人权限的，由客服组长报客服主管审批",
            "可能引发平台投诉、纠纷或舆情的，立即上报客服主管并同步运营部",
        ],
        title="问题升级流程",
    )

    @model_validator(mode="after")
    def _distinct_departments(self) -> "ProcessOptimisation":
        checks = CrossFieldChecks()
        check_unique(self.cooperation, "department", ("cooperation",), checks, "department")
        check_unique(self.channels, None, ("channels",), checks, "channel")
        checks.raise_if_any()
        return self


# ── 第六章 激励与文化 ───────────────────────────────────────────────────────────


class IncentivesAndCulture(Incentives):
    """激励与文化：奖励、约束（沿用制度的激励与约束结构），奖励基金与团队文化活动。"""

    rewards: list[Text] = Field(
        default_factory=lambda: [
            "每月评选“服务之星”，颁发荣誉证书并给予一次性奖励",
            "连续三个月评为五星的，在评优评先、调薪和晋升时优先考虑",
            "获得客户书面表扬或在平台评价中被点名表扬的，给予通报表扬",
            "提出的改进建议被采纳并取得明显成效的，给予合理化建议奖",
        ],
        title="奖励措施",
    )
    sanctions: list[Text] = Field(
        default_factory=lambda: [
            "因服务态度或违规操作引发有效投诉的，取消当月评优资格，并视情节扣减绩效奖金",
            "使用禁用语或与客户发生争执的，予以通报批评并参加复训",
            "连续两个月评为一星的，按公司规定调整岗位",
        ],
        title="约束措施",
    )
    bonus_pool: PositiveMoney | None = Field(
        default=None, title="每月服务质量奖励基金（元）", description="可选，两位小数，如 6000.00"
    )
    culture: list[Text] = Field(
        default_factory=lambda: [
            "每月举办一次优秀服务案例分享会",
            "设立“客户好评墙”，展示客户表扬与感谢",
            "每季度组织一次团队建设活动",
            "大促期间合理安排轮休，做好客服人员的情绪疏导和后勤保障",
        ],
        title="团队文化活动",
    )


# ── 第七章 技术支持 ─────────────────────────────────────────────────────────────


class Chatbot(Model):
    """智能客服机器人：负责简单问题，设定机器人独立解答占比目标。"""

    name: Line = Field(default="阿里店小蜜", title="机器人名称")
    scope: list[Line] = Field(
        default_factory=lambda: ["发货时间", "物流查询", "尺码推荐", "优惠活动规则", "退换货流程"],
        min_length=1,
        title="负责的简单问题",
    )
    target_share: Rate = Field(
        default=Decimal("0.4"), title="机器人独立解答占比目标", description="由机器人独立解答的咨询占全部咨询的比例，如 40%"
    )
    current_share: Rate | None = Field(default=None, title="当前占比", description="可选，如 25%；目标须高于当前")
    handoff_seconds: int = Field(
        default=30, ge=1, le=600, title="转人工时限（秒）", description="机器人无法解答或客户要求人工时，转接人工的时限"
    )

    @model_validator(mode="after")
    def _target_improves(self) -> "Chatbot":
        checks = CrossFieldChecks()
        checks.require(self.target_share > 0, ("target_share",), "a target share of 0 leaves the chatbot nothing to do")
        if self.current_share is not None:
            checks.require(
                self.target_share > self.current_share,
                ("target_share",),
                f"target share {self.target_share:%} is not above the current share {self.current_share:%}",
            )
        checks.raise_if_any()
        return self


class AutoInspection(Model):
    """智能质检：自动检测聊天记录。"""

    coverage: Rate = Field(default=Decimal(1), title="自动质检覆盖率", description="如 100%")
    triggers: list[Line] = Field(
        default_factory=lambda: ["使用禁用语", "超过规定时限未回复", "讽刺、指责客户等不当言辞", "“差评”“投诉”“举报”等风险关键词"],
        min_length=1,
        title="重点识别内容",
    )
    review_hours: int = Field(default=24, ge=1, le=168, title="人工复核时限（小时）")


class Tool(Model):
    """一种服务工具及其用途。"""

    name: Line = Field(title="名称", description="如 千牛工作台")
    purpose: Text = Field(title="用途")


def _default_tools() -> list[Tool]:
    return [
        Tool(name="千牛工作台", purpose="用于客户接待、订单查询与快捷短语管理"),
        Tool(name="客服绩效统计系统", purpose="用于统计响应时间、转化率、满意度等服务数据"),
        Tool(name="共享知识库", purpose="用于存放FAQ、产品资料和标准答复口径"),
        Tool(name="售后工单系统", purpose="用于登记、流转和跟踪售后问题"),
    ]


class Technology(Model):
    """技术支持：智能客服机器人、智能质检与服务工具。"""

    chatbot: Chatbot = Field(default_factory=Chatbot, title="智能客服机器人")
    auto_inspection: AutoInspection = Field(default_factory=AutoInspection, title="智能质检")
    tools: list[Tool] = Field(default_factory=_default_tools, title="服务工具")


# ── 第八章 数据驱动优化（可选） ──────────────────────────────────────────────────


class DataOptimisation(Model):
    """数据驱动优化：定期复盘服务数据并据此改进。"""

    review_cycle: Cycle = Field(default="monthly", title="复盘周期", description="weekly 每周；monthly 每月；quarterly 每季度")
    owner: Line = Field(default="客服主管", title="组织复盘的人员或部门")
    indicators: list[Line] = Field(
        default_factory=lambda: ["咨询转化率", "客户满意度", "首次响应时间", "退款率", "差评率", "机器人独立解答占比"],
        min_length=1,
        title="复盘指标",
    )
    feedback_sources: list[Line] = Field(
        default_factory=lambda: ["客户评价", "回访问卷", "投诉与差评记录"],
        title="客户反馈来源",
    )
    actions: list[Text] = Field(
        default_factory=lambda: [
            "对高频问题补充FAQ库和机器人知识库",
            "对薄弱环节调整培训课程和培训计划",
            "对连续两个周期未达标的指标制定专项改进计划，明确责任人和完成时限",
            "对流程中的堵点提出跨部门改进建议",
        ],
        min_length=1,
        title="改进措施",
    )
    report_to: Line = Field(default="总经理", title="复盘报告报送对象")


# ── 章与章之间的检查 ─────────────────────────────────────────────────────────────


def _check_period_after_effective_date(checks: CrossFieldChecks, info: DocumentInfo, general: General) -> None:
    if general.period is not None and general.period.start < info.effective_date:
        checks.fail(
            ("general", "period", "start"),
            f"the plan is carried out from {general.period.start}, before it takes effect on {info.effective_date}",
        )


def _check_indicators_are_kpis(checks: CrossFieldChecks, standards: ServiceStandards, assessment: DynamicAssessment) -> None:
    names = standards.kpi_names()
    for index, name in enumerate(assessment.indicators):
        checks.require(
            name in names,
            ("assessment", "indicators", index),
            f"{name!r} is not a service-standard KPI (standards.kpis: {'、'.join(names)})",
        )


def _check_articles_have_a_chapter(checks: CrossFieldChecks, extra: dict, optimisation: DataOptimisation | None) -> None:
    """Extra articles for the optional chapter would vanish if the chapter is left out."""
    if optimisation is None and extra.get("optimisation"):
        checks.fail(
            ("extra_articles", "optimisation"),
            "the chapter optimisation (数据驱动优化) is not in this plan: add optimisation: {} or move these articles",
        )


# ── 方案 ───────────────────────────────────────────────────────────────────────


class QualityPlan(PolicyDocument):
    """服务质量提升方案。"""

    kind: Literal["quality_plan"] = Field(title="文书类型")
    title: Line = Field(default="服务质量提升方案", title="标题", description="如 客户服务质量提升方案")
    general: General = Field(default_factory=General, title="总则")
    training: TrainingSystem = Field(default_factory=TrainingSystem, title="培训体系")
    standards: ServiceStandards = Field(default_factory=ServiceStandards, title="服务标准")
    assessment: DynamicAssessment = Field(default_factory=DynamicAssessment, title="动态考核")
    process: ProcessOptimisation = Field(default_factory=ProcessOptimisation, title="服务流程优化")
    incentives: IncentivesAndCulture = Field(default_factory=IncentivesAndCulture, title="激励与文化")
    technology: Technology = Field(default_factory=Technology, title="技术支持")
    optimisation: DataOptimisation | None = Field(
        default=None, title="数据驱动优化", description="可选；写 optimisation: {} 即按默认内容列入本章"
    )
    supplementary: Supplementary = Field(
        default_factory=lambda: Supplementary(interpreter="客服部"),
        title="附则",
        description="解释部门不写时为总则中的牵头部门",
    )
    extra_articles: dict[ChapterKey, list[Article]] = Field(
        default_factory=dict,
        title="追加条款",
        description="键为章的键名（general、training、standards、assessment、process、incentives、technology、"
        "optimisation、supplementary），条款依次追加在该章末尾并接续编号",
    )

    cross_checks = (
        (_check_period_after_effective_date, ("info", "general")),
        (_check_indicators_are_kpis, ("standards", "assessment")),
        (_check_articles_have_a_chapter, ("extra_articles", "optimisation")),
    )
    labels = POLICY_LABELS | {"method": QUALITY_METHOD_LABELS}

    @model_validator(mode="before")
    @classmethod
    def _interpreter_defaults_to_lead(cls, data: Any) -> Any:
        """附则的解释部门默认为牵头部门（general.lead_department，默认客服部）。"""
        if not isinstance(data, dict):
            return data
        supplementary = data.get("supplementary", {})
        general = data.get("general") or {}
        lead = general.get("lead_department", "客服部") if isinstance(general, dict) else "客服部"
        if isinstance(supplementary, dict) and "interpreter" not in supplementary and isinstance(lead, str):
            return data | {"supplementary": supplementary | {"interpreter": lead}}
        return data

    def assessed_kpis(self) -> list[Kpi]:
        """The KPIs the dynamic assessment uses: the named ones, or every service standard."""
        if not self.assessment.indicators:
            return list(self.standards.kpis)
        by_name = {k.name: k for k in self.standards.kpis}
        return [by_name[name] for name in self.assessment.indicators]


__all__ = [
    "AutoInspection",
    "Chatbot",
    "Cooperation",
    "DataOptimisation",
    "DynamicAssessment",
    "FaqLibrary",
    "General",
    "IncentivesAndCulture",
    "KNOWN_BASES",
    "ProcessOptimisation",
    "ProductTraining",
    "QUALITY_METHOD_LABELS",
    "QualityPlan",
    "ServiceStandards",
    "SpotCheck",
    "StarRating",
    "Technology",
    "Tool",
    "TrainingDimension",
    "TrainingSystem",
]
