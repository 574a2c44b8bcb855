"""Writing files safely: sanitised names, no silent overwrite, atomic replace.

All outputs are rendered to bytes before this module is called, so an
invalid input never leaves a file behind; each file is written to a
temporary file in the same folder and renamed over the target, so a crash
never leaves a half-written .docx or .pdf.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from contractgen.errors import OutputExistsError

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME_BYTES = 200


def safe_file_stem(name: str) -> str:
    """A readable file name from data: no separators, no traversal, no reserved names."""
    stem = unicodedata.normalize("NFC", name)
    stem = _UNSAFE.sub("_", stem).strip(" .")
    if not stem or set(stem) <= {"_", "."}:
        stem = "document"
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    while len(stem.encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem


def refuse_overwrites(targets: list[Path], force: bool) -> None:
    """Fail before writing anything if a target exists and --force was not given."""
    existing = [str(path) for path in targets if path.exists()]
    if existing and not force:
        raise OutputExistsError(f"refusing to overwrite {', '.join(existing)} (use --force)")


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary sibling, flush it to disk, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_current_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _current_umask() -> int:
    """mkstemp creates 0600 files; outputs get the usual permissions instead."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_outputs(outputs: dict[Path, bytes], force: bool) -> list[Path]:
    refuse_overwrites(list(outputs), force)
    for path, data in outputs.items():
        write_atomically(path, data)
    return list(outputs)
