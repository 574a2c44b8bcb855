"""The Jinja2 environment a user template runs in, and what it sees.

The same filters as the built-in clause templates (``rmb_upper``, ``date``,
``cn``, ``article``…), the validated model, and two helpers:

- ``section(key, title=None)`` prints a section's heading (``第四条　培训费用及支付方式``)
  and records that the section was written, so the required sections can be
  checked on the output;
- ``next_article()`` prints 第1条, 第2条… counted through the whole document.

The sandbox is Jinja2's immutable one (no ``__class__`` tricks, no mutation
of the data) with ``*`` and ``**`` intercepted, ``StrictUndefined`` (a
misspelt name is an error, never a blank), no loader (no ``include``), and
none of the globals with a ``__globals__`` to climb (``lipsum``, ``cycler``,
``joiner``).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import Any, Callable, Literal

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape
from pydantic import BaseModel

from contractgen.build.document import number_sections, template_context
from contractgen.clauses import FILTERS
from contractgen.errors import TemplateError
from contractgen.kinds import Kind
from contractgen.text.numerals import article_label
from contractgen.user_templates.limits import DEFAULT_LIMITS, LimitError, Limits

Flavour = Literal["docx", "html"]

#: A line break inside a DOCX run: close the text, break, reopen.
DOCX_LINE_BREAK = Markup('</w:t><w:br/><w:t xml:space="preserve">')
HTML_LINE_BREAK = Markup("<br>")
UNSAFE_GLOBALS = ("lipsum", "cycler", "joiner")


class LimitedTemplate(jinja2.Template):
    """Renders chunk by chunk, stopping once the output passes the size limit."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        limit = self.environment.limits.output_chars
        context = self.new_context(dict(*args, **kwargs))
        pieces: list[str] = []
        size = 0
        try:
            for piece in self.root_render_func(context):
                size += len(piece)
                if size > limit:
                    raise LimitError(f"the template's output passed {limit:,} characters and was stopped")
                pieces.append(piece)
        except LimitError:
            raise
        except Exception:
            self.environment.handle_exception()
        return "".join(pieces)


class UserTemplateEnvironment(ImmutableSandboxedEnvironment):
    """Immutable sandbox + bounded ``*`` and ``**`` + bounded output."""

    template_class = LimitedTemplate
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, limits: Limits = DEFAULT_LIMITS, **options: Any) -> None:
        super().__init__(**options)
        self.limits = limits

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        if op == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(count, int):
                    if len(sequence) * count > self.limits.sequence_items:
                        raise LimitError(
                            f"'…' * {count} would build {len(sequence) * count:,} items "
                            f"(the limit is {self.limits.sequence_items:,})"
                        )
            return operator.mul(left, right)
        if op == "**":
            if isinstance(right, (int, float)) and abs(right) > self.limits.exponent:
                raise LimitError(f"the power {right} is larger than the limit {self.limits.exponent}")
            if isinstance(left, int) and isinstance(right, int) and abs(left).bit_length() * right > self.limits.number_bits:
                raise LimitError(f"{left} ** {right} would be a number of more than {self.limits.number_bits:,} bits")
            return operator.pow(left, right)
        return super().call_binop(context, op, left, right)


def _finalize_for(flavour: Flavour) -> Callable[[Any], Markup]:
    line_break = DOCX_LINE_BREAK if flavour == "docx" else HTML_LINE_BREAK

    def finalize(value: Any) -> Markup:
        """Escape a value for XML/HTML (once) and make its line breaks real."""
        if value is None:
            raise TemplateError("the template printed a missing (None) value; guard it with {% if %}")
        if isinstance(value, Markup):
            return value
        return line_break.join(escape(line) for line in str(value).split("\n"))

    return finalize


def user_environment(flavour: Flavour, limits: Limits = DEFAULT_LIMITS) -> UserTemplateEnvironment:
    """A fresh environment (no cache: a template is compiled once per render anyway)."""
    env = UserTemplateEnvironment(
        limits=limits,
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize_for(flavour),
        trim_blocks=flavour == "html",
        lstrip_blocks=flavour == "html",
    )
    for name in UNSAFE_GLOBALS:
        env.globals.pop(name, None)
    env.filters.update(FILTERS)
    return env


@dataclass
class SectionLog:
    """The sections a render wrote, in order, with the text that proves each."""

    kind: Kind
    model: Any
    numbers: dict[str, str]
    written: list[tuple[str, str]] = field(default_factory=list)

    def heading(self, key: str, title: str | None = None) -> str:
        spec = next((s for s in self.kind.sections if s.key == key), None)
        if spec is None:
            keys = ", ".join(s.key for s in self.kind.sections)
            raise TemplateError(f"section({key!r}): {self.kind.name} has no such section; its sections: {keys}")
        if not spec.present(self.model):
            raise TemplateError(
                f"section({key!r}) is written, but this {self.kind.name} has no {key}; wrap it in {{% if {key} %}}"
            )
        if any(written == key for written, _ in self.written):
            raise TemplateError(f"section({key!r}) is written twice")
        name = str(title) if title is not None else (self.kind.title(self.model) if key == "cover" else spec.label)
        if not name.strip():
            raise TemplateError(f"section({key!r}, title) needs a title that prints something")
        number = self.numbers.get(key, "")
        text = f"{number}\u3000{name}" if number else name
        self.written.append((key, text))
        return text


class ArticleCounter:
    """``next_article()``: 第1条, 第2条… through the whole document."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return article_label(self.count)


def user_context(model: BaseModel, kind: Kind) -> tuple[dict[str, Any], SectionLog]:
    """What a user template sees: the clause templates' context plus ``section`` and ``next_article``."""
    numbers = number_sections(model, kind)
    log = SectionLog(kind, model, numbers)
    context = template_context(model) | {
        "numbers": numbers,
        "locale": model.locale,
        "section": log.heading,
        "next_article": ArticleCounter(),
    }
    return context, log


CONTEXT_HELPERS = ("doc", "labels", "numbers", "locale", "section", "next_article")

