"""Reading a user's template file: size, format and zip-bomb checks before anything parses it."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from contractgen.errors import TemplateError

MAX_TEMPLATE_BYTES = 20 * 2**20  # a letterhead with a logo is well under 1 MiB
MAX_UNPACKED_BYTES = 100 * 2**20
MAX_ARCHIVE_MEMBERS = 1000
MAX_COMPRESSION_RATIO = 100  # XML compresses ~10×; a bomb ~1000×
DOCX_MAIN_PART = "word/document.xml"
SUFFIXES = {".docx": "docx", ".html": "html", ".htm": "html"}


class TemplateFileError(TemplateError):
    """The template file is not usable: not found, too large, not a DOCX, not UTF-8."""


@dataclass(frozen=True)
class TemplateSource:
    """A user template read into memory: its name (for messages), format and bytes."""

    name: str
    flavour: Literal["docx", "html"]
    data: bytes

    @property
    def output_format(self) -> str:
        """The format this template makes: a .docx the DOCX, an .html the PDF."""
        return "docx" if self.flavour == "docx" else "pdf"

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


def read_template(path: str | Path) -> TemplateSource:
    """Read ``path`` as a DOCX or HTML template, refusing anything oversized or malformed."""
    path = Path(path)
    flavour = SUFFIXES.get(path.suffix.lower())
    if flavour is None:
        raise TemplateFileError(f"{path}: a template is a .docx (Word) or .html file")
    try:
        size = path.stat().st_size
        if size > MAX_TEMPLATE_BYTES:
            raise TemplateFileError(_too_large(path.name, size, MAX_TEMPLATE_BYTES))
        data = path.read_bytes()
    except OSError as exc:
        raise TemplateFileError(f"{path}: cannot read the template ({exc.strerror or exc})") from exc
    return template_from_bytes(path.name, data, flavour)


def template_from_bytes(name: str, data: bytes, flavour: Literal["docx", "html"]) -> TemplateSource:
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateFileError(_too_large(name, len(data), MAX_TEMPLATE_BYTES))
    if flavour == "docx":
        check_docx_archive(name, data)
    else:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TemplateFileError(f"{name}: an HTML template must be UTF-8 (byte {exc.start} is not)") from exc
    return TemplateSource(name, flavour, data)


def check_docx_archive(name: str, data: bytes) -> None:
    """A DOCX is a zip with ``word/document.xml``; its unpacked size is bounded before anything unpacks it.

    The sizes checked are the ones the archive declares; :mod:`zipfile` never
    inflates a member past its declared size, so a lying header cannot help a bomb.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise TemplateFileError(f"{name}: not a valid DOCX (not a zip archive, or truncated: {exc})") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ARCHIVE_MEMBERS:
            raise TemplateFileError(f"{name}: too large: {len(members)} files inside (the limit is {MAX_ARCHIVE_MEMBERS})")
        unpacked = sum(member.file_size for member in members)
        if unpacked > MAX_UNPACKED_BYTES:
            raise TemplateFileError(_too_large(name, unpacked, MAX_UNPACKED_BYTES, "unpacked"))
        for member in members:
            if member.compress_size and member.file_size / member.compress_size > MAX_COMPRESSION_RATIO:
                if member.file_size > 2**20:
                    raise TemplateFileError(
                        f"{name}: too large: {member.filename} unpacks {member.file_size // member.compress_size}× "
                        "(a zip bomb?)"
                    )
        if DOCX_MAIN_PART not in archive.namelist():
            raise TemplateFileError(f"{name}: not a valid DOCX (no {DOCX_MAIN_PART} inside)")
        try:
            broken = archive.testzip()
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
            raise TemplateFileError(f"{name}: not a valid DOCX (a damaged archive: {exc})") from exc
        if broken is not None:
            raise TemplateFileError(f"{name}: not a valid DOCX ({broken} is damaged)")


def _too_large(name: str, size: int, limit: int, what: str = "") -> str:
    what = f" {what}" if what else ""
    return f"{name}: too large: {size / 2**20:.1f} MiB{what} (the limit is {limit // 2**20} MiB)"
