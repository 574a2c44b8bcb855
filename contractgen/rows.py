"""Rows in: one document per spreadsheet row, each row overriding keys of a base YAML.

HR keeps its clients in Excel.  ``load_rows("agreement.yaml", "shops.xlsx")``
reads the base document once and yields, row by row, the base with that row's
cells laid over it, validated (``RowResult.loaded``) or with every problem of
the row (``RowResult.error``): one bad row never stops the others.

The rules, as a user meets them:

* **Files.** ``.xlsx`` / ``.xlsm`` (the first worksheet, or ``sheet=``) and
  ``.csv`` (comma-separated, UTF-8 with or without BOM, or GB18030 as Excel
  in China saves "CSV (逗号分隔)"; UTF-8 is tried first).  ``.xls`` is refused:
  save it as ``.xlsx``.  Files over :data:`MAX_TABLE_BYTES` are refused.
* **Header.** The first non-empty row names the keys, one dotted key path a
  column: ``contract_no``, ``parties.client.name``, ``fees.total``.  A list
  item is written as in error messages, ``fees.instalments[0].amount``
  (``fees.instalments.0.amount`` is read the same).  A header must name one
  value of the base's kind (not a group such as ``fees`` or a whole list);
  an unknown key gets a "did you mean" hint.  Two columns for the same key,
  and ``kind`` (the base decides the kind), are errors.  A header starting
  with ``#`` (``#备注``) marks a note column, never read.  A column without a
  header is not read either, and a value under it is an error at its cell.
  All header problems are raised at once, before any row.
* **Rows.** Every row below the header is read, hidden or filtered out
  ones too; blank rows are skipped.  A merged cell holds its value in its
  first cell only (unmerge before use).  An **empty cell (or one holding only
  spaces) leaves the base's value**: a row changes what it fills in and
  nothing else.  A row can change list items and add the next one
  (``fees.instalments[3]`` when the base has three), not leave a gap or
  remove items or keys: start from a base with the fewest items.
* **Values are text**, converted by the models exactly as a YAML scalar is.
  Excel stores numbers as binary floats and keeps 15 significant digits, so
  a number cell is read as its value rounded to 15 significant digits,
  written out in full (``format(value, ".15g")`` → ``Decimal`` → plain
  digits): 36000 → ``36000``, 12345.67 → ``12345.67`` (also when the file
  holds 12345.670000000002), 0.1 + 0.2 → ``0.3``, 1e-7 → ``0.0000001``.
  The money never passes through float arithmetic, and the cell's display
  format is not applied: a cell that shows ``12,346`` but holds 12345.67 is
  12345.67, as Excel's own sums use it (and the model then refuses a third
  decimal place instead of rounding it).  Text cells such as
  ``36,000.00`` are passed on as written.  TRUE/FALSE cells are ``true`` /
  ``false``.  Long digit strings (bank accounts) belong in text cells: Excel
  itself keeps only 15 digits of a number.
* **Dates** for a date field: a date cell, an Excel serial number in a
  number cell (46447 is 2027-03-01; the workbook's 1900/1904 system is
  honoured), or text ``2027-03-01``, ``2027/3/1`` (how Excel in China writes
  dates into CSV), ``2027.3.1`` or ``2027年3月1日``; all become ``2027-03-01``.
  A date cell with a time of day is an error, never cut to its day:
  contracts take dates and times (``09:00``) in separate fields.  A number
  in a field that is not a date stays a number: 46447 in ``signing.place``
  is the text ``46447``.  A time field takes a time cell, a fraction of a day
  (0.375) or text ``9:00``: all become ``09:00``.
* **Excel errors** (``#DIV/0!``) and formulas without a saved result (files
  written by programs that do not calculate) are errors at their cell;
  formulas Excel or WPS saved are read by their value.

Problems name the cell and the key path: ``shops.xlsx!C12: fees.total: ...``
(``shops.csv!C12`` for CSV: row 12 is the 12th record, as Excel shows it).  A
problem with a key the row did not fill names the base YAML and its line, as
without rows; one at a group the row filled names those cells
(``shops.xlsx!F12,G12,H12: fees.instalments: ...``).  Rows are streamed:
each is read, laid over a copy of the base and validated when it is asked for.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import difflib
import io
import math
import os
import re
import types
import typing
import zipfile
from collections import abc
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Generator, Iterator, Mapping, Sequence, cast

from pydantic import BaseModel

from contractgen.errors import InputError, Problem
from contractgen.includes import resolve_includes
from contractgen.kinds import KINDS
from contractgen.loading import LoadedYaml, Loc, Position, format_path, load_yaml_file
from contractgen.pipeline import Loaded
from contractgen.user_templates.names import closest_hint
from contractgen.validation import located, validate

__all__ = ["MAX_TABLE_BYTES", "TABLE_SUFFIXES", "RowResult", "RowSource", "load_rows"]

MAX_TABLE_BYTES = 32 * 1024 * 1024
"""Largest spreadsheet file read (about 100 000 rows of a typical agreement table)."""
XLSX_SUFFIXES = (".xlsx", ".xlsm")
TABLE_SUFFIXES = (*XLSX_SUFFIXES, ".csv")
NOTE_MARK = "#"
_NO_POSITION = cast(Position, (None, None))
"""A cell has no line and column: its Problem carries ``shops.xlsx!C12`` as the file and prints just that."""
_MAX_LISTED_CELLS = 3
_NO_HEADER = "this column has no header, so the value is not read: name its key in the header row"
_Records = Generator[tuple[int, Sequence[Any]], None, None]
"""A table's rows, row 1 first, each as (row number, raw cell values)."""
_LISTS = (list, tuple, abc.Sequence)
_MAPPINGS = (dict, abc.Mapping)


