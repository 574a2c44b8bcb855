"""Shared data files: ``include:`` and ``use:``.

An agreement and a regulation of the same company name the same training
modules and KPIs.  Typed twice, they drift apart; so a document may say::

    include: shared/team.yaml          # or a list of up to 10 such paths
    evaluation:
      kpis: {use: kpis}                # the whole node
    training:
      modules:
        - {use: modules.platform_rules, hours: 14}   # a mapping, one key overridden

Why it is built this way:

* **Safe and bounded.**  Shared files are read with the same safe loader and
  size cap as the document.  They must be ``.yaml`` / ``.yml`` files inside
  the document's folder (checked on the *resolved* path, so neither ``..``
  nor a symlink can reach outside), at most :data:`MAX_INCLUDES` of them.
  References are one level only: a shared file may contain neither
  ``include:`` nor ``use:``, so there are no chains or cycles to follow, and
  the total amount of copied data is capped by :data:`MAX_EXPANDED_NODES`
  (one shared node referenced a million times is refused, not expanded).
* **Errors point where the fix goes.**  Every path inside substituted data is
  mapped to its line in the shared file (``LoadedYaml.origins``), so a bad
  KPI target reads ``shared/team.yaml:12:5: evaluation.kpis[0].target: ...``.
  The node that holds ``use:`` and local override keys keep the document's
  own positions.  Mistakes in ``include:`` / ``use:`` themselves are located
  at the line of the document that says them, all reported together.
"""

from __future__ import annotations

import copy
import difflib
import os
from dataclasses import replace
from pathlib import Path, PureWindowsPath
from typing import Any

from contractgen.errors import InputError, Problem
from contractgen.loading import (
    LoadedYaml,
    Loc,
    Position,
    format_path,
    load_yaml_file,
    problem_at,
)

__all__ = ["INCLUDE_KEY", "MAX_EXPANDED_NODES", "MAX_INCLUDES", "USE_KEY", "resolve_includes"]

INCLUDE_KEY = "include"
USE_KEY = "use"
MAX_INCLUDES = 10
MAX_EXPANDED_NODES = 100_000
"""Most values (scalars and collections) all ``use:`` references may copy in together."""
YAML_SUFFIXES = (".yaml", ".yml")
_SHOWN_KEYS = 20


class _Refused(Exception):
    """An ``include:`` entry that must not be read; the message says why."""


def resolve_includes(loaded: LoadedYaml, base_dir: Path | None) -> LoadedYaml:
    """Load the document's ``include:`` files and replace every ``use:`` by shared data.

    ``base_dir`` is the folder of the document (``None`` for text that has no
    file, which then cannot include anything).  A document with neither
    ``include:`` nor ``use:`` is returned unchanged.  Raises
    :class:`InputError` listing every problem found.
    """
    if INCLUDE_KEY not in loaded.data and not _uses_in(loaded.data):
        return loaded
    shared = _load_includes(loaded, base_dir) if INCLUDE_KEY in loaded.data else []
    return _Resolver(loaded, _index_top_keys(shared)).run()


# --------------------------------------------------------------------------
# include:


def _load_includes(loaded: LoadedYaml, base_dir: Path | None) -> list[LoadedYaml]:
    """The shared files, checked for place, type and content, in the order listed."""
    entries = _include_entries(loaded)
    if base_dir is None:
        message = "include needs a file on disk (the document was not loaded from a file)"
        raise InputError([problem_at(loaded, (INCLUDE_KEY,), message)])
    if len(entries) > MAX_INCLUDES:
        message = f"at most {MAX_INCLUDES} files can be included, not {len(entries)}"
        raise InputError([problem_at(loaded, (INCLUDE_KEY,), message)])
    root = base_dir.resolve()
    problems: list[Problem] = []
    shared: list[LoadedYaml] = []
    seen: set[Path] = set()
    for loc, written in entries:
        try:
            target, display = _checked_path(written, base_dir, root)
            if target in seen:
                raise _Refused(f"{written!r} is included twice")
        except _Refused as refused:
            problems.append(problem_at(loaded, loc, str(refused)))
            continue
        seen.add(target)
        try:
            # Read the resolved path: the one that was just checked to be inside.
            one = replace(load_yaml_file(target), filename=display)
        except InputError as error:
            problems.extend(replace(p, file=display) for p in error.problems)
            continue
        problems.extend(_shared_file_problems(one))
        shared.append(one)
    if problems:
        raise InputError(problems)
    return shared


def _include_entries(loaded: LoadedYaml) -> list[tuple[Loc, Any]]:
    value = loaded.data[INCLUDE_KEY]
    if isinstance(value, str):
        return [((INCLUDE_KEY,), value)]
    if isinstance(value, list):
        return [((INCLUDE_KEY, index), item) for index, item in enumerate(value)]
    message = "include must be a relative path or a list of them, e.g. include: shared/team.yaml"
    raise InputError([problem_at(loaded, (INCLUDE_KEY,), message)])


