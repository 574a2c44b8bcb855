"""Tests for contractgen.includes: shared data files via ``include:`` and ``use:``."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from contractgen import includes
from contractgen.errors import InputError, Problem
from contractgen.includes import MAX_INCLUDES, resolve_includes
from contractgen.loading import (
    DEFAULT_MAX_BYTES,
    LoadedYaml,
    load_yaml_file,
    load_yaml_text,
    problem_at,
)
from contractgen.pipeline import load_source

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "training_agreement_offline.yaml"

TEAM = """\
# 杭州云杉优选的共享数据
modules:
  platform_rules:
    name: 平台规则与产品知识
    hours: 12
    practice_hours: 2
    topics:
      - 淘宝、天猫交易规则
      - 违规判罚案例与申诉流程
kpis:
  - {name: 售后投诉率, unit: "%", baseline: 3.2, target: 2.0, direction: lower}
  - name: 首次响应时间
    unit: 秒
    baseline: 52
    target: 60
    direction: lower
company:
  name: 杭州云杉优选电子商务有限公司
  first_response: x
"""

DOC = """\
include: shared/team.yaml
title: 培训协议
training:
  modules:
    - use: modules.platform_rules
      practice_hours: 3
      extra: 本地
evaluation:
  kpis: {use: kpis}
client: {use: company.name}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def resolve(folder: Path, doc: str, **files: str) -> LoadedYaml:
    """Write ``files`` (``shared__team_yaml`` -> ``shared/team.yaml``) and the document; resolve."""
    for key, text in files.items():
        write(folder, ".".join(key.replace("__", "/").rsplit("_", 1)), text)
    path = write(folder, "doc.yaml", doc)
    return resolve_includes(load_yaml_file(path), path.parent)


def problems(folder: Path, doc: str, **files: str) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        resolve(folder, doc, **files)
    assert caught.value.problems
    return list(caught.value.problems)


