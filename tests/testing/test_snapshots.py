"""contractgen.testing: readable DOCX/PDF snapshot text, the syrupy extensions and the pytest fixtures."""

from __future__ import annotations

import difflib
import io
import re
import shutil
import sys
import unicodedata

import docx
import pytest
from docx.enum.text import WD_BREAK

from contractgen.pipeline import load, render
from contractgen.testing import (
    DocxSnapshotExtension,
    PdfSnapshotExtension,
    docx_snapshot_text,
    pdf_font_names,
    pdf_snapshot_text,
)
from tests.conftest import EXAMPLES, make_agreement_model

pytest_plugins = ["pytester"]


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return render(make_agreement_model())


def test_docx_text_starts_with_properties_header_and_footer(files):
    lines = docx_snapshot_text(files["docx"]).splitlines()
    assert lines[:16] == [
        "title: 培训委托协议书",
        "subject: 杭州云杉优选电子商务有限公司委托杭州知行客服职业技能培训有限公司开展客户服务培训",
        "author: 杭州云杉优选电子商务有限公司",
        "keywords: 培训委托协议书 HZYX-PX-2026-018",
        "identifier: HZYX-PX-2026-018",
        "category: training_agreement",
        "language: zh-CN",
        "created: 2026-12-15T00:00:00+00:00",
        "--- header ---",
        "[Header] 培训委托协议书\u3000HZYX-PX-2026-018",
        "--- footer ---",
        "[Footer] 第 {PAGE} 页 共 {NUMPAGES} 页",
        "--- body ---",
        "[Title] 培训委托协议书",
        "[Subtitle] 合同编号：HZYX-PX-2026-018",
        "[Plain Text Line] 委托方（甲方）：杭州云杉优选电子商务有限公司",
    ]


def test_docx_text_has_headings_and_tables_by_row(files):
    lines = docx_snapshot_text(files["docx"]).splitlines()
    assert "[Heading 1] 第一条\u3000培训目的" in lines
    table = lines.index("| 序号 | 培训模块 | 课时（小时） | 其中实操（小时） |")
    assert lines[table - 1] == "[table Table Grid]"
    assert lines[table + 1] == "| 1 | 平台规则与产品知识 | 12 | 2 |"
    assert lines[-5:] == [
        "[table Normal Table]",
        "| 甲方（委托方）：杭州云杉优选电子商务有限公司 | 乙方（受托方）：杭州知行客服职业技能培训有限公司 |",
        "| （盖章） | （盖章） |",
        "| 法定代表人或授权代表（签字）： | 法定代表人或授权代表（签字）： |",
        "| 日期：\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日 | 日期：\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日 |",
    ]


def test_pdf_text_has_page_count_fonts_metadata_and_pages(files):
    text = pdf_snapshot_text(files["pdf"])
    lines = text.splitlines()
    assert lines[:10] == [
        "page count: 8",
        "fonts: contractgen-Noto-Sans-SC, contractgen-Noto-Sans-SC-Bold, contractgen-Noto-Serif-SC, contractgen-Noto-Serif-SC-Bold",
        "title: 培训委托协议书",
        "subject: 杭州云杉优选电子商务有限公司委托杭州知行客服职业技能培训有限公司开展客户服务培训",
        "author: 杭州云杉优选电子商务有限公司",
        "keywords: 培训委托协议书 HZYX-PX-2026-018",
        "created: D:20261215",
        "--- page 1 ---",
        "培训委托协议书",
        "合同编号：HZYX-PX-2026-018",
    ]
    assert [line for line in lines if line.startswith("--- page")] == [f"--- page {n} ---" for n in range(1, 9)]
    assert lines[-1] == "第 8 页 共 8 页"
    assert pdf_font_names(files["pdf"]) == [  # bold: headings (sans), emphasised clauses (serif)
        "contractgen-Noto-Sans-SC", "contractgen-Noto-Sans-SC-Bold", "contractgen-Noto-Serif-SC", "contractgen-Noto-Serif-SC-Bold"
    ]


def test_two_renders_give_the_same_text(files):
    again = render(make_agreement_model())
    assert docx_snapshot_text(again["docx"]) == docx_snapshot_text(files["docx"])
    assert pdf_snapshot_text(again["pdf"]) == pdf_snapshot_text(files["pdf"])


@pytest.mark.parametrize("to_text", [docx_snapshot_text, pdf_snapshot_text], ids=["docx", "pdf"])
def test_text_is_never_bytes(files, to_text):
    text = to_text(files[to_text.__name__.split("_")[0]])
    assert all(char == "\n" or unicodedata.category(char)[0] != "C" for char in text)
    assert "PK\x03\x04" not in text and "%PDF" not in text and "endobj" not in text
    assert not re.search(r"\b[A-Z]{6}\+", text)  # no font subset tags
    assert "/tmp" not in text and "\\x" not in text


