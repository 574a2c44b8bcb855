"""The shipped JSON Schemas: current, in Chinese, and accepting the examples as an editor reads them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from contractgen.kinds import KINDS
from contractgen.schema import kind_schema
from tests.conftest import EXAMPLES
from tools.export_schemas import SCHEMAS, schema_text


def test_shipped_schemas_are_current():
    for kind in KINDS:
        shipped = (SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert shipped == schema_text(kind), f"schemas/{kind}.schema.json is stale: run python tools/export_schemas.py"


def test_schema_has_chinese_titles_and_descriptions():
    text = schema_text("training_agreement")
    assert '"title": "统一社会信用代码"' in text
    assert "按 GB 32100 校验" in text


def as_an_editor_reads(path) -> dict[str, Any]:
    """Typed YAML (numbers, booleans, dates as ISO text), the way YAML editor extensions see a file."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date) else value

    return plain(YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_example_validates_against_its_schema_includes_and_references_too(example):
    data = as_an_editor_reads(EXAMPLES / example)
    validator = jsonschema.Draft202012Validator(kind_schema(data["kind"]))
    assert [error.message for error in validator.iter_errors(data)] == []


def test_the_schema_still_catches_a_typo():
    data = as_an_editor_reads(EXAMPLES / "training_regulation.yaml")
    data["evaluation"]["follow_up_dayz"] = 90
    validator = jsonschema.Draft202012Validator(kind_schema("training_regulation"))
    assert list(validator.iter_errors(data))