def _checked_path(written: Any, base_dir: Path, root: Path) -> tuple[Path, str]:
    """The resolved file to read and the name to show, or :class:`_Refused`."""
    if not isinstance(written, str) or not written.strip() or "\x00" in written:
        raise _Refused("each include must be a file path such as shared/team.yaml")
    if Path(written).is_absolute() or PureWindowsPath(written).anchor:
        raise _Refused(f"{written!r} is absolute; include paths are relative to the document's folder")
    if not written.lower().endswith(YAML_SUFFIXES):
        raise _Refused(f"{written!r} is not a .yaml or .yml file")
    try:
        target = (base_dir / written).resolve()
    except (OSError, RuntimeError) as error:  # a symlink loop, for one
        raise _Refused(f"cannot resolve {written!r}: {error}") from None
    if not target.is_relative_to(root):
        raise _Refused(f"{written!r} is outside the document's folder; shared files must be in it or below it")
    if not target.name.lower().endswith(YAML_SUFFIXES):
        raise _Refused(f"{written!r} points to {target.name!r}, which is not a .yaml or .yml file")
    display = os.path.normpath(os.path.join(base_dir, written))
    if not target.exists():
        raise _Refused(f"included file not found: {display}")
    if not target.is_file():
        raise _Refused(f"{display} is not a file")
    return target, display


def _shared_file_problems(shared: LoadedYaml) -> list[Problem]:
    """Shared files hold plain data: no ``include:`` of their own, no ``use:``."""
    problems: list[Problem] = []
    if INCLUDE_KEY in shared.data:
        message = "nested includes are not supported; list every shared file in the document's include"
        problems.append(problem_at(shared, (INCLUDE_KEY,), message))
    for path in _uses_in(shared.data):
        message = "references (use:) inside shared files are not supported; write the data out"
        problems.append(problem_at(shared, path + (USE_KEY,), message))
    return problems


def _index_top_keys(shared: list[LoadedYaml]) -> dict[str, LoadedYaml]:
    """Which shared file defines each top-level key; a key in two files is an error."""
    index: dict[str, LoadedYaml] = {}
    problems: list[Problem] = []
    for one in shared:
        for key in one.data:
            first = index.setdefault(key, one)
            if first is not one:
                message = f"top-level key {key!r} is defined in both {first.filename} and {one.filename}"
                line, column = one.key_positions.get((key,), (None, None))
                problems.append(Problem(key, message, one.filename, line, column))
    if problems:
        raise InputError(problems)
    return index


