"""Pydantic errors → located problems (file, line, column, key path, message)."""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from contractgen.errors import InputError, Problem
from contractgen.loading import LoadedYaml, format_path, problem_at
from contractgen.models.base import CROSS_FIELD_ERROR


def validate(model_class: type[BaseModel], data: dict[str, Any], source: LoadedYaml | None = None) -> Any:
    """Build the model or raise one InputError listing every problem with its line."""
    try:
        return model_class.model_validate(data)
    except ValidationError as exc:
        problems = problems_from(exc, model_class, data, source)
        problems += _partial_cross_problems(model_class, data, source, problems)
        raise InputError(sorted(problems, key=_line_order)) from None


def _partial_cross_problems(
    model_class: type[BaseModel], data: dict[str, Any], source: LoadedYaml | None, known: list[Problem]
) -> list[Problem]:
    """Cross-field problems pydantic skipped because another field failed (see the model)."""
    partial = getattr(model_class, "partial_cross_checks", None)
    if partial is None or not isinstance(data, dict):
        return []
    seen = {p.path for p in known}
    return [located(source, loc, message) for loc, message in partial(data) if format_path(loc) not in seen]


def problems_from(
    exc: ValidationError, model_class: type[BaseModel], data: Any, source: LoadedYaml | None
) -> list[Problem]:
    merged: dict[tuple, list[str]] = {}
    for error in exc.errors():
        for loc, message in _expand(error, model_class, data):
            messages = merged.setdefault(loc, [])
            if message not in messages:
                messages.append(message)
    problems = [located(source, loc, " or ".join(messages)) for loc, messages in merged.items()]
    return sorted(problems, key=_line_order)


def _line_order(problem: Problem) -> tuple:
    return (problem.line or 0, problem.column or 0, problem.path)


def located(source: LoadedYaml | None, loc: tuple, message: str) -> Problem:
    """A problem at ``loc``, with file and line when the data came from a file."""
    return problem_at(source, loc, message) if source else Problem(format_path(loc), message)


def _expand(error: dict, model_class: type[BaseModel], data: Any) -> list[tuple[tuple, str]]:
    loc = clean_loc(tuple(error["loc"]), data)
    if error["type"] == CROSS_FIELD_ERROR:
        return [(loc + tuple(sub), message) for sub, message in error["ctx"]["problems"]]
    return [(loc, friendly_message(error, loc, model_class))]


def clean_loc(loc: tuple, data: Any) -> tuple:
    """Drop pydantic's union-member tags (``literal['x']``, ``date``) from a location."""
    kept: list[Any] = []
    current = data
    for index, part in enumerate(loc):
        if isinstance(current, dict) and isinstance(part, str):
            kept.append(part)
            if part not in current:
                break
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int):
            kept.append(part)
            current = current[part] if part < len(current) else None
        elif current is None and index == len(loc) - 1 and isinstance(part, str) and part.isidentifier():
            kept.append(part)
        else:
            continue
    return tuple(kept)


def friendly_message(error: dict, loc: tuple, model_class: type[BaseModel]) -> str:
    kind, message = error["type"], error["msg"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model_class, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else (f"; allowed: {', '.join(allowed)}" if allowed else "")
        return f"unknown key {loc[-1]!r}{hint}"
    if kind == "bool_parsing":
        return f"write true or false (yes/no are accepted too) (got {error.get('input')!r})"
    if kind in ("value_error", "assertion_error"):
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    value = error.get("input")
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return f"{message} (got {value!r})"
    return message


def _allowed_keys(model_class: type[BaseModel], loc: tuple) -> list[str]:
    """The field names of the model found at ``loc``, for 'did you mean' hints."""
    current: Any = model_class
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return []
        current = _inner_model(current.model_fields[part].annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    """``list[Module] | None`` → ``Module``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _inner_model(argument)
        if found is not None:
            return found
    return None