def only(folder: Path, doc: str, **files: str) -> Problem:
    found = problems(folder, doc, **files)
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in ``tmp_path`` with relative names, as a user on the command line does."""
    monkeypatch.chdir(tmp_path)
    return Path(".")


# --------------------------------------------------------------------------
# Happy paths


def test_whole_nodes_and_a_mapping_with_an_override_are_substituted(here: Path) -> None:
    loaded = resolve(here, DOC, shared__team_yaml=TEAM)
    assert loaded.data == {
        "title": "培训协议",
        "training": {
            "modules": [
                {
                    "name": "平台规则与产品知识",
                    "hours": "12",
                    "practice_hours": "3",
                    "topics": ["淘宝、天猫交易规则", "违规判罚案例与申诉流程"],
                    "extra": "本地",
                }
            ]
        },
        "evaluation": {
            "kpis": [
                {"name": "售后投诉率", "unit": "%", "baseline": "3.2", "target": "2.0", "direction": "lower"},
                {"name": "首次响应时间", "unit": "秒", "baseline": "52", "target": "60", "direction": "lower"},
            ]
        },
        "client": "杭州云杉优选电子商务有限公司",
    }
    # The merged mapping keeps the shared order; the local key wins in place.
    assert list(loaded.data["training"]["modules"][0]) == ["name", "hours", "practice_hours", "topics", "extra"]


def test_substituted_paths_point_into_the_shared_file(here: Path) -> None:
    loaded = resolve(here, DOC, shared__team_yaml=TEAM)
    team = os.path.join("shared", "team.yaml")
    assert loaded.where(("evaluation", "kpis", 1, "target")) == (team, (15, 13))
    assert loaded.where(("evaluation", "kpis", 0, "target")) == (team, (11, 53))
    assert loaded.where(("training", "modules", 0, "hours")) == (team, (5, 12))
    assert loaded.where(("training", "modules", 0, "topics", 1)) == (team, (9, 9))
    # A missing key inside shared data falls back to the shared parent.
    assert loaded.where(("evaluation", "kpis", 1, "currency")) == (team, (12, 5))
    assert loaded.locate(("evaluation", "kpis", 1, "currency")) == (12, 5)


def test_override_keys_and_the_use_node_keep_the_documents_positions(here: Path) -> None:
    loaded = resolve(here, DOC, shared__team_yaml=TEAM)
    doc = "doc.yaml"
    assert loaded.where(("training", "modules", 0, "practice_hours")) == (doc, (6, 23))
    assert loaded.where(("training", "modules", 0, "extra")) == (doc, (7, 14))
    assert loaded.where(("training", "modules", 0)) == (doc, (5, 7))
    assert loaded.where(("evaluation", "kpis")) == (doc, (9, 9))
    assert loaded.where(("client",)) == (doc, (10, 9))
    assert ("include",) not in loaded.positions
    assert ("evaluation", "kpis", "use") not in loaded.positions
    assert ("training", "modules", 0, "use") not in loaded.key_positions


def test_problem_at_names_the_shared_file(here: Path) -> None:
    loaded = resolve(here, DOC, shared__team_yaml=TEAM)
    problem = problem_at(loaded, ("evaluation", "kpis", 1, "target"), "too high")
    assert str(problem) == f"{os.path.join('shared', 'team.yaml')}:15:13: evaluation.kpis[1].target: too high"


def test_a_validation_error_in_shared_data_points_at_the_shared_line(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE.parent / "shared", tmp_path / "shared")
    shared = tmp_path / "shared" / "yunshan_cs_team.yaml"
    team = shared.read_text(encoding="utf-8")
    shared.write_text(team.replace("target: 30,", "target: 60,"), encoding="utf-8")
    path = write(tmp_path, "doc.yaml", EXAMPLE.read_text(encoding="utf-8"))
    with pytest.raises(InputError) as caught:
        load_source(resolve_includes(load_yaml_file(path), path.parent))
    (problem,) = caught.value.problems
    line = next(n for n, text in enumerate(team.splitlines(), 1) if "target: 30," in text)
    assert problem.file == os.path.join(str(tmp_path), "shared", "yunshan_cs_team.yaml")
    assert (problem.line, problem.path) == (line, "evaluation.kpis[1].target")
    assert problem.message == "target 60 is not better than the baseline 52 (lower is better)"


def test_the_shipped_agreement_and_regulation_share_modules_and_kpis() -> None:
    agreement = load_source(resolve_includes(load_yaml_file(EXAMPLE), EXAMPLE.parent)).model
    regulation_path = EXAMPLE.parent / "training_regulation.yaml"
    regulation = load_source(resolve_includes(load_yaml_file(regulation_path), regulation_path.parent)).model
    assert agreement.evaluation.kpis == regulation.evaluation.kpis
    assert len(agreement.evaluation.kpis) == 4
    assert list(agreement.training.modules) == list(regulation.content.modules[:3])
    for text in (EXAMPLE.read_text(encoding="utf-8"), regulation_path.read_text(encoding="utf-8")):
        assert "direction:" not in text and "practice_hours: 2" not in text  # KPIs and modules are written once, in shared/


def test_several_includes_each_provide_their_keys(tmp_path: Path) -> None:
    doc = "include: [a.yaml, sub/b.yml]\nx: {use: one}\ny: {use: two.k}\n"
    loaded = resolve(tmp_path, doc, a_yaml="one: [1, 2]\n", sub__b_yml="two: {k: v}\n")
    assert loaded.data == {"x": ["1", "2"], "y": "v"}
    assert loaded.where(("x", 1)) == (str(tmp_path / "a.yaml"), (1, 10))


def test_a_reference_inside_an_override_value_is_resolved(tmp_path: Path) -> None:
    doc = "include: a.yaml\nm: {use: base, inner: {use: other}}\n"
    loaded = resolve(tmp_path, doc, a_yaml="base: {x: 1, inner: old}\nother: [z]\n")
    assert loaded.data == {"m": {"x": "1", "inner": ["z"]}}


def test_a_path_with_dotdot_that_stays_inside_is_fine(tmp_path: Path) -> None:
    loaded = resolve(tmp_path, "include: sub/../a.yaml\nx: {use: k}\n", a_yaml="k: v\n")
    assert loaded.data == {"x": "v"}


def test_an_include_without_references_is_just_removed(tmp_path: Path) -> None:
    assert resolve(tmp_path, "include: a.yaml\nx: 1\n", a_yaml="k: v\n").data == {"x": "1"}


def test_a_document_without_include_or_use_is_returned_as_is() -> None:
    loaded = load_yaml_text("a: {b: [1]}\n")
    assert resolve_includes(loaded, None) is loaded


def test_the_loaded_document_is_not_changed(tmp_path: Path) -> None:
    write(tmp_path, "shared/team.yaml", TEAM)
    path = write(tmp_path, "doc.yaml", DOC)
    loaded = load_yaml_file(path)
    before = repr(loaded.data)
    resolve_includes(loaded, tmp_path)
    assert repr(loaded.data) == before


def test_two_references_to_one_node_are_independent_copies(tmp_path: Path) -> None:
    loaded = resolve(tmp_path, "include: a.yaml\nx: {use: k}\ny: {use: k}\n", a_yaml="k: [{a: 1}]\n")
    assert loaded.data["x"] == loaded.data["y"]
    assert loaded.data["x"] is not loaded.data["y"]
    assert loaded.data["x"][0] is not loaded.data["y"][0]


# --------------------------------------------------------------------------
# use: errors


def test_unknown_top_level_name_suggests_and_lists(tmp_path: Path) -> None:
    problem = only(tmp_path, "include: a.yaml\nx:\n  k: 1\n  y: {use: kpi.first}\n", a_yaml="kpis: {}\nmodules: {}\n")
    assert problem == Problem(
        "x.y.use",
        "use: 'kpi.first' not found: no included file defines 'kpi'; did you mean 'kpis'? (available: kpis, modules)",
        str(tmp_path / "doc.yaml"),
        4,
        12,
    )


def test_unknown_nested_key_names_the_path_and_the_shared_file(here: Path) -> None:
    problem = only(here, "include: shared/team.yaml\nk:\n  - use: company.first_respons\n", shared__team_yaml=TEAM)
    assert (problem.file, problem.line, problem.column, problem.path) == ("doc.yaml", 3, 10, "k[0].use")
    assert problem.message == (
        f"use: 'company.first_respons' not found: company in {os.path.join('shared', 'team.yaml')}"
        " has no key 'first_respons'; did you mean 'company.first_response'? (available: name, first_response)"
    )


def test_a_path_through_a_list_is_not_supported(tmp_path: Path) -> None:
    problem = only(tmp_path, "include: a.yaml\nx: {use: kpis.0}\n", a_yaml="kpis: [a]\n")
    shared = tmp_path / "a.yaml"
    assert problem.message.endswith(f"kpis in {shared} is a list, not a mapping (list indexes are not supported)")
    assert (problem.line, problem.column) == (2, 10)


def test_a_path_into_an_empty_mapping_says_so(tmp_path: Path) -> None:
    problem = only(tmp_path, "include: a.yaml\nx: {use: kpis.a}\n", a_yaml="kpis: {}\n")
    assert problem.message.endswith("has no key 'a' (it is empty)")


@pytest.mark.parametrize(
    ("value", "shown"),
    [("{a: b}", "a mapping"), ("[kpis]", "a list"), ("", "an empty value"), ("'kpis..a'", "'kpis..a'"), ("'.'", "'.'")],
)
def test_use_must_be_a_dotted_path(tmp_path: Path, value: str, shown: str) -> None:
    problem = only(tmp_path, f"include: a.yaml\nx:\n  use: {value}\n", a_yaml="kpis: {a: 1}\n")
    assert problem.message == f"use must be a dotted path such as kpis.first_response, not {shown}"
    assert (problem.path, problem.line) == ("x.use", 3)


@pytest.mark.parametrize("shared", ["kpis: [a, b]\n", "kpis: one\n"])
def test_a_list_or_scalar_cannot_take_other_keys(tmp_path: Path, shared: str) -> None:
    problem = only(tmp_path, "include: a.yaml\nx:\n  use: kpis\n  target: 3\n", a_yaml=shared)
    kind = "a list" if "[" in shared else "a single value"
    assert problem.message == (
        f"use: 'kpis' is {kind}, so it cannot be combined with other keys (target);"
        " only a mapping can be overridden key by key"
    )
    assert (problem.path, problem.line, problem.column) == ("x.use", 3, 8)


def test_use_without_any_include(tmp_path: Path) -> None:
    problem = only(tmp_path, "x: {use: kpis}\n")
    assert problem.message == "use: 'kpis' not found: nothing defines 'kpis' (the document has no include)"
    assert problem.line == 1


def test_use_at_the_top_level_is_refused(tmp_path: Path) -> None:
    problem = only(tmp_path, "include: a.yaml\nuse: kpis\n", a_yaml="kpis: {a: 1}\n")
    assert problem.message.startswith("use is not allowed at the top level")
    assert (problem.path, problem.line) == ("use", 2)


def test_every_use_problem_is_reported_together(tmp_path: Path) -> None:
    doc = "include: a.yaml\nx: {use: nope}\ny: [{use: kpis.b}]\nz: {use: kpis, w: {use: 3}}\n"
    found = problems(tmp_path, doc, a_yaml="kpis: {a: 1}\n")
    assert [(p.path, p.line) for p in found] == [("x.use", 2), ("y[0].use", 3), ("z.w.use", 4)]


def test_a_reference_that_copies_too_much_is_refused(tmp_path: Path) -> None:
    shared = "big:\n" + "".join(f"  - {index}\n" for index in range(1000))
    doc = "include: a.yaml\nx:\n" + "  - {use: big}\n" * 200
    start = time.perf_counter()
    found = problems(tmp_path, doc, a_yaml=shared)
    assert time.perf_counter() - start < 2.0
    assert found == [
        Problem(
            "",
            "the use references copy in more than 100,000 values; share less or refer less often",
            str(tmp_path / "doc.yaml"),
        )
    ]


def test_the_copy_limit_counts_every_copied_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(includes, "MAX_EXPANDED_NODES", 4)
    shared = "k: {a: [1, 2]}\n"  # a, a[0], a[1]: three values
    assert resolve(tmp_path, "include: a.yaml\nx: {use: k}\n", a_yaml=shared).data == {"x": {"a": ["1", "2"]}}
    assert "more than 4 values" in only(tmp_path, "include: a.yaml\nx: {use: k}\ny: {use: k}\n", a_yaml=shared).message


# --------------------------------------------------------------------------
# include: errors


def test_include_of_text_without_a_file() -> None:
    loaded = load_yaml_text("include: a.yaml\nx: 1\n", "t.yaml")
    with pytest.raises(InputError) as caught:
        resolve_includes(loaded, None)
    assert caught.value.problems == (
        Problem("include", "include needs a file on disk (the document was not loaded from a file)", "t.yaml", 1, 10),
    )


@pytest.mark.parametrize("value", ["{a: b}", "", "3.yaml: x"])
def test_include_must_be_a_path_or_a_list(tmp_path: Path, value: str) -> None:
    problem = only(tmp_path, f"include:\n  {value}\n" if ":" in value else f"include: {value}\n")
    assert problem.message == "include must be a relative path or a list of them, e.g. include: shared/team.yaml"
    assert problem.path == "include"


def test_include_items_must_be_paths(tmp_path: Path) -> None:
    found = problems(tmp_path, "include: [a.yaml, [b.yaml], '  ']\n", a_yaml="k: v\n")
    assert [(p.path, p.message) for p in found] == [
        ("include[1]", "each include must be a file path such as shared/team.yaml"),
        ("include[2]", "each include must be a file path such as shared/team.yaml"),
    ]


def test_at_most_ten_includes(tmp_path: Path) -> None:
    names = [f"f{index}.yaml" for index in range(MAX_INCLUDES + 1)]
    problem = only(tmp_path, f"include: [{', '.join(names)}]\n")
    assert problem.message == "at most 10 files can be included, not 11"
    names.pop()
    files = {name.replace(".yaml", "_yaml"): f"k{index}: v\n" for index, name in enumerate(names)}
    assert resolve(tmp_path, f"include: [{', '.join(names)}]\nx: {{use: k9}}\n", **files).data == {"x": "v"}


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every path the resolver hands to the loader."""
    seen: list[Path] = []

    def spy(path: Path, *args: object, **kwargs: object) -> LoadedYaml:
        seen.append(Path(path))
        return load_yaml_file(path)

    monkeypatch.setattr(includes, "load_yaml_file", spy)
    return seen


