"""Working days (ngày làm việc): no Saturdays, Sundays or Vietnam public holidays (Tết included).

The `holidays` package knows the national days off and the government's swapped working
Saturdays (2025 and 2026 since version 0.106); a locality's own decisions come from the
settings (CHIBO_DAYS_OFF, CHIBO_WORKING_DAYS), put in force at start with `use_calendar`.
"""

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


# Stands for "the calendar in force" (the settings' one, once `use_calendar` was called).
DEFAULT_CALENDAR = WorkCalendar()
_in_force: list[WorkCalendar] = [DEFAULT_CALENDAR]


def use_calendar(cal: WorkCalendar) -> None:
    """Put the settings' calendar in force for every rule that takes the default."""
    _in_force[0] = cal


def _resolved(cal: WorkCalendar) -> WorkCalendar:
    return _in_force[0] if cal is DEFAULT_CALENDAR else cal


def calendar_from(days_off: str, working_days: str) -> WorkCalendar:
    """The settings' lists of dates, "dd/mm/yyyy" separated by commas or spaces; ValueError
    naming the first value that is not a date."""

    def dates(text: str) -> frozenset[date]:
        found = set()
        for word in text.replace(",", " ").split():
            try:
                day, month, year = (int(part) for part in word.split("/"))
                found.add(date(year, month, day))
            except ValueError:
                raise ValueError(f"not a date dd/mm/yyyy: {word!r}") from None
        return frozenset(found)

    return WorkCalendar(extra_days_off=dates(days_off), extra_working_days=dates(working_days))


@lru_cache(maxsize=64)
def _year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """The package's days off and swapped working weekend days falling in one year."""
    vn = holidays.country_holidays("VN", years=(year - 1, year, year + 1))
    days_off = frozenset(d for d in vn if d.year == year)
    workdays = frozenset(d for d in getattr(vn, "weekend_workdays", ()) if d.year == year)
    return days_off, workdays


def is_working_day(day: date, cal: WorkCalendar = DEFAULT_CALENDAR) -> bool:
    cal = _resolved(cal)
    if day in cal.extra_days_off:
        return False
    if day in cal.extra_working_days:
        return True
    days_off, weekend_workdays = _year(day.year)
    if day in days_off:
        return False
    return day.weekday() < 5 or day in weekend_workdays


def add_working_days(start: date, n: int, cal: WorkCalendar = DEFAULT_CALENDAR) -> date:
    """The nth working day after `start` (`start` itself never counts; n=0 gives `start`).

    "Within N working days of X" means on or before add_working_days(X, N): that day is the
    last one in time, the next is overdue. A negative n counts back before `start`.
    """
    return _add_working_days(start, n, _resolved(cal))


@lru_cache(maxsize=16384)  # pure, and asked for the same few hundred dates again and again
def _add_working_days(start: date, n: int, cal: WorkCalendar) -> date:
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
    cal = _resolved(cal)
    if b < a:
        return -working_days_between(b, a, cal)
    return sum(is_working_day(a + timedelta(days=i), cal) for i in range(1, (b - a).days + 1))
