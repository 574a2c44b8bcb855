"""contractgen: validated data → finished Chinese legal and HR documents (DOCX and PDF).

    from contractgen import load, render, generate
    agreement = load("examples/training_agreement_offline.yaml")
    files = render(agreement)                # {"docx": b"...", "pdf": b"..."}
    generate(agreement, "out/", force=True)  # writes out/<contract_no>.docx and .pdf
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
from contractgen.pipeline import build, generate, load, loads, render

__version__ = "0.1.0"

__all__ = [
    "ContractgenError",
    "FontError",
    "InputError",
    "MissingGlyphError",
    "MissingSectionsError",
    "OutputExistsError",
    "Problem",
    "TemplateError",
    "TrainingAgreement",
    "build",
    "generate",
    "load",
    "loads",
    "render",
]
