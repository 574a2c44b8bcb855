"""contractgen lint: every problem found before rendering, located as a person finds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.kinds import KINDS
from contractgen.user_templates import TemplateLintError, lint, lint_problems, read_template
from tests.user_templates.templates import AGREEMENT, docx_template, html_template

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "templates"


def messages(template, kind=AGREEMENT) -> list[str]:
    return [str(problem) for problem in lint_problems(template, kind)]


@pytest.mark.parametrize("name", ["house.docx", "house.html"])
def test_the_shipped_house_templates_are_clean(name):
    assert lint_problems(read_template(EXAMPLES / name), AGREEMENT) == []


def test_a_misspelt_field_names_the_line_and_the_closest_field():
    found = messages(html_template("<p>{{ parties.client.nmae }}</p>"))
    assert found == ["house.html:4: 'nmae' is not a field of Party (合同一方（委托方或受托方）的主体信息); did you mean 'name'?"]


def test_a_misspelt_top_level_name_is_undefined_with_a_suggestion():
    found = messages(html_template("<p>{{ feees.total }}</p>"))
    assert found == ["house.html:4: 'feees' is undefined; did you mean 'fees'?"]


def test_loop_variables_take_the_type_of_their_list():
    found = messages(html_template("{% for m in training.modules %}{{ m.name }}{{ m.hourz }}{{ loop.index }}{% endfor %}"))
    assert len(found) == 1 and "'hourz' is not a field of Module" in found[0] and "did you mean 'hours'?" in found[0]


def test_names_set_in_the_template_and_filters_are_known():
    template = html_template(
        "{% set total = fees.total %}{{ total|rmb_upper }}{{ signing.date|date }}{{ 3|cn }}{{ 4|article }}"
        "{{ labels.mode[schedule.mode] }}{{ numbers.fees }}{{ next_article() }}"
    )
    assert messages(template) == []


def test_unknown_filter_label_table_and_section_number_are_reported():
    found = messages(html_template("{{ fees.total|rmb_uper }}{{ labels.modes }}{{ numbers.feez }}"))
    assert any("rmb_uper" in m for m in found)
    assert any("there is no 'modes' here; did you mean 'mode'?" in m for m in found)
    assert any("there is no 'feez' here; did you mean 'fees'?" in m for m in found)


def test_underscore_attributes_are_reported_before_the_sandbox_has_to_block_them():
    found = messages(html_template("{{ doc.__class__.__mro__ }}"))
    assert any("'__class__' is not allowed" in m for m in found)


def test_every_missing_required_section_is_listed_with_how_to_add_it():
    found = messages(html_template("", headings=["{{ section('cover') }}", "{{ section('fees') }}"]))
    missing = [m for m in found if "is missing" in m]
    expected = [s.key for s in AGREEMENT.required_sections() if s.key not in ("cover", "fees")]
    assert [m.split("required section ")[1].split(" ")[0] for m in missing] == expected
    assert "{{ section('parties') }}" in missing[0]


def test_an_unknown_section_key_gets_the_closest_key():
    found = messages(html_template("{{ section('feez') }}"))
    assert any("training_agreement has no section 'feez'; did you mean 'fees'?" in m for m in found)


def test_a_syntax_error_is_located():
    found = messages(html_template("{% if fees.total %}unclosed"))
    assert len(found) == 1 and found[0].startswith("house.html:") and "endif" in found[0]


def test_include_and_import_are_refused():
    found = messages(html_template("{% include 'other.html' %}{% import 'm.html' as m %}"))
    assert sum("not supported: a house template is one file" in m for m in found) == 2


def test_lint_raises_with_every_problem():
    with pytest.raises(TemplateLintError) as caught:
        lint(html_template("{{ amout }}{{ parties.client.nmae }}"), AGREEMENT)
    assert len(caught.value.problems) == 2


def test_a_policy_kind_is_checked_against_its_own_model():
    regulation = KINDS["training_regulation"]
    headings = [f"{{{{ section('{s.key}') }}}}" for s in regulation.required_sections()]
    template = html_template("{{ info.company }}{{ info.compnay }}", headings=headings)
    found = messages(template, regulation)
    assert len(found) == 1 and "did you mean 'company'?" in found[0]


# DOCX structure ---------------------------------------------------------------


def test_docx_typo_names_the_paragraph_text():
    found = messages(docx_template("甲方：{{ parties.client.nmae }}"))
    assert found == ["house.docx: body 「甲方：{{ parties.client.nmae }}」: 'nmae' is not a field of Party "
                     "(合同一方（委托方或受托方）的主体信息); did you mean 'name'?"]


def test_a_tag_split_across_runs_of_different_formatting_is_reported():
    found = messages(docx_template([("甲方：{{ parties.cl", False), ("ient.name }}", True)]))
    assert len(found) == 1
    assert "broken across Word runs with different formatting" in found[0] and "body paragraph 2" in found[0]


def test_a_tag_split_across_runs_of_the_same_formatting_is_fine():
    """Word splits runs for spelling marks and edits; docxtpl joins them when the formatting is the same."""
    assert messages(docx_template([("甲方：{{ parties.cl", False), ("ient.name }}", False)])) == []


def test_a_tag_broken_across_paragraphs_is_reported():
    found = messages(docx_template("{{ parties.client", "name }}"))
    assert any("not closed in the same paragraph" in m for m in found)


def test_tr_tag_outside_a_table_row_is_reported():
    found = messages(docx_template("{%tr for m in training.modules %}", "{%tr endfor %}"))
    assert sum("is not inside a table row" in m for m in found) == 2


def test_tr_tag_sharing_its_row_with_text_is_reported():
    rows = [["{%tr for m in training.modules %}", "这段文字会丢失"], ["{{ m.name }}", "{{ m.hours }}"], ["{%tr endfor %}", ""]]
    found = messages(docx_template(tables=[rows]))
    assert len(found) == 1 and "put the {%tr %} tag in a row of its own" in found[0]


def test_plain_for_across_table_rows_must_be_tr():
    rows = [["{% for m in training.modules %}", ""], ["{{ m.name }}", ""], ["{% endfor %}", ""]]
    found = messages(docx_template(tables=[rows]))
    assert len(found) == 1 and "not in the same paragraph" in found[0] and "{%tr %}" in found[0]


def test_a_correct_tr_loop_is_clean():
    rows = [["{%tr for m in training.modules %}", ""], ["{{ m.name }}", "{{ m.hours|num }}"], ["{%tr endfor %}", ""]]
    assert messages(docx_template(tables=[rows])) == []


def test_closing_tag_kind_must_match_the_opening():
    found = messages(docx_template("{%p if evaluation %}", "{{ evaluation.follow_up_days }}", "{% endif %}"))
    assert any("use the same kind of tag" in m for m in found)


def test_header_tags_are_checked_too():
    found = messages(docx_template(header="{{ contract_nr }}"))
    assert found == ["house.docx: header1 「{{ contract_nr }}」: 'contract_nr' is undefined; did you mean 'contract_no'?"]
