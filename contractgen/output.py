"""Writing files safely: sanitised names, no silent overwrite, each document's files as one set.

All outputs are rendered to bytes before this module is called, so an
invalid input never leaves a file behind.  ``write_outputs`` writes the
files of one document (its DOCX and PDF; or a whole batch, if given one)
as a set, and promises this:

**A crash at any instant leaves the old set or the new set.**  Each file is
written to a hidden temporary sibling (``.NAME.contractgen-PID-RANDOM.tmp``)
and flushed to disk.  Then, with the folder locked, a journal
(``.contractgen.journal``) naming every target, its temporary and a backup
of its old version (a hard link, ``.NAME.contractgen-PID-RANDOM.bak``) is
flushed to disk before the first rename; the set is committed at the
instant the journal is removed.  Whatever stops a write decides by the
journal alone: present, the old set goes back; gone, the new set stays.

- An exception (disk full, a refused rename, Ctrl-C) or SIGTERM/SIGHUP
  (timeout, CI, ``docker stop``, systemd) rolls the set back on the spot:
  targets already replaced get their old version back, new ones are
  removed, no hidden file stays.  SIGTERM/SIGHUP are caught only where they
  would kill us (default handler) and only in the main thread, and are
  delivered again once the set is back, so the process still ends by them.
  Further Ctrl-C/SIGTERM/SIGHUP wait while a rollback runs.
- A run killed outright (SIGKILL, an out-of-memory kill, a power cut) leaves
  the journal; the next contractgen run that checks or writes that folder
  (``refuse_overwrites``, ``write_outputs``, ``recover_folder``) rolls the
  set back first, and removes the temporaries and backups whose process is
  gone (by the pid in their name; only those names, only files we own, only
  in that folder).  Until then the folder may show the half-written set.
- Rollback recognises a new file by its inode number, so it relies on a file
  system whose inode numbers are stable (ext4, xfs, btrfs, APFS, NFS; not
  FAT/exFAT, where links are also missing and backups are copies).
- A program that lists the folder *during* a commit (milliseconds) may see a
  new DOCX beside an old PDF; contractgen runs never do, as they take the lock.

**The lock.**  While it commits one set, a run holds ``flock`` on
``.contractgen.lock`` in the folder (removed again afterwards), so runs
writing the same folder interleave per document, and with ``force`` each
document's files come from one run.  The lock is advisory: it orders
contractgen runs, not other programs.  Without ``force`` a target is created
only if absent (a hard link of the temporary, which fails if the name is
taken), so a file that appeared after the up-front check, even from another
program, is never overwritten: that is an ``OutputExistsError`` naming it,
and no other file of that set is written either.

**What ``force`` keeps.**  A replaced file keeps its mode (0600 stays 0600)
and, where permitted, its owner and group; new files get ``0o666 & ~umask``.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import shutil
import signal
import stat
import sys
import threading
import unicodedata
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO, Iterator

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no folder lock
    fcntl = None  # type: ignore[assignment]

from contractgen.errors import OutputExistsError

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_WINDOWS_RESERVED = {
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
    *(f"{port}{n}" for port in ("COM", "LPT") for n in [*"123456789", "\u00b9", "\u00b2", "\u00b3"]),
}
MAX_NAME_BYTES = 200
LOCK_NAME = ".contractgen.lock"
JOURNAL_NAME = ".contractgen.journal"
_OURS = re.compile(r"\.[^/]+\.contractgen-([0-9]+)-[0-9a-f]{8}\.(?:tmp|bak)", re.DOTALL)
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}
_STOPPING = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
_HELD = [signal.SIGINT, *_STOPPING]
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
_PROC_STATUS = "/proc/self/status"


def _checkpoint(step: str) -> None:
    """Where a write has got to: a no-op that tests replace to stop a write at a known instant."""


# --------------------------------------------------------------------------- names and paths


def _visible(char: str) -> str:
    """Controls, format characters (bidi overrides), separators and unassigned code points → ``_``."""
    category = unicodedata.category(char)
    return "_" if category[0] == "C" or category in ("Zl", "Zp") else char


def safe_file_stem(name: str) -> str:
    """A readable file name from data: no separators, no traversal, no reserved names."""
    stem = "".join(_visible(char) for char in unicodedata.normalize("NFC", name))
    stem = _UNSAFE.sub("_", stem).strip(" .")
    if not stem or set(stem) <= {"_", "."}:
        stem = "document"
    if stem.split(".")[0].strip(" ").upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    while len(stem.encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem.rstrip(" .")


def display_path(path: str | bytes | os.PathLike[str]) -> str:
    """``path`` as text that always prints: undecodable bytes as ``\\xNN``, controls escaped.

    For messages only: the escapes cannot be told from a name holding a backslash.
    """
    text = os.fsencode(path).decode(sys.getfilesystemencoding(), "backslashreplace")
    return "".join(_printable(char) for char in text)


def _printable(char: str) -> str:
    hidden = unicodedata.category(char) in _HIDDEN_CATEGORIES
    return char.encode("unicode_escape").decode("ascii") if hidden else char


def _our_name(name: str, kind: str) -> str:
    """A hidden sibling name a later run can tell as ours and tie to our process."""
    return f".{name}.contractgen-{os.getpid()}-{secrets.token_hex(4)}.{kind}"


def _exists(paths: list[Path]) -> OutputExistsError:
    return OutputExistsError(f"refusing to overwrite {', '.join(display_path(p) for p in paths)} (use --force)")


# --------------------------------------------------------------------------- the public entry points


def refuse_overwrites(targets: list[Path], force: bool) -> None:
    """Fail before writing anything if a target exists and --force was not given.

    A set a killed run left half-written in a target folder is rolled back
    first, so its files do not count.
    """
    for folder in dict.fromkeys(path.parent for path in targets):
        _recover_if_possible(folder)
    existing = [path for path in targets if os.path.lexists(path)]
    if existing and not force:
        raise _exists(existing)


def recover_folder(folder: Path) -> None:
    """Roll back a set a killed run left half-written in ``folder``; remove dead runs' hidden files."""
    with _locked(folder):
        _recover(folder)


