"""Every kind is complete: templates for each section, a starter, a schema, an example."""

from __future__ import annotations

import typing

import pytest

from contractgen.cli import main
from contractgen.kinds import KINDS
from contractgen.resources import templates_dir
from tests.conftest import EXAMPLES

ALL_KINDS = sorted(KINDS)


def test_the_five_kinds_of_the_domain_brief_are_registered():
    assert set(KINDS) == {"training_agreement", "training_regulation", "training_standard", "staffing_plan", "quality_plan"}


@pytest.mark.parametrize("name", ALL_KINDS)
def test_each_section_has_a_template_and_a_unique_key(name):
    kind = KINDS[name]
    keys = [spec.key for spec in kind.sections]
    assert len(keys) == len(set(keys))
    for key in keys:
        assert (templates_dir() / name / "zh-CN" / f"{key}.j2").is_file(), f"{name}: no template for {key}"


@pytest.mark.parametrize("name", [n for n in ALL_KINDS if KINDS[n].layout == "chapters"])
def test_extra_articles_can_target_exactly_the_chapters(name):
    kind = KINDS[name]
    annotation = kind.model.model_fields["extra_articles"].annotation
    key_type = typing.get_args(annotation)[0]
    chapters = {spec.key for spec in kind.sections if spec.show_heading}
    assert set(typing.get_args(key_type)) == chapters


@pytest.mark.parametrize("name", ALL_KINDS)
def test_new_prints_a_starter_that_validates(name, tmp_path, capsys):
    assert main(["new", name]) == 0
    starter = tmp_path / f"{name}.yaml"
    starter.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["validate", str(starter)]) == 0
    assert f"valid {name}" in capsys.readouterr().out


@pytest.mark.parametrize("name", ALL_KINDS)
def test_schema_command_prints_each_kind(name, capsys):
    import json

    assert main(["schema", name]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["$id"].endswith(f"/{name}.schema.json")
    assert printed["properties"]["kind"]["const"] == name


@pytest.mark.parametrize("name", ALL_KINDS)
def test_each_kind_has_a_shipped_example(name):
    assert list(EXAMPLES.glob(f"{name}*.yaml")), f"examples/ has no {name} example"
