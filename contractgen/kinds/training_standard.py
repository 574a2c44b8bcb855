"""客户服务岗位培训标准: chapters in the order of the domain brief, §3."""

from __future__ import annotations

from contractgen.kinds import SectionSpec
from contractgen.kinds.policy import policy_kind
from contractgen.models.training_standard import TrainingStandard

KIND = policy_kind(
    "training_standard",
    "客户服务岗位培训标准",
    TrainingStandard,
    (
        SectionSpec("general", "总则", required=True),
        SectionSpec("objectives", "培训目标", required=True),
        SectionSpec("content", "培训内容与要求", required=True),
        SectionSpec("assessment", "培训考核", required=True),
        SectionSpec("revision", "标准的修订", required=True),
        SectionSpec("supplementary", "附则", required=True),
    ),
)
