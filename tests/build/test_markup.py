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
