"""The pipeline on one screen: YAML → model → IR → check → DOCX/PDF → files."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel

from contractgen.build.document import build_document
from contractgen.check import check_document, check_docx
from contractgen.errors import InputError, Problem
from contractgen.includes import resolve_includes
from contractgen.ir import Document
from contractgen.kinds import KINDS, Kind, kind_named
from contractgen.loading import LoadedYaml, load_yaml_file, load_yaml_text
from contractgen.output import safe_file_stem, write_outputs
from contractgen.readback import read_docx_blocks
from contractgen.validation import located, validate
from contractgen.writers.docx import write_docx
from contractgen.writers.fonts import FontSet
from contractgen.writers.glyphs import (
    document_glyph_problems,
    model_glyph_problems,
    raise_for_missing_glyphs,
)
from contractgen.writers.pdf import LaidOutPdf, lay_out_pdf

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
    model: BaseModel, formats: Iterable[str] = FORMATS, fonts: FontSet | None = None, source: LoadedYaml | None = None
) -> dict[str, bytes]:
    """Render to bytes, keyed by format; nothing touches the disk."""
    formats = _checked_formats(formats)
    kind = kind_of_model(model)
    document = build(model)
    fonts = fonts or FontSet.packaged()
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


def _contents_pages(document: Document, laid_out: LaidOutPdf | None, fonts: FontSet) -> dict[str, int]:
    """Page numbers for the DOCX contents list, from the PDF's layout (laid out now if not yet)."""
    if document.contents is None:
        return {}
    return (laid_out or lay_out_pdf(document, fonts)).page_numbers()


def _check_glyphs(model: BaseModel, document: Document, fonts: FontSet, source: LoadedYaml | None) -> None:
    field_problems = [located(source, loc, message) for loc, message in model_glyph_problems(model, fonts)]
    raise_for_missing_glyphs(field_problems or document_glyph_problems(document, fonts))


def _checked_formats(formats: Iterable[str]) -> tuple[str, ...]:
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
) -> list[Path]:
    """Load (if given a path), render every format, then write the files atomically."""
    loaded = load_file(Path(source)) if isinstance(source, (str, Path)) else Loaded(source)
    formats = _checked_formats(formats)
    paths = output_paths(loaded.model, Path(out_dir), formats)
    outputs = render(loaded.model, formats, fonts, loaded.source)
    written = write_outputs({paths[fmt]: data for fmt, data in outputs.items()}, force)
    gc.collect()  # long batch runs otherwise grow: WeasyPrint's layout trees are cyclic
    return written


__all__ = ["FORMATS", "Loaded", "build", "generate", "load", "loads", "output_paths", "render"]
