"""Hostile file names and failing writes: outputs stay inside their folder, and a set is written whole or not at all.

The file name comes from data (the contract number), so traversal, absolute
paths, drive letters, reserved device names and over-long names must all
give a readable name inside the output folder.  A write that fails halfway
(a full disk at the second file, a rename refused, a writer that raises, an
interrupt) must leave the previous files byte-for-byte and no temporary
file behind.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import docx
import pytest

from contractgen.cli import main
from contractgen.errors import InputError, OutputExistsError
from contractgen.output import MAX_NAME_BYTES, safe_file_stem
from contractgen.pipeline import generate, loads
from tests.conftest import OFFLINE_EXAMPLE, load_offline_variant, make_agreement_model

OLD = {"docx": b"the signed DOCX of last week", "pdf": b"the signed PDF of last week"}
CONTRACT_NO = "HZYX-PX-2026-018"  # the offline example's, hence its file names


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- item 10: names from data

EXT_B = "\U00020bb7"  # 𠮷, a CJK Extension B character: 4 bytes in UTF-8


@pytest.mark.parametrize(
    ("contract_no", "stem"),
    [
        pytest.param("../../x", "_.._x", id="traversal"),
        pytest.param("/etc/passwd", "_etc_passwd", id="absolute"),
        pytest.param("a/b", "a_b", id="slash"),
        pytest.param("C:\\x", "C_x", id="drive-letter"),
        pytest.param("..\\..\\evil", "_.._evil", id="backslash-traversal"),
        pytest.param("CON", "_CON", id="device-name"),
        pytest.param("nul.txt", "_nul.txt", id="device-name-with-extension"),
        pytest.param(".", "document", id="dot"),
        pytest.param("..", "document", id="dot-dot"),
        pytest.param("/./..//", "document", id="empty-after-cleaning"),
        pytest.param("合同 第1号", "合同 第1号", id="readable-chinese-kept"),
    ],
)
def test_a_contract_number_gives_a_safe_readable_name_inside_the_output_folder(
    tmp_path: Path, contract_no: str, stem: str
) -> None:
    out = tmp_path / "a" / "b" / "out"  # "../../x" would land in tmp_path/a: still watched below
    (written,) = generate(make_agreement_model(contract_no=contract_no), out, formats=["docx"])
    assert written.name == f"{stem}.docx"
    assert written.resolve().parent == out.resolve()
    assert files_under(tmp_path) == [f"a/b/out/{stem}.docx"]
    assert docx.Document(str(written)).core_properties.identifier == contract_no  # the data itself is kept


def test_a_250_byte_chinese_contract_number_is_cut_to_a_whole_character_name(tmp_path: Path) -> None:
    contract_no = "合同" + EXT_B * 62
    assert len(contract_no.encode("utf-8")) == 254
    (written,) = generate(make_agreement_model(contract_no=contract_no), tmp_path, formats=["docx"])
    stem = written.name.removesuffix(".docx")
    assert written.parent == tmp_path and len(stem.encode("utf-8")) <= MAX_NAME_BYTES
    assert contract_no.startswith(stem) and len(stem) > 40  # whole characters, still readable
    assert files_under(tmp_path) == [written.name]


def test_nul_in_a_contract_number_is_refused_before_any_name_is_made(tmp_path: Path) -> None:
    text = OFFLINE_EXAMPLE.read_text(encoding="utf-8").replace(f"contract_no: {CONTRACT_NO}", 'contract_no: "a\\x00b"')
    with pytest.raises(InputError) as caught:
        load_offline_variant(text)
    (problem,) = caught.value.problems
    assert problem.path == "contract_no" and "U+0000 at position 2" in problem.message
    assert safe_file_stem("a\x00b") == "a_b"  # and the name maker would not pass it on either


def test_the_cli_writes_a_traversing_contract_number_inside_the_output_folder(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in" / "agreement.yaml"
    source.parent.mkdir()
    shutil.copytree(OFFLINE_EXAMPLE.parent / "shared", source.parent / "shared")
    text = OFFLINE_EXAMPLE.read_text(encoding="utf-8").replace(CONTRACT_NO, "../../../etc/x")
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(source), "-o", str(out), "--format", "docx"]) == 0
    assert capsys.readouterr().out.split() == [str(out / "_.._.._etc_x.docx")]
    assert files_under(out) == ["_.._.._etc_x.docx"] and not (tmp_path / "etc").exists()


# --------------------------------------------------------------------------- item 12: all or nothing


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """An output folder holding last week's files for the offline example."""
    out = tmp_path / "out"
    out.mkdir()
    for fmt, data in OLD.items():
        (out / f"{CONTRACT_NO}.{fmt}").write_bytes(data)
    return out


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    import contractgen.pipeline

    return contractgen.pipeline.render(make_agreement_model())


