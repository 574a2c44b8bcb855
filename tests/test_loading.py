"""Tests for contractgen.loading: the safe, position-keeping YAML loader."""

from __future__ import annotations

import dataclasses
import os
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractgen import loading
from contractgen.errors import InputError, Problem
from contractgen.loading import (
    ANCHOR_MESSAGE,
    MAX_DEPTH,
    TAG_MESSAGE,
    LoadedYaml,
    format_path,
    load_yaml_file,
    load_yaml_text,
    problem_at,
)

PACKAGE_DIR = Path(loading.__file__).resolve().parent

CONTRACT = """\
title: 培训协议
甲方: 某某科技有限公司
fees:
  total: "12000.00"
  instalments:
    - amount: 6000.00
      due: 2024-03-01
    - amount: 6000.00
      due: 2024-09-01
  note: [a, {b: c}]
"""


def problems_of(text: str | bytes, **kwargs: object) -> list[Problem]:
    """The problems an InputError carries (fails the test if nothing is raised)."""
    with pytest.raises(InputError) as caught:
        load_yaml_text(text, "c.yaml", **kwargs)  # type: ignore[arg-type]
    return list(caught.value.problems)


def only_problem(text: str | bytes, **kwargs: object) -> Problem:
    problems = problems_of(text, **kwargs)
    assert len(problems) == 1, problems
    return problems[0]


# --------------------------------------------------------------------------
# Data and positions


def test_contract_data_is_plain_strings() -> None:
    loaded = load_yaml_text(CONTRACT, "c.yaml")
    assert loaded.filename == "c.yaml"
    assert loaded.data == {
        "title": "培训协议",
        "甲方": "某某科技有限公司",
        "fees": {
            "total": "12000.00",
            "instalments": [
                {"amount": "6000.00", "due": "2024-03-01"},
                {"amount": "6000.00", "due": "2024-09-01"},
            ],
            "note": ["a", {"b": "c"}],
        },
    }


@pytest.mark.parametrize(
    ("loc", "position"),
    [
        ((), (1, 1)),
        (("title",), (1, 8)),
        (("甲方",), (2, 5)),  # columns count characters, not bytes
        (("fees",), (4, 3)),  # a block mapping starts at its first key
        (("fees", "total"), (4, 10)),
        (("fees", "instalments"), (6, 5)),  # a block sequence starts at its first "-"
        (("fees", "instalments", 0), (6, 7)),
        (("fees", "instalments", 1), (8, 7)),
        (("fees", "instalments", 1, "amount"), (8, 15)),
        (("fees", "instalments", 1, "due"), (9, 12)),
        (("fees", "note"), (10, 9)),
        (("fees", "note", 0), (10, 10)),
        (("fees", "note", 1), (10, 13)),
        (("fees", "note", 1, "b"), (10, 17)),
    ],
)
def test_value_positions(loc: tuple[str | int, ...], position: tuple[int, int]) -> None:
    loaded = load_yaml_text(CONTRACT)
    assert loaded.positions[loc] == position
    assert loaded.locate(loc) == position


def test_key_positions() -> None:
    loaded = load_yaml_text(CONTRACT)
    assert loaded.key_positions[("fees", "instalments", 1, "amount")] == (8, 7)
    assert loaded.key_positions[("fees",)] == (3, 1)
    assert loaded.key_positions[("fees", "note", 1, "b")] == (10, 14)


