"""Names from data, and a write phase that keeps its promise: old set or new set, whatever stops it."""

import os
import signal
import stat
import threading
import time
from pathlib import Path

import pytest

from contractgen import output
from contractgen.errors import OutputExistsError
from contractgen.output import (
    LOCK_NAME,
    display_path,
    refuse_overwrites,
    safe_file_stem,
    write_atomically,
    write_outputs,
)


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


# --------------------------------------------------------------------------- the write phase (issue 11)

OLD = {"a.docx": b"old docx", "a.pdf": b"old pdf"}
NEW = {"a.docx": b"new docx", "a.pdf": b"new pdf"}
GBK_FOLDER = b"\xb9\xab\xcb\xbe"  # 公司 in GBK, as an unzipped archive leaves it


def a_set(folder: Path, contents: dict[str, bytes]) -> dict[Path, bytes]:
    return {folder / name: data for name, data in contents.items()}


def with_old_set(folder: Path) -> Path:
    for name, data in OLD.items():
        (folder / name).write_bytes(data)
    return folder


def everything_in(folder: Path) -> dict[str, bytes]:
    """Every file, hidden ones too: a temporary, backup, journal or lock left behind shows here."""
    return {entry.name: Path(entry.path).read_bytes() for entry in os.scandir(folder)}


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def test_ctrl_c_right_after_the_first_rename_puts_the_first_file_back(tmp_path, monkeypatch):
    """The rename happened, the bookkeeping after it did not: the old set must still come back whole."""
    out = with_old_set(tmp_path)
    real_replace = os.replace
    calls: list[str] = []

    def replace_then_interrupt(src, dst):
        real_replace(src, dst)
        calls.append(dst)
        if len(calls) == 1:
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", replace_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_outputs(a_set(out, NEW), force=True)
    assert everything_in(out) == OLD


def test_ctrl_c_right_after_creating_the_first_file_removes_it(tmp_path, monkeypatch):
    real_link = os.link
    calls: list[str] = []

    def link_then_interrupt(src, dst, **kwargs):
        real_link(src, dst, **kwargs)
        calls.append(dst)
        if len(calls) == 1:
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "link", link_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_outputs(a_set(tmp_path, NEW), force=False)
    assert everything_in(tmp_path) == {}


def test_force_keeps_the_old_files_mode(tmp_path):
    out = with_old_set(tmp_path)
    os.chmod(out / "a.docx", 0o600)
    os.chmod(out / "a.pdf", 0o640)
    write_outputs(a_set(out, NEW), force=True)
    assert stat.S_IMODE((out / "a.docx").stat().st_mode) == 0o600
    assert stat.S_IMODE((out / "a.pdf").stat().st_mode) == 0o640
    assert everything_in(out) == NEW


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another user")
def test_force_keeps_the_old_files_owner_when_permitted(tmp_path):
    out = with_old_set(tmp_path)
    os.chown(out / "a.docx", 4321, 8765)
    write_outputs(a_set(out, NEW), force=True)
    owner = (out / "a.docx").stat()
    assert (owner.st_uid, owner.st_gid) == (4321, 8765)


def test_new_files_get_0666_less_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        write_outputs(a_set(tmp_path, NEW), force=False)
    finally:
        os.umask(old)
    assert {stat.S_IMODE((tmp_path / name).stat().st_mode) for name in NEW} == {0o640}


def test_the_umask_is_read_without_being_changed(tmp_path, monkeypatch):
    """os.umask(0) for a moment gives another thread's new files mode 0666."""
    old = os.umask(0o027)
    try:
        monkeypatch.setattr(os, "umask", lambda mask: pytest.fail("the umask was set"))
        assert output._current_umask(tmp_path) == 0o027
    finally:
        monkeypatch.undo()
        os.umask(old)


