"""The CLI on the shipped examples, in a temp dir, files read back as a user would."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from contractgen.cli import main
from contractgen.ir import Table
from contractgen.pipeline import build, load
from contractgen.readback import read_docx_blocks
from tests.conftest import EXAMPLES, OFFLINE_EXAMPLE, ROOT
from tests.pdf_text import pdf_pages, squash

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))  # every kind; examples/shared/ holds included data only
LEADER_DOTS = re.compile(r"\.{4,}")  # the PDF contents list's dot leaders (a tab in the DOCX)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "contractgen", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, tuple[bytes, bytes]]:
    out = tmp_path_factory.mktemp("out")
    results = {}
    for example in EXAMPLE_FILES:
        done = run_cli("generate", str(example), "-o", str(out), cwd=out)
        assert done.returncode == 0, done.stderr
        docx_path, pdf_path = (Path(line) for line in done.stdout.split())
        results[example.name] = (docx_path.read_bytes(), pdf_path.read_bytes())
    return results


@pytest.mark.parametrize("example", [p.name for p in EXAMPLE_FILES])
def test_docx_and_pdf_say_the_same_thing(generated, example):
    """The same words in both files; only the PDF's running header/footer, its contents
    leaders and the table headers it repeats on each page of a long table differ."""
    docx_bytes, pdf_bytes = generated[example]
    docx_text = "".join(squash(b.text) for b in read_docx_blocks(docx_bytes))
    header = squash(docx.Document(io.BytesIO(docx_bytes)).sections[0].header.paragraphs[0].text)
    pages = pdf_pages(pdf_bytes)
    pdf_text = ""
    for number, page in enumerate(pages, start=1):
        pdf_text += squash(page).replace(header, "", 1).replace(f"第{number}页共{len(pages)}页", "", 1)
    pdf_text = LEADER_DOTS.sub("", pdf_text)
    for table_header in _table_headers(EXAMPLES / example):
        docx_text, pdf_text = docx_text.replace(table_header, ""), pdf_text.replace(table_header, "")
    assert pdf_text == docx_text


def _table_headers(example: Path) -> set[str]:
    document = build(load(example))
    return {squash("".join(b.header)) for s in document.sections for b in s.blocks if isinstance(b, Table) and b.header}


def test_offline_example_facts(generated):
    docx_bytes, _ = generated["training_agreement_offline.yaml"]
    text = "\n".join(b.text for b in read_docx_blocks(docx_bytes))
    assert "¥96,000.00（大写：人民币玖万陆仟元整）" in text
    assert "分三期支付" in text
    assert "甲方住所地有管辖权的人民法院提起诉讼" in text


def test_offline_example_draws_attention_to_the_liability_cap_in_bold(generated):
    """民法典 art. 496: the cap on liability is a standard term the other party must be able to notice."""
    docx_bytes, _ = generated["training_agreement_offline.yaml"]
    cap = next(p for p in docx.Document(io.BytesIO(docx_bytes)).paragraphs if "违约金总额以" in p.text)
    assert cap.text == "（五）除违反第七条约定外，任何一方依本条支付的违约金总额以¥19,200.00（大写：人民币壹万玖仟贰佰元整）为限。"
    assert cap.runs and all(run.bold for run in cap.runs)
    late_payment = next(p for p in docx.Document(io.BytesIO(docx_bytes)).paragraphs if "向乙方支付违约金" in p.text)
    assert not any(run.bold for run in late_payment.runs)


def test_online_example_facts(generated):
    docx_bytes, pdf_bytes = generated["training_agreement_online.yaml"]
    text = "\n".join(b.text for b in read_docx_blocks(docx_bytes))
    assert "绩效奖励¥6,000.00（大写：人民币陆仟元整）" in text
    assert "上海仲裁委员会" in text and "提起诉讼" not in text
    assert "线上培训" in text
    assert "线上培训" in squash("".join(pdf_pages(pdf_bytes)))


def test_invalid_input_exits_2_names_the_line_and_writes_nothing(tmp_path):
    shutil.copytree(EXAMPLES / "shared", tmp_path / "shared")
    bad = tmp_path / "agreement.yaml"
    text = OFFLINE_EXAMPLE.read_text(encoding="utf-8").replace("grace_days: 30", "grace_days: 0")
    bad.write_text(text.replace("copies: 4", "copies: 3"), encoding="utf-8")
    done = run_cli("generate", str(bad), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 2
    assert "agreement.yaml:" in done.stderr
    assert "fees.instalments[2].due: 2027-04-30 is after the term end 2027-03-31" in done.stderr
    assert "effectiveness.copies" in done.stderr
    assert not (tmp_path / "out").exists()


def test_an_error_in_shared_data_names_the_shared_file_and_line(tmp_path):
    shutil.copytree(EXAMPLES / "shared", tmp_path / "shared")
    shared = tmp_path / "shared" / "yunshan_cs_team.yaml"
    shared.write_text(shared.read_text(encoding="utf-8").replace("target: 30,", "target: 60,"), encoding="utf-8")
    shutil.copy(OFFLINE_EXAMPLE, tmp_path / "agreement.yaml")
    done = run_cli("validate", "agreement.yaml", cwd=tmp_path)
    assert done.returncode == 2
    line = next(n for n, text in enumerate(shared.read_text(encoding="utf-8").splitlines(), 1) if "target: 60," in text)
    assert f"shared/yunshan_cs_team.yaml:{line}:" in done.stderr
    assert "evaluation.kpis[1].target: target 60 is not better than the baseline 52" in done.stderr


def test_existing_output_needs_force(tmp_path):
    first = run_cli("generate", str(OFFLINE_EXAMPLE), "--format", "docx", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    target = tmp_path / "HZYX-PX-2026-018.docx"
    target.write_bytes(b"edited by a person")
    again = run_cli("generate", str(OFFLINE_EXAMPLE), "--format", "docx", cwd=tmp_path)
    assert again.returncode == 1 and "use --force" in again.stderr
    assert target.read_bytes() == b"edited by a person"
    forced = run_cli("generate", str(OFFLINE_EXAMPLE), "--format", "docx", "--force", cwd=tmp_path)
    assert forced.returncode == 0 and target.read_bytes().startswith(b"PK")
    assert not (tmp_path / "HZYX-PX-2026-018.pdf").exists()


def test_validate_writes_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["validate", str(OFFLINE_EXAMPLE)]) == 0
    assert "valid training_agreement" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_schema_command_matches_the_shipped_schema(capsys):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    shipped = json.loads((ROOT / "schemas" / "training_agreement.schema.json").read_text(encoding="utf-8"))
    assert printed == shipped
    assert printed["properties"]["fees"]["title"] == "培训费用及支付方式"


def test_new_prints_a_starter_that_validates(tmp_path, capsys):
    assert main(["new", "training_agreement"]) == 0
    starter = tmp_path / "starter.yaml"
    starter.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["validate", str(starter)]) == 0


def test_help_everywhere():
    for args in (["--help"], ["generate", "--help"], ["validate", "--help"], ["schema", "--help"], ["new", "--help"]):
        with pytest.raises(SystemExit) as exited:
            main(args)
        assert exited.value.code == 0


def test_user_supplied_fonts(tmp_path):
    from contractgen.writers.fonts import FontSet

    user_font = tmp_path / "my-serif.otf"
    user_font.write_bytes(FontSet.packaged().sans.path.read_bytes())  # any real CJK font file
    done = run_cli("generate", str(OFFLINE_EXAMPLE), "--format", "pdf", "--serif-font", str(user_font), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "李赟" in squash("".join(pdf_pages((tmp_path / "HZYX-PX-2026-018.pdf").read_bytes())))
    missing = run_cli("generate", str(OFFLINE_EXAMPLE), "--serif-font", str(tmp_path / "nope.otf"), cwd=tmp_path)
    assert missing.returncode == 1 and "nope.otf" in missing.stderr


def test_pdf_renders_without_any_system_font(tmp_path):
    config = tmp_path / "fonts.conf"
    config.write_text(f"<?xml version='1.0'?><fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>")
    env = {**__import__("os").environ, "FONTCONFIG_FILE": str(config)}
    done = subprocess.run(
        [sys.executable, "-m", "contractgen", "generate", str(OFFLINE_EXAMPLE), "--format", "pdf"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "培训委托协议书" in squash(pdf_pages((tmp_path / "HZYX-PX-2026-018.pdf").read_bytes())[0])