def test_every_path_in_the_data_has_a_position() -> None:
    loaded = load_yaml_text(CONTRACT)
    paths: list[tuple[str | int, ...]] = []
    stack: list[tuple[tuple[str | int, ...], object]] = [((), loaded.data)]
    while stack:
        path, value = stack.pop()
        paths.append(path)
        if isinstance(value, dict):
            stack.extend((path + (key,), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((path + (index,), item) for index, item in enumerate(value))
    assert sorted(map(str, paths)) == sorted(map(str, loaded.positions))


def test_empty_mapping_value_is_located_at_its_key() -> None:
    # ruamel puts an empty value at the next token (line 2); the key is on line 1.
    loaded = load_yaml_text("due:\nname: x\n")
    assert loaded.data == {"due": None, "name": "x"}
    assert loaded.positions[("due",)] == (1, 1)


def test_empty_sequence_items_are_located_after_their_dash() -> None:
    loaded = load_yaml_text("a:\n  -\n  - x\n  -\n")
    assert loaded.data == {"a": [None, "x", None]}
    assert loaded.positions[("a", 0)] == (2, 4)
    assert loaded.positions[("a", 2)] == (4, 4)


def test_crlf_line_endings_give_the_same_positions() -> None:
    loaded = load_yaml_text(CONTRACT.replace("\n", "\r\n"))
    assert loaded.positions[("fees", "instalments", 1, "amount")] == (8, 15)
    assert loaded.data["fees"]["instalments"][1]["due"] == "2024-09-01"


# --------------------------------------------------------------------------
# locate, format_path, problem_at


def test_locate_missing_key_falls_back_to_the_parent_mapping() -> None:
    loaded = load_yaml_text(CONTRACT)
    assert loaded.locate(("fees", "instalments", 1, "currency")) == (8, 7)
    assert loaded.locate(("fees", "instalments", 7, "due")) == (6, 5)
    assert loaded.locate(("fees", "deposit")) == (4, 3)
    assert loaded.locate(("nothing", "here")) == (1, 1)


def test_locate_skips_pydantic_extras_after_a_known_prefix() -> None:
    loaded = load_yaml_text(CONTRACT)
    assert loaded.locate(("fees", "total", "function-after[check()]")) == (4, 10)


def test_locate_without_positions_is_none() -> None:
    assert LoadedYaml({}, "x.yaml").locate(("a", 1)) is None
    assert LoadedYaml({}, "x.yaml").locate(()) is None


@pytest.mark.parametrize(
    ("loc", "text"),
    [
        (("fees", "instalments", 2, "due"), "fees.instalments[2].due"),
        (("fees",), "fees"),
        ((), ""),
        ((0, "a"), "[0].a"),
        (("a", 0, 1), "a[0][1]"),
        (("甲方", "名称"), "甲方.名称"),
    ],
)
def test_format_path(loc: tuple[str | int, ...], text: str) -> None:
    assert format_path(loc) == text


def test_problem_at_uses_the_value_position() -> None:
    loaded = load_yaml_text(CONTRACT, "c.yaml")
    problem = problem_at(loaded, ("fees", "instalments", 1, "due"), "not a date")
    assert problem == Problem("fees.instalments[1].due", "not a date", "c.yaml", 9, 12)
    assert str(problem) == "c.yaml:9:12: fees.instalments[1].due: not a date"


def test_problem_at_a_missing_field_points_at_the_parent() -> None:
    loaded = load_yaml_text(CONTRACT, "c.yaml")
    problem = problem_at(loaded, ("fees", "instalments", 0, "currency"), "Field required")
    assert problem == Problem("fees.instalments[0].currency", "Field required", "c.yaml", 6, 7)


def test_loaded_yaml_is_frozen() -> None:
    loaded = load_yaml_text("a: 1\n")
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.data = {}  # type: ignore[misc]


# --------------------------------------------------------------------------
# Scalars stay as written


@pytest.mark.parametrize(
    "written",
    [
        "12345678901234567.89",
        "0012",
        "no",
        "yes",
        "on",
        "true",
        "12:30",
        "1e3",
        "0x1F",
        ".inf",
        ".nan",
        "2024-03-01",
        "2024-03-01T10:00:00",
        "1_000",
        "-0",
        "+12",
        "¥6,000.00",
    ],
)
def test_plain_scalars_are_kept_as_exact_strings(written: str) -> None:
    value = load_yaml_text(f"v: {written}\n").data["v"]
    assert type(value) is str
    assert value == written


@pytest.mark.parametrize("written", ["", "~", "null", "Null", "NULL"])
def test_plain_null_spellings_are_none(written: str) -> None:
    assert load_yaml_text(f"v: {written}\n").data == {"v": None}


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ('"null"', "null"),
        ("'null'", "null"),
        ('"~"', "~"),
        ("''", ""),
        ('""', ""),
        ("nULL", "nULL"),
        ('"0012"', "0012"),
        ('"a\\tb"', "a\tb"),  # double-quoted escapes are still YAML escapes
    ],
)
def test_quoted_scalars_are_always_strings(written: str, value: str) -> None:
    assert load_yaml_text(f"v: {written}\n").data == {"v": value}


