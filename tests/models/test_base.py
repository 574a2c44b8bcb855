"""The shared model machinery: validating a part alone, unique names, checks across parts."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import Field, ValidationError

from contractgen.models.base import (
    INVALID,
    CrossFieldChecks,
    DocumentModel,
    Model,
    check_unique,
    validate_part,
)


class Item(Model):
    name: str
    size: int = 0


def _check_sizes(checks: CrossFieldChecks, first: Item, second: Item) -> None:
    checks.require(first.size <= second.size, ("second", "size"), "second is smaller than first")


class Pair(DocumentModel):
    kind: Literal["pair"] = "pair"
    first: Item
    second: Item = Field(default_factory=lambda: Item(name="default", size=5))
    note: str | None = None

    cross_checks = ((_check_sizes, ("first", "second")),)


def test_validate_part_gives_the_value_the_default_or_invalid():
    assert validate_part(Pair, "first", {"first": {"name": "a", "size": 1}}) == Item(name="a", size=1)
    assert validate_part(Pair, "second", {}) == Item(name="default", size=5)  # absent with a default
    assert validate_part(Pair, "note", {}) is None
    assert validate_part(Pair, "first", {}) is INVALID  # absent and required
    assert validate_part(Pair, "first", {"first": {"size": 1}}) is INVALID
    assert validate_part(Pair, "note", {"note": None}) is None


def test_partial_cross_checks_run_on_defaults_and_skip_invalid_parts():
    assert Pair.partial_cross_checks({"first": {"name": "a", "size": 9}}) == [
        (("second", "size"), "second is smaller than first")
    ]
    assert Pair.partial_cross_checks({"first": {"size": 9}}) == []
    assert Pair.partial_cross_checks({"first": {"name": "a", "size": 9}, "second": "not an item"}) == []


def test_the_model_runs_its_cross_checks():
    assert Pair.cross_checked_parts() == ("first", "second")
    assert Pair(first=Item(name="a", size=1)).second.name == "default"
    with pytest.raises(ValidationError, match="second is smaller than first"):
        Pair(first=Item(name="a", size=9))


def test_check_unique_reports_each_repeat_at_its_key():
    checks = CrossFieldChecks()
    check_unique([Item(name="a"), Item(name="b"), Item(name="a")], "name", ("items",), checks, "item")
    check_unique(["x", "x", "x"], None, ("words",), checks, "word")
    assert checks.problems == [
        (("items", 2, "name"), "item 'a' is listed twice"),
        (("words", 1), "word 'x' is listed twice"),
        (("words", 2), "word 'x' is listed twice"),
    ]


def test_check_unique_across_lists_shares_one_seen_set():
    checks = CrossFieldChecks()
    seen: set = set()
    check_unique([Item(name="a")], "name", ("basic",), checks, "course", seen)
    check_unique([Item(name="b"), Item(name="a")], "name", ("skills",), checks, "course", seen)
    assert checks.problems == [(("skills", 1, "name"), "course 'a' is listed twice")]