def test_dotdot_escape_is_refused_and_not_read(tmp_path: Path, reads: list[Path]) -> None:
    write(tmp_path, "secret.yaml", "k: secret\n")
    folder = tmp_path / "docs"
    problem = only(folder, "include: ../secret.yaml\nx: {use: k}\n")
    assert problem == Problem(
        "include",
        "'../secret.yaml' is outside the document's folder; shared files must be in it or below it",
        str(folder / "doc.yaml"),
        1,
        10,
    )
    assert reads == []


def test_absolute_path_is_refused(tmp_path: Path, reads: list[Path]) -> None:
    inside = write(tmp_path, "a.yaml", "k: v\n")
    problem = only(tmp_path, f"include: ['{inside}']\n")
    assert problem.message == f"{str(inside)!r} is absolute; include paths are relative to the document's folder"
    assert (problem.path, problem.line) == ("include[0]", 1)
    assert reads == []


def test_windows_style_absolute_path_is_refused(tmp_path: Path) -> None:
    problem = only(tmp_path, "include: 'C:\\data\\a.yaml'\n")
    assert "is absolute" in problem.message


def test_symlink_pointing_outside_is_refused(tmp_path: Path, reads: list[Path]) -> None:
    outside = write(tmp_path, "outside/secret.yaml", "k: secret\n")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "shared.yaml").symlink_to(outside)
    (folder / "dir").symlink_to(outside.parent, target_is_directory=True)
    found = problems(folder, "include: [shared.yaml, dir/secret.yaml]\nx: {use: k}\n")
    assert [p.message for p in found] == [
        "'shared.yaml' is outside the document's folder; shared files must be in it or below it",
        "'dir/secret.yaml' is outside the document's folder; shared files must be in it or below it",
    ]
    assert reads == []


