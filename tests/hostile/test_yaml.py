"""Hostile YAML: code-running tags, resource bombs and YAML 1.1 surprises, through the public paths.

Every case ends in a located, readable error or in exactly the value that was
written: nothing runs, nothing blows up memory, no number silently changes.
Memory is measured with tracemalloc (peak), not with timings, so a slow
machine cannot make these tests flaky.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from contractgen.cli import main
from contractgen.errors import InputError
from contractgen.pipeline import build, load, loads
from tests.conftest import OFFLINE_EXAMPLE, ROOT, load_offline_variant, make_agreement_model

PACKAGE = ROOT / "contractgen"
SMALL = 20 * 1024 * 1024  # bytes: the most any hostile input may make the loader hold at once
EXAMPLE = OFFLINE_EXAMPLE.read_text(encoding="utf-8")


def peak_memory(action: Callable[[], Any]) -> tuple[BaseException | None, int]:
    """Run ``action``; the exception it raised (if any) and the peak of traced memory in bytes."""
    tracemalloc.start()
    try:
        action()
    except BaseException as error:  # noqa: BLE001 (the caller asserts which)
        raised: BaseException | None = error
    else:
        raised = None
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return raised, peak


def problems_of(text: str) -> list[Any]:
    with pytest.raises(InputError) as caught:
        loads(text, filename="c.yaml")
    return list(caught.value.problems)


def variant(*replacements: tuple[str, str]) -> Any:
    """The offline example with each ``(old, new)`` replaced once, loaded beside its shared file."""
    text = EXAMPLE
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return load_offline_variant(text)


def variant_problems(*replacements: tuple[str, str]) -> list[Any]:
    with pytest.raises(InputError) as caught:
        variant(*replacements)
    return list(caught.value.problems)


def line_of(fragment: str) -> int:
    return EXAMPLE[: EXAMPLE.index(fragment)].count("\n") + 1


# --------------------------------------------------------------------------- item 7: tags run nothing


CODE_TAGS = [
    pytest.param('!!python/object/apply:os.system ["touch {marker}"]', "!!python/object/apply:os.system", id="apply"),
    pytest.param("!!python/name:os.system", "!!python/name:os.system", id="name"),
    pytest.param('!!python/object/new:subprocess.Popen [["touch", "{marker}"]]', "!!python/object/new:subprocess.Popen", id="new"),
    pytest.param('!!python/module:os', "!!python/module:os", id="module"),
]


@pytest.mark.parametrize(("tag", "shown"), CODE_TAGS)
def test_python_tags_are_refused_with_their_line_and_run_nothing(tmp_path: Path, tag: str, shown: str) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "agreement.yaml"
    path.write_text(f"kind: training_agreement\ncontract_no: X-1\nsigning: {tag.format(marker=marker)}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column, problem.path) == (str(path), 3, 10, "signing")
    assert problem.message == f"YAML tags (!!python/...) are not allowed (found {shown})"
    assert not marker.exists()


def test_python_tag_through_the_cli_exits_2_with_the_line_and_runs_nothing(tmp_path: Path, capsys) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "a.yaml"
    path.write_text(f'kind: training_agreement\nx:\n  - !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    assert main(["generate", str(path), "-o", str(tmp_path / "out")]) == 2
    assert f"{path}:3:5: x[0]: YAML tags" in capsys.readouterr().err
    assert not marker.exists() and not (tmp_path / "out").exists()


UNSAFE_TEXT = [
    (re.compile(r"\bunsafe_load\b|\bfull_load\b|\bUnsafeLoader\b|\bFullLoader\b"), "an unsafe PyYAML loader"),
    (re.compile(r"""typ\s*=\s*["'](unsafe|full|base|rt)["']"""), "a ruamel loader that builds objects"),
    (re.compile(r"Loader\s*=\s*(yaml\.)?Loader\b"), "yaml.Loader"),
    (re.compile(r"\byaml\.load\((?![^)]*SafeLoader)"), "yaml.load without SafeLoader"),
    (re.compile(r"^\s*(import|from)\s+(pickle|cPickle|dill|cloudpickle|marshal|shelve|jsonpickle)\b", re.M), "a pickle-like module"),
]
UNSAFE_CALLS = {"eval", "exec", "compile", "__import__"}


def _python_sources() -> list[Path]:
    sources = sorted(PACKAGE.rglob("*.py"))
    assert len(sources) > 20 and PACKAGE / "loading.py" in sources
    return sources