def test_block_scalars_keep_their_text() -> None:
    text = "literal: |\n  第一行\n  second line\nfolded: >\n  one\n  two\n"
    assert load_yaml_text(text).data == {
        "literal": "第一行\nsecond line\n",
        "folded": "one two\n",
    }


def test_null_in_a_sequence() -> None:
    assert load_yaml_text("v: [~, null, 'null', x]\n").data == {"v": [None, None, "null", "x"]}


# --------------------------------------------------------------------------
# Rejections: tags, anchors, aliases


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('!!python/object/apply:os.system ["echo pwned"]', "!!python/object/apply:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!!python/object:builtins.dict {}", "!!python/object:builtins.dict"),
        ("!foo bar", "!foo"),
        ("!!str 12", "!!str"),
        ("!!map {a: 1}", "!!map"),
        ("! x", "!"),
        ("!<tag:yaml.org,2002:str> x", "!<tag:yaml.org,2002:str>"),
    ],
)
def test_tags_are_rejected(value: str, shown: str) -> None:
    problem = only_problem(f"name: ok\ncmd: {value}\n")
    assert problem == Problem("cmd", f"{TAG_MESSAGE} (found {shown})", "c.yaml", 2, 6)
    assert TAG_MESSAGE == "YAML tags (!!python/...) are not allowed"


def test_python_tags_execute_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object) -> int:
        raise AssertionError("os.system was called")

    monkeypatch.setattr(os, "system", forbidden)
    problems_of('a: !!python/object/apply:os.system ["echo pwned"]\n')


def test_tag_on_a_key_is_rejected() -> None:
    problem = only_problem("outer:\n  !!str key: 1\n")
    assert problem == Problem("outer", f"{TAG_MESSAGE} (found !!str)", "c.yaml", 2, 3)


def test_tag_directive_tags_are_rejected() -> None:
    problem = only_problem("%TAG !e! tag:example.com,2000:\n---\na: !e!thing 1\n")
    assert (problem.line, problem.column, problem.message) == (
        3,
        4,
        f"{TAG_MESSAGE} (found !e!thing)",
    )


def test_anchor_and_alias_are_rejected() -> None:
    problems = problems_of("base: &b 1\ncopy: *b\n")
    assert problems == [
        Problem("base", f"{ANCHOR_MESSAGE} (found &b)", "c.yaml", 1, 7),
        Problem("copy", f"{ANCHOR_MESSAGE} (found *b)", "c.yaml", 2, 7),
    ]
    assert ANCHOR_MESSAGE == "anchors and aliases (&name / *name) are not allowed"


def test_anchor_on_a_collection_and_merge_key_are_rejected() -> None:
    problems = problems_of("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert [(p.line, p.column, p.message) for p in problems] == [
        (1, 7, f"{ANCHOR_MESSAGE} (found &b)"),
        (3, 3, "merge keys (<<) are not allowed; write the keys out"),
        (3, 7, f"{ANCHOR_MESSAGE} (found *b)"),
    ]


ALIAS_BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb_is_rejected_quickly() -> None:
    assert len(ALIAS_BOMB.encode()) < 400
    start = time.perf_counter()
    problems = problems_of(ALIAS_BOMB)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0
    assert problems[0] == Problem("a", f"{ANCHOR_MESSAGE} (found &a)", "c.yaml", 1, 4)
    # One anchor problem per line, not one per alias: 9 lines, 9 problems.
    assert [p.line for p in problems] == list(range(1, 10))
    assert all(p.message.startswith(ANCHOR_MESSAGE) for p in problems)


# --------------------------------------------------------------------------
# Rejections: keys


def test_duplicate_key_names_both_lines() -> None:
    problem = only_problem("name: a\nage: 3\nname: b\n")
    assert problem == Problem(
        "name", "duplicate key 'name' (first on line 1, again on line 3)", "c.yaml", 3, 1
    )


def test_nested_duplicate_key_has_the_full_path() -> None:
    problem = only_problem("fees:\n  - due: 1\n    amount: 2\n    due: 3\n")
    assert problem == Problem(
        "fees[0].due", "duplicate key 'due' (first on line 2, again on line 4)", "c.yaml", 4, 5
    )


