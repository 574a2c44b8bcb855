"""Fuzz every Text/Line field of every kind: whatever validates renders to DOCX and PDF with the value intact.

How it works
------------
- **Fields** are found by walking each kind's model class and the validated
  examples (``examples/*.yaml``, grouped by ``kind:``): every string whose
  annotation carries :func:`contractgen.types.check_text` (``Text`` and
  ``Line``), in lists, optional sub-models and dict keys and values.  The
  examples are dumped with their defaults, and optional fields they leave
  empty are filled in, so each seed holds (nearly) every text field of its
  kind; :func:`test_seeds_cover_every_text_field_of_the_model` keeps it so.
- **One example replaces every text field of a seed at once** (one render per
  example).  Each value is ``<prefix><marker><suffix>``; the marker (``龘12龘``)
  is unique per value and the generated text never contains 龘, so values
  stay distinct (unique names, "a banned phrase must not occur in a model
  phrase") and can be found in the output.  Fields that hold the same string
  in the seed get the same new value, which keeps cross references valid
  (a session's module names a module, ``bonus.kpi`` an evaluation KPI,
  ``pass_grade`` a grade, ``standards.bases`` keys a KPI, …).
- **Alphabet**: only characters ``check_text`` accepts and both packaged fonts
  draw (or that need no glyph: spaces), read from the fonts themselves, in
  pieces that make the dangerous ones common: CJK, ASCII, CJK and full-width
  punctuation, markup characters (``&<>"'|\\{}%#``), Jinja-looking snippets,
  spaces and (Text only) line breaks.
- **Oracle**: each validated value (read back from the model, so a model's
  own normalisation counts) must occur in one DOCX block (paragraph or table
  cell; ``w:br`` reads as ``\\n``) and in the PDF text (pages joined, running
  header and footer removed, whitespace squashed on both sides: layout wraps).
  Allowed changes, named: see :data:`DOCUMENTED` and :data:`KNOWN_BUGS`.

Budget and determinism
----------------------
``CONTRACTGEN_FUZZ_EXAMPLES`` examples per seed (default 10; 6 seeds, about a
minute on two cores).  ``derandomize=True``: CI runs the same examples every
time, so a red build reproduces locally and a green one stays green until the
code changes; set ``CONTRACTGEN_FUZZ_RANDOM=1`` to explore new examples
locally.  ``CONTRACTGEN_FUZZ_STRICT=1`` drops the tolerances for the known
bugs below (and fuzzes invisible format characters), so the fuzz shows them.
"""

from __future__ import annotations

import copy
import os
import re
import time
import types
import typing
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import annotated_types
import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from contractgen.kinds import KINDS
from contractgen.models.agreement import TrainingAgreement
from contractgen.pipeline import build, load, render
from contractgen.readback import read_docx_blocks
from contractgen.types import check_single_line, check_text
from contractgen.writers.fonts import FontSet, missing_glyphs
from contractgen.writers.pdf import RenderError
from tests.conftest import (
    EXAMPLES,
    OFFLINE_EXAMPLE,
    agreement_data,
    load_offline_variant,
    make_agreement_model,
)
from tests.pdf_text import pdf_pages, squash

EXAMPLES_PER_SEED = int(os.environ.get("CONTRACTGEN_FUZZ_EXAMPLES", "10"))
RANDOM = os.environ.get("CONTRACTGEN_FUZZ_RANDOM", "") not in ("", "0")
SHRINK = os.environ.get("CONTRACTGEN_FUZZ_SHRINK", "") not in ("", "0")
STRICT = os.environ.get("CONTRACTGEN_FUZZ_STRICT", "") not in ("", "0")

MARK = "龘"  # delimits the unique marker of each value; never generated
MIN_TEXT_FIELDS = 20  # per kind: a seed with fewer means the walk below found (almost) nothing


# --------------------------------------------------------------------------- the fields


@dataclass(frozen=True)
class KeyOf:
    """A path step naming a dict *key* (``standards.bases`` keys are Line fields too)."""

    key: str


