"""Spreadsheets for the rows tests: real .xlsx files written by openpyxl, CSV bytes, a changed base."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from contractgen.errors import InputError
from contractgen.rows import RowResult, load_rows
from tests.conftest import EXAMPLES, OFFLINE_EXAMPLE

BASE = OFFLINE_EXAMPLE
MONEY_HEADER = [
    "fees.total",
    "fees.instalments[0].amount",
    "fees.instalments[1].amount",
    "fees.instalments[2].amount",
    "liability.cap",
]


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    formats: dict[str, str] | None = None,
    mac_1904: bool = False,
    sheets: dict[str, Sequence[Sequence[Any]]] | None = None,
) -> Path:
    """A workbook whose first sheet holds ``rows``; ``formats`` maps a cell (``C2``) to a number format."""
    book = Workbook()
    if mac_1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    for title, more in (sheets or {}).items():
        other = book.create_sheet(title)
        for row in more:
            other.append(list(row))
    book.save(path)
    return path


def set_raw_values(path: Path, values: dict[str, str]) -> Path:
    """Put numbers into the sheet XML exactly as written (``12345.670000000002``), as Excel saves computed results."""
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    xml = parts[member].decode("utf-8")
    for ref, raw in values.items():
        xml, count = re.subn(rf'(<c r="{ref}"[^>]*><v>)[^<]*(</v>)', rf"\g<1>{raw}\g<2>", xml)
        assert count == 1, f"no number cell {ref}"
    parts[member] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def base_variant(folder: Path, old: str, new: str) -> Path:
    """A copy of the offline example with ``old`` replaced by ``new``, beside its shared data."""
    shutil.copytree(EXAMPLES / "shared", folder / "shared")
    text = BASE.read_text(encoding="utf-8")
    assert old in text
    path = folder / "base.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def results(rows: Path, base: Path = BASE, **options: Any) -> list[RowResult]:
    return list(load_rows(base, rows, **options))


def only(rows: Path, base: Path = BASE, **options: Any) -> RowResult:
    (result,) = results(rows, base, **options)
    return result


def model_of(rows: Path, base: Path = BASE, **options: Any) -> Any:
    result = only(rows, base, **options)
    assert result.error is None, str(result.error)
    assert result.loaded is not None
    return result.loaded.model


def problems_of(rows: Path, base: Path = BASE, **options: Any) -> list[str]:
    """The one row's problems as printed: ``shops.xlsx!C2: fees.total: ...``."""
    result = only(rows, base, **options)
    assert result.error is not None, "the row was expected to fail"
    return [str(p) for p in result.error.problems]


def file_problems(rows: Path, base: Path = BASE, **options: Any) -> list[str]:
    """Problems of the whole input, raised before (or instead of) rows."""
    try:
        results(rows, base, **options)
    except InputError as error:
        return [str(p) for p in error.problems]
    raise AssertionError("expected an InputError for the whole file")
