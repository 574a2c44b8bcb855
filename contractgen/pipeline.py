"""The pipeline on one screen: YAML → model → IR → check → DOCX/PDF → files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from pydantic import BaseModel

from contractgen.build.document import build_document, document_metadata
from contractgen.check import check_document, check_docx
from contractgen.errors import InputError, Problem
from contractgen.includes import resolve_includes
from contractgen.ir import Document, Metadata
from contractgen.kinds import KINDS, Kind, kind_named
from contractgen.loading import LoadedYaml, load_yaml_file, load_yaml_text
from contractgen.output import safe_file_stem
from contractgen.readback import read_docx_blocks
from contractgen.validation import located, validate
from contractgen.writers.docx import write_docx
from contractgen.writers.fonts import FontSet
from contractgen.user_templates import TemplateSource, read_template
from contractgen.user_templates.render import Rendered, check_written_sections, render_user_docx, render_user_html
from contractgen.writers.glyphs import (
    document_glyph_problems,
    model_glyph_problems,
    raise_for_missing_glyphs,
    text_glyph_problems,
)
from contractgen.writers.pdf import LaidOutPdf, engine_session, laid_out_text, lay_out_html, lay_out_pdf

FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class Loaded:
    """A validated model and the YAML it came from (for line numbers in later errors)."""

    model: Any
    source: LoadedYaml | None = None


def load(path: str | Path) -> Any:
    """Read and validate a YAML file (and the shared files it includes); its ``kind:`` picks the model."""
    return load_file(Path(path)).model


def load_file(path: Path) -> Loaded:
    return load_source(resolve_includes(load_yaml_file(path), path.parent))


def loads(text: str, filename: str = "<string>") -> Any:
    """Validate YAML text; it cannot ``include:`` files (there is no folder to resolve them in)."""
    return load_source(resolve_includes(load_yaml_text(text, filename=filename), None)).model


def load_source(source: LoadedYaml) -> Loaded:
    kind = _kind_of(source)
    return Loaded(validate(kind.model, source.data, source), source)


def _kind_of(source: LoadedYaml) -> Kind:
    name = source.data.get("kind")
    if name not in KINDS:
        message = f"unknown kind {name!r}; known kinds: {', '.join(KINDS)}" if name else "say what the file is, e.g. kind: training_agreement"
        raise InputError([located(source, ("kind",), message)])
    return KINDS[name]


def kind_of_model(model: BaseModel) -> Kind:
    return kind_named(model.kind)


def build(model: BaseModel) -> Document:
    """The intermediate document, with its required sections checked."""
    kind = kind_of_model(model)
    document = build_document(model, kind)
    check_document(document, kind)
    return document


def render(
    model: BaseModel,
    formats: Iterable[str] = FORMATS,
    fonts: FontSet | None = None,
    source: LoadedYaml | None = None,
    templates: Sequence[TemplateSource] = (),
) -> dict[str, bytes]:
    """Render to bytes, keyed by format; nothing touches the disk.

    With ``templates`` (a user's .docx and/or .html, see :func:`read_template`)
    each format comes from the user's template of that format instead.

    Thread-safe: threads may call it at once and get the same bytes as one
    thread would, but they take turns for the PDF work (WeasyPrint's layout
    and writing, under one process-wide lock, :data:`contractgen.writers.pdf.ENGINE`),
    so threads add no speed.  For speed, render in processes (``generate
    --jobs``, :mod:`contractgen.executors`).
    """
    formats = checked_formats(formats)
    if templates:
        return _render_user_templates(model, formats, fonts or FontSet.packaged(), source, templates)
    document = build(model)
    with engine_session():  # ends after _render_document has returned: its layout tree is garbage by then
        return _render_document(model, document, formats, fonts or FontSet.packaged(), source)


def _render_document(
    model: BaseModel, document: Document, formats: tuple[str, ...], fonts: FontSet, source: LoadedYaml | None
) -> dict[str, bytes]:
    kind = kind_of_model(model)
    laid_out: LaidOutPdf | None = None
    if "pdf" in formats:
        _check_glyphs(model, document, fonts, source)
        laid_out = lay_out_pdf(document, fonts)
    outputs: dict[str, bytes] = {}
    if "docx" in formats:
        outputs["docx"] = write_docx(document, page_numbers=_contents_pages(document, laid_out, fonts))
        check_docx(read_docx_blocks(outputs["docx"]), document, kind)
    if laid_out is not None:
        outputs["pdf"] = laid_out.write()
    return {fmt: outputs[fmt] for fmt in formats}


def _render_user_templates(
    model: BaseModel, formats: tuple[str, ...], fonts: FontSet, source: LoadedYaml | None, templates: Sequence[TemplateSource]
) -> dict[str, bytes]:
    """Lint, render under limits, and check each user template's output like a built-in one."""
    kind = kind_of_model(model)
    by_format = _templates_by_format(templates, formats)
    metadata = document_metadata(model, kind)
    outputs: dict[str, bytes] = {}
    if "docx" in formats:
        rendered = render_user_docx(by_format["docx"], model, kind, metadata)
        blocks = read_docx_blocks(rendered.output)
        check_written_sections([b.text for b in blocks], rendered.sections, kind, f"DOCX from {by_format['docx'].name}")
        outputs["docx"] = rendered.output
    if "pdf" in formats:
        raise_for_missing_glyphs([located(source, loc, message) for loc, message in model_glyph_problems(model, fonts)])
        rendered = render_user_html(by_format["pdf"], model, kind)
        with engine_session():  # not around the template's own render: that may take its whole time limit
            outputs["pdf"] = _user_pdf(rendered, by_format["pdf"].name, metadata, fonts, kind)
    return outputs


def _user_pdf(rendered: Rendered, name: str, metadata: Metadata, fonts: FontSet, kind: Kind) -> bytes:
    """A user template's HTML laid out, checked like a built-in document, and written."""
    laid_out = lay_out_html(rendered.output, metadata, fonts)
    pages = laid_out_text(laid_out)
    raise_for_missing_glyphs(text_glyph_problems("".join(pages), fonts, f"template {name}"))
    check_written_sections(pages, rendered.sections, kind, f"PDF from {name}")
    return laid_out.write()


def _templates_by_format(templates: Sequence[TemplateSource], formats: tuple[str, ...]) -> dict[str, TemplateSource]:
    """DOCX comes from a .docx template, PDF from an .html one; one of each at most."""
    by_format: dict[str, TemplateSource] = {}
    for template in templates:
        fmt = template.output_format
        if fmt in by_format:
            raise InputError([Problem("--template", f"two templates for {fmt.upper()}: {by_format[fmt].name} and {template.name}")])
        by_format[fmt] = template
    lacking = [fmt for fmt in formats if fmt not in by_format]
    if lacking:
        hint = {"docx": "a .docx template", "pdf": "an .html template"}
        raise InputError([
            Problem("--template", f"{fmt.upper()} was asked for but no template makes it: give {hint[fmt]} too, or leave out --format {fmt}")
            for fmt in lacking
        ])
    return by_format


def template_formats(templates: Sequence[TemplateSource]) -> tuple[str, ...]:
    """The formats a set of user templates can make, in the usual order."""
    made = {t.output_format for t in templates}
    return tuple(fmt for fmt in FORMATS if fmt in made)


def _contents_pages(document: Document, laid_out: LaidOutPdf | None, fonts: FontSet) -> dict[str, int]:
    """Page numbers for the DOCX contents list, from the PDF's layout (laid out now if not yet)."""
    if document.contents is None:
        return {}
    return (laid_out or lay_out_pdf(document, fonts)).page_numbers()


def _check_glyphs(model: BaseModel, document: Document, fonts: FontSet, source: LoadedYaml | None) -> None:
    field_problems = [located(source, loc, message) for loc, message in model_glyph_problems(model, fonts)]
    raise_for_missing_glyphs(field_problems or document_glyph_problems(document, fonts))


def checked_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """The formats asked for, each once, in the order given; an unknown one is an input error."""
    chosen = tuple(dict.fromkeys(formats))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise InputError([Problem("--format", f"choose from {', '.join(FORMATS)} (got {', '.join(unknown) or 'nothing'})")])
    return chosen


def output_paths(model: BaseModel, out_dir: Path, formats: Iterable[str]) -> dict[str, Path]:
    stem = safe_file_stem(kind_of_model(model).file_stem(model))
    return {fmt: out_dir / f"{stem}.{fmt}" for fmt in formats}


def generate(
    source: str | Path | BaseModel,
    out_dir: str | Path = ".",
    formats: Iterable[str] = FORMATS,
    force: bool = False,
    fonts: FontSet | None = None,
    templates: Sequence[str | Path | TemplateSource] = (),
) -> list[Path]:
    """Load (if given a path), render every format, then write the files atomically."""
    return generate_batch([source], out_dir, formats, force, fonts, templates)


def generate_batch(
    sources: Sequence[str | Path | BaseModel],
    out_dir: str | Path = ".",
    formats: Iterable[str] = FORMATS,
    force: bool = False,
    fonts: FontSet | None = None,
    templates: Sequence[str | Path | TemplateSource] = (),
    jobs: int = 1,
) -> list[Path]:
    """Several documents at once: all are checked before any renders; each is written as it finishes.

    Two documents that would get the same file name are a reported conflict,
    not an overwrite; an invalid input, or a file in the way without
    ``force``, writes nothing at all.  A document that fails to render
    raises, and the documents written before it stay written.  ``jobs`` > 1
    renders in that many processes (:mod:`contractgen.executors`; a batch
    of documents for a service: :mod:`contractgen.batch`).
    """
    from contractgen import batch, executors  # they build on this module

    settings = batch.Settings(
        checked_formats(formats), fonts, tuple(t if isinstance(t, TemplateSource) else read_template(t) for t in templates)
    )
    with executors.ProcessPool(settings, jobs) if jobs > 1 else executors.InProcess(settings) as executor:
        planned = batch.plan(batch.inputs_from(sources), Path(out_dir), settings.formats, force)
        planned.raise_for_failures()
        outcomes = batch.run(planned, executor, force=force, keep_going=False)
        return [path for outcome in outcomes for path in outcome.files]


__all__ = [
    "FORMATS",
    "Loaded",
    "build",
    "generate",
    "generate_batch",
    "checked_formats",
    "load",
    "loads",
    "output_paths",
    "read_template",
    "render",
    "template_formats",
]
