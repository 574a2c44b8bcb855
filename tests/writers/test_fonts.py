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
    folder = fonts_dir()
    assert packaged.serif == FontFace("serif", FAMILIES["serif"], folder / "NotoSerifCJKsc-Regular.subset.otf")
    assert packaged.sans == FontFace("sans", FAMILIES["sans"], folder / "NotoSansCJKsc-Regular.subset.otf")
    assert packaged.serif_bold == FontFace("serif", FAMILIES["serif"], folder / "NotoSerifCJKsc-Bold.subset.otf", bold=True)
    assert packaged.sans_bold == FontFace("sans", FAMILIES["sans"], folder / "NotoSansCJKsc-Bold.subset.otf", bold=True)
    assert all(face.path.is_file() for face in packaged.faces) and len(packaged.faces) == 4
    assert FontSet.packaged() is packaged  # built once


def test_packaged_fonts_carry_their_own_family_and_style_names(packaged: FontSet) -> None:
    from fontTools.ttLib import TTFont

    for face in packaged.faces:
        with TTFont(str(face.path), lazy=True) as font:
            assert font["name"].getDebugName(1) == face.family
            assert font["name"].getDebugName(2) == ("Bold" if face.bold else "Regular")
            assert font["name"].getDebugName(6).startswith("contractgen")
            assert "Open Font License" in font["name"].getDebugName(13)
            assert (font["OS/2"].usWeightClass >= 700) is face.bold


def test_bold_faces_have_the_characters_of_their_regular_faces(packaged: FontSet) -> None:
    """So the glyph check of a role holds for both of its weights."""
    assert codepoints(packaged.serif_bold.path) == codepoints(packaged.serif.path)
    assert codepoints(packaged.sans_bold.path) == codepoints(packaged.sans.path)


# --------------------------------------------------------------------------- the CID rule


def test_every_shipped_font_numbers_its_glyphs_as_its_cids(packaged: FontSet) -> None:
    """MuPDF, Acrobat and Preview read the glyph ids in a PDF as CIDs: they must be equal."""
    from contractgen.writers.fonts import cid_problem

    for face in packaged.faces:
        assert cid_problem(face.path) is None, face.path.name


def test_every_character_has_a_glyph_of_its_own(packaged: FontSet) -> None:
    """A PDF's text layer maps a glyph to one text: a shared glyph copies back as the wrong character."""
    from collections import Counter

    from fontTools.ttLib import TTFont

    for face in packaged.faces:
        with TTFont(str(face.path), lazy=True) as font:
            shared = [glyph for glyph, users in Counter(font.getBestCmap().values()).items() if users > 1]
        assert shared == [], face.path.name


def test_a_font_whose_cids_are_not_its_glyph_ids_is_named(tmp_path: Path, packaged: FontSet) -> None:
    from contractgen.writers.fonts import cid_problem

    broken = _renumbered_subset(packaged.sans.path, "甲乙合同", tmp_path / "broken.otf")
    problem = cid_problem(broken)
    assert problem is not None and "is CID" in problem and "MuPDF" in problem


def _renumbered_subset(source: Path, text: str, target: Path) -> Path:
    """What the old build did: a fontTools subset keeps the CIDs but renumbers the glyphs."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.recalc_timestamp = False
    with TTFont(str(source)) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        font.save(str(target))
    return target


def test_shipped_fonts_number_common_glyphs_first(packaged: FontSet) -> None:
    """Punctuation, Latin and GB 2312 level 1 before the rare ideographs, in every face."""
    from fontTools.ttLib import TTFont

    common = "，。、；：（）“”《》0123456789ABCabc¥的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
    for face in packaged.faces:
        with TTFont(str(face.path), lazy=True) as font:
            cmap = font.getBestCmap()
            order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
            common_ids = [order[cmap[ord(char)]] for char in common]
            rare_ids = [order[cmap[ord(char)]] for char in "赟喆堃"]  # names, outside GB 2312
        tiers = json.loads(face.path.with_name(face.path.name + ".coverage.json").read_text(encoding="utf-8"))["tiers"]
        assert max(common_ids) < tiers[0] + tiers[1], face.path.name  # the non-Han and GB 2312 level-1 tiers
        assert min(rare_ids) > max(common_ids), face.path.name


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
    for face in packaged.faces:
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
    rules = css.split("@font-face")[1:]
    assert len(rules) == 4
    for face, rule in zip(packaged.faces, rules):
        assert f'font-family: "{face.family}";' in rule
        assert f'src: url("{face.path.as_uri()}");' in rule
        assert f"font-weight: {'bold' if face.bold else 'normal'};" in rule


def test_a_role_given_a_user_font_has_no_packaged_bold(font_copy: Path, packaged: FontSet) -> None:
    fonts = FontSet.with_overrides(serif=font_copy)
    assert fonts.serif_bold is None and fonts.sans_bold == packaged.sans_bold
    assert css_font_faces(fonts).count("@font-face") == 3


def test_css_font_faces_quotes_awkward_paths(tmp_path: Path, packaged: FontSet) -> None:
    odd = tmp_path / 'my "fonts" 字体' / "a b.otf"
    odd.parent.mkdir()
    shutil.copyfile(packaged.sans.path, odd)
    css = css_font_faces(FontSet.with_overrides(sans=odd))
    assert odd.resolve().as_uri() in css
    assert "file://" in css and " b.otf" not in css  # the space is percent-encoded
