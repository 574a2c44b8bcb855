"""培训委托协议书 (training entrustment agreement): the data a contract says."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    PlainSerializer,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from contractgen.models.base import CrossFieldChecks, DocumentModel, Model, check_unique
from contractgen.models.common import (
    COMMON_LABELS,
    GradeBand,
    Kpi,
    Module,
    Party,
    check_grade_bands,
    practice_hours,
    total_hours,
)
from contractgen.money import Part, allocate, exact_share_of
from contractgen.types import Line, Money, PositiveMoney, Rate, Text, parse_rate

SUPPORTED_LOCALES = ("zh-CN",)


class Signing(Model):
    """签订日期与地点。"""

    date: dt.date = Field(title="签订日期", description="如 2026-12-01")
    place: Line = Field(title="签订地点", description="如 浙江省杭州市西湖区")


class Parties(Model):
    """委托方（甲方）与受托方（乙方）。"""

    client: Party = Field(title="委托方（甲方）")
    provider: Party = Field(title="受托方（乙方）")


class Trainees(Model):
    """参训人员。"""

    count: int = Field(gt=0, le=100000, title="参训人数")
    roles: list[Line] = Field(min_length=1, title="参训岗位", description="如 售前客服、售后客服、客服组长")


class Training(Model):
    """培训目的、对象与内容。"""

    purpose: list[Text] = Field(min_length=1, title="培训目的", description="每条一个目标")
    background: Text | None = Field(
        default=None, title="背景与基线", description="可选，如 上季度投诉率上升至 3.2%"
    )
    trainees: Trainees = Field(title="参训人员")
    modules: list[Module] = Field(min_length=1, title="培训模块")

    @model_validator(mode="after")
    def _unique_module_names(self) -> "Training":
        checks = CrossFieldChecks()
        check_unique(self.modules, "name", ("modules",), checks, "module")
        checks.raise_if_any()
        return self

    @property
    def total_hours(self) -> Decimal:
        return total_hours(self.modules)

    @property
    def practice_hours(self) -> Decimal:
        return practice_hours(self.modules)


class Term(Model):
    """培训期限。"""

    start: dt.date = Field(title="开始日期")
    end: dt.date = Field(title="结束日期")

    @model_validator(mode="after")
    def _ordered(self) -> "Term":
        checks = CrossFieldChecks()
        checks.require(self.start <= self.end, ("end",), f"term end {self.end} is before its start {self.start}")
        checks.raise_if_any()
        return self

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class Phase(Model):
    """培训阶段（分阶段实施，避免集中过载）。"""

    name: Line = Field(title="阶段名称")
    start: dt.date = Field(title="开始日期")
    end: dt.date = Field(title="结束日期")
    focus: Text | None = Field(default=None, title="阶段重点")


class Session(Model):
    """一次课：日期、起止时间、模块、地点或线上链接。"""

    date: dt.date = Field(title="日期")
    start: dt.time = Field(title="开始时间", description="如 09:00")
    end: dt.time = Field(title="结束时间", description="如 12:00")
    module: Line = Field(title="模块", description="须与 training.modules 中的名称一致")
    place: Line | None = Field(default=None, title="地点", description="线下课必填")
    link: Line | None = Field(default=None, title="线上链接或会议号", description="线上课必填")

    @property
    def minutes(self) -> int:
        start = dt.datetime.combine(self.date, self.start)
        return int((dt.datetime.combine(self.date, self.end) - start).total_seconds() // 60)


MODE_LABELS: dict[str, str] = {"online": "线上培训", "offline": "线下集中培训", "hybrid": "线上与线下相结合"}


class Schedule(Model):
    """培训方式与时间安排。"""

    mode: Literal["online", "offline", "hybrid"] = Field(
        title="培训方式", description="online 线上；offline 线下；hybrid 线上线下结合"
    )
    term: Term = Field(title="培训期限")
    frequency: Text | None = Field(default=None, title="培训频次", description="如 每周二、周四各一次")
    phases: list[Phase] = Field(default_factory=list, title="培训阶段")
    sessions: list[Session] = Field(default_factory=list, title="课程安排")

    @model_validator(mode="after")
    def _inside_term(self) -> "Schedule":
        checks = CrossFieldChecks()
        term = self.term
        for index, phase in enumerate(self.phases):
            loc = ("phases", index)
            checks.require(phase.start <= phase.end, loc + ("end",), f"phase end {phase.end} is before its start {phase.start}")
            for name in ("start", "end"):
                day = getattr(phase, name)
                checks.require(term.contains(day), loc + (name,), f"{day} is outside the term {term.start}–{term.end}")
        for index, session in enumerate(self.sessions):
            self._check_session(index, session, checks)
        checks.raise_if_any()
        return self

    def _check_session(self, index: int, session: Session, checks: CrossFieldChecks) -> None:
        loc = ("sessions", index)
        term = self.term
        checks.require(
            term.contains(session.date),
            loc + ("date",),
            f"{session.date} is outside the term {term.start}–{term.end}",
        )
        checks.require(session.end > session.start, loc + ("end",), f"ends at {session.end:%H:%M}, not after its start {session.start:%H:%M}")
        if self.mode == "offline":
            checks.require(session.place is not None, loc + ("place",), "an offline session needs a place")
        elif self.mode == "online":
            checks.require(session.link is not None, loc + ("link",), "an online session needs a link or meeting number")
        else:
            checks.require(
                session.place is not None or session.link is not None,
                loc,
                "a session of a hybrid programme needs a place or a link",
            )


SHARE_PLACES = 6
"""Decimal places of a share as a fraction (0.333333 = 33.3333 %)."""


def parse_share(value: Any) -> Decimal:
    """A share of the total: "30%" or 0.3, more than 0 and at most 100 %, to 0.0001 %."""
    try:
        share = parse_rate(value)
    except ValueError as error:
        raise ValueError(f"{error}; a share is a part of the total such as 30% or 0.3") from None
    if share == 0:
        raise ValueError("a share must be more than 0%")
    if share.as_tuple().exponent < -SHARE_PLACES:  # type: ignore[operator]
        raise ValueError(f"{value!r} is too fine: a share has at most 4 decimal places as a percentage, e.g. 33.3333%")
    return share


Share = Annotated[Decimal, BeforeValidator(parse_share), PlainSerializer(str, return_type=str, when_used="json")]


# The remainder rule is explained in English in contractgen.money; Fees applies it.
class Instalment(Model):
    """一期付款：名称、金额（或占总额的比例，或都不写）、到期日或触发事件。

    金额的计算规则：写了 amount 的，按所写金额；
    写了 share 的，为 总额 × 比例，向下取整到分；
    总额减去以上各期后的余额，由既不写金额也不写比例的各期平均分摊，每期向下取整到分，剩余的分计入其中最后一期（尾款）；
    各期都写了金额或比例时，比例取整剩余的分计入最后一个写比例的一期。
    各期之和因此总是恰好等于总额；校验后每一期都带有计算出的金额。
    """

    label: Line = Field(title="名称", description="如 首期款、第二期款、尾款")
    amount: PositiveMoney | None = Field(
        default=None,
        title="金额（元）",
        description="两位小数，如 36000.00；可不写：写 share 按比例计算，"
        "或都不写，由总额减去其他各期后的余额平均分摊（剩余的分计入最后一期）",
    )
    share: Share | None = Field(
        default=None,
        title="占总额比例",
        description="如 30% 或 0.3，与 amount 二选一；金额 = 总额 × 比例，向下取整到分"
        "（各期都写了金额或比例时，取整剩余的分计入最后一个写比例的一期）",
    )
    due: dt.date | None = Field(default=None, title="付款截止日")
    trigger: Text | None = Field(
        default=None, title="付款条件", description="如 本协议签订后 5 个工作日内；可与截止日同时写"
    )
    _computed: bool = PrivateAttr(default=False)

    @model_validator(mode="after")
    def _when_and_how_much(self) -> "Instalment":
        checks = CrossFieldChecks()
        checks.require(self.due is not None or self.trigger is not None, ("due",), "give a due date or a trigger event")
        # an instance passed in again still meets this validator: its computed amount is no conflict
        written, share = self.as_written
        checks.require(written is None or share is None, ("share",), "give an amount or a share, not both")
        checks.raise_if_any()
        return self

    @model_serializer(mode="wrap")
    def _as_written(self, handler: SerializerFunctionWrapHandler) -> Any:
        """A dump leaves a computed amount out, so it validates back to the same model."""
        data = handler(self)
        if self._computed and isinstance(data, dict):
            data.pop("amount", None)
        return data

    @property
    def as_written(self) -> Part:
        """``(amount, share)`` as the user wrote them (a computed amount is left out)."""
        return (None if self._computed else self.amount), self.share

    def with_amount(self, amount: Decimal) -> "Instalment":
        """A copy carrying a computed amount (the written form stays known, see :meth:`as_written`)."""
        if not self._computed and self.amount is not None:
            return self
        computed = self.model_copy(update={"amount": amount})
        computed._computed = True
        return computed


class PerformanceBonus(Model):
    """与培训效果评估结果挂钩的绩效奖励。"""

    amount: PositiveMoney = Field(title="奖励金额（元）")
    kpi: Line = Field(title="关联指标", description="须为 evaluation.kpis 中的指标名称")
    condition: Text = Field(title="支付条件", description="如 跟踪期满客户满意度达到目标值")
    due_days: int = Field(default=15, ge=1, le=365, title="评估后支付期限（日）")


INVOICE_LABELS: dict[str, str] = {"special": "增值税专用发票", "general": "增值税普通发票"}


class Fees(Model):
    """培训费用及支付方式。各期金额按分期付款中说明的规则计算，之和恰好等于总额。"""

    currency: Literal["CNY"] = Field(default="CNY", title="币种")
    total: PositiveMoney = Field(
        title="培训费用总额（元）", description="两位小数；各期金额之和必须恰好等于总额（按比例或不写金额的期次由程序计算）"
    )
    tax_included: bool = Field(title="是否含税")
    vat_rate: Rate = Field(title="增值税税率", description="如 6% 或 0.06")
    invoice_type: Literal["special", "general"] = Field(
        title="发票类型", description="special 增值税专用发票；general 增值税普通发票"
    )
    grace_days: int = Field(
        default=0, ge=0, le=365, title="付款宽限期（日）", description="付款截止日最晚可在培训结束后多少日"
    )
    instalments: list[Instalment] = Field(
        min_length=1,
        title="分期付款",
        description="每期写 amount（金额）、share（比例）或都不写；都不写的各期平分余额，剩余的分计入其中最后一期（尾款）",
    )
    bonus: PerformanceBonus | None = Field(default=None, title="绩效奖励", description="可选")

    @field_validator("instalments", mode="after")
    @classmethod
    def _allocate(cls, instalments: list[Instalment], info: ValidationInfo) -> list[Instalment]:
        """Every instalment with its amount, by the remainder rule; or every reason it cannot be done."""
        total = info.data.get("total")
        if total is None:  # the total itself is invalid and already reported
            return instalments
        parts = [instalment.as_written for instalment in instalments]
        checks = CrossFieldChecks()
        _check_parts(checks, total, parts)
        checks.raise_if_any()
        amounts = allocate(total, parts)
        _check_allocated(checks, total, parts, amounts)
        checks.raise_if_any()
        return [instalment.with_amount(amount) for instalment, amount in zip(instalments, amounts, strict=True)]


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}%"


def _check_parts(checks: CrossFieldChecks, total: Decimal, parts: list[Part]) -> None:
    """Shares within 100 %, amounts and shares within the total, and all of it when nothing is left open."""
    shares = Decimal(0)
    for index, (_, share) in enumerate(parts):
        if share is not None:
            shares += share
            if shares > 1:
                checks.fail((index, "share"), f"the shares add up to {_percent(shares)} by this instalment, more than 100%")
                return
    covered = Decimal(0)
    for index, (amount, share) in enumerate(parts):
        if amount is None and share is None:
            continue
        covered += amount if amount is not None else exact_share_of(total, share)  # type: ignore[arg-type]
        if covered > total:
            field = "amount" if amount is not None else "share"
            checks.fail((index, field), f"the amounts and shares come to {covered:.2f} by this instalment, more than the total {total:.2f}")
            return
    if all(amount is not None or share is not None for amount, share in parts) and covered != total:
        checks.fail((), _not_the_total(total, parts, covered))


def _not_the_total(total: Decimal, parts: list[Part], covered: Decimal) -> str:
    written = sum((amount for amount, _ in parts if amount is not None), Decimal("0.00"))
    shares = sum((share for _, share in parts if share is not None), Decimal(0))
    if not shares:
        return f"the instalments add up to {written:.2f}, not the total {total:.2f} (difference {written - total:+.2f})"
    what = f"the shares add up to {_percent(shares)}" + (f" and the amounts to {written:.2f}" if written else "")
    return (
        f"{what}, which does not make up the total {total:.2f}: "
        "correct them, or leave one instalment without amount and share to take the rest"
    )


def _check_allocated(checks: CrossFieldChecks, total: Decimal, parts: list[Part], amounts: list[Decimal]) -> None:
    """Every computed amount is at least 0.01; an open instalment needs something left of the total."""
    covered = sum(
        (amount if amount is not None else exact_share_of(total, share) for amount, share in parts if share is not None or amount is not None),  # type: ignore[arg-type]
        Decimal(0),
    )
    left = total - covered
    open_count = sum(1 for amount, share in parts if amount is None and share is None)
    for index, ((amount, share), computed) in enumerate(zip(parts, amounts, strict=True)):
        if share is not None and computed <= 0:
            checks.fail((index, "share"), f"{_percent(share)} of the total {total:.2f} is less than 0.01")
        elif amount is None and share is None and (left <= 0 or computed <= 0):
            reason = (
                f"the amounts and shares already make up the total {total:.2f}"
                if left <= 0
                else f"only {left.normalize():f} of the total {total:.2f} is left for {open_count} instalments without amount or share"
            )
            checks.fail((index, "amount"), f"nothing is left for this instalment (it would be {computed:.2f}): {reason}")


class Obligations(Model):
    """双方的权利与义务。默认条款来自模板，可追加或整体替换。"""

    client: list[Text] = Field(default_factory=list, title="甲方义务（追加）")
    provider: list[Text] = Field(default_factory=list, title="乙方义务（追加）")
    replace_defaults: bool = Field(
        default=False, title="替换默认条款", description="true 时只使用此处列出的义务，不再包含默认条款"
    )


EVALUATION_METHOD_LABELS: dict[str, str] = {
    "written_test": "笔试",
    "role_play": "情景模拟（角色扮演）",
    "case_analysis": "案例分析",
    "survey": "满意度问卷",
    "on_the_job": "在岗表现观察",
}


class Evaluation(Model):
    """培训效果评估。"""

    methods: list[Literal["written_test", "role_play", "case_analysis", "survey", "on_the_job"]] = Field(
        min_length=1,
        title="评估方式",
        description="written_test 笔试；role_play 情景模拟；case_analysis 案例分析；survey 满意度问卷；on_the_job 在岗表现",
    )
    grades: list[GradeBand] = Field(default_factory=list, title="成绩等级", description="分数段须覆盖 0–100")
    pass_grade: Line | None = Field(default=None, title="合格线等级")
    kpis: list[Kpi] = Field(default_factory=list, title="考核指标（培训前后对比）")
    follow_up_days: int | None = Field(default=None, ge=1, le=730, title="跟踪期（日）", description="培训结束后跟踪效果的天数")
    report_days: int = Field(default=10, ge=1, le=90, title="评估报告提交期限（日）")
    feedback: list[Text] = Field(default_factory=list, title="反馈渠道", description="如 课后问卷、线上讨论区")

    @model_validator(mode="after")
    def _grades_cover_scores(self) -> "Evaluation":
        checks = CrossFieldChecks()
        check_grade_bands(self.grades, checks, ("grades",))
        if self.pass_grade is not None:
            checks.require(
                any(g.name == self.pass_grade for g in self.grades),
                ("pass_grade",),
                f"{self.pass_grade!r} is not one of the grades",
            )
        checks.raise_if_any()
        return self


class Confidentiality(Model):
    """保密与个人信息保护。"""

    years_after_end: int = Field(default=2, ge=0, le=50, title="协议终止后保密期限（年）")
    personal_information: bool = Field(default=True, title="适用个人信息保护条款")
    extra: list[Text] = Field(default_factory=list, title="补充约定")


class IntellectualProperty(Model):
    """培训资料与录像的知识产权。"""

    owner: Literal["provider", "client", "joint"] = Field(
        default="provider", title="著作权归属", description="provider 乙方；client 甲方；joint 双方共有"
    )
    internal_use_licence: bool = Field(default=True, title="甲方可内部使用", description="甲方可为内部培训目的无偿使用")
    recording_allowed: bool = Field(default=False, title="允许录音录像")


class Liability(Model):
    """违约责任。"""

    late_payment_daily_rate: Rate = Field(title="逾期付款日违约金比例", description="如 0.05%（万分之五）")
    provider_delay_daily_rate: Rate | None = Field(default=None, title="乙方逾期履行日违约金比例")
    cap: Money | None = Field(default=None, title="违约金上限（元）", description="可选，不超过费用总额")


class ChangeTermination(Model):
    """协议的变更与解除。"""

    notice_days: int = Field(default=15, ge=1, le=365, title="提前书面通知天数")
    conditions: list[Text] = Field(default_factory=list, title="解除条件（追加）")
    force_majeure_notice_days: int = Field(default=3, ge=1, le=60, title="不可抗力通知期限（日）")


class Arbitration(Model):
    """仲裁：须写明具体的仲裁委员会。"""

    commission: Line = Field(title="仲裁委员会", description="如 杭州仲裁委员会")


COURT_LABELS: dict[str, str] = {
    "client_domicile": "甲方住所地有管辖权的人民法院",
    "provider_domicile": "乙方住所地有管辖权的人民法院",
    "signing_place": "本协议签订地有管辖权的人民法院",
}


class Litigation(Model):
    """诉讼：写明法院，或选择管辖规则。"""

    court: Line | None = Field(default=None, title="管辖法院", description="如 杭州市西湖区人民法院")
    rule: Literal["client_domicile", "provider_domicile", "signing_place"] | None = Field(
        default=None, title="管辖规则", description="client_domicile 甲方住所地；provider_domicile 乙方住所地；signing_place 签订地"
    )

    @model_validator(mode="after")
    def _court_or_rule(self) -> "Litigation":
        checks = CrossFieldChecks()
        checks.require((self.court is None) != (self.rule is None), ("court",), "name exactly one of court or rule")
        checks.raise_if_any()
        return self


ARBITRATION_AND_LITIGATION = (
    "choose either arbitration or litigation, not both: an agreement that allows both is void "
    "(SPC interpretation of the Arbitration Law, art. 7)"
)


class Disputes(Model):
    """争议解决：先协商，再仲裁或诉讼（二选一）。"""

    negotiation_days: int = Field(default=30, ge=1, le=180, title="协商期限（日）")
    arbitration: Arbitration | None = Field(default=None, title="仲裁")
    litigation: Litigation | None = Field(default=None, title="诉讼")
    governing_law: Line = Field(default="中华人民共和国法律", title="适用法律")

    @model_validator(mode="after")
    def _exactly_one_forum(self) -> "Disputes":
        checks = CrossFieldChecks()
        if self.arbitration is not None and self.litigation is not None:
            checks.fail(("litigation",), ARBITRATION_AND_LITIGATION)
        elif self.arbitration is None and self.litigation is None:
            checks.fail((), "name a forum: either arbitration (with a commission) or litigation")
        checks.raise_if_any()
        return self


class Effectiveness(Model):
    """协议生效及份数。"""

    on: Literal["signature"] | dt.date = Field(
        default="signature", title="生效方式", description="signature：双方签字盖章之日起生效；或写一个日期"
    )
    copies: int = Field(default=2, ge=2, le=10, title="份数")
    annexes: list[Line] = Field(default_factory=list, title="附件")

    @model_validator(mode="after")
    def _even_copies(self) -> "Effectiveness":
        checks = CrossFieldChecks()
        checks.require(self.copies % 2 == 0, ("copies",), "copies must be even so each party holds the same number")
        checks.raise_if_any()
        return self


def _check_sessions_match_modules(checks: CrossFieldChecks, training: Training, schedule: Schedule) -> None:
    modules = {m.name: m for m in training.modules}
    minutes: dict[str, int] = {}
    for index, session in enumerate(schedule.sessions):
        if session.module not in modules:
            known = "、".join(modules)
            checks.fail(("schedule", "sessions", index, "module"), f"{session.module!r} is not a module (modules: {known})")
            continue
        minutes[session.module] = minutes.get(session.module, 0) + session.minutes
    for index, module in enumerate(training.modules):
        if module.name in minutes and Decimal(minutes[module.name]) != module.hours * 60:
            scheduled = Decimal(minutes[module.name]) / 60
            checks.fail(
                ("training", "modules", index, "hours"),
                f"{module.name} has {module.hours} hours but its sessions add up to {scheduled.normalize()} hours",
            )


def _check_due_dates(checks: CrossFieldChecks, signing: Signing, schedule: Schedule, fees: Fees) -> None:
    for index, instalment in enumerate(fees.instalments):
        if instalment.due is None:
            continue
        loc = ("fees", "instalments", index, "due")
        # counted in days, not as end + grace: a term ending 9999-12-31 has no later date to compare with
        if (instalment.due - schedule.term.end).days > fees.grace_days:
            grace = f" plus {fees.grace_days} days' grace" if fees.grace_days else ""
            checks.fail(loc, f"{instalment.due} is after the term end {schedule.term.end}{grace}")
        if instalment.due < signing.date:
            checks.fail(loc, f"{instalment.due} is before the signing date {signing.date}")


def _check_bonus(checks: CrossFieldChecks, fees: Fees, evaluation: Evaluation | None) -> None:
    if fees.bonus is None:
        return
    kpis = [k.name for k in evaluation.kpis] if evaluation else []
    if fees.bonus.kpi not in kpis:
        hint = f" (KPIs: {'、'.join(kpis)})" if kpis else ": add evaluation.kpis"
        checks.fail(("fees", "bonus", "kpi"), f"the bonus is tied to {fees.bonus.kpi!r}, which is not an evaluation KPI{hint}")


def _check_liability_cap(checks: CrossFieldChecks, fees: Fees, liability: Liability | None) -> None:
    if liability and liability.cap is not None and liability.cap > fees.total:
        checks.fail(("liability", "cap"), f"the cap {liability.cap:.2f} exceeds the total fee {fees.total:.2f}")


class TrainingAgreement(DocumentModel):
    """培训委托协议书。"""

    kind: Literal["training_agreement"] = Field(title="文书类型")
    locale: Literal["zh-CN"] = Field(default="zh-CN", title="语言区域")
    title: Line = Field(default="培训委托协议书", title="标题")
    contract_no: Line = Field(title="合同编号", description="也用作输出文件名", max_length=64)
    signing: Signing = Field(title="签订信息")
    parties: Parties = Field(title="协议双方")
    training: Training = Field(title="培训目的与内容")
    schedule: Schedule = Field(title="培训方式与时间")
    fees: Fees = Field(title="培训费用及支付方式")
    obligations: Obligations = Field(default_factory=Obligations, title="双方的权利与义务")
    evaluation: Evaluation | None = Field(default=None, title="培训效果评估")
    confidentiality: Confidentiality | None = Field(default=None, title="保密与个人信息保护")
    intellectual_property: IntellectualProperty | None = Field(default=None, title="知识产权")
    liability: Liability | None = Field(default=None, title="违约责任")
    change_termination: ChangeTermination = Field(default_factory=ChangeTermination, title="协议的变更与解除")
    disputes: Disputes = Field(title="争议解决")
    effectiveness: Effectiveness = Field(default_factory=Effectiveness, title="协议生效及其他")

    cross_checks = (
        (_check_sessions_match_modules, ("training", "schedule")),
        (_check_due_dates, ("signing", "schedule", "fees")),
        (_check_bonus, ("fees", "evaluation")),
        (_check_liability_cap, ("fees", "liability")),
    )
    labels = COMMON_LABELS | {
        "mode": MODE_LABELS,
        "invoice": INVOICE_LABELS,
        "evaluation_method": EVALUATION_METHOD_LABELS,
        "court": COURT_LABELS,
    }
