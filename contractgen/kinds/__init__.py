"""The document kinds: their model, their sections (required or not), their templates.

A kind declares its sections once, in its own module of this package.  The
builder renders them in this order, and the checker verifies the required
ones on the intermediate document and again on the written DOCX.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Literal

from pydantic import BaseModel

Layout = Literal["articles", "chapters"]
"""``articles``: each section is a 第N条 with a heading (agreements).
``chapters``: each section is a 第N章 heading over articles 第N条 numbered
continuously through the whole document (regulations and policies)."""


def _always(model: Any) -> bool:
    return True


@dataclass(frozen=True)
class SectionSpec:
    """One section of a kind: its key, its Chinese label, and when it appears."""

    key: str
    label: str
    required: bool
    numbered: bool = True
    show_heading: bool = True
    present: Callable[[Any], bool] = _always


@dataclass(frozen=True)
class Kind:
    """A document kind: everything the builder, checker and writers need to know of it.

    The callables read a validated model: ``identifier`` is the contract or
    document number (also the file name), ``created`` the date the document
    properties carry, ``title`` the title.
    """

    name: str
    label: str
    model: type[BaseModel]
    sections: tuple[SectionSpec, ...]
    title: Callable[[Any], str]
    identifier: Callable[[Any], str]
    created: Callable[[Any], dt.date]
    subject: Callable[[Any], str]
    author: Callable[[Any], str]
    layout: Layout = "articles"
    table_of_contents: bool = False

    def required_sections(self) -> tuple[SectionSpec, ...]:
        return tuple(s for s in self.sections if s.required)

    def file_stem(self, model: Any) -> str:
        return self.identifier(model)


def _load_kinds() -> dict[str, Kind]:
    """Each kind lives in its own module, which imports this one for Kind and SectionSpec."""
    from contractgen.kinds import quality_plan, staffing_plan, training_agreement, training_regulation, training_standard

    modules = (training_agreement, training_regulation, training_standard, staffing_plan, quality_plan)
    return {module.KIND.name: module.KIND for module in modules}


KINDS: dict[str, Kind] = _load_kinds()


def kind_named(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown kind {name!r}; known kinds: {', '.join(KINDS)}") from None
