"""Lowercase Chinese numerals and the labels of chapters, articles and list items."""

from __future__ import annotations

from collections.abc import Callable

_DIGITS = "零一二三四五六七八九"
_UNITS = ("", "十", "百", "千")
MAX_NUMERAL = 9999


def chinese_numeral(n: int) -> str:
    """Write 1 <= n <= 9999 in lowercase Chinese: 11 → 十一, 2024 → 二千零二十四.

    A leading 一十 is shortened to 十 only when the number starts at the tens
    (十一); inside a larger number it stays (一百一十).  二 is used, not 两.
    """
    _check_positive(n, upper=MAX_NUMERAL)
    text = ""
    pending_zero = False
    for position in range(3, -1, -1):
        digit = n // 10**position % 10
        if digit == 0:
            pending_zero = bool(text)
            continue
        if pending_zero:
            text += _DIGITS[0]
        text += _DIGITS[digit] + _UNITS[position]
        pending_zero = False
    return text[1:] if 10 <= n <= 19 else text


def chapter_label(n: int) -> str:
    """第一章."""
    return f"第{chinese_numeral(n)}章"


def article_label(n: int) -> str:
    """第十一条."""
    return f"第{chinese_numeral(n)}条"


def item_label(n: int) -> str:
    """（一） with full-width parentheses (level 1 list items)."""
    return f"（{chinese_numeral(n)}）"


def sub_item_label(n: int) -> str:
    """1. (level 2 list items)."""
    _check_positive(n)
    return f"{n}."


def sub_sub_item_label(n: int) -> str:
    """(1) with ASCII parentheses (level 3 list items)."""
    _check_positive(n)
    return f"({n})"


_LIST_LEVELS: dict[int, Callable[[int], str]] = {
    1: item_label,
    2: sub_item_label,
    3: sub_sub_item_label,
}


def list_item_label(level: int, n: int) -> str:
    """Label of the n-th item at list nesting ``level`` 1, 2 or 3: （一）, 1., (1)."""
    try:
        label = _LIST_LEVELS[level]
    except KeyError:
        raise ValueError(f"list level must be 1, 2 or 3, got {level!r}") from None
    return label(n)


def _check_positive(n: int, upper: int | None = None) -> None:
    """bool is an int subclass but never a valid count, so it is refused too."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"expected an int, got {type(n).__name__}")
    if n < 1 or (upper is not None and n > upper):
        bound = f"1..{upper}" if upper is not None else ">= 1"
        raise ValueError(f"number must be {bound}, got {n}")
