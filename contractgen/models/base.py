"""The frozen model base, the cross-field check collector and the base of every document kind.

Pydantic reports a model validator's error at the model's own location.  A
contract check such as "instalment 3 is due after the term" must point at
``fees.instalments[2].due``, and all such problems of a file must be reported
together, so model validators collect them in :class:`CrossFieldChecks` and
raise one ``cross_field`` error whose context carries every sub-location; the
loader turns those back into located problems.

Pydantic also skips a model validator once any field has failed.  A document
kind (:class:`DocumentModel`) therefore lists its checks between top-level
parts with the parts each one needs; the loader asks for
:meth:`~DocumentModel.partial_cross_checks`, which runs every check whose
parts are valid on their own, so a late due date is still reported beside a
typo elsewhere.

Dates and times are read only as written in a contract: ``2027-01-05`` and
``09:00``.  Pydantic would also take a Unix timestamp (``date: 0`` is
1970-01-01), a datetime at midnight, or a time with a zone, and its message for
``2027-02-29`` does not say why; :class:`Model` refuses all of these itself,
naming the reason (``2027 is not a leap year``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import types
import typing
from functools import cache
from typing import Any, Callable, ClassVar, Hashable, Literal, Mapping, Sequence

from pydantic import (
    BaseModel,
    ConfigDict,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from contractgen.loading import format_path

CROSS_FIELD_ERROR = "cross_field"


class Model(BaseModel):
    """Frozen, strict about unknown keys, dates and times, documented in Chinese for editors."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    @field_validator("*", mode="before")
    @classmethod
    def _calendar_as_written(cls, value: Any, info: ValidationInfo) -> Any:
        """A date field takes only ``YYYY-MM-DD`` that exists, a time field only ``HH:MM``; see the module."""
        if info.field_name is None or value is None:
            return value
        parse, options = _calendar_field(cls, info.field_name)
        if parse is None or value in options:
            return value
        try:
            return parse(value)
        except ValueError as error:
            hint = f" (or {', '.join(map(str, options))})" if options else ""
            raise ValueError(f"{error}{hint}") from None


_DATE_TEXT = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME_TEXT = re.compile(r"(\d{2}):(\d{2})(?::(\d{2}))?")


