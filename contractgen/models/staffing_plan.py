"""客服人员聘任方案 (staffing plan): recruitment, training, appraisal and pay of a customer-service team.

The chapters follow the domain brief, §4.  Only the cover line
(:class:`~contractgen.models.policy.DocumentInfo`) and the head counts are
required; every other chapter has defaults drawn from the usual practice of
a Taobao/Tmall shop's customer-service team, and each default is replaced
by writing the field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from contractgen.models.base import CrossFieldChecks, Model, check_unique
from contractgen.models.common import GradeBand, Kpi, Module, check_grade_bands, practice_hours, total_hours
from contractgen.models.policy import (
    POLICY_LABELS,
    Article,
    Assessment,
    PlanPeriod,
    PolicyDocument,
    Supplementary,
)
from contractgen.types import Line, Money, Rate, Text

ChapterKey = Literal[
    "goals", "situation", "recruitment", "training", "appraisal", "incentives", "data_support", "summary", "supplementary"
]

Cycle = Literal["monthly", "quarterly"]


# ---------------------------------------------------------------- 目标与范围


class Goals(Model):
    """目标与范围：方案要达到的目标、适用的部门与岗位、实施期与组织分工。"""

    goals: list[Text] = Field(
        default_factory=lambda: [
            "建立一支规模适当、结构合理、专业稳定的客服团队，满足店铺日常经营及大促期间的接待需求",
            "规范客服人员招聘、培训、考核与晋升的全过程管理，降低人员流失率",
            "以客户满意度为核心提升服务质量，降低客户投诉率",
            "打通客服人员的职业发展通道，使薪酬与绩效贡献挂钩",
        ],
        min_length=1,
        title="方案目标",
        description="每条一个目标",
    )
    department: Line = Field(default="客服部", title="适用部门", description="如 客服部、客户服务中心")
    positions: list[Line] = Field(
        default_factory=lambda: ["售前客服", "售后客服", "客服组长"],
        min_length=1,
        title="适用岗位",
    )
    period: PlanPeriod | None = Field(default=None, title="实施期", description="可选；不写则长期有效")
    turnover_target: Rate | None = Field(
        default=None, title="流失率目标", description="可选，如 20%；须低于 situation.turnover_rate"
    )
    complaint_target: Rate | None = Field(
        default=None, title="投诉率目标", description="可选，如 1.5%；须低于 situation.complaint_rate"
    )
    principles: list[Line] = Field(
        default_factory=lambda: ["公开招聘", "平等竞争", "择优录用", "人岗相适"],
        min_length=1,
        title="聘任原则",
    )
    lead: Line = Field(default="人力资源部", title="牵头部门", description="负责组织实施本方案")
    partners: list[Line] = Field(
        default_factory=lambda: ["客服部", "财务部"], title="配合部门", description="按职责分工配合实施"
    )


# ---------------------------------------------------------------- 现状与需求


class Situation(Model):
    """现状与需求：现有人数、编制人数、流失率与投诉率、存在的问题。"""

    as_of: Line | None = Field(default=None, title="统计时点", description="如 2026年11月底；可选")
    current_headcount: int = Field(ge=0, le=100000, title="现有客服人数")
    planned_headcount: int = Field(gt=0, le=100000, title="编制客服人数", description="方案实施后的目标人数")
    stats_period: Line = Field(default="近一年", title="统计期间", description="流失率与投诉率的统计期间，如 2026年")
    turnover_rate: Rate | None = Field(default=None, title="人员流失率", description="如 35% 或 0.35；可选")
    complaint_rate: Rate | None = Field(default=None, title="客户投诉率", description="如 3.2%；可选")
    demand_basis: Text | None = Field(
        default=None,
        title="需求依据",
        description="可选，如 2027年店铺新开天猫旗舰店，预计咨询量增长40%",
    )
    problems: list[Text] = Field(
        default_factory=lambda: [
            "人员流失率偏高，新员工在岗时间短，团队经验难以沉淀",
            "招聘标准不统一，缺少对服务意识与应变能力的考察",
            "缺乏系统的培训体系，新员工上岗前培训不足，服务质量参差不齐",
            "绩效考核与薪酬、晋升脱节，员工缺乏明确的发展通道",
        ],
        min_length=1,
        title="存在的问题",
    )

    @property
    def gap(self) -> int:
        """Agents to add to reach the planned headcount (negative when over strength)."""
        return self.planned_headcount - self.current_headcount


# ---------------------------------------------------------------- 招聘


class JobDescription(Model):
    """岗位说明：岗位职责与任职要求。"""

    title: Line = Field(default="电商客服专员", title="岗位名称")
    duties: list[Text] = Field(
        default_factory=lambda: [
            "通过千牛工作台等在线工具及时、准确地解答顾客关于商品、活动、物流等方面的咨询",
            "引导顾客下单，处理订单修改、催付、发货跟踪等事宜",
            "受理退换货、退款及投诉，在权限范围内妥善处理，超出权限的及时上报",
            "记录和反馈顾客意见及常见问题，参与完善常见问题库",
            "遵守平台规则及公司服务规范，维护店铺评分与信誉",
        ],
        min_length=1,
        title="岗位职责",
    )
    requirements: list[Text] = Field(
        default_factory=lambda: [
            "中专及以上学历，电子商务、市场营销等相关专业优先",
            "普通话标准，文字表达清晰，打字速度不低于每分钟60字",
            "熟悉淘宝、天猫等平台的基本操作，有电商客服工作经验者优先",
            "具有良好的服务意识、沟通能力和抗压能力，能够适应大促期间轮班工作",
        ],
        min_length=1,
        title="任职要求",
    )


class Interview(Model):
    """结构化面试：统一的评分维度与模拟客户情景。"""

    panel: list[Line] = Field(
        default_factory=lambda: ["客服主管", "人力资源部招聘专员"], min_length=1, title="面试官组成"
    )
    dimensions: list[Line] = Field(
        default_factory=lambda: ["沟通表达", "服务意识", "应变能力", "情绪稳定性", "学习能力"],
        min_length=1,
        title="评分维度",
    )
    scenarios: list[Text] = Field(
        default_factory=lambda: [
            "顾客收到的商品外包装破损，情绪激动地要求立即退款并威胁给差评",
            "大促期间顾客连续催促发货，询问为何迟迟未发出",
            "顾客咨询两款商品的差别，并拿竞品价格要求优惠",
        ],
        min_length=1,
        title="模拟客户情景",
        description="由面试官扮演顾客，考察应聘者的应变与沟通能力",
    )
    pass_score: int = Field(default=70, ge=1, le=100, title="合格分数", description="满分100分")


class HiringBatch(Model):
    """一个招聘批次：期间与人数。"""

    period: Line = Field(title="招聘期间", description="如 2027年第一季度")
    count: int = Field(gt=0, le=10000, title="招聘人数")
    positions: list[Line] = Field(default_factory=list, title="招聘岗位", description="可选，如 售前客服")
    note: Text | None = Field(default=None, title="说明", description="可选，如 为“618”大促储备人员")


class Recruitment(Model):
    """招聘：岗位说明、渠道、甄选程序、结构化面试、招聘批次与试用期。"""

    job: JobDescription = Field(default_factory=JobDescription, title="岗位说明")
    channels: list[Line] = Field(
        default_factory=lambda: ["招聘网站", "校园招聘", "内部推荐"], min_length=1, title="招聘渠道"
    )
    referral_bonus: Money | None = Field(
        default=None, title="内部推荐奖励（元）", description="可选；被推荐人转正后发放，如 500.00"
    )
    screening: list[Text] = Field(
        default_factory=lambda: [
            "简历筛选：人力资源部按任职要求进行初筛",
            "笔试：打字速度测试及平台规则、服务常识测试",
            "结构化面试：含模拟客户情景演练",
            "复试：由客服部负责人对候选人综合评价",
            "录用审批：背景调查后报公司审批并发放录用通知",
        ],
        min_length=1,
        title="甄选程序",
        description="按先后顺序",
    )
    interview: Interview = Field(default_factory=Interview, title="结构化面试")
    hiring: list[HiringBatch] = Field(
        default_factory=list,
        title="招聘批次",
        description="可选；各批人数之和不得少于编制缺口（编制人数减现有人数）",
    )
    probation_months: int = Field(
        default=3, ge=0, le=6, title="试用期（月）", description="不超过劳动合同法规定的上限6个月；0 表示不约定"
    )

    @property
    def total_hires(self) -> int:
        return sum(b.count for b in self.hiring)


# ---------------------------------------------------------------- 培训


def _basic_modules() -> list[Module]:
    return [
        Module(name="企业文化与规章制度", hours=Decimal(4), topics=["公司发展历程与企业文化", "考勤、排班及保密制度"]),
        Module(
            name="平台规则",
            hours=Decimal(8),
            practice_hours=Decimal(2),
            topics=["淘宝、天猫交易规则与七天无理由退货规则", "违规判罚案例与禁用语"],
        ),
        Module(
            name="产品知识",
            hours=Decimal(12),
            practice_hours=Decimal(4),
            topics=["主营商品的参数、卖点与使用方法", "常见问题与故障判断"],
        ),
        Module(
            name="客服系统操作",
            hours=Decimal(4),
            practice_hours=Decimal(3),
            topics=["千牛工作台接待、快捷短语与订单查询", "退款及售后工单处理"],
        ),
    ]


def _skills_modules() -> list[Module]:
    return [
        Module(
            name="沟通技巧与销售话术",
            hours=Decimal(6),
            practice_hours=Decimal(3),
            topics=["需求挖掘与商品推荐", "催付与关联销售话术"],
        ),
        Module(
            name="投诉处理",
            hours=Decimal(6),
            practice_hours=Decimal(3),
            topics=["投诉分级与处理流程", "差评与纠纷挽回"],
        ),
        Module(
            name="情绪管理",
            hours=Decimal(3),
            practice_hours=Decimal(1),
            topics=["压力识别与自我调节", "应对情绪激动顾客的同理心表达"],
        ),
    ]


# What the plan says happens after a failed retake (Retake.after_failing_retake).
RETAKE_OUTCOME_LABELS: dict[str, str] = {
    "retrain": "重新参加相应培训",
    "reassign": "由公司调整其工作岗位",
    "mentoring_extended": "延长带教期，由带教导师继续辅导，带教期满后再次考核",
}


class Training(Model):
    """培训：岗前基础培训、在岗技能培训、师徒带教与定期考核。"""

    basic: list[Module] = Field(
        default_factory=_basic_modules, min_length=1, title="基础培训课程", description="新员工岗前培训"
    )
    basic_within_days: int = Field(
        default=7, ge=1, le=90, title="基础培训完成期限（工作日）", description="新员工入职后多少个工作日内完成"
    )
    skills: list[Module] = Field(
        default_factory=_skills_modules, min_length=1, title="技能培训课程", description="在岗员工技能提升"
    )
    skills_cycle: Cycle = Field(
        default="quarterly", title="技能培训周期", description="monthly 每月一轮；quarterly 每季度一轮"
    )
    mentoring_days: int | None = Field(
        default=30, ge=1, le=180, title="师徒带教期（日）", description="新员工上岗后的带教天数；写 null 则不设"
    )
    test_cycle: Cycle = Field(default="monthly", title="定期考核周期", description="monthly 每月；quarterly 每季度")
    assessment: Assessment = Field(
        default_factory=lambda: Assessment(methods=["written_test", "role_play", "spot_check"]),
        title="培训考核",
        description="考核方式、成绩等级、学分与补考",
    )

    @model_validator(mode="after")
    def _unique_course_names(self) -> "Training":
        checks = CrossFieldChecks()
        seen: set[str] = set()
        for group in ("basic", "skills"):
            check_unique(getattr(self, group), "name", (group,), checks, "course", seen)
        checks.raise_if_any()
        return self

    @property
    def basic_hours(self) -> Decimal:
        return total_hours(self.basic)

    @property
    def skills_hours(self) -> Decimal:
        return total_hours(self.skills)

    @property
    def total_hours(self) -> Decimal:
        return self.basic_hours + self.skills_hours

    @property
    def practice_hours(self) -> Decimal:
        return practice_hours((*self.basic, *self.skills))


# ---------------------------------------------------------------- 绩效考核


class AppraisalKpi(Kpi):
    """一项绩效考核指标：目标值、改进方向与权重（%）。"""

    dimension: Line | None = Field(default=None, title="考核维度", description="如 客户满意度、处理效率、团队协作")
    weight: Decimal = Field(gt=0, le=100, decimal_places=1, title="权重（%）", description="各项权重之和须恰为100")
    measure: Text | None = Field(default=None, title="统计口径", description="可选，如 以千牛后台评价数据为准")


def _default_kpis() -> list[AppraisalKpi]:
    return [
        AppraisalKpi(
            dimension="客户满意度",
            name="客户满意率",
            unit="%",
            target=Decimal(95),
            direction="higher",
            weight=Decimal(40),
            measure="以千牛工作台服务评价中“满意”及以上评价所占比例计",
        ),
        AppraisalKpi(
            dimension="处理效率",
            name="平均响应时间",
            unit="秒",
            target=Decimal(30),
            direction="lower",
            weight=Decimal(35),
            measure="以千牛工作台接待数据统计的考核期平均值计",
        ),
        AppraisalKpi(
            dimension="团队协作",
            name="团队协作评分",
            unit="分",
            target=Decimal(85),
            direction="higher",
            weight=Decimal(25),
            measure="由客服主管与同组同事按百分制评分后加权计算",
        ),
    ]


class AppraisalGrade(GradeBand):
    """一个考核等级：分数段、绩效奖金系数与结果运用。"""

    bonus_factor: Decimal | None = Field(
        default=None, ge=0, le=5, decimal_places=2, title="绩效奖金系数", description="如 1.2；可选"
    )
    consequence: Text = Field(title="结果运用", description="对晋升、调薪、培训等的影响")


def _default_grades() -> list[AppraisalGrade]:
    return [
        AppraisalGrade(
            name="优秀",
            min_score=90,
            max_score=100,
            bonus_factor=Decimal("1.2"),
            consequence="优先参加评优评先，作为晋升和调薪的重要依据",
        ),
        AppraisalGrade(
            name="良好", min_score=80, max_score=89, bonus_factor=Decimal("1.0"), consequence="按标准发放绩效奖金"
        ),
        AppraisalGrade(
            name="合格",
            min_score=60,
            max_score=79,
            bonus_factor=Decimal("0.8"),
            consequence="由客服主管进行绩效面谈，指出改进方向",
        ),
        AppraisalGrade(
            name="待改进",
            min_score=0,
            max_score=59,
            bonus_factor=Decimal("0.5"),
            consequence="制定绩效改进计划并安排针对性培训；连续两个考核周期为待改进的，公司可调整其工作岗位，"
            "仍不能胜任工作的，依照《中华人民共和国劳动合同法》的有关规定处理",
        ),
    ]


# The appraisal cycle as an adjective: 月度绩效考核, 季度考核周期.
APPRAISAL_CYCLE_LABELS: dict[str, str] = {"monthly": "月度", "quarterly": "季度"}


class Appraisal(Model):
    """绩效考核：考核周期、带权重的指标、等级及其结果运用。"""

    cycle: Cycle = Field(default="monthly", title="考核周期", description="monthly 月度；quarterly 季度")
    kpis: list[AppraisalKpi] = Field(
        default_factory=_default_kpis,
        min_length=1,
        title="考核指标",
        description="默认为客户满意度、处理效率与团队协作三项；权重之和须恰为100",
    )
    grades: list[AppraisalGrade] = Field(
        default_factory=_default_grades, min_length=2, title="考核等级", description="分数段须覆盖 0–100，不重不漏"
    )
    appeal_days: int = Field(default=5, ge=1, le=30, title="申诉期限（工作日）", description="结果公布后可申诉的期限")

    @model_validator(mode="after")
    def _weights_and_grades(self) -> "Appraisal":
        checks = CrossFieldChecks()
        total = sum((k.weight for k in self.kpis), Decimal(0))
        checks.require(
            total == 100,
            ("kpis",),
            f"the KPI weights add up to {total.normalize():f}%, not 100% (difference {(total - 100).normalize():+f})",
        )
        check_unique(self.kpis, "name", ("kpis",), checks, "KPI")
        check_grade_bands(list(self.grades), checks, ("grades",))
        checks.raise_if_any()
        return self

    def grade_names(self) -> list[str]:
        return [g.name for g in self.grades]


# ---------------------------------------------------------------- 激励机制


class PayLevel(Model):
    """一个职级及其月薪范围（税前）。"""

    name: Line = Field(title="职级", description="如 初级客服")
    monthly_min: Money = Field(title="月薪下限（元）", description="税前，两位小数，如 4500.00")
    monthly_max: Money = Field(title="月薪上限（元）", description="税前，不低于下限")
    requirement: Text | None = Field(default=None, title="任职条件", description="可选，如 任初级客服满6个月")


def _default_pay_levels() -> list[PayLevel]:
    return [
        PayLevel(name="初级客服", monthly_min=Decimal("4500.00"), monthly_max=Decimal("5500.00"), requirement="新员工试用期满考核合格"),
        PayLevel(name="中级客服", monthly_min=Decimal("5500.00"), monthly_max=Decimal("7000.00"), requirement="任初级客服满6个月"),
        PayLevel(name="高级客服", monthly_min=Decimal("7000.00"), monthly_max=Decimal("8500.00"), requirement="任中级客服满12个月"),
        PayLevel(name="客服组长", monthly_min=Decimal("8500.00"), monthly_max=Decimal("11000.00"), requirement="任高级客服满12个月，具备带教能力"),
    ]


class StaffIncentives(Model):
    """激励机制：职级薪酬、晋升通道、团队活动与其他奖励。"""

    pay_structure: list[Line] = Field(
        default_factory=lambda: ["基本工资", "岗位津贴", "绩效奖金", "全勤奖"], min_length=1, title="薪酬构成"
    )
    pay_levels: list[PayLevel] = Field(
        default_factory=_default_pay_levels,
        min_length=1,
        title="职级与月薪",
        description="由低到高排列；每级下限不高于上限，且下限、上限均高于前一级",
    )
    promotion_path: list[Line] = Field(
        default_factory=lambda: ["初级客服", "中级客服", "高级客服", "客服组长"],
        min_length=2,
        title="晋升通道",
        description="由低到高；每一级须为 pay_levels 中的职级",
    )
    promotion_grade: Line = Field(
        default="良好", title="晋升所需考核等级", description="须为 appraisal.grades 中的等级；此等级及以上方可晋升"
    )
    promotion_cycles: int = Field(
        default=2, ge=1, le=12, title="连续考核周期数", description="最近连续多少个考核周期达到上述等级"
    )
    promotion_rules: list[Text] = Field(
        default_factory=lambda: ["通过公司组织的晋升考核（笔试及情景模拟）", "考核期内无有效投诉及平台判责"],
        title="其他晋升条件",
    )
    team_activities: list[Text] = Field(
        default_factory=lambda: [
            "每月组织一次团队建设活动，如户外拓展、聚餐或生日会",
            "每季度评选“服务之星”，颁发荣誉证书和奖金",
            "“双十一”“618”等大促结束后，组织庆功会并表彰表现突出的员工",
        ],
        title="团队活动",
    )
    other_rewards: list[Text] = Field(
        default_factory=lambda: ["大促期间按接待量和转化率发放专项奖金", "担任带教导师的，每带教一名新员工发放带教津贴"],
        title="其他奖励",
    )

    @model_validator(mode="after")
    def _levels_ascend(self) -> "StaffIncentives":
        checks = CrossFieldChecks()
        check_unique(self.pay_levels, "name", ("pay_levels",), checks, "pay level")
        names = {level.name for level in self.pay_levels}
        previous: PayLevel | None = None
        for index, level in enumerate(self.pay_levels):
            loc = ("pay_levels", index)
            checks.require(
                level.monthly_min <= level.monthly_max,
                loc + ("monthly_max",),
                f"the maximum {level.monthly_max:.2f} is below the minimum {level.monthly_min:.2f}",
            )
            if previous is not None:
                for bound, word in (("monthly_min", "minimum"), ("monthly_max", "maximum")):
                    here, before = getattr(level, bound), getattr(previous, bound)
                    checks.require(
                        here > before,
                        loc + (bound,),
                        f"the {word} {here:.2f} is not above the {word} {before:.2f} of {previous.name} "
                        "(list the levels from lowest to highest)",
                    )
            previous = level
        for index, step in enumerate(self.promotion_path):
            checks.require(
                step in names,
                ("promotion_path", index),
                f"{step!r} is not a pay level (pay levels: {'、'.join(level.name for level in self.pay_levels)})",
            )
        checks.raise_if_any()
        return self

    def level(self, name: str) -> PayLevel | None:
        return next((level for level in self.pay_levels if level.name == name), None)


# ---------------------------------------------------------------- 数据支持

ReportCycle = Literal["daily", "weekly", "monthly"]
REPORT_LABELS: dict[str, str] = {"daily": "日报", "weekly": "周报", "monthly": "月报"}


class DataSupport(Model):
    """数据支持：服务数据监控、客户反馈与市场调研。"""

    tools: list[Line] = Field(
        default_factory=lambda: ["千牛工作台", "生意参谋", "客服绩效管理系统"], min_length=1, title="数据工具"
    )
    monitoring: list[Line] = Field(
        default_factory=lambda: ["咨询量", "首次响应时间", "平均响应时间", "询单转化率", "退款纠纷率", "客户满意率"],
        min_length=1,
        title="监控指标",
    )
    report_cycle: ReportCycle = Field(
        default="weekly", title="数据报告周期", description="daily 日报；weekly 周报；monthly 月报"
    )
    feedback_channels: list[Line] = Field(
        default_factory=lambda: ["售后回访", "商品评价与追评", "服务满意度问卷"], min_length=1, title="客户反馈渠道"
    )
    market_research: list[Text] = Field(
        default_factory=lambda: [
            "每半年调研同地区、同行业客服岗位的薪酬水平，作为调整薪酬标准的依据",
            "跟踪同类店铺的服务标准与响应时效，查找自身差距",
            "关注平台规则与消费者需求的变化，及时调整招聘标准和培训内容",
        ],
        min_length=1,
        title="市场调研",
    )
    owner: Line | None = Field(
        default=None, title="数据负责部门", description="可选；不写则为适用部门（goals.department）"
    )


# ---------------------------------------------------------------- checks across chapters


def _check_targets(checks: CrossFieldChecks, goals: Goals, situation: Situation) -> None:
    for target_name, rate_name, word in (
        ("turnover_target", "turnover_rate", "turnover"),
        ("complaint_target", "complaint_rate", "complaint"),
    ):
        target, current = getattr(goals, target_name), getattr(situation, rate_name)
        if target is None:
            continue
        if current is None:
            checks.fail(("goals", target_name), f"a {word} target needs the current rate: add situation.{rate_name}")
        elif target >= current:
            checks.fail(
                ("goals", target_name),
                f"the {word} target {target:%} is not below the current rate {current:%}",
            )


def _check_hiring_covers_gap(checks: CrossFieldChecks, situation: Situation, recruitment: Recruitment) -> None:
    if recruitment.hiring and recruitment.total_hires < situation.gap:
        checks.fail(
            ("recruitment", "hiring"),
            f"the hiring batches add up to {recruitment.total_hires}, fewer than the {situation.gap} agents needed "
            f"to go from {situation.current_headcount} to the planned {situation.planned_headcount}",
        )


def _check_promotion_grade(checks: CrossFieldChecks, appraisal: Appraisal, incentives: StaffIncentives) -> None:
    names = appraisal.grade_names()
    if incentives.promotion_grade not in names:
        checks.fail(
            ("incentives", "promotion_grade"),
            f"{incentives.promotion_grade!r} is not an appraisal grade (grades: {'、'.join(names)})",
        )


def _check_summary_articles(checks: CrossFieldChecks, summary: str | None, extra: dict) -> None:
    if summary is None and extra.get("summary"):
        checks.fail(("extra_articles", "summary"), "the summary chapter appears only with a summary text: add summary")


# ---------------------------------------------------------------- the plan


class StaffingPlan(PolicyDocument):
    """客服人员聘任方案。"""

    kind: Literal["staffing_plan"] = Field(title="文书类型")
    title: Line = Field(default="客服人员聘任方案", title="标题")
    goals: Goals = Field(default_factory=Goals, title="目标与范围")
    situation: Situation = Field(title="现状与需求")
    recruitment: Recruitment = Field(default_factory=Recruitment, title="招聘")
    training: Training = Field(default_factory=Training, title="培训")
    appraisal: Appraisal = Field(default_factory=Appraisal, title="绩效考核")
    incentives: StaffIncentives = Field(default_factory=StaffIncentives, title="激励机制")
    data_support: DataSupport = Field(default_factory=DataSupport, title="数据支持")
    summary: Text | None = Field(
        default=None, title="总结", description="可选；写出则增加“总结”一章，每行一条"
    )
    supplementary: Supplementary = Field(default_factory=Supplementary, title="附则")
    extra_articles: dict[ChapterKey, list[Article]] = Field(
        default_factory=dict,
        title="追加条款",
        description="按章追加的条款，键为章的名称（goals、situation、recruitment、training、appraisal、incentives、"
        "data_support、summary、supplementary），追加在该章末尾并接续编号",
    )

    cross_checks = (
        (_check_targets, ("goals", "situation")),
        (_check_hiring_covers_gap, ("situation", "recruitment")),
        (_check_promotion_grade, ("appraisal", "incentives")),
        (_check_summary_articles, ("summary", "extra_articles")),
    )
    labels = POLICY_LABELS | {
        "appraisal_cycle": APPRAISAL_CYCLE_LABELS,
        "report": REPORT_LABELS,
        "retake_outcome": RETAKE_OUTCOME_LABELS,
    }


__all__ = [
    "Appraisal",
    "AppraisalGrade",
    "AppraisalKpi",
    "DataSupport",
    "Goals",
    "HiringBatch",
    "Interview",
    "JobDescription",
    "PayLevel",
    "Recruitment",
    "Situation",
    "StaffIncentives",
    "StaffingPlan",
    "Training",
]
