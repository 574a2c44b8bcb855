"""Money amounts in figures and in uppercase RMB (人民币大写) by the PBOC rules."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict


class Glyphs(TypedDict):
    """The characters one script variant writes an uppercase amount with."""

    digits: str  # ten characters, 0..9
    small_units: tuple[str, str, str]  # tens, hundreds, thousands within a 4-digit group
    wan: str
    yi: str
    yuan: str
    jiao: str
    fen: str
    zheng: str


# One dict per variant: supporting another script is a data change only.
VARIANTS: dict[str, Glyphs] = {
    "zh-Hans": Glyphs(
        digits="零壹贰叁肆伍陆柒捌玖",
        small_units=("拾", "佰", "仟"),
        wan="万",
        yi="亿",
        yuan="元",
        jiao="角",
        fen="分",
        zheng="整",
    ),
    "zh-Hant": Glyphs(
        digits="零壹貳參肆伍陸柒捌玖",
        small_units=("拾", "佰", "仟"),
        wan="萬",
        yi="億",
        yuan="圓",
        jiao="角",
        fen="分",
        zheng="整",
    ),
}

MAX_UPPERCASE_AMOUNT = Decimal("9999999999999999.99")
"""Largest amount :func:`rmb_uppercase` writes (just under 一亿亿, i.e. up to 万亿)."""


def to_minor_units(amount: Decimal, places: int = 2) -> int:
    """Return ``amount`` as an exact integer count of 10**-places units (cents by default).

    Pure integer arithmetic on the Decimal's digits, so the result does not
    depend on the active decimal context (its precision or rounding).  Raises
    ValueError when the amount has non-zero digits beyond ``places`` decimals:
    money is never rounded silently here, the caller rounds first.
    """
    if not isinstance(amount, Decimal):
        raise TypeError(f"amount must be a decimal.Decimal, not {type(amount).__name__}")
    if not amount.is_finite():
        raise ValueError(f"amount must be finite, got {amount}")
    sign, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)  # finite, checked above
    coefficient = int("".join(map(str, digits)))
    shift = exponent + places
    if shift >= 0:
        units = coefficient * 10**shift
    else:
        units, remainder = divmod(coefficient, 10**-shift)
        if remainder:
            raise ValueError(
                f"amount {amount} has more than {places} decimal places; round it first"
            )
    return -units if sign else units


def format_amount_figures(amount: Decimal) -> str:
    """Format ``amount`` as ``123,456.00``: thousands separators, exactly two places."""
    cents = to_minor_units(amount)
    sign = "-" if cents < 0 else ""
    yuan, fen = divmod(abs(cents), 100)
    return f"{sign}{yuan:,}.{fen:02d}"


def rmb_uppercase(amount: Decimal, variant: str = "zh-Hans") -> str:
    """Write ``amount`` in uppercase RMB, e.g. 1680.32 → 壹仟陆佰捌拾元零叁角贰分.

    Follows 《正确填写票据和结算凭证的基本规定》; where it allows a choice this
    writes 零 after 元 when the 元 digit is 0 and a 角 follows, no 零 for zeros
    at the end of a 万/亿 group (壹拾万柒仟), and no 整 after 角.
    """
    glyphs = _glyphs(variant)
    cents = _checked_cents(amount)
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    if cents == 0:
        return glyphs["digits"][0] + glyphs["yuan"] + glyphs["zheng"]
    if yuan == 0:
        return _small_change(jiao, fen, glyphs)
    head = _integer_uppercase(yuan, glyphs) + glyphs["yuan"]
    if rest == 0:
        return head + glyphs["zheng"]
    return head + _fraction_after_yuan(yuan, jiao, fen, glyphs)


def _glyphs(variant: str) -> Glyphs:
    try:
        return VARIANTS[variant]
    except KeyError:
        known = ", ".join(sorted(VARIANTS))
        raise ValueError(f"unknown variant {variant!r}; known: {known}") from None


def _checked_cents(amount: Decimal) -> int:
    """Validate the range (compared before any arithmetic) and return cents."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"amount must be a decimal.Decimal, not {type(amount).__name__}")
    if amount.is_finite() and amount < 0:
        raise ValueError(f"amount must not be negative, got {amount}")
    if amount.is_finite() and amount > MAX_UPPERCASE_AMOUNT:
        raise ValueError(f"amount {amount} exceeds {MAX_UPPERCASE_AMOUNT}")
    return abs(to_minor_units(amount))  # abs: Decimal("-0.00") is zero, not negative


def _small_change(jiao: int, fen: int, glyphs: Glyphs) -> str:
    """Amounts under one yuan: 伍角, 伍分, 伍角伍分 (no leading 零元)."""
    digits = glyphs["digits"]
    text = digits[jiao] + glyphs["jiao"] if jiao else ""
    return text + (digits[fen] + glyphs["fen"] if fen else "")


def _fraction_after_yuan(yuan: int, jiao: int, fen: int, glyphs: Glyphs) -> str:
    """The 角/分 tail after ``…元``, with the PBOC 零 between them where needed."""
    digits = glyphs["digits"]
    if jiao == 0:  # 零 before 分 is mandatory when 角 is 0
        return digits[0] + digits[fen] + glyphs["fen"]
    zero = digits[0] if yuan % 10 == 0 else ""
    text = zero + digits[jiao] + glyphs["jiao"]
    return text + (digits[fen] + glyphs["fen"] if fen else "")


def _integer_uppercase(n: int, glyphs: Glyphs) -> str:
    """Write 1 <= n < 10**16 in 4-digit groups (个, 万, 亿, 万亿).

    One 零 stands for any run of skipped places between two written digits,
    except that zeros closing a group are silent (壹拾万柒仟, 壹亿零壹万).
    """
    groups = _groups_of_four(n)  # most significant first
    suffixes = _group_suffixes(groups, glyphs)
    parts: list[str] = []
    pending_zero = False
    for group, suffix in zip(groups, suffixes):
        if group == 0:
            pending_zero = bool(parts)
            continue
        if parts and (pending_zero or group < 1000):
            parts.append(glyphs["digits"][0])
        parts.append(_group_uppercase(group, glyphs) + suffix)
        pending_zero = False
    return "".join(parts)


def _groups_of_four(n: int) -> list[int]:
    groups: list[int] = []
    while n:
        n, group = divmod(n, 10_000)
        groups.append(group)
    return groups[::-1]


def _group_suffixes(groups: list[int], glyphs: Glyphs) -> list[str]:
    """Suffix per group: '', 万, 亿, then 万 (万亿 when the 亿 group is 0: 壹万亿)."""
    wan, yi = glyphs["wan"], glyphs["yi"]
    by_position = ["", wan, yi, wan]
    suffixes = by_position[: len(groups)][::-1]
    if len(groups) == 4 and groups[1] == 0:
        suffixes[0] = wan + yi
    return suffixes


def _group_uppercase(group: int, glyphs: Glyphs) -> str:
    """Write 1 <= group <= 9999 without leading zeros; 10 is 壹拾, not 拾."""
    digits = glyphs["digits"]
    units = ("", *glyphs["small_units"])
    text = ""
    pending_zero = False
    for position in range(3, -1, -1):
        digit = group // 10**position % 10
        if digit == 0:
            pending_zero = bool(text)
            continue
        if pending_zero:
            text += digits[0]
        text += digits[digit] + units[position]
        pending_zero = False
    return text
