"""The PDF writer's font plumbing: per-document subsets, registered in place, embedded as made.

A document is laid out with fonts cut down to its own characters
(:func:`document_fonts`, see :mod:`contractgen.writers.subset`), so its
pages use small glyph ids and the PDF carries small fonts.  The subsets are
files in one private folder per process (:class:`SubsetFolder`),
content-addressed, a few dozen at most, removed when the process exits; a
folder left by a killed process is removed by the next run
(:func:`remove_stale_font_folders`).

Two of WeasyPrint's font steps do not suit a contract generator, and
WeasyPrint offers no option for either, so this module replaces them (it
is part of the PDF writer: only the PDF writer modules import weasyprint):

- **Registering a font** (:class:`InPlaceFontConfiguration`).  WeasyPrint
  copies every ``@font-face`` file into a fresh ``/tmp/weasyprint-*`` folder
  and removes it when the configuration is garbage-collected, which a killed
  run never does.  Our subsets are files already, so they are registered
  with fontconfig where they are.  Any other source (a ``data:`` font in a
  user's HTML template) takes WeasyPrint's way, in our own folder.
- **Subsetting a font** (:func:`deterministic_subsets`).  See
  :mod:`contractgen.writers.subset`: the same bytes with or without the
  system's ``libharfbuzz-subset``, fast, and no timestamp.  The replacement
  is active only inside the context manager, so other WeasyPrint users in
  the same process keep WeasyPrint's own behaviour.

Both rest on WeasyPrint internals (``FontConfiguration.add_font_face``,
``pdf.fonts.Font.subset``), which is why ``pyproject.toml`` pins WeasyPrint
to the versions the test suite runs against.
"""

from __future__ import annotations

import atexit
import contextvars
import ctypes
import dataclasses
import hashlib
import os
import re
import shutil
import tempfile
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname
from xml.etree.ElementTree import Element, SubElement, tostring

from weasyprint.pdf import fonts as pdf_fonts
from weasyprint.text.constants import FONTCONFIG_STYLE, FONTCONFIG_WEIGHT
from weasyprint.text.ffi import ffi, fontconfig, gobject, pangoft2
from weasyprint.text.fonts import FontConfiguration

from contractgen.writers.fonts import FontSet, codepoints
from contractgen.writers.subset import subset_characters, subset_glyphs

#: Folders WeasyPrint fills for fonts that are not files of ours: ``<prefix><pid>-<random>``.
FONT_FOLDER_PREFIX = "contractgen-fonts-"
_FONT_FOLDER = re.compile(re.escape(FONT_FOLDER_PREFIX) + r"(\d+)-")

#: The descriptors :meth:`InPlaceFontConfiguration.add_font_face` handles itself.
_IN_PLACE_DESCRIPTORS = {"src", "font_family", "font_style", "font_weight"}


#: Characters every document's subsets keep besides the document's own: printable
#: ASCII, which the page's generated content (page numbers, leaders) draws from.
ALWAYS_KEPT = frozenset(range(0x20, 0x7F))


class SubsetFolder:
    """This process's folder of font subsets: ``<temp>/contractgen-fonts-<pid>-<random>/<sha256>.otf``.

    Files are named by their content, so the same document's subsets are
    written once.  Only the newest ``keep`` files stay: a subset is needed
    from its layout until its PDF is written, which for one document is
    moments, so dozens are plenty even when a few documents are open.
    """

    def __init__(self, keep: int = 48) -> None:
        self._keep = keep
        self._path: Path | None = None
        self._owner = 0  # the pid that made the folder: a forked worker makes its own
        self._files: OrderedDict[Path, None] = OrderedDict()

    @property
    def path(self) -> Path:
        if self._path is None or self._owner != os.getpid() or not self._path.is_dir():
            remove_stale_font_folders()
            self._owner = os.getpid()
            self._path = Path(tempfile.mkdtemp(prefix=f"{FONT_FOLDER_PREFIX}{self._owner}-"))
            self._files.clear()
            atexit.register(_remove_if_mine, self._path, self._owner)
        return self._path

    def store(self, data: bytes) -> Path:
        """The path of a file holding ``data``, written if it is not there yet."""
        target = self.path / (hashlib.sha256(data).hexdigest()[:40] + ".otf")
        if not target.is_file():
            partial = target.with_name(f".{target.name}.{os.getpid()}.part")
            partial.write_bytes(data)
            os.replace(partial, target)
        self._files[target] = None
        self._files.move_to_end(target)
        while len(self._files) > self._keep:
            old, _ = self._files.popitem(last=False)
            old.unlink(missing_ok=True)
        return target


