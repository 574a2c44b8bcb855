"""A write stopped at any instant (SIGKILL, SIGTERM, SIGHUP, Ctrl-C) leaves the old set or the new set.

The tests stop a real writer in a forked child at a known step of the
commit (through ``output._checkpoint``) or at every line of output.py in
turn (through ``sys.settrace``), kill, signal or interrupt it there, and
read the folder back: the visible files are one whole set, and once a later
run has looked at the folder, no hidden file of ours is left.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import threading
from pathlib import Path
from typing import Callable

import pytest

from contractgen import output
from contractgen.errors import OutputExistsError
from contractgen.output import JOURNAL_NAME, recover_folder, refuse_overwrites, write_outputs

OLD = {"a.docx": b"old docx", "a.pdf": b"old pdf"}
NEW = {"a.docx": b"new docx", "a.pdf": b"new pdf"}
STEPS_BEFORE_THE_COMMIT = ["staged", "locked", "journal", "backups", "placed a.docx", "placed a.pdf"]
GBK = b"\xb9\xab\xcb\xbe"  # 公司 in GBK: a name that is not UTF-8


def everything_in(folder: Path) -> dict[str, bytes]:
    return {entry.name: Path(entry.path).read_bytes() for entry in os.scandir(folder)}


class Child:
    """A forked writer stopped at a step of its write, until it is resumed or killed."""

    def __init__(self, write: Callable[[], object], stop_at: str) -> None:
        reached, self._report = os.pipe()
        go, self._resume = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            self._run(write, stop_at, go)
        os.close(self._report)
        os.close(go)
        ready, _, _ = select.select([reached], [], [], 20)
        got = os.read(reached, 1) if ready else b""
        os.close(reached)
        if got != b"!":
            self.kill(signal.SIGKILL)
            pytest.fail(f"the writer never reached {stop_at!r}")

    def _run(self, write: Callable[[], object], stop_at: str, go: int) -> None:
        for number in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)
        output._checkpoint = lambda step: step == stop_at and (os.write(self._report, b"!"), os.read(go, 1))
        in_child(write)

    def kill(self, number: int) -> int | None:
        """Send ``number``; the signal that ended the child, or None if it exited by itself."""
        os.kill(self.pid, number)
        return self.wait()

    def resume(self) -> int | None:
        os.write(self._resume, b"go")
        return self.wait()

    def wait(self) -> int | None:
        _, status = os.waitpid(self.pid, 0)
        os.close(self._resume)
        return os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status) or None


def in_child(run: Callable[[], object]) -> None:
    """The body of a forked child: never returns into pytest; exit status 3 if ``run`` raised."""
    status = 0
    try:
        run()
    except BaseException:
        status = 3
    finally:
        os._exit(status)


def folder_with(tmp_path: Path, old: bool, gbk: bool = False) -> Path:
    out = Path(os.fsdecode(os.fsencode(tmp_path) + b"/" + GBK)) if gbk else tmp_path / "out"
    out.mkdir()
    for name, data in OLD.items() if old else ():
        (out / name).write_bytes(data)
    return out


def targets(out: Path, names: dict[str, bytes]) -> dict[Path, bytes]:
    return {out / name: data for name, data in names.items()}


SCENARIOS = {
    "replacing with --force": (True, True, False),  # old set present, force, name
    "creating": (False, False, False),
    "creating, names not UTF-8": (False, False, True),
}


@pytest.mark.parametrize("step", [*STEPS_BEFORE_THE_COMMIT, "committed"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_sigkill_at_any_step_leaves_the_old_or_the_new_set_once_the_next_run_looks(tmp_path, scenario, step):
    old, force, gbk = SCENARIOS[scenario]
    out = folder_with(tmp_path, old, gbk)
    names = {os.fsdecode(GBK) + name if gbk else name: data for name, data in NEW.items()}
    stop_at = f"placed {os.fsdecode(GBK)}{step[7:]}" if gbk and step.startswith("placed") else step
    writer = Child(lambda: write_outputs(targets(out, names), force), stop_at)
    assert writer.kill(signal.SIGKILL) == signal.SIGKILL
    if step in ("journal", "backups", "placed a.docx", "placed a.pdf"):
        assert JOURNAL_NAME in everything_in(out)  # the killed run could not clean up

    committed = step == "committed"
    if committed and not force:  # the new set is whole: a next run without --force rightly refuses
        with pytest.raises(OutputExistsError):
            refuse_overwrites(list(targets(out, names)), force=False)
    else:  # the next run: without --force it must pass, the half-written set being no set
        refuse_overwrites(list(targets(out, names)), force=force)
    expected = names if committed else ({name: OLD[name] for name in names} if old else {})
    assert everything_in(out) == expected


@pytest.mark.parametrize("step", STEPS_BEFORE_THE_COMMIT)
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_or_sighup_during_the_write_rolls_back_at_once_and_still_ends_the_process(tmp_path, number, step):
    out = folder_with(tmp_path, old=True)
    writer = Child(lambda: write_outputs(targets(out, NEW), force=True), step)
    assert writer.kill(number) == number  # the process still ends by the signal, as the sender meant
    assert everything_in(out) == OLD  # with no later run needed: nothing hidden left


def test_sigterm_after_the_commit_point_leaves_the_new_set_and_no_backup(tmp_path):
    out = folder_with(tmp_path, old=True)
    writer = Child(lambda: write_outputs(targets(out, NEW), force=True), "committed")
    assert writer.kill(signal.SIGTERM) == signal.SIGTERM
    assert everything_in(out) == NEW


def test_a_programs_own_sigterm_handler_is_left_to_it(tmp_path):
    """A batch engine that stops gracefully on SIGTERM gets the document finished, not rolled back."""
    out = folder_with(tmp_path, old=True)

    def write_with_own_handler():
        stopping: list[int] = []
        signal.signal(signal.SIGTERM, lambda number, frame: stopping.append(number))
        write_outputs(targets(out, NEW), force=True)
        (out / "stopping").write_text(str(stopping))

    writer = Child(write_with_own_handler, "placed a.docx")
    os.kill(writer.pid, signal.SIGTERM)
    assert writer.resume() is None
    assert everything_in(out) == {**NEW, "stopping": f"[{int(signal.SIGTERM)}]".encode()}


def test_a_rollback_that_fails_itself_is_finished_by_the_next_run(tmp_path, monkeypatch):
    """A rename refused on the way forward and again on the way back: the journal stays for the next run."""
    out = folder_with(tmp_path, old=True)
    real_replace = os.replace

    def replace_then_fail(src, dst):
        real_replace(src, dst)
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", replace_then_fail)
    with pytest.raises(OSError, match="Input/output"):
        write_outputs(targets(out, NEW), force=True)
    monkeypatch.undo()
    assert JOURNAL_NAME in everything_in(out) and (out / "a.docx").read_bytes() == b"old docx"
    recover_folder(out)
    assert everything_in(out) == OLD


def test_ctrl_c_during_the_rollback_waits_until_the_rollback_is_done(tmp_path, monkeypatch):
    """People press Ctrl-C twice: the second one must not cut the putting back short."""
    out = folder_with(tmp_path, old=True)
    real_replace = os.replace
    calls: list[str] = []

    def forward_fails_then_ctrl_c_on_the_way_back(src, dst):
        calls.append(dst)
        if len(calls) == 2:  # the rollback putting a.docx back
            os.kill(os.getpid(), signal.SIGINT)
        real_replace(src, dst)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", forward_fails_then_ctrl_c_on_the_way_back)
    other_thread_done = threading.Event()  # the kernel may hand the signal to any thread that does not block it
    other_thread = threading.Thread(target=other_thread_done.wait, daemon=True)
    other_thread.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            write_outputs(targets(out, NEW), force=True)
    finally:
        other_thread_done.set()
    assert len(calls) == 2
    assert everything_in(out) == OLD


def interrupt_at_line(number: int) -> None:
    """Ctrl-C at the ``number``-th line output.py runs, delivered as a signal would be.

    While signals are postponed (a clean-up in progress) it waits for the first
    line after; inside an ``except`` block (reached only by a first exception) too.
    """
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
            postponed = isinstance(signal.getsignal(signal.SIGINT), output._Postponed)
            handling = sys.exc_info()[1] is not None  # raised there, CPython 3.11 leaves it "handled" for good
            if count >= number and not postponed and not handling:
                raise KeyboardInterrupt  # also ends the tracing
        return local

    def start(frame, event, arg):
        return local if frame.f_code.co_filename == output.__file__ else None

    sys.settrace(start)


@pytest.fixture
def signal_handlers():
    saved = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGHUP)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


@pytest.mark.usefixtures("signal_handlers")
@pytest.mark.parametrize("force", [True, False], ids=["replacing", "creating"])
def test_ctrl_c_at_every_line_of_the_write_leaves_one_set_then_no_litter(tmp_path, monkeypatch, force):
    for line in range(1, 10_000):
        (tmp_path / str(line)).mkdir()
        out = folder_with(tmp_path / str(line), old=force)
        interrupted = False
        interrupt_at_line(line)
        try:
            write_outputs(targets(out, NEW), force)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            sys.settrace(None)
        visible = {name: data for name, data in everything_in(out).items() if not name.startswith(".")}
        assert visible in (NEW, OLD if force else {}), f"Ctrl-C at line event {line}"
        assert JOURNAL_NAME not in everything_in(out), f"Ctrl-C at line event {line}"
        with monkeypatch.context() as later_run:  # a later process: this one's pid is dead by then
            later_run.setattr(output, "_alive", lambda pid: False)
            later_run.setattr(output, "_SWEPT", set())
            recover_folder(out)
        assert everything_in(out) == visible, f"Ctrl-C at line event {line}"
        if not interrupted:
            break
    assert line > 50  # the write really was interrupted all along its way


def die_at_line(number: int) -> None:
    """End the process at once, no clean-up at all (as SIGKILL would), at the ``number``-th line of output.py."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
            if count == number:
                os._exit(9)
        return local

    sys.settrace(lambda frame, event, arg: local if frame.f_code.co_filename == output.__file__ else None)


