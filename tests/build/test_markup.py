import re

import pytest

from contractgen.build.markup import parse_section, split_cells, unescape
from contractgen.clauses import clause_environment, protect_value
from contractgen.errors import TemplateError
from contractgen.ir import Paragraph, Table
from contractgen.resources import templates_dir


def test_items_are_labelled_and_counters_restart():
    parsed = parse_section(
        "title: 培训目的\np: 目标：\nitem: 一\nsub: 甲\nsub: 乙\nsubsub: 子\nitem: 二\nsub: 丙\np: 另起\nitem: 三\n", "t"
    )
    labels = [b.label for b in parsed.blocks if isinstance(b, Paragraph)]
    assert parsed.title == "培训目的"
    assert labels == ["", "（一）", "1.", "2.", "(1)", "（二）", "1.", "", "（一）"]


def test_tables_collect_header_rows_and_widths():
    parsed = parse_section("table: 表1\nwidths: 1 | 2\nhead: 甲 | 乙\nrow: 1 | 2\nrow: 3 | 4\np: 后文\n", "t")
    table = parsed.blocks[0]
    assert isinstance(table, Table)
    assert (table.caption, table.header, table.rows, table.widths) == ("表1", ("甲", "乙"), (("1", "2"), ("3", "4")), (1, 2))
    assert isinstance(parsed.blocks[1], Paragraph)


def test_a_value_cannot_add_cells_or_lines():
    hostile = "A | B\nitem: injected \\ end"
    line = f"row: {protect_value(hostile)} | x"
    assert split_cells(line.removeprefix("row: ")) == ("A | B\nitem: injected \\ end", "x")
    parsed = parse_section(f"p: {protect_value(hostile)}", "t")
    assert len(parsed.blocks) == 1 and parsed.blocks[0].text == hostile


def test_unescape_round_trips():
    for value in ["a\\b", "|", "\\n literally", "多行\n文本"]:
        assert unescape(protect_value(value)) == value.strip()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just text", "rendered line 1 has no marker"),
        ("bogus: x", "unknown marker 'bogus'"),
        ("row: a", "row: outside a table"),
        ("table: t\nhead: a | b\nrow: 1", "has a row of 1 cells, expected 2"),
    ],
)
def test_markup_errors_name_the_template(text, message):
    with pytest.raises(TemplateError, match=message) as caught:
        parse_section(text, "kind/zh-CN/x.j2")
    assert "kind/zh-CN/x.j2" in str(caught.value)


def test_articles_are_numbered_on_from_the_previous_chapter_and_restart_items():
    parsed = parse_section("title: 总则\narticle: 甲\nitem: 一\nitem: 二\narticle: 乙\nitem: 三\n", "t", articles_before=9)
    paragraphs = [b for b in parsed.blocks if isinstance(b, Paragraph)]
    assert [(p.kind, p.label) for p in paragraphs] == [
        ("article", "第十条\u3000"),
        ("item", "（一）"),
        ("item", "（二）"),
        ("article", "第十一条\u3000"),
        ("item", "（一）"),
    ]
    assert paragraphs[0].full_text == "第十条\u3000甲"
    assert parsed.last_article == 11


def test_an_article_outside_a_chaptered_document_is_a_template_error():
    with pytest.raises(TemplateError, match="t: rendered line 2: article: is only for chaptered documents"):
        parse_section("title: 培训目的\narticle: 甲\n", "t")


def test_a_centred_line_is_its_own_paragraph_kind():
    parsed = parse_section("doc-title: 客服培训管理制度\ncentered: 文件编号：A-1\n", "t")
    assert [(b.kind, b.text) for b in parsed.blocks] == [("title", "客服培训管理制度"), ("centered", "文件编号：A-1")]


def test_a_lead_in_line_is_kept_with_its_first_item():
    parsed = parse_section("title: 总则\narticle: 包括：\nitem: 一\nsub: 甲\nitem: 二\narticle: 末条\n", "t", articles_before=0)
    assert [(b.text, b.keep_with_next) for b in parsed.blocks] == [
        ("包括：", True), ("一", True), ("甲", False), ("二", False), ("末条", False),
    ]


