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
"""

from __future__ import annotations

from functools import cache
from typing import Any, Callable, ClassVar, Hashable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from contractgen.loading import format_path

CROSS_FIELD_ERROR = "cross_field"


class Model(BaseModel):
    """Frozen, strict about unknown keys, documented in Chinese for editors."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


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
