import jinja2
import pytest

from contractgen.clauses import make_environment, render_clause, sentence_filter
from contractgen.errors import TemplateError


def env_with(**templates: str) -> jinja2.Environment:
    return make_environment(jinja2.DictLoader(templates))


def test_undefined_name_is_an_error_with_template_and_line():
    env = env_with(**{"x.j2": "p: 一\np: {{ amout }}\n"})
    with pytest.raises(TemplateError, match=r"x\.j2:2: 'amout' is undefined"):
        render_clause(env, "x.j2", {"amount": 1})


def test_sandbox_blocks_attribute_tricks():
    env = env_with(**{"x.j2": "p: {{ cycler.__init__.__globals__.os }}"})
    with pytest.raises(TemplateError):
        render_clause(env, "x.j2", {})


def test_sandbox_forbids_mutating_the_data():
    env = env_with(**{"x.j2": "p: {{ goals.append('x') }}"})
    with pytest.raises(TemplateError):
        render_clause(env, "x.j2", {"goals": ["a"]})


def test_syntax_error_names_template_and_line():
    env = env_with(**{"x.j2": "p: a\n{% if %}\n"})
    with pytest.raises(TemplateError, match=r"x\.j2:2"):
        render_clause(env, "x.j2", {})


def test_none_is_never_printed_as_a_word():
    env = env_with(**{"x.j2": "p: {{ value }}"})
    with pytest.raises(TemplateError, match="None"):
        render_clause(env, "x.j2", {"value": None})


@pytest.mark.parametrize(("value", "expected"), [("目标", "目标。"), ("目标。", "目标。"), ("目标；", "目标。"), ("Done!", "Done!")])
def test_sentence_filter(value, expected):
    assert sentence_filter(value) == expected


def test_unpunctuated_drops_one_closing_mark_only():
    from contractgen.clauses import unpunctuated_filter

    assert unpunctuated_filter("按时签到。") == "按时签到"
    assert unpunctuated_filter("甲，，") == "甲，"  # one mark, not every mark
    assert unpunctuated_filter("XX Co.") == "XX Co."  # never the . of an abbreviation
    assert unpunctuated_filter("是否？") == "是否？"
