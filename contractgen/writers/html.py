"""IR → HTML for the PDF writer, through an autoescaped, sandboxed page template."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from contractgen.ir import LINE_BREAK, Document, Table
from contractgen.resources import templates_dir


def lines_filter(text: str) -> Markup:
    """Escape a value and turn its line breaks into <br>."""
    return Markup("<br>").join(escape(line) for line in str(text).split(LINE_BREAK))


def column_percentages(table: Table) -> list[str]:
    weights = table.column_weights()
    return [f"{100 * w / sum(weights):.2f}" for w in weights]


@cache
def page_environment(root: Path) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(root / "html")),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["lines"] = lines_filter
    env.globals["column_percentages"] = column_percentages
    return env


def render_html(document: Document, root: Path | None = None) -> str:
    env = page_environment(root or templates_dir())
    return env.get_template("document.html.j2").render(document=document)


def page_css(root: Path | None = None) -> str:
    return ((root or templates_dir()) / "html" / "document.css").read_text(encoding="utf-8")
