"""Snapshot support for users' test suites: pin what your templates produce, as readable text.

    def test_agreement(docx_snapshot, pdf_snapshot):     # fixtures from contractgen's pytest plugin
        files = render(load("contracts/agreement.yaml"))
        assert files["docx"] == docx_snapshot
        assert files["pdf"] == pdf_snapshot

A DOCX is stored as its (style, text) lines, table rows, header, footer and
properties; a PDF as its page count, fonts, metadata and text per page. Never
bytes: the snapshot diff of a template change reads like the change itself.

Needs the ``testing`` extra (``pip install "contractgen[testing]"``). The
names below load lazily, because pytest imports this package (through the
plugin) in every project that installs contractgen, extra or not.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contractgen.testing.snapshots import (
        DocxSnapshotExtension,
        PdfSnapshotExtension,
        docx_snapshot_text,
        pdf_font_names,
        pdf_snapshot_text,
    )

INSTALL_HINT = 'contractgen.testing needs syrupy and pypdf: pip install "contractgen[testing]"'

__all__ = [
    "DocxSnapshotExtension",
    "PdfSnapshotExtension",
    "docx_snapshot_text",
    "pdf_font_names",
    "pdf_snapshot_text",
]


def load_snapshots() -> ModuleType:
    """Import :mod:`contractgen.testing.snapshots`, saying what to install if syrupy or pypdf is missing."""
    try:
        return importlib.import_module("contractgen.testing.snapshots")
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(f"{INSTALL_HINT} ({error})", name=error.name) from error


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(load_snapshots(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