def write_atomically(path: Path, data: bytes) -> None:
    """One file, replacing any old one, with the guarantees of :func:`write_outputs`."""
    write_outputs({path: data}, force=True)


def write_outputs(outputs: dict[Path, bytes], force: bool) -> list[Path]:
    """Write the files of one set, all in one folder: all of them or none (see the module docstring)."""
    if not outputs:
        return []
    folder = _folder_of(outputs)
    with _signals_roll_back():
        staged: dict[Path, Path] = {}
        try:
            for path, data in outputs.items():
                staged[path] = _stage(path, data)
            _checkpoint("staged")
            with _locked(folder):
                _checkpoint("locked")
                _recover(folder)
                _commit(folder, staged, force)
        finally:
            for temporary in staged.values():
                temporary.unlink(missing_ok=True)
    return list(outputs)


def _folder_of(outputs: dict[Path, bytes]) -> Path:
    if len({os.path.abspath(path.parent) for path in outputs}) > 1:
        raise ValueError("the files of one set must be in one folder")
    return next(iter(outputs)).parent


# --------------------------------------------------------------------------- staging


def _stage(path: Path, data: bytes) -> Path:
    """``data`` in a hidden temporary sibling of ``path``, on disk, with a new file's usual permissions."""
    handle, temporary = _new_sibling(path, "tmp", 0o600)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_current_umask(path.parent))
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _new_sibling(path: Path, kind: str, mode: int) -> tuple[int, Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        candidate = path.with_name(_our_name(path.name, kind))
        with suppress(FileExistsError):
            return os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), candidate


