"""contractgen.rows: the header row names key paths of the base's kind; its problems stop the whole file."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.errors import InputError
from contractgen.rows import load_rows
from tests.rows.sheets import BASE, file_problems, model_of, problems_of, results, write_xlsx


@pytest.mark.parametrize(
    ("header", "message"),
    [
        pytest.param("parties.client.nmae", "unknown key 'nmae' in parties.client; did you mean 'parties.client.name'?", id="typo-leaf"),
        pytest.param("parties.clinet.name", "unknown key 'clinet' in parties; did you mean 'parties.client.name'?", id="typo-middle"),
        pytest.param("fees.totl", "unknown key 'totl' in fees; did you mean 'fees.total'?", id="typo-short"),
        pytest.param("fees", "a group of keys; a column sets one value, e.g. fees.currency", id="group"),
        pytest.param("fees.instalments", "a list; a column sets one value, e.g. fees.instalments[0].label", id="list"),
        pytest.param("fees.total[0]", "fees.total is not a list, so it has no item [0]", id="index-on-a-value"),
        pytest.param("kind", "the kind comes from the base file; a row cannot change it", id="kind"),
        pytest.param("fees..total", "'fees..total' is not a key path", id="double-dot"),
        pytest.param("[0].x", "'[0].x' is not a key path", id="index-first"),
        pytest.param("fees total", "'fees total' is not a key path", id="space"),
    ],
)
def test_a_header_that_names_no_value_is_refused_with_a_hint(tmp_path: Path, header: str, message: str) -> None:
    rows = write_xlsx(tmp_path / "h.xlsx", [["contract_no", header], ["A-1", "x"]])
    (problem,) = file_problems(rows)
    assert problem.startswith(f"{rows}!B1: {header}: {message}")


def test_an_unknown_key_without_a_close_match_lists_the_keys(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "h.xlsx", [["signing.zzzzzz"], ["x"]])
    (problem,) = file_problems(rows)
    assert problem.endswith("unknown key 'zzzzzz' in signing; the keys there are: date, place")


def test_two_columns_for_one_key_are_an_error_even_spelled_differently(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "h.xlsx", [["fees.instalments[0].label", "contract_no", "fees.instalments.0.label"], ["a", "b", "c"]])
    (problem,) = file_problems(rows)
    assert problem == f"{rows}!C1: fees.instalments.0.label: column A already sets fees.instalments[0].label"


def test_a_header_must_be_text(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "h.xlsx", [["contract_no", 2027], ["a", "b"]])
    (problem,) = file_problems(rows)
    assert problem == f"{rows}!B1: a header names a key such as fees.total, not the value 2027"


def test_all_header_problems_come_at_once(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "h.xlsx", [["fees", "contract_no", "x.y", "contract_no"], ["a", "b", "c", "d"]])
    assert [p.split(":")[0].rsplit("!", 1)[1] for p in file_problems(rows)] == ["A1", "C1", "D1"]


def test_the_header_is_the_first_non_empty_row(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "h.xlsx", [[], [None, None], ["contract_no"], ["A-1"]])
    assert model_of(rows).contract_no == "A-1"


def test_surrounding_spaces_in_a_header_are_ignored(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "h.xlsx", [[" contract_no "], ["A-1"]])
    assert model_of(rows).contract_no == "A-1"


def test_a_note_column_is_not_read(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "h.xlsx", [["contract_no", "#备注"], ["A-1", "不是字段"], [None, "只有备注的行"]])
    (result,) = results(rows)  # a row with only a note is blank
    assert result.loaded.model.contract_no == "A-1"


def test_a_column_without_a_header_may_be_empty(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "h.xlsx", [["contract_no", None, "signing.place"], ["A-1", None, "杭州"]])
    assert model_of(rows).signing.place == "杭州"


def test_a_value_under_no_header_is_an_error_at_its_cell(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "h.xlsx", [["contract_no"], ["A-1", None, "lost?"]])
    (problem,) = problems_of(rows)
    assert problem.startswith(f"{rows}!C2: this column has no header, so the value is not read")


def test_an_empty_sheet_and_a_header_without_rows_are_errors(tmp_path: Path) -> None:
    empty = write_xlsx(tmp_path / "e.xlsx", [])
    assert file_problems(empty) == [f"{empty}: the sheet is empty: its first row must name the keys, e.g. contract_no, fees.total"]
    header_only = write_xlsx(tmp_path / "h.xlsx", [[], ["contract_no"], [None]])
    assert file_problems(header_only) == [f"{header_only}: no rows below the header (row 2): nothing to make"]


def test_an_unknown_sheet_is_named_with_the_sheets_there(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "s.xlsx", [["contract_no"], ["A"]], sheets={"客户2027": [["contract_no"], ["B"]]})
    (problem,) = file_problems(rows, sheet="客户2026")
    assert problem == f"{rows}: no sheet '客户2026'; did you mean '客户2027'? (sheets: Sheet, 客户2027)"


@pytest.mark.parametrize(("name", "hint"), [("old.xls", "save it as .xlsx"), ("data.ods", ".xlsx, .xlsm, .csv")])
def test_other_file_types_are_refused(tmp_path: Path, name: str, hint: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"whatever")
    (problem,) = file_problems(path)
    assert hint in problem


def test_a_broken_workbook_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK not really a zip")
    (problem,) = file_problems(path)
    assert problem.startswith(f"{path}: cannot read the workbook")


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    (problem,) = file_problems(tmp_path / "none.xlsx")
    assert problem.startswith(f"{tmp_path / 'none.xlsx'}: cannot read the file")


def test_nothing_is_read_before_the_first_row_is_asked_for(tmp_path: Path) -> None:
    rows = load_rows(tmp_path / "no-base.yaml", tmp_path / "none.xlsx")  # neither exists
    with pytest.raises(InputError):
        next(rows)


def test_a_base_that_cannot_be_read_stops_everything(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text("kind: contract_of_sale\n", encoding="utf-8")
    rows = write_xlsx(tmp_path / "r.xlsx", [["contract_no"], ["A"]])
    (problem,) = file_problems(rows, base)
    assert problem.startswith(f"{base}:1:7: kind: unknown kind 'contract_of_sale'")


def test_headers_are_checked_against_the_bases_kind(tmp_path: Path) -> None:
    regulation = BASE.parent / "training_regulation.yaml"
    rows = write_xlsx(tmp_path / "r.xlsx", [["info.doc_no", "contract_no"], ["YS-ZD-01", "x"]])
    (problem,) = file_problems(rows, regulation)
    assert problem.startswith(f"{rows}!B1: contract_no: unknown key 'contract_no' in the document")
