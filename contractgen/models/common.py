"""Building blocks shared by every document kind: parties, modules, KPIs, grades."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Literal

from pydantic import Field, model_validator

from contractgen.models.base import CrossFieldChecks, Model
from contractgen.types import CreditCode, Email, Hours, Line, Phone, Text


class BankAccount(Model):
    """开户银行与账号。"""

    bank: Line = Field(title="开户银行", description="开户银行全称，如 中国工商银行杭州西湖支行")
    account: Line = Field(title="银行账号")


class Party(Model):
    """合同一方（委托方或受托方）的主体信息。"""

    name: Line = Field(title="名称", description="营业执照上的全称")
    credit_code: CreditCode = Field(
        title="统一社会信用代码", description="18 位，按 GB 32100 校验最后一位校验码"
    )
    address: Line = Field(title="住所/地址")
    legal_representative: Line = Field(title="法定代表人")
    contact: Line = Field(title="联系人")
    phone: Phone = Field(title="联系电话")
    email: Email = Field(title="电子邮箱")
    bank: BankAccount | None = Field(default=None, title="开户银行及账号", description="可选")


class Module(Model):
    """一个培训模块：名称、课时、主题、实操/角色扮演课时。"""

    name: Line = Field(title="模块名称", description="如 产品知识、服务礼仪、投诉处理")
    hours: Hours = Field(title="课时（小时）", description="本模块总课时，可写 1.5")
    topics: list[Text] = Field(min_length=1, title="主要内容", description="本模块讲授的主题")
    practice_hours: Decimal = Field(
        default=Decimal(0), ge=0, decimal_places=1, title="实操/角色扮演课时", description="包含在总课时之内"
    )

    @model_validator(mode="after")
    def _practice_within_hours(self) -> "Module":
        checks = CrossFieldChecks()
        checks.require(
            self.practice_hours <= self.hours,
            ("practice_hours",),
            f"{self.practice_hours} practice hours exceed the module's {self.hours} hours",
        )
        checks.raise_if_any()
        return self


def total_hours(modules: Iterable[Module]) -> Decimal:
    return sum((m.hours for m in modules), Decimal(0))


def practice_hours(modules: Iterable[Module]) -> Decimal:
    return sum((m.practice_hours for m in modules), Decimal(0))


class Kpi(Model):
    """一项考核指标：基线、目标与改进方向。"""

    name: Line = Field(title="指标名称", description="如 客户满意度、首次响应时间")
    unit: Line = Field(title="单位", description="如 分、秒、%")
    baseline: Decimal | None = Field(default=None, title="基线值", description="培训前的实测值，可选")
    target: Decimal = Field(title="目标值")
    direction: Literal["higher", "lower"] = Field(
        title="改进方向", description="higher：越高越好（满意度）；lower：越低越好（响应时间、投诉率）"
    )

    @model_validator(mode="after")
    def _target_improves_on_baseline(self) -> "Kpi":
        checks = CrossFieldChecks()
        if self.baseline is not None:
            better = self.target > self.baseline if self.direction == "higher" else self.target < self.baseline
            checks.require(
                better,
                ("target",),
                f"target {self.target} is not better than the baseline {self.baseline} "
                f"({'higher' if self.direction == 'higher' else 'lower'} is better)",
            )
        checks.raise_if_any()
        return self


# A KPI's direction in clause text: as a judgement, as the bound before its target, as a sign in a table.
DIRECTION_LABELS: dict[str, str] = {"higher": "越高越好", "lower": "越低越好"}
BOUND_LABELS: dict[str, str] = {"higher": "不低于", "lower": "不超过"}
SIGN_LABELS: dict[str, str] = {"higher": "≥", "lower": "≤"}

COMMON_LABELS: dict[str, dict[str, str]] = {"direction": DIRECTION_LABELS, "bound": BOUND_LABELS, "sign": SIGN_LABELS}
"""The label tables every document kind's templates see (see :class:`~contractgen.models.base.DocumentModel`)."""


class GradeBand(Model):
    """一个成绩等级及其分数段（含两端）。"""

    name: Line = Field(title="等级", description="如 优秀、良好、合格、不合格")
    min_score: int = Field(ge=0, le=100, title="最低分")
    max_score: int = Field(ge=0, le=100, title="最高分")


def check_grade_bands(bands: list[GradeBand], checks: CrossFieldChecks, loc: tuple) -> None:
    """Score bands must cover 0–100 exactly once: no gap, no overlap."""
    covered = 0
    for index, band in sorted(enumerate(bands), key=lambda pair: pair[1].min_score):
        if band.min_score > band.max_score:
            checks.fail(loc + (index,), f"min_score {band.min_score} is above max_score {band.max_score}")
        elif band.min_score > covered:
            checks.fail(loc + (index,), f"scores {covered}–{band.min_score - 1} belong to no grade")
        elif band.min_score < covered:
            checks.fail(loc + (index,), f"{band.name} overlaps the band below it at {band.min_score}")
        covered = max(covered, band.max_score + 1)
    if bands and covered <= 100:
        checks.fail(loc, f"scores {covered}–100 belong to no grade")