def _current_umask(folder: Path) -> int:
    """The process umask, read without setting it (``os.umask`` would, racing with other threads)."""
    try:
        with open(_PROC_STATUS, encoding="ascii") as status:
            return next(int(line.split()[1], 8) for line in status if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        return _probed_umask(folder)


_PROBED_UMASK: dict[int, int] = {}


def _probed_umask(folder: Path) -> int:
    """Without /proc: what a file created 0666 in ``folder`` lacks; probed once per process."""
    pid = os.getpid()
    if pid not in _PROBED_UMASK:
        handle, probe = _new_sibling(folder / "umask", "tmp", 0o666)
        try:
            _PROBED_UMASK[pid] = 0o666 & ~stat.S_IMODE(os.fstat(handle).st_mode)
        finally:
            os.close(handle)
            probe.unlink()
    return _PROBED_UMASK[pid]


# --------------------------------------------------------------------------- the commit


@dataclass(frozen=True)
class _Entry:
    """One file of a set being committed, by names inside its folder (so a journal can hold it)."""

    target: str
    temporary: str
    backup: str | None  # a link to (or copy of) the old target; None: there was none
    new_inode: int  # how a rollback tells the new file from anything else at the target

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> _Entry:
        entry = cls(item["target"], item["temporary"], item["backup"], int(item["new_inode"]))
        ours = [entry.temporary, *([entry.backup] if entry.backup is not None else [])]
        if not _plain_name(entry.target) or not all(_OURS.fullmatch(name) for name in ours):
            raise ValueError(f"not a journal entry of ours: {item!r}")
        return entry


def _plain_name(name: object) -> bool:
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name and "\0" not in name


def _commit(folder: Path, staged: dict[Path, Path], force: bool) -> None:
    """Under the lock: check, then apply; the journal decides, as after a crash: present means roll back."""
    if not force and (existing := [path for path in staged if os.path.lexists(path)]):
        raise _exists(existing)
    entries = [_plan(path, temporary) for path, temporary in staged.items()]
    journal = folder / JOURNAL_NAME
    try:
        _apply(folder, entries, journal, force)
    except BaseException:
        with _signals_held():
            _roll_back_unless_committed(folder, entries, journal)
        raise
    finally:
        with _signals_held():
            _drop_backups_once_settled(folder, entries, journal)


def _roll_back_unless_committed(folder: Path, entries: list[_Entry], journal: Path) -> None:
    if os.path.lexists(journal):  # not committed: the old set goes back
        _roll_back(folder, entries)
        journal.unlink()


def _drop_backups_once_settled(folder: Path, entries: list[_Entry], journal: Path) -> None:
    if not os.path.lexists(journal):  # committed or rolled back: the backups have served
        for entry in entries:
            _remove(folder, entry.backup)


def _apply(folder: Path, entries: list[_Entry], journal: Path, force: bool) -> None:
    """Journal, keep the old files, put the new ones in place; removing the journal commits."""
    _write_journal(journal, entries)
    _checkpoint("journal")
    for entry in entries:
        _keep_old(folder, entry)
    _sync(folder)
    _checkpoint("backups")
    for entry in entries:
        _put_in_place(folder, entry, force)
    _sync(folder)
    journal.unlink()  # the commit point: from here on, a crash leaves the new set
    _checkpoint("committed")


def _plan(path: Path, temporary: Path) -> _Entry:
    """What committing ``path`` will do; a replaced file's mode and owner carry over to the new one."""
    backup = None
    if os.path.lexists(path):
        _take_mode_and_owner(path, temporary)
        backup = _our_name(path.name, "bak")
    return _Entry(path.name, temporary.name, backup, os.stat(temporary).st_ino)


def _take_mode_and_owner(path: Path, temporary: Path) -> None:
    try:
        old = os.stat(path)  # through a symbolic link, the file it names
    except FileNotFoundError:
        return
    for uid in (old.st_uid, -1):  # the owner needs privileges; the group only membership
        with suppress(OSError):
            os.chown(temporary, uid, old.st_gid)
            break
    os.chmod(temporary, stat.S_IMODE(old.st_mode))  # after chown, which may clear set-id bits


def _write_journal(journal: Path, entries: list[_Entry]) -> None:
    """Every file of the set, on disk before the first rename, so a killed run can be undone."""
    text = json.dumps({"pid": os.getpid(), "entries": [asdict(entry) for entry in entries]})
    handle = os.open(journal, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "w", encoding="ascii") as stream:
        stream.write(text)  # names that are not UTF-8 travel as \udcNN escapes
        stream.flush()
        os.fsync(stream.fileno())


def _keep_old(folder: Path, entry: _Entry) -> None:
    """A backup of the old target: a hard link (instant), or a copy where links are not supported."""
    if entry.backup is None:
        return
    target, backup = folder / entry.target, folder / entry.backup
    try:
        os.link(target, backup, follow_symlinks=False)
    except OSError as error:
        if error.errno not in _NO_LINKS:
            raise
        shutil.copy2(target, backup, follow_symlinks=False)


def _put_in_place(folder: Path, entry: _Entry, force: bool) -> None:
    temporary, target = folder / entry.temporary, folder / entry.target
    if force:
        os.replace(temporary, target)
    else:
        _create(temporary, target)
    _checkpoint(f"placed {entry.target}")


def _create(temporary: Path, target: Path) -> None:
    """``temporary`` at ``target`` only if nothing is there: a file that appeared meanwhile is kept."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise _exists([target]) from None
    except OSError as error:
        if error.errno not in _NO_LINKS:
            raise
        if os.path.lexists(target):  # no links here: a check, made under the lock
            raise _exists([target]) from None
        os.replace(temporary, target)
        return
    temporary.unlink()


def _sync(folder: Path) -> None:
    """Put the folder's new names on disk, where the platform can."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _remove(folder: Path, name: str | None) -> None:
    if name is not None:
        (folder / name).unlink(missing_ok=True)


# --------------------------------------------------------------------------- rollback and recovery


def _roll_back(folder: Path, entries: list[_Entry]) -> None:
    """Every target back as it was: right from any point of a commit, and again after a crash in here."""
    for entry in entries:
        target = folder / entry.target
        if _inode(target) == entry.new_inode:
            _undo(target, folder / entry.backup if entry.backup is not None else None)
        _remove(folder, entry.temporary)
        _remove(folder, entry.backup)


def _undo(target: Path, backup: Path | None) -> None:
    if backup is None:
        target.unlink()
        return
    with suppress(FileNotFoundError):  # cannot happen: the backup is made before the rename
        os.replace(backup, target)


def _inode(path: Path) -> int | None:
    try:
        return os.lstat(path).st_ino
    except FileNotFoundError:
        return None


def _recover(folder: Path) -> None:
    """Under the lock: a journal found now is a killed run's, as a live one holds the lock."""
    journal = folder / JOURNAL_NAME
    entries = _read_journal(journal)
    if entries is not None:
        with _signals_held():
            _roll_back(folder, entries)
            _sync(folder)
            journal.unlink()
    _sweep_once(folder)


def _recover_if_possible(folder: Path) -> None:
    """Recovery where we may write; elsewhere the write itself will report the problem."""
    if not folder.is_dir():
        return
    try:
        recover_folder(folder)
    except OSError as error:
        if error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise


def _read_journal(journal: Path) -> list[_Entry] | None:
    """A killed run's entries; [] if its journal was cut short (then it had renamed nothing)."""
    try:
        handle = os.open(journal, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    with os.fdopen(handle, "rb") as stream:
        if os.fstat(stream.fileno()).st_uid != os.getuid():
            raise PermissionError(errno.EPERM, "another user's interrupted write is pending here", str(journal))
        text = stream.read()
    try:
        return [_Entry.from_json(item) for item in json.loads(text)["entries"]]
    except (ValueError, KeyError, TypeError):
        return []


_SWEPT: set[tuple[int, str]] = set()


def _sweep_once(folder: Path) -> None:
    """Dead runs' temporaries and backups go once per process and folder: they are litter, not danger."""
    key = (os.getpid(), os.path.abspath(folder))
    if key not in _SWEPT:
        _sweep(folder)
        _SWEPT.add(key)


def _sweep(folder: Path) -> None:
    with os.scandir(folder) as found:
        for entry in found:
            match = _OURS.fullmatch(entry.name)
            if match and _is_stale(entry, int(match[1])):
                with suppress(FileNotFoundError):
                    os.unlink(entry.path)


def _is_stale(entry: os.DirEntry[str], pid: int) -> bool:
    try:
        info = entry.stat(follow_symlinks=False)
    except FileNotFoundError:  # its live run has just removed it
        return False
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and not _alive(pid)


def _alive(pid: int) -> bool:
    if pid <= 0 or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


# --------------------------------------------------------------------------- the lock and the signals


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the folder's lock file; remove it when done, so the folder is left as found.

    The lock is held through a file object: should an interrupt skip the
    release, closing the object when it is dropped still releases the lock.
    """
    lock = folder / LOCK_NAME
    held = None
    try:
        held = _acquire(lock)
        yield
    finally:
        with _signals_held():
            _release(held, lock)


def _release(held: BinaryIO | None, lock: Path) -> None:
    if held is not None:
        with suppress(OSError):
            lock.unlink()  # still ours: only a holder removes it, and a waiter checks (_still_at)
        held.close()


def _acquire(lock: Path) -> BinaryIO | None:
    if fcntl is None:  # pragma: no cover
        return None
    while True:
        held = os.fdopen(os.open(lock, os.O_RDONLY | os.O_CREAT | os.O_NOFOLLOW, 0o666), "rb")
        try:
            fcntl.flock(held, fcntl.LOCK_EX)
            if _still_at(held, lock):
                return held
        except BaseException:
            held.close()
            raise
        held.close()


def _still_at(held: BinaryIO, path: Path) -> bool:
    """The holder before us may have removed the lock file while we waited for it."""
    try:
        current = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    opened = os.fstat(held.fileno())
    return (current.st_dev, current.st_ino) == (opened.st_dev, opened.st_ino)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP wait until a clean-up is done: one cut short is worse than a late stop.

    Python runs signal handlers in the main thread only, so that is the one
    thread a signal can cut short, and the one that may set handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    postponed = _Postponed()
    previous = {number: signal.getsignal(number) for number in _HELD}
    held = [number for number, handler in previous.items() if handler not in (signal.SIG_IGN, None)]
    for number in held:
        signal.signal(number, postponed)
    try:
        yield
    finally:
        for number in held:
            signal.signal(number, previous[number])
        for number in postponed.received:
            signal.raise_signal(number)  # to the handler that was there: KeyboardInterrupt, or death


class _Postponed:
    """A handler that only notes a signal, to deliver it again once the clean-up is done."""

    def __init__(self) -> None:
        self.received: list[int] = []

    def __call__(self, number: int, frame: object) -> None:
        if number not in self.received:
            self.received.append(number)


class _Stopped(BaseException):
    """SIGTERM or SIGHUP arrived while writing: unwinds the write; the signal is delivered after."""


@contextmanager
def _signals_roll_back() -> Iterator[None]:
    """SIGTERM and SIGHUP, while they would kill us, raise instead, so a set is rolled back first.

    Afterwards the default handlers are back and the signal is raised again,
    so the process still ends as the sender meant.  A handler of the
    program's own, or SIG_IGN, is left alone.  Only the main thread may set
    handlers: elsewhere this does nothing, and a kill leaves the journal.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stop = _StopOnce()
    taken = [number for number in _STOPPING if signal.getsignal(number) == signal.SIG_DFL]
    for number in taken:
        signal.signal(number, stop)
    try:
        yield
    finally:
        stop.writing = False
        for number in taken:
            signal.signal(number, signal.SIG_DFL)
        if stop.received:
            signal.raise_signal(stop.received[0])


class _StopOnce:
    """The handler while writing: the first signal unwinds the write; later ones wait for its end."""

    def __init__(self) -> None:
        self.writing = True
        self.received: list[int] = []

    def __call__(self, number: int, frame: object) -> None:
        if not self.writing:  # left installed by an interrupt: behave as the default would
            signal.signal(number, signal.SIG_DFL)
            signal.raise_signal(number)
        self.received.append(number)
        if len(self.received) == 1:
            raise _Stopped(number)
