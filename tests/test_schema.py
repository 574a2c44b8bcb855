from contractgen.kinds import KINDS
from tools.export_schemas import SCHEMAS, schema_text


def test_shipped_schemas_are_current():
    for kind in KINDS:
        shipped = (SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert shipped == schema_text(kind), f"schemas/{kind}.schema.json is stale: run python tools/export_schemas.py"


def test_schema_has_chinese_titles_and_descriptions():
    text = schema_text("training_agreement")
    assert '"title": "统一社会信用代码"' in text
    assert "按 GB 32100 校验" in text
