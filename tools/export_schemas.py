"""Write schemas/<kind>.schema.json for every kind (editors read them for completion and hints).

Run from the repository root:  python tools/export_schemas.py
A test fails when a shipped schema is stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from contractgen.kinds import KINDS
from contractgen.schema import kind_schema

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


def schema_text(kind: str) -> str:
    return json.dumps(kind_schema(kind), ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    SCHEMAS.mkdir(exist_ok=True)
    for kind in KINDS:
        path = SCHEMAS / f"{kind}.schema.json"
        path.write_text(schema_text(kind), encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