@dataclass(frozen=True)
class ValueOf:
    """A path step naming the value under a dict key."""

    key: str


@dataclass(frozen=True)
class TextKind:
    multiline: bool  # Text (may hold \n) or Line
    max_length: int


def _flatten(metadata: typing.Iterable[Any]) -> list[Any]:
    flat: list[Any] = []
    for item in metadata:
        flat.extend(_flatten(item.metadata) if isinstance(item, FieldInfo) else [item])
    return flat


def _text_kind(metadata: list[Any]) -> TextKind | None:
    """Text or Line, from the validators in an annotation's metadata; None for any other string."""
    functions = {getattr(m, "func", None) for m in metadata}
    if check_text not in functions:
        return None
    limits = [m.max_length for m in metadata if isinstance(m, annotated_types.MaxLen)]
    return TextKind(multiline=check_single_line not in functions, max_length=min(limits, default=4000))


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _branch(annotation: Any, value: Any) -> tuple[Any, list[Any]]:
    """The member of ``annotation`` (a union, maybe Annotated) that ``value`` belongs to, and its metadata."""
    if typing.get_origin(annotation) is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        inner, inner_metadata = _branch(base, value)
        return inner, _flatten(metadata) + inner_metadata
    if _is_union(annotation):
        for member in typing.get_args(annotation):
            inner, metadata = _branch(member, value)
            if _belongs(inner, value):
                return inner, metadata
    return annotation, []


def _belongs(annotation: Any, value: Any) -> bool:
    origin = typing.get_origin(annotation) or annotation
    if value is None:
        return annotation is type(None)
    if origin is typing.Literal:
        return value in typing.get_args(annotation)
    return isinstance(origin, type) and isinstance(value, origin)


@dataclass(frozen=True)
class Leaf:
    path: tuple
    kind: TextKind | None  # None: a string of another type (Literal, CreditCode, Phone, Email)
    type_name: str
    value: str


def string_leaves(
    value: Any, annotation: Any = None, metadata: list[Any] | None = None, path: tuple = ()
) -> list[Leaf]:
    """Every string inside a validated model, with its path and, for Text/Line, its kind."""
    annotation, found = _branch(annotation if annotation is not None else type(value), value)
    metadata = (metadata or []) + found
    if isinstance(value, BaseModel):
        return [
            leaf
            for name, info in type(value).model_fields.items()
            for leaf in string_leaves(getattr(value, name), info.annotation, _flatten(info.metadata), path + (name,))
        ]
    if isinstance(value, str):
        validators = sorted(getattr(m, "func", None).__name__ for m in metadata if getattr(m, "func", None))
        name = "Literal" if typing.get_origin(annotation) is typing.Literal else ",".join(validators) or "str"
        return [Leaf(path, _text_kind(metadata), name, value)]
    if isinstance(value, (list, tuple)):
        (item,) = typing.get_args(annotation)[:1] or (Any,)
        return [leaf for index, v in enumerate(value) for leaf in string_leaves(v, item, [], path + (index,))]
    if isinstance(value, dict):
        key_type, item = typing.get_args(annotation)
        leaves = []
        for key, v in value.items():
            leaves += string_leaves(key, key_type, [], path + (KeyOf(key),))
            leaves += string_leaves(v, item, [], path + (ValueOf(key),))
        return leaves
    return []


def text_leaves(model: BaseModel) -> list[Leaf]:
    return [leaf for leaf in string_leaves(model) if leaf.kind is not None]