# --------------------------------------------------------------------------
# The public face


@dataclass(frozen=True)
class RowResult:
    """One data row: its document, validated, or the problems that stop it (never both)."""

    label: str
    """``shops.xlsx row 12`` (with the sheet when one was named: ``shops.xlsx[2027] row 12``)."""
    row: int
    loaded: Loaded | None = None
    error: InputError | None = None


@dataclass(frozen=True)
class RowSource(LoadedYaml):
    """The base YAML with one row's cells laid over it: the ``source`` of a row's :class:`Loaded`.

    ``filename`` is the row's label, so messages that name a document name the
    row; ``base_filename`` is the base YAML.  ``cells`` maps each key path the
    row filled to its cell (``C12``) in ``table`` (``shops.xlsx``).  :meth:`where`
    finds a value in its cell, in the shared file it came from, or on its line
    of the base, so errors found later (a missing glyph at render) name the cell too.
    """

    base_filename: str = ""
    table: str = ""
    cells: Mapping[Loc, str] = field(default_factory=dict)

    def where(self, loc: tuple[Any, ...]) -> tuple[str, Position] | None:
        """The cell of ``loc``, the cells the row filled under it, or the base's longest known prefix."""
        loc = tuple(loc)
        for end in range(len(loc), -1, -1):
            prefix = loc[:end]
            if prefix in self.cells:
                return self._at([self.cells[prefix]])
            if end == len(loc) and (under := self._cells_under(prefix)):
                return self._at(under)  # a group the row filled: its values are the suspects
            if prefix in self.origins:
                return self.origins[prefix]
            if prefix in self.positions:
                return self.base_filename, self.positions[prefix]
            if under := self._cells_under(prefix):
                return self._at(under)  # a part the row made: not in the base at all
        return None

    def _cells_under(self, prefix: tuple[Any, ...]) -> list[str]:
        size = len(prefix)
        return [ref for loc, ref in self.cells.items() if len(loc) > size and loc[:size] == prefix]

    def _at(self, refs: list[str]) -> tuple[str, Position]:
        return f"{self.table}!{_cell_list(refs)}", _NO_POSITION


def load_rows(
    base: str | os.PathLike[str], rows: str | os.PathLike[str], *, sheet: str | None = None
) -> Generator[RowResult, None, None]:
    """Yield one :class:`RowResult` per data row of ``rows``: ``base`` with the row's cells laid over it.

    The base YAML is read once (with its ``include:`` files, relative to its own
    folder); rows are read and validated one at a time.  Problems of the whole
    input (the base cannot be read or has no known kind, the table cannot be
    read, the header is wrong, no data rows) raise :class:`InputError` from the
    iteration (at the first ``next()``, or where a CSV stops parsing); a row's
    own problems are its ``error``.  The rules are in this module's docstring.
    """
    base_path, table_path = Path(base), Path(rows)
    source = resolve_includes(load_yaml_file(base_path), base_path.parent)
    model_class = _model_class(source)
    name = os.fspath(rows) + (f"[{sheet}]" if sheet is not None else "")
    records = _records(table_path, os.fspath(rows), sheet)
    try:
        yield from _results(records, name, source, model_class)
    finally:
        records.close()


