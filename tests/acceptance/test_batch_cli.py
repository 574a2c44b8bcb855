"""`contractgen generate` on many inputs: processes, keep-going, the report, progress, validate, rows."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from contractgen.cli import main
from tests.conftest import EXAMPLES, OFFLINE_EXAMPLE, ROOT

ROWS = EXAMPLES / "rows" / "shops.xlsx"
NO_GLYPH = "\U0002a6a5"  # 𪚥: valid text, but no bundled font has it; found only when the PDF is made


@pytest.fixture
def agreements(tmp_path):
    """make(number, contact=...) writes a variant of the offline example beside its shared data."""
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES / "shared", folder / "shared")
    text = OFFLINE_EXAMPLE.read_text(encoding="utf-8")

    def make(number: str, contact: str = "王喆") -> Path:
        path = folder / f"{number}.yaml"
        path.write_text(text.replace("HZYX-PX-2026-018", number).replace("contact: 王喆", f"contact: {contact}"), encoding="utf-8")
        return path

    return make


def run_cli(*args: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "contractgen", *args], cwd=cwd, capture_output=True, text=True, timeout=300, **kwargs
    )


def test_two_processes_write_every_document_with_the_bytes_one_process_writes(agreements, tmp_path, capsys):
    inputs = [str(agreements(f"J-{n}")) for n in range(6)]
    assert main(["generate", *inputs, "--format", "docx", "-o", str(tmp_path / "two"), "--jobs", "2"]) == 0
    printed = capsys.readouterr().out.split()
    assert sorted(printed) == sorted(str(tmp_path / "two" / f"J-{n}.docx") for n in range(6))
    assert main(["generate", *inputs, "--format", "docx", "-o", str(tmp_path / "one"), "--jobs", "1"]) == 0
    for n in range(6):
        assert (tmp_path / "two" / f"J-{n}.docx").read_bytes() == (tmp_path / "one" / f"J-{n}.docx").read_bytes()


def test_keep_going_writes_the_good_ones_reports_the_bad_ones_and_exits_2(agreements, tmp_path, capsys):
    good, glyph, late = agreements("K-1"), agreements("K-2", contact=f"王{NO_GLYPH}"), agreements("K-3")
    invalid = tmp_path / "in" / "invalid.yaml"
    invalid.write_text(OFFLINE_EXAMPLE.read_text(encoding="utf-8").replace("copies: 4", "copies: 3"), encoding="utf-8")
    out, report = tmp_path / "out", tmp_path / "report.json"
    args = [str(good), str(invalid), str(glyph), str(late), "-o", str(out), "--report", str(report), "--jobs", "1"]
    assert main(["generate", *args, "--keep-going"]) == 2
    assert sorted(p.name for p in out.iterdir()) == ["K-1.docx", "K-1.pdf", "K-3.docx", "K-3.pdf"]
    err = capsys.readouterr().err
    assert f"{invalid}:" in err and "effectiveness.copies" in err
    assert "parties.client.contact" in err
    assert "2 of 4 document(s) failed; 2 written." in err
    summary = json.loads(report.read_text(encoding="utf-8"))
    assert [d["status"] for d in summary["documents"]] == ["written", "invalid", "invalid", "written"]
    assert summary["documents"][0]["files"] == [str(out / "K-1.docx"), str(out / "K-1.pdf")]
    [copies] = summary["documents"][1]["errors"]
    line = next(n for n, text in enumerate(invalid.read_text(encoding="utf-8").splitlines(), 1) if "copies: 3" in text)
    assert (copies["file"], copies["line"], copies["path"]) == (str(invalid), line, "effectiveness.copies")
    assert summary["documents"][2]["errors"][0]["path"] == "parties.client.contact"
    assert (summary["written"], summary["invalid"], summary["total"]) == (2, 2, 4)


def test_without_keep_going_an_invalid_input_writes_nothing_and_the_report_says_why(agreements, tmp_path, capsys):
    bad = tmp_path / "in" / "bad.yaml"
    bad.write_text("kind: training_agreement\ncontract_no: X\n", encoding="utf-8")
    out, report = tmp_path / "out", tmp_path / "report.json"
    assert main(["generate", str(agreements("N-1")), str(bad), "-o", str(out), "--report", str(report)]) == 2
    assert "nothing was written" in capsys.readouterr().err
    assert not out.exists()
    summary = json.loads(report.read_text(encoding="utf-8"))
    assert [d["status"] for d in summary["documents"]] == ["skipped", "invalid"]
    assert all(e["file"] == str(bad) for e in summary["documents"][1]["errors"])


def test_without_keep_going_a_failed_render_stops_the_batch_and_earlier_documents_stay(agreements, tmp_path, capsys):
    inputs = [agreements("S-1"), agreements("S-2", contact=f"王{NO_GLYPH}"), agreements("S-3")]
    out, report = tmp_path / "out", tmp_path / "report.json"
    assert main(["generate", *map(str, inputs), "-o", str(out), "--report", str(report), "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert "parties.client.contact" in err
    assert "the batch stopped; the 1 document(s) written before it stay written." in err
    assert sorted(p.name for p in out.iterdir()) == ["S-1.docx", "S-1.pdf"]
    summary = json.loads(report.read_text(encoding="utf-8"))
    assert [d["status"] for d in summary["documents"]] == ["written", "invalid", "skipped"]


def test_an_existing_file_stops_the_batch_before_anything_renders(agreements, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "E-2.pdf").write_bytes(b"a signed copy")
    assert main(["generate", str(agreements("E-1")), str(agreements("E-2")), "-o", str(out)]) == 1
    assert "E-2.pdf (use --force)" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["E-2.pdf"]


def test_jobs_must_be_a_positive_number(capsys):
    with pytest.raises(SystemExit):
        main(["generate", str(OFFLINE_EXAMPLE), "--jobs", "0"])
    assert "at least 1" in capsys.readouterr().err


# progress --------------------------------------------------------------------------------


def test_no_progress_bar_when_stderr_is_not_a_terminal(agreements, tmp_path):
    done = run_cli("generate", str(agreements("Q-1")), "--format", "docx", "-o", "out", cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.split() == ["out/Q-1.docx"]


def test_a_progress_bar_on_a_terminal_with_count_rate_and_eta(agreements, tmp_path):
    inputs = [str(agreements(f"B-{n}")) for n in range(3)]
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    with subprocess.Popen(
        [sys.executable, "-m", "contractgen", "generate", *inputs, "--format", "docx", "-o", "out", "--jobs", "1"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=follower, text=True,
    ) as process:
        os.close(follower)
        screen = _read_until_closed(leader)
        printed = process.stdout.read()
    assert process.returncode == 0
    assert "documents: 100%" in screen and "3/3" in screen
    assert "doc/s" in screen and "<00:00" in screen  # rate and time left
    assert sorted(printed.split()) == [f"out/B-{n}.docx" for n in range(3)]


def _read_until_closed(fd: int) -> str:
    chunks = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", "replace")


def test_ctrl_c_stops_the_workers_writes_the_report_and_shows_no_traceback(agreements, tmp_path):
    inputs = [str(agreements(f"C-{n}")) for n in range(12)]
    with subprocess.Popen(
        [sys.executable, "-m", "contractgen", "generate", *inputs, "-o", "out", "--jobs", "2", "--report", "r.json"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as process:
        first = process.stdout.readline()  # the first file is on disk
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
    assert first.startswith("out/C-")
    assert process.returncode == 130
    assert "Traceback" not in err and "interrupted" in err
    summary = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert summary["written"] >= 1 and summary["skipped"] >= 1
    written = {name for d in summary["documents"] for name in d["files"]}
    assert written == {f"out/{p.name}" for p in (tmp_path / "out").iterdir()}


# validate and rows ---------------------------------------------------------------------------


def test_validate_takes_many_files_and_reports_every_problem_at_once(agreements, tmp_path, capsys):
    first, twin = agreements("V-1"), agreements("v-1")
    broken = tmp_path / "in" / "broken.yaml"
    broken.write_text("kind: training_agreement\n", encoding="utf-8")
    assert main(["validate", str(first), str(broken), str(twin)]) == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [f"{first}: valid training_agreement"]
    assert f"{broken}:" in captured.err
    assert f"{twin}: would also write v-1.docx, like {first}" in captured.err


def test_validate_rows_checks_every_row(capsys):
    assert main(["validate", str(OFFLINE_EXAMPLE), "--rows", str(ROWS)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 10 and all(line.endswith(": valid training_agreement") for line in lines)


def test_generate_rows_writes_one_document_per_row(tmp_path, capsys):
    args = ["generate", str(OFFLINE_EXAMPLE), "--rows", str(ROWS), "--format", "docx", "-o", str(tmp_path), "--jobs", "2"]
    assert main(args) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert len(written) == 10 and len(set(written)) == 10
    assert sorted(Path(line).name for line in capsys.readouterr().out.split()) == written


def test_rows_take_one_base_file(tmp_path, capsys):
    assert main(["generate", str(OFFLINE_EXAMPLE), str(OFFLINE_EXAMPLE), "--rows", str(ROWS), "-o", str(tmp_path)]) == 2
    assert "give one base YAML file with --rows" in capsys.readouterr().err


def test_help_says_what_stays_written_when_a_batch_stops():
    done = run_cli("generate", "--help", cwd=ROOT)
    assert "documents written before it stay written" in " ".join(done.stdout.split())
