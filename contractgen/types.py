"""Shared annotated types: checked text, money, rates, codes.

Every free-text field of every model uses :data:`Text` or :data:`Line`, so
control characters, bidi overrides and other invisible tricks are rejected
once, here, with the position of the offending character.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer

# Characters that could silently change what a contract says or corrupt a file.
_BIDI_CONTROLS = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | {0x200E, 0x200F}
_RESERVED = {0x2028, 0x2029}  # used internally as line separators


def _forbidden_reason(char: str) -> str | None:
    code = ord(char)
    if char == "\n":
        return None
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return "control character"
    if code in _BIDI_CONTROLS:
        return "bidirectional override"
    if code in _RESERVED:
        return "line/paragraph separator"
    if 0xD800 <= code <= 0xDFFF or (code & 0xFFFE) == 0xFFFE or 0xFDD0 <= code <= 0xFDEF:
        return "non-character"
    if unicodedata.category(char) == "Co":
        return "private-use character"
    if unicodedata.category(char) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return "invisible formatting character"  # zero-width space, soft hyphen, BOM, variation selector…
    return None


def check_text(value: str) -> str:
    """Reject invisible or dangerous characters, naming the first one and its position; trim the edges.

    Whitespace at either end (spaces, 全角空格, the line break a YAML block
    scalar ends with) is removed: where a value starts a paragraph or a cell it
    would vanish anyway, and inside a sentence it would split it.
    """
    for position, char in enumerate(value, start=1):
        reason = _forbidden_reason(char)
        if reason:
            raise ValueError(f"{reason} U+{ord(char):04X} at position {position} is not allowed")
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


def check_single_line(value: str) -> str:
    if "\n" in value:
        raise ValueError("must be a single line (no line breaks)")
    return value


Text = Annotated[str, AfterValidator(check_text), Field(min_length=1, max_length=4000)]
"""Free text; ``\\n`` is kept and becomes a real line break in the output."""

Line = Annotated[
    str, AfterValidator(check_text), AfterValidator(check_single_line), Field(min_length=1, max_length=300)
]
"""A single line of text: names, addresses, places."""

MAX_MONEY_DIGITS = 15
"""Digits before the decimal point an amount may have (up to 999 万亿 yuan)."""
_MONEY_PATTERN = re.compile(r"^[+]?(?P<units>\d+)(\.\d{1,2})?$")
_GROUPED = re.compile(r"^[+]?\d{1,3}(,\d{3})+(\.\d+)?$")
"""Commas are accepted only as thousands separators: ``96,000.00``, never ``12,50``."""


def _money_from_text(value: str) -> Decimal:
    """Digits, at most two decimal places, commas only between groups of three."""
    text = value.strip()
    if "," in text:
        if not _GROUPED.match(text):
            raise ValueError(
                f"{value!r} is not an amount: a comma may only separate thousands (96,000.00); "
                "write the decimal point as '.'"
            )
        text = text.replace(",", "")
    match = _MONEY_PATTERN.match(text)
    if not match:
        raise ValueError(
            f"{value!r} is not an amount: write digits with at most two decimal places, e.g. 12000.00"
        )
    if len(match["units"].lstrip("0")) > MAX_MONEY_DIGITS:
        raise ValueError(f"{value!r} is too large: an amount has at most {MAX_MONEY_DIGITS} digits before the point")
    return Decimal(text)


def parse_money(value: Any) -> Decimal:
    """Money from a string, int or Decimal: never through a float, at most two places, never rounded."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError("money must be written as a decimal number such as 12000.00, not a float")
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, str):
        value = _money_from_text(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValueError("money must be a finite decimal number")
    if value < 0:
        raise ValueError(f"{value} is negative; an amount cannot be")
    if value >= Decimal(10) ** MAX_MONEY_DIGITS:
        raise ValueError(f"{value} is too large: an amount has at most {MAX_MONEY_DIGITS} digits before the point")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"{value} has more than two decimal places (fen)")
    return value.quantize(Decimal("0.01"))


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise ValueError("must be greater than 0")
    return value


Money = Annotated[
    Decimal,
    BeforeValidator(parse_money),
    PlainSerializer(lambda v: f"{v:.2f}", return_type=str, when_used="json"),
]
PositiveMoney = Annotated[Money, AfterValidator(_positive)]


def parse_rate(value: Any) -> Decimal:
    """A rate as a fraction (0.06) or a percentage string ("6%")."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError("write a rate as a decimal such as 0.06 or a percentage such as 6%")
    try:
        if isinstance(value, str) and value.strip().endswith("%"):
            rate = Decimal(value.strip()[:-1]) / 100
        else:
            rate = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a rate: write 0.06 or 6%") from None
    if not rate.is_finite() or not Decimal(0) <= rate <= Decimal(1):
        raise ValueError("a rate must lie between 0 and 1 (0% and 100%)")
    return rate.normalize() if rate else Decimal(0)


Rate = Annotated[Decimal, BeforeValidator(parse_rate), PlainSerializer(str, return_type=str, when_used="json")]

# GB 32100-2015: 18 characters from this alphabet, the last a check character.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a code."""
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def check_credit_code(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 18:
        raise ValueError(f"a unified social credit code has 18 characters, this one has {len(code)}")
    for position, char in enumerate(code, start=1):
        if char not in CREDIT_CODE_ALPHABET:
            raise ValueError(f"character {char!r} at position {position} cannot appear in a credit code")
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValueError(f"check character is {code[17]!r} but GB 32100 gives {expected!r}: a typo?")
    return code


CreditCode = Annotated[str, AfterValidator(check_credit_code)]

_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,22}[0-9]$")


def check_phone(value: str) -> str:
    if not _PHONE.match(value.strip()):
        raise ValueError(f"{value!r} is not a phone number (digits, spaces, '-', '()' and a leading '+')")
    return value.strip()


Phone = Annotated[str, AfterValidator(check_phone)]

_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")


def check_email(value: str) -> str:
    if not _EMAIL.match(value.strip()):
        raise ValueError(f"{value!r} is not an e-mail address")
    return value.strip()


Email = Annotated[str, AfterValidator(check_email)]

Hours = Annotated[Decimal, Field(gt=0, le=10000, decimal_places=1)]
"""Teaching hours, at most one decimal place (1.5)."""
