"""客服人员聘任方案: chapters in the order of the domain brief, §4."""

from __future__ import annotations

from contractgen.kinds import SectionSpec
from contractgen.kinds.policy import policy_kind
from contractgen.models.staffing_plan import StaffingPlan

KIND = policy_kind(
    "staffing_plan",
    "客服人员聘任方案",
    StaffingPlan,
    (
        SectionSpec("goals", "目标与范围", required=True),
        SectionSpec("situation", "现状与需求", required=True),
        SectionSpec("recruitment", "招聘", required=True),
        SectionSpec("training", "培训", required=True),
        SectionSpec("appraisal", "绩效考核", required=True),
        SectionSpec("incentives", "激励机制", required=True),
        SectionSpec("data_support", "数据支持", required=True),
        SectionSpec("summary", "总结", required=False, present=lambda m: m.summary is not None),
        SectionSpec("supplementary", "附则", required=True),
    ),
)
