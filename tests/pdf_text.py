"""PDF reading helpers for tests: text per page, fonts (pypdf)."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from contractgen.testing import pdf_font_names


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pdf_fonts(data: bytes) -> set[str]:
    return set(pdf_font_names(data))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)