def test_duplicate_key_in_flow_mapping() -> None:
    problem = only_problem("p: {a: 1, a: 2}\n")
    assert (problem.path, problem.line, problem.column) == ("p.a", 1, 11)
    assert problem.message == "duplicate key 'a' (first on line 1, again on line 1)"


def test_quoted_and_plain_spelling_of_a_key_are_duplicates() -> None:
    problem = only_problem('a: 1\n"a": 2\n')
    assert problem.message == "duplicate key 'a' (first on line 1, again on line 2)"


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("[a]: 1\n", "a key must be a plain string, not a list", (1, 1)),
        ("? {a: 1}\n: 2\n", "a key must be a plain string, not a mapping", (1, 3)),
        ("~: 1\n", "a key must be a plain string, not empty or null", (1, 1)),
        (": 1\n", "a key must be a plain string, not empty or null", (1, 1)),
        ("<<: {a: 1}\n", "merge keys (<<) are not allowed; write the keys out", (1, 1)),
    ],
)
def test_bad_keys_are_rejected(text: str, message: str, position: tuple[int, int]) -> None:
    problem = only_problem(text)
    assert (problem.message, (problem.line, problem.column)) == (message, position)


def test_value_of_a_bad_key_is_dropped_but_the_rest_is_checked() -> None:
    problems = problems_of("[a]: {x: !!str 1}\nb: 1\nb: 2\n")
    assert [(p.line, p.message) for p in problems] == [
        (1, "a key must be a plain string, not a list"),
        (1, f"{TAG_MESSAGE} (found !!str)"),
        (3, "duplicate key 'b' (first on line 2, again on line 3)"),
    ]


# --------------------------------------------------------------------------
# Rejections: structure


def test_hundred_thousand_nested_brackets_give_a_clean_error() -> None:
    problems = problems_of("[" * 100_000)
    assert problems[0].message == "nesting is deeper than 50 levels"
    assert (problems[0].line, problems[0].column) == (1, MAX_DEPTH + 1)
    assert problems[-1].message == (
        "the top level must be a mapping of key: value pairs, not a list"
    )


def test_deep_block_nesting_is_rejected() -> None:
    text = "".join(" " * depth + f"k{depth}:\n" for depth in range(60))
    problem = only_problem(text)
    assert problem.message == "nesting is deeper than 50 levels"
    assert (problem.line, problem.column) == (51, 51)
    assert problem.path == ".".join(f"k{depth}" for depth in range(50))


def test_nesting_of_exactly_max_depth_is_allowed() -> None:
    inner = "[" * (MAX_DEPTH - 1) + "x" + "]" * (MAX_DEPTH - 1)
    data = load_yaml_text(f"a: {inner}\n").data
    depth, value = 1, data["a"]
    while isinstance(value, list):
        depth, value = depth + 1, value[0]
    assert (depth, value) == (MAX_DEPTH, "x")
    deeper = "[" + inner + "]"
    assert only_problem(f"a: {deeper}\n").message == "nesting is deeper than 50 levels"


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("- a\n- b\n", "the top level must be a mapping of key: value pairs, not a list", (1, 1)),
        ("just text\n", "the top level must be a mapping of key: value pairs, not a single value", (1, 1)),
        ("", "the file is empty; it must contain key: value pairs", (1, 1)),
        ("# only a comment\n\n", "the file is empty; it must contain key: value pairs", (1, 1)),
        ("\n\n  [1, 2]\n", "the top level must be a mapping of key: value pairs, not a list", (3, 3)),
    ],
)
def test_top_level_must_be_a_mapping(
    text: str, message: str, position: tuple[int, int]
) -> None:
    problem = only_problem(text)
    assert (problem.message, (problem.line, problem.column)) == (message, position)


def test_several_documents_are_rejected() -> None:
    problem = only_problem("a: 1\n---\nb: 2\n")
    assert problem == Problem(
        "",
        "only one YAML document is allowed per file (remove the second '---')",
        "c.yaml",
        2,
        1,
    )


def test_one_explicit_document_is_fine() -> None:
    assert load_yaml_text("---\na: 1\n...\n").data == {"a": "1"}


