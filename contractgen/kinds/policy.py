"""What the policy kinds (制度, 标准, 方案) share: chapter layout, a table of contents, metadata from the cover line."""

from __future__ import annotations

from pydantic import BaseModel

from contractgen.kinds import Kind, SectionSpec

COVER = SectionSpec("cover", "标题、公司名称、文件编号、版本与生效日期", required=True, numbered=False, show_heading=False)


def policy_kind(name: str, label: str, model: type[BaseModel], chapters: tuple[SectionSpec, ...]) -> Kind:
    """A kind laid out as 第N章 chapters over continuously numbered 第N条 articles, after a cover and a contents list."""
    return Kind(
        name=name,
        label=label,
        model=model,
        sections=(COVER, *chapters),
        title=lambda m: m.title,
        identifier=lambda m: m.info.doc_no,
        created=lambda m: m.info.effective_date,
        subject=lambda m: f"{m.info.company}{m.title}",
        author=lambda m: m.info.company,
        layout="chapters",
        table_of_contents=True,
    )
