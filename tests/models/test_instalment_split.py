"""The instalment remainder rule: amounts, shares and open instalments always add up to the total.

The rule (contractgen.money): an amount is used as written; a share gets
total × share rounded down to the fen; what is left is split equally among the
instalments that give neither, rounded down, the left-over fen going to the
last of them; with no such instalment, the fen left by rounding the shares go
to the last share instalment.
"""

from __future__ import annotations

from decimal import Decimal
from math import gcd

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from contractgen.errors import InputError
from contractgen.models.agreement import Fees, Instalment, TrainingAgreement
from contractgen.money import FEN, allocate, round_down_to_fen, share_of, split_total
from contractgen.pipeline import loads, render
from contractgen.readback import read_docx_blocks
from contractgen.validation import validate
from tests.conftest import ONLINE_EXAMPLE, agreement_data, validation_problems

D = Decimal
MILLION = 10**6  # a share in units of 0.0001 % (the finest a share may be)


# -- the pure arithmetic ------------------------------------------------------


def test_100_in_3_gives_the_last_fen_to_the_last():
    assert split_total(D("100.00"), 3) == [D("33.33"), D("33.33"), D("33.34")]


@pytest.mark.parametrize(
    ("total", "parts", "expected"),
    [
        ("0.01", 1, ["0.01"]),
        ("0.01", 2, ["0.00", "0.01"]),
        ("0.05", 3, ["0.01", "0.01", "0.03"]),
        ("96000.00", 3, ["32000.00", "32000.00", "32000.00"]),
        ("999999999999999.99", 7, ["142857142857142.85"] * 6 + ["142857142857142.89"]),
    ],
)
def test_split_total(total, parts, expected):
    assert split_total(D(total), parts) == [D(e) for e in expected]


def test_split_total_refuses_no_parts_and_fractions_of_a_fen():
    with pytest.raises(ValueError, match="at least one part"):
        split_total(D("1.00"), 0)
    with pytest.raises(ValueError, match="not a whole number of fen"):
        split_total(D("1.005"), 2)


def test_shares_round_down_never_up():
    assert share_of(D("100.05"), D("0.3")) == D("30.01")  # 30.015
    assert share_of(D("0.05"), D("0.1")) == D("0.00")  # 0.005
    assert round_down_to_fen(D("33.339")) == D("33.33")
    # 17 digits × 7 digits: beyond the default 28-digit context, still exact
    assert share_of(D("999999999999999.99"), D("0.999999")) == D("999998999999999.99")


def test_allocate_by_the_rule():
    assert allocate(D("100.00"), [(None, D("0.3")), (None, None), (None, None)]) == [D("30.00"), D("35.00"), D("35.00")]
    assert allocate(D("1000.01"), [(None, D("0.3")), (None, None), (None, None)]) == [D("300.00"), D("350.00"), D("350.01")]
    # every instalment gives an amount or a share: the rounding fen go to the last share
    assert allocate(D("100.05"), [(None, D("0.5")), (D("0.01"), None), (None, D("0.4999"))]) == [
        D("50.02"),
        D("0.01"),
        D("50.02"),
    ]
    assert allocate(D("100.00"), [(D("60.00"), None), (D("30.00"), None)]) == [D("60.00"), D("30.00")]  # unchecked


@given(total_fen=st.integers(1, 10**14), parts=st.integers(1, 12))
@settings(max_examples=1000)
def test_split_total_always_adds_up(total_fen, parts):
    total = D(total_fen) * FEN
    amounts = split_total(total, parts)
    assert sum(amounts) == total
    assert len(amounts) == parts
    assert all(a.as_tuple().exponent == -2 and a >= 0 for a in amounts)
    *equal, last = amounts
    assert len(set(equal)) <= 1
    base = equal[0] if equal else last
    assert D(0) <= last - base < parts * FEN  # the last carries less than one fen per part
    assert all(a > 0 for a in amounts) == (total_fen >= parts)


# -- the model: computed amounts, errors with their paths --------------------


def fees_data(total: str, *instalments: dict) -> dict:
    return {
        "total": total,
        "tax_included": True,
        "vat_rate": "6%",
        "invoice_type": "general",
        "instalments": [{"label": f"第{i + 1}期", "trigger": "双方确认后", **spec} for i, spec in enumerate(instalments)],
    }


def amounts_of(fees: Fees) -> list[str]:
    return [str(i.amount) for i in fees.instalments]


def fees_problems(total: str, *instalments: dict) -> dict[str, str]:
    return validation_problems(Fees, fees_data(total, *instalments))


def test_100_in_3_through_the_model():
    fees = Fees.model_validate(fees_data("100.00", {}, {}, {}))
    assert amounts_of(fees) == ["33.33", "33.33", "33.34"]


