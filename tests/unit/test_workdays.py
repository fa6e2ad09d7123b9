"""Working days: weekends, Vietnam's holidays (Tết, 30/4–1/5, 2/9) and the settings' extras."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.workdays import (
    DEFAULT_CALENDAR, WorkCalendar, _year, add_working_days, calendar_from, is_working_day, use_calendar,
    working_days_between,
)


def test_weekdays_work_and_weekends_do_not():
    assert is_working_day(date(2026, 3, 6))  # Friday
    assert not is_working_day(date(2026, 3, 7))  # Saturday
    assert not is_working_day(date(2026, 3, 8))  # Sunday
    assert is_working_day(date(2026, 3, 9))  # Monday


def test_tet_2027_is_off_from_29th_to_fifth_day():
    assert is_working_day(date(2027, 2, 3))
    for day in range(4, 11):  # Thu 4 Feb – Wed 10 Feb 2027
        assert not is_working_day(date(2027, 2, day)), day
    assert is_working_day(date(2027, 2, 11))


def test_counting_across_tet_2027():
    assert add_working_days(date(2027, 2, 3), 1) == date(2027, 2, 11)
    # Fri 29 Jan + 10: 1–3 Feb are 3 days, 11–12 Feb 2 more, 15–19 Feb the last 5.
    assert add_working_days(date(2027, 1, 29), 10) == date(2027, 2, 19)


def test_reunification_and_labour_day_2026():
    assert add_working_days(date(2026, 4, 28), 1) == date(2026, 4, 29)
    assert add_working_days(date(2026, 4, 29), 1) == date(2026, 5, 4)  # 30/4, 1/5, weekend
    assert add_working_days(date(2026, 4, 30), 1) == date(2026, 5, 4)


def test_national_day_2025():
    assert not is_working_day(date(2025, 9, 1))
    assert not is_working_day(date(2025, 9, 2))
    assert add_working_days(date(2025, 8, 29), 1) == date(2025, 9, 3)


def test_swapped_saturday_known_to_the_package_2025():
    # Sat 26 Apr 2025 was worked so that Fri 2 May 2025 could be a day off.
    assert is_working_day(date(2025, 4, 26))
    assert not is_working_day(date(2025, 5, 2))
    assert add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 26)


def test_settings_add_days_off_and_working_saturdays():
    monday, saturday = date(2026, 3, 9), date(2026, 3, 14)
    cal = WorkCalendar(extra_days_off=frozenset({monday}), extra_working_days=frozenset({saturday}))
    assert not is_working_day(monday, cal)
    assert is_working_day(saturday, cal)
    assert add_working_days(date(2026, 3, 6), 1, cal) == date(2026, 3, 10)
    assert add_working_days(date(2026, 3, 13), 1, cal) == saturday
    both = WorkCalendar(extra_days_off=frozenset({saturday}), extra_working_days=frozenset({saturday}))
    assert not is_working_day(saturday, both)


def test_start_never_counts():
    assert add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 7)  # n=0: the day itself
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)  # from a Saturday
    assert add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 10)  # from a Monday


def test_counting_back():
    assert add_working_days(date(2027, 2, 11), -1) == date(2027, 2, 3)
    assert add_working_days(date(2026, 3, 9), -1) == date(2026, 3, 6)


def test_working_days_between():
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 6)) == 0
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 6)) == -1
    assert working_days_between(date(2027, 2, 3), date(2027, 2, 11)) == 1


def test_holiday_years_are_looked_up_once():
    _year.cache_clear()
    for offset in range(400):
        is_working_day(date(2026, 1, 1) + timedelta(days=offset))
    assert _year.cache_info().misses == 2  # 2026 and 2027


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31)), st.integers(0, 90))
def test_count_and_add_agree(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    if n:
        assert is_working_day(end)
        assert working_days_between(start, end - timedelta(days=1)) == n - 1


def test_swapped_saturday_known_to_the_package_2026():
    # Sat 22 Aug 2026 is worked so that Mon 31 Aug 2026 joins 1-2 Sep (holidays 0.106 and later)
    assert is_working_day(date(2026, 8, 22))
    assert not is_working_day(date(2026, 8, 31))
    assert add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)


@pytest.fixture
def calendar_in_force():
    yield
    use_calendar(DEFAULT_CALENDAR)


async def test_the_settings_calendar_is_in_force_for_every_rule(calendar_in_force, tmp_path):
    from bot.app import Chibo
    from bot.config import Settings

    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)
    chibo = Chibo(Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/c.sqlite3",
                           days_off="09/03/2026, 10/03/2026", working_days="14/03/2026"))
    await chibo.close()
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 11)  # the cached answer is not reused
    assert add_working_days(date(2026, 3, 13), 1) == date(2026, 3, 14)
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 16)) == 5  # 11, 12, 13, 14, 16


@pytest.mark.parametrize("days_off, working, problem", [
    ("31/02/2026", "", "'31/02/2026'"), ("9-3-2026", "", "'9-3-2026'"), ("", "14/03", "'14/03'")])
def test_a_bad_date_in_the_settings_is_named(days_off, working, problem):
    with pytest.raises(ValueError, match=problem):
        calendar_from(days_off, working)


def test_empty_settings_add_nothing():
    assert calendar_from("", " ") == WorkCalendar()
