"""examples/rows/shops.xlsx: ten client shops over the offline agreement, rebuilt byte for byte by its script."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from contractgen.types import check_credit_code
from tests.conftest import EXAMPLES
from tests.rows.sheets import BASE, results
from tools import build_rows_example

SHOPS = EXAMPLES / "rows" / "shops.xlsx"


def test_the_example_is_what_its_script_builds() -> None:
    assert build_rows_example.build() == SHOPS.read_bytes()
    assert build_rows_example.build() == build_rows_example.build()


def test_all_ten_shops_load_and_validate() -> None:
    outcome = results(SHOPS)
    assert [r.error for r in outcome] == [None] * 10
    models = [r.loaded.model for r in outcome]
    assert len({m.contract_no for m in models}) == 10
    assert len({m.parties.client.credit_code for m in models}) == 10
    for model in models:
        check_credit_code(model.parties.client.credit_code)
        amounts = [i.amount for i in model.fees.instalments]
        assert sum(amounts) == model.fees.total
        assert model.liability.cap == amounts[-1]
        assert model.parties.provider.name == "杭州知行客服职业技能培训有限公司"  # from the base
    assert [m.fees.total for m in models][3] == Decimal("38850.50")
    assert {m.signing.date.isoformat()[:7] for m in models} == {"2026-12"}


def test_the_example_rows_carry_what_the_script_says() -> None:
    models = [r.loaded.model for r in results(SHOPS)]
    expected = [(shop[0], shop[2], Decimal(shop[13])) for shop in build_rows_example.SHOPS]
    assert [(m.contract_no, m.parties.client.name, m.fees.total) for m in models] == expected


def test_a_shop_with_a_bad_credit_code_names_its_cell(tmp_path: Path) -> None:
    book = load_workbook(SHOPS)
    sheet = book.active
    assert sheet["D1"].value == "parties.client.credit_code"
    sheet["D5"] = sheet["D5"].value[:-1] + "0"
    rows = tmp_path / "shops.xlsx"
    book.save(rows)
    outcome = results(rows)
    assert [r.row for r in outcome if r.error is not None] == [5]
    (problem,) = outcome[3].error.problems
    assert problem.file == f"{rows}!D5"
    assert problem.path == "parties.client.credit_code"
    assert str(problem).startswith(f"{rows}!D5: parties.client.credit_code: check character is '0'")


def test_the_base_is_named_by_its_own_path_so_its_include_still_resolves(tmp_path: Path) -> None:
    """The rows folder holds no YAML: the base's shared/ is found beside the base, wherever the rows are."""
    rows = tmp_path / "elsewhere" / "shops.xlsx"
    rows.parent.mkdir()
    shutil.copy(SHOPS, rows)
    assert all(r.error is None for r in results(rows, BASE))
