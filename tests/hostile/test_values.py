"""Hostile values: markup, HTML, control characters and line breaks in the data.

Markup and HTML come out exactly as written (never escaped twice, never
dropped, never acted on); control characters are refused at validation with
the field's key path and the character's position; a ``\\n`` in a multi-line
field becomes a real line break.  One hostile agreement is rendered once per
module, with a loopback HTTP server listening that counts every request.
"""

from __future__ import annotations

import http.server
import io
import json
import re
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree
from pydantic import BaseModel, ValidationError
from pypdf import PdfReader

from contractgen.errors import InputError
from contractgen.includes import resolve_includes
from contractgen.ir import Paragraph
from contractgen.kinds import KINDS
from contractgen.loading import load_yaml_file
from contractgen.pipeline import build, render
from contractgen.writers.docx import write_docx
from contractgen.writers.html import render_html
from tests.conftest import EXAMPLES, OFFLINE_EXAMPLE, agreement_data, load_offline_variant, make_agreement_model
from tests.emphasis import OFFLINE_EMPHASISED, docx_bold_paragraphs, html_emphasised, ir_emphasised
from tests.pdf_text import pdf_pages, squash

NAME = "A & B <Ltd>"
TITLE = "培训委托协议书 & <附>"
CONTRACT_NO = "HT-7 & <8>"
LINK = '<link rel="attachment" href="file:///etc/passwd">'
TRIGGER = "签约后\n五日内"  # a multi-line Text value: in a body paragraph and in a table cell


