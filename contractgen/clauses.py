"""The one Jinja2 environment for clause templates, and its filters.

Clause templates are untrusted-by-default text: they run in Jinja2's
immutable sandbox with ``StrictUndefined`` (a blank where a name should be is
a defect in a contract).  Their output is the small line markup read by
:mod:`contractgen.build.markup`; every interpolated value passes through
:func:`protect_value`, so a value can never start a line or add a table cell.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Iterable

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from contractgen.errors import TemplateError
from contractgen.text.amount import format_amount_figures, rmb_uppercase
from contractgen.text.dates import (
    format_date_long,
    format_money,
    format_percent,
    format_time,
)
from contractgen.text.numerals import article_label, chinese_numeral

UPPERCASE_VARIANT = {"zh-CN": "zh-Hans", "zh-TW": "zh-Hant", "zh-HK": "zh-Hant"}


def protect_value(value: Any) -> str:
    """Escape what the markup gives meaning to: backslash, cell separator, line break."""
    if value is None:
        raise TemplateError("a template printed a missing (None) value; guard it with {% if %}")
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "\\n")


def _locale(context: Any) -> str:
    return context.get("locale", "zh-CN")


@jinja2.pass_context
def rmb_upper_filter(context: Any, amount: Decimal) -> str:
    return rmb_uppercase(amount, UPPERCASE_VARIANT.get(_locale(context), "zh-Hans"))


@jinja2.pass_context
def money_filter(context: Any, amount: Decimal, currency: str = "CNY") -> str:
    return format_money(amount, currency, _locale(context))


@jinja2.pass_context
def date_filter(context: Any, day: dt.date) -> str:
    return format_date_long(day, _locale(context))


@jinja2.pass_context
def time_filter(context: Any, moment: dt.time) -> str:
    return format_time(moment, _locale(context))


@jinja2.pass_context
def percent_filter(context: Any, rate: Decimal) -> str:
    return format_percent(rate, _locale(context))


def number_filter(value: Decimal | int) -> str:
    """12 → "12", 1.50 → "1.5": hours and counts without trailing zeros."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


_SENTENCE_ENDS = "。！？.!?…"
_SOFT_ENDS = "；;，,、：:"


def sentence_filter(text: str) -> str:
    """End a value with exactly one full stop, whatever the user typed at its end."""
    text = str(text).rstrip()
    if text and text[-1] in _SENTENCE_ENDS:
        return text
    if text and text[-1] in _SOFT_ENDS:
        text = text[:-1]
    return text + "。"


def unpunctuated_filter(text: str) -> str:
    """A value without its one closing mark, for a template that adds its own (；between items, 。after the last)."""
    text = str(text).rstrip()
    return text[:-1] if text and text[-1] in "。" + _SOFT_ENDS else text  # never ? ! or the . of "Co."


def count_filter(n: int) -> str:
    """Chinese numeral for a count before a measure word: 2 份 is 两份, not 二份."""
    return "两" if n == 2 else chinese_numeral(n)


def join_filter(values: Iterable[Any], separator: str = "、") -> str:
    return separator.join(str(v) for v in values)


FILTERS = {
    "rmb_upper": rmb_upper_filter,
    "money": money_filter,
    "amount": format_amount_figures,
    "date": date_filter,
    "time": time_filter,
    "percent": percent_filter,
    "num": number_filter,
    "cn": chinese_numeral,
    "count_cn": count_filter,
    "article": article_label,
    "join_cn": join_filter,
    "sentence": sentence_filter,
    "unpunctuated": unpunctuated_filter,
}


def make_environment(loader: jinja2.BaseLoader) -> ImmutableSandboxedEnvironment:
    """A sandboxed, strict environment with the contract filters."""
    env = ImmutableSandboxedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        finalize=protect_value,
        # No trim_blocks: a tag ending a line must keep that line's newline, or two
        # markup lines would merge; the blank lines block tags leave are ignored.
        trim_blocks=False,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,  # the output is markup for the IR, not HTML; the HTML writer escapes
    )
    env.filters.update(FILTERS)
    return env


@cache
def clause_environment(root: Path) -> ImmutableSandboxedEnvironment:
    """One cached environment per templates folder (templates compile once)."""
    return make_environment(jinja2.FileSystemLoader(str(root)))


def render_clause(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render one clause template, turning Jinja errors into a TemplateError with name and line."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or name}:{exc.lineno}: {exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"clause template not found: {exc.name}") from exc
    except (jinja2.UndefinedError, jinja2.exceptions.SecurityError, TypeError, ValueError) as exc:
        raise TemplateError(f"{name}:{template_line(exc, name) or '?'}: {exc}") from exc


def template_line(exc: BaseException, name: str = "<template>") -> int | None:
    """The template line of an error raised while rendering, from the traceback (Jinja maps its frames)."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(name) or code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