def _remove_if_mine(folder: Path, owner: int) -> None:
    if os.getpid() == owner:  # a forked child exiting normally leaves its parent's folder alone
        shutil.rmtree(folder, ignore_errors=True)


@cache
def _subset_folder() -> SubsetFolder:
    return SubsetFolder()


def document_codepoints(*texts: str) -> frozenset[int]:
    """The characters a document's fonts must keep: those of its texts (HTML, CSS) and :data:`ALWAYS_KEPT`."""
    from html import unescape

    found = set(ALWAYS_KEPT)
    for text in texts:
        found.update(map(ord, unescape(text)))
    return frozenset(found)


def document_fonts(fonts: FontSet, wanted: Iterable[int]) -> FontSet:
    """``fonts`` with each face replaced by its subset to the ``wanted`` characters it has.

    The last few results are kept, so the same document rendered again (its
    contents page numbers, then its PDF; a warm re-render) is not cut again.
    """
    key = (fonts, frozenset(wanted))
    subsets = _recent_subsets.get(key)
    if subsets is None or not all(face.path.is_file() for face in subsets.faces):
        subsets = _cut(fonts, key[1])
        _recent_subsets[key] = subsets
        while len(_recent_subsets) > RECENT_SUBSETS:
            _recent_subsets.popitem(last=False)
    _recent_subsets.move_to_end(key)
    return subsets


#: Font sets kept by :func:`document_fonts`; their files (4 each) stay among the
#: newest :class:`SubsetFolder` keeps.
RECENT_SUBSETS = 8
_recent_subsets: OrderedDict[tuple[FontSet, frozenset[int]], FontSet] = OrderedDict()


def _cut(fonts: FontSet, wanted: frozenset[int]) -> FontSet:
    folder = _subset_folder()
    replaced = {}
    for field in dataclasses.fields(fonts):
        face = getattr(fonts, field.name)
        if face is not None:
            kept = wanted & codepoints(face.path)
            replaced[field.name] = dataclasses.replace(face, path=folder.store(subset_characters(face.path, kept)))
    return FontSet(**replaced)


class InPlaceFontConfiguration(FontConfiguration):
    """A WeasyPrint font configuration that knows only our fonts, registered without copying them.

    WeasyPrint starts each configuration from the system's fonts
    (``FcInitLoadConfigAndFonts``).  We start from an empty one: a document
    is set in the fonts it names and nothing else, whatever the machine has
    installed, and a character our fonts lack is a ``.notdef`` error rather
    than a silent fallback.  It also matters for batches: each configuration
    WeasyPrint builds from the system fonts leaves about 0.27 MB of native
    memory behind when dropped, an empty one about a quarter of that.
    """

    def __init__(self, local_roots: tuple[Path, ...]) -> None:
        empty = _empty_fontconfig()
        if empty is None:  # no fontconfig we can reach directly: WeasyPrint's own start
            super().__init__()
        else:
            self._config = ffi.cast("FcConfig *", empty)
            self.font_map = ffi.gc(pangoft2.pango_ft2_font_map_new(), gobject.g_object_unref)
            pangoft2.pango_fc_font_map_set_config(ffi.cast("PangoFcFontMap *", self.font_map), self._config)
            fontconfig.FcConfigDestroy(self._config)  # the font map keeps its own reference
            self._folder = None
            self.strut_layouts = {}
            self.font_features = {}
        self._local_roots = tuple(root.resolve() for root in local_roots)

    def add_font_face(self, rule_descriptors, url_fetcher):
        path = self._local_file(rule_descriptors)
        if path is None:
            if self._folder is None:  # WeasyPrint would mkdtemp() a folder nobody sweeps
                self._folder = Path(tempfile.mkdtemp(prefix=f"{FONT_FOLDER_PREFIX}{os.getpid()}-"))
            return super().add_font_face(rule_descriptors, url_fetcher)
        fontconfig.FcConfigParseAndLoadFromMemory(self._config, _fontconfig_rules(path, rule_descriptors), True)
        if not fontconfig.FcConfigAppFontAddFile(self._config, os.fsencode(path)):
            # The same wording as WeasyPrint's, which the PDF writer turns into an error.
            pdf_fonts.LOGGER.warning("Font-face %r cannot be loaded", rule_descriptors["font_family"])
            return None
        return pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", self.font_map))

    def _local_file(self, rule_descriptors) -> Path | None:
        """The one ``file:`` font under our roots this rule names, if that is all it says."""
        if set(rule_descriptors) - _IN_PLACE_DESCRIPTORS:
            return None
        sources = rule_descriptors.get("src") or []
        if len(sources) != 1 or sources[0][0] != "external" or not sources[0][1]:
            return None
        parsed = urlparse(sources[0][1])
        if parsed.scheme != "file":
            return None
        path = Path(url2pathname(parsed.path)).resolve()
        if not path.is_file() or not any(root == path or root in path.parents for root in self._local_roots):
            return None
        return path