def test_package_source_has_no_unsafe_yaml_loader_pickle_or_eval() -> None:
    found = []
    for source in _python_sources():
        text = source.read_text(encoding="utf-8")
        relative = source.relative_to(ROOT)
        found += [f"{relative}: {what}" for pattern, what in UNSAFE_TEXT if pattern.search(text)]
        for node in ast.walk(ast.parse(text, str(source))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in UNSAFE_CALLS:
                found.append(f"{relative}:{node.lineno}: {node.func.id}()")
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ("load", "load_all"):
                owner = node.func.value  # type: ignore[attr-defined]
                if isinstance(owner, ast.Name) and owner.id in ("yaml", "ruamel"):
                    found.append(f"{relative}:{node.lineno}: {owner.id}.{node.func.attr}()")  # type: ignore[attr-defined]
    assert found == []


def test_the_only_yaml_reader_is_the_safe_event_parser() -> None:
    """ruamel is imported by loading.py alone, which only ever asks a ``typ="safe"`` parser for events."""
    importers = [s.relative_to(ROOT).as_posix() for s in _python_sources() if re.search(r"^\s*(from|import) ruamel", s.read_text(encoding="utf-8"), re.M)]
    assert importers == ["contractgen/loading.py"]
    loading = (PACKAGE / "loading.py").read_text(encoding="utf-8")
    assert set(re.findall(r"YAML\([^)]*\)", loading)) == {'YAML(typ="safe", pure=True)'}
    assert set(re.findall(r"YAML\([^)]*\)\.(\w+)", loading)) == {"parse"}


# --------------------------------------------------------------------------- item 8: keys, aliases, nesting, size


def test_duplicate_key_names_both_lines() -> None:
    problems = problems_of("kind: training_agreement\ncontract_no: A-1\nsigning:\n  place: 甲\n  date: 2027-01-01\n  place: 乙\n")
    assert [(p.path, p.line, p.message) for p in problems] == [
        ("signing.place", 6, "duplicate key 'place' (first on line 4, again on line 6)")
    ]


def test_duplicate_top_level_key_in_a_file_names_both_lines() -> None:
    line = line_of("contract_no:")
    (problem,) = variant_problems(("contract_no: HZYX-PX-2026-018\n", "contract_no: HZYX-PX-2026-018\ncontract_no: 0012\n"))
    assert (problem.path, problem.line) == ("contract_no", line + 1)
    assert problem.message == f"duplicate key 'contract_no' (first on line {line}, again on line {line + 1})"


ALIAS_BOMB = "".join(
    [f"a: &a [{','.join(['lol'] * 9)}]\n"]
    + [f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")]
)


def test_billion_laughs_fails_fast_in_little_memory() -> None:
    assert len(ALIAS_BOMB.encode()) < 400  # expanded, it would be 9**9 (387 million) strings
    raised, peak = peak_memory(lambda: loads(ALIAS_BOMB))
    assert isinstance(raised, InputError) and peak < SMALL
    assert all("anchors and aliases (&name / *name) are not allowed" in p.message for p in raised.problems)
    assert [p.line for p in raised.problems] == list(range(1, 10))


@pytest.mark.parametrize("opener", ["[", "{a: ", "- "], ids=["flow-sequence", "flow-mapping", "block-sequence"])
def test_a_hundred_thousand_nested_levels_give_a_clean_nesting_error(opener: str) -> None:
    text = "kind: training_agreement\nv:\n  " + opener * 100_000
    raised, peak = peak_memory(lambda: loads(text))
    assert isinstance(raised, InputError), raised  # not a RecursionError, not a MemoryError
    assert peak < SMALL
    (problem,) = raised.problems
    assert problem.message == "nesting is deeper than 50 levels" and problem.line is not None


def test_a_very_wide_file_stops_at_the_value_cap_in_little_memory() -> None:
    """A 1 MiB flow list of 500 000 numbers once took ~20 s and 200 MB; now it stops at MAX_NODES."""
    text = "kind: training_agreement\nv: [" + "1," * 500_000 + "1]\n"
    assert len(text) < 1_048_576
    raised, peak = peak_memory(lambda: loads(text))
    assert isinstance(raised, InputError) and peak < SMALL
    (problem,) = raised.problems
    assert problem.message.startswith("the file holds more than 20,000 values") and problem.line == 2


def test_a_fifty_megabyte_file_is_refused_by_its_size_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.write(b"kind: training_agreement\n")
        stream.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, almost nothing on disk
    raised, peak = peak_memory(lambda: load(path))
    assert isinstance(raised, InputError)
    assert peak < 2 * 1024 * 1024  # far less than the file: it was never read
    (problem,) = raised.problems
    assert problem.file == str(path)
    assert problem.message == "the file is too large (52,428,800 bytes); the limit is 1,048,576 bytes"


def test_a_fifty_megabyte_file_through_the_cli_exits_2_saying_too_large(tmp_path: Path, capsys) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    assert main(["validate", str(path)]) == 2
    assert "the file is too large (52,428,800 bytes)" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_file_without_a_size_is_read_only_up_to_the_limit() -> None:
    raised, peak = peak_memory(lambda: load("/dev/zero"))
    assert isinstance(raised, InputError) and "too large" in str(raised)
    assert peak < 4 * 1024 * 1024


# --------------------------------------------------------------------------- item 9: YAML 1.1 surprises


def test_leading_zeros_stay_as_written_in_text_and_are_decimal_in_counts() -> None:
    model = variant(("contract_no: HZYX-PX-2026-018", "contract_no: 0012"), ("count: 40", "count: 0040"))
    assert model.contract_no == "0012"  # not 12, not octal 10
    assert model.training.trainees.count == 40  # not octal 32


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "y", "n", "true", "false"])
def test_yaml_1_1_words_in_text_fields_keep_the_word(word: str) -> None:
    model = variant(("contact: 王喆", f"contact: {word}"), ("place: 浙江省杭州市西湖区\n", f"place: {word.upper()}\n"))
    assert model.parties.client.contact == word
    assert model.signing.place == word.upper()