@pytest.fixture
def prerendered(rendered: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    """generate() with the render done once per module: these tests are about the writing."""
    import contractgen.pipeline

    monkeypatch.setattr(contractgen.pipeline, "render", lambda model, formats, *args: {f: rendered[f] for f in formats})


def assert_untouched(out: Path) -> None:
    assert files_under(out) == [f"{CONTRACT_NO}.docx", f"{CONTRACT_NO}.pdf"]  # no temporary, no backup left
    for fmt, data in OLD.items():
        assert (out / f"{CONTRACT_NO}.{fmt}").read_bytes() == data


def fail_on_call(monkeypatch: pytest.MonkeyPatch, name: str, number: int, error: BaseException) -> list[Any]:
    """Make ``os.<name>`` raise ``error`` on its ``number``-th call; the calls are recorded."""
    real = getattr(os, name)
    calls: list[Any] = []

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        if len(calls) == number:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, flaky)
    return calls


@pytest.mark.parametrize(
    "error", [OSError(28, "No space left on device"), KeyboardInterrupt()], ids=["disk-full", "interrupt"]
)
@pytest.mark.usefixtures("prerendered")
def test_a_failure_writing_the_second_file_keeps_the_previous_files_byte_for_byte(
    previous: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    model = make_agreement_model()
    calls = fail_on_call(monkeypatch, "fsync", 2, error)  # the PDF, once the DOCX is safely on disk
    with pytest.raises(type(error)):
        generate(model, previous, force=True)
    assert len(calls) == 2
    assert_untouched(previous)


@pytest.mark.usefixtures("prerendered")
def test_a_rename_refused_after_the_first_file_was_replaced_puts_the_first_back(
    previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = make_agreement_model()
    calls = fail_on_call(monkeypatch, "replace", 2, PermissionError(13, "Permission denied"))
    with pytest.raises(PermissionError):
        generate(model, previous, force=True)
    assert [Path(dst).name for _, dst in calls[:2]] == [f"{CONTRACT_NO}.docx", f"{CONTRACT_NO}.pdf"]
    assert_untouched(previous)


def test_a_writer_failing_midway_writes_nothing(previous: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import contractgen.writers.docx as docx_writer

    def broken(*args: Any) -> None:
        raise RuntimeError("the DOCX writer broke halfway")

    monkeypatch.setattr(docx_writer, "_set_properties", broken)  # after the body, before the bytes
    with pytest.raises(RuntimeError, match="halfway"):
        generate(make_agreement_model(), previous, force=True)
    assert_untouched(previous)


@pytest.mark.usefixtures("prerendered")
def test_a_new_set_replaces_both_files_when_nothing_fails(previous: Path, rendered: dict[str, bytes]) -> None:
    written = generate(make_agreement_model(), previous, force=True)
    assert [p.name for p in written] == [f"{CONTRACT_NO}.docx", f"{CONTRACT_NO}.pdf"]
    assert files_under(previous) == [p.name for p in written]
    assert [p.read_bytes() for p in written] == [rendered["docx"], rendered["pdf"]]


def test_an_existing_output_is_not_overwritten_without_force(previous: Path) -> None:
    with pytest.raises(OutputExistsError, match="use --force"):
        generate(make_agreement_model(), previous, formats=["docx"])
    assert_untouched(previous)


def test_the_cli_refuses_to_overwrite_without_force_and_overwrites_with_it(previous: Path, capsys) -> None:
    args = ["generate", str(OFFLINE_EXAMPLE), "-o", str(previous), "--format", "docx"]
    assert main(args) == 1
    assert "use --force" in capsys.readouterr().err
    assert_untouched(previous)
    assert main([*args, "--force"]) == 0
    assert (previous / f"{CONTRACT_NO}.docx").read_bytes().startswith(b"PK")
    assert (previous / f"{CONTRACT_NO}.pdf").read_bytes() == OLD["pdf"]  # only the asked-for format
    assert files_under(previous) == [f"{CONTRACT_NO}.docx", f"{CONTRACT_NO}.pdf"]


def test_invalid_input_never_touches_existing_outputs(previous: Path, capsys) -> None:
    bad = previous.parent / "bad.yaml"
    bad.write_text("kind: training_agreement\ncontract_no: HZYX-PX-2026-018\n", encoding="utf-8")
    assert main(["generate", str(bad), "-o", str(previous), "--force"]) == 2
    assert "nothing was written" in capsys.readouterr().err
    assert_untouched(previous)
    with pytest.raises(InputError):
        loads(bad.read_text(encoding="utf-8"))
