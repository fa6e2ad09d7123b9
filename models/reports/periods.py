"""The period a report covers: a month, a quarter, a half-year, a calendar or a school year."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from models.rules import add_months
from models.targets import school_year
from models.text import fold


class PeriodUnit(StrEnum):
    month = "month"
    quarter = "quarter"
    half = "half"
    year = "year"
    school_year = "school_year"


@dataclass(frozen=True)
class ReportPeriod:
    unit: PeriodUnit
    label: str  # "2026-11", "2026-Q3", "2026-H1", "2026", "2025-2026"
    start: date
    end: date  # inclusive

    @property
    def number(self) -> int:
        """The month, quarter or half within its year (0 for a year)."""
        return int(re.sub(r"\D", "", self.label[5:]) or 0) if self.unit != PeriodUnit.school_year else 0

    def year_before(self) -> "ReportPeriod":
        """The same period one year earlier (the statistics forms' "cùng kỳ năm trước")."""
        return _make(self.unit, self.start.year - 1, self.number)

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


class PeriodError(StrEnum):
    unreadable = "unreadable"
    future = "future"


def _make(unit: PeriodUnit, year: int, n: int = 0) -> ReportPeriod:
    if unit == PeriodUnit.school_year:
        span = school_year(year)
        return ReportPeriod(unit, f"{year}-{year + 1}", span.start, span.end)
    months, label = {
        PeriodUnit.month: (1, f"{year:04d}-{n:02d}"), PeriodUnit.quarter: (3, f"{year:04d}-Q{n}"),
        PeriodUnit.half: (6, f"{year:04d}-H{n}"), PeriodUnit.year: (12, f"{year:04d}"),
    }[unit]
    start = date(year, (max(n, 1) - 1) * months + 1, 1)
    return ReportPeriod(unit, label, start, add_months(start, months) - timedelta(days=1))


_FORMS: tuple[tuple[re.Pattern[str], PeriodUnit, int], ...] = tuple(
    (re.compile(pattern), unit, limit) for pattern, unit, limit in (
        (r"(?P<y>\d{4})-(?P<n>\d{1,2})", PeriodUnit.month, 12),
        (r"(?P<n>\d{1,2})[/.-](?P<y>\d{4})", PeriodUnit.month, 12),
        (r"(?P<y>\d{4})-?q(?P<n>\d)", PeriodUnit.quarter, 4),
        (r"q(?P<n>\d)[/ -]?(?P<y>\d{4})", PeriodUnit.quarter, 4),
        (r"(?P<y>\d{4})-?h(?P<n>\d)", PeriodUnit.half, 2),
        (r"h(?P<n>\d)[/ -]?(?P<y>\d{4})", PeriodUnit.half, 2),
        (r"(?P<y>\d{4})", PeriodUnit.year, 0),
        (r"(?P<y>\d{4})\s*[-–/]\s*(?P<y2>\d{4})", PeriodUnit.school_year, 0),
    ))


def parse_report_period(text: str, *, today: date,
                        phrases: Mapping[str, str] | None = None) -> ReportPeriod | PeriodError:
    """A period typed as the CLI takes it ("2026-11", "2026-Q3", "2026-H1", "2026", "2025-2026")
    or as people write it ("11/2026", "Q3/2026"). `phrases` turns words into those forms
    before reading (folded phrase → form, e.g. "6 thang dau nam" → "h1", from messages/):
    "6 tháng đầu năm 2026" reads as "h1 2026". A period that has not begun is refused."""
    key = " ".join(fold(text).split())
    for phrase, form in sorted((phrases or {}).items(), key=lambda p: -len(p[0])):
        key = re.sub(rf"(?<![a-z]){re.escape(fold(phrase))}(?![a-z])", f" {form} ", key)
    key = re.sub(r"(?<![a-z])([qh]) (?=\d)", r"\1", " ".join(key.split()))
    for pattern, unit, limit in _FORMS:
        match = pattern.fullmatch(key)
        if not match:
            continue
        year = int(match.group("y"))
        if not 1900 < year < 3000:
            return PeriodError.unreadable
        if unit == PeriodUnit.school_year:
            if int(match.group("y2")) != year + 1:
                return PeriodError.unreadable
            period = _make(unit, year)
        else:
            n = int(match.group("n")) if limit else 0
            if limit and not 1 <= n <= limit:
                return PeriodError.unreadable
            period = _make(unit, year, n)
        return PeriodError.future if period.start > today else period
    return PeriodError.unreadable


def month_of(day: date) -> ReportPeriod:
    return _make(PeriodUnit.month, day.year, day.month)


def current_period(kind: str, today: date) -> ReportPeriod | None:
    """The period a report covers when none is named: this month, this half-year, this year
    (a report kind's name, as bot/reports/make.py ReportKind spells it); None for a list."""
    if kind == "monthly":
        return month_of(today)
    if kind == "quarterly":
        return _make(PeriodUnit.quarter, today.year, (today.month - 1) // 3 + 1)
    if kind == "half-year":
        return _make(PeriodUnit.half, today.year, 1 if today.month <= 6 else 2)
    if kind in ("yearly", "rollup"):
        return _make(PeriodUnit.year, today.year)
    return None