@pytest.mark.parametrize(
    ("word", "meaning"),
    [("true", True), ("false", False), ("yes", True), ("no", False), ("on", True), ("off", False), ("No", False), ("TRUE", True)],
)
def test_boolean_field_reads_true_false_and_yes_no_on_off_by_their_meaning(word: str, meaning: bool) -> None:
    """Decided: a boolean slot accepts YAML 1.1's words too; 'no' is never a truthy string."""
    assert variant(("tax_included: true", f"tax_included: {word}")).fees.tax_included is meaning


@pytest.mark.parametrize("word", ["maybe", "是", "含税", "2"])
def test_boolean_field_refuses_other_words_naming_the_field_line_and_value(word: str) -> None:
    (problem,) = variant_problems(("tax_included: true", f"tax_included: {word}"))
    assert (problem.path, problem.line) == ("fees.tax_included", line_of("tax_included"))
    assert "write true or false" in problem.message and repr(word) in problem.message


def test_sexagesimal_looking_time_stays_a_clock_time() -> None:
    model = variant(('start: "14:00", end: "17:00"', "start: 12:30, end: 15:30"))
    assert (model.schedule.sessions[0].start, model.schedule.sessions[0].end) == (dt.time(12, 30), dt.time(15, 30))
    document = build(model)
    table_text = [cell for s in document.sections for b in s.blocks if hasattr(b, "rows") for row in b.rows for cell in row]
    assert "12:30—15:30" in table_text and not any("750" in cell for cell in table_text)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("1e3", "'1e3' is not an amount: write digits with at most two decimal places, e.g. 12000.00"),
        ("123456789012345678.99", "'123456789012345678.99' is too large: an amount has at most 15 digits before the point"),
        ("12,50", "'12,50' is not an amount: a comma may only separate thousands (96,000.00); write the decimal point as '.'"),
        ("96000.005", "'96000.005' is not an amount: write digits with at most two decimal places, e.g. 12000.00"),
        ("0x17700", "'0x17700' is not an amount: write digits with at most two decimal places, e.g. 12000.00"),
        (".inf", "'.inf' is not an amount: write digits with at most two decimal places, e.g. 12000.00"),
    ],
)
def test_money_that_yaml_1_1_or_a_float_would_change_is_refused_with_a_message(written: str, message: str) -> None:
    problems = variant_problems(("total: 96000.00", f"total: {written}"))
    assert [(p.path, p.line, p.message) for p in problems] == [("fees.total", line_of("total: 96000.00"), message)]


def test_tenths_add_up_exactly_as_decimals() -> None:
    """0.1 + 0.1 + 0.1 == 0.3 exactly: in floats the instalments would not add up to the total."""
    model = variant(
        ("total: 96000.00", "total: 0.30"),
        ("amount: 38400.00", "amount: 0.10"),
        ("amount: 38400.00", "amount: 0.10"),
        ("amount: 19200.00", "amount: 0.10"),
        ("cap: 19200.00", "cap: 0.10"),
    )
    assert model.fees.total == Decimal("0.30") and sum(i.amount for i in model.fees.instalments) == model.fees.total
    assert 0.1 + 0.1 + 0.1 != 0.3  # what a float would have done
    text = "\n".join(b.text for s in build(model).sections for b in s.blocks if hasattr(b, "text"))
    assert "¥0.30（大写：人民币叁角）" in text


def test_the_largest_amount_is_kept_to_the_fen() -> None:
    instalments = [
        {"label": "首期款", "amount": "999999999999999.00", "due": "2026-12-22"},
        {"label": "尾款", "amount": "0.99", "due": "2027-04-30"},
    ]
    model = make_agreement_model(fees__total="999999999999999.99", fees__instalments=instalments)
    assert model.fees.total == Decimal("999999999999999.99")  # a float gives 1000000000000000.0
    assert float(model.fees.total) != model.fees.total
