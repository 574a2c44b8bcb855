"""Static check of the names a template uses against the kind's model.

Jinja2 only finds a misspelt name when the render reaches it; a contract
template has branches (``{% if evaluation %}``) a test document may never
take.  This walks the template's syntax tree with the model's types:
``parties.client.nmae`` is reported with the closest field (``name``), and
loop variables take the type of their list (``{% for m in training.modules %}``
→ ``m`` is a Module).  Where a type is not known (a filter's result, a
dictionary) the walk stops checking rather than guess.
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import difflib
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable

from jinja2 import nodes
from pydantic import BaseModel

from contractgen.kinds import Kind

Report = Callable[[int, str], None]


class Unknown:
    """A value whose type the checker does not know: nothing below it is checked."""


UNKNOWN = Unknown()


@dataclass(frozen=True)
class ModelType:
    cls: type[BaseModel]


@dataclass(frozen=True)
class ListType:
    item: Any


@dataclass(frozen=True)
class MappingType:
    keys: frozenset[str] | None
    value: Any


@dataclass(frozen=True)
class PlainType:
    cls: type


def describe(annotation: Any) -> Any:
    """A field annotation → the checker's type (Optional, Annotated and Literal unwrapped)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return describe(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return describe(options[0]) if len(options) == 1 else UNKNOWN
    if origin is typing.Literal:
        return PlainType(type(typing.get_args(annotation)[0]))
    if origin in (list, tuple, collections.abc.Sequence):
        args = typing.get_args(annotation)
        return ListType(describe(args[0]) if args else UNKNOWN)
    if origin is dict:
        args = typing.get_args(annotation)
        return MappingType(None, describe(args[1]) if len(args) == 2 else UNKNOWN)
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return ModelType(annotation)
        if issubclass(annotation, (str, int, Decimal, dt.date, dt.time, bool)):
            return PlainType(annotation)
    return UNKNOWN


def context_types(kind: Kind, helpers: Iterable[str]) -> dict[str, Any]:
    """The type of every name a template of ``kind`` sees."""
    model = kind.model
    scope: dict[str, Any] = {name: describe(field.annotation) for name, field in model.model_fields.items()}
    labels = getattr(model, "labels", {})
    scope.update(
        doc=ModelType(model),
        labels=MappingType(frozenset(labels), MappingType(None, PlainType(str))),
        numbers=MappingType(frozenset(s.key for s in kind.sections if s.numbered), PlainType(str)),
        locale=PlainType(str),
    )
    for helper in helpers:
        scope.setdefault(helper, UNKNOWN)
    return scope