def class_text_paths(annotation: Any, path: tuple = (), seen: tuple = ()) -> set[tuple]:
    """Every Text/Line field a model class can hold, lists and dicts starred (``*``, ``<key>``)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        return {path} if _text_kind(_flatten(metadata)) else class_text_paths(base, path, seen)
    if _is_union(annotation):
        return set().union(*(class_text_paths(a, path, seen) for a in typing.get_args(annotation)))
    if origin in (list, tuple):
        return class_text_paths(typing.get_args(annotation)[0], path + ("*",), seen)
    if origin is dict:
        key, item = typing.get_args(annotation)
        return class_text_paths(key, path + ("<key>",), seen) | class_text_paths(item, path + ("*",), seen)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and annotation not in seen:
        paths: set[tuple] = set()
        for name, info in annotation.model_fields.items():
            typed = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
            paths |= class_text_paths(typed, path + (name,), seen + (annotation,))
        return paths
    return set()


def starred(path: tuple) -> tuple:
    """A concrete path as a class path: list indexes and dict keys become ``*`` and ``<key>``."""
    return tuple("<key>" if isinstance(s, KeyOf) else "*" if isinstance(s, (int, ValueOf)) else s for s in path)


# --------------------------------------------------------------------------- the seeds


def _example_models() -> dict[str, list[tuple[str, BaseModel]]]:
    models: dict[str, list[tuple[str, BaseModel]]] = defaultdict(list)
    for path in sorted(EXAMPLES.glob("*.yaml")):
        model = load(path)
        models[model.kind].append((path.stem, model))
    return dict(models)


def _fill_gap(kind_model: type[BaseModel], data: dict, class_path: tuple, candidates: list[str]) -> dict | None:
    """The seed with one missing optional text field (or list of them) given a value, if it still validates.

    Walks ``class_path`` through the data, taking the first item of a list or
    dict; an absent sub-model ends the walk (a gap it cannot fill).  A field
    that only validates without an alternative (``court`` xor ``rule``) is
    retried with its optional siblings reset to None.  Dict keys must name
    something (KPIs), so each existing string is tried as the key.
    """
    *parents, last = class_path
    trial = copy.deepcopy(data)
    target: Any = trial
    for step in parents:
        if step in ("*", "<key>"):
            if not target:
                return None
            target = target[0] if isinstance(target, list) else target[next(iter(target))]
        elif isinstance(target, dict) and target.get(step) is not None:
            target = target[step]
        else:
            return None
    placeholder = "补充文本"
    if last == "*" and isinstance(target, list) and not target:
        target.append(placeholder)
    elif last in ("*", "<key>") and isinstance(target, dict) and not target:
        for key in candidates:
            target[key] = placeholder
            if _validates(kind_model, trial):
                return trial
            del target[key]
        return None
    elif isinstance(target, dict) and target.get(last) is None:
        target[last] = placeholder
        if not _validates(kind_model, trial):
            for sibling in [k for k, v in target.items() if k != last and isinstance(v, str)]:
                target[sibling] = None
    else:
        return None
    return trial if _validates(kind_model, trial) else None


def _validates(kind_model: type[BaseModel], data: dict) -> bool:
    try:
        kind_model.model_validate(data)
    except ValidationError:
        return False
    return True


@dataclass
class Seed:
    """A kind's example, dumped with defaults and with its gaps filled: what each fuzz example rewrites."""

    kind: str
    name: str
    data: dict
    leaves: list[Leaf]
    groups: list[str] = field(default_factory=list)  # distinct original values; one generated value each
    group_kinds: list[TextKind] = field(default_factory=list)


def make_seed(kind: str, name: str, model: BaseModel) -> Seed:
    model_class = KINDS[kind].model
    data = model.model_dump(mode="python")
    candidates = [leaf.value for leaf in text_leaves(model) if not leaf.kind.multiline]
    for gap in sorted(class_text_paths(model_class) - {starred(leaf.path) for leaf in text_leaves(model)}, key=str):
        data = _fill_gap(model_class, data, gap, candidates) or data
    leaves = text_leaves(model_class.model_validate(data))
    seed = Seed(kind, name, data, leaves)
    kinds_by_value: dict[str, list[TextKind]] = defaultdict(list)
    for leaf in leaves:
        kinds_by_value[leaf.value].append(leaf.kind)
    seed.groups = list(kinds_by_value)
    seed.group_kinds = [
        TextKind(all(k.multiline for k in ks), min(k.max_length for k in ks)) for ks in kinds_by_value.values()
    ]
    return seed