# --------------------------------------------------------------------------
# Syntax errors


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        (
            "a:\n  b: 1\n c: 2\n",
            "invalid YAML: expected <block end>, but found '<block mapping start>'"
            " (while parsing a block mapping on line 1)",
            (3, 2),
        ),
        (
            'a: "abc\nb: 2\n',
            "invalid YAML: found unexpected end of stream"
            " (while scanning a quoted scalar on line 1)",
            (3, 1),
        ),
        (
            "a:\n\tb: 1\n",
            "invalid YAML: found character '\\t' that cannot start any token",
            (2, 1),
        ),
        ("a: b: c\n", "invalid YAML: mapping values are not allowed here", (1, 5)),
        (
            "a: !x!y 1\n",
            "invalid YAML: found undefined tag handle '!x!' (while parsing a node on line 1)",
            (1, 4),
        ),
        (
            "a: 1\nb: x\x07y\n",
            "invalid YAML: character #x0007 is not allowed (special characters are not allowed)",
            (2, 5),
        ),
    ],
)
def test_syntax_errors_are_located_problems(
    text: str, message: str, position: tuple[int, int]
) -> None:
    problem = only_problem(text)
    assert problem == Problem("", message, "c.yaml", *position)


def test_syntax_error_keeps_the_problems_found_before_it() -> None:
    problems = problems_of("a: &x 1\na: 2\nb: [1, 2\n")
    assert [(p.line, p.column, p.message) for p in problems] == [
        (1, 4, f"{ANCHOR_MESSAGE} (found &x)"),
        (2, 1, "duplicate key 'a' (first on line 1, again on line 2)"),
        (
            4,
            1,
            "invalid YAML: expected ',' or ']', but got '<stream end>'"
            " (while parsing a flow sequence on line 3)",
        ),
    ]


# --------------------------------------------------------------------------
# Several problems at once


def test_all_problems_are_reported_together() -> None:
    text = (
        "name: a\n"
        "age: 3\n"
        "name: b\n"
        "cmd: !!python/name:os.system\n"
        "fees:\n"
        "  due: 1\n"
        "  due: 2\n"
    )
    with pytest.raises(InputError) as caught:
        load_yaml_text(text, "c.yaml")
    assert caught.value.problems == (
        Problem("name", "duplicate key 'name' (first on line 1, again on line 3)", "c.yaml", 3, 1),
        Problem("cmd", f"{TAG_MESSAGE} (found !!python/name:os.system)", "c.yaml", 4, 6),
        Problem("fees.due", "duplicate key 'due' (first on line 6, again on line 7)", "c.yaml", 7, 3),
    )
    assert str(caught.value).splitlines()[0] == (
        "c.yaml:3:1: name: duplicate key 'name' (first on line 1, again on line 3)"
    )


# --------------------------------------------------------------------------
# Bytes, encodings, sizes and files


def test_utf8_bom_is_accepted() -> None:
    raw = "\ufeff甲方: 某公司\n".encode()
    assert raw.startswith(b"\xef\xbb\xbf")
    loaded = load_yaml_text(raw)
    assert loaded.data == {"甲方": "某公司"}
    assert loaded.positions[("甲方",)] == (1, 5)
    assert load_yaml_text("\ufeffa: 1\n").data == {"a": "1"}


def test_invalid_utf8_is_a_located_problem() -> None:
    raw = "a: 1\nb: 中文".encode() + b"\xff\n"
    problem = only_problem(raw)
    assert problem == Problem(
        "", "the file is not valid UTF-8 (byte 0xff); save it as UTF-8", "c.yaml", 2, 6
    )


def test_gbk_file_is_rejected_as_not_utf8() -> None:
    problem = only_problem("名称: 公司\n".encode("gbk"))
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message.startswith("the file is not valid UTF-8")


def test_text_over_the_limit_is_rejected() -> None:
    problem = only_problem("a: 中\n", max_bytes=6)  # 7 bytes in UTF-8, 5 characters
    assert problem == Problem(
        "", "the file is too large (7 bytes); the limit is 6 bytes", "c.yaml"
    )
    assert load_yaml_text("a: 中\n", max_bytes=7).data == {"a": "中"}


