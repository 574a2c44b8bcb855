import re
from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from contractgen.types import (
    CreditCode,
    Line,
    Money,
    Rate,
    Text,
    check_credit_code,
    credit_code_check_char,
)

money = TypeAdapter(Money)
rate = TypeAdapter(Rate)
text = TypeAdapter(Text)
line = TypeAdapter(Line)


@pytest.mark.parametrize(
    "code",
    [
        "91330106MA2J7K3Q80",
        "91350100M000100Y43",  # a published code (Fujian), letters inside
        "N1330100MA2B3C4D59",  # a letter in position 1 is legal (agricultural cooperative)
    ],
)
def test_valid_credit_codes_pass(code):
    assert check_credit_code(code) == code


def test_credit_code_check_character_is_verified():
    with pytest.raises(ValueError, match="check character is '1' but GB 32100 gives '0'"):
        check_credit_code("91330106MA2J7K3Q81")


@pytest.mark.parametrize(("code", "message"), [("9133010", "has 7"), ("91330106MA2J7K3QI0", "'I' at position 17")])
def test_credit_code_shape_errors(code, message):
    with pytest.raises(ValueError, match=message):
        check_credit_code(code)


def test_credit_code_is_upper_cased():
    assert TypeAdapter(CreditCode).validate_python("91330106ma2j7k3q80") == "91330106MA2J7K3Q80"


def test_check_character_can_be_zero():
    # (31 - sum % 31) % 31 == 0 → '0', the case a naive implementation gets wrong
    first17 = next(
        f"9133010{n:010d}" for n in range(10_000) if credit_code_check_char(f"9133010{n:010d}") == "0"
    )
    assert check_credit_code(first17 + "0")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12345678901234.89", Decimal("12345678901234.89")), ("96,000.00", Decimal("96000.00")), (12, Decimal("12.00")), ("0012", Decimal("12.00"))],
)
def test_money_is_exact(raw, expected):
    value = money.validate_python(raw)
    assert value == expected and value.as_tuple().exponent == -2


@pytest.mark.parametrize("raw", [1.5, "1e3", "12.345", "NaN", "-", "¥12", True])
def test_money_rejects_floats_exponents_and_fractions_of_fen(raw):
    with pytest.raises(ValidationError):
        money.validate_python(raw)


@pytest.mark.parametrize(("raw", "expected"), [("6%", Decimal("0.06")), ("0.05%", Decimal("0.0005")), ("0.13", Decimal("0.13"))])
def test_rates(raw, expected):
    assert rate.validate_python(raw) == expected


@pytest.mark.parametrize("raw", ["120%", "-1%", "six"])
def test_bad_rates(raw):
    with pytest.raises(ValidationError):
        rate.validate_python(raw)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ab\x00c", "control character U+0000 at position 3"),
        ("ab\x0bc", "U+000B at position 3"),
        ("\x1b[31m", "U+001B at position 1"),
        ("x\ufffe", "non-character U+FFFE at position 2"),
        ("甲方\u202e乙方", "bidirectional override U+202E at position 3"),
        ("   ", "must not be empty"),
    ],
)
def test_text_rejects_invisible_characters_with_position(value, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        text.validate_python(value)


def test_text_keeps_newlines_but_line_does_not():
    assert text.validate_python("第一行\n第二行") == "第一行\n第二行"
    with pytest.raises(ValidationError, match="single line"):
        line.validate_python("第一行\n第二行")