def _model_class(source: LoadedYaml) -> type[BaseModel]:
    name = source.data.get("kind")
    if name not in KINDS:
        message = f"unknown kind {name!r}; known kinds: {', '.join(KINDS)}" if name else "say what the file is, e.g. kind: training_agreement"
        raise InputError([located(source, ("kind",), message)])
    return KINDS[name].model


def _results(
    records: _Records, name: str, source: LoadedYaml, model_class: type[BaseModel]
) -> Iterator[RowResult]:
    header = _header(records, name, model_class)
    count = 0
    for number, values in records:
        if not _blank(values, header):
            count += 1
            yield _row_result(header, number, values, source, model_class)
    if not count:
        raise InputError([Problem("", f"no rows below the header (row {header.row}): nothing to make", name)])


# --------------------------------------------------------------------------
# Reading the table: (row number, raw cell values), row 1 first


@dataclass(frozen=True)
class _Number:
    """A number cell of a workbook, as openpyxl gives it, with the workbook's date system."""

    value: int | float
    epoch: dt.datetime


@dataclass(frozen=True)
class _Unreadable:
    """A cell whose value cannot be used; ``message`` says why."""

    message: str


def _records(path: Path, name: str, sheet: str | None) -> _Records:
    """The table's rows by suffix; a generator, so nothing is opened before the first ``next()``."""
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _xlsx_records(path, name, sheet)
    if suffix == ".csv":
        return _csv_records(path, name, sheet)
    hint = "; the old .xls format cannot be read: save it as .xlsx" if suffix == ".xls" else ""
    return _refuse(Problem("", f"rows must come from a {', '.join(TABLE_SUFFIXES)} file{hint}", name))


def _refuse(problem: Problem) -> _Records:
    raise InputError([problem])
    yield  # pragma: no cover - makes this a generator, raising at the first next()


def _checked_size(path: Path, name: str) -> None:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InputError([Problem("", f"cannot read the file: {error.strerror or error}", name)]) from None
    if size > MAX_TABLE_BYTES:
        raise InputError([Problem("", f"the file is too large ({size:,} bytes); the limit is {MAX_TABLE_BYTES:,} bytes", name)])


def _xlsx_records(path: Path, name: str, sheet: str | None) -> _Records:
    """Values and formulas side by side: only the formulas tell a missing result from an empty cell."""
    _checked_size(path, name)
    with ExitStack() as stack:
        values_book = _open_workbook(path, name, data_only=True)
        stack.callback(values_book.close)
        formulas_book = _open_workbook(path, name, data_only=False)
        stack.callback(formulas_book.close)
        values, formulas = _worksheet(values_book, name, sheet), _worksheet(formulas_book, name, sheet)
        pairs = zip(values.iter_rows(), formulas.iter_rows(), strict=True)
        for number, (cells, written) in enumerate(pairs, start=1):
            yield number, [_xlsx_value(c, w, values_book.epoch) for c, w in zip(cells, written, strict=True)]


def _open_workbook(path: Path, name: str, data_only: bool) -> Any:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise InputError([Problem("", f"cannot read the workbook: {reason}", name)]) from None


def _worksheet(book: Any, name: str, sheet: str | None) -> Any:
    if sheet is None:
        if not book.worksheets:
            raise InputError([Problem("", "the workbook has no worksheet", name)])
        found = book.worksheets[0]
    elif sheet in book.sheetnames:
        found = book[sheet]
    else:
        known = book.sheetnames
        message = f"no sheet {sheet!r}{closest_hint(sheet, known)} (sheets: {', '.join(known)})"
        raise InputError([Problem("", message, name)])
    found.reset_dimensions()  # a wrong <dimension> in the file must not cut rows or columns off
    return found


