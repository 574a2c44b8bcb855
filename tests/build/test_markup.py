import pytest

from contractgen.build.markup import parse_section, split_cells, unescape
from contractgen.clauses import protect_value
from contractgen.errors import TemplateError
from contractgen.ir import Paragraph, Table


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