def substitute(data: Any, text_paths: set[tuple], new: dict[str, str]) -> Any:
    """A copy of the data with every Text/Line string (by path) replaced through ``new``."""
    prefixes = {path[:end] for path in text_paths for end in range(len(path) + 1)}

    def step(path: tuple, key: str) -> tuple:
        return path + (ValueOf(key),) if path + (ValueOf(key),) in prefixes else path + (key,)

    def copy(value: Any, path: tuple) -> Any:
        if isinstance(value, str):
            return new[value] if path in text_paths else value
        if isinstance(value, list):
            return [copy(v, path + (i,)) for i, v in enumerate(value)]
        if isinstance(value, dict):  # a model's fields, or a dict field (its keys and values are steps)
            return {
                (new[k] if path + (KeyOf(k),) in text_paths else k): copy(v, step(path, k)) for k, v in value.items()
            }
        return value

    return copy(data, ())


SEEDS: list[Seed] = [
    make_seed(kind, name, model) for kind, examples in _example_models().items() for name, model in examples
]


# --------------------------------------------------------------------------- the alphabet


def _accepted(char: str) -> bool:
    try:
        check_text(f"x{char}")
    except ValueError:
        return False
    return True


def _honest_alphabet() -> tuple[str, str, str]:
    """(drawn characters, spaces, invisible format characters) that validate and pass the glyph check.

    A value may land in a heading or caption (the sans face), so a character
    counts only if neither face misses it; spaces need no glyph.
    """
    fonts = FontSet.packaged()
    candidates = "".join(
        chr(code) for code in [*range(0x10000), *range(0xE0000, 0xE01F0)] if chr(code) not in "\n" + MARK
    )
    accepted = "".join(char for char in candidates if _accepted(char))
    missing = set(missing_glyphs(accepted, fonts.serif)) | set(missing_glyphs(accepted, fonts.sans))
    drawn, spaces, invisible = [], [], []
    for char in accepted:
        code = ord(char)
        if char in missing:
            continue
        if char.isspace():
            spaces.append(char)
        elif unicodedata.category(char) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
            invisible.append(char)  # passes the glyph check only because it is not drawn at all
        else:
            drawn.append(char)
    return "".join(drawn), "".join(spaces), "".join(invisible)


DRAWN, SPACES, INVISIBLE = _honest_alphabet()
CJK = "".join(c for c in DRAWN if "\u4e00" <= c <= "\u9fff")
ASCII = "".join(c for c in DRAWN if "!" <= c <= "~")
PUNCTUATION = "".join(
    c for c in DRAWN if "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" or "\u2010" <= c <= "\u2027"
)
MARKUP = "&<>\"'|\\{}%#"
OTHER = "".join(c for c in DRAWN if c not in CJK + ASCII + PUNCTUATION)
SOFT_ENDS = "；;，,、：:"
SENTENCE_ENDS = "。！？.!?…"
SNIPPETS = (
    "{{ 7*7 }}",
    "{% if true %}是{% endif %}",
    "{# 注释 #}",
    "{{ model.__class__ }}",
    "\\n",
    "\\|",
    "p: ",
    "row: 甲|乙",
    "<b>粗</b>",
    "&amp;",
    "<![CDATA[x]]>",
    "${x}%s",
    "第一条\u3000",
    "（一）",
)


def _pieces(multiline: bool) -> st.SearchStrategy[str]:
    pieces = [
        st.text(CJK, min_size=1, max_size=6),
        st.text(ASCII, min_size=1, max_size=6),
        st.text(PUNCTUATION + SOFT_ENDS + SENTENCE_ENDS, min_size=1, max_size=3),
        st.text(MARKUP, min_size=1, max_size=3),
        st.text(OTHER, min_size=1, max_size=2),
        st.text(SPACES, min_size=1, max_size=2),
        st.sampled_from(SNIPPETS),
    ]
    if multiline:
        pieces.append(st.sampled_from(["\n", "\n\n", " \n", "\n\u3000"]))
    if STRICT and INVISIBLE:
        pieces.append(st.text(INVISIBLE, min_size=1, max_size=1))
    return st.lists(st.one_of(pieces), max_size=3).map("".join)


