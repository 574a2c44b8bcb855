"""contractgen: validated data → finished Chinese legal and HR documents (DOCX and PDF).

    from contractgen import load, render, generate
    agreement = load("examples/training_agreement_offline.yaml")
    files = render(agreement)                # {"docx": b"...", "pdf": b"..."}
    generate(agreement, "out/", force=True)  # writes out/<contract_no>.docx and .pdf

    house = read_template("house.docx")      # a user's own template (see README)
    files = render(agreement, ["docx"], templates=[house])
"""

from contractgen.errors import (
    ContractgenError,
    FontError,
    InputError,
    MissingGlyphError,
    MissingSectionsError,
    OutputExistsError,
    Problem,
    TemplateError,
)
from typing import Any

# The rest loads on first use: pytest imports this package for the contractgen.testing
# plugin in every project that installs contractgen, and WeasyPrint alone costs ~1 s.
_LAZY = {
    "TrainingAgreement": "contractgen.models.agreement",
    **dict.fromkeys(("build", "generate", "generate_batch", "load", "loads", "read_template", "render"), "contractgen.pipeline"),
    **dict.fromkeys(("LimitError", "Limits", "TemplateLintError", "lint"), "contractgen.user_templates"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'contractgen' has no attribute {name!r}")

__version__ = "0.1.0"

__all__ = [
    "ContractgenError",
    "FontError",
    "InputError",
    "LimitError",
    "Limits",
    "MissingGlyphError",
    "MissingSectionsError",
    "OutputExistsError",
    "Problem",
    "TemplateError",
    "TemplateLintError",
    "TrainingAgreement",
    "build",
    "generate",
    "generate_batch",
    "load",
    "lint",
    "loads",
    "read_template",
    "render",
]