#: The names WeasyPrint's ``weasyprint.text.ffi`` tries for fontconfig, by soname first (no probing).
_FONTCONFIG_NAMES = ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll", "fontconfig-1")


def _empty_fontconfig() -> int | None:
    """The address of a new, empty ``FcConfig`` (``FcConfigCreate``, which WeasyPrint's bindings lack)."""
    create = _fc_config_create()
    return create() if create is not None else None


@cache
def _fc_config_create():
    for name in _FONTCONFIG_NAMES:
        try:
            function = ctypes.CDLL(name).FcConfigCreate
        except (OSError, AttributeError):
            continue
        function.restype = ctypes.c_void_p
        function.argtypes = []
        return function
    return None


def _fontconfig_rules(path: Path, rule_descriptors) -> bytes:
    """The fontconfig rules WeasyPrint writes for a font file: its CSS family, style and weight."""
    root = Element("fontconfig")
    match = SubElement(root, "match", target="scan")
    test = SubElement(match, "test", name="file", compare="eq")
    SubElement(test, "string").text = path.as_posix()
    # Prepend, as replacing the font family breaks Pango (WeasyPrint #2510).
    edit = SubElement(match, "edit", name="family", mode="prepend")
    SubElement(edit, "string").text = rule_descriptors["font_family"]
    if "font_style" in rule_descriptors:
        edit = SubElement(match, "edit", name="slant", mode="assign_replace")
        SubElement(edit, "const").text = FONTCONFIG_STYLE[rule_descriptors["font_style"]]
    if "font_weight" in rule_descriptors:
        edit = SubElement(match, "edit", name="weight", mode="assign_replace")
        SubElement(edit, "int").text = str(FONTCONFIG_WEIGHT[rule_descriptors["font_weight"]])
    header = b'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
    return header + tostring(root, encoding="utf-8")


def remove_stale_font_folders(temp_dir: Path | None = None) -> list[Path]:
    """Delete the font folders of our processes that are gone (killed runs); returns them.

    Only folders named ``contractgen-fonts-<pid>-…``, owned by this user,
    whose process no longer exists are touched.
    """
    temp_dir = Path(temp_dir or tempfile.gettempdir())
    removed = []
    try:
        entries = list(temp_dir.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _FONT_FOLDER.match(entry.name)
        if not match or _process_exists(int(match.group(1))):
            continue
        try:
            if entry.is_symlink() or not entry.is_dir() or entry.stat().st_uid != os.getuid():
                continue
        except OSError:
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


# --------------------------------------------------------------------------- subsetting

_deterministic = contextvars.ContextVar("contractgen_deterministic_subsets", default=False)
_weasyprint_subset = pdf_fonts.Font.subset


def _subset(self, to_unicode, hinting):
    """``Font.subset`` for WeasyPrint: ours inside :func:`deterministic_subsets`, WeasyPrint's outside."""
    if not _deterministic.get():
        return _weasyprint_subset(self, to_unicode, hinting)
    if to_unicode:
        self.file_content = subset_glyphs(
            self.file_content, to_unicode, index=self.index, notdef_outline=bool(self.missing)
        )
    return None


pdf_fonts.Font.subset = _subset


@contextmanager
def deterministic_subsets() -> Iterator[None]:
    """Within this block, fonts WeasyPrint embeds are subset by :func:`subset_glyphs`."""
    token = _deterministic.set(True)
    try:
        yield
    finally:
        _deterministic.reset(token)