_PIECES = {True: _pieces(True), False: _pieces(False)}


def build_value(index: int, kind: TextKind, prefix: str, suffix: str) -> str:
    marker = f"{MARK}{index}{MARK}"
    room = max(kind.max_length - len(marker), 0)
    prefix = prefix[: room // 2]
    return prefix + marker + suffix[: room - len(prefix)]


def values_for(seed: Seed) -> st.SearchStrategy[list[str]]:
    return st.tuples(
        *(st.tuples(_PIECES[kind.multiline], _PIECES[kind.multiline]) for kind in seed.group_kinds)
    ).map(
        lambda parts: [
            build_value(i, kind, *p) for i, (kind, p) in enumerate(zip(seed.group_kinds, parts, strict=True))
        ]
    )


# --------------------------------------------------------------------------- the oracle


def sentence_form(value: str) -> str:
    """The ``sentence`` filter (contractgen/clauses.py): one 。 at the end, replacing a soft mark."""
    text = value.rstrip()
    if text and text[-1] in SENTENCE_ENDS:
        return text
    return (text[:-1] if text and text[-1] in SOFT_ENDS else text) + "。"


def unpunctuated_form(value: str) -> str:
    """The ``unpunctuated`` filter: one closing 。 or soft mark removed (the template adds ；/。 itself)."""
    text = value.rstrip()
    return text[:-1] if text and text[-1] in "。" + SOFT_ENDS else text


DOCUMENTED: dict[str, Callable[[str], str]] = {
    "exact": lambda v: v,
    "sentence filter": sentence_form,
    "unpunctuated filter (list items that take ；/。)": unpunctuated_form,
}
"""Documented changes a rendered value may show.  Nothing else: the models trim a value's edges at validation
(types.py), so the value read back is already trimmed, and a model's own normalisation (training_standard's
purpose and materials) is already in it too."""

KNOWN_BUGS: dict[str, Callable[[str], str]] = {
}
"""Tolerated changes that are reported bugs (xfail reproducers below); CONTRACTGEN_FUZZ_STRICT=1 drops them."""


ONE_ARTICLE_PER_LINE = {("staffing_plan", ("summary",))}
"""Fields documented as "每行一条": each non-blank line is its own article (stripped, sentence filter)."""


def expected_parts(kind: str, leaf: Leaf) -> list[str]:
    """What must appear in one block each: the value, or its lines for a field that splits them."""
    if (kind, starred(leaf.path)) in ONE_ARTICLE_PER_LINE:
        return [line.strip() for line in leaf.value.split("\n") if line.strip()]
    return [leaf.value]


def accepted_forms(value: str) -> set[str]:
    changes = list(DOCUMENTED.values()) + ([] if STRICT else list(KNOWN_BUGS.values()))
    forms = {value}
    for _ in range(3):  # compositions: a stripped value may then go through the sentence filter
        forms |= {change(form) for form in forms for change in changes}
    return {form for form in forms if form.strip()}


def pdf_comparable(text: str) -> str:
    """Whitespace squashed (layout wraps lines)."""
    return squash(text)


_PAGE_NUMBER = re.compile(r"第\d+页共\d+页$")


def pdf_body_text(pdf: bytes, header: str) -> tuple[str, list[str]]:
    """The PDF's text, pages joined with the running header and page footer removed (comparable form)."""
    header = pdf_comparable(header)
    body, problems = [], []
    for number, page in enumerate(pdf_pages(pdf), start=1):
        text = pdf_comparable(page)
        footer = _PAGE_NUMBER.search(text)
        assert footer, f"page {number} does not end with its page number: {text[-80:]!r}"
        text = text[: footer.start()]
        if text.endswith(header):
            text = text[: len(text) - len(header)]
        else:
            problems.append(f"PDF  page {number}: running header is not {header!r}: {text[-len(header) - 10 :]!r}")
        body.append(text)
    return "".join(body), problems


def _around(text: str, marker: str, width: int = 40) -> str:
    at = text.find(marker)
    return repr(text[max(at - width, 0) : at + width]) if at >= 0 else "(marker absent)"


def missing_values(model: BaseModel, outputs: dict[str, bytes]) -> list[str]:
    """One line per text field whose value (or an accepted form of it) is absent from the DOCX or the PDF."""
    blocks = [block.text for block in read_docx_blocks(outputs["docx"])]
    pdf, problems = pdf_body_text(outputs["pdf"], build(model).header_text)
    kind = model.kind
    for leaf in text_leaves(model):
        marker = re.search(f"{MARK}\\d+{MARK}", leaf.value).group()
        where = ".".join(f"<{s.key}>" if isinstance(s, KeyOf) else str(getattr(s, "key", s)) for s in leaf.path)
        for part in expected_parts(kind, leaf):
            forms = accepted_forms(part)
            if not any(form in block for form in forms for block in blocks):
                block = next((b for b in blocks if marker in b), "")
                problems.append(f"DOCX {where} = {leaf.value!r}: block {_around(block, marker)}")
            if not any(pdf_comparable(form) in pdf for form in forms):
                problems.append(f"PDF  {where} = {leaf.value!r}: text {_around(pdf, marker)}")
    return problems


# --------------------------------------------------------------------------- the tests


@dataclass
class Tally:
    ran: int = 0
    validated: int = 0
    rendered: int = 0
    seconds: float = 0.0
    rejections: dict[str, int] = field(default_factory=dict)


TALLIES: dict[str, Tally] = {}


def test_every_kind_has_a_seed_with_many_text_fields():
    fields = {seed.kind: len(seed.leaves) for seed in SEEDS}
    assert set(fields) == set(KINDS), f"kinds without an example to fuzz: {set(KINDS) - set(fields)}"
    thin = {kind: n for kind, n in fields.items() if n < MIN_TEXT_FIELDS}
    assert not thin, f"seeds with fewer than {MIN_TEXT_FIELDS} text fields: {thin}"


def test_every_string_field_is_text_line_or_a_checked_format():
    """No plain ``str`` field: free text must go through check_text (types.py's promise)."""
    allowed = {"Literal", "check_credit_code", "check_phone", "check_email"}
    loose = {
        (seed.name, starred(leaf.path), leaf.type_name)
        for seed in SEEDS
        for leaf in string_leaves(KINDS[seed.kind].model.model_validate(seed.data))
        if leaf.kind is None and leaf.type_name not in allowed
    }
    assert not loose


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_seeds_cover_every_text_field_of_the_model(kind):
    """Every Text/Line field the model class declares is set in some seed of its kind (so the fuzz reaches it)."""
    declared = class_text_paths(KINDS[kind].model)
    covered = {starred(leaf.path) for seed in SEEDS if seed.kind == kind for leaf in seed.leaves}
    assert declared - covered == set(), "fields no seed reaches: add them to an example or teach _fill_gap"


def _fuzz_settings() -> settings:
    return settings(
        max_examples=EXAMPLES_PER_SEED,
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        # Shrinking re-renders hundreds of times (minutes); the failure message already names each
        # lost value and its surroundings.  CONTRACTGEN_FUZZ_SHRINK=1 shrinks (derandomized: same failure).
        phases=[Phase.explicit, Phase.reuse, Phase.generate] + ([Phase.shrink] if SHRINK else []),
        print_blob=True,
    )


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: seed.name)
def test_fuzz_every_text_field_renders_intact(seed: Seed):
    model_class = KINDS[seed.kind].model
    paths = {leaf.path for leaf in seed.leaves}
    tally = TALLIES.setdefault(seed.name, Tally())

    @_fuzz_settings()
    @given(values=values_for(seed))
    def check(values: list[str]) -> None:
        tally.ran += 1
        data = substitute(seed.data, paths, dict(zip(seed.groups, values, strict=True)))
        try:
            model = model_class.model_validate(data)
        except ValidationError as exc:
            # Should not happen (markers keep values distinct, groups keep references equal): counted, and
            # test_fuzz_ran fails if it is common.  Not assume(): a hypothesis that rejects is not a pass.
            reason = f"{exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}"
            tally.rejections[reason] = tally.rejections.get(reason, 0) + 1
            return
        tally.validated += 1
        started = time.perf_counter()
        outputs = render(model, ["docx", "pdf"])
        tally.seconds += time.perf_counter() - started
        tally.rendered += 1
        problems = missing_values(model, outputs)
        note("\n".join(problems))
        assert not problems, f"{len(problems)} values changed or lost:\n" + "\n".join(problems[:20])

    check()