def test_without_proc_the_umask_is_probed_once_in_the_folder_and_the_probe_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(output, "_PROC_STATUS", str(tmp_path / "no-proc-here"))
    monkeypatch.setattr(output, "_PROBED_UMASK", {})
    old = os.umask(0o027)
    try:
        monkeypatch.setattr(os, "umask", lambda mask: pytest.fail("the umask was set"))
        assert 0o666 & ~output._current_umask(tmp_path) == 0o640  # a 0666 file cannot show the x bits
        assert list(output._PROBED_UMASK) == [os.getpid()]  # cached for this process
    finally:
        monkeypatch.undo()
        os.umask(old)
    assert everything_in(tmp_path) == {}


def test_a_folder_name_that_is_not_utf8_is_written_and_displayed(tmp_path):
    os.mkdir(os.fsencode(tmp_path) + b"/" + GBK_FOLDER)
    out = Path(os.fsdecode(os.fsencode(tmp_path) + b"/" + GBK_FOLDER))
    written = write_outputs(a_set(out, NEW), force=False)
    shown = [display_path(path) for path in written]
    assert shown == [f"{tmp_path}/\\xb9\\xab\u02fe/{name}" for name in NEW]  # CB BE happens to be UTF-8
    for text in shown:
        text.encode("utf-8")  # printable on any UTF-8 terminal: no surrogates left
    with pytest.raises(OutputExistsError) as refused:
        write_outputs(a_set(out, NEW), force=False)
    str(refused.value).encode("utf-8")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("合同 第1号\u3000甲.pdf", "合同 第1号\u3000甲.pdf"),  # readable Chinese, spaces included, stays
        ("a\nb.pdf", "a\\nb.pdf"),
        ("\x1b[31mred.pdf", "\\x1b[31mred.pdf"),  # no terminal escape sequences
        ("fdp.\u202excod", "fdp.\\u202excod"),  # no bidi override hiding the real extension
        (b"\xff\xfe.pdf", "\\xff\\xfe.pdf"),
    ],
)
def test_display_path_escapes_what_cannot_or_should_not_be_printed(name, shown):
    assert display_path(name) == shown


def test_a_file_another_run_wrote_since_the_check_is_not_overwritten(tmp_path, monkeypatch):
    """Both runs passed the up-front check; the second must fail naming the file, and write nothing."""
    refuse_overwrites(list(a_set(tmp_path, NEW)), force=False)
    other_run: list[str] = []

    def checkpoint(step):
        if step == "staged" and not other_run:
            other_run.append(step)
            write_outputs({tmp_path / "a.pdf": b"the other run's pdf"}, force=False)

    monkeypatch.setattr(output, "_checkpoint", checkpoint)
    with pytest.raises(OutputExistsError, match=r"a\.pdf \(use --force\)"):
        write_outputs(a_set(tmp_path, NEW), force=False)
    assert everything_in(tmp_path) == {"a.pdf": b"the other run's pdf"}


def test_a_file_another_program_wrote_during_the_commit_is_not_overwritten(tmp_path, monkeypatch):
    """Past the check under the lock, the create-if-absent itself still refuses, and undoes the set."""

    def checkpoint(step):
        if step == "placed a.docx":
            (tmp_path / "a.pdf").write_bytes(b"another program's pdf")

    monkeypatch.setattr(output, "_checkpoint", checkpoint)
    with pytest.raises(OutputExistsError, match=r"a\.pdf"):
        write_outputs(a_set(tmp_path, NEW), force=False)
    assert everything_in(tmp_path) == {"a.pdf": b"another program's pdf"}


def run_in_thread(name: str, target, *args) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run():
        try:
            target(*args)
        except BaseException as error:  # reported by the test
            errors.append(error)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread, errors