def test_symlink_inside_the_folder_is_fine(tmp_path: Path, reads: list[Path]) -> None:
    write(tmp_path, "real/a.yaml", "k: v\n")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real" / "a.yaml")
    loaded = resolve(tmp_path, "include: link.yaml\nx: {use: k}\n")
    assert loaded.data == {"x": "v"}
    assert loaded.where(("x",)) == (str(tmp_path / "doc.yaml"), (2, 4))
    assert reads == [(tmp_path / "real" / "a.yaml").resolve()]


@pytest.mark.parametrize("name", ["a.json", "a.yaml.txt", "a", "notes.YAML.bak"])
def test_a_non_yaml_extension_is_refused(tmp_path: Path, reads: list[Path], name: str) -> None:
    write(tmp_path, name, "k: v\n")
    problem = only(tmp_path, f"include: {name}\n")
    assert problem.message == f"{name!r} is not a .yaml or .yml file"
    assert reads == []


def test_a_yaml_named_symlink_to_another_kind_of_file_is_refused(tmp_path: Path, reads: list[Path]) -> None:
    write(tmp_path, "notes.txt", "k: v\n")
    (tmp_path / "a.yaml").symlink_to(tmp_path / "notes.txt")
    problem = only(tmp_path, "include: a.yaml\n")
    assert problem.message == "'a.yaml' points to 'notes.txt', which is not a .yaml or .yml file"
    assert reads == []