def test_a_changed_value_changes_only_its_lines(files):
    changed = render(make_agreement_model(contract_no="HZYX-PX-2026-099"), ["docx"])["docx"]
    before, after = docx_snapshot_text(files["docx"]), docx_snapshot_text(changed)
    diff = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:2] in ("- ", "+ ")]
    assert sorted(diff) == sorted(
        f"{sign} {line}{number}"
        for sign, number in (("-", "018"), ("+", "099"))
        for line in (
            "keywords: 培训委托协议书 HZYX-PX-2026-",
            "identifier: HZYX-PX-2026-",
            "[Header] 培训委托协议书\u3000HZYX-PX-2026-",
            "[Subtitle] 合同编号：HZYX-PX-2026-",
        )
    )


def test_a_line_break_keeps_the_paragraph_on_one_line():
    output = render(make_agreement_model(training__background="第一行\n第二行"), ["docx"])["docx"]
    assert "[Normal] 培训背景：第一行⏎第二行。" in docx_snapshot_text(output).splitlines()


def _hand_made_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("前一页").add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("尾随空格 ")
    document.add_paragraph("零宽\u200b空格\t制表")
    document.add_paragraph("")
    document.add_table(rows=1, cols=2).rows[0].cells[0].text = "甲|乙"
    cell = document.tables[0].rows[0].cells[1]
    cell.text = "第一段"
    cell.add_paragraph("第二段")
    footer = document.sections[0].footer.paragraphs[0]
    footer._p.append(
        docx.oxml.parse_xml(f'<w:fldSimple {docx.oxml.ns.nsdecls("w")} w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple>')
    )
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def test_breaks_tabs_invisible_characters_cells_and_simple_fields():
    lines = docx_snapshot_text(_hand_made_docx()).splitlines()
    body = lines[lines.index("--- body ---") + 1 :]
    assert body == [
        "[Normal] 前一页␌",
        "[Normal] 尾随空格\\u0020",
        "[Normal] 零宽\\u200b空格⇥制表",
        "[Normal]",
        "[table Normal Table]",
        "| 甲\\|乙 | 第一段¶第二段 |",
    ]
    assert lines[lines.index("--- footer ---") + 1] == "[Footer] {PAGE}"


def test_extensions_read_paths_and_refuse_other_data(files, tmp_path):
    path = tmp_path / "a.docx"
    path.write_bytes(files["docx"])
    extension = DocxSnapshotExtension()
    assert extension.serialize(path) == extension.serialize(files["docx"])
    assert "[Title] 培训委托协议书" in extension.serialize(files["docx"])
    with pytest.raises(TypeError, match="bytes or a path"):
        extension.serialize("培训委托协议书")
    with pytest.raises(ValueError, match="not a DOCX"):
        extension.serialize(b"plain text")
    with pytest.raises(ValueError, match="not a PDF"):
        PdfSnapshotExtension().serialize(files["docx"])


def test_missing_extra_names_the_install_command(monkeypatch):
    from contractgen.testing import load_snapshots

    monkeypatch.setitem(sys.modules, "contractgen.testing.snapshots", None)
    with pytest.raises(ModuleNotFoundError, match=re.escape('pip install "contractgen[testing]"')):
        load_snapshots()


# The README's example, word for word.
USER_TEST = """\
from pathlib import Path

from contractgen import load, render


def test_agreement(docx_snapshot, pdf_snapshot):
    files = render(load(Path(__file__).parent / "agreement.yaml"))
    assert files["docx"] == docx_snapshot
    assert files["pdf"] == pdf_snapshot
"""


def test_fixtures_in_a_users_suite(pytester):
    shutil.copy(EXAMPLES / "training_standard.yaml", pytester.path / "agreement.yaml")
    pytester.makepyfile(test_user=USER_TEST)
    pytester.runpytest("--snapshot-update").assert_outcomes(passed=1)
    stored = (pytester.path / "__snapshots__" / "test_user.ambr").read_text(encoding="utf-8")
    assert "# name: test_agreement[docx]" in stored and "# name: test_agreement[pdf]" in stored
    docx_text = docx_snapshot_text(render(load(pytester.path / "agreement.yaml"), ["docx"])["docx"])
    assert "\n".join(f"  {line}" for line in docx_text.splitlines()) in stored
    assert "  [Title] 客户服务岗位培训标准" in stored and "  --- page 1 ---" in stored
    assert "PK" not in stored and "%PDF" not in stored

    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*2 snapshots passed*"])

    yaml = pytester.path / "agreement.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("YS-KF-BZ-2027-001", "YS-KF-BZ-2027-777"), encoding="utf-8")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*- identifier: YS-KF-BZ-2027-001*", "*+ identifier: YS-KF-BZ-2027-777*"])
    assert "b'PK" not in result.stdout.str()


def test_fixture_without_the_extra_says_what_to_install(pytester, monkeypatch):
    monkeypatch.setitem(sys.modules, "contractgen.testing.snapshots", None)
    pytester.makepyfile(test_user="def test_it(docx_snapshot):\n    pass\n")
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    assert 'contractgen.testing needs syrupy and pypdf: pip install "contractgen[testing]"' in result.stdout.str()
    assert "Traceback" not in result.stdout.str() and "During handling" not in result.stdout.str()