class NameChecker:
    """Walks one template's tree, reporting (line, message) for names and attributes that cannot exist."""

    def __init__(
        self, scope: dict[str, Any], globals_: Iterable[str], report: Report,
        filters: Iterable[str] = (), tests: Iterable[str] = (),
    ) -> None:
        self.scopes = [dict(scope)]
        self.globals = set(globals_)
        self.filters = set(filters)
        self.tests = set(tests)
        self.report = report

    # statements -------------------------------------------------------------
    def check(self, node: nodes.Node) -> None:
        handler = getattr(self, f"_check_{type(node).__name__}", None)
        if handler is not None:
            handler(node)
            return
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.infer(child)
            else:
                self.check(child)

    def _check_For(self, node: nodes.For) -> None:
        items = self.infer(node.iter)
        self.scopes.append({"loop": UNKNOWN})
        self._bind(node.target, items.item if isinstance(items, ListType) else UNKNOWN)
        if node.test is not None:
            self.infer(node.test)
        for child in node.body:
            self.check(child)
        self.scopes.pop()
        for child in node.else_:
            self.check(child)

    def _check_Assign(self, node: nodes.Assign) -> None:
        self._bind(node.target, self.infer(node.node))

    def _check_AssignBlock(self, node: nodes.AssignBlock) -> None:
        for child in node.body:
            self.check(child)
        self._bind(node.target, PlainType(str))

    def _check_Macro(self, node: nodes.Macro) -> None:
        self._bind_name(node.name, UNKNOWN)
        self._in_scope({a.name: UNKNOWN for a in node.args} | {"varargs": UNKNOWN, "kwargs": UNKNOWN, "caller": UNKNOWN},
                       node.body, node.defaults)

    def _check_CallBlock(self, node: nodes.CallBlock) -> None:
        self.infer(node.call)
        self._in_scope({a.name: UNKNOWN for a in node.args}, node.body, node.defaults)

    def _check_With(self, node: nodes.With) -> None:
        values = [self.infer(value) for value in node.values]
        self.scopes.append({})
        for target, value in zip(node.targets, values):
            self._bind(target, value)
        for child in node.body:
            self.check(child)
        self.scopes.pop()

    def _in_scope(self, names: dict[str, Any], body: list[nodes.Node], defaults: list[nodes.Expr]) -> None:
        for default in defaults:
            self.infer(default)
        self.scopes.append(names)
        for child in body:
            self.check(child)
        self.scopes.pop()

    def _bind(self, target: nodes.Node, value: Any) -> None:
        if isinstance(target, nodes.Name):
            self._bind_name(target.name, value)
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(item, UNKNOWN)
        elif isinstance(target, nodes.NSRef):
            self.infer(nodes.Name(target.name, "load", lineno=target.lineno))

    def _bind_name(self, name: str, value: Any) -> None:
        self.scopes[-1][name] = value

    # expressions ------------------------------------------------------------
    def infer(self, node: nodes.Node) -> Any:
        if isinstance(node, nodes.Name):
            return self._name(node)
        if isinstance(node, nodes.Getattr):
            return self._attribute(self.infer(node.node), node.attr, node)
        if isinstance(node, nodes.Getitem):
            base = self.infer(node.node)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self._attribute(base, node.arg.value, node)
            self.infer(node.arg)
            return base.item if isinstance(base, ListType) and not isinstance(node.arg, nodes.Slice) else UNKNOWN
        if isinstance(node, nodes.Const):
            return describe(type(node.value))
        if isinstance(node, (nodes.Filter, nodes.Test)):
            self._known_filter_or_test(node)
        for child in node.iter_child_nodes():
            self.infer(child)
        return UNKNOWN

    def _known_filter_or_test(self, node: nodes.Filter | nodes.Test) -> None:
        what, known = ("filter", self.filters) if isinstance(node, nodes.Filter) else ("test", self.tests)
        if known and node.name not in known:
            self.report(node.lineno, f"there is no {what} '{node.name}'{closest_hint(node.name, known)}")

    def _lookup(self, name: str) -> Any:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def _name(self, node: nodes.Name) -> Any:
        found = self._lookup(node.name)
        if found is not None:
            return found
        if node.name in self.globals:
            return UNKNOWN
        known = {n for scope in self.scopes for n in scope} | self.globals
        self.report(node.lineno, f"'{node.name}' is undefined{closest_hint(node.name, known)}")
        return UNKNOWN

    def _attribute(self, base: Any, attr: str, node: nodes.Node) -> Any:
        if attr.startswith("_"):
            self.report(node.lineno, f"'{attr}' is not allowed: names starting with _ are blocked by the sandbox")
            return UNKNOWN
        if isinstance(base, ModelType):
            fields = base.cls.model_fields
            if attr in fields:
                return describe(fields[attr].annotation)
            if _is_public_member(base.cls, attr):
                return UNKNOWN
            known = set(fields) | {n for n in dir(base.cls) if _is_public_member(base.cls, n)}
            self.report(node.lineno, f"'{attr}' is not a field of {_model_label(base.cls)}{closest_hint(attr, set(fields) or known)}")
            return UNKNOWN
        if isinstance(base, MappingType):
            if base.keys is None or attr in base.keys:
                return base.value
            if hasattr(dict, attr):
                return UNKNOWN
            self.report(node.lineno, f"there is no '{attr}' here{closest_hint(attr, base.keys)}")
            return UNKNOWN
        if isinstance(base, (PlainType, ListType)):
            cls = base.cls if isinstance(base, PlainType) else list
            if not hasattr(cls, attr):
                self.report(node.lineno, f"a {cls.__name__} value has no '{attr}'")
        return UNKNOWN


def _is_public_member(cls: type, name: str) -> bool:
    return not name.startswith("_") and not name.startswith("model_") and hasattr(cls, name) and name not in cls.model_fields


def _model_label(cls: type[BaseModel]) -> str:
    doc = (cls.__doc__ or "").strip().splitlines()
    return f"{cls.__name__} ({doc[0].rstrip('。')})" if doc else cls.__name__


def closest_hint(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
