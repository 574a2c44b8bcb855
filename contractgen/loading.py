"""Safe YAML loading with source positions.

The user's YAML is untrusted input, so this module never lets a YAML library
construct Python objects.  It walks the *event stream* of ruamel.yaml's pure
Python parser (``YAML(typ="safe", pure=True).parse``) and builds plain
``dict`` / ``list`` / ``str`` / ``None`` values itself, with an explicit stack
instead of recursion.  On the way it rejects, with a located
:class:`~contractgen.errors.Problem` each:

* anchors and aliases (so an alias bomb costs nothing: nothing is expanded);
* explicit tags (``!!python/object/apply:...``, ``!foo``, even ``!!str``);
* duplicate keys, non-string keys and merge keys (``<<``);
* nesting deeper than :data:`MAX_DEPTH`, and more than :data:`MAX_NODES` values
  (the pure-Python scanner costs ~30 µs a token: a 1 MiB list would take 20 s);
* the characters YAML 1.1 reads as line breaks (NEL, U+2028, U+2029): ruamel
  would silently fold them into spaces or break the structure;
* a top level that is not a mapping, and more than one document;
* syntax errors of the scanner and parser (these stop the walk).

Every scalar is kept as the exact ``str`` written in the file, so
``12345678901234567.89`` keeps every fen, ``0012`` is not octal and ``no`` is
not ``False``; converting and validating is the job of the pydantic models.
The one exception is a plain (unquoted) empty, ``~`` or ``null`` scalar,
which becomes ``None``.

Positions are remembered for every key path, so a later validation error at
``("fees", "instalments", 2, "due")`` can be reported as
``contract.yaml:14:12: fees.instalments[2].due: ...``.  Lines and columns are
1-based everywhere in this module's public API.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Generator, Union

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    DocumentStartEvent,
    Event,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceStartEvent,
)
from ruamel.yaml.reader import ReaderError

from contractgen.errors import InputError, Problem

__all__ = [
    "ANCHOR_MESSAGE",
    "DEFAULT_MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "TAG_MESSAGE",
    "LoadedYaml",
    "Loc",
    "Position",
    "format_path",
    "load_yaml_file",
    "load_yaml_text",
    "problem_at",
]

Loc = tuple[Union[str, int], ...]
"""A key path: strings are mapping keys, ints are sequence indexes."""

Position = tuple[int, int]
"""A 1-based ``(line, column)``."""

DEFAULT_MAX_BYTES = 1_048_576
MAX_DEPTH = 50
"""Deepest nesting of mappings and sequences accepted (the top mapping is 1)."""

ANCHOR_MESSAGE = "anchors and aliases (&name / *name) are not allowed"
TAG_MESSAGE = "YAML tags (!!python/...) are not allowed"
MERGE_KEY_MESSAGE = "merge keys (<<) are not allowed; write the keys out"
DEPTH_MESSAGE = f"nesting is deeper than {MAX_DEPTH} levels"
MAX_NODES = 20_000
"""Most values (scalars, mappings, sequences, keys) one file may hold; a real document has a few hundred."""
NODES_MESSAGE = f"the file holds more than {MAX_NODES:,} values; a document this large is not a contract"
YAML11_BREAKS = {"\x85": "next-line character (NEL)", "\u2028": "line separator", "\u2029": "paragraph separator"}
"""Characters ruamel.yaml reads as line breaks, though the YAML 1.2 text we accept has none of them."""
NULL_SPELLINGS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(frozen=True)
class LoadedYaml:
    """The data of one YAML file plus where each value came from.

    ``positions`` maps a key path to the 1-based ``(line, column)`` of the
    value node; ``key_positions`` maps the path of a mapping entry to where
    its key is written.  The root mapping is at path ``()``.

    ``origins`` is for values that were copied in from *another* file (shared
    data pulled in by ``include:`` / ``use:``, see :mod:`contractgen.includes`):
    it maps the path in this document to ``(that file, position there)``, so
    an error in a shared KPI points at the shared file, where it must be fixed.
    """

    data: dict[str, Any]
    filename: str
    positions: dict[Loc, Position] = field(default_factory=dict)
    key_positions: dict[Loc, Position] = field(default_factory=dict)
    origins: dict[Loc, tuple[str, Position]] = field(default_factory=dict)

    def where(self, loc: tuple[Any, ...]) -> tuple[str, Position] | None:
        """File and position of the longest known prefix of ``loc``.

        Pydantic reports a missing field at the path it would have had, which
        is not in the file; the parent mapping is the best place to point to.
        The most specific known path wins, whichever file it is in.
        """
        for end in range(len(loc), -1, -1):
            prefix = tuple(loc[:end])
            origin = self.origins.get(prefix)
            if origin is not None:
                return origin
            position = self.positions.get(prefix)
            if position is not None:
                return self.filename, position
        return None

    def locate(self, loc: tuple[Any, ...]) -> Position | None:
        """Position of the longest known prefix of ``loc`` (its file: :meth:`where`)."""
        found = self.where(loc)
        return found[1] if found is not None else None


def format_path(loc: tuple[Any, ...]) -> str:
    """``("fees", "instalments", 2, "due")`` -> ``"fees.instalments[2].due"``."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool):
            parts.append(f"[{part}]")
        elif parts:
            parts.append(f".{part}")
        else:
            parts.append(str(part))
    return "".join(parts)