def test_a_second_writer_waits_for_the_first_commit_so_each_set_comes_from_one_run(tmp_path, monkeypatch):
    out = with_old_set(tmp_path)
    steps: list[tuple[str, str]] = []
    paused, resume = threading.Event(), threading.Event()

    def checkpoint(step):
        steps.append((threading.current_thread().name, step))
        if steps[-1] == ("first", "placed a.docx"):
            paused.set()
            resume.wait(10)

    monkeypatch.setattr(output, "_checkpoint", checkpoint)
    first, first_errors = run_in_thread("first", write_outputs, a_set(out, {"a.docx": b"1", "a.pdf": b"1"}), True)
    assert paused.wait(10)
    second, second_errors = run_in_thread("second", write_outputs, a_set(out, {"a.docx": b"2", "a.pdf": b"2"}), True)
    time.sleep(0.3)
    assert ("second", "staged") in steps and ("second", "locked") not in steps  # waiting for the lock
    resume.set()
    first.join(10)
    second.join(10)
    assert first_errors == second_errors == []
    assert steps.index(("first", "committed")) < steps.index(("second", "locked"))
    assert everything_in(out) == {"a.docx": b"2", "a.pdf": b"2"}


def test_the_lock_excludes_and_its_file_goes_away(tmp_path):
    """Holders remove the lock file; a waiter that got the removed file must not think it holds the lock."""
    inside: list[str] = []
    overlaps: list[int] = []

    def hold_many_times():
        for _ in range(200):
            with output._locked(tmp_path):
                inside.append("x")
                if len(inside) > 1:
                    overlaps.append(len(inside))
                time.sleep(0)
                inside.pop()

    threads = [run_in_thread(f"locker {n}", hold_many_times) for n in range(3)]
    for thread, errors in threads:
        thread.join(30)
        assert errors == []
    assert overlaps == []
    assert not (tmp_path / LOCK_NAME).exists()


def test_dead_runs_hidden_files_are_removed_and_nothing_else(tmp_path):
    dead, alive = dead_pid(), os.getppid()
    other = tmp_path / "elsewhere"
    (tmp_path / "sub").mkdir()
    other.mkdir()
    stale = [f".a.docx.contractgen-{dead}-0123abcd.tmp", f".a.pdf.contractgen-{dead}-89abcdef.bak"]
    kept = [
        f".a.docx.contractgen-{os.getpid()}-0123abcd.tmp",  # ours, alive: maybe another thread's
        f".a.docx.contractgen-{alive}-0123abcd.tmp",  # a live process's
        ".a.docx.tmp",  # not our pattern
        f"a.docx.contractgen-{dead}-0123abcd.tmp",  # not hidden: a user's file
        f".a.docx.contractgen-{dead}-0123abcd.tmp.keep",
        f"sub/.a.docx.contractgen-{dead}-0123abcd.tmp",  # not in the output folder
        f"elsewhere/.a.docx.contractgen-{dead}-0123abcd.tmp",
    ]
    for name in stale + kept:
        (tmp_path / name).write_bytes(b"x")
    write_outputs(a_set(tmp_path, NEW), force=False)
    assert all(not (tmp_path / name).exists() for name in stale)
    assert all((tmp_path / name).exists() for name in kept)


def test_signal_handlers_are_left_as_they_were(tmp_path):
    def own_handler(number, frame):
        pass

    previous = signal.signal(signal.SIGHUP, own_handler)
    try:
        term = signal.getsignal(signal.SIGTERM)
        write_outputs(a_set(tmp_path, NEW), force=False)
        assert signal.getsignal(signal.SIGTERM) == term
        assert signal.getsignal(signal.SIGHUP) is own_handler
    finally:
        signal.signal(signal.SIGHUP, previous)


def test_writing_from_a_worker_thread_works(tmp_path):
    """Only the main thread may set signal handlers; a batch engine's worker threads still write."""
    thread, errors = run_in_thread("worker", write_outputs, a_set(tmp_path, NEW), False)
    thread.join(10)
    assert errors == [] and everything_in(tmp_path) == NEW


def test_outputs_in_two_folders_are_refused(tmp_path):
    (tmp_path / "b").mkdir()
    with pytest.raises(ValueError, match="one folder"):
        write_outputs({tmp_path / "a.docx": b"x", tmp_path / "b" / "a.pdf": b"y"}, force=False)
    assert not (tmp_path / "a.docx").exists() and not (tmp_path / "b" / "a.pdf").exists()