def _xlsx_value(cell: Any, written: Any, epoch: dt.datetime) -> Any:
    """A cell's value for :func:`_cell_text`; numbers keep the date system for serial dates."""
    value = cell.value
    if value is None and written.data_type == "f" and cell.data_type != "str":  # "str": a saved empty text
        return _Unreadable(
            "the formula has no saved result (the file was written by a program that does not "
            "calculate): open and save it in Excel or WPS, or type the value"
        )
    if cell.data_type == "e":
        return _Unreadable(f"the cell shows the Excel error {value}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _Number(value, epoch)
    return value


def _csv_records(path: Path, name: str, sheet: str | None) -> _Records:
    """Records of a comma-separated file; record N is row N, as Excel numbers it."""
    if sheet is not None:
        raise InputError([Problem("", f"a CSV file has no sheets (asked for {sheet!r})", name)])
    _checked_size(path, name)
    reader = csv.reader(io.StringIO(_csv_text(path, name), newline=""))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise InputError([Problem("", f"not a valid CSV file: {error}", name, reader.line_num)]) from None


def _csv_text(path: Path, name: str) -> str:
    """UTF-8 (a BOM is allowed), else GB18030; the message names both when neither fits."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError([Problem("", f"cannot read the file: {error.strerror or error}", name)]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as not_utf8:
        try:
            return raw.decode("gb18030").removeprefix("\ufeff")
        except UnicodeDecodeError as not_gb:
            message = (
                f"the file is neither UTF-8 ({_bad_byte(raw, not_utf8)}) nor GB18030 "
                f"({_bad_byte(raw, not_gb)}): save it from Excel as \"CSV UTF-8\""
            )
            raise InputError([Problem("", message, name)]) from None


def _bad_byte(raw: bytes, error: UnicodeDecodeError) -> str:
    line = raw.count(b"\n", 0, error.start) + 1
    return f"byte 0x{raw[error.start]:02x} on line {line}"


# --------------------------------------------------------------------------
# The header: which column sets which key


@dataclass(frozen=True)
class _Column:
    index: int
    letter: str
    loc: Loc
    calendar: str
    """``date`` or ``time`` when the key takes one (text and serials are read as such), else ``""``."""

    @property
    def path(self) -> str:
        return format_path(self.loc)


@dataclass(frozen=True)
class _Header:
    name: str
    row: int
    columns: tuple[_Column, ...]
    notes: frozenset[int]
    """Indexes of ``#`` columns: never read, and no reason to call a row non-blank."""


def _header(records: _Records, name: str, model_class: type[BaseModel]) -> _Header:
    """The first non-empty row, every column checked against the model; all problems at once."""
    for number, values in records:
        if any(not _empty(v) for v in values):
            return _read_header(name, number, values, model_class)
    raise InputError([Problem("", "the sheet is empty: its first row must name the keys, e.g. contract_no, fees.total", name)])


def _read_header(name: str, number: int, values: Sequence[Any], model_class: type[BaseModel]) -> _Header:
    columns: list[_Column] = []
    notes: set[int] = set()
    problems: list[Problem] = []
    first: dict[Loc, str] = {}
    for index, value in enumerate(values):
        letter = _letter(index)
        where = f"{name}!{letter}{number}"
        if _empty(value):
            continue
        text = value.strip() if isinstance(value, str) else ""
        if text.startswith(NOTE_MARK):
            notes.add(index)
            continue
        try:
            loc = _parse_key(text) if text else _refuse_key(value)
            calendar = _leaf_calendar(model_class, loc)
        except ValueError as error:
            problems.append(Problem(text, str(error), where))
            continue
        if loc in first:
            problems.append(Problem(text, f"column {first[loc]} already sets {format_path(loc)}", where))
            continue
        first[loc] = letter
        columns.append(_Column(index, letter, loc, calendar))
    if problems:
        raise InputError(problems)
    return _Header(name, number, tuple(columns), frozenset(notes))


def _refuse_key(value: Any) -> Loc:
    raise ValueError(f"a header names a key such as fees.total, not {_shown(value)}")


_KEY_PART = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\.(\d+)")


def _parse_key(text: str) -> Loc:
    """``fees.instalments[0].amount`` (or ``fees.instalments.0.amount``) → ``("fees", "instalments", 0, "amount")``."""
    parts: list[str | int] = []
    position = 0
    while position < len(text):
        match = _KEY_PART.match(text, position)
        word, bracket, digits = match.groups() if match else (None, None, None)
        if match is None or (bracket is None and match.group(0).startswith(".") != bool(parts)):
            raise ValueError(f"{text!r} is not a key path: write keys joined by dots, list items as [0], e.g. fees.instalments[0].amount")
        parts.append(word if word is not None else int(bracket or digits or 0))
        position = match.end()
    if isinstance(parts[0], int):
        raise ValueError(f"{text!r} is not a key path: it must start with a key, e.g. fees.total")
    return tuple(parts)


def _leaf_calendar(model_class: type[BaseModel], loc: Loc) -> str:
    """Walk the model along ``loc``; ``date``/``time``/``""`` for the value at its end, ValueError if none is there."""
    if loc == ("kind",):
        raise ValueError("the kind comes from the base file; a row cannot change it")
    members = [cast(Any, model_class)]
    for depth, part in enumerate(loc):
        members = _step(members, part, loc, depth)
    return _leaf(members, loc)


def _step(members: list[Any], part: str | int, loc: Loc, depth: int) -> list[Any]:
    """The types one key (or list index) further down, over all union members."""
    found: list[Any] = []
    here = format_path(loc[:depth]) or "the document"
    if isinstance(part, int):
        for member in members:
            if typing.get_origin(member) in _LISTS:
                found += _members(typing.get_args(member)[0])
        if not found:
            raise ValueError(f"{here} is not a list, so it has no item [{part}]")
        return found
    fields: list[str] = []
    for member in members:
        if _is_model(member):
            fields += list(member.model_fields)
            if part in member.model_fields:
                found += _members(member.model_fields[part].annotation)
        elif typing.get_origin(member) in _MAPPINGS:
            found += _members(typing.get_args(member)[1])
    if not found:
        raise ValueError(f"unknown key {part!r} in {here}{_key_hint(part, fields, loc, depth)}")
    return found


def _key_hint(part: str, fields: list[str], loc: Loc, depth: int) -> str:
    """``; did you mean 'parties.client.name'?`` — the whole header with the closest key put in."""
    close = difflib.get_close_matches(part, sorted(fields), n=1, cutoff=0.6)
    if close:
        return f"; did you mean {format_path(loc[:depth] + (close[0],) + loc[depth + 1 :])!r}?"
    return f"; the keys there are: {', '.join(fields)}" if fields else ""


def _leaf(members: list[Any], loc: Loc) -> str:
    """One value must end the path: a group of keys or a whole list cannot fill a cell."""
    scalars = [m for m in members if not _is_model(m) and typing.get_origin(m) not in _LISTS + _MAPPINGS]
    if not scalars:
        what = "a group of keys" if any(_is_model(m) for m in members) else "a list"
        raise ValueError(f"{what}; a column sets one value, e.g. {format_path(_example(members, loc))}")
    if dt.date in scalars:
        return "date"
    return "time" if dt.time in scalars else ""


def _example(members: list[Any], loc: Loc) -> Loc:
    """A key path below ``loc`` that names one value: first keys, item [0]."""
    for _ in range(10):
        model = next((m for m in members if _is_model(m)), None)
        listed = next((m for m in members if typing.get_origin(m) in _LISTS), None)
        if model is not None:
            name = next(iter(model.model_fields))
            loc, members = loc + (name,), _members(model.model_fields[name].annotation)
        elif listed is not None:
            loc, members = loc + (0,), _members(typing.get_args(listed)[0])
        else:
            break
    return loc


def _members(annotation: Any) -> list[Any]:
    """``Optional[Annotated[X, ...]] | Y`` → ``[X, Y]``: the types a value may have, ``None`` left out."""
    found: list[Any] = []
    stack = [annotation]
    while stack:
        current = stack.pop()
        origin = typing.get_origin(current)
        if origin is typing.Annotated:
            stack.append(typing.get_args(current)[0])
        elif origin in (typing.Union, types.UnionType):
            stack.extend(reversed(typing.get_args(current)))
        elif current is not type(None):
            found.append(current)
    return found


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


# --------------------------------------------------------------------------
# One row: cells → text → the base's data → the model


def _row_result(
    header: _Header, number: int, values: Sequence[Any], base: LoadedYaml, model_class: type[BaseModel]
) -> RowResult:
    label = f"{header.name} row {number}"
    problems = _unread_values(header, number, values)
    texts = _texts(header, number, values, problems)
    data, cells = _laid_over(base.data, texts, header, number, problems)
    source = RowSource(
        data, label, base.positions, base.key_positions, base.origins, base_filename=base.filename, table=header.name, cells=cells
    )
    try:
        model = validate(model_class, data, source)
    except InputError as error:
        problems += error.problems
    if problems:
        return RowResult(label, number, error=InputError(sorted(problems, key=lambda p: _problem_order(p, header.name))))
    return RowResult(label, number, loaded=Loaded(model, source))


def _texts(header: _Header, number: int, values: Sequence[Any], problems: list[Problem]) -> list[tuple[_Column, str]]:
    """Each filled cell of the row as text, in column order; what cannot be read goes to ``problems``."""
    texts: list[tuple[_Column, str]] = []
    for column in header.columns:
        try:
            text = _cell_text(values[column.index] if column.index < len(values) else None, column.calendar)
        except ValueError as error:
            problems.append(_cell_problem(header, column, number, str(error)))
            continue
        if text is not None:
            texts.append((column, text))
    return texts


def _laid_over(
    base: dict[str, Any], texts: list[tuple[_Column, str]], header: _Header, number: int, problems: list[Problem]
) -> tuple[dict[str, Any], dict[Loc, str]]:
    """A copy of the base's data with the texts put in, and the cell of each key path put."""
    data = copy.deepcopy(base)
    cells: dict[Loc, str] = {}
    for column, text in sorted(texts, key=lambda pair: _loc_order(pair[0].loc)):  # [0] before [1]: items are made in order
        try:
            _put(data, column.loc, text)
        except ValueError as error:
            problems.append(_cell_problem(header, column, number, str(error)))
            continue
        cells[column.loc] = f"{column.letter}{number}"
    return data, cells


def _cell_problem(header: _Header, column: _Column, number: int, message: str) -> Problem:
    return Problem(column.path, message, f"{header.name}!{column.letter}{number}")


_LETTERS = re.compile(r"[A-Z]+")


def _problem_order(problem: Problem, table: str) -> tuple[int, int, str, int, int]:
    """The row's cells left to right, then the base's lines top to bottom."""
    if problem.file and problem.file.startswith(f"{table}!"):
        letters = _LETTERS.match(problem.file, len(table) + 1)
        column = letters.group(0) if letters else ""
        return (0, len(column), column, 0, 0)
    return (1, 0, "", problem.line or 0, problem.column or 0)


def _unread_values(header: _Header, number: int, values: Sequence[Any]) -> list[Problem]:
    """A value in a column without a header would be lost: say so at its cell."""
    read = {c.index for c in header.columns} | header.notes
    return [
        Problem("", f"{_NO_HEADER} (row {header.row}), or start a note column's header with #", f"{header.name}!{_letter(index)}{number}")
        for index, value in enumerate(values)
        if index not in read and not _empty(value)
    ]


def _blank(values: Sequence[Any], header: _Header) -> bool:
    return all(_empty(v) for i, v in enumerate(values) if i not in header.notes)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _loc_order(loc: Loc) -> tuple[tuple[int, int, str], ...]:
    return tuple((1, part, "") if isinstance(part, int) else (0, 0, part) for part in loc)


def _put(data: dict[str, Any], loc: Loc, text: str) -> None:
    """Set ``text`` at ``loc``, making the mappings and the next list item on the way; ValueError says why not."""
    target: Any = data
    for depth, part in enumerate(loc):
        if isinstance(target, list) and isinstance(part, int):
            if part > len(target):
                raise ValueError(_gap_message(loc[:depth], len(target)))
            if part == len(target):
                target.append(None)
            current = target[part]
        elif isinstance(target, dict) and isinstance(part, str):
            current = target.get(part)
        else:
            raise ValueError(f"the base has {_shown(target)} at {format_path(loc[:depth])}, so {format_path(loc)} cannot be set")
        if depth == len(loc) - 1:
            target[part] = text
        elif current is None:
            current = [] if isinstance(loc[depth + 1], int) else {}
            target[part] = current
        target = current


def _gap_message(list_loc: Loc, size: int) -> str:
    path = format_path(list_loc)
    return f"{path} has {size} item(s) here; a row can change them or add the next, {format_path(list_loc + (size,))}, not leave a gap"


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, _Number):
        value = value.value
    return f"the value {value!r}" if not isinstance(value, str) else f"the text {value!r}"


