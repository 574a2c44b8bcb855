"""Locale-aware dates, times, money and numbers through babel, for BCP-47 locale tags."""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from contractgen.text.amount import to_minor_units


@functools.cache
def babel_locale(tag: str) -> Locale:
    """Parse a BCP-47-ish tag ("zh-CN", "zh-Hant-TW", "en") into a cached babel Locale.

    Parsing walks CLDR data, and these helpers run once per rendered value,
    so the Locale objects are cached.  Errors are raised as ValueError.
    """
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError) as exc:
        raise ValueError(f"unknown or malformed locale {tag!r}") from exc


def format_date_long(d: datetime.date, locale: str) -> str:
    """CLDR long date: zh-CN/zh-TW/zh-HK "2026年12月1日", en "December 1, 2026"."""
    return babel_dates.format_date(d, format="long", locale=babel_locale(locale))


def format_time(t: datetime.time, locale: str) -> str:
    """Always 24-hour "HH:mm" ("09:00"), whatever the locale's own short format.

    CLDR's short time for zh-TW/zh-HK/en is 12-hour ("上午9:00", "9:00 AM"
    with a narrow no-break space); a contract wants one unambiguous clock.
    """
    return babel_dates.format_time(t, "HH:mm", locale=babel_locale(locale))


def format_money(amount: Decimal, currency: str, locale: str) -> str:
    """Amount with currency symbol, e.g. zh-CN CNY → "¥123,456.00" (U+00A5).

    babel rounds half-even to the currency's digits without a word; here an
    amount with more decimals than the currency has (CNY 2, JPY 0) is a
    ValueError instead, so figures can never disagree with the uppercase.
    """
    _check_currency(currency)
    to_minor_units(amount, babel_numbers.get_currency_precision(currency))
    return babel_numbers.format_currency(amount, currency, locale=babel_locale(locale))


def format_decimal_number(x: Decimal, locale: str) -> str:
    """A plain number ("1.5", "1,234.5") with every significant decimal kept.

    babel's default pattern would round to 3 places; trailing zeros are dropped.
    """
    _check_decimal(x)
    return babel_numbers.format_decimal(
        x, locale=babel_locale(locale), decimal_quantization=False
    )


def format_percent(rate: Decimal, locale: str) -> str:
    """A rate as a percentage: 0.06 → "6%", 0.065 → "6.5%".

    babel's default pattern has no decimals and rounds half-even, so 0.065
    would come out as "6%"; quantization is switched off to keep it exact.
    """
    _check_decimal(rate)
    return babel_numbers.format_percent(
        rate, locale=babel_locale(locale), decimal_quantization=False
    )


def _check_currency(currency: str) -> None:
    if not babel_numbers.is_currency(currency):
        raise ValueError(f"unknown ISO 4217 currency code {currency!r}")


def _check_decimal(x: Decimal) -> None:
    """Floats are refused: their binary value is not the decimal the user wrote."""
    if not isinstance(x, Decimal):
        raise TypeError(f"expected a decimal.Decimal, got {type(x).__name__}")
    if not x.is_finite():
        raise ValueError(f"expected a finite number, got {x}")
