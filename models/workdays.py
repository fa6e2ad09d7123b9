"""Working days (ngày làm việc): no Saturdays, Sundays or Vietnam public holidays (Tết included)."""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays


@dataclass(frozen=True)
class WorkCalendar:
    """What the settings add to the `holidays` package for a year's government decisions.

    A day in both sets is a day off: `extra_days_off` wins.
    """

    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()  # swapped working Saturdays


DEFAULT_CALENDAR = WorkCalendar()


@lru_cache(maxsize=64)
def _year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """The package's days off and swapped working weekend days falling in one year."""
    vn = holidays.country_holidays("VN", years=(year - 1, year, year + 1))
    days_off = frozenset(d for d in vn if d.year == year)
    workdays = frozenset(d for d in getattr(vn, "weekend_workdays", ()) if d.year == year)
    return days_off, workdays


def is_working_day(day: date, cal: WorkCalendar = DEFAULT_CALENDAR) -> bool:
    if day in cal.extra_days_off:
        return False
    if day in cal.extra_working_days:
        return True
    days_off, weekend_workdays = _year(day.year)
    if day in days_off:
        return False
    return day.weekday() < 5 or day in weekend_workdays


@lru_cache(maxsize=16384)  # pure, and asked for the same few hundred dates again and again
def add_working_days(start: date, n: int, cal: WorkCalendar = DEFAULT_CALENDAR) -> date:
    """The nth working day after `start` (`start` itself never counts; n=0 gives `start`).

    "Within N working days of X" means on or before add_working_days(X, N): that day is the
    last one in time, the next is overdue. A negative n counts back before `start`.
    """
    step = timedelta(days=1 if n >= 0 else -1)
    day, left = start, abs(n)
    while left:
        day += step
        if is_working_day(day, cal):
            left -= 1
    return day


def working_days_between(a: date, b: date, cal: WorkCalendar = DEFAULT_CALENDAR) -> int:
    """How many working days d with a < d <= b (negative when b is before a).

    For a working day b: working_days_between(a, add_working_days(a, n)) == n.
    """
    if b < a:
        return -working_days_between(b, a, cal)
    return sum(is_working_day(a + timedelta(days=i), cal) for i in range(1, (b - a).days + 1))
