"""contractgen.rows on real .xlsx files: cells read as text, money never through a float, located errors."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal
from pathlib import Path

import pytest

from contractgen.loading import problem_at
from contractgen.pipeline import render
from contractgen.rows import RowSource
from tests.rows.sheets import (
    MONEY_HEADER,
    base_variant,
    model_of,
    only,
    problems_of,
    results,
    set_raw_values,
    write_xlsx,
)

# --------------------------------------------------------------------------- numbers: 15 significant digits, no float arithmetic


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        pytest.param(36000, "36000", id="integer"),
        pytest.param(36000.5, "36000.5", id="half"),
        pytest.param(12345.67, "12345.67", id="fen"),
        pytest.param(0.1, "0.1", id="tenth"),
        pytest.param(1e-7, "0.0000001", id="tiny-no-exponent"),
        pytest.param(19200.00, "19200", id="float-with-zero-fen"),
        pytest.param(1.5e20, "150000000000000000000", id="huge-no-exponent"),
        pytest.param("36,000.00", "36,000.00", id="text-kept-as-typed"),
    ],
)
def test_a_number_cell_is_read_as_the_text_excel_holds(tmp_path: Path, cell: object, text: str) -> None:
    # contract_no is plain text in the model, so it shows exactly what the cell became
    rows = write_xlsx(tmp_path / "n.xlsx", [["contract_no"], [cell]])
    assert model_of(rows).contract_no == text


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        pytest.param("12345.670000000002", "12345.67", id="binary-noise-above"),
        pytest.param("12345.669999999998", "12345.67", id="binary-noise-below"),
        pytest.param("0.30000000000000004", "0.3", id="point-one-plus-point-two"),
        pytest.param("9.9999999999999995E-8", "0.0000001", id="exponent-as-excel-writes-it"),
        pytest.param("36000", "36000", id="integer"),
    ],
)
def test_a_number_as_excel_saves_it_keeps_15_significant_digits(tmp_path: Path, raw: str, text: str) -> None:
    rows = set_raw_values(write_xlsx(tmp_path / "n.xlsx", [["contract_no"], [1.5]]), {"A2": raw})
    assert model_of(rows).contract_no == text


def test_money_cells_give_exact_amounts_that_sum_to_the_total(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "m.xlsx", [MONEY_HEADER, [12345.67, 0.1, 12345.47, 0.1, 0.1]])
    fees = model_of(rows).fees
    assert fees.total == Decimal("12345.67")
    assert [i.amount for i in fees.instalments] == [Decimal("0.10"), Decimal("12345.47"), Decimal("0.10")]


def test_float_noise_in_a_saved_workbook_does_not_reach_the_amounts(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "m.xlsx", [MONEY_HEADER, [1.5, 1.5, 1.5, 1.5, 1.5]])
    set_raw_values(
        rows,
        {"A2": "12345.670000000002", "B2": "0.30000000000000004", "C2": "12345.27", "D2": "0.1", "E2": "0.1"},
    )
    fees = model_of(rows).fees
    assert fees.total == Decimal("12345.67")
    assert sum(i.amount for i in fees.instalments) == fees.total


def test_amount_text_cells_with_thousands_separators_are_read(tmp_path: Path) -> None:
    rows = write_xlsx(
        tmp_path / "m.xlsx", [MONEY_HEADER, ["36,000.00", "14,400.00", "14,400.00", "7,200.00", "7,200.00"]]
    )
    assert model_of(rows).fees.total == Decimal("36000.00")


def test_a_third_decimal_place_is_refused_at_its_cell_not_rounded(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "m.xlsx", [MONEY_HEADER, [1234.565, 1234.565, None, None, None]])
    problems = problems_of(rows)
    assert any(p.startswith(f"{rows}!A2: fees.total: ") and "1234.565" in p for p in problems), problems
    assert any(p.startswith(f"{rows}!B2: fees.instalments[0].amount: ") for p in problems), problems


def test_the_display_format_is_not_applied(tmp_path: Path) -> None:
    """A cell that shows 12,346 holds 12345.67, which is what Excel sums and what the contract says."""
    rows = write_xlsx(tmp_path / "m.xlsx", [["contract_no"], [12345.67]], formats={"A2": "#,##0"})
    assert model_of(rows).contract_no == "12345.67"


def test_boolean_cells_are_true_and_false(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "b.xlsx", [["fees.tax_included", "intellectual_property.internal_use_licence"], [False, True]])
    model = model_of(rows)
    assert model.fees.tax_included is False
    assert model.intellectual_property.internal_use_licence is True


# --------------------------------------------------------------------------- dates and times


@pytest.mark.parametrize(
    "cell",
    [
        pytest.param(dt.datetime(2026, 12, 1), id="date-cell"),
        pytest.param(dt.date(2026, 12, 1), id="date-value"),
        pytest.param(46357, id="serial-number"),
        pytest.param(46357.0, id="serial-float"),
        pytest.param("2026-12-01", id="text"),
        pytest.param("2026/12/1", id="text-excel-china"),
        pytest.param("2026-12-1", id="text-unpadded"),
        pytest.param("2026年12月1日", id="text-chinese"),
    ],
)
def test_a_date_may_be_a_date_cell_a_serial_or_text(tmp_path: Path, cell: object) -> None:
    rows = write_xlsx(tmp_path / "d.xlsx", [["signing.date"], [cell]])
    assert model_of(rows).signing.date == dt.date(2026, 12, 1)


def test_a_serial_follows_the_workbooks_1904_date_system(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "d.xlsx", [["signing.date"], [46357 - 1462]], mac_1904=True)
    assert model_of(rows).signing.date == dt.date(2026, 12, 1)


def test_a_date_with_a_time_of_day_is_an_error_at_its_cell(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "d.xlsx", [["contract_no", "signing.date"], ["X-1", dt.datetime(2026, 12, 1, 14, 30)]])
    (problem,) = problems_of(rows)
    assert problem.startswith(f"{rows}!B2: signing.date: the cell holds 2026-12-01 14:30, a date with a time of day")


def test_a_serial_with_a_fraction_is_an_error_in_a_date_field(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "d.xlsx", [["signing.date"], [46357.5]])
    (problem,) = problems_of(rows)
    assert problem.startswith(f"{rows}!A2: signing.date: 46357.5 is a date serial with a time of day")


def test_a_number_in_a_text_field_is_never_read_as_a_date(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "d.xlsx", [["signing.place"], [46357]])
    assert model_of(rows).signing.place == "46357"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param(dt.time(9, 0), dt.time(12, 0), id="time-cells"),
        pytest.param("9:00", "12:00", id="text-as-excel-writes-it"),
        pytest.param(0.375, 0.5, id="fractions-of-a-day"),
    ],
)
def test_times_become_hh_mm(tmp_path: Path, start: object, end: object) -> None:
    header = ["schedule.sessions[0].start", "schedule.sessions[0].end"]
    rows = write_xlsx(tmp_path / "t.xlsx", [header, [start, end]])
    session = model_of(rows).schedule.sessions[0]
    assert (session.start, session.end) == (dt.time(9, 0), dt.time(12, 0))


def test_effectiveness_on_takes_a_date_cell_or_its_word(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "e.xlsx", [["contract_no", "effectiveness.on"], ["A", dt.datetime(2026, 12, 20)], ["B", "signature"]])
    first, second = results(rows)
    assert first.loaded.model.effectiveness.on == dt.date(2026, 12, 20)
    assert second.loaded.model.effectiveness.on == "signature"


# --------------------------------------------------------------------------- empty cells, lists, what cannot be read


def test_an_empty_cell_keeps_the_bases_value(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "e.xlsx", [["contract_no", "parties.client.name"], ["A-1", None], ["A-2", "   "]])
    names = [r.loaded.model.parties.client.name for r in results(rows)]
    assert names == ["杭州云杉优选电子商务有限公司"] * 2


def test_blank_rows_are_skipped_and_rows_keep_their_sheet_numbers(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "b.xlsx", [[], ["contract_no"], ["A-1"], [None], ["A-2"]])
    assert [(r.label, r.row) for r in results(rows)] == [(f"{rows} row 3", 3), (f"{rows} row 5", 5)]


def test_a_row_adds_the_next_list_item(tmp_path: Path) -> None:
    header = ["fees.instalments[2].amount", "fees.instalments[3].label", "fees.instalments[3].amount", "fees.instalments[3].trigger"]
    rows = write_xlsx(tmp_path / "l.xlsx", [header, [9600, "绩效尾款", 9600, "考核达标后 10 个工作日内"]])
    instalments = model_of(rows).fees.instalments
    assert [i.label for i in instalments][-1] == "绩效尾款"
    assert instalments[3].amount == Decimal("9600.00")


def test_dotted_list_indexes_are_read_like_brackets(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "l.xlsx", [["fees.instalments.0.label"], ["预付款"]])
    assert model_of(rows).fees.instalments[0].label == "预付款"


def test_a_list_item_that_would_leave_a_gap_is_an_error_at_its_cell(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "l.xlsx", [["contract_no", "fees.instalments[4].label"], ["A-1", "第五期"]])
    (problem,) = problems_of(rows)
    assert problem.startswith(f"{rows}!B2: fees.instalments[4].label: fees.instalments has 3 item(s) here")
    assert "fees.instalments[3]" in problem


def test_a_formula_without_a_saved_result_is_an_error_not_an_empty_cell(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "f.xlsx", [["contract_no", "fees.total"], ["A-1", "=12000*8"]])
    (problem,) = problems_of(rows)
    assert problem.startswith(f"{rows}!B2: fees.total: the formula has no saved result")


def test_an_excel_error_value_is_an_error_at_its_cell(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "f.xlsx", [["contract_no", "fees.total"], ["A-1", "#DIV/0!"]])
    (problem,) = problems_of(rows)
    assert problem == f"{rows}!B2: fees.total: the cell shows the Excel error #DIV/0!"


# --------------------------------------------------------------------------- where problems point


def test_a_bad_value_names_its_cell_and_key_path(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "shops.xlsx", [["contract_no", "parties.client.email"], *[["A", "hr@x.cn"]] * 10, ["B", "not-an-email"]])
    outcome = results(rows)
    assert [r.error is None for r in outcome] == [True] * 10 + [False]
    assert [str(p) for p in outcome[-1].error.problems] == [
        f"{rows}!B12: parties.client.email: 'not-an-email' is not an e-mail address"
    ]
    assert outcome[-1].label == f"{rows} row 12"


def test_one_bad_row_does_not_stop_the_others(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "r.xlsx", [["contract_no", "fees.total"], ["A", None], ["B", "abc"], ["C", None]])
    assert [r.error is None for r in results(rows)] == [True, False, True]


def test_a_problem_in_the_base_names_the_base_and_its_line(tmp_path: Path) -> None:
    base = base_variant(tmp_path, "copies: 4", "copies: 3")
    rows = write_xlsx(tmp_path / "r.xlsx", [["contract_no"], ["A-1"]])
    (problem,) = problems_of(rows, base)
    line = base.read_text(encoding="utf-8").splitlines().index("  copies: 3") + 1
    assert problem.startswith(f"{base}:{line}:11: effectiveness.copies: ")


def test_a_base_problem_a_row_overrides_is_gone(tmp_path: Path) -> None:
    base = base_variant(tmp_path, "copies: 4", "copies: 3")
    rows = write_xlsx(tmp_path / "r.xlsx", [["effectiveness.copies"], [2]])
    assert model_of(rows, base).effectiveness.copies == 2


def test_a_base_may_leave_out_what_every_row_fills_in(tmp_path: Path) -> None:
    base = base_variant(tmp_path, "contract_no: HZYX-PX-2026-018\n", "")
    rows = write_xlsx(tmp_path / "r.xlsx", [["contract_no"], ["A-1"], [None]])
    assert model_of(rows, base).contract_no == "A-1"


def test_a_problem_at_a_group_the_row_filled_names_its_cells(tmp_path: Path) -> None:
    header = ["contract_no", *MONEY_HEADER[1:4]]
    rows = write_xlsx(tmp_path / "g.xlsx", [header, ["A-1", 38400, 38400, 19199]])
    (problem,) = problems_of(rows)
    assert problem.startswith(f"{rows}!B2,C2,D2: fees.instalments: ")


def test_a_later_error_is_located_at_the_cell_through_the_source(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "s.xlsx", [["contract_no", "parties.client.name"], ["A-1", "杭州某某有限公司"]])
    source = only(rows).loaded.source
    assert isinstance(source, RowSource)
    assert source.filename == f"{rows} row 2"
    assert str(problem_at(source, ("parties", "client", "name"), "no glyph")) == f"{rows}!B2: parties.client.name: no glyph"
    assert str(problem_at(source, ("signing", "place"), "x")).startswith(f"{source.base_filename}:10:")


def test_a_row_renders_like_a_yaml_document(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "s.xlsx", [["contract_no", "parties.client.name"], ["A-1", "杭州某某电子商务有限公司"]])
    loaded = only(rows).loaded
    files = render(loaded.model, ["docx"], source=loaded.source)
    assert files["docx"].startswith(b"PK")


# --------------------------------------------------------------------------- sheets


def test_the_first_sheet_is_read_unless_one_is_named(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "s.xlsx", [["contract_no"], ["FIRST"]], sheets={"2027": [["contract_no"], ["SECOND"]]})
    assert model_of(rows).contract_no == "FIRST"
    named = only(rows, sheet="2027")
    assert named.loaded.model.contract_no == "SECOND"
    assert named.label == f"{rows}[2027] row 2"


def test_problems_in_a_named_sheet_say_the_sheet(tmp_path: Path) -> None:
    rows = write_xlsx(tmp_path / "s.xlsx", [["contract_no"]], sheets={"2027": [["fees.total"], ["x"]]})
    (problem,) = problems_of(rows, sheet="2027")
    assert problem.startswith(f"{rows}[2027]!A2: fees.total: ")


def test_a_rows_document_travels_to_a_worker_process_intact(tmp_path: Path) -> None:
    """Process pools pickle the Loaded they render: the row's source must still point at its cells."""
    rows = write_xlsx(tmp_path / "p.xlsx", [["contract_no", "parties.client.name"], ["A-1", "杭州某某有限公司"]])
    loaded = pickle.loads(pickle.dumps(only(rows).loaded))
    assert loaded.model.contract_no == "A-1"
    assert str(problem_at(loaded.source, ("parties", "client", "name"), "x")) == f"{rows}!B2: parties.client.name: x"
