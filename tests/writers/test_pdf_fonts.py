"""The fonts inside a PDF: per-document subsets, GID = CID, the same bytes on every install path, no temp litter."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from contractgen.pipeline import render
from contractgen.writers.fonts import FontSet, cid_problem
from contractgen.writers.pdf_fonts import SubsetFolder, document_codepoints, document_fonts, remove_stale_font_folders
from contractgen.writers.subset import subset_characters, subset_glyphs
from tests.conftest import OFFLINE_EXAMPLE, ROOT, make_agreement_model
from tests.writers.test_fonts import _renumbered_subset


def embedded_fonts(pdf: bytes) -> dict[str, TTFont]:
    """Each embedded font program of a PDF (FontFile3 /OpenType), by its base font name."""
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            data = descriptor["/FontFile3"].get_object().get_data()
            fonts[str(font["/BaseFont"]).split("+", 1)[1]] = TTFont(io.BytesIO(data))
    return fonts


@pytest.fixture(scope="module")
def agreement_pdf() -> bytes:
    return render(make_agreement_model(), ["pdf"])["pdf"]


# --------------------------------------------------------------------------- the subsets


def test_document_subsets_keep_the_characters_asked_for_with_gid_equal_to_cid(tmp_path: Path) -> None:
    packaged = FontSet.packaged()
    data = subset_characters(packaged.serif.path, map(ord, "甲方李赟王喆，。ABC"))
    target = tmp_path / "s.otf"
    target.write_bytes(data)
    with TTFont(str(target)) as font:
        assert set(font.getBestCmap()) == set(map(ord, "甲方李赟王喆，。ABC"))
        assert len(font.getGlyphOrder()) == 12  # .notdef + 11, numbered densely
        assert "GSUB" in font and "GPOS" in font  # layout still shapes with them
    assert cid_problem(target) is None


def test_a_user_font_with_other_cids_is_renumbered_by_its_document_subset(tmp_path: Path) -> None:
    broken = _renumbered_subset(FontSet.packaged().sans.path, "甲乙双方合同", tmp_path / "broken.otf")
    assert cid_problem(broken) is not None
    fixed = tmp_path / "fixed.otf"
    fixed.write_bytes(subset_characters(broken, map(ord, "甲乙双方合同")))
    assert cid_problem(fixed) is None


def test_written_subsets_keep_glyph_ids_and_drop_layout_tables(tmp_path: Path) -> None:
    laid_out = tmp_path / "doc.otf"
    laid_out.write_bytes(subset_characters(FontSet.packaged().serif.path, map(ord, "一二三四五六七八九十")))
    embedded = tmp_path / "embedded.otf"
    embedded.write_bytes(subset_glyphs(laid_out.read_bytes(), [3, 7]))
    with TTFont(str(laid_out)) as source, TTFont(str(embedded)) as font:
        assert len(font.getGlyphOrder()) == 8  # up to the highest glyph kept
        assert "GSUB" not in font and "GPOS" not in font
        for gid in (3, 7):
            assert _outline(font, gid) == _outline(source, gid) != []
        assert _outline(font, 5) == []  # not kept: an empty slot
    assert cid_problem(embedded) is None


def _outline(font: TTFont, gid: int):
    from fontTools.pens.recordingPen import RecordingPen

    pen = RecordingPen()
    font.getGlyphSet()[font.getGlyphOrder()[gid]].draw(pen)
    return pen.value


def test_document_codepoints_read_entities_and_keep_ascii() -> None:
    found = document_codepoints("<p>甲&#x4E59;&amp;</p>", 'content: "第 " counter(page)')
    assert {ord("甲"), ord("乙"), ord("第"), ord("&")} <= found
    assert all(cp in found for cp in range(0x20, 0x7F))  # page numbers, leaders


def test_document_fonts_replace_every_face_by_a_small_file() -> None:
    packaged = FontSet.packaged()
    subsets = document_fonts(packaged, document_codepoints("培训委托协议书"))
    assert len(subsets.faces) == 4
    for original, subset in zip(packaged.faces, subsets.faces):
        assert (subset.role, subset.family, subset.bold) == (original.role, original.family, original.bold)
        assert subset.path.stat().st_size < 100_000 < original.path.stat().st_size
    assert document_fonts(packaged, document_codepoints("培训委托协议书")) == subsets  # content-addressed


def test_subset_folder_keeps_only_the_newest_files(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    folder = SubsetFolder(keep=2)
    first, second = folder.store(b"one"), folder.store(b"two")
    assert folder.store(b"one") == first  # touched: now the newest
    third = folder.store(b"three")
    assert first.is_file() and third.is_file() and not second.exists()
    assert first.parent.name.startswith(f"contractgen-fonts-{os.getpid()}-")


# --------------------------------------------------------------------------- in the PDF


def test_every_embedded_font_numbers_its_glyphs_as_its_cids(agreement_pdf: bytes, tmp_path: Path) -> None:
    fonts = embedded_fonts(agreement_pdf)
    assert set(fonts) == {
        "contractgen-Noto-Serif-SC", "contractgen-Noto-Sans-SC", "contractgen-Noto-Serif-SC-Bold", "contractgen-Noto-Sans-SC-Bold"
    }
    for name, font in fonts.items():
        path = tmp_path / f"{name}.otf"
        font.save(str(path))
        assert cid_problem(path) is None, name


def test_embedded_fonts_are_small(agreement_pdf: bytes) -> None:
    """Per-document subsets: glyph slots stay below the document's few hundred characters.

    (Laid out with the whole shipped fonts, the serif subset had 18,103
    slots: the names 赟 喆 堃 sit among the rare ideographs.)
    """
    for name, font in embedded_fonts(agreement_pdf).items():
        assert len(font.getGlyphOrder()) < 1000, name
    assert len(agreement_pdf) / len(PdfReader(io.BytesIO(agreement_pdf)).pages) < 28_000


def test_same_bytes_without_libharfbuzz_subset_and_weasyprints_subsetters_never_run(
    agreement_pdf: bytes, monkeypatch
) -> None:
    """The fallback WeasyPrint takes on a machine without libharfbuzz-subset0 changes nothing."""
    import weasyprint.pdf.fonts as weasyprint_fonts

    calls = []
    monkeypatch.setattr(weasyprint_fonts, "harfbuzz_subset", None)
    monkeypatch.setattr(weasyprint_fonts.Font, "_fonttools_subset", lambda *a: calls.append("fonttools"))
    monkeypatch.setattr(weasyprint_fonts.Font, "_harfbuzz_subset", lambda *a: calls.append("harfbuzz"))
    assert render(make_agreement_model(), ["pdf"])["pdf"] == agreement_pdf
    assert calls == []


def test_weasyprint_keeps_its_own_subsetting_outside_our_writer(monkeypatch) -> None:
    import weasyprint.pdf.fonts as weasyprint_fonts

    calls = []
    monkeypatch.setattr(weasyprint_fonts.Font, "_harfbuzz_subset", lambda *a: calls.append("harfbuzz"))
    monkeypatch.setattr(weasyprint_fonts.Font, "_fonttools_subset", lambda *a: calls.append("fonttools"))
    from weasyprint import HTML

    HTML(string="<p>plain</p>").write_pdf()
    assert calls  # another WeasyPrint user in the same process is left alone


# --------------------------------------------------------------------------- temp folders


def _cli(tmp: Path, out: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TMPDIR": str(tmp)}
    return subprocess.run(
        [sys.executable, "-m", "contractgen", "generate", str(OFFLINE_EXAMPLE), "-o", str(out), "--format", "pdf"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


def test_a_run_leaves_no_font_folder_and_sweeps_those_of_killed_runs(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    dead = _dead_pid()
    stale = temp / f"contractgen-fonts-{dead}-abc123"
    stale.mkdir()
    (stale / "x.otf").write_bytes(b"left by a killed run")
    alive = temp / f"contractgen-fonts-{os.getpid()}-def456"  # a running process's: kept
    alive.mkdir()
    result = _cli(temp, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in temp.iterdir()) == [alive.name]  # no weasyprint-*, no folder of its own


def test_remove_stale_font_folders_touches_only_ours(tmp_path: Path) -> None:
    dead = _dead_pid()
    ours = tmp_path / f"contractgen-fonts-{dead}-a"
    other = tmp_path / f"weasyprint-{dead}"
    ours.mkdir(), other.mkdir()
    assert remove_stale_font_folders(tmp_path) == [ours]
    assert other.is_dir() and not ours.exists()


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_user_font_with_other_cids_prints_in_mupdf_as_in_poppler(tmp_path: Path) -> None:
    """The same rule for your own fonts: their document subsets are renumbered, so MuPDF draws them too."""
    from contractgen.pipeline import build
    from contractgen.writers.html import page_css, render_html
    from tests.viewers.engines import view_with_mupdf, view_with_poppler
    from tests.viewers.test_viewers import ink

    model = make_agreement_model()
    document = build(model)
    text = render_html(document) + page_css() + "".join(section.heading for section in document.sections)
    broken = _renumbered_subset(FontSet.packaged().sans.path, text, tmp_path / "my-heiti.otf")
    assert cid_problem(broken) is not None  # embedded as it is, MuPDF would print blanks
    pdf = render(model, ["pdf"], fonts=FontSet.with_overrides(serif=broken, sans=broken))["pdf"]
    for name, font in embedded_fonts(pdf).items():
        path = tmp_path / f"{name}.otf"
        font.save(str(path))
        assert cid_problem(path) is None, name
    mupdf, poppler = view_with_mupdf(pdf, 40), view_with_poppler(pdf, 40)
    first_mupdf, first_poppler = ink(mupdf.images[0]), ink(poppler.images[0])
    assert first_poppler > 0.03 and abs(first_mupdf - first_poppler) < 0.25 * first_poppler


def test_a_document_configuration_holds_our_fonts_and_no_system_font() -> None:
    """The same PDF whatever fonts the machine has installed; a missing glyph is an error, not a fallback."""
    from weasyprint.text.ffi import fontconfig

    from contractgen.writers.pdf import _configuration
    from contractgen.writers.html import page_css

    subsets = document_fonts(FontSet.packaged(), document_codepoints("甲乙"))
    font_config, _ = _configuration(subsets, page_css())
    system = fontconfig.FcConfigGetFonts(font_config._config, fontconfig.FcSetSystem)
    application = fontconfig.FcConfigGetFonts(font_config._config, fontconfig.FcSetApplication)
    assert (system.nfont if system else 0) == 0
    assert application.nfont == 4


def test_the_same_document_is_not_cut_again(monkeypatch) -> None:
    import contractgen.writers.pdf_fonts as pdf_fonts

    wanted = document_codepoints("同一份文件")
    first = document_fonts(FontSet.packaged(), wanted)
    monkeypatch.setattr(pdf_fonts, "subset_characters", lambda *a: pytest.fail("cut again"))
    assert document_fonts(FontSet.packaged(), wanted) is first


def test_a_forked_worker_makes_its_own_subset_folder_and_leaves_its_parents(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    folder = SubsetFolder()
    mine = folder.store(b"parent").parent
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: store, report the folder, exit through atexit-free _exit
        try:
            os.write(write, str(folder.store(b"child").parent).encode())
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    os.close(write)
    theirs = Path(os.read(read, 4096).decode())
    assert theirs != mine and theirs.name.startswith(f"contractgen-fonts-{pid}-")
    assert (mine / next(mine.iterdir()).name).is_file()
