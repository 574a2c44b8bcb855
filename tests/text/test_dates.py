"""Tests for contractgen.text.dates: babel-backed dates, times, money and numbers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from contractgen.text.dates import (
    babel_locale,
    format_date_long,
    format_decimal_number,
    format_money,
    format_percent,
    format_time,
)

DEC_1 = datetime.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("zh-CN", "2026年12月1日"),
        ("zh-TW", "2026年12月1日"),
        ("zh-HK", "2026年12月1日"),
        ("zh-Hant-TW", "2026年12月1日"),
        ("zh_CN", "2026年12月1日"),
        ("en", "December 1, 2026"),
    ],
)
def test_format_date_long(locale: str, expected: str) -> None:
    assert format_date_long(DEC_1, locale) == expected


def test_format_date_long_no_zero_padding() -> None:
    assert format_date_long(datetime.date(2026, 1, 9), "zh-CN") == "2026年1月9日"


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "expected"),
    [
        ("123456.00", "CNY", "zh-CN", "\u00a5123,456.00"),
        ("123456", "CNY", "zh-CN", "¥123,456.00"),
        ("0.5", "CNY", "zh-CN", "¥0.50"),
        ("123456.00", "CNY", "zh-TW", "CN¥123,456.00"),
        ("123456.00", "CNY", "zh-HK", "CN¥123,456.00"),
        ("123456.00", "CNY", "en", "CN¥123,456.00"),
        ("1234.5", "USD", "en", "$1,234.50"),
        ("1234", "JPY", "zh-CN", "JP¥1,234"),
    ],
)
def test_format_money(amount: str, currency: str, locale: str, expected: str) -> None:
    assert format_money(Decimal(amount), currency, locale) == expected


@pytest.mark.parametrize(
    ("amount", "currency"),
    [("1.005", "CNY"), ("1.015", "CNY"), ("1.5", "JPY"), ("NaN", "CNY"), ("1", "XYZ")],
)
def test_format_money_refuses_rounding_and_unknowns(amount: str, currency: str) -> None:
    with pytest.raises(ValueError):
        format_money(Decimal(amount), currency, "zh-CN")


def test_format_money_rejects_float() -> None:
    with pytest.raises(TypeError):
        format_money(123.45, "CNY", "zh-CN")  # type: ignore[arg-type]


@pytest.mark.parametrize("locale", ["zh-CN", "zh-TW", "zh-HK", "en"])
@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (datetime.time(9, 0), "09:00"),
        (datetime.time(17, 30), "17:30"),
        (datetime.time(0, 5), "00:05"),
    ],
)
def test_format_time_is_24_hour(t: datetime.time, expected: str, locale: str) -> None:
    assert format_time(t, locale) == expected


@pytest.mark.parametrize(
    ("x", "expected"),
    [("1.5", "1.5"), ("1.50", "1.5"), ("8", "8"), ("1234.5", "1,234.5"), ("1.23456", "1.23456")],
)
def test_format_decimal_number(x: str, expected: str) -> None:
    assert format_decimal_number(Decimal(x), "zh-CN") == expected


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("0.06", "6%"), ("0.065", "6.5%"), ("0.0625", "6.25%"), ("1", "100%"), ("0", "0%")],
)
def test_format_percent(rate: str, expected: str) -> None:
    assert format_percent(Decimal(rate), "zh-CN") == expected


@pytest.mark.parametrize("func", [format_decimal_number, format_percent])
def test_number_helpers_reject_float_and_nan(func) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError):
        func(0.06, "zh-CN")
    with pytest.raises(ValueError):
        func(Decimal("NaN"), "zh-CN")


@pytest.mark.parametrize("locale", ["xx-YY", "zh-CN-foo", ""])
def test_unknown_locale_is_value_error(locale: str) -> None:
    with pytest.raises(ValueError):
        format_date_long(DEC_1, locale)


def test_babel_locale_is_cached_and_parsed_from_bcp47() -> None:
    first = babel_locale("zh-TW")
    assert first is babel_locale("zh-TW")
    assert (first.language, first.script, first.territory) == ("zh", "Hant", "TW")