def test_share_amount_and_open_instalments():
    fees = Fees.model_validate(fees_data("96000.00", {"share": "30%"}, {"amount": "10000.00"}, {}, {}))
    assert amounts_of(fees) == ["28800.00", "10000.00", "28600.00", "28600.00"]
    assert fees.instalments[0].share == D("0.3")
    assert [i.share for i in fees.instalments[1:]] == [None, None, None]


def test_the_rounding_fen_of_shares_go_to_the_last_share_when_nothing_is_open():
    fees = Fees.model_validate(fees_data("100.05", {"share": "0.5"}, {"share": "50%"}))
    assert amounts_of(fees) == ["50.02", "50.03"]  # 50.025 each, rounded down; 0.01 left


def test_the_rounding_fen_of_shares_go_to_the_open_instalments_when_there_are_some():
    fees = Fees.model_validate(fees_data("100.05", {"share": "50%"}, {}))
    assert amounts_of(fees) == ["50.02", "50.03"]


def test_share_forms_and_precision():
    fees = Fees.model_validate(fees_data("100.00", {"share": "33.3333%"}, {"share": "0.333333"}, {}))
    assert [i.share for i in fees.instalments[:2]] == [D("0.333333"), D("0.333333")]
    assert amounts_of(fees) == ["33.33", "33.33", "33.34"]


def test_explicit_amounts_still_work_and_still_must_add_up():
    assert amounts_of(Fees.model_validate(fees_data("100.00", {"amount": "60.00"}, {"amount": "40.00"}))) == ["60.00", "40.00"]
    assert fees_problems("100.00", {"amount": "60.00"}, {"amount": "30.00"}) == {
        "instalments": "the instalments add up to 90.00, not the total 100.00 (difference -10.00)"
    }


@pytest.mark.parametrize(
    ("instalments", "path", "message"),
    [
        (
            [{"amount": "50.00", "share": "50%"}, {}],
            "instalments[0].share",
            "give an amount or a share, not both",
        ),
        (
            [{"share": "120%"}, {}],
            "instalments[0].share",
            "a rate must lie between 0 and 1 (0% and 100%); a share is a part of the total such as 30% or 0.3",
        ),
        ([{"share": "0%"}, {}], "instalments[0].share", "a share must be more than 0%"),
        (
            [{"share": "33.33333%"}, {}],
            "instalments[0].share",
            "'33.33333%' is too fine: a share has at most 4 decimal places as a percentage, e.g. 33.3333%",
        ),
        (
            [{"share": "60%"}, {}, {"share": "50%"}],
            "instalments[2].share",
            "the shares add up to 110% by this instalment, more than 100%",
        ),
        (
            [{"share": "60%"}, {"amount": "40.01"}, {}],
            "instalments[1].amount",
            "the amounts and shares come to 100.01 by this instalment, more than the total 100.00",
        ),
        (
            [{"amount": "40.01"}, {}, {"share": "60%"}],
            "instalments[2].share",
            "the amounts and shares come to 100.01 by this instalment, more than the total 100.00",
        ),
        (
            [{"share": "60%"}, {"amount": "40.00"}, {"label": "尾款"}],
            "instalments[2].amount",
            "nothing is left for this instalment (it would be 0.00): the amounts and shares already make up the total 100.00",
        ),
        (
            [{"amount": "99.99"}, {}, {}],
            "instalments[1].amount",
            (
                "nothing is left for this instalment (it would be 0.00): "
                "only 0.01 of the total 100.00 is left for 2 instalments without amount or share"
            ),
        ),
        (
            [{"share": "33.33%"}, {"share": "33.33%"}, {"share": "33.33%"}],
            "instalments",
            (
                "the shares add up to 99.99%, which does not make up the total 100.00: "
                "correct them, or leave one instalment without amount and share to take the rest"
            ),
        ),
        (
            [{"share": "50%"}, {"amount": "40.00"}],
            "instalments",
            (
                "the shares add up to 50% and the amounts to 40.00, which does not make up the total 100.00: "
                "correct them, or leave one instalment without amount and share to take the rest"
            ),
        ),
    ],
)
def test_what_cannot_be_computed_is_an_error_at_its_path(instalments, path, message):
    assert fees_problems("100.00", *instalments)[path] == message


def test_a_share_too_small_for_a_fen():
    assert fees_problems("0.05", {"share": "10%"}, {}) == {"instalments[0].share": "10% of the total 0.05 is less than 0.01"}


def test_an_open_instalment_after_shares_of_100_percent_is_not_paid_in_rounding_fen():
    # 50 % + 50 % of 100.01 leave 0.01 only by rounding: an error, not a 尾款 of 0.01
    found = fees_problems("100.01", {"share": "50%"}, {"share": "50%"}, {})
    assert found["instalments[2].amount"].endswith("the amounts and shares already make up the total 100.01")