def test_upper_case_and_yml_extensions_are_fine(tmp_path: Path) -> None:
    loaded = resolve(tmp_path, "include: [A.YAML, b.yml]\nx: {use: k}\n", A_YAML="k: v\n", b_yml="j: w\n")
    assert loaded.data == {"x": "v"}


def test_a_missing_file_is_located_at_its_include_entry(here: Path) -> None:
    found = problems(here, "include:\n  - shared/team.yaml\n  - shared/none.yaml\n", shared__team_yaml="k: v\n")
    assert found == [
        Problem(
            "include[1]",
            f"included file not found: {os.path.join('shared', 'none.yaml')}",
            "doc.yaml",
            3,
            5,
        )
    ]


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").mkdir()
    assert only(tmp_path, "include: d.yaml\n").message == f"{tmp_path / 'd.yaml'} is not a file"


def test_the_same_file_twice_is_refused(tmp_path: Path) -> None:
    problem = only(tmp_path, "include: [a.yaml, ./a.yaml]\n", a_yaml="k: v\n")
    assert (problem.path, problem.message) == ("include[1]", "'./a.yaml' is included twice")


def test_nested_include_is_refused_in_the_shared_file(here: Path) -> None:
    problem = only(here, "include: a.yaml\n", a_yaml="k: v\ninclude: b.yaml\n", b_yaml="j: w\n")
    assert problem == Problem(
        "include",
        "nested includes are not supported; list every shared file in the document's include",
        "a.yaml",
        2,
        10,
    )