def _letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell_list(refs: list[str]) -> str:
    """``C12`` / ``F12,G12,H12`` / ``B12:P12`` (first to last) when there are many."""
    ordered = sorted(refs, key=lambda ref: (len(ref.rstrip("0123456789")), ref))
    if len(ordered) <= _MAX_LISTED_CELLS:
        return ",".join(ordered)
    return f"{ordered[0]}:{ordered[-1]}"


# --------------------------------------------------------------------------
# A cell's value as the text a YAML scalar would be


_DATE_DASHED = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_DATE_CHINESE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_TIME_SHORT = re.compile(r"(\d{1,2}):(\d{2})(:\d{2})?")


def _cell_text(raw: Any, calendar: str) -> str | None:
    """The text for the model, ``None`` for an empty cell; ValueError for what cannot be read."""
    if _empty(raw):
        return None
    if isinstance(raw, _Unreadable):
        raise ValueError(raw.message)
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, _Number):
        return _number_text(raw, calendar)
    if isinstance(raw, dt.datetime):
        return _datetime_text(raw)
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, dt.time):
        return _time_text(raw)
    if isinstance(raw, dt.timedelta):
        raise ValueError(f"the cell holds a duration ({raw}); write a date (2027-03-01) or a time (09:00)")
    if isinstance(raw, str):
        return _normalised(raw, calendar)
    raise ValueError(f"cannot read a cell holding {type(raw).__name__}")


