"""培训委托协议书: sections in the order of the domain brief, §1."""

from __future__ import annotations

from contractgen.kinds import Kind, SectionSpec
from contractgen.models.agreement import TrainingAgreement

KIND = Kind(
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
    title=lambda m: m.title,
    identifier=lambda m: m.contract_no,
    created=lambda m: m.signing.date,
    subject=lambda m: f"{m.parties.client.name}委托{m.parties.provider.name}开展客户服务培训",
    author=lambda m: m.parties.client.name,
)
