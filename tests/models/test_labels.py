"""The label tables templates read as ``labels``: one wording per option, for every option a field allows."""

from __future__ import annotations

import typing
from typing import Any

import jinja2
import pytest

from contractgen.build.document import template_context
from contractgen.clauses import make_environment
from contractgen.kinds import KINDS
from contractgen.models import (
    agreement,
    quality_plan,
    staffing_plan,
    training_regulation,
    training_standard,
)
from contractgen.models.common import Kpi
from contractgen.models.policy import POLICY_LABELS, Retake, TrainingMethod
from contractgen.models.training_regulation import Needs
from tests.conftest import make_agreement_model


def options(model: type, field: str) -> set[str]:
    """The strings a Literal field (or a list or optional of one) allows."""
    pending: list[Any] = [model.model_fields[field].annotation]
    found: set[str] = set()
    while pending:
        annotation = pending.pop()
        if typing.get_origin(annotation) is typing.Literal:
            found.update(typing.get_args(annotation))
        else:
            pending.extend(typing.get_args(annotation))
    return found


POLICY_KINDS = [training_regulation.TrainingRegulation, training_standard.TrainingStandard, staffing_plan.StaffingPlan, quality_plan.QualityPlan]


@pytest.mark.parametrize("model", [agreement.TrainingAgreement, *POLICY_KINDS], ids=lambda m: m.__name__)
def test_every_kind_words_a_kpi_direction(model):
    for table in ("direction", "bound", "sign"):
        assert set(model.labels[table]) == options(Kpi, "direction")


@pytest.mark.parametrize("model", POLICY_KINDS, ids=lambda m: m.__name__)
def test_every_policy_kind_has_the_shared_policy_tables(model):
    assert set(POLICY_LABELS) <= set(model.labels)
    assert set(model.labels["assessment"]) == options(training_standard.Topic, "assessment")
    assert set(model.labels["method"]) == options(TrainingMethod, "type")


@pytest.mark.parametrize(
    "model", [training_regulation.TrainingRegulation, training_standard.TrainingStandard, staffing_plan.StaffingPlan]
)
def test_each_retake_outcome_is_worded_by_every_kind_that_states_it(model):
    assert set(model.labels["retake_outcome"]) == options(Retake, "after_failing_retake")


def test_retake_outcomes_extend_the_mentoring_not_the_probation():
    assert options(Retake, "after_failing_retake") == {"retrain", "reassign", "mentoring_extended"}
    for model in (training_regulation.TrainingRegulation, training_standard.TrainingStandard, staffing_plan.StaffingPlan):
        assert "带教期" in model.labels["retake_outcome"]["mentoring_extended"]
        assert not any("试用期" in text for text in model.labels["retake_outcome"].values())


def test_cadence_words_every_cycle_a_policy_allows():
    cycles = (
        options(Needs, "survey_cadence")
        | options(quality_plan.DynamicAssessment, "cycle")
        | options(staffing_plan.Training, "skills_cycle")
        | options(staffing_plan.DataSupport, "report_cycle")
    )
    assert cycles <= set(POLICY_LABELS["cadence"])


@pytest.mark.parametrize(
    ("model", "table", "owner", "field"),
    [
        (training_regulation.TrainingRegulation, "survey", Needs, "survey_methods"),
        (training_standard.TrainingStandard, "kpi_period", training_standard.StandardAssessment, "kpi_period"),
        (staffing_plan.StaffingPlan, "appraisal_cycle", staffing_plan.Appraisal, "cycle"),
        (staffing_plan.StaffingPlan, "report", staffing_plan.DataSupport, "report_cycle"),
        (quality_plan.QualityPlan, "method", TrainingMethod, "type"),
        (agreement.TrainingAgreement, "mode", agreement.Schedule, "mode"),
        (agreement.TrainingAgreement, "invoice", agreement.Fees, "invoice_type"),
        (agreement.TrainingAgreement, "evaluation_method", agreement.Evaluation, "methods"),
        (agreement.TrainingAgreement, "court", agreement.Litigation, "rule"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_kind_tables_word_every_option(model, table, owner, field):
    assert set(model.labels[table]) == options(owner, field)


def test_quality_plan_words_internal_training_its_own_way():
    assert quality_plan.QualityPlan.labels["method"]["internal"] == "线下集中培训"
    assert training_regulation.TrainingRegulation.labels["method"]["internal"] == "内部培训"


def test_every_kind_is_covered_here():
    assert {k.model for k in KINDS.values()} == {agreement.TrainingAgreement, *POLICY_KINDS}


def test_templates_see_the_labels_read_only():
    context = template_context(make_agreement_model(schedule__mode="offline"))
    env = make_environment(jinja2.DictLoader({"t.j2": "{{ labels.mode[schedule.mode] }}"}))
    assert env.get_template("t.j2").render(context) == "线下集中培训"
    with pytest.raises(TypeError):
        context["labels"]["mode"] = {}
    with pytest.raises(TypeError):
        context["labels"]["mode"]["offline"] = "线上"
