"""服务质量提升方案: chapters in the order of the domain brief, §5."""

from __future__ import annotations

from contractgen.kinds import SectionSpec
from contractgen.kinds.policy import policy_kind
from contractgen.models.quality_plan import QualityPlan

KIND = policy_kind(
    "quality_plan",
    "服务质量提升方案",
    QualityPlan,
    (
        SectionSpec("general", "总则", required=True),
        SectionSpec("training", "培训体系", required=True),
        SectionSpec("standards", "服务标准", required=True),
        SectionSpec("assessment", "动态考核", required=True),
        SectionSpec("process", "服务流程优化", required=True),
        SectionSpec("incentives", "激励与文化", required=True),
        SectionSpec("technology", "技术支持", required=True),
        SectionSpec("optimisation", "数据驱动优化", required=False, present=lambda m: m.optimisation is not None),
        SectionSpec("supplementary", "附则", required=True),
    ),
)
