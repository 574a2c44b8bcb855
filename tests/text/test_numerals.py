"""Tests for contractgen.text.numerals: Chinese numerals and clause labels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractgen.text.numerals import (
    article_label,
    chapter_label,
    chinese_numeral,
    item_label,
    list_item_label,
    sub_item_label,
    sub_sub_item_label,
)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "一"),
        (2, "二"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (111, "一百一十一"),
        (200, "二百"),
        (1000, "一千"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (1100, "一千一百"),
        (2024, "二千零二十四"),
        (9999, "九千九百九十九"),
    ],
)
def test_chinese_numeral(n: int, expected: str) -> None:
    assert chinese_numeral(n) == expected


@pytest.mark.parametrize("n", [0, -1, 10000])
def test_chinese_numeral_out_of_range(n: int) -> None:
    with pytest.raises(ValueError):
        chinese_numeral(n)


@pytest.mark.parametrize("n", [1.0, "1", True])
def test_chinese_numeral_rejects_non_int(n: object) -> None:
    with pytest.raises(TypeError):
        chinese_numeral(n)  # type: ignore[arg-type]


_READ_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_READ_UNITS = {"十": 10, "百": 100, "千": 1000}


def _read_numeral(text: str) -> int:
    """Independent reader: a unit scales the digit before it, 1 when there is none (十一)."""
    total = digit = 0
    for char in text:
        if char in _READ_DIGITS:
            digit = _READ_DIGITS[char]
        else:
            total += (digit or 1) * _READ_UNITS[char]
            digit = 0
    return total + digit


@given(st.integers(1, 9999))
def test_chinese_numeral_round_trips(n: int) -> None:
    text = chinese_numeral(n)
    assert _read_numeral(text) == n
    assert "零零" not in text and not text.endswith("零")


def test_labels() -> None:
    assert article_label(11) == "第十一条"
    assert article_label(1) == "第一条"
    assert chapter_label(1) == "第一章"
    assert chapter_label(12) == "第十二章"
    assert item_label(1) == "（一）"
    assert item_label(10) == "（十）"
    assert sub_item_label(1) == "1."
    assert sub_item_label(12) == "12."
    assert sub_sub_item_label(1) == "(1)"
    assert sub_sub_item_label(12) == "(12)"


def test_item_label_uses_full_width_parentheses() -> None:
    label = item_label(3)
    assert (label[0], label[-1]) == ("\uff08", "\uff09")


@pytest.mark.parametrize(
    ("level", "n", "expected"),
    [(1, 1, "（一）"), (1, 3, "（三）"), (2, 3, "3."), (3, 3, "(3)"), (2, 20, "20.")],
)
def test_list_item_label(level: int, n: int, expected: str) -> None:
    assert list_item_label(level, n) == expected


@pytest.mark.parametrize("level", [0, 4, -1])
def test_list_item_label_rejects_unknown_level(level: int) -> None:
    with pytest.raises(ValueError):
        list_item_label(level, 1)


@pytest.mark.parametrize(
    "label", [article_label, chapter_label, item_label, sub_item_label, sub_sub_item_label]
)
def test_labels_reject_zero(label) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        label(0)
