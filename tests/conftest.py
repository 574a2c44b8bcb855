"""Shared fixtures: a valid agreement as data or as a model, with overrides."""

from __future__ import annotations

import copy
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from contractgen.includes import resolve_includes
from contractgen.loading import load_yaml_file
from contractgen.models.agreement import TrainingAgreement

# Shared, noisy machines: no per-example deadline (speed is measured by bench/, not tests).
settings.register_profile("contractgen", deadline=None)
settings.load_profile("contractgen")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
OFFLINE_EXAMPLE = EXAMPLES / "training_agreement_offline.yaml"
ONLINE_EXAMPLE = EXAMPLES / "training_agreement_online.yaml"

_BASE = resolve_includes(load_yaml_file(OFFLINE_EXAMPLE), EXAMPLES).data


def agreement_data(**overrides: Any) -> dict[str, Any]:
    """The offline example as plain data; ``a__b=value`` sets data["a"]["b"]."""
    data = copy.deepcopy(_BASE)
    for dotted, value in overrides.items():
        target = data
        *parents, last = dotted.split("__")
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return data


def make_agreement_model(**overrides: Any) -> TrainingAgreement:
    return TrainingAgreement.model_validate(agreement_data(**overrides))


@pytest.fixture
def make_agreement():
    return make_agreement_model


def load_offline_variant(text: str) -> TrainingAgreement:
    """Load a changed copy of the offline example beside its shared data file (it uses ``include:``)."""
    from contractgen.pipeline import load

    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(EXAMPLES / "shared", Path(folder) / "shared")
        path = Path(folder) / "a.yaml"
        path.write_text(text, encoding="utf-8")
        return load(path)


def validation_problems(model_class: type, data: dict[str, Any]) -> dict[str, str]:
    """Validate ``data`` expecting failure; the problems as {key path: message}."""
    from contractgen.errors import InputError
    from contractgen.validation import validate

    with pytest.raises(InputError) as caught:
        validate(model_class, data)
    return {p.path: p.message for p in caught.value.problems}
