"""JSON Schema of each kind, for editors (titles and descriptions are in Chinese).

The schema describes the YAML as a person writes it, so it also allows the
shared-data keys of :mod:`contractgen.includes`: ``include:`` at the top and
``{use: …}`` wherever a mapping or a list may stand.
"""

from __future__ import annotations

from typing import Any

from contractgen.kinds import kind_named

INCLUDE_SCHEMA = {
    "title": "共享数据文件",
    "description": "相对本文件的 YAML 路径（或路径列表），其中的数据可用 {use: 路径} 引用，如 {use: kpis}",
    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "maxItems": 10}],
}
USE_SCHEMA = {
    "type": "object",
    "title": "引用共享数据",
    "description": "use: 共享数据文件中的点分路径，如 modules.platform_rules；同级的其他键覆盖引用内容",
    "required": ["use"],
    "properties": {"use": {"type": "string"}},
}


def kind_schema(name: str) -> dict[str, Any]:
    kind = kind_named(name)
    schema = kind.model.model_json_schema(mode="validation")
    for definition in schema.get("$defs", {}).values():
        _allow_use(definition)
    for prop in schema["properties"].values():
        _allow_use(prop)
    schema["properties"]["include"] = INCLUDE_SCHEMA
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://contractgen.invalid/schemas/{name}.schema.json"
    return schema


def _allow_use(node: dict[str, Any]) -> None:
    """Let every mapping or list inside ``node`` be replaced by a ``{use: …}`` reference (in place)."""
    for child in node.get("properties", {}).values():
        _allow_use(child)
    if isinstance(node.get("items"), dict):
        _allow_use(node["items"])
    for key in ("anyOf", "oneOf", "allOf"):
        for option in node.get(key, []):
            _allow_use(option)
    if node.get("type") in ("object", "array") and "title" in node or node.get("type") == "array":
        alternative = {k: node.pop(k) for k in list(node) if k not in ("title", "description", "default")}
        node["anyOf"] = [alternative, USE_SCHEMA]
