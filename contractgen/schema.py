"""JSON Schema of each kind, for editors (titles and descriptions are in Chinese)."""

from __future__ import annotations

from typing import Any

from contractgen.kinds import kind_named


def kind_schema(name: str) -> dict[str, Any]:
    kind = kind_named(name)
    schema = kind.model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://contractgen.invalid/schemas/{name}.schema.json"
    return schema