def test_errors_name_the_full_path_in_a_whole_agreement():
    data = agreement_data()
    data["fees"]["instalments"][1] = {"label": "第二期款", "share": "40%", "amount": "38400.00", "trigger": "第一阶段后"}
    assert validation_problems(TrainingAgreement, data) == {
        "fees.instalments[1].share": "give an amount or a share, not both"
    }


def test_a_computed_model_dumps_as_written_and_validates_back_to_itself():
    fees = Fees.model_validate(fees_data("100.00", {"share": "30%"}, {"amount": "20.00"}, {}, {}))
    dumped = fees.model_dump()
    assert [("amount" in i, "share" in i and i["share"] is not None) for i in dumped["instalments"]] == [
        (False, True),
        (True, False),
        (False, False),
        (False, False),
    ]
    assert Fees.model_validate(dumped) == fees
    assert Fees.model_validate_json(fees.model_dump_json()) == fees
    # an already computed model passed in again is not computed twice
    assert Fees.model_validate(fees) is fees
    assert Fees(**{**dict(fees), "instalments": list(fees.instalments)}) == fees


def test_an_instalment_alone_has_no_amount_until_its_fees_compute_one():
    assert Instalment(label="尾款", trigger="结束后").amount is None


# -- properties ----------------------------------------------------------------

KINDS = ("amount", "share", "open")


def _cut(draw, total: int, parts: int, minimum: int) -> list[int]:
    """``total`` as ``parts`` random integers, each at least ``minimum`` (caller checks it fits)."""
    spare = total - parts * minimum
    cuts = sorted(draw(st.lists(st.integers(0, spare), min_size=parts - 1, max_size=parts - 1)))
    return [minimum + b - a for a, b in zip([0, *cuts], [*cuts, spare])]


def _share_text(units: int, draw) -> str:
    share = D(units).scaleb(-6)
    return f"{(share * 100).normalize():f}%" if draw(st.booleans()) else f"{share.normalize():f}"


