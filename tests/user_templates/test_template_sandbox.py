"""Hostile-input battery, templates (items 1–3, the template half of 6, and 11).

A user template is untrusted code: SSTI payloads are blocked and nothing
runs, runaway templates are stopped by limits, a misspelt name is an error,
a template cannot reach files or the network, and a bad DOCX is refused
before it is unpacked.
"""

from __future__ import annotations

import http.server
import io
import threading
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pypdf import PdfReader

from contractgen.errors import TemplateError
from contractgen.pipeline import render
from contractgen.user_templates import LimitError, Limits, TemplateLintError, read_template, template_from_bytes
from contractgen.user_templates import render as user_render
from contractgen.user_templates.environment import UserTemplateEnvironment
from contractgen.user_templates.files import MAX_TEMPLATE_BYTES, TemplateFileError
from contractgen.writers.pdf import RenderError
from tests.conftest import make_agreement_model
from tests.user_templates.templates import AGREEMENT, docx_template, html_template

HOUSE_DOCX = Path(__file__).resolve().parents[2] / "examples" / "templates" / "house.docx"

SSTI_PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "{{ doc|attr('__class__') }}",
    "{{ '{0.__class__.__mro__}'|attr('format')(doc) }}",
    "{{ doc.__class__.__init__.__globals__ }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('touch MARKER') }}",
    "{{ namespace.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ training.modules.append(1) }}{{ training.modules.pop() }}",
]


def raw_html(name: str, body: str):
    return template_from_bytes(name, body.encode(), "html")


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


# 1. SSTI ------------------------------------------------------------------------


@pytest.mark.parametrize("payload", SSTI_PAYLOADS)
def test_ssti_in_an_html_template_is_blocked_and_nothing_runs(payload, in_tmp):
    template = html_template(f"<p>{payload}</p>")
    blocked = r"house\.html:4: .*(is undefined|is not allowed|blocked by the sandbox)"
    with pytest.raises(TemplateError, match=blocked):
        render(make_agreement_model(), ["pdf"], templates=[template])
    assert not (in_tmp / "MARKER").exists()


@pytest.mark.parametrize("payload", SSTI_PAYLOADS)
def test_ssti_in_a_docx_template_is_blocked_and_nothing_runs(payload, in_tmp):
    template = docx_template(f"甲方：{payload}")
    with pytest.raises(TemplateError, match=r"house\.docx: body 「甲方："):
        render(make_agreement_model(), ["docx"], templates=[template])
    assert not (in_tmp / "MARKER").exists()


@pytest.mark.parametrize("payload", SSTI_PAYLOADS)
def test_the_sandbox_blocks_ssti_even_when_lint_is_skipped(payload, in_tmp):
    """Lint is a courtesy; the sandbox is the guarantee."""
    template = raw_html("raw.html", f"line one\n<p>{payload}</p>")
    with pytest.raises(TemplateError, match=r"raw\.html:2: "):
        user_render._html_in_sandbox(template, make_agreement_model(), AGREEMENT, Limits())
    assert not (in_tmp / "MARKER").exists()


def test_docxtpl_renders_user_templates_with_our_sandbox(monkeypatch):
    """docxtpl builds a plain, unsandboxed Environment unless it is given one."""
    from docxtpl import DocxTemplate

    seen = []
    original = DocxTemplate.render

    def spy(self, context, jinja_env=None, autoescape=False):
        seen.append((type(jinja_env), autoescape))
        return original(self, context, jinja_env=jinja_env, autoescape=autoescape)

    monkeypatch.setattr(DocxTemplate, "render", spy)
    from contractgen.build.document import document_metadata

    model = make_agreement_model()
    user_render._docx_in_sandbox(docx_template("{{ contract_no }}"), model, AGREEMENT, document_metadata(model, AGREEMENT), Limits())
    assert seen == [(UserTemplateEnvironment, True)]
    assert issubclass(UserTemplateEnvironment, ImmutableSandboxedEnvironment)


def test_the_model_cannot_be_changed_by_a_template():
    model = make_agreement_model()
    before = model.model_dump()
    template = raw_html("m.html", "{% set x = training.modules %}{{ x.append(1) }}")
    with pytest.raises(TemplateError):
        user_render._html_in_sandbox(template, model, AGREEMENT, Limits())
    assert model.model_dump() == before


# 2. limits ------------------------------------------------------------------------


def test_a_huge_string_is_refused_before_it_is_built():
    template = html_template("{{ 'a' * 10**8 }}")
    with pytest.raises(LimitError, match="would build 100,000,000 items"):
        render(make_agreement_model(), ["pdf"], templates=[template])


@pytest.mark.parametrize("expression", ["10 ** 10000000", "(10 ** 999) ** 999", "(2 ** 1000) ** 1000"])
def test_a_huge_power_is_refused(expression):
    with pytest.raises(LimitError, match="power|bits"):
        render(make_agreement_model(), ["pdf"], templates=[html_template(f"{{{{ {expression} }}}}")])


def test_nested_loops_are_stopped_by_the_time_limit():
    template = raw_html("loops.html", "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}")
    with pytest.raises(LimitError, match="ran longer than 1 s"):
        user_render.run_limited(user_render._html_in_sandbox, template, make_agreement_model(), AGREEMENT, Limits(),
                                limits=Limits(seconds=1))


def test_output_size_is_bounded():
    template = raw_html("big.html", "{% for a in range(100000) %}{{ 'x' * 1000 }}{% endfor %}")
    with pytest.raises(LimitError, match="output passed 2,000,000 characters"):
        user_render._html_in_sandbox(template, make_agreement_model(), AGREEMENT, Limits())


