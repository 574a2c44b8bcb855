"""Writing files safely: sanitised names, no silent overwrite, all-or-nothing replace.

All outputs are rendered to bytes before this module is called, so an
invalid input never leaves a file behind.  The files of one document are
written together: each to a hidden temporary sibling first (flushed to
disk), then renamed over its target; if anything fails on the way, the
temporaries are removed and any target already replaced gets its old bytes
back, so the folder never holds a half-written file or a new DOCX beside an
old PDF.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

from contractgen.errors import OutputExistsError

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_WINDOWS_RESERVED = {
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
    *(f"{port}{n}" for port in ("COM", "LPT") for n in [*"123456789", "\u00b9", "\u00b2", "\u00b3"]),
}
MAX_NAME_BYTES = 200


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


def refuse_overwrites(targets: list[Path], force: bool) -> None:
    """Fail before writing anything if a target exists and --force was not given."""
    existing = [str(path) for path in targets if path.exists()]
    if existing and not force:
        raise OutputExistsError(f"refusing to overwrite {', '.join(existing)} (use --force)")


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary sibling, flush it to disk, then rename over ``path``."""
    temporary = _stage(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _temporary_sibling(path: Path, suffix: str) -> tuple[int, Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    return handle, Path(name)


def _stage(path: Path, data: bytes) -> Path:
    """``data`` in a hidden temporary sibling of ``path``, on disk, with the usual permissions."""
    handle, temporary = _temporary_sibling(path, ".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_current_umask())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _current_umask() -> int:
    """mkstemp creates 0600 files; outputs get the usual permissions instead."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _keep_copy(path: Path) -> Path:
    """A hidden copy of an existing target (bytes and mode), to put back if the set fails."""
    handle, backup = _temporary_sibling(path, ".bak")
    os.close(handle)
    try:
        shutil.copy2(path, backup)
    except BaseException:
        backup.unlink(missing_ok=True)
        raise
    return backup


def _commit(staged: list[tuple[Path, Path]], backups: dict[Path, Path]) -> None:
    """Rename every temporary over its target; on a failure, undo the renames already done."""
    done: list[Path] = []
    try:
        for path, temporary in staged:
            os.replace(temporary, path)
            done.append(path)
    except BaseException:
        for path in reversed(done):
            if path in backups:
                os.replace(backups.pop(path), path)
            else:
                path.unlink(missing_ok=True)
        raise


def write_outputs(outputs: dict[Path, bytes], force: bool) -> list[Path]:
    """Write every file or none: stage all, keep copies of the targets, then rename all."""
    refuse_overwrites(list(outputs), force)
    staged: list[tuple[Path, Path]] = []
    backups: dict[Path, Path] = {}
    try:
        for path, data in outputs.items():
            staged.append((path, _stage(path, data)))
        for path in outputs:
            if path.exists():
                backups[path] = _keep_copy(path)
        _commit(staged, backups)
    finally:
        for leftover in [*(temporary for _, temporary in staged), *backups.values()]:
            leftover.unlink(missing_ok=True)
    return list(outputs)
