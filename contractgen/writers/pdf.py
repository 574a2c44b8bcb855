"""IR → PDF with WeasyPrint.  Only this module imports weasyprint.

- Fonts come from the package (or the user's files) through ``@font-face``,
  each face first cut down to the document's own characters and registered
  where it lies, never copied; what the PDF embeds is subset by us, not by
  WeasyPrint, so the bytes do not depend on which HarfBuzz library the
  machine has (:mod:`contractgen.writers.pdf_fonts`).  The configuration
  of the last few documents is kept, so rendering one document twice (its
  contents page numbers, then its PDF) lays it out with warm fonts.
- Only files under the allowed roots can be fetched: no network, no other
  local file, whatever the HTML says.
- Anything WeasyPrint logs at warning level or above (a font that failed to
  load, a blocked URL) is an error, not a line in a log nobody reads.
- Dates and the PDF identifier are derived from the document, so the same
  input gives the same bytes.
- One thread at a time lays out or writes a PDF in a process (:data:`ENGINE`):
  Pango, fontconfig and the subsetting patch are process-wide state that
  WeasyPrint does not guard.  :func:`engine_session` holds the engine for a
  whole document and frees its layout tree before letting go.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

with warnings.catch_warnings():
    # weasyprint warns at import on a machine with no system font; we bring our own.
    warnings.filterwarnings("ignore", message="No fonts configured in FontConfig")
    from weasyprint import CSS, HTML
    from weasyprint.formatting_structure.boxes import TextBox
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

from contractgen.errors import ContractgenError
from contractgen.ir import Document, Metadata
from contractgen.resources import templates_dir
from contractgen.writers.fonts import FontSet, css_font_faces
from contractgen.writers.html import page_css, render_html
from contractgen.writers.pdf_fonts import (
    InPlaceFontConfiguration,
    deterministic_subsets,
    document_codepoints,
    document_fonts,
)


#: The process-wide lock around WeasyPrint: layout and writing (re-entrant, so a session can hold it).
ENGINE = threading.RLock()
_layouts = 0  # documents laid out so far in this process, counted under ENGINE


@contextmanager
def engine_session() -> Iterator[None]:
    """Hold :data:`ENGINE` for one document: its layout, its pages read back, its PDF written.

    A layout tree holds Pango objects that Python's cycle collector frees,
    in whichever thread it happens to run; so when other threads exist, the
    tree of a document laid out in this session is collected before the
    lock is released, while no other thread is inside Pango.  The caller
    must have dropped its references by then (end the session after the
    function that laid the document out has returned).
    """
    with ENGINE:
        before = _layouts
        yield
        if _layouts != before and threading.active_count() > 1:
            gc.collect()


def _count_layout() -> None:
    global _layouts
    _layouts += 1


class RenderError(ContractgenError):
    """WeasyPrint reported a problem (missing font, blocked resource, bad CSS)."""


class AssetOnlyFetcher(URLFetcher):
    """Serves ``file:`` URLs under the allowed folders and self-contained ``data:`` URLs; refuses everything else."""

    def __init__(self, allowed_roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self._roots = tuple(root.resolve() for root in allowed_roots)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parsed = urlparse(url)
        if parsed.scheme == "data":  # the bytes are in the URL itself: a logo in a house template
            return super().fetch(url, headers)
        if parsed.scheme != "file":
            raise ValueError(f"refused to fetch {url!r}: only the package's own files can be used")
        path = Path(url2pathname(parsed.path)).resolve()
        if not any(path == root or root in path.parents for root in self._roots):
            raise ValueError(f"refused to read {path}: outside the allowed asset folders")
        return URLFetcherResponse(url, path.read_bytes(), {}, 200)


@lru_cache(maxsize=4)
def _configuration(subsets: FontSet, css: str) -> tuple[FontConfiguration, CSS]:
    """A FontConfiguration for one document's font subsets, and ``css`` with their ``@font-face`` rules.

    Kept for the last few documents: rendering the same document again (a
    DOCX contents page, then the PDF) reuses it.
    """
    with warnings.catch_warnings():
        # We bring our own fonts; a machine without any system font is fine.
        warnings.filterwarnings("ignore", message="No fonts configured in FontConfig")
        font_config = InPlaceFontConfiguration(_font_roots(subsets))
    fetcher = AssetOnlyFetcher(_allowed_roots(subsets))
    stylesheet = CSS(string=css_font_faces(subsets) + css, font_config=font_config, url_fetcher=fetcher)
    return font_config, stylesheet


def _font_roots(fonts: FontSet) -> tuple[Path, ...]:
    return tuple(dict.fromkeys(face.path.parent for face in fonts.faces))


def _allowed_roots(fonts: FontSet) -> tuple[Path, ...]:
    return (templates_dir(), *_font_roots(fonts))


class _CollectWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_warnings_as_errors():
    logger = logging.getLogger("weasyprint")
    handler = _CollectWarnings()
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.messages:
        raise RenderError("WeasyPrint: " + "; ".join(dict.fromkeys(handler.messages)))


def pdf_identifier(html: str) -> bytes:
    """A stable identifier: the same document gives the same /ID."""
    return hashlib.md5(html.encode("utf-8")).hexdigest().encode("ascii")


@dataclass(frozen=True)
class LaidOutPdf:
    """A document laid out in pages: where each section landed, and the PDF to write."""

    rendered: Any
    html: str

    def page_numbers(self) -> dict[str, int]:
        """Section anchor → the (1-based) page its heading is on."""
        pages: dict[str, int] = {}
        for number, page in enumerate(self.rendered.pages, start=1):
            for anchor in page.anchors:
                pages.setdefault(anchor, number)
        return pages

    def write(self) -> bytes:
        with ENGINE, _weasyprint_warnings_as_errors(), deterministic_subsets():
            return self.rendered.write_pdf(pdf_identifier=pdf_identifier(self.html))


def lay_out_pdf(document: Document, fonts: FontSet | None = None) -> LaidOutPdf:
    """Lay ``document`` out in A4 pages (the expensive step of a PDF), set in its own font subsets."""
    html = render_html(document)
    css = page_css()
    return LaidOutPdf(_render_html(html, fonts or FontSet.packaged(), document_codepoints(html, css), css), html)


def _render_html(html: str, fonts: FontSet, characters: frozenset[int], css: str) -> Any:
    """WeasyPrint's layout of ``html`` in ``fonts`` cut to ``characters``, under :data:`ENGINE`, attachments dropped.

    The subsets are cut under the lock too: their folder is shared by the process.
    """
    with ENGINE:
        _count_layout()
        subsets = document_fonts(fonts, characters)
        font_config, stylesheet = _configuration(subsets, css)
        fetcher = AssetOnlyFetcher(_allowed_roots(subsets))
        with _weasyprint_warnings_as_errors():
            rendered = HTML(string=html, base_url=templates_dir().as_uri() + "/", url_fetcher=fetcher).render(
                stylesheets=[stylesheet], font_config=font_config
            )
    _drop_attachments(rendered)
    return rendered


def _drop_attachments(rendered: Any) -> None:
    """A contract PDF embeds no files: ``<link rel=attachment>`` and ``<a rel=attachment>`` are dropped unfetched."""
    rendered.metadata.attachments = []
    for page in rendered.pages:
        page.links[:] = [link for link in page.links if link[0] != "attachment"]


#: General Punctuation, CJK Symbols and Punctuation, Halfwidth and Fullwidth Forms.
USER_TEMPLATE_EXTRA_CHARACTERS = frozenset(
    [*range(0x2000, 0x2070), *range(0x3000, 0x3040), *range(0xFF00, 0xFFF0)]
)

USER_TEMPLATE_DEFAULTS = """
@page { size: A4; margin: 2.54cm 3.17cm; }
html { font-family: "%(serif)s", serif; font-size: 12pt; line-height: 1.8; }
h1, h2, h3, h4, h5, h6, th { font-family: "%(sans)s", sans-serif; font-weight: normal; }
"""


def lay_out_html(html: str, metadata: Metadata, fonts: FontSet | None = None) -> LaidOutPdf:
    """Lay out a user template's HTML, with the same fetcher, fonts and properties as a built-in document.

    The document properties come from the model, not from the HTML, and
    attachments (``<link rel=attachment>``) are dropped: a contract PDF carries
    no embedded files.
    """
    fonts = fonts or FontSet.packaged()
    defaults = USER_TEMPLATE_DEFAULTS % {"serif": fonts.serif.family, "sans": fonts.sans.family}
    # A user's CSS may generate text we cannot see here (content: "\201C"): keep the punctuation blocks.
    rendered = _render_html(html, fonts, document_codepoints(html, defaults) | USER_TEMPLATE_EXTRA_CHARACTERS, defaults)
    _set_metadata(rendered.metadata, metadata)
    return LaidOutPdf(rendered, html)


def _set_metadata(target: Any, metadata: Metadata) -> None:
    created = metadata.created.isoformat()
    target.title = metadata.title
    target.authors = [metadata.author]
    target.description = metadata.subject
    target.keywords = [metadata.keywords]
    target.generator = "contractgen"
    target.created = target.modified = created
    target.lang = metadata.language


def laid_out_text(laid_out: LaidOutPdf) -> list[str]:
    """The text of each laid-out page, in reading order (what the PDF will show)."""
    return ["".join(_texts(page._page_box)) for page in laid_out.rendered.pages]


def _texts(box: Any):
    if isinstance(box, TextBox):
        yield box.text
    for child in getattr(box, "children", ()):
        yield from _texts(child)


def write_pdf(document: Document, fonts: FontSet | None = None) -> bytes:
    """The PDF bytes of ``document``."""
    return lay_out_pdf(document, fonts).write()
