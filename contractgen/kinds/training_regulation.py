"""客服培训管理制度: chapters in the order of the domain brief, §2; all required."""

from __future__ import annotations

from contractgen.kinds import SectionSpec
from contractgen.kinds.policy import policy_kind
from contractgen.models.training_regulation import TrainingRegulation

KIND = policy_kind(
    "training_regulation",
    "培训管理制度",
    TrainingRegulation,
    (
        SectionSpec("general", "总则", required=True),
        SectionSpec("organisation", "培训组织与职责", required=True),
        SectionSpec("needs", "培训需求分析", required=True),
        SectionSpec("planning", "培训计划", required=True),
        SectionSpec("content", "培训内容", required=True),
        SectionSpec("methods", "培训方式", required=True),
        SectionSpec("implementation", "培训实施", required=True),
        SectionSpec("evaluation", "培训效果评估", required=True),
        SectionSpec("records", "培训档案管理", required=True),
        SectionSpec("incentives", "激励与约束", required=True),
        SectionSpec("supplementary", "附则", required=True),
    ),
)
