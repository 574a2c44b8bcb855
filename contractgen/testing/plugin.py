"""pytest plugin (entry point ``contractgen``): the ``docx_snapshot`` and ``pdf_snapshot`` fixtures.

pytest loads this module in every project that installs contractgen, with or
without the ``testing`` extra, so syrupy and pypdf are imported only when a
test asks for one of the fixtures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from syrupy.assertion import SnapshotAssertion


@pytest.fixture
def docx_snapshot(request: pytest.FixtureRequest) -> SnapshotAssertion:
    """syrupy's ``snapshot`` comparing DOCX bytes as readable text: ``assert docx_bytes == docx_snapshot``."""
    return _snapshot_using(request, "DocxSnapshotExtension")


@pytest.fixture
def pdf_snapshot(request: pytest.FixtureRequest) -> SnapshotAssertion:
    """syrupy's ``snapshot`` comparing PDF bytes as readable text: ``assert pdf_bytes == pdf_snapshot``."""
    return _snapshot_using(request, "PdfSnapshotExtension")


def _snapshot_using(request: pytest.FixtureRequest, extension: str) -> SnapshotAssertion:
    from contractgen.testing import load_snapshots

    try:
        snapshots = load_snapshots()
    except ModuleNotFoundError as error:
        raise pytest.fail.Exception(str(error), pytrace=False) from None
    return request.getfixturevalue("snapshot").use_extension(getattr(snapshots, extension))