def test_the_document_including_itself_is_a_nested_include(here: Path) -> None:
    problem = only(here, "include: doc.yaml\n")
    assert problem.message.startswith("nested includes are not supported")


def test_use_inside_shared_data_is_refused(here: Path) -> None:
    found = problems(here, "include: a.yaml\nx: {use: k}\n", a_yaml="k: v\nm:\n  - {use: k}\n  - {n: {use: k}}\n")
    message = "references (use:) inside shared files are not supported; write the data out"
    assert found == [
        Problem("m[0].use", message, "a.yaml", 3, 11),
        Problem("m[1].n.use", message, "a.yaml", 4, 15),
    ]


def test_a_top_level_key_in_two_includes_names_both_files(here: Path) -> None:
    problem = only(
        here,
        "include: [shared/a.yaml, shared/b.yaml]\nx: {use: kpis}\n",
        shared__a_yaml="kpis: [1]\n",
        shared__b_yaml="modules: {}\nkpis: [2]\n",
    )
    a, b = os.path.join("shared", "a.yaml"), os.path.join("shared", "b.yaml")
    assert problem == Problem("kpis", f"top-level key 'kpis' is defined in both {a} and {b}", b, 2, 1)


def test_invalid_yaml_in_a_shared_file_is_reported_in_that_file(here: Path) -> None:
    found = problems(here, "include: [a.yaml, b.yaml]\n", a_yaml="k: &x 1\n", b_yaml="j: [1\n")
    assert [(p.file, p.line) for p in found] == [("a.yaml", 1), ("b.yaml", 2)]
    assert found[0].message.startswith("anchors and aliases")


def test_a_too_large_shared_file_is_refused_by_the_same_cap(here: Path) -> None:
    problem = only(here, "include: a.yaml\n", a_yaml="k: " + "x" * DEFAULT_MAX_BYTES + "\n")
    assert problem == Problem(
        "", "the file is too large (1,048,580 bytes); the limit is 1,048,576 bytes", "a.yaml"
    )


def test_include_and_use_problems_come_before_validation(here: Path) -> None:
    """A broken include stops before any use is looked at: no follow-up noise."""
    found = problems(here, "include: none.yaml\nx: {use: nothing}\n")
    assert [p.path for p in found] == ["include"]