def _number_text(number: _Number, calendar: str) -> str:
    if calendar == "date":
        return _serial_date(number)
    if calendar == "time":
        return _serial_time(number)
    return _decimal_text(number.value)


def _decimal_text(value: int | float) -> str:
    """A number cell as Excel holds it: 15 significant digits, written out without exponent.

    ``12345.670000000002`` → ``12345.67``, ``0.30000000000000004`` → ``0.3``,
    ``1e-07`` → ``0.0000001``, ``19200.0`` → ``19200``.  No float arithmetic
    touches the value: the float's shortest 15-digit form becomes a Decimal.
    """
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError(f"the cell holds {value}, not a number")
    exact = Decimal(format(value, ".15g"))
    return format(exact, "f") if exact else "0"


def _serial_date(number: _Number) -> str:
    """An Excel serial day number (46447 → 2027-03-01) in the workbook's date system."""
    from openpyxl.utils.datetime import from_excel

    value = number.value
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"{_decimal_text(value)} is a date serial with a time of day; a date field takes the day only")
    if value < 1:
        raise ValueError(f"{_decimal_text(value)} is not a date: write it as 2027-03-01 or use a date cell")
    try:
        day = from_excel(int(value), number.epoch)
    except (OverflowError, ValueError):
        raise ValueError(f"{_decimal_text(value)} is not a date Excel can show: write it as 2027-03-01") from None
    return day.date().isoformat()


