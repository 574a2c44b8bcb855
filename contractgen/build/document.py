"""Model + clause templates → intermediate document, for any kind.

Each section of the kind is one clause template
(``templates/<kind>/<locale>/<section>.j2``); numbered sections get their
第N条 here, in order, so numbering can never be typed by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from contractgen.build.markup import parse_section
from contractgen.clauses import clause_environment, render_clause
from contractgen.errors import TemplateError
from contractgen.ir import Document, Metadata, Section
from contractgen.kinds import Kind, SectionSpec
from contractgen.resources import templates_dir
from contractgen.text.numerals import article_label


def template_context(model: BaseModel) -> dict[str, Any]:
    """What a clause template sees: every top-level field, plus the model as ``doc``."""
    context = {name: getattr(model, name) for name in type(model).model_fields}
    context["doc"] = model
    return context


def number_articles(model: Any, kind: Kind) -> dict[str, str]:
    """第N条 for each present numbered section, so clauses can cite each other."""
    present = [s for s in kind.sections if s.numbered and s.present(model)]
    return {spec.key: article_label(index) for index, spec in enumerate(present, start=1)}


def build_document(model: Any, kind: Kind, root: Path | None = None) -> Document:
    """Render every present section of ``kind``, numbered in order."""
    env = clause_environment(root or templates_dir())
    articles = number_articles(model, kind)
    context = template_context(model) | {"articles": articles, "locale": model.locale}
    sections = tuple(
        _build_section(env, spec, kind, model.locale, context, articles.get(spec.key, ""))
        for spec in kind.sections
        if spec.present(model)
    )
    return Document(
        kind=kind.name,
        locale=model.locale,
        metadata=Metadata(
            title=model.title,
            identifier=str(getattr(model, "contract_no", "")),
            subject=kind.subject(model),
            author=kind.author(model),
            keywords=f"{kind.label} {getattr(model, 'contract_no', '')}".strip(),
            created=model.signing.date,
            language=model.locale,
        ),
        header_text=f"{model.title}　{getattr(model, 'contract_no', '')}".strip(),
        sections=sections,
    )


def _build_section(env: Any, spec: SectionSpec, kind: Kind, locale: str, context: dict, number: str) -> Section:
    name = f"{kind.name}/{locale}/{spec.key}.j2"
    parsed = parse_section(render_clause(env, name, context), name)
    if spec.show_heading and not parsed.title:
        raise TemplateError(f"{name}: a section with a heading needs a 'title:' line")
    return Section(
        key=spec.key,
        title=parsed.title or spec.label,
        number=number,
        blocks=parsed.blocks,
        show_heading=spec.show_heading,
    )