def test_memory_is_bounded():
    template = raw_html(
        "mem.html",
        "{% set l = range(99999)|list %}{% set m = l + l + l + l + l + l + l + l + l + l %}"
        "{{ (m + m + m + m + m + m + m + m + m + m)|length }}",
    )
    limits = Limits(memory_bytes=16 * 2**20)
    with pytest.raises(LimitError, match="memory"):
        user_render.run_limited(user_render._html_in_sandbox, template, make_agreement_model(), AGREEMENT, limits,
                                limits=limits)


def test_a_limit_error_in_the_cli_is_a_message_not_a_hang(tmp_path, capsys):
    from contractgen.cli import main
    from tests.conftest import OFFLINE_EXAMPLE

    house = tmp_path / "big.html"
    house.write_text(html_template("{{ 'a' * 10**8 }}").text, encoding="utf-8")
    assert main(["generate", str(OFFLINE_EXAMPLE), "--template", str(house), "-o", str(tmp_path)]) == 1
    assert "would build" in capsys.readouterr().err
    assert list(tmp_path.glob("*.pdf")) == []


# 3. misspelt names ----------------------------------------------------------------


def test_a_misspelt_variable_is_an_error_with_name_and_line_never_a_blank():
    with pytest.raises(TemplateLintError, match=r"house\.html:4: 'amout' is undefined"):
        render(make_agreement_model(), ["pdf"], templates=[html_template("<p>{{ amout }}</p>")])


def test_strict_undefined_catches_what_lint_cannot_see():
    template = raw_html("dyn.html", "a\nb\n{{ labels.mode['nowhere'] }}{{ doc[training.modules[0].name] }}")
    with pytest.raises(TemplateError, match=r"dyn\.html:3: .*undefined|dyn\.html:3: .*no"):
        user_render._html_in_sandbox(template, make_agreement_model(), AGREEMENT, Limits())


# 6. no files, no network ------------------------------------------------------------


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    requests = 0

    def do_GET(self):  # noqa: N802
        type(self).requests += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback():
    _CountingHandler.requests = 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="{url}/logo.png">',
        '<link rel="stylesheet" href="{url}/house.css">',
        "<style>@import url({url}/imported.css);</style>",
        '<div style="background: url({url}/bg.png)">x</div>',
        '<img src="file:///etc/passwd">',
        '<img src="../../../../../../../etc/passwd">',
        '<object data="file:///etc/hostname"></object>',
    ],
)
def test_a_user_html_template_reaches_no_file_and_no_network(markup, loopback):
    template = html_template(markup.format(url=loopback))
    with pytest.raises(RenderError, match="refused|disallowed|outside"):
        render(make_agreement_model(), ["pdf"], templates=[template])
    assert _CountingHandler.requests == 0


@pytest.mark.parametrize(
    "markup",
    [
        '<link rel="attachment" href="{url}/a.txt"><a rel="attachment" href="{url}/b.txt">b</a>',
        '<link rel="attachment" href="file:///etc/passwd"><a rel="attachment" href="file:///etc/passwd">p</a>',
        '<link rel="attachment" href="html/document.css"><a rel="attachment" href="html/document.css">css</a>',
    ],
)
def test_attachments_are_dropped_unfetched(markup, loopback):
    template = html_template(markup.format(url=loopback))
    data = render(make_agreement_model(), ["pdf"], templates=[template])["pdf"]
    assert _CountingHandler.requests == 0
    reader = PdfReader(io.BytesIO(data))
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            assert annotation.get_object().get("/Subtype") != "/FileAttachment"


def test_a_data_url_logo_is_allowed():
    pixel = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    data = render(make_agreement_model(), ["pdf"], templates=[html_template(f'<img src="{pixel}" alt="logo">')])["pdf"]
    assert data.startswith(b"%PDF")


# 11. bad DOCX templates ----------------------------------------------------------


def test_random_bytes_are_not_a_valid_docx(tmp_path):
    path = tmp_path / "house.docx"
    path.write_bytes(b"this is not a zip" * 100)
    with pytest.raises(TemplateFileError, match="house.docx: not a valid DOCX"):
        read_template(path)


def test_a_truncated_docx_is_not_a_valid_docx(tmp_path):
    path = tmp_path / "house.docx"
    path.write_bytes(HOUSE_DOCX.read_bytes()[:3000])
    with pytest.raises(TemplateFileError, match="not a valid DOCX"):
        read_template(path)


def test_a_zip_without_a_document_is_not_a_valid_docx(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    path = tmp_path / "house.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(TemplateFileError, match=r"no word/document\.xml"):
        read_template(path)


def test_a_zip_bomb_is_too_large_before_it_is_unpacked(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/bomb.xml", "w") as member:
            for _ in range(64):
                member.write(b"\0" * 2**20)
    path = tmp_path / "house.docx"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 2**20
    tracemalloc.start()
    try:
        with pytest.raises(TemplateFileError, match="too large: word/bomb.xml unpacks"):
            read_template(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20


def test_a_template_file_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "house.docx"
    with open(path, "wb") as handle:
        handle.truncate(MAX_TEMPLATE_BYTES + 1)
    with pytest.raises(TemplateFileError, match="too large"):
        read_template(path)


def test_an_html_template_must_be_utf8(tmp_path):
    path = tmp_path / "house.html"
    path.write_bytes("<p>甲方</p>".encode("gb18030"))
    with pytest.raises(TemplateFileError, match="must be UTF-8"):
        read_template(path)


def test_other_suffixes_are_refused(tmp_path):
    path = tmp_path / "house.odt"
    path.write_bytes(b"x")
    with pytest.raises(TemplateFileError, match=r"a \.docx \(Word\) or \.html file"):
        read_template(path)
