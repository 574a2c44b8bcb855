"""Hostile dates: 29 February, sessions outside the term, due dates after the end.

Every case loads YAML text through the real loader and asserts the problem
names the key path and the YAML line; an impossible date is an error, never
a silent shift to 28 February or 1 March.  The online example is used because
it needs no shared file (``loads`` cannot resolve ``include:``).
"""

from __future__ import annotations

import datetime as dt

import pytest

from contractgen.errors import InputError, Problem
from contractgen.pipeline import loads, render
from contractgen.readback import read_docx_blocks
from tests.conftest import ONLINE_EXAMPLE

BASE = ONLINE_EXAMPLE.read_text(encoding="utf-8")

# Where each date of the online example is written (a unique piece of its line).
SIGNING = "  date: 2027-02-20"
TERM_START = "    start: 2027-03-01"
TERM_END = "    end: 2027-04-30"
FIRST_SESSION = "{date: 2027-03-04,"
LAST_SESSION = "{date: 2027-04-15,"
DUE = "      due: 2027-02-28"
EFFECTIVE = "  on: signature"


def variant(*changes: tuple[str, str], text: str = BASE) -> str:
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def line_of(text: str, piece: str) -> int:
    (number,) = [n for n, line in enumerate(text.splitlines(), start=1) if piece in line]
    return number


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        loads(text)
    return list(caught.value.problems)


def only_problem(text: str) -> Problem:
    (problem,) = problems_of(text)
    return problem


def with_grace(days: int, text: str = BASE) -> str:
    return variant(("  invoice_type: general\n", f"  invoice_type: general\n  grace_days: {days}\n"), text=text)


# -- 29 February 2027 does not exist ------------------------------------------

NOT_LEAP = "2027-02-29 is not a date: 2027 is not a leap year"


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        (SIGNING, "  date: 2027-02-29", "signing.date", NOT_LEAP),
        (TERM_START, "    start: 2027-02-29", "schedule.term.start", NOT_LEAP),
        (TERM_END, "    end: 2027-02-29", "schedule.term.end", NOT_LEAP),
        (FIRST_SESSION, "{date: 2027-02-29,", "schedule.sessions[0].date", NOT_LEAP),
        (DUE, "      due: 2027-02-29", "fees.instalments[0].due", NOT_LEAP),
        (EFFECTIVE, "  on: 2027-02-29", "effectiveness.on", NOT_LEAP + " (or signature)"),
    ],
)
def test_29_february_2027_is_an_error_at_its_field_and_line(old, new, path, message):
    text = variant((old, new))
    problem = only_problem(text)
    assert (problem.path, problem.message) == (path, message)
    assert problem.line == line_of(text, new.strip())
    assert "2027-02-28" not in problem.message and "2027-03-01" not in problem.message


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2027-04-31", "2027-04-31 is not a date: 2027-04 has 30 days"),
        ("2100-02-29", "2100-02-29 is not a date: 2100 is not a leap year"),  # a century, not a leap year
        ("2027-13-01", "2027-13-01 is not a date: there is no month 13"),
        ("2027-00-10", "2027-00-10 is not a date: there is no month 0"),
        ("2027-03-00", "2027-03-00 is not a date: 2027-03 has 31 days"),
        ("0000-01-01", "0000-01-01 is not a date: there is no year 0"),
    ],
)
def test_other_impossible_dates_say_why(written, message):
    text = variant((SIGNING, f"  date: {written}"))
    assert only_problem(text) == Problem("signing.date", message, "<string>", line_of(text, written), 9)


@pytest.mark.parametrize(
    "written",
    [
        "20270220",  # compact date
        "1802822400",  # a Unix timestamp: pydantic alone would read 2027-02-17
        "0",  # pydantic alone would read 1970-01-01
        "2027-02-20T00:00:00",  # a datetime at midnight
        "2027/02/20",
        "2027-2-20",
        "'2027-02-20 '",
    ],
)
def test_a_date_is_only_ever_read_as_yyyy_mm_dd(written):
    problem = only_problem(variant((SIGNING, f"  date: {written}")))
    assert problem.path == "signing.date"
    assert problem.message.endswith("is not a date: write it as YYYY-MM-DD, e.g. 2027-01-05")


def test_effective_date_hint_names_the_other_option():
    problem = only_problem(variant((EFFECTIVE, "  on: 0")))
    assert (problem.path, problem.message) == (
        "effectiveness.on",
        "'0' is not a date: write it as YYYY-MM-DD, e.g. 2027-01-05 (or signature)",
    )


# -- 29 February 2028 exists ---------------------------------------------------


def leap_year_text() -> str:
    """The example a year later, with signing, term start, first session and first due date on 29 February."""
    text = BASE.replace("2027-", "2028-")
    return variant(
        ("  date: 2028-02-20", "  date: 2028-02-29"),
        ("    start: 2028-03-01", "    start: 2028-02-29"),
        ("{date: 2028-03-04,", "{date: 2028-02-29,"),
        ("      due: 2028-02-28", "      due: 2028-02-29"),
        text=text,
    )


def test_29_february_2028_is_accepted_everywhere_and_printed_as_written():
    agreement = loads(leap_year_text())
    leap_day = dt.date(2028, 2, 29)
    assert agreement.signing.date == leap_day
    assert agreement.schedule.term.start == leap_day
    assert agreement.schedule.sessions[0].date == leap_day
    assert agreement.fees.instalments[0].due == leap_day
    body = "\n".join(block.text for block in read_docx_blocks(render(agreement, ["docx"])["docx"]))
    assert "2028年2月29日" in body
    assert "2028年3月1日" not in body and "2028年2月28日" not in body


