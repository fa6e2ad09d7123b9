"""Reading a report's period: the CLI's forms, the chat's, and what is refused."""

from datetime import date

import pytest

from bot.reports import read_period
from models.reports.periods import PeriodError, PeriodUnit

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize("text, unit, label, start, end", [
    ("2026-11", PeriodUnit.month, "2026-11", date(2026, 11, 1), date(2026, 11, 30)),
    ("11/2026", PeriodUnit.month, "2026-11", date(2026, 11, 1), date(2026, 11, 30)),
    ("2/2024", PeriodUnit.month, "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("tháng 12/2026", PeriodUnit.month, "2026-12", date(2026, 12, 1), date(2026, 12, 31)),
    ("2026-Q3", PeriodUnit.quarter, "2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
    ("Q3/2026", PeriodUnit.quarter, "2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
    ("quý 4/2026", PeriodUnit.quarter, "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ("2026-H1", PeriodUnit.half, "2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
    ("6 tháng đầu năm 2026", PeriodUnit.half, "2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
    ("6 thang cuoi nam 2025", PeriodUnit.half, "2025-H2", date(2025, 7, 1), date(2025, 12, 31)),
    ("2026", PeriodUnit.year, "2026", date(2026, 1, 1), date(2026, 12, 31)),
    ("năm 2025", PeriodUnit.year, "2025", date(2025, 1, 1), date(2025, 12, 31)),
    ("2025-2026", PeriodUnit.school_year, "2025-2026", date(2025, 9, 1), date(2026, 8, 31)),
    ("năm học 2026 - 2027", PeriodUnit.school_year, "2026-2027", date(2026, 9, 1), date(2027, 8, 31)),
])
def test_a_period_is_read(text, unit, label, start, end):
    period = read_period(text, today=TODAY)
    assert (period.unit, period.label, period.start, period.end) == (unit, label, start, end)


@pytest.mark.parametrize("text, error", [
    ("13/2026", PeriodError.unreadable), ("2026-13", PeriodError.unreadable), ("0/2026", PeriodError.unreadable),
    ("Q5/2026", PeriodError.unreadable), ("2026-H3", PeriodError.unreadable), ("2025-2027", PeriodError.unreadable),
    ("tháng trước", PeriodError.unreadable), ("", PeriodError.unreadable), ("1/1/2026", PeriodError.unreadable),
    ("1/2027", PeriodError.future), ("2027", PeriodError.future), ("2027-2028", PeriodError.future),
    ("Q1/2027", PeriodError.future),
])
def test_a_bad_or_future_period_is_refused(text, error):
    assert read_period(text, today=TODAY) == error


def test_the_same_period_a_year_before():
    for text, label in [("2026-02", "2025-02"), ("2024-Q1", "2023-Q1"), ("2026-H2", "2025-H2"),
                        ("2026", "2025"), ("2025-2026", "2024-2025")]:
        assert read_period(text, today=TODAY).year_before().label == label
    assert read_period("2/2025", today=TODAY).year_before().end == date(2024, 2, 29)
