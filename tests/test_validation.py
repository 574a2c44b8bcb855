"""Input errors name the file, line, column and key path, all at once."""

from __future__ import annotations

import shutil

import pytest

from contractgen.errors import InputError
from contractgen.pipeline import load, loads
from tests.conftest import EXAMPLES, OFFLINE_EXAMPLE, load_offline_variant


def offline_text() -> str:
    return OFFLINE_EXAMPLE.read_text(encoding="utf-8")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    count = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            count += 1
            if count == occurrence:
                return number
    raise AssertionError(needle)


def test_due_date_error_names_file_line_column_and_path(tmp_path):
    text = offline_text().replace("grace_days: 30", "grace_days: 0")
    shutil.copytree(EXAMPLES / "shared", tmp_path / "shared")
    path = tmp_path / "agreement.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(path)
    line = line_of(text, "due: 2027-04-30")
    assert str(caught.value) == (
        f"{path}:{line}:12: fees.instalments[2].due: 2027-04-30 is after the term end 2027-03-31"
    )


def test_all_errors_of_a_file_come_at_once_in_line_order():
    text = (
        offline_text()
        .replace("grace_days: 30", "grace_days: 0")
        .replace("credit_code: 91330108MA2H4N6P13", "credit_code: 91330108MA2H4N6P14")
        .replace("copies: 4", "copies: 3")
    )
    with pytest.raises(InputError) as caught:
        load_offline_variant(text)
    paths = [p.path for p in caught.value.problems]
    # the late due date is found although effectiveness failed and pydantic skipped the model check
    assert paths == ["parties.provider.credit_code", "fees.instalments[2].due", "effectiveness.copies"]
    assert [p.line for p in caught.value.problems] == sorted(p.line for p in caught.value.problems)


def test_missing_field_points_at_its_parent():
    text = offline_text().replace("    legal_representative: 张堃\n", "")
    with pytest.raises(InputError) as caught:
        load_offline_variant(text)
    (problem,) = caught.value.problems
    assert problem.path == "parties.provider.legal_representative"
    assert problem.message == "required field is missing"
    assert problem.line == line_of(text, "name: 杭州知行客服职业技能培训有限公司")


def test_unknown_kind_is_explained():
    with pytest.raises(InputError, match="unknown kind 'contract'; known kinds: training_agreement, training_regulation"):
        loads("kind: contract\n")


def test_missing_kind_is_explained():
    with pytest.raises(InputError, match="say what the file is"):
        loads("contract_no: X\n")


def test_union_tags_do_not_leak_into_paths():
    text = offline_text().replace("  on: signature", "  on: tomorrow")
    with pytest.raises(InputError) as caught:
        load_offline_variant(text)
    (problem,) = caught.value.problems
    assert problem.path == "effectiveness.on"
    assert problem.line == line_of(text, "on: tomorrow")


@pytest.mark.parametrize(
    ("original", "replacement", "path"),
    [
        ("total: 96000.00", "total: 1e5", "fees.total"),
        ("amount: 38400.00", "amount: 38400.001", "fees.instalments[0].amount"),
        ("count: 40", "count: forty", "training.trainees.count"),
    ],
)
def test_yaml_surprises_are_rejected_not_reinterpreted(original, replacement, path):
    with pytest.raises(InputError) as caught:
        load_offline_variant(offline_text().replace(original, replacement, 1))
    assert path in [p.path for p in caught.value.problems]


def test_yaml_1_1_values_are_read_as_meant():
    text = offline_text().replace('start: "14:00"', "start: 14:00", 1).replace("count: 40", "count: 0040")
    agreement = load_offline_variant(text)
    assert agreement.schedule.sessions[0].start.hour == 14  # not sexagesimal 840
    assert agreement.training.trainees.count == 40  # not octal 32


def test_huge_amounts_keep_every_fen():
    text = offline_text()
    for old, new in [
        ("total: 96000.00", "total: 123456789012345.67"),
        ("amount: 19200.00", "amount: 123456788935545.67"),
    ]:
        text = text.replace(old, new, 1)
    agreement = load_offline_variant(text)
    assert str(agreement.fees.total) == "123456789012345.67"
