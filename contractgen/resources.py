"""Where the shipped assets (clause templates, page templates, fonts) live.

In a wheel the top-level ``templates/`` folder is installed as
``contractgen/templates``; in a source checkout it sits beside the package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def templates_dir() -> Path:
    """The folder holding clause templates, page templates and fonts."""
    for candidate in (_PACKAGE_DIR / "templates", _PACKAGE_DIR.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise RuntimeError("contractgen is installed without its templates folder")


def fonts_dir() -> Path:
    return templates_dir() / "fonts"
