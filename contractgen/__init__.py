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
from contractgen.models.agreement import TrainingAgreement
from contractgen.pipeline import build, generate, generate_batch, load, loads, read_template, render
from contractgen.user_templates import LimitError, Limits, TemplateLintError, lint

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