@st.composite
def plans(draw) -> tuple[int, list[str], list[dict]]:
    """A total in fen, the kind of each instalment, and instalments built so that they validate."""
    total = draw(st.integers(1, 10**14))  # 0.01 … 10^12
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=12))
    n_amount, n_share, n_open = (kinds.count(k) for k in KINDS)
    least_share = -(-MILLION // total)  # units of 0.0001 % that make at least one fen
    if n_open:
        # amounts and shares leave at least a fen for each open instalment
        room = total - n_open
        share_need = -(-n_share * least_share * total // MILLION)  # fen that buy the least shares
        amounts_total = draw(st.integers(n_amount, room - share_need)) if n_amount and room - share_need >= n_amount else 0
        share_fen = draw(st.integers(share_need, room - amounts_total)) if n_share and room - amounts_total >= share_need else 0
        share_units, budget = share_fen * MILLION // total, room - amounts_total - share_fen
    elif n_share and n_amount:
        # amounts A and shares S with A + total × S = total: total − A must be a multiple of `step`
        step = total // gcd(total, MILLION)
        rest = step * draw(st.integers(1, max((total - n_amount) // step, 1)))
        amounts_total, share_units, budget = total - rest, rest * MILLION // total, 0
    else:
        amounts_total, share_units, budget = total, MILLION, 0
    feasible = budget >= 0 and amounts_total >= n_amount and share_units >= n_share * least_share
    if n_share and n_amount and not n_open:
        feasible = feasible and 0 < total - amounts_total < total and share_units < MILLION
    event(f"instalments: {'+'.join(sorted(set(kinds)))}{' (not constructible)' if not feasible else ''}")
    if not feasible:
        return total, kinds, []
    amounts = iter(_cut(draw, amounts_total, n_amount, 1) if n_amount else [])
    shares = iter(_cut(draw, share_units, n_share, least_share) if n_share else [])
    instalments = []
    for kind in kinds:
        spec: dict = {"label": "款项", "trigger": "双方确认后"}
        if kind == "amount":
            spec["amount"] = f"{D(next(amounts)) * FEN}"
        elif kind == "share":
            spec["share"] = _share_text(next(shares), draw)
        instalments.append(spec)
    return total, kinds, instalments


@given(plans())
@settings(max_examples=1000)
def test_every_plan_that_validates_adds_up_exactly(plan):
    total_fen, kinds, instalments = plan
    assume(instalments)  # some mixes cannot be built for some totals (amounts and shares filling an odd total)
    total = D(total_fen) * FEN
    fees = Fees.model_validate(fees_data(f"{total}", *instalments))
    amounts = [i.amount for i in fees.instalments]
    assert sum(amounts) == total
    assert all(a > 0 and a.as_tuple().exponent == -2 for a in amounts)
    for spec, instalment in zip(instalments, fees.instalments, strict=True):
        if "amount" in spec:
            assert instalment.amount == D(spec["amount"])
    shares = [i for i in fees.instalments if i.share is not None]
    for instalment in shares[:-1] if "open" not in kinds else shares:
        assert instalment.amount == round_down_to_fen(total * instalment.share)
    if shares and "open" not in kinds:
        extra = shares[-1].amount - round_down_to_fen(total * shares[-1].share)
        assert D(0) <= extra < len(shares) * FEN  # only the fen lost by rounding
    open_amounts = [i.amount for i, k in zip(fees.instalments, kinds, strict=True) if k == "open"]
    if open_amounts:
        *equal, last = open_amounts
        assert len(set(equal)) <= 1
        assert D(0) <= last - (equal[0] if equal else last) < len(open_amounts) * FEN
    assert Fees.model_validate(fees.model_dump()) == fees


_free_amounts = st.integers(1, 10**14).map(lambda fen: f"{D(fen) * FEN}")
_free_shares = st.integers(0, MILLION + 10).map(lambda units: f"{(D(units).scaleb(-4)).normalize():f}%")
_free_specs = st.one_of(
    st.fixed_dictionaries({"amount": _free_amounts}),
    st.fixed_dictionaries({"share": _free_shares}),
    st.just({}),
    st.fixed_dictionaries({"amount": _free_amounts, "share": _free_shares}),
)


@given(total_fen=st.integers(1, 10**14), specs=st.lists(_free_specs, min_size=1, max_size=12))
@settings(max_examples=500)
def test_any_mix_either_adds_up_or_is_refused_at_an_instalment_path(total_fen, specs):
    total = D(total_fen) * FEN
    try:
        fees = validate(Fees, fees_data(f"{total}", *specs))
    except InputError as error:
        event("refused")
        assert error.problems and all(p.path.startswith("instalments") for p in error.problems)
        return
    event("validates")
    amounts = [i.amount for i in fees.instalments]
    assert sum(amounts) == total and all(a > 0 and a.as_tuple().exponent == -2 for a in amounts)


# -- through the pipeline: YAML → model → DOCX ------------------------------


def _online_with(total: str, instalments_yaml: str) -> str:
    text = ONLINE_EXAMPLE.read_text(encoding="utf-8")
    start = text.index("  instalments:\n")
    end = text.index("  bonus:\n")
    return text.replace("  total: 42000.00", f"  total: {total}").replace(text[start:end], instalments_yaml)


SHARED_PLAN = """\
  instalments:
    - label: 预付款
      share: 30%
      due: 2027-02-28
    - label: 中期款
      trigger: 第四次课程结束后 5 个工作日内
    - label: 尾款
      trigger: 全部课程结束且乙方提交培训效果评估报告后 7 个工作日内
"""


def test_yaml_with_a_share_and_open_instalments_renders_the_computed_amounts():
    agreement = loads(_online_with("1000.01", SHARED_PLAN))
    assert [str(i.amount) for i in agreement.fees.instalments] == ["300.00", "350.00", "350.01"]
    texts = [block.text for block in read_docx_blocks(render(agreement, ["docx"])["docx"])]
    body = "\n".join(texts)
    assert "预付款（培训费用总额的30%）：¥300.00（大写：人民币叁佰元整）" in body
    assert "中期款：¥350.00（大写：人民币叁佰伍拾元整）" in body
    assert "尾款：¥350.01（大写：人民币叁佰伍拾元零壹分）" in body
    assert "预付款（30%）" in texts  # the instalment table's label cell
    assert "人民币叁佰伍拾元零壹分" in texts
    assert "人民币壹仟元零壹分" in texts  # the table's total row


def test_yaml_without_any_amount_splits_100_in_3():
    plan = SHARED_PLAN.replace("      share: 30%\n", "")
    agreement = loads(_online_with("100.00", plan))
    assert [str(i.amount) for i in agreement.fees.instalments] == ["33.33", "33.33", "33.34"]
    body = "\n".join(block.text for block in read_docx_blocks(render(agreement, ["docx"])["docx"]))
    assert "预付款：¥33.33（大写：人民币叁拾叁元叁角叁分）" in body
    assert "尾款：¥33.34（大写：人民币叁拾叁元叁角肆分）" in body
    assert "培训费用总额的" not in body  # no share given, no share mentioned


def test_yaml_errors_about_shares_carry_the_line():
    text = _online_with("100.00", SHARED_PLAN.replace("share: 30%", "share: 130%"))
    with pytest.raises(InputError) as caught:
        loads(text)
    (problem,) = caught.value.problems
    assert problem.path == "fees.instalments[0].share"
    assert problem.line == text.splitlines().index("      share: 130%") + 1
