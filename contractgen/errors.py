"""The one error hierarchy of contractgen.

The library raises; only ``cli.py`` prints and chooses exit codes.  Every
input error carries one or more :class:`Problem` objects that know the file,
the line and column, and the key path (``fees.instalments[2].due``), so the
user is told exactly which line of their YAML to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    path: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = ":".join(
            str(part) for part in (self.file, self.line, self.column) if part is not None
        )
        head = f"{where}: " if where else ""
        path = f"{self.path}: " if self.path else ""
        return f"{head}{path}{self.message}"


class ContractgenError(Exception):
    """Root of every error contractgen raises on purpose."""


class InputError(ContractgenError, ValueError):
    """The input (YAML file or model data) is invalid; lists every problem at once."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class MissingGlyphError(InputError):
    """A character of the document has no glyph in the fonts in use."""


class TemplateError(ContractgenError):
    """A clause or page template is broken (syntax, undefined name, unsafe access)."""


class MissingSectionsError(ContractgenError):
    """A document lacks sections its kind declares required."""

    def __init__(self, where: str, missing: Iterable[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(f"{where}: missing required sections: {', '.join(self.missing)}")


class FontError(ContractgenError):
    """A font file cannot be found or read."""


class OutputExistsError(ContractgenError, FileExistsError):
    """An output file exists and overwriting was not asked for (use --force)."""
