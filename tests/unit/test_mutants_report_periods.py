"""A report's period at its edges, as mutation testing of models/reports/periods.py asked: the
first and last day of a period, a period that begins today, the years accepted, the longest
phrase read first, and the period a report covers when none is named."""

from datetime import date

import pytest

from models.reports.periods import PeriodError, PeriodUnit, current_period, month_of, parse_report_period

TODAY = date(2026, 12, 1)
PHRASES = {"nam": "", "6 thang dau nam": "h1", "quý": "q", "tháng": ""}


def read(text, today=TODAY):
    return parse_report_period(text, today=today, phrases=PHRASES)


def span(period):
    return (period.unit, period.label, period.start, period.end)


def test_a_period_holds_its_first_and_last_day_and_nothing_outside():
    november = read("2026-11")
    assert date(2026, 11, 1) in november and date(2026, 11, 30) in november
    assert date(2026, 10, 31) not in november and date(2026, 12, 1) not in november


def test_a_period_that_begins_today_is_not_in_the_future():
    assert span(read("12/2026")) == (PeriodUnit.month, "2026-12", date(2026, 12, 1), date(2026, 12, 31))
    assert read("12/2026", today=date(2026, 11, 30)) == PeriodError.future


@pytest.mark.parametrize("text, expected", [
    ("1900", PeriodError.unreadable), ("3000", PeriodError.unreadable), ("2999", PeriodError.future),
    ("1901", (PeriodUnit.year, "1901", date(1901, 1, 1), date(1901, 12, 31))),
    ("1/1901", (PeriodUnit.month, "1901-01", date(1901, 1, 1), date(1901, 1, 31))),
    ("1900-1901", PeriodError.unreadable),
])
def test_only_years_after_1900_and_before_3000_are_read(text, expected):
    found = read(text)
    assert (found if isinstance(found, PeriodError) else span(found)) == expected


@pytest.mark.parametrize("text, label", [
    ("2026-1", "2026-01"), ("2026-12", "2026-12"), ("12/2026", "2026-12"), ("1.2026", "2026-01"),
    ("2026q4", "2026-Q4"), ("2026-Q1", "2026-Q1"), ("q2 2026", "2026-Q2"), ("Q 2/2026", "2026-Q2"),
    ("q2-2026", "2026-Q2"), ("2026h2", "2026-H2"), ("h2/2026", "2026-H2"), ("H 1 2026", "2026-H1"),
    ("  2026 –  2027 ", "2026-2027"), ("2025/2026", "2025-2026"),
    ("6 tháng đầu năm 2026", "2026-H1"), ("quý 3/2026", "2026-Q3"), ("tháng 11/2026", "2026-11"),
])
def test_the_forms_people_write_are_read(text, label):
    assert read(text, today=date(2027, 12, 31)).label == label


@pytest.mark.parametrize("text", ["2026-13", "2026-0", "13/2026", "q0/2026", "q5/2026", "h0/2026", "h3/2026",
                                  "2026-q5", "2026-h3", "2026-2026", "x2026", "xthang 11/2026", "2026 namx"])
def test_what_is_not_a_period_is_unreadable(text):
    assert read(text, today=date(2027, 12, 31)) == PeriodError.unreadable


def test_the_phrases_are_optional():
    assert parse_report_period("2026-Q3", today=TODAY).label == "2026-Q3"
    assert parse_report_period("năm 2026", today=TODAY) == PeriodError.unreadable


def test_each_period_knows_its_number_and_the_same_period_a_year_before():
    for text, number, before in [("2026-11", 11, ("2025-11", date(2025, 11, 1), date(2025, 11, 30))),
                                 ("2026-10", 10, ("2025-10", date(2025, 10, 1), date(2025, 10, 31))),
                                 ("2026-Q4", 4, ("2025-Q4", date(2025, 10, 1), date(2025, 12, 31))),
                                 ("2026-H2", 2, ("2025-H2", date(2025, 7, 1), date(2025, 12, 31))),
                                 ("2026", 0, ("2025", date(2025, 1, 1), date(2025, 12, 31))),
                                 ("2025-2026", 0, ("2024-2025", date(2024, 9, 1), date(2025, 8, 31)))]:
        period = read(text)
        earlier = period.year_before()
        assert (period.number, earlier.unit, earlier.label, earlier.start, earlier.end) == (
            number, period.unit, *before)


def test_the_month_of_a_day():
    assert span(month_of(date(2024, 2, 29))) == (PeriodUnit.month, "2024-02", date(2024, 2, 1), date(2024, 2, 29))
    assert span(month_of(date(2026, 12, 31))) == (PeriodUnit.month, "2026-12", date(2026, 12, 1), date(2026, 12, 31))


@pytest.mark.parametrize("kind, today, expected", [
    ("monthly", date(2026, 3, 31), (PeriodUnit.month, "2026-03", date(2026, 3, 1), date(2026, 3, 31))),
    ("quarterly", date(2026, 3, 31), (PeriodUnit.quarter, "2026-Q1", date(2026, 1, 1), date(2026, 3, 31))),
    ("quarterly", date(2026, 4, 1), (PeriodUnit.quarter, "2026-Q2", date(2026, 4, 1), date(2026, 6, 30))),
    ("quarterly", date(2026, 12, 1), (PeriodUnit.quarter, "2026-Q4", date(2026, 10, 1), date(2026, 12, 31))),
    ("half-year", date(2026, 6, 30), (PeriodUnit.half, "2026-H1", date(2026, 1, 1), date(2026, 6, 30))),
    ("half-year", date(2026, 7, 1), (PeriodUnit.half, "2026-H2", date(2026, 7, 1), date(2026, 12, 31))),
    ("yearly", date(2026, 7, 1), (PeriodUnit.year, "2026", date(2026, 1, 1), date(2026, 12, 31))),
    ("rollup", date(2026, 1, 1), (PeriodUnit.year, "2026", date(2026, 1, 1), date(2026, 12, 31))),
])
def test_the_period_a_report_covers_when_none_is_named(kind, today, expected):
    assert span(current_period(kind, today)) == expected


def test_a_list_covers_no_period():
    assert current_period("list", TODAY) is None
