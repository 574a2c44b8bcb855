"""``contractgen lint``: check a user template without rendering it.

Runs before every render with a user template, and on its own from the
command line.  It reports, all at once:

- Jinja syntax errors and unknown filters;
- names and fields that do not exist in the kind's model (with the closest
  field name), and ``_``-prefixed attributes the sandbox would block;
- ``include``/``import``/``extends`` (a house template is one file);
- required sections of the kind that no ``section('key')`` writes, and keys
  the kind does not have;
- for DOCX: tags broken across runs or paragraphs and ``{%tr %}`` misuse
  (see :mod:`contractgen.user_templates.docx_structure`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache

import jinja2
from jinja2 import nodes

from contractgen.errors import InputError, Problem, TemplateError
from contractgen.kinds import Kind
from contractgen.user_templates.docx_structure import excerpt, structure_problems
from contractgen.user_templates.environment import CONTEXT_HELPERS, user_environment
from contractgen.user_templates.files import TemplateSource
from contractgen.user_templates.names import NameChecker, closest_hint, context_types


class TemplateLintError(InputError, TemplateError):
    """A user template has problems; every one is listed."""


@dataclass(frozen=True)
class JinjaSource:
    """The Jinja text of one part of a template, and how to name a line of it to a person."""

    part: str
    text: str
    docx: bool

    def locate(self, name: str, line: int | None) -> Problem:
        if not self.docx:
            return Problem("", "", file=name, line=line)
        lines = self.text.splitlines()
        raw = lines[line - 1] if line and 0 < line <= len(lines) else ""
        text = excerpt(re.sub(r"<[^>]+>", "", raw).strip())
        return Problem(f"{self.part} 「{text}」" if text else self.part, "", file=name)


def jinja_sources(template: TemplateSource) -> list[JinjaSource]:
    """What Jinja will see: the HTML as is; for a DOCX, each part as docxtpl prepares it (one line per paragraph)."""
    if template.flavour == "html":
        return [JinjaSource("", template.text, docx=False)]
    from docxtpl import DocxTemplate

    document = DocxTemplate(io.BytesIO(template.data))
    document.init_docx()
    sources = [JinjaSource("body", _one_paragraph_per_line(document.patch_xml(document.get_xml())), docx=True)]
    for uri in (document.HEADER_URI, document.FOOTER_URI):
        for _, part in document.get_headers_footers(uri):
            label = str(part.partname).rsplit("/", 1)[-1].removesuffix(".xml")
            sources.append(JinjaSource(label, _one_paragraph_per_line(document.patch_xml(document.get_part_xml(part))), True))
    return sources


def _one_paragraph_per_line(xml: str) -> str:
    """docxtpl renders with a newline before every paragraph; so must the checker, for the same line numbers."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def lint_problems(template: TemplateSource, kind: Kind) -> list[Problem]:
    problems: list[Problem] = []
    if template.flavour == "docx":
        problems.extend(structure_problems(template.name, template.data))
    env = user_environment(template.flavour)
    scope = context_types(kind, CONTEXT_HELPERS)
    written: list[str] = []
    complete = True  # a part that does not parse cannot say which sections it writes
    for source in jinja_sources(template):
        found: list[Problem] = []

        def report(line: int | None, message: str, source: JinjaSource = source, found: list = found) -> None:
            at = source.locate(template.name, line)
            found.append(Problem(at.path, message, file=at.file, line=at.line))

        try:
            tree = env.parse(source.text)
        except jinja2.TemplateSyntaxError as exc:
            report(exc.lineno, exc.message or str(exc))
            problems.extend(found)
            complete = False
            continue
        for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            report(node.lineno, f"{type(node).__name__.lower()} is not supported: a house template is one file")
        NameChecker(scope, env.globals, report, env.filters, env.tests).check(tree)
        written.extend(_section_keys(tree, kind, report))
        if not found:
            try:
                env.compile(source.text)  # anything else Jinja only finds when compiling
            except jinja2.TemplateSyntaxError as exc:
                report(exc.lineno, exc.message or str(exc))
        problems.extend(found)
    if complete:
        problems.extend(_missing_sections(template.name, kind, written))
    return problems


def _section_keys(tree: nodes.Template, kind: Kind, report) -> list[str]:
    """The keys of the ``section('key', …)`` calls; a key that is not a constant or not a section is reported."""
    keys = {spec.key for spec in kind.sections}
    found = []
    for call in tree.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name == "section"):
            continue
        first = call.args[0] if call.args else None
        if not (isinstance(first, nodes.Const) and isinstance(first.value, str)):
            report(call.lineno, "section() needs the section key as a quoted name, e.g. section('fees')")
        elif first.value not in keys:
            report(call.lineno, f"{kind.name} has no section '{first.value}'{closest_hint(first.value, keys)}")
        else:
            found.append(first.value)
    return found


def _missing_sections(name: str, kind: Kind, written: list[str]) -> list[Problem]:
    return [
        Problem(
            "",
            f"the required section {spec.key} ({spec.label}) is missing: write its heading with "
            f"{{{{ section('{spec.key}') }}}}",
            file=name,
        )
        for spec in kind.required_sections()
        if spec.key not in written
    ]


def lint(template: TemplateSource, kind: Kind) -> None:
    """Raise :class:`TemplateLintError` listing every problem, or return quietly.

    A batch renders many documents with one template: it is linted once.
    """
    problems = _problems_once(template, kind)
    if problems:
        raise TemplateLintError(problems)


@lru_cache(maxsize=32)
def _problems_once(template: TemplateSource, kind: Kind) -> tuple[Problem, ...]:
    return tuple(lint_problems(template, kind))