def _serial_time(number: _Number) -> str:
    """A fraction of a day (0.375 → 09:00), as Excel stores a time, to the second."""
    if not 0 <= number.value < 1:
        raise ValueError(f"{_decimal_text(number.value)} is not a time of day: write it as 09:00 or use a time cell")
    seconds = min(round(number.value * 86400), 86399)
    return _clock(seconds // 3600, seconds // 60 % 60, seconds % 60)


def _datetime_text(value: dt.datetime) -> str:
    if value.time() != dt.time(0, 0) or value.tzinfo is not None:
        raise ValueError(
            f"the cell holds {value:%Y-%m-%d %H:%M}, a date with a time of day; dates and times are separate "
            "fields: format the cell as a date (yyyy-mm-dd) and keep only the day"
        )
    return value.date().isoformat()


def _time_text(value: dt.time) -> str:
    """To the second (openpyxl has already rounded the cell to the millisecond)."""
    return _clock(value.hour, value.minute, value.second)


def _clock(hours: int, minutes: int, seconds: int) -> str:
    return f"{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


def _normalised(text: str, calendar: str) -> str:
    """Text as written, except dates and times in the spellings Excel and Chinese users write them."""
    written = text.strip()
    if calendar == "date" and (match := _DATE_DASHED.fullmatch(written) or _DATE_CHINESE.fullmatch(written)):
        year, month, day = match.group(1), match.groups()[-2], match.groups()[-1]
        return f"{year}-{int(month):02d}-{int(day):02d}"
    if calendar == "time" and (match := _TIME_SHORT.fullmatch(written)):
        return f"{int(match.group(1)):02d}:{match.group(2)}{match.group(3) or ''}"
    return text