def test_file_is_loaded_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "contract.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + CONTRACT.encode())
    loaded = load_yaml_file(path)
    assert loaded.filename == str(path)
    assert loaded.data["fees"]["instalments"][1]["amount"] == "6000.00"
    assert loaded.positions[("fees", "instalments", 1, "amount")] == (8, 15)


def test_huge_file_is_rejected_by_size_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as stream:
        stream.write(b"a: " + b"x" * (50 * 1024 * 1024) + b"\n")

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(loading, "open", no_open, raising=False)
    start = time.perf_counter()
    with pytest.raises(InputError) as caught:
        load_yaml_file(path)
    assert time.perf_counter() - start < 0.5
    (problem,) = caught.value.problems
    assert problem == Problem(
        "",
        "the file is too large (52,428,804 bytes); the limit is 1,048,576 bytes",
        str(path),
    )


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    with pytest.raises(InputError) as caught:
        load_yaml_file(path)
    (problem,) = caught.value.problems
    assert problem == Problem(
        "", "cannot read the file: No such file or directory", str(path)
    )


# --------------------------------------------------------------------------
# Speed and robustness


def test_three_hundred_lines_load_fast() -> None:
    lines = ["parties:"]
    for index in range(60):
        lines += [f"  - name: 公司{index}", f'    id: "9111{index:04d}"']
    lines.append("instalments:")
    for index in range(60):
        lines += [f"  - amount: {index}00.00", f"    due: 2024-{index % 12 + 1:02d}-01"]
    lines += [f"note{index}: 第{index}条" for index in range(58)]
    text = "\n".join(lines) + "\n"
    assert len(text.splitlines()) == 300
    best = min(_timed(text) for _ in range(3))
    assert best < 0.1  # about 10 ms with ruamel's pure-Python parser


def _timed(text: str) -> float:
    start = time.perf_counter()
    load_yaml_text(text)
    return time.perf_counter() - start


YAML_PIECES = st.sampled_from(
    list("ab:- \n\t[]{},&*!|>'\"#?%~.0") + ["\ufeff", "中", "---", "...", "\r", "!!str"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(YAML_PIECES, max_size=30).map("".join))
def test_any_input_gives_plain_data_or_input_error(text: str) -> None:
    try:
        loaded = load_yaml_text(text)
    except InputError as error:
        assert error.problems
        assert all(p.line is None or p.line >= 1 for p in error.problems)
        return
    stack: list[object] = [loaded.data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            assert all(type(key) is str for key in value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        else:
            assert value is None or type(value) is str


# --------------------------------------------------------------------------
# No unsafe loader anywhere in the package

UNSAFE_PATTERNS = [
    re.compile(r"\byaml\.load\((?![^)\n]*Safe)"),
    re.compile(r"\byaml\.load_all\((?![^)\n]*Safe)"),
    re.compile(r"\byaml\.unsafe_load"),
    re.compile(r"""typ\s*=\s*\[?\s*['"]unsafe['"]"""),
    re.compile(r"\bUnsafeLoader\b"),
    re.compile(r"\bFullLoader\b"),
    re.compile(r"\byaml\.Loader\b"),
]


def unsafe_lines(source: str) -> list[str]:
    return [
        line
        for line in source.splitlines()
        if any(pattern.search(line) for pattern in UNSAFE_PATTERNS)
    ]


def test_unsafe_loader_patterns_detect_unsafe_code() -> None:
    assert unsafe_lines("data = yaml.load(stream)") != []
    assert unsafe_lines("data = yaml.load(stream, Loader=yaml.Loader)") != []
    assert unsafe_lines("YAML(typ='unsafe', pure=True)") != []
    assert unsafe_lines("yaml.load(s, Loader=FullLoader)") != []
    assert unsafe_lines("yaml.load(s, Loader=yaml.SafeLoader)") == []
    assert unsafe_lines('YAML(typ="safe", pure=True).parse(text)') == []


def test_package_source_has_no_unsafe_yaml_loader() -> None:
    sources = sorted(PACKAGE_DIR.rglob("*.py"))
    assert PACKAGE_DIR / "loading.py" in sources
    found = {
        str(path.relative_to(PACKAGE_DIR)): unsafe
        for path in sources
        if (unsafe := unsafe_lines(path.read_text(encoding="utf-8")))
    }
    assert found == {}