@pytest.mark.parametrize("force", [True, False], ids=["replacing", "creating"])
def test_death_at_every_line_of_the_write_leaves_one_set_once_the_next_run_looks(tmp_path, force):
    for line in range(1, 10_000):
        (tmp_path / str(line)).mkdir()
        out = folder_with(tmp_path / str(line), old=force)
        pid = os.fork()
        if pid == 0:
            in_child(lambda: (die_at_line(line), write_outputs(targets(out, NEW), force)))
        died = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 9
        recover_folder(out)
        assert everything_in(out) in (NEW, OLD if force else {}), f"death at line event {line}"
        if not died:
            break
    assert line > 50


def test_processes_writing_the_same_document_never_show_a_mixed_set_to_a_run_holding_the_lock(tmp_path):
    out = folder_with(tmp_path, old=False)

    def writer(tag: str) -> None:
        for n in range(25):
            write_outputs(targets(out, {"a.docx": f"{tag}{n}".encode(), "a.pdf": f"{tag}{n}".encode()}), True)

    children = []
    for tag in "AB":
        pid = os.fork()
        if pid == 0:
            in_child(lambda: writer(tag))
        children.append(pid)
    for _ in range(200):
        with output._locked(out):
            files = {name: (out / name).read_bytes() for name in NEW if (out / name).exists()}
        assert files == {} or files["a.docx"] == files["a.pdf"]
    assert [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children] == [0, 0]
    final = everything_in(out)
    assert final.keys() == NEW.keys() and final["a.docx"] == final["a.pdf"]


def test_without_force_of_two_runs_at_once_one_writes_and_the_other_is_refused(tmp_path):
    out = folder_with(tmp_path, old=False)
    refuse_overwrites(list(targets(out, NEW)), force=False)  # both runs pass the up-front check
    first = Child(lambda: write_outputs(targets(out, {"a.docx": b"1", "a.pdf": b"1"}), False), "placed a.docx")
    resume_later = threading.Timer(0.3, first.resume)
    resume_later.start()
    with pytest.raises(OutputExistsError, match=r"a\.docx, .*a\.pdf \(use --force\)"):
        write_outputs(targets(out, {"a.docx": b"2", "a.pdf": b"2"}), False)  # waits for the lock meanwhile
    resume_later.join()
    assert everything_in(out) == {"a.docx": b"1", "a.pdf": b"1"}
