"""The document kinds: their model, their sections (required or not), their templates.

A kind declares its sections once, here.  The builder renders them in this
order, and the checker verifies the required ones on the intermediate
document and again on the written DOCX.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from pydantic import BaseModel

from contractgen.models.agreement import TrainingAgreement


@dataclass(frozen=True)
class SectionSpec:
    """One section of a kind: its key, its Chinese label, and when it appears."""

    key: str
    label: str
    required: bool
    numbered: bool = True
    show_heading: bool = True
    present: Callable[[Any], bool] = lambda model: True


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    model: type[BaseModel]
    sections: tuple[SectionSpec, ...]
    subject: Callable[[Any], str]
    author: Callable[[Any], str]
    file_stem: Callable[[Any], str]

    def required_sections(self) -> tuple[SectionSpec, ...]:
        return tuple(s for s in self.sections if s.required)


TRAINING_AGREEMENT = Kind(
    name="training_agreement",
    label="培训委托协议书",
    model=TrainingAgreement,
    sections=(
        SectionSpec("cover", "标题、合同编号、签订日期与地点", required=True, numbered=False, show_heading=False),
        SectionSpec("parties", "委托方与受托方信息", required=True, numbered=False, show_heading=False),
        SectionSpec("purpose", "培训目的", required=True),
        SectionSpec("content", "培训内容", required=True),
        SectionSpec("schedule", "培训方式与时间", required=True),
        SectionSpec("fees", "培训费用及支付方式", required=True),
        SectionSpec("obligations", "双方的权利与义务", required=True),
        SectionSpec("evaluation", "培训效果评估", required=False, present=lambda m: m.evaluation is not None),
        SectionSpec(
            "confidentiality", "保密与个人信息保护", required=False, present=lambda m: m.confidentiality is not None
        ),
        SectionSpec(
            "intellectual_property", "知识产权", required=False, present=lambda m: m.intellectual_property is not None
        ),
        SectionSpec("liability", "违约责任", required=False, present=lambda m: m.liability is not None),
        SectionSpec("change_termination", "协议的变更与解除", required=True),
        SectionSpec("disputes", "争议解决", required=True),
        SectionSpec("effectiveness", "协议生效及其他", required=True),
        SectionSpec("signature", "签署栏", required=True, numbered=False, show_heading=False),
    ),
    subject=lambda m: f"{m.parties.client.name}委托{m.parties.provider.name}开展客户服务培训",
    author=lambda m: m.parties.client.name,
    file_stem=lambda m: m.contract_no,
)

KINDS: dict[str, Kind] = {kind.name: kind for kind in (TRAINING_AGREEMENT,)}


def kind_named(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown kind {name!r}; known kinds: {', '.join(KINDS)}") from None