def test_a_bang_before_the_colon_emphasises_the_whole_paragraph():
    parsed = parse_section("title: 违约责任\np: 普通\np!: 提示\nitem: 一\nitem!: 二\nsub!: 甲\nsub: 乙\nplain!: 丙\nclosing!: 丁\n", "t")
    assert [(b.label + b.text, b.emphasis) for b in parsed.blocks] == [
        ("普通", False), ("提示", True), ("（一）一", False), ("（二）二", True), ("1.甲", True), ("2.乙", False),
        ("丙", True), ("丁", True),
    ]
    assert parsed.title == "违约责任"


def test_an_emphasised_article_is_numbered_and_kept_with_its_items_like_any_other():
    parsed = parse_section("title: 总则\narticle!: 包括：\nitem: 一\narticle: 末条\n", "t", articles_before=2)
    assert [(b.label, b.emphasis, b.keep_with_next) for b in parsed.blocks] == [
        ("第三条\u3000", True, True), ("（一）", False, False), ("第四条\u3000", False, False),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title!: 违约责任", "rendered line 1: title!: only a paragraph can be emphasised"),
        ("doc-title!: 协议书", "rendered line 1: doc-title!: only a paragraph can be emphasised"),
        ("table: 表1\nhead!: 甲 | 乙", "rendered line 2: head!: only a paragraph can be emphasised"),
        ("table: 表1\nrow!: 1 | 2", "rendered line 2: row!: only a paragraph can be emphasised"),
        ("table!: 表1", "rendered line 1: table!: only a paragraph can be emphasised"),
        ("bogus!: x", "rendered line 1: unknown marker 'bogus'"),
        ("p !: x", "rendered line 1 has no marker"),
        ("p!!: x", "rendered line 1 has no marker"),
    ],
)
def test_emphasis_only_on_paragraph_markers(text, message):
    with pytest.raises(TemplateError, match=message):
        parse_section(text, "kind/zh-CN/x.j2")


@pytest.mark.parametrize("hostile", ["p!: 注入", "\np!: 注入", "x\nitem!: 注入", "!: 注入", "\\\np!: 注入", "| !: 注入"])
def test_a_value_cannot_turn_emphasis_on(hostile):
    parsed = parse_section(f"p: {protect_value(hostile)}\nitem: {protect_value(hostile)}\n", "t")
    assert [(b.text, b.emphasis) for b in parsed.blocks] == [(hostile.strip(), False)] * 2


def lines_not_starting_with_a_marker(source: str) -> list[tuple[int, str]]:
    """Where a line of a clause template could start with something else than a marker the template wrote.

    Read with the environment's own lexer: a printed value (``{{ … }}``) at the
    start of a line, or template text there that is not a marker, is listed;
    tags and comments print nothing, so a line may start with them.
    """
    problems = []
    at_line_start = True
    for lineno, token, value in clause_environment(templates_dir()).lex(source):
        if token == "variable_begin" and at_line_start:
            problems.append((lineno, "a value starts the line"))
            at_line_start = False
        elif token == "data":
            for index, segment in enumerate(value.split("\n")):
                at_line_start = at_line_start or index > 0
                text = segment.lstrip()
                if at_line_start and text:
                    if not re.match(r"[a-z-]+!?:( |$)", text):
                        problems.append((lineno + index, text.rstrip()[:20]))
                    at_line_start = False
    return problems


@pytest.mark.parametrize("path", sorted(templates_dir().glob("*/*/*.j2")), ids=lambda p: "/".join(p.parts[-3:]))
def test_only_a_clause_templates_own_text_starts_a_line(path):
    """So a value can never be read as a marker (an item, a cell, emphasis ``item!:``), whatever it holds."""
    assert lines_not_starting_with_a_marker(path.read_text(encoding="utf-8")) == []


def test_the_line_start_check_sees_a_value_or_plain_text_there():
    assert lines_not_starting_with_a_marker("p: {{ a }}\n{% if b %}item!: {{ b }}{% endif %}\n") == []
    assert lines_not_starting_with_a_marker("p: x\n  {{ a }}\n") == [(2, "a value starts the line")]
    assert lines_not_starting_with_a_marker("{% if b %}{{ b }}{% endif %}") == [(1, "a value starts the line")]
    assert lines_not_starting_with_a_marker("p: x\n文本 {{ a }}") == [(2, "文本")]
