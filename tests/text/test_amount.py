"""Tests for contractgen.text.amount: uppercase RMB and amounts in figures."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contractgen.text.amount import (
    format_amount_figures,
    rmb_uppercase,
    to_minor_units,
)

# PBOC worked examples and the rules the brief pins down.
UPPERCASE_CASES = [
    ("1409.50", "壹仟肆佰零玖元伍角"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
    ("107000.53", "壹拾万柒仟元零伍角叁分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("100010000", "壹亿零壹万元整"),
    ("123456.00", "壹拾贰万叁仟肆佰伍拾陆元整"),
    ("1000000", "壹佰万元整"),
    ("100000000", "壹亿元整"),
    ("10000.00", "壹万元整"),
    ("200000.10", "贰拾万元零壹角"),
    ("1010", "壹仟零壹拾元整"),
    ("100100", "壹拾万零壹佰元整"),
    ("10", "壹拾元整"),
    ("100000", "壹拾万元整"),
    ("0", "零元整"),
    ("0.00", "零元整"),
    ("0.50", "伍角"),
    ("0.05", "伍分"),
    ("0.55", "伍角伍分"),
    ("1", "壹元整"),
    ("1680.02", "壹仟陆佰捌拾元零贰分"),
    ("1E+3", "壹仟元整"),
    ("1.500", "壹元伍角"),
    ("-0.00", "零元整"),
    ("1000000000000", "壹万亿元整"),
    ("1000100000000", "壹万零壹亿元整"),
    ("1000010000000", "壹万亿零壹仟万元整"),
    ("1000000000001", "壹万亿零壹元整"),
    (
        "9999999999999999.99",
        "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
    ),
]

HANT_CASES = [
    ("16409.02", "壹萬陸仟肆佰零玖圓零貳分"),
    ("123456.00", "壹拾貳萬參仟肆佰伍拾陸圓整"),
    ("100010000", "壹億零壹萬圓整"),
    ("1680.32", "壹仟陸佰捌拾圓零參角貳分"),
    ("0", "零圓整"),
    ("0.55", "伍角伍分"),
]


@pytest.mark.parametrize(("amount", "expected"), UPPERCASE_CASES)
def test_rmb_uppercase_examples(amount: str, expected: str) -> None:
    assert rmb_uppercase(Decimal(amount)) == expected


@pytest.mark.parametrize(("amount", "expected"), HANT_CASES)
def test_rmb_uppercase_traditional(amount: str, expected: str) -> None:
    assert rmb_uppercase(Decimal(amount), variant="zh-Hant") == expected


def test_rmb_uppercase_ignores_decimal_context() -> None:
    """A low global precision must not round the amount (the arithmetic is integer)."""
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        assert rmb_uppercase(Decimal("1680.32")) == "壹仟陆佰捌拾元零叁角贰分"


@pytest.mark.parametrize(
    "amount",
    ["-0.01", "-1", "0.001", "1.005", "10000000000000000", "9999999999999999.995", "1E+20"],
)
def test_rmb_uppercase_rejects_out_of_range_or_too_precise(amount: str) -> None:
    with pytest.raises(ValueError):
        rmb_uppercase(Decimal(amount))


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_rmb_uppercase_rejects_non_finite(amount: str) -> None:
    with pytest.raises(ValueError):
        rmb_uppercase(Decimal(amount))


@pytest.mark.parametrize("amount", [1.5, 100, "100"])
def test_rmb_uppercase_rejects_non_decimal(amount: object) -> None:
    with pytest.raises(TypeError):
        rmb_uppercase(amount)  # type: ignore[arg-type]


def test_rmb_uppercase_rejects_unknown_variant() -> None:
    with pytest.raises(ValueError, match="zh-Hans"):
        rmb_uppercase(Decimal("1"), variant="zh-TW")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("123456.00", "123,456.00"),
        ("123456", "123,456.00"),
        ("0", "0.00"),
        ("0.5", "0.50"),
        ("999.99", "999.99"),
        ("1000", "1,000.00"),
        ("1234567890123456.78", "1,234,567,890,123,456.78"),
        ("-1234.5", "-1,234.50"),
        ("-0.00", "0.00"),
        ("1E+3", "1,000.00"),
        ("2.500", "2.50"),
    ],
)
def test_format_amount_figures(amount: str, expected: str) -> None:
    assert format_amount_figures(Decimal(amount)) == expected


@pytest.mark.parametrize("amount", ["0.001", "1.005", "NaN", "Infinity"])
def test_format_amount_figures_rejects(amount: str) -> None:
    with pytest.raises(ValueError):
        format_amount_figures(Decimal(amount))


def test_format_amount_figures_rejects_float() -> None:
    with pytest.raises(TypeError):
        format_amount_figures(0.1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "places", "expected"),
    [("1.23", 2, 123), ("1", 2, 100), ("1E+2", 0, 100), ("-0.5", 1, -5), ("12.300", 2, 1230)],
)
def test_to_minor_units(amount: str, places: int, expected: int) -> None:
    assert to_minor_units(Decimal(amount), places) == expected


# --- property tests with an independent parser -----------------------------

_PARSE_DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_PARSE_DIGITS.update({c: i for i, c in enumerate("零壹貳參肆伍陸柒捌玖")})
_PARSE_SMALL = {"拾": 10, "佰": 100, "仟": 1000}
_PARSE_WAN = {"万", "萬"}
_PARSE_YI = {"亿", "億"}
_PARSE_YUAN = {"元", "圓"}


def parse_uppercase(text: str) -> Decimal:
    """Read an uppercase RMB amount back into a Decimal (test oracle, not shared code).

    Accumulates like a reader would: 拾佰仟 scale the last digit into the
    current section, 万 scales the section, 亿 moves everything so far up
    eight places; 零 only separates and carries no value.
    """
    total = section = digit = 0
    yuan = jiao = fen = 0
    for char in text:
        if char in _PARSE_DIGITS:
            digit = _PARSE_DIGITS[char]
        elif char in _PARSE_SMALL:
            assert digit, f"unit {char} without a digit in {text}"
            section += digit * _PARSE_SMALL[char]
            digit = 0
        elif char in _PARSE_WAN:
            section = (section + digit) * 10**4
            digit = 0
        elif char in _PARSE_YI:
            total = (total + section + digit) * 10**8
            section = digit = 0
        elif char in _PARSE_YUAN:
            yuan, total, section, digit = total + section + digit, 0, 0, 0
        elif char == "角":
            jiao, digit = digit, 0
        elif char == "分":
            fen, digit = digit, 0
        elif char == "整":
            pass
        else:
            raise AssertionError(f"unexpected character {char!r} in {text}")
    assert digit == 0 and section == 0 and total == 0, f"dangling digits in {text}"
    return Decimal(yuan) + Decimal(jiao) / 10 + Decimal(fen) / 100


def _from_cents(cents: int) -> Decimal:
    return Decimal(f"{cents // 100}.{cents % 100:02d}")


# Integer parts with long zero runs are the hard cases; mix them in on purpose.
_sparse_cents = st.builds(
    lambda digits, fraction: int("".join(digits) or "0") * 100 + fraction,
    st.lists(st.sampled_from("0000000123456789"), max_size=12),
    st.sampled_from([0, 1, 5, 10, 50, 55, 99]) | st.integers(0, 99),
)
_cents = st.integers(0, 10**14) | _sparse_cents
_wide_cents = st.integers(0, 10**18 - 1)  # the whole supported range, up to 万亿


@settings(max_examples=500)
@given(_cents, st.sampled_from(["zh-Hans", "zh-Hant"]))
def test_round_trip_up_to_a_trillion(cents: int, variant: str) -> None:
    amount = _from_cents(cents)
    assert parse_uppercase(rmb_uppercase(amount, variant)) == amount


@settings(max_examples=300)
@given(_wide_cents)
def test_round_trip_whole_range(cents: int) -> None:
    amount = _from_cents(cents)
    assert parse_uppercase(rmb_uppercase(amount)) == amount


@settings(max_examples=500)
@given(_cents | _wide_cents)
def test_uppercase_zero_and_zheng_rules(cents: int) -> None:
    text = rmb_uppercase(_from_cents(cents))
    assert "零零" not in text
    assert not text.endswith("零")
    assert not ("分" in text and "整" in text), "整 never follows 分"
    assert text.endswith("整") == (cents % 100 == 0), "整 exactly when no 角/分"
    if text != "零元整":
        assert not text.startswith("零")
        for unit in ("零元", "零万", "零亿", "零拾", "零佰", "零仟", "零角"):
            assert unit not in text, f"{unit} in {text}"


def _expected_integer_zeros(yuan: int) -> int:
    """How many 零 the integer part needs, counted digit by digit (test oracle).

    Each run of zeros between two non-zero digits is one 零, except a run that
    closes a 4-digit group begun by the digit before it (壹拾万柒仟: silent).
    """
    digits = str(yuan)
    top = len(digits) - 1
    count = 0
    last_nonzero: int | None = None  # position (power of ten) of the last non-zero digit
    for index, char in enumerate(digits):
        position = top - index
        if char == "0":
            continue
        if last_nonzero is not None and last_nonzero - position > 1:
            lowest_zero = position + 1
            silent = lowest_zero % 4 == 0 and last_nonzero // 4 == lowest_zero // 4
            count += not silent
        last_nonzero = position
    return count


@settings(max_examples=500)
@given(_cents | _wide_cents, st.sampled_from(["zh-Hans", "zh-Hant"]))
def test_uppercase_zero_placement(cents: int, variant: str) -> None:
    yuan, rest = divmod(cents, 100)
    jiao = rest // 10
    text = rmb_uppercase(_from_cents(cents), variant)
    yuan_char = "元" if variant == "zh-Hans" else "圓"
    if yuan == 0:
        assert yuan_char not in text or text == "零" + yuan_char + "整"
        return
    integer_part, tail = text.split(yuan_char)
    assert integer_part.count("零") == _expected_integer_zeros(yuan)
    needs_zero = rest != 0 and (jiao == 0 or yuan % 10 == 0)
    assert tail.startswith("零") == needs_zero, "零 after 元 per the PBOC rule"