def _uses_in(data: Any) -> list[Loc]:
    """Paths of the mappings that contain a ``use:`` key, in document order."""
    found: list[Loc] = []
    stack: list[tuple[Loc, Any]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            if USE_KEY in node:
                found.append(path)
            stack.extend((path + (key,), value) for key, value in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((path + (index,), value) for index, value in reversed(list(enumerate(node))))
    return found


# --------------------------------------------------------------------------
# use:


class _TooMuch(Exception):
    """The references copy in more than :data:`MAX_EXPANDED_NODES` values."""


class _Resolver:
    """Replaces ``use:`` mappings in a copy of the document; records origins and problems."""

    def __init__(self, loaded: LoadedYaml, index: dict[str, LoadedYaml]) -> None:
        self.loaded = loaded
        self.index = index
        self.problems: list[Problem] = []
        self.origins: dict[Loc, tuple[str, Position]] = dict(loaded.origins)
        self.replaced: set[Loc] = set()
        self.copied = 0

    def run(self) -> LoadedYaml:
        data = copy.deepcopy({k: v for k, v in self.loaded.data.items() if k != INCLUDE_KEY})
        if USE_KEY in data:
            message = "use is not allowed at the top level; put it under a key, e.g. kpis: {use: kpis}"
            self.problems.append(problem_at(self.loaded, (USE_KEY,), message))
        try:
            self.walk(data, [key for key in data if key != USE_KEY], ())
        except _TooMuch:
            pass  # the problem is recorded; going on would only copy more
        if self.problems:
            raise InputError(self.problems)
        return LoadedYaml(
            data,
            self.loaded.filename,
            self.keep(self.loaded.positions),
            self.keep(self.loaded.key_positions),
            self.origins,
        )

    def keep(self, positions: dict[Loc, Position]) -> dict[Loc, Position]:
        """The document's positions minus ``include`` and the ``use`` values replaced."""
        return {
            path: position
            for path, position in positions.items()
            if path[:1] != (INCLUDE_KEY,) and path not in self.replaced
        }

    def walk(self, container: Any, keys: list[Any], path: Loc) -> None:
        """Resolve references in the document's own data, without recursion."""
        stack = [(container, key, path + (key,)) for key in reversed(keys)]
        while stack:
            parent, key, here = stack.pop()
            node = parent[key]
            children: list[Any] = []
            if isinstance(node, dict) and USE_KEY in node:
                parent[key], children = self.substitute(node, here)
                node = parent[key]
            elif isinstance(node, dict):
                children = list(node)
            elif isinstance(node, list):
                children = list(range(len(node)))
            stack.extend((node, child, here + (child,)) for child in reversed(children))

    def substitute(self, node: dict[str, Any], path: Loc) -> tuple[Any, list[str]]:
        """The shared data ``node`` refers to, merged with its other keys.

        Also returns the document's own (override) keys, which are walked for
        references of their own.  On a problem ``node`` is kept as it is.
        """
        use_path = path + (USE_KEY,)
        others = [key for key in node if key != USE_KEY]
        found = self.lookup(node[USE_KEY], use_path)
        if found is None:
            return node, others
        shared, source, value = found
        if not isinstance(value, dict):
            if others:
                message = (
                    f"use: {node[USE_KEY]!r} is {_kind(value)}, so it cannot be combined with other keys "
                    f"({', '.join(others)}); only a mapping can be overridden key by key"
                )
                self.problems.append(problem_at(self.loaded, use_path, message))
                return node, others
            self.replaced.add(use_path)
            return self.copy(shared, source, value, path), []
        self.replaced.add(use_path)
        merged: dict[str, Any] = {}
        for key, item in value.items():  # shared order; a local key wins in place
            if key in node:
                merged[key] = node[key]
            else:
                self.mark(shared, source + (key,), path + (key,))
                merged[key] = self.copy(shared, source + (key,), item, path + (key,))
        merged.update((key, node[key]) for key in others if key not in merged)
        return merged, others

    def lookup(self, ref: Any, use_path: Loc) -> tuple[LoadedYaml, Loc, Any] | None:
        """Follow a dotted path through the shared data, or record why it fails."""
        parts = ref.split(".") if isinstance(ref, str) else []
        if not parts or not all(part.strip() for part in parts):
            shown = repr(ref) if isinstance(ref, str) else _kind(ref)
            message = f"use must be a dotted path such as kpis.first_response, not {shown}"
            self.problems.append(problem_at(self.loaded, use_path, message))
            return None
        shared = self.index.get(parts[0])
        if shared is None:
            if self.index:
                where = "no included file defines " + repr(parts[0])
                hint = _hint(parts[0], list(self.index), ())
            else:
                where, hint = f"nothing defines {parts[0]!r}", " (the document has no include)"
            self.problems.append(problem_at(self.loaded, use_path, f"use: {ref!r} not found: {where}{hint}"))
            return None
        value: Any = shared.data[parts[0]]
        source: Loc = (parts[0],)
        for part in parts[1:]:
            if isinstance(value, dict) and part in value:
                value, source = value[part], source + (part,)
                continue
            if isinstance(value, dict):
                reason = f"{format_path(source)} in {shared.filename} has no key {part!r}"
                reason += _hint(part, list(value), source)
            else:
                reason = f"{format_path(source)} in {shared.filename} is {_kind(value)}, not a mapping"
                if isinstance(value, list):
                    reason += " (list indexes are not supported)"
            self.problems.append(problem_at(self.loaded, use_path, f"use: {ref!r} not found: {reason}"))
            return None
        return shared, source, value

    def mark(self, shared: LoadedYaml, source: Loc, target: Loc) -> None:
        """Count one copied value and remember where it is written in the shared file."""
        self.copied += 1
        if self.copied > MAX_EXPANDED_NODES:
            limit = f"{MAX_EXPANDED_NODES:,}"
            message = f"the use references copy in more than {limit} values; share less or refer less often"
            self.problems.append(Problem("", message, self.loaded.filename))
            raise _TooMuch
        position = shared.positions.get(source)
        if position is not None:
            self.origins[target] = (shared.filename, position)

    def copy(self, shared: LoadedYaml, source: Loc, value: Any, target: Loc) -> Any:
        """A copy of the shared ``value``, every inner path marked (``target`` itself is not)."""
        if not isinstance(value, (dict, list)):
            return value
        result: Any = type(value)()
        stack = [(value, result, source, target)]
        while stack:
            original, copied, src, dst = stack.pop()
            items = original.items() if isinstance(original, dict) else enumerate(original)
            for key, item in items:
                self.mark(shared, src + (key,), dst + (key,))
                new = type(item)() if isinstance(item, (dict, list)) else item
                if isinstance(item, (dict, list)):
                    stack.append((item, new, src + (key,), dst + (key,)))
                if isinstance(copied, dict):
                    copied[key] = new
                else:
                    copied.append(new)
        return result


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "an empty value" if value is None else "a single value"


def _hint(wanted: str, keys: list[str], prefix: Loc) -> str:
    """``; did you mean 'kpis.first_response'? (available: ...)`` for a missing key."""
    if not keys:
        return " (it is empty)"
    close = difflib.get_close_matches(wanted, keys, n=1)
    guess = f"; did you mean {'.'.join(map(str, prefix + (close[0],)))!r}?" if close else ""
    shown = ", ".join(keys[:_SHOWN_KEYS]) + (", ..." if len(keys) > _SHOWN_KEYS else "")
    return f"{guess} (available: {shown})"