def problem_at(loaded: LoadedYaml, loc: tuple[Any, ...], message: str) -> Problem:
    """A :class:`Problem` for ``loc``, in ``loaded``'s file or the shared file it came from."""
    found = loaded.where(loc)
    if found is None:
        return Problem(format_path(loc), message, loaded.filename)
    filename, (line, column) = found
    return Problem(format_path(loc), message, filename, line, column)


# --------------------------------------------------------------------------
# Entry points


def load_yaml_file(
    path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES
) -> LoadedYaml:
    """Load a YAML file, refusing it by its size on disk before reading it."""
    filename = os.fspath(path)
    try:
        size = os.stat(filename).st_size
        if size > max_bytes:
            raise InputError([_too_big(filename, size, max_bytes)])
        with open(filename, "rb") as stream:
            # One byte more than allowed catches a file that grew since stat.
            raw = stream.read(max_bytes + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        raise InputError([Problem("", f"cannot read the file: {reason}", filename)]) from error
    return load_yaml_text(raw, filename, max_bytes)


def load_yaml_text(
    text: str | bytes, filename: str = "<string>", max_bytes: int = DEFAULT_MAX_BYTES
) -> LoadedYaml:
    """Load YAML from a string or UTF-8 bytes; raise :class:`InputError` if unsafe or invalid."""
    _check_size(text, filename, max_bytes)
    if isinstance(text, bytes):
        text = _decode(text, filename)
    text = text.removeprefix("\ufeff")
    _reject_yaml11_breaks(text, filename)
    builder = _Builder(filename)
    builder.run(text)
    if builder.problems:
        raise InputError(builder.problems)
    assert isinstance(builder.root, dict)  # a non-mapping root is a problem above
    return LoadedYaml(builder.root, filename, builder.positions, builder.key_positions)


def _check_size(text: str | bytes, filename: str, max_bytes: int) -> None:
    """Reject input over ``max_bytes`` (UTF-8 encoded) without copying huge strings."""
    if isinstance(text, bytes):
        size = len(text)
    elif len(text) > max_bytes:  # every character is at least one byte
        size = len(text)
    else:
        size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > max_bytes:
        raise InputError([_too_big(filename, size, max_bytes)])


def _reject_yaml11_breaks(text: str, filename: str) -> None:
    """A raw NEL, U+2028 or U+2029 would be read as a line break (a NEL in a name becomes a space)."""
    index = min((i for i in (text.find(c) for c in YAML11_BREAKS) if i >= 0), default=-1)
    if index < 0:
        return
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    code, name = ord(text[index]), YAML11_BREAKS[text[index]]
    message = f"{name} U+{code:04X} is not allowed; use a normal line break or a space"
    raise InputError([Problem("", message, filename, line, column)])


def _too_big(filename: str, size: int, max_bytes: int) -> Problem:
    return Problem(
        "",
        f"the file is too large ({size:,} bytes); the limit is {max_bytes:,} bytes",
        filename,
    )


def _decode(raw: bytes, filename: str) -> str:
    """Decode UTF-8 (a BOM is allowed) or report where the first bad byte is."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        line = raw.count(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8", errors="replace")) + 1
        message = f"the file is not valid UTF-8 (byte 0x{raw[error.start]:02x}); save it as UTF-8"
        raise InputError([Problem("", message, filename, line, column)]) from None


# --------------------------------------------------------------------------
# The event walk


_NO_KEY = object()
"""Marker: the mapping frame is waiting for a key, not for a value."""
_DISCARD = object()
"""Marker: the key was rejected, so drop the value that follows it."""


class _StopWalk(Exception):
    """Raised inside the walk when going on would only produce noise."""


@dataclass
class _Frame:
    """One open mapping or sequence on the explicit stack."""

    container: dict[str, Any] | list[Any]
    path: Loc
    record: bool
    """False inside a discarded subtree: nothing there gets a position."""
    key: Any = _NO_KEY
    key_position: Position = (0, 0)
    key_lines: dict[str, int] = field(default_factory=dict)


def _position(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1)


def _tag_text(event: NodeEvent) -> str:
    """The tag as written (``!!str``), not as resolved (``tag:yaml.org,2002:str``)."""
    tag = getattr(event, "ctag", None)
    handle, suffix = getattr(tag, "handle", None), getattr(tag, "suffix", None)
    if handle:
        return f"{handle}{suffix or ''}"
    if suffix in (None, "!"):  # the non-specific tag, a lone "!"
        return str(suffix or tag)
    return f"!<{suffix}>"


class _Builder:
    """Turns ruamel.yaml parse events into plain data, positions and problems."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []
        self.positions: dict[Loc, Position] = {}
        self.key_positions: dict[Loc, Position] = {}
        self.root: Any = None
        self.root_position: Position = (1, 1)
        self.stack: list[_Frame] = []
        self.documents = 0
        self.nodes = 0
        self._seen: set[tuple[str, int | None]] = set()

    # -- driving ------------------------------------------------------------

    def run(self, text: str) -> None:
        """Walk all events; syntax errors and hopeless input stop the walk."""
        events = _parse_events(text)
        try:
            for event in events:
                self.handle(event)
        except _StopWalk:
            pass
        except MarkedYAMLError as error:
            self.add(*_syntax_problem(error))
        except ReaderError as error:
            self.add(*_reader_problem(error, text))
        except YAMLError as error:  # any other ruamel complaint, unlocated
            self.add("", f"invalid YAML: {error}")
        finally:
            events.close()
        self.check_root()

    def handle(self, event: Event) -> None:
        if isinstance(event, DocumentStartEvent):
            self.start_document(event)
        elif isinstance(event, NodeEvent):
            self.node(event)
        elif isinstance(event, CollectionEndEvent):
            self.stack.pop()

    def add(
        self, path: str, message: str, position: Position | None = None, kind: str = ""
    ) -> None:
        """Record a problem once: the same ``kind`` (or message) twice on a line is noise."""
        line, column = position if position is not None else (None, None)
        seen = (kind or message, line)
        if seen in self._seen:
            return
        self._seen.add(seen)
        self.problems.append(Problem(path, message, self.filename, line, column))

    # -- checks -------------------------------------------------------------

    def start_document(self, event: DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            message = "only one YAML document is allowed per file (remove the second '---')"
            self.add("", message, _position(event.start_mark))
            raise _StopWalk

    def check_node(self, event: NodeEvent, path: Loc, position: Position) -> None:
        """Reject anchors, aliases and tags on any node, keys included."""
        if isinstance(event, AliasEvent):
            message = f"{ANCHOR_MESSAGE} (found *{event.anchor})"
            self.add(format_path(path), message, position, "anchor")
        elif event.anchor is not None:
            message = f"{ANCHOR_MESSAGE} (found &{event.anchor})"
            self.add(format_path(path), message, position, "anchor")
        if getattr(event, "ctag", None) is not None:
            message = f"{TAG_MESSAGE} (found {_tag_text(event)})"
            self.add(format_path(path), message, position, "tag")

    def check_root(self) -> None:
        if self.problems and self.root is None:
            return  # the walk stopped before the document had content
        if self.root is None:
            message = "the file is empty; it must contain key: value pairs"
            self.add("", message, self.root_position)
        elif not isinstance(self.root, dict):
            kind = "a list" if isinstance(self.root, list) else "a single value"
            message = f"the top level must be a mapping of key: value pairs, not {kind}"
            self.add("", message, self.root_position)

    # -- building -----------------------------------------------------------

    def node(self, event: NodeEvent) -> None:
        """Place one node (scalar, alias or new collection) into its parent."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.add("", NODES_MESSAGE, _position(event.start_mark))
            raise _StopWalk
        if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
            value: Any = {} if isinstance(event, MappingStartEvent) else []
        elif isinstance(event, ScalarEvent):
            value = _scalar_value(event)
        else:  # an alias, already reported: stand in None so the walk goes on
            value = None
        position = self.node_position(event, value)
        path, record = self.place(value, position)
        self.check_node(event, path, position)
        if isinstance(value, (dict, list)):
            self.open(value, path, record, position)

    def node_position(self, event: NodeEvent, value: Any) -> Position:
        """Where to point for a node.

        An empty mapping value has no text of its own and ruamel places it at
        the *next* token, often on the next line; the key it belongs to is
        where the user looks.  (Empty sequence items are placed right after
        their ``-``, which is fine.)
        """
        written = event.anchor is not None or getattr(event, "ctag", None) is not None
        empty = isinstance(event, ScalarEvent) and event.value == "" and event.style is None
        if empty and not written and self.stack:
            frame = self.stack[-1]
            if isinstance(frame.container, dict) and frame.key is not _NO_KEY:
                return frame.key_position
        return _position(event.start_mark)

    def place(self, value: Any, position: Position) -> tuple[Loc, bool]:
        """Put ``value`` where it belongs; return its path and whether it is kept."""
        if not self.stack:
            self.root = value
            self.root_position = position
            self.positions[()] = position
            return (), True
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return self.place_item(frame, value, position)
        if frame.key is _NO_KEY:
            self.place_key(frame, value, position)
            return frame.path, False  # a collection used as a key is dropped
        return self.place_value(frame, value, position)

    def place_item(self, frame: _Frame, value: Any, position: Position) -> tuple[Loc, bool]:
        container = frame.container
        assert isinstance(container, list)
        path = frame.path + (len(container),)
        container.append(value)
        if frame.record:
            self.positions[path] = position
        return path, frame.record

    def place_key(self, frame: _Frame, key: Any, position: Position) -> None:
        """Accept ``key`` for the next value, or mark that value to be dropped."""
        frame.key_position = position
        frame.key = _DISCARD
        if isinstance(key, str) and key != "<<" and key not in frame.key_lines:
            frame.key = key
            frame.key_lines[key] = position[0]
            return
        path = format_path(frame.path)
        if isinstance(key, (dict, list)):
            kind = "a mapping" if isinstance(key, dict) else "a list"
            self.add(path, f"a key must be a plain string, not {kind}", position)
        elif key is None:
            self.add(path, "a key must be a plain string, not empty or null", position)
        elif key == "<<":
            self.add(path, MERGE_KEY_MESSAGE, position)
        else:
            first = frame.key_lines[key]
            message = f"duplicate key '{key}' (first on line {first}, again on line {position[0]})"
            self.add(format_path(frame.path + (key,)), message, position)

    def place_value(self, frame: _Frame, value: Any, position: Position) -> tuple[Loc, bool]:
        key, frame.key = frame.key, _NO_KEY
        container = frame.container
        assert isinstance(container, dict)
        if key is _DISCARD:
            return frame.path, False
        container[key] = value
        path = frame.path + (key,)
        if frame.record:
            self.positions[path] = position
            self.key_positions[path] = frame.key_position
        return path, frame.record

    def open(
        self, container: dict[str, Any] | list[Any], path: Loc, record: bool, position: Position
    ) -> None:
        """Push a new collection, refusing to go deeper than :data:`MAX_DEPTH`.

        The cap is what keeps hostile nesting cheap: each path tuple is as long
        as its depth, so 100 000 unchecked ``[`` would need quadratic memory.
        Stopping at the cap also stops ruamel's scanner after a few tokens.
        """
        if len(self.stack) >= MAX_DEPTH:
            self.add(format_path(path), DEPTH_MESSAGE, position)
            raise _StopWalk
        self.stack.append(_Frame(container, path, record))


def _scalar_value(event: ScalarEvent) -> str | None:
    """The scalar exactly as written; only a plain empty/``~``/null is ``None``."""
    if event.style is None and event.value in NULL_SPELLINGS:
        return None
    return str(event.value)


def _parse_events(text: str) -> Generator[Event, None, None]:
    """ruamel.yaml's event stream from its pure-Python parser (marks included)."""
    return YAML(typ="safe", pure=True).parse(text)


def _syntax_problem(error: MarkedYAMLError) -> tuple[str, str, Position | None]:
    """ruamel's short message, located at its problem mark."""
    mark = error.problem_mark or error.context_mark
    message = error.problem or error.context or "invalid YAML"
    if error.context and error.problem and error.context_mark is not None:
        message = f"{message} ({error.context} on line {error.context_mark.line + 1})"
    position = _position(mark) if mark is not None else None
    return "", f"invalid YAML: {message}", position


def _reader_problem(error: ReaderError, text: str) -> tuple[str, str, Position | None]:
    """A forbidden character (control characters and such); ruamel gives an index only."""
    index = error.position
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    character = error.character
    code = ord(character) if isinstance(character, str) else character
    return "", f"invalid YAML: character #x{code:04x} is not allowed ({error.reason})", (line, column)
