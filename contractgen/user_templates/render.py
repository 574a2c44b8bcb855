"""Rendering a user's template: lint first, render under limits, then check the output.

DOCX templates are docxtpl documents; HTML templates are Jinja2 + CSS laid
out by WeasyPrint.  Both see :func:`~contractgen.user_templates.environment.user_context`,
render in the limited sandbox (a forked child, see :mod:`.limits`), and are
checked afterwards exactly like the built-in templates: every required
section, in the kind's order, found in the written file.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import jinja2
from pydantic import BaseModel

from contractgen.clauses import template_line
from contractgen.errors import MissingSectionsError, TemplateError
from contractgen.ir import Metadata
from contractgen.kinds import Kind
from contractgen.user_templates.environment import user_context, user_environment
from contractgen.user_templates.files import TemplateSource
from contractgen.user_templates.limits import DEFAULT_LIMITS, LimitError, Limits, run_limited
from contractgen.user_templates.lint import jinja_sources, lint


@dataclass(frozen=True)
class Rendered:
    """What a user template produced: the file's bytes (DOCX) or text (HTML), and the sections it wrote."""

    output: bytes | str
    sections: tuple[tuple[str, str], ...]


def render_user_docx(template: TemplateSource, model: BaseModel, kind: Kind, metadata: Metadata,
                     limits: Limits = DEFAULT_LIMITS) -> Rendered:
    lint(template, kind)
    return run_limited(_docx_in_sandbox, template, model, kind, metadata, limits, limits=limits)


def render_user_html(template: TemplateSource, model: BaseModel, kind: Kind, limits: Limits = DEFAULT_LIMITS) -> Rendered:
    lint(template, kind)
    return run_limited(_html_in_sandbox, template, model, kind, limits, limits=limits)


def _docx_in_sandbox(template: TemplateSource, model: BaseModel, kind: Kind, metadata: Metadata, limits: Limits) -> Rendered:
    from docxtpl import DocxTemplate

    from contractgen.writers.determinism import normalise_zip
    from contractgen.writers.docx import set_core_properties

    context, log = user_context(model, kind)
    document = DocxTemplate(io.BytesIO(template.data))
    try:
        document.render(context, jinja_env=user_environment("docx", limits), autoescape=True)
    except LimitError:
        raise
    except (jinja2.TemplateError, TemplateError, TypeError, ValueError, ArithmeticError) as exc:
        raise TemplateError(_where(template, exc, _part_label(document)) + _message(exc)) from exc
    set_core_properties(document.docx, metadata, kind.name)
    buffer = io.BytesIO()
    document.save(buffer)
    return Rendered(normalise_zip(buffer.getvalue()), tuple(log.written))


def _html_in_sandbox(template: TemplateSource, model: BaseModel, kind: Kind, limits: Limits) -> Rendered:
    context, log = user_context(model, kind)
    env = user_environment("html", limits)
    try:
        html = env.from_string(template.text).render(context)
    except LimitError:
        raise
    except (jinja2.TemplateError, TemplateError, TypeError, ValueError, ArithmeticError) as exc:
        raise TemplateError(_where(template, exc, "") + _message(exc)) from exc
    return Rendered(html, tuple(log.written))


def _part_label(document: Any) -> str:
    part = getattr(document, "current_rendering_part", None)
    name = str(getattr(part, "partname", "")).rsplit("/", 1)[-1].removesuffix(".xml")
    return "body" if name in ("", "document") else name


def _message(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc)
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"blocked by the sandbox: {message}"
    return message


def _where(template: TemplateSource, exc: BaseException, part: str) -> str:
    """``house.html:12: `` or ``house.docx: body 「甲方：{{ … }}」: ``, from the error or its traceback."""
    line = getattr(exc, "lineno", None) or template_line(exc)
    if template.flavour == "html":
        return f"{template.name}:{line}: " if line else f"{template.name}: "
    source = next((s for s in jinja_sources(template) if s.part == part), None)
    if source is None or not line:
        return f"{template.name}: {part}: "
    return f"{template.name}: {source.locate(template.name, line).path}: "


def check_written_sections(texts: list[str], written: tuple[tuple[str, str], ...], kind: Kind, where: str) -> None:
    """Every required section was written by ``section()``, and its heading is in the output in the kind's order.

    ``texts`` are the output's paragraphs (DOCX) or pages (PDF); whitespace is
    ignored, because a PDF line may wrap inside a heading.
    """
    text = "".join(_squash(t) for t in texts)
    position = 0
    missing, out_of_order = [], []
    order = [spec.key for spec in kind.sections]
    for key, heading in sorted(written, key=lambda pair: order.index(pair[0])):
        needle = _squash(heading)
        found = text.find(needle, position)
        if found >= 0:
            position = found + len(needle)
        elif needle in text:
            out_of_order.append(f"{key} 「{heading}」")
    keys = [key for key, _ in written]
    missing = [f"{spec.label} ({spec.key})" for spec in kind.required_sections() if spec.key not in keys]
    if missing:
        raise MissingSectionsError(where, missing)
    if out_of_order:
        raise TemplateError(
            f"{where}: sections out of order: {', '.join(out_of_order)} comes too early "
            f"(the order of a {kind.name}: {' → '.join(order)})"
        )
    absent = [f"{key} 「{heading}」" for key, heading in written if _squash(heading) not in text]
    if absent:
        raise MissingSectionsError(where, absent)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)