def test_fuzz_ran(capsys):
    """The counts, printed past pytest's capture: examples run, validated and rendered per seed."""
    if not TALLIES:
        pytest.skip("the fuzz tests did not run in this session")
    lines = [f"text-field fuzz ({EXAMPLES_PER_SEED} examples per seed, derandomize={not RANDOM}, strict={STRICT}):"]
    for seed in SEEDS:
        tally = TALLIES.get(seed.name)
        if tally:
            lines.append(
                f"  {seed.name:28} {len(seed.leaves):4} text fields ({len(seed.groups)} values)  ran {tally.ran:3}  "
                f"validated {tally.validated:3}  rendered {tally.rendered:3}  render {tally.seconds:5.1f}s"
            )
            lines += [f"      rejected {n}×: {reason}" for reason, n in tally.rejections.items()]
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    for name, tally in TALLIES.items():
        assert tally.rendered > 0, f"{name}: no example rendered"
        assert tally.validated * 10 >= tally.ran * 9, f"{name}: over 10% of examples rejected: {tally.rejections}"


# --------------------------------------------------------------------------- known bugs, reproduced
# Strict xfails: when a bug is fixed its test passes, pytest reports XPASS(strict) as a failure, and
# the xfail mark and the matching tolerance (KNOWN_BUGS, INVISIBLE) come out together.