def parse_date(value: Any) -> dt.date:
    """``2027-01-05`` → a date; an impossible day (``2027-02-29``) is an error that says why, never a shift."""
    if isinstance(value, dt.datetime):
        raise ValueError("write a date such as 2027-01-05, not a date and time")
    if isinstance(value, dt.date):
        return value
    match = _DATE_TEXT.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{value!r} is not a date: write it as YYYY-MM-DD, e.g. 2027-01-05")
    year, month, day = (int(part) for part in match.groups())
    if year < 1:
        raise ValueError(f"{value} is not a date: there is no year 0")
    if not 1 <= month <= 12:
        raise ValueError(f"{value} is not a date: there is no month {month}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        why = f"{year} is not a leap year" if (month, day) == (2, 29) else f"{year}-{month:02d} has {days} days"
        raise ValueError(f"{value} is not a date: {why}")
    return dt.date(year, month, day)


def parse_time(value: Any) -> dt.time:
    """``09:00`` (or ``09:00:00``) → a time of day, without a time zone."""
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value
    match = _TIME_TEXT.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{value!r} is not a time: write it as HH:MM, e.g. 09:00 (local time, no zone)")
    hour, minute, second = (int(part or 0) for part in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"{value} is not a time of day: hours run 00–23, minutes and seconds 00–59")
    return dt.time(hour, minute, second)


@cache
def _calendar_field(model: type[BaseModel], name: str) -> tuple[Callable[[Any], Any] | None, tuple[Any, ...]]:
    """The parser a field needs (dates, times, or None for anything else) and the literal options beside it.

    ``dt.date | None`` → parse_date; ``Literal["signature"] | dt.date`` →
    parse_date with the option "signature".  Other unions are left alone.
    """
    annotation = model.model_fields[name].annotation
    members = typing.get_args(annotation) if _is_union(annotation) else (annotation,)
    parsers = {dt.date: parse_date, dt.time: parse_time}
    found = [parsers[m] for m in members if m in parsers]
    options = tuple(o for m in members if typing.get_origin(m) is Literal for o in typing.get_args(m))
    others = [m for m in members if m not in parsers and m is not type(None) and typing.get_origin(m) is not Literal]
    if len(found) != 1 or others:
        return None, ()
    return found[0], options


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


class CrossFieldChecks:
    """Collects problems found across fields; raises them as one pydantic error."""

    def __init__(self) -> None:
        self.problems: list[tuple[tuple[Any, ...], str]] = []

    def fail(self, loc: tuple[Any, ...], message: str) -> None:
        self.problems.append((loc, message))

    def require(self, condition: bool, loc: tuple[Any, ...], message: str) -> None:
        if not condition:
            self.fail(loc, message)

    def raise_if_any(self) -> None:
        if self.problems:
            summary = "; ".join(f"{format_path(loc)}: {msg}" if loc else msg for loc, msg in self.problems)
            raise PydanticCustomError(
                CROSS_FIELD_ERROR, "{summary}", {"summary": summary, "problems": list(self.problems)}
            )


def check_unique(
    items: Sequence[Any],
    key: str | None,
    loc: tuple[Any, ...],
    checks: CrossFieldChecks,
    what: str,
    seen: set[Hashable] | None = None,
) -> None:
    """Each item's ``key`` (or the item itself, when ``key`` is None) once.

    A repeat is reported at ``loc + (index, key)`` (``loc + (index,)`` for plain
    items) as "<what> '<value>' is listed twice".  Pass one ``seen`` set to
    several calls to keep names unique across lists.
    """
    seen = set() if seen is None else seen
    for index, item in enumerate(items):
        value = item if key is None else getattr(item, key)
        where = loc + (index,) if key is None else loc + (index, key)
        checks.require(value not in seen, where, f"{what} {value!r} is listed twice")
        seen.add(value)


INVALID = object()
"""What :func:`validate_part` gives for a top-level part that does not validate on its own."""


def validate_part(model: type[BaseModel], name: str, data: dict) -> Any:
    """One top-level field validated alone, as the model would: an absent field is its default.

    An absent required field, or a value that does not validate, is INVALID.
    """
    if name not in data:
        field = model.model_fields[name]
        return INVALID if field.is_required() else field.get_default(call_default_factory=True)
    try:
        return _field_adapter(model, name).validate_python(data[name])
    except ValidationError:
        return INVALID


@cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter:
    return TypeAdapter(model.model_fields[name].annotation)


CrossCheck = tuple[Callable[..., None], tuple[str, ...]]
"""A check ``check(checks, *parts)`` and the names of the top-level parts it reads, in order."""


def run_cross_checks(checks: CrossFieldChecks, cross_checks: Sequence[CrossCheck], parts: dict[str, Any]) -> None:
    """Run each check whose parts are all valid."""
    for check, needs in cross_checks:
        if all(parts[name] is not INVALID for name in needs):
            check(checks, *(parts[name] for name in needs))


LabelTables = Mapping[str, Mapping[str, str]]
"""Named tables from a field's option to the words a clause template prints for it."""


class DocumentModel(Model):
    """The top-level model of a document kind.

    ``cross_checks`` are its checks between top-level parts; ``labels`` are the
    label tables its clause templates read as ``labels.<name>[option]``.
    """

    cross_checks: ClassVar[tuple[CrossCheck, ...]] = ()
    labels: ClassVar[LabelTables] = {}

    @model_validator(mode="after")
    def _cross_checked(self) -> DocumentModel:
        checks = CrossFieldChecks()
        run_cross_checks(checks, self.cross_checks, {name: getattr(self, name) for name in self.cross_checked_parts()})
        checks.raise_if_any()
        return self

    @classmethod
    def cross_checked_parts(cls) -> tuple[str, ...]:
        """Every part some cross check reads, each once."""
        return tuple(dict.fromkeys(name for _, needs in cls.cross_checks for name in needs))

    @classmethod
    def partial_cross_checks(cls, data: dict) -> list[tuple[tuple, str]]:
        """The cross-field problems among the parts that are valid on their own.

        Pydantic skips a model validator once any field has failed; this lets
        the loader still report, say, a late due date beside a typo elsewhere.
        """
        parts = {name: validate_part(cls, name, data) for name in cls.cross_checked_parts()}
        checks = CrossFieldChecks()
        run_cross_checks(checks, cls.cross_checks, parts)
        return checks.problems