# --------------------------------------------------------------------------- one hostile render


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"GIF89a")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def loopback() -> Iterator[tuple[str, list[str]]]:
    """A server on 127.0.0.1 (port 0: any free port); yields its base URL and the paths it was asked for."""
    handler = type("Handler", (_CountingHandler,), {"requests": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.requests
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Rendered:
    img: str
    docx: bytes
    pdf: bytes
    requests: list[str]

    def document(self) -> Any:
        return docx.Document(io.BytesIO(self.docx))

    def pdf_text(self) -> str:
        return "\n".join(pdf_pages(self.pdf))


@pytest.fixture(scope="module")
def hostile(loopback: tuple[str, list[str]]) -> Rendered:
    base, requests = loopback
    img = f'<img src="{base}/x.gif">'
    model = make_agreement_model(
        title=TITLE,
        contract_no=CONTRACT_NO,
        parties__client__name=NAME,
        parties__provider__address=img,
        training__background=f"系统通知{LINK}",
        fees__instalments__0__trigger=TRIGGER,
    )
    outputs = render(model)
    return Rendered(img, outputs["docx"], outputs["pdf"], list(requests))


def docx_texts(document: Any) -> list[str]:
    """Every body paragraph and every table cell (python-docx reads ``w:br`` as ``\\n``)."""
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return [p.text for p in document.paragraphs] + cells


# --------------------------------------------------------------------------- item 4: & and < as written


def test_party_name_with_ampersand_and_angle_brackets_is_exact_in_the_docx_body_and_table(hostile: Rendered) -> None:
    document = hostile.document()
    body = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "委托方（甲方）：A & B <Ltd>" in body
    assert "甲方（委托方）：A & B <Ltd>" in cells  # the signature block
    assert TITLE in body and f"合同编号：{CONTRACT_NO}" in body


def test_title_and_contract_no_with_markup_are_exact_in_every_docx_header_and_footer(hostile: Rendered) -> None:
    sections = hostile.document().sections
    headers = ["\n".join(p.text for p in s.header.paragraphs) for s in sections]
    footers = ["\n".join(p.text for p in s.footer.paragraphs) for s in sections]
    assert headers and all(h == f"{TITLE}\u3000{CONTRACT_NO}" for h in headers)
    assert all("&amp;" not in f and "&lt;" not in f for f in footers)


def test_docx_document_properties_keep_markup_exactly(hostile: Rendered) -> None:
    props = hostile.document().core_properties
    assert props.title == TITLE
    assert props.author == NAME and props.last_modified_by == NAME
    assert props.subject.startswith(f"{NAME}委托")
    assert props.identifier == CONTRACT_NO and props.keywords.endswith(CONTRACT_NO)


def test_every_docx_xml_part_parses_and_nothing_is_escaped_twice(hostile: Rendered) -> None:
    with zipfile.ZipFile(io.BytesIO(hostile.docx)) as package:
        parts = {name: package.read(name) for name in package.namelist() if name.endswith((".xml", ".rels"))}
    assert {"word/document.xml", "docProps/core.xml"} <= set(parts)
    for name, data in parts.items():
        etree.fromstring(data)  # raises on a broken part
        assert b"&amp;amp;" not in data and b"&amp;lt;" not in data and b"&amp;gt;" not in data, name
    assert b"A &amp; B &lt;Ltd&gt;" in parts["docProps/core.xml"]  # escaped once, as XML requires
    assert all("&amp;" not in text for text in docx_texts(hostile.document()))


def test_pdf_text_and_metadata_keep_markup_exactly(hostile: Rendered) -> None:
    pages = pdf_pages(hostile.pdf)
    text = "\n".join(pages)
    assert f"委托方（甲方）：{NAME}" in text and f"合同编号：{CONTRACT_NO}" in text
    assert all(TITLE in page and CONTRACT_NO in page for page in pages)  # the running header
    assert "&amp;" not in text and "&lt;" not in text
    info = PdfReader(io.BytesIO(hostile.pdf)).metadata
    assert info["/Title"] == TITLE and info["/Author"] == NAME
    assert info["/Subject"].startswith(f"{NAME}委托") and info["/Keywords"].endswith(CONTRACT_NO)


# --------------------------------------------------------------------------- item 6: HTML is text, never fetched


def test_html_in_values_is_printed_as_text_in_docx_and_pdf(hostile: Rendered) -> None:
    texts = docx_texts(hostile.document())
    assert any(f"系统通知{LINK}" in t for t in texts)
    assert any(hostile.img in t for t in texts)
    pdf = squash(hostile.pdf_text())  # the PDF wraps long lines: compare without whitespace
    assert squash(f"系统通知{LINK}") in pdf and squash(hostile.img) in pdf


def test_html_in_values_makes_no_network_request(hostile: Rendered) -> None:
    assert hostile.requests == []


def test_pdf_embeds_no_file_and_has_no_attachment_annotation(hostile: Rendered) -> None:
    reader = PdfReader(io.BytesIO(hostile.pdf))
    names = reader.trailer["/Root"].get("/Names")
    assert names is None or "/EmbeddedFiles" not in names.get_object()
    subtypes = [annot.get_object().get("/Subtype") for page in reader.pages for annot in page.get("/Annots") or []]
    assert "/FileAttachment" not in subtypes


# --------------------------------------------------------------------------- item 5: line breaks


def test_newline_in_a_multiline_field_is_a_word_line_break_in_body_and_table(hostile: Rendered) -> None:
    document = hostile.document()
    runs = [
        run
        for paragraph in document.element.body.iter(qn("w:p"))
        for run in paragraph.iter(qn("w:r"))
        if "签约后" in "".join(t.text or "" for t in run.iter(qn("w:t")))
    ]
    assert len(runs) >= 2  # the instalment paragraph and its table cell
    for run in runs:
        pieces = [(child.tag, child.text) for child in run if child.tag in (qn("w:t"), qn("w:br"))]
        index = next(i for i, (tag, text) in enumerate(pieces) if tag == qn("w:t") and text.endswith("签约后"))
        assert pieces[index + 1][0] == qn("w:br") and pieces[index + 2][1].startswith("五日内")
    assert all("\\n" not in t for t in docx_texts(document))


def test_newline_in_a_multiline_field_is_a_line_break_in_the_pdf(hostile: Rendered) -> None:
    text = hostile.pdf_text()
    assert "，签约后\n五日内支付" in text  # the instalment paragraph
    assert "签约后五日内" not in text and "\\n" not in text  # nor run together in the table cell


def test_newline_in_a_single_line_field_is_rejected_with_its_path() -> None:
    with pytest.raises(ValidationError) as caught:
        make_agreement_model(parties__client__name="甲公司\n乙公司")
    error = caught.value.errors()[0]
    assert error["loc"][:3] == ("parties", "client", "name")
    assert "must be a single line" in error["msg"]


# --------------------------------------------------------------------------- emphasis is the template's alone


MARKER_VALUES = [  # (a key of the offline example, how its old value starts, the value it gets): markers in values
    ("  background: ", "2026 年", "p!: 注入一\nitem!: 注入二"),
    ("    - ", "将店铺售后投诉率降至", "item!: 注入三"),
    ("    - ", "在“年货节”大促期间", "sub!: 注入四\n!: 注入五"),
    ("    contact: ", "王喆", "p!: 注入六"),
]


def test_a_yaml_value_holding_an_emphasis_marker_is_printed_never_emphasised() -> None:
    text = OFFLINE_EXAMPLE.read_text(encoding="utf-8")
    for key, old, value in MARKER_VALUES:
        line = re.search(f"^{re.escape(key + old)}.*$", text, flags=re.MULTILINE)
        assert line, old
        text = text.replace(line.group(0), key + json.dumps(value, ensure_ascii=False), 1)
    document = build(load_offline_variant(text))
    paragraphs = [b.full_text for s in document.sections for b in s.blocks if isinstance(b, Paragraph)]
    for _, _, value in MARKER_VALUES:
        assert any(value in paragraph for paragraph in paragraphs), value
    assert ir_emphasised(document) == list(OFFLINE_EMPHASISED)
    assert html_emphasised(render_html(document)) == list(OFFLINE_EMPHASISED)
    bold, _ = docx_bold_paragraphs(write_docx(document))
    assert [p for p in bold if "注入" in p] == []


# --------------------------------------------------------------------------- item 5: control characters


CONTROL_CHARACTERS = [
    pytest.param("\\x00", "U+0000", "control character", id="NUL"),
    pytest.param("\\x0b", "U+000B", "control character", id="VT"),
    pytest.param("\\x1b", "U+001B", "control character", id="ESC"),
    pytest.param("\\ufffe", "U+FFFE", "non-character", id="U+FFFE"),
]
"""(the YAML double-quoted escape, the code point shown, the reason shown)."""

YAML_FIELDS = [
    pytest.param("    name: 杭州云杉优选电子商务有限公司\n", "    name: \"杭州云杉{c}优选\"\n", "parties.client.name", 5, id="party-name"),
    pytest.param("  place: 浙江省杭州市西湖区\n", "  place: \"浙江{c}\"\n", "signing.place", 3, id="signing-place"),
    pytest.param("  frequency: 每周二下午一次，每次 3 小时，避开大促值班\n", "  frequency: \"每周{c}二\"\n", "schedule.frequency", 3, id="text"),
    pytest.param("    - label: 首期款\n", "    - label: \"首{c}\"\n", "fees.instalments[0].label", 2, id="in-a-list"),
]


@pytest.mark.parametrize(("escape", "code", "reason"), CONTROL_CHARACTERS)
@pytest.mark.parametrize(("old", "new", "path", "position"), YAML_FIELDS)
def test_control_character_escaped_in_yaml_is_rejected_with_key_path_line_and_position(
    escape: str, code: str, reason: str, old: str, new: str, path: str, position: int
) -> None:
    text = OFFLINE_EXAMPLE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    line = text[: text.index(old)].count("\n") + 1
    with pytest.raises(InputError) as caught:
        load_offline_variant(text.replace(old, new.format(c=escape)))
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == (path, line)
    assert problem.message == f"{reason} {code} at position {position} is not allowed"
    assert f"a.yaml:{line}:" in str(problem) and path in str(problem)


def _example_data(kind: str) -> dict[str, Any]:
    return resolve_includes(load_yaml_file(EXAMPLES / f"{kind}.yaml"), EXAMPLES).data


def _set(data: Any, path: tuple, change: Any) -> None:
    *parents, last = path
    for key in parents:
        data = data[key]
    data[last] = change(data[last])


MODEL_FIELDS = [
    pytest.param("training_agreement", ("parties", "client", "name"), id="agreement-party-name"),
    pytest.param("training_agreement", ("training", "purpose", 1), id="agreement-purpose-item"),
    pytest.param("staffing_plan", ("goals", "goals", 2), id="staffing-goal"),
    pytest.param("quality_plan", ("info", "company"), id="quality-plan-company"),
    pytest.param("training_regulation", ("title",), id="regulation-title"),
]


@pytest.mark.parametrize("char", ["\x00", "\x0b", "\x1b", "\ufffe"], ids=["NUL", "VT", "ESC", "U+FFFE"])
@pytest.mark.parametrize(("kind", "path"), MODEL_FIELDS)
def test_control_character_in_python_model_data_is_rejected_with_field_path_and_position(
    kind: str, path: tuple, char: str
) -> None:
    data = agreement_data() if kind == "training_agreement" else _example_data(kind)
    _set(data, path, lambda value: f"甲乙{char}{value}")
    model: type[BaseModel] = KINDS[kind].model
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    (error,) = caught.value.errors()
    assert error["loc"][: len(path)] == path
    assert f"U+{ord(char):04X} at position 3 is not allowed" in error["msg"]


def test_raw_control_character_in_the_file_is_rejected_with_line_and_column() -> None:
    text = OFFLINE_EXAMPLE.read_text(encoding="utf-8")
    line = text[: text.index("  place: 浙江省")].count("\n") + 1
    with pytest.raises(InputError) as caught:
        load_offline_variant(text.replace("  place: 浙江省", "  place: 浙\x1b江省"))
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (line, 11)
    assert "character #x001b is not allowed" in problem.message


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"], ids=["NEL", "LS", "PS"])
def test_characters_yaml_1_1_reads_as_line_breaks_are_rejected_not_folded_into_spaces(char: str) -> None:
    """Left alone, ruamel turned a raw NEL in a party name into a space: a silently different name."""
    text = OFFLINE_EXAMPLE.read_text(encoding="utf-8")
    line = text[: text.index("杭州云杉优选电子商务有限公司")].count("\n") + 1
    with pytest.raises(InputError) as caught:
        load_offline_variant(text.replace("杭州云杉优选电子商务有限公司", f"杭州云杉{char}优选电子商务有限公司", 1))
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (line, 15)
    assert f"U+{ord(char):04X} is not allowed" in problem.message
