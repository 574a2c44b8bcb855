"""Model + clause templates → intermediate document, for any kind.

Each section of the kind is one clause template
(``templates/<kind>/<locale>/<section>.j2``).  Numbers are given here, in
order, so they can never be typed by hand: in an agreement each numbered
section is a 第N条; in a chaptered document (regulations, policies) each is a
第N章 and the ``article:`` lines inside are 第N条, counted on through the
whole document.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

from contractgen.build.markup import parse_section
from contractgen.clauses import clause_environment, protect_value, render_clause
from contractgen.errors import TemplateError
from contractgen.ir import ContentsEntry, Document, Metadata, Section, TableOfContents
from contractgen.kinds import Kind, SectionSpec
from contractgen.resources import templates_dir
from contractgen.text.numerals import article_label, chapter_label

CONTENTS_TITLE = "目\u3000录"


def template_context(model: BaseModel) -> dict[str, Any]:
    """What a clause template sees: every top-level field, the model as ``doc``, and ``labels``.

    ``labels`` is the kind's label tables (``labels.assessment["role_play"]`` is 情景模拟), read-only.
    """
    context = {name: getattr(model, name) for name in type(model).model_fields}
    context["doc"] = model
    tables = getattr(type(model), "labels", {})
    context["labels"] = MappingProxyType({name: MappingProxyType(dict(table)) for name, table in tables.items()})
    return context


def number_sections(model: Any, kind: Kind) -> dict[str, str]:
    """第N条 (agreements) or 第N章 (chaptered kinds) for each present numbered section."""
    label = chapter_label if kind.layout == "chapters" else article_label
    present = [s for s in kind.sections if s.numbered and s.present(model)]
    return {spec.key: label(index) for index, spec in enumerate(present, start=1)}


def build_document(model: Any, kind: Kind, root: Path | None = None) -> Document:
    """Render every present section of ``kind``, numbered in order."""
    env = clause_environment(root or templates_dir())
    numbers = number_sections(model, kind)
    context = template_context(model) | {"numbers": numbers, "locale": model.locale}  # numbers.fees → 第四条
    chaptered = kind.layout == "chapters"
    sections: list[Section] = []
    articles = 0
    for spec in kind.sections:
        if not spec.present(model):
            continue
        section, articles = _build_section(
            env, spec, kind, model, context, numbers.get(spec.key, ""), articles if chaptered else None
        )
        sections.append(section)
    metadata = document_metadata(model, kind)
    return Document(
        kind=kind.name,
        locale=model.locale,
        metadata=metadata,
        header_text=f"{metadata.title}\u3000{metadata.identifier}".strip(),
        sections=tuple(sections),
        layout=kind.layout,
        contents=table_of_contents(sections) if kind.table_of_contents else None,
    )


def document_metadata(model: Any, kind: Kind) -> Metadata:
    """The document properties (DOCX core properties, PDF info), the same for built-in and user templates."""
    identifier = kind.identifier(model)
    return Metadata(
        title=kind.title(model),
        identifier=identifier,
        subject=kind.subject(model),
        author=kind.author(model),
        keywords=f"{kind.label} {identifier}".strip(),
        created=kind.created(model),
        language=model.locale,
    )


def table_of_contents(sections: list[Section]) -> TableOfContents:
    return TableOfContents(
        CONTENTS_TITLE, tuple(ContentsEntry(s.heading, s.anchor) for s in sections if s.show_heading)
    )


def _build_section(
    env: Any, spec: SectionSpec, kind: Kind, model: Any, context: dict, number: str, articles_before: int | None
) -> tuple[Section, int]:
    name = f"{kind.name}/{model.locale}/{spec.key}.j2"
    text = render_clause(env, name, context) + extra_articles_markup(model, spec.key)
    parsed = parse_section(text, name, articles_before)
    if spec.show_heading and not parsed.title:
        raise TemplateError(f"{name}: a section with a heading needs a 'title:' line")
    section = Section(
        key=spec.key,
        title=parsed.title or spec.label,
        number=number,
        blocks=parsed.blocks,
        show_heading=spec.show_heading,
    )
    return section, parsed.last_article


def extra_articles_markup(model: Any, key: str) -> str:
    """The user's ``extra_articles`` for this chapter, as markup lines (escaped like any value)."""
    extra = getattr(model, "extra_articles", None) or {}
    lines = []
    for article in extra.get(key, ()):
        lines.append(f"article: {protect_value(article.text)}")
        lines.extend(f"item: {protect_value(item)}" for item in article.items)
    return "\n" + "\n".join(lines) + "\n" if lines else ""