def test_the_grace_period_counts_across_29_february():
    text = variant(("    end: 2028-04-30", "    end: 2028-02-29"), text=leap_year_text())
    later_sessions = ("2028-03-11", "2028-03-18", "2028-03-25", "2028-04-01", "2028-04-08", "2028-04-15")
    text = variant(*((f"{{date: {day},", "{date: 2028-02-29,") for day in later_sessions), text=text)
    text = with_grace(1, text)
    on_time = variant(("      due: 2028-02-29", "      due: 2028-03-01"), text=text)
    assert loads(on_time).fees.instalments[0].due == dt.date(2028, 3, 1)
    late = variant(("      due: 2028-02-29", "      due: 2028-03-02"), text=text)
    assert only_problem(late) == Problem(
        "fees.instalments[0].due",
        "2028-03-02 is after the term end 2028-02-29 plus 1 days' grace",
        "<string>",
        line_of(late, "due: 2028-03-02"),
        12,
    )


# -- sessions outside the term ---------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        (FIRST_SESSION, "{date: 2027-02-28,", "schedule.sessions[0].date"),  # the day before the term
        (LAST_SESSION, "{date: 2027-05-01,", "schedule.sessions[6].date"),  # the day after the term
    ],
)
def test_a_session_outside_the_term_names_the_session(old, new, path):
    text = variant((old, new))
    problem = only_problem(text)
    day = new.removeprefix("{date: ").rstrip(",")
    assert (problem.path, problem.message) == (path, f"{day} is outside the term 2027-03-01–2027-04-30")
    assert problem.line == line_of(text, new)


def test_sessions_on_the_first_and_last_day_of_the_term_are_inside():
    text = variant((FIRST_SESSION, "{date: 2027-03-01,"), (LAST_SESSION, "{date: 2027-04-30,"))
    sessions = loads(text).schedule.sessions
    assert (sessions[0].date, sessions[-1].date) == (dt.date(2027, 3, 1), dt.date(2027, 4, 30))


def test_a_term_that_ends_before_it_starts():
    text = variant((TERM_END, "    end: 2027-02-28"))
    problems = {p.path: p for p in problems_of(text)}
    assert problems["schedule.term.end"].message == "term end 2027-02-28 is before its start 2027-03-01"
    assert problems["schedule.term.end"].line == line_of(text, "end: 2027-02-28")


# -- due dates after the end (plus grace) or before signing -------------------------


def test_a_due_date_after_the_term_end():
    text = variant((DUE, "      due: 2027-05-01"))
    assert only_problem(text) == Problem(
        "fees.instalments[0].due", "2027-05-01 is after the term end 2027-04-30", "<string>", line_of(text, "due: 2027-05-01"), 12
    )


def test_a_due_date_within_the_grace_period_is_accepted_and_one_day_more_is_not():
    assert loads(with_grace(10, variant((DUE, "      due: 2027-05-10")))).fees.instalments[0].due == dt.date(2027, 5, 10)
    text = with_grace(10, variant((DUE, "      due: 2027-05-11")))
    problem = only_problem(text)
    assert (problem.path, problem.message) == (
        "fees.instalments[0].due",
        "2027-05-11 is after the term end 2027-04-30 plus 10 days' grace",
    )
    assert problem.line == line_of(text, "due: 2027-05-11")


def test_a_due_date_before_signing():
    text = variant((DUE, "      due: 2027-02-19"))
    assert only_problem(text) == Problem(
        "fees.instalments[0].due", "2027-02-19 is before the signing date 2027-02-20", "<string>", line_of(text, "due: 2027-02-19"), 12
    )
    assert loads(variant((DUE, "      due: 2027-02-20"))).fees.instalments[0].due == dt.date(2027, 2, 20)  # the same day is fine


def test_a_late_due_date_is_reported_beside_an_unrelated_typo():
    text = variant((DUE, "      due: 2027-05-01"), ("contract_no: SHLM-2027-PX-003", 'contract_no: ""'))
    assert {p.path for p in problems_of(text)} == {"contract_no", "fees.instalments[0].due"}


def test_a_term_ending_on_the_last_representable_day_is_no_crash():
    # term end + grace would be after 9999-12-31: the check counts days instead of adding them
    text = with_grace(30, variant((TERM_END, "    end: 9999-12-31")))
    assert loads(text).schedule.term.end == dt.date(9999, 12, 31)
    late = variant((DUE, "      due: 9999-12-31"), text=with_grace(30, variant((TERM_END, "    end: 9999-11-30"))))
    assert only_problem(late).message == "9999-12-31 is after the term end 9999-11-30 plus 30 days' grace"


# -- session times ---------------------------------------------------------------------


@pytest.mark.parametrize("written", ['"19:00+08:00"', '"19:00Z"', '"19:00:00.5"', "1900", '"7:00"'])
def test_a_session_time_is_only_ever_read_as_hh_mm(written):
    text = variant(('{date: 2027-03-04, start: "19:00"', f"{{date: 2027-03-04, start: {written}"))
    problem = only_problem(text)
    assert problem.path == "schedule.sessions[0].start"
    assert problem.message.endswith("is not a time: write it as HH:MM, e.g. 09:00 (local time, no zone)")
    assert problem.line == line_of(text, f"start: {written}")


def test_an_impossible_time_says_why():
    problem = only_problem(variant(('{date: 2027-03-04, start: "19:00"', '{date: 2027-03-04, start: "24:00"')))
    assert (problem.path, problem.message) == (
        "schedule.sessions[0].start",
        "24:00 is not a time of day: hours run 00–23, minutes and seconds 00–59",
    )
