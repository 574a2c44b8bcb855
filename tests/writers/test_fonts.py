"""The packaged fonts, user overrides, glyph coverage and the @font-face CSS."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from contractgen.errors import FontError
from contractgen.resources import fonts_dir
from contractgen.writers import fonts as fonts_module
from contractgen.writers.fonts import (
    FAMILIES,
    FontFace,
    FontSet,
    codepoints,
    css_font_faces,
    missing_glyphs,
)

NAMES = "李赟王喆张堃"
CAPITAL_NUMERALS = "壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整"
CURRENCY = "¥￥"
FULLWIDTH_PUNCTUATION = "（），。：；、“”《》"
EXT_B = "\U00020000"  # 𠀀, CJK Extension B: in neither font
EMOJI = "\U0001F600"  # 😀

SYSTEM_TTC = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@pytest.fixture(scope="module")
def packaged() -> FontSet:
    return FontSet.packaged()


@pytest.fixture
def font_copy(tmp_path: Path, packaged: FontSet) -> Path:
    """A copy of the packaged sans font with no coverage file beside it."""
    target = tmp_path / "copy.otf"
    shutil.copyfile(packaged.sans.path, target)
    return target


# --------------------------------------------------------------------------- packaged


def test_packaged_fonts_are_the_shipped_subsets(packaged: FontSet) -> None:
    assert packaged.serif == FontFace("serif", FAMILIES["serif"], fonts_dir() / "NotoSerifCJKsc-Regular.subset.otf")
    assert packaged.sans == FontFace("sans", FAMILIES["sans"], fonts_dir() / "NotoSansCJKsc-Regular.subset.otf")
    assert packaged.serif.path.is_file() and packaged.sans.path.is_file()
    assert FontSet.packaged() is packaged  # built once


def test_packaged_fonts_carry_their_own_family_name(packaged: FontSet) -> None:
    from fontTools.ttLib import TTFont

    for face in (packaged.serif, packaged.sans):
        with TTFont(str(face.path), lazy=True) as font:
            assert font["name"].getDebugName(1) == face.family
            assert font["name"].getDebugName(6).startswith("contractgen")
            assert "Open Font License" in font["name"].getDebugName(13)


@pytest.mark.parametrize("role", ["serif", "sans"])
@pytest.mark.parametrize("text", [NAMES, CAPITAL_NUMERALS, CURRENCY, FULLWIDTH_PUNCTUATION])
def test_packaged_fonts_cover_contract_text(packaged: FontSet, role: str, text: str) -> None:
    assert missing_glyphs(text, getattr(packaged, role)) == []


@pytest.mark.parametrize("role", ["serif", "sans"])
def test_packaged_fonts_cover_all_unified_ideographs_they_have(packaged: FontSet, role: str) -> None:
    covered = codepoints(getattr(packaged, role).path)
    # Noto CJK 2.00x has U+4E00..U+9FEA (Unicode 10); all of it is kept.
    assert all(cp in covered for cp in range(0x4E00, 0x9FEB))
    assert {ord(c) for c in "℃№○●□■　、。〇《》【】"} <= covered


def test_serif_covers_extension_a(packaged: FontSet) -> None:
    assert missing_glyphs("刘䶮㐀", packaged.serif) == []


@pytest.mark.parametrize("role", ["serif", "sans"])
def test_character_outside_the_font_is_reported(packaged: FontSet, role: str) -> None:
    face = getattr(packaged, role)
    text = f"甲方{EXT_B}：张三{EMOJI}，{EXT_B}乙方{EMOJI}"
    assert missing_glyphs(text, face) == [EXT_B, EMOJI]


def test_whitespace_separators_and_invisible_characters_are_ignored(packaged: FontSet) -> None:
    text = "第一条\n\t甲方\u2028乙方\u2029丙方\r\n\u3000\u00a0\u200b\u200d\ufeff\u00ad葛\ufe00"
    assert missing_glyphs(text, packaged.serif) == []
    assert missing_glyphs("", packaged.serif) == []


def test_coverage_file_matches_the_cmap(packaged: FontSet) -> None:
    for face in (packaged.serif, packaged.sans):
        coverage = face.path.with_name(face.path.name + ".coverage.json")
        assert coverage.is_file()
        assert fonts_module._read_coverage_file(face.path, face.path.stat().st_size) == fonts_module._read_cmap(face.path)


# --------------------------------------------------------------------------- cache


def test_coverage_is_cached_per_path_mtime_and_size(font_copy: Path) -> None:
    codepoints.cache_clear()
    first = codepoints(font_copy)
    assert codepoints.cache_info().misses == 1
    assert codepoints(font_copy) is first
    assert codepoints(str(font_copy)) is first
    assert codepoints.cache_info().hits == 2
    stat = font_copy.stat()
    os.utime(font_copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = codepoints(font_copy)
    assert codepoints.cache_info().misses == 2
    assert again == first


def test_stale_coverage_file_is_ignored(font_copy: Path) -> None:
    stale = {"font": font_copy.name, "size": font_copy.stat().st_size + 1, "ranges": [[0x41, 0x41]]}
    font_copy.with_name(font_copy.name + ".coverage.json").write_text(json.dumps(stale), encoding="utf-8")
    covered = codepoints(font_copy)
    assert len(covered) > 20000 and ord("李") in covered


def test_matching_coverage_file_is_used(font_copy: Path) -> None:
    mine = {"size": font_copy.stat().st_size, "ranges": [[0x41, 0x42]]}
    font_copy.with_name(font_copy.name + ".coverage.json").write_text(json.dumps(mine), encoding="utf-8")
    assert codepoints(font_copy) == frozenset({0x41, 0x42})


# --------------------------------------------------------------------------- overrides


def test_override_with_missing_file_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "MyFont.otf"
    with pytest.raises(FontError, match="MyFont.otf") as caught:
        FontSet.with_overrides(serif=missing, sans=None)
    assert str(missing) in str(caught.value)


def test_override_with_a_folder_or_a_non_font_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(FontError, match=str(tmp_path)):
        FontSet.with_overrides(serif=None, sans=tmp_path)
    not_a_font = tmp_path / "notes.ttf"
    not_a_font.write_text("this is not a font", encoding="utf-8")
    with pytest.raises(FontError, match="notes.ttf"):
        FontSet.with_overrides(serif=not_a_font, sans=None)
    empty = tmp_path / "empty.otf"
    empty.write_bytes(b"")
    with pytest.raises(FontError, match="empty.otf"):
        FontSet.with_overrides(sans=empty)


def test_override_replaces_only_the_given_role(font_copy: Path, packaged: FontSet) -> None:
    fonts = FontSet.with_overrides(serif=font_copy, sans=None)
    assert fonts.serif == FontFace("serif", FAMILIES["serif"], font_copy.resolve())
    assert fonts.sans == packaged.sans
    assert FontSet.with_overrides(None, None) == packaged
    assert missing_glyphs(NAMES + EXT_B, fonts.serif) == [EXT_B]


@pytest.mark.skipif(not SYSTEM_TTC.is_file(), reason="fonts-noto-cjk not installed")
def test_override_with_a_collection_uses_its_first_face() -> None:
    fonts = FontSet.with_overrides(sans=SYSTEM_TTC)
    assert fonts.sans.path == SYSTEM_TTC.resolve()
    assert missing_glyphs(NAMES + CAPITAL_NUMERALS, fonts.sans) == []


def test_face_role_is_checked() -> None:
    with pytest.raises(ValueError):
        FontFace("mono", "x", Path("x.otf"))


# --------------------------------------------------------------------------- CSS


def test_css_font_faces_points_at_the_files(packaged: FontSet) -> None:
    css = css_font_faces(packaged)
    assert css.count("@font-face") == 2
    for face in (packaged.serif, packaged.sans):
        assert f'font-family: "{face.family}";' in css
        assert f'src: url("{face.path.as_uri()}");' in css


def test_css_font_faces_quotes_awkward_paths(tmp_path: Path, packaged: FontSet) -> None:
    odd = tmp_path / 'my "fonts" 字体' / "a b.otf"
    odd.parent.mkdir()
    shutil.copyfile(packaged.sans.path, odd)
    css = css_font_faces(FontSet.with_overrides(sans=odd))
    assert odd.resolve().as_uri() in css
    assert "file://" in css and " b.otf" not in css  # the space is percent-encoded
