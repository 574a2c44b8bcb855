"""The frozen model base and the cross-field check collector.

Pydantic reports a model validator's error at the model's own location.  A
contract check such as "instalment 3 is due after the term" must point at
``fees.instalments[2].due``, and all such problems of a file must be reported
together, so model validators collect them in :class:`CrossFieldChecks` and
raise one ``cross_field`` error whose context carries every sub-location; the
loader turns those back into located problems.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
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
