"""The command line: lint, generate --template, and batches whose names collide."""

from __future__ import annotations

import shutil
from pathlib import Path

from contractgen.cli import EXIT_INVALID, EXIT_OK, main
from tests.conftest import EXAMPLES, OFFLINE_EXAMPLE, ONLINE_EXAMPLE

HOUSE = EXAMPLES / "templates"


def test_lint_a_clean_template(capsys):
    assert main(["lint", str(HOUSE / "house.docx"), "--kind", "training_agreement"]) == EXIT_OK
    assert "no problems found" in capsys.readouterr().out


def test_lint_lists_every_problem_and_exits_2(tmp_path, capsys):
    broken = tmp_path / "broken.html"
    broken.write_text((HOUSE / "house.html").read_text(encoding="utf-8")
                      .replace("parties.client.name }}", "parties.client.nmae }}")
                      .replace("{{ section('fees', '费用与付款') }}", ""), encoding="utf-8")
    assert main(["lint", str(broken), "--kind", "training_agreement"]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "did you mean 'name'?" in err
    assert "the required section fees (培训费用及支付方式) is missing" in err
    assert "problem(s); nothing was written" in err


def test_lint_against_the_wrong_kind_reports_the_missing_fields(capsys):
    assert main(["lint", str(HOUSE / "house.html"), "--kind", "quality_plan"]) == EXIT_INVALID
    assert "'contract_no' is undefined" in capsys.readouterr().err


def test_generate_with_both_house_templates(tmp_path, capsys):
    args = ["generate", str(OFFLINE_EXAMPLE), "-o", str(tmp_path),
            "--template", str(HOUSE / "house.docx"), "--template", str(HOUSE / "house.html")]
    assert main(args) == EXIT_OK
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".docx", ".pdf"]


def test_generate_with_a_docx_template_makes_only_the_docx(tmp_path):
    assert main(["generate", str(OFFLINE_EXAMPLE), "-o", str(tmp_path), "--template", str(HOUSE / "house.docx")]) == EXIT_OK
    assert [p.suffix for p in tmp_path.iterdir()] == [".docx"]


def test_asking_for_a_pdf_without_an_html_template_is_refused(tmp_path, capsys):
    args = ["generate", str(OFFLINE_EXAMPLE), "-o", str(tmp_path), "--template", str(HOUSE / "house.docx"), "--format", "pdf"]
    assert main(args) == EXIT_INVALID
    assert "give an .html template too" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_batch_writes_every_document(tmp_path):
    assert main(["generate", str(OFFLINE_EXAMPLE), str(ONLINE_EXAMPLE), "-o", str(tmp_path), "--format", "docx"]) == EXIT_OK
    assert len(list(tmp_path.glob("*.docx"))) == 2


def test_two_documents_with_the_same_name_are_a_conflict_not_an_overwrite(tmp_path, capsys):
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    twin = folder / "twin.yaml"
    twin.write_text(ONLINE_EXAMPLE.read_text(encoding="utf-8").replace("SHLM-2027-PX-003", "hzyx-px-2026-018"), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    args = ["generate", str(folder / OFFLINE_EXAMPLE.name), str(twin), "-o", str(out), "--format", "docx"]
    assert main(args) == EXIT_INVALID
    err = capsys.readouterr().err
    assert f"{twin}: would also write hzyx-px-2026-018.docx, like {folder / OFFLINE_EXAMPLE.name}" in err
    assert list(out.iterdir()) == []


def test_a_bad_file_in_a_batch_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: training_agreement\ncontract_no: X\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert main(["generate", str(OFFLINE_EXAMPLE), str(bad), "-o", str(out)]) == EXIT_INVALID
    assert f"{bad}:" in capsys.readouterr().err
    assert list(out.iterdir()) == []
