"""Three PDF viewers' engines behind one call: each page as a grayscale image and as text.

- **poppler** (``pdftoppm`` and ``pdftotext`` from Debian's poppler-utils),
  the engine of Evince, Okular and most Linux viewers;
- **MuPDF** (the PyMuPDF wheel), the engine of SumatraPDF and mupdf;
  like Acrobat it follows the PDF specification where the others guess;
- **PDFium** (the pypdfium2 wheel), the engine of Chrome and Edge.

Each is independent of the others and of WeasyPrint, so a PDF that all
three draw and read alike is a PDF that readers see alike.  An engine that is
not installed is an error (:class:`EngineMissing`), not a skip: CI installs
all three, and a skipped viewer test is a bug nobody sees.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

from PIL import Image

POINTS_PER_INCH = 72


class EngineMissing(RuntimeError):
    """A PDF engine the viewer tests need is not installed."""


@dataclass(frozen=True)
class View:
    """What one engine made of a PDF: each page as an 8-bit grayscale image and as text."""

    engine: str
    version: str
    images: list[Image.Image]
    texts: list[str]
    complaints: list[str]  # what the engine reported while drawing (MuPDF: "cannot render glyph", …)


def _module(name: str, package: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise EngineMissing(f"{package} is not installed: pip install '.[test]' installs it ({exc})") from exc


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise EngineMissing(f"{name} is not on PATH: install Debian's poppler-utils (tools/install-system-deps.sh)")
    return path


def check_installed() -> None:
    """Raise :class:`EngineMissing` naming every engine that is not installed, all at once."""
    requirements = [
        lambda: _program("pdftoppm"),
        lambda: _program("pdftotext"),
        lambda: _module("pymupdf", "PyMuPDF"),
        lambda: _module("pypdfium2", "pypdfium2"),
    ]
    missing = []
    for requirement in requirements:
        try:
            requirement()
        except EngineMissing as exc:
            missing.append(str(exc))
    if missing:
        raise EngineMissing("; ".join(missing))


# --------------------------------------------------------------------------- poppler


def view_with_poppler(pdf: bytes, dpi: int) -> View:
    pdftoppm, pdftotext = _program("pdftoppm"), _program("pdftotext")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        drawn = _run([pdftoppm, "-r", str(dpi), "-gray", "-png", str(source), f"{folder}/page"])
        images = [_load_gray(path) for path in sorted(Path(folder).glob("page-*.png"), key=_page_number)]
        # -raw: the content stream's order, which is the order WeasyPrint laid the text out in
        # (the default reading-order mode moves the running header ahead of the title).
        read = _run([pdftotext, "-raw", "-enc", "UTF-8", str(source), "-"])
    texts = read.stdout.split("\f")[: len(images)]
    return View("poppler", _poppler_version(pdftoppm), images, texts, _lines(drawn.stderr + read.stderr))


@cache
def _poppler_version(pdftoppm: str) -> str:
    return "poppler " + _run([pdftoppm, "-v"]).stderr.split("\n", 1)[0].removeprefix("pdftoppm version ").strip()


def _run(command: list[str]) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(command[0]).name} exited {done.returncode}: {done.stderr.strip()}")
    return done


def _page_number(path: Path) -> int:
    return int(path.stem.rsplit("-", 1)[1])  # page-1.png, or page-01.png with ten pages or more


def _load_gray(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("L")


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# --------------------------------------------------------------------------- MuPDF


MUPDF_MIN_LINE_WIDTH = 1.0
"""Pixels.  MuPDF draws a rule thinner than a pixel (a 0.5 pt table border at 50 dpi) as a faint
gray line, where poppler and PDFium draw it a pixel wide and dark; with this minimum MuPDF draws
rules as they do, and only the text is left to differ."""


def view_with_mupdf(pdf: bytes, dpi: int) -> View:
    pymupdf = _module("pymupdf", "PyMuPDF")
    pymupdf.TOOLS.mupdf_warnings(reset=True)
    previous = pymupdf.TOOLS.show_aa_level()["graphics_min_line_width"]
    pymupdf.TOOLS.set_graphics_min_line_width(MUPDF_MIN_LINE_WIDTH)
    try:
        images, texts = _mupdf_pages(pymupdf, pdf, dpi)
    finally:
        pymupdf.TOOLS.set_graphics_min_line_width(previous)
    complaints = _lines(pymupdf.TOOLS.mupdf_warnings(reset=True))
    return View("mupdf", f"MuPDF {pymupdf.mupdf_version}", images, texts, complaints)


def _mupdf_pages(pymupdf: ModuleType, pdf: bytes, dpi: int) -> tuple[list[Image.Image], list[str]]:
    images, texts = [], []
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        for page in document:
            pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
            size = (pixmap.width, pixmap.height)
            images.append(Image.frombytes("L", size, pixmap.samples, "raw", "L", pixmap.stride))
            texts.append(page.get_text())
    return images, texts


# --------------------------------------------------------------------------- PDFium


def view_with_pdfium(pdf: bytes, dpi: int) -> View:
    pdfium = _module("pypdfium2", "pypdfium2")
    images, texts = [], []
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            images.append(page.render(scale=dpi / POINTS_PER_INCH, grayscale=True).to_pil().convert("L"))
            text_page = page.get_textpage()
            # PDFium reports a hyphen that ends a line as U+0002 (its mark for a possible
            # soft hyphen); the page shows "-", so read it as "-".
            texts.append(text_page.get_text_bounded().replace("\x02", "-"))
            text_page.close()
            page.close()
    finally:
        document.close()
    return View("pdfium", f"PDFium {pdfium.PDFIUM_INFO}", images, texts, [])


ENGINES: dict[str, Callable[[bytes, int], View]] = {
    "poppler": view_with_poppler,
    "mupdf": view_with_mupdf,
    "pdfium": view_with_pdfium,
}
"""Engine name → a function that views a PDF at a resolution (dots per inch)."""
