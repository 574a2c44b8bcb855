import os

import pytest

from contractgen.errors import OutputExistsError
from contractgen.output import safe_file_stem, write_atomically, write_outputs


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("HT-2026/001", "HT-2026_001"),
        ("../../x", "_.._x"),
        ("/etc/passwd", "_etc_passwd"),
        ("a\x00b", "a_b"),
        ("CON", "_CON"),
        ("..", "document"),
        ("培训协议 第1号", "培训协议 第1号"),
    ],
)
def test_safe_file_stem(name, expected):
    assert safe_file_stem(name) == expected


def test_long_chinese_names_are_cut_on_a_character_boundary():
    stem = safe_file_stem("协" * 250)
    assert len(stem.encode("utf-8")) <= 200 and set(stem) == {"协"}


def test_existing_file_is_not_overwritten_without_force(tmp_path):
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")
    other = tmp_path / "a.pdf"
    with pytest.raises(OutputExistsError, match="use --force"):
        write_outputs({other: b"new pdf", target: b"new"}, force=False)
    assert target.read_bytes() == b"old" and not other.exists()  # nothing written at all
    write_outputs({target: b"new"}, force=True)
    assert target.read_bytes() == b"new"


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")

    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_written_files_get_normal_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomically(tmp_path / "x.docx", b"data")
    finally:
        os.umask(old)
    assert (tmp_path / "x.docx").stat().st_mode & 0o777 == 0o644
