"""contractgen.rows on CSV: UTF-8 with or without BOM, GB18030 as Excel in China saves it, located errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from tests.rows.sheets import BASE, file_problems, model_of, problems_of, results

TABLE = (
    "contract_no,parties.client.name,fees.total,fees.instalments[0].amount,fees.instalments[1].amount,"
    "fees.instalments[2].amount,liability.cap,signing.date,fees.tax_included\r\n"
    'ZXPX-2026-101,杭州禾木家居用品有限公司,"36,000.00",14400,14400,7200.00,7200,2026/12/1,FALSE\r\n'
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_utf8_with_or_without_bom_and_gb18030_read_alike(tmp_path: Path, encoding: str) -> None:
    rows = tmp_path / "shops.csv"
    rows.write_bytes(TABLE.encode(encoding))
    model = model_of(rows)
    assert model.contract_no == "ZXPX-2026-101"  # no BOM glued to the first header
    assert model.parties.client.name == "杭州禾木家居用品有限公司"
    assert model.fees.total == Decimal("36000.00")
    assert model.signing.date == dt.date(2026, 12, 1)
    assert model.fees.tax_included is False


def test_a_file_in_neither_encoding_says_which_were_tried(tmp_path: Path) -> None:
    rows = tmp_path / "shops.csv"
    rows.write_bytes(b"contract_no\nA-1\n\xff\xfe\n")
    (problem,) = file_problems(rows)
    assert problem == (
        f"{rows}: the file is neither UTF-8 (byte 0xff on line 3) nor GB18030 (byte 0xff on line 3): "
        'save it from Excel as "CSV UTF-8"'
    )


def test_errors_name_the_cell_as_in_a_workbook(tmp_path: Path) -> None:
    rows = tmp_path / "shops.csv"
    lines = ["contract_no,parties.client.credit_code"] + [f"A-{n},91330106MA2KC3R5WW" for n in range(2, 12)]
    rows.write_text("\n".join([*lines, "A-12,91330106MA2KC3R5WX"]) + "\n", encoding="utf-8")
    outcome = results(rows)
    assert [r.error is None for r in outcome] == [True] * 10 + [False]
    assert [str(p) for p in outcome[-1].error.problems] == [
        f"{rows}!B12: parties.client.credit_code: check character is 'X' but GB 32100 gives 'W': a typo?"
    ]


def test_rows_are_records_so_a_line_break_in_a_cell_does_not_shift_them(tmp_path: Path) -> None:
    rows = tmp_path / "shops.csv"
    rows.write_text('contract_no,training.background\nA-1,"第一行\n第二行"\nA-2,x\n', encoding="utf-8")
    first, second = results(rows)
    assert first.loaded.model.training.background == "第一行\n第二行"
    assert (first.row, second.row) == (2, 3)


def test_a_csv_has_no_sheets(tmp_path: Path) -> None:
    rows = tmp_path / "shops.csv"
    rows.write_text("contract_no\nA-1\n", encoding="utf-8")
    (problem,) = file_problems(rows, sheet="Sheet1")
    assert "a CSV file has no sheets" in problem


def test_an_empty_field_keeps_the_base_and_text_stays_text(tmp_path: Path) -> None:
    rows = tmp_path / "shops.csv"
    rows.write_text("contract_no,parties.client.name,signing.place\n007,,46357\n", encoding="utf-8")
    model = model_of(rows)
    assert (model.contract_no, model.parties.client.name, model.signing.place) == ("007", "杭州云杉优选电子商务有限公司", "46357")


def test_a_bad_date_in_csv_names_its_cell(tmp_path: Path) -> None:
    rows = tmp_path / "shops.csv"
    rows.write_text("contract_no,signing.date\nA-1,12/1/2026\n", encoding="utf-8")
    (problem,) = problems_of(rows)
    assert problem.startswith(f"{rows}!B2: signing.date: '12/1/2026' is not a date")


def test_rows_are_read_and_validated_one_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from contractgen import rows as rows_module

    validated: list[str] = []
    real_validate = rows_module.validate

    def counting(model_class, data, source):  # type: ignore[no-untyped-def]
        validated.append(data["contract_no"])
        return real_validate(model_class, data, source)

    monkeypatch.setattr(rows_module, "validate", counting)
    rows = tmp_path / "many.csv"
    rows.write_text("contract_no\n" + "".join(f"A-{n}\n" for n in range(1200)), encoding="utf-8")
    outcome = rows_module.load_rows(BASE, rows)
    first = next(outcome)
    assert first.loaded.model.contract_no == "A-0" and validated == ["A-0"]
    assert sum(1 for r in outcome if r.error is None) == 1199
