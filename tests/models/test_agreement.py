"""Cross-field rules of the agreement: each names the exact key path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError

from contractgen.models.agreement import TrainingAgreement
from tests.conftest import agreement_data, make_agreement_model, validation_problems


def problems(data: dict) -> dict[str, str]:
    return validation_problems(TrainingAgreement, data)


def test_example_is_valid(make_agreement):
    agreement = make_agreement()
    assert agreement.fees.total == Decimal("96000.00")
    assert sum(i.amount for i in agreement.fees.instalments) == agreement.fees.total


def test_models_are_frozen(make_agreement):
    agreement = make_agreement()
    with pytest.raises(ValidationError, match="frozen"):
        agreement.contract_no = "X"  # type: ignore[misc]


def test_unknown_key_is_rejected_with_a_suggestion():
    data = agreement_data()
    data["fees"]["totl"] = "1.00"
    assert problems(data)["fees.totl"] == "unknown key 'totl'; did you mean 'total'?"


def test_instalments_must_sum_to_total():
    found = problems(agreement_data(fees__instalments__2__amount="19199.99"))
    assert found["fees.instalments"] == (
        "the instalments add up to 95999.99, not the total 96000.00 (difference -0.01)"
    )


def test_due_date_after_term_end_plus_grace_names_the_instalment():
    data = agreement_data(fees__grace_days=0)
    found = problems(data)
    assert found["fees.instalments[2].due"] == "2027-04-30 is after the term end 2027-03-31"


def test_grace_days_are_stated_in_the_message():
    found = problems(agreement_data(fees__grace_days=10))
    assert found["fees.instalments[2].due"] == "2027-04-30 is after the term end 2027-03-31 plus 10 days' grace"


def test_session_outside_term():
    data = agreement_data()
    data["schedule"]["sessions"][0]["date"] = "2027-04-02"
    found = problems(data)
    assert found["schedule.sessions[0].date"] == "2027-04-02 is outside the term 2027-01-05–2027-03-31"


def test_leap_day_term_is_a_real_date_and_30_february_is_not():
    data = agreement_data(schedule__term__start="2028-02-29")
    data["schedule"]["term"]["end"] = "2028-03-31"
    found = problems(data)
    assert "schedule.term.start" not in found  # 29 February 2028 exists
    bad = problems(agreement_data(schedule__term__end="2027-02-30"))
    assert bad["schedule.term.end"] == "2027-02-30 is not a date: 2027-02 has 28 days"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (dt.datetime(2026, 12, 15, 9, 30), "write a date such as 2027-01-05, not a date and time"),
        (1797292800, "1797292800 is not a date: write it as YYYY-MM-DD, e.g. 2027-01-05"),
    ],
)
def test_python_callers_give_dates_not_datetimes_or_timestamps(value, message):
    assert problems(agreement_data(signing__date=value))["signing.date"] == message
    assert make_agreement_model(signing__date=dt.date(2026, 12, 15)).signing.date == dt.date(2026, 12, 15)


def test_instalments_may_leave_the_amount_to_the_remainder_rule():
    data = agreement_data()
    first, _, last = data["fees"]["instalments"]
    del first["amount"], last["amount"]
    first["share"] = "40%"  # of 96000.00: 38400.00; the last takes what is left
    agreement = TrainingAgreement.model_validate(data)
    assert [str(i.amount) for i in agreement.fees.instalments] == ["38400.00", "38400.00", "19200.00"]
    assert agreement.fees.instalments[0].share == Decimal("0.4")


def test_module_hours_must_match_scheduled_sessions():
    found = problems(agreement_data(training__modules__0__hours="10"))
    assert found["training.modules[0].hours"] == "平台规则与产品知识 has 10 hours but its sessions add up to 12 hours"


def test_session_must_name_a_module():
    data = agreement_data()
    data["schedule"]["sessions"][1]["module"] = "不存在的模块"
    found = problems(data)
    assert found["schedule.sessions[1].module"].startswith("'不存在的模块' is not a module")


def test_offline_session_needs_a_place():
    data = agreement_data()
    del data["schedule"]["sessions"][3]["place"]
    assert problems(data)["schedule.sessions[3].place"] == "an offline session needs a place"


def test_arbitration_and_litigation_together_is_void():
    data = agreement_data()
    data["disputes"]["arbitration"] = {"commission": "杭州仲裁委员会"}
    message = problems(data)["disputes.litigation"]
    assert "either arbitration or litigation, not both" in message
    assert "Arbitration Law, art. 7" in message


def test_a_forum_is_required():
    data = agreement_data()
    data["disputes"] = {}
    assert "name a forum" in problems(data)["disputes"]


def test_litigation_needs_court_or_rule():
    data = agreement_data()
    data["disputes"]["litigation"] = {}
    assert problems(data)["disputes.litigation.court"] == "name exactly one of court or rule"


def test_kpi_target_worse_than_baseline():
    data = agreement_data()
    data["evaluation"]["kpis"][0]["target"] = "4.0"  # complaint rate 3.2 → 4.0, lower is better
    assert problems(data)["evaluation.kpis[0].target"].startswith("target 4.0 is not better than the baseline 3.2")


def test_grade_bands_must_cover_0_to_100():
    data = agreement_data()
    data["evaluation"]["grades"][2]["min_score"] = 65
    assert problems(data)["evaluation.grades[2]"] == "scores 60–64 belong to no grade"


def test_bonus_must_be_tied_to_an_evaluation_kpi():
    data = agreement_data()
    data["fees"]["bonus"] = {"amount": "5000.00", "kpi": "转化率", "condition": "达到目标"}
    assert "not an evaluation KPI" in problems(data)["fees.bonus.kpi"]


def test_liability_cap_cannot_exceed_total():
    found = problems(agreement_data(liability__cap="96000.01"))
    assert found["liability.cap"] == "the cap 96000.01 exceeds the total fee 96000.00"


def test_every_field_problem_is_reported_at_once():
    data = agreement_data(contract_no="", fees__total="12.345")
    data["parties"]["client"]["credit_code"] = "91330106MA2J7K3Q81"
    assert {"contract_no", "fees.total", "parties.client.credit_code"} <= set(problems(data))


def test_every_cross_field_problem_is_reported_at_once():
    data = agreement_data(fees__grace_days=0, liability__cap="100000.00")
    data["schedule"]["sessions"][4]["module"] = "不存在的模块"
    assert {"fees.instalments[2].due", "liability.cap", "schedule.sessions[4].module"} <= set(problems(data))
