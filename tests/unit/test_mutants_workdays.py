"""Counting working days honours the settings' calendar, forwards and backwards."""

from datetime import date

from models.workdays import WorkCalendar, working_days_between

FRIDAY, MONDAY, TUESDAY = date(2026, 3, 6), date(2026, 3, 9), date(2026, 3, 10)
SATURDAY = date(2026, 3, 7)


def test_counting_skips_an_extra_day_off_both_ways():
    cal = WorkCalendar(extra_days_off=frozenset({MONDAY}))
    assert working_days_between(FRIDAY, TUESDAY) == 2
    assert working_days_between(FRIDAY, TUESDAY, cal) == 1
    assert working_days_between(TUESDAY, FRIDAY, cal) == -1


def test_counting_includes_a_swapped_working_saturday_both_ways():
    cal = WorkCalendar(extra_working_days=frozenset({SATURDAY}))
    assert working_days_between(FRIDAY, MONDAY, cal) == 2
    assert working_days_between(MONDAY, FRIDAY, cal) == -2