@pytest.mark.parametrize("char", ["\u00ad", "\u200b", "\u2060", "\ufeff", "\ufe0f", "\U000e0041", "\ufffa"])
def test_invisible_format_character_is_rejected_with_its_position(char):
    """They would validate, then vanish from the PDF (or crash it): refused at validation instead."""
    with pytest.raises(ValidationError, match=f"invisible formatting character U\\+{ord(char):04X} at position 2"):
        make_agreement_model(training__background=f"甲{char}乙")


def test_edge_whitespace_of_a_value_is_the_same_everywhere():
    data = agreement_data()
    data["training"]["modules"][0]["topics"][0] = "\u3000讲授甲 "  # an item of its own: stripped
    data["training"]["background"] = "\u3000背景乙 "  # inside 背景：…。: kept
    model = TrainingAgreement.model_validate(data)
    blocks = [block.text for block in read_docx_blocks(render(model, ["docx"])["docx"])]
    for value in (model.training.modules[0].topics[0], model.training.background):
        assert any(value in block for block in blocks), value


def test_a_yaml_block_scalar_leaves_no_line_break_mid_sentence():
    text = OFFLINE_EXAMPLE.read_text(encoding="utf-8")
    one_line = "      trigger: 本协议签订后 5 个工作日内"
    assert one_line in text, "the example changed: pick another trigger"
    model = load_offline_variant(text.replace(one_line, "      trigger: |\n        本协议签订后 5 个工作日内", 1))
    blocks = [block.text for block in read_docx_blocks(render(model, ["docx"])["docx"])]
    assert not any("工作日内\n" in block for block in blocks)  # reads 工作日内<w:br/>支付


def test_a_non_breaking_hyphen_leaves_the_other_hyphens_alone():
    """Bug 4, fixed: the shipped fonts give every character a glyph of its own (tools/subset_fonts.py)."""
    model = make_agreement_model(contract_no="SHLM\u20112027-PX-003")
    text = "".join(pdf_pages(render(model, ["pdf"])["pdf"]))
    assert "SHLM\u20112027-PX-003" in text  # reads SHLM‑2027‑PX‑003: every ASCII hyphen became U+2011
