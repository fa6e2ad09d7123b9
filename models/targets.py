"""Progress against a target (chỉ tiêu): admissions held in a period, and their composition."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from models.rules import (
    SCHOOL_YEAR_START_DAY, SCHOOL_YEAR_START_MONTH, STUDENT_BRANCH_MIN_AGE_MONTHS, add_months,
)


class PeriodKind(StrEnum):
    calendar_year = "calendar_year"
    school_year = "school_year"
    term = "term"  # nhiệm kỳ, or any explicit span


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: date
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends before it starts")

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def calendar_year(year: int) -> Period:
    return Period(PeriodKind.calendar_year, date(year, 1, 1), date(year, 12, 31))


def school_year(start_year: int) -> Period:
    """1 September of `start_year` to 31 August of the next year."""
    start = date(start_year, SCHOOL_YEAR_START_MONTH, SCHOOL_YEAR_START_DAY)
    return Period(PeriodKind.school_year, start, add_months(start, 12) - timedelta(days=1))


def school_year_containing(day: date) -> Period:
    started = (day.month, day.day) >= (SCHOOL_YEAR_START_MONTH, SCHOOL_YEAR_START_DAY)
    return school_year(day.year if started else day.year - 1)


def term(start: date, end: date) -> Period:
    return Period(PeriodKind.term, start, end)


@dataclass(frozen=True)
class Target:
    period: Period
    admissions: int  # at least this many ceremonies held in the period
    # At least so many admissions carrying a tag: a Category value ("teacher") or a flag
    # ("youth_union", "woman", "ethnic_minority", "religious", "private_firm").
    composition: Mapping[str, int] = field(default_factory=dict)
    exempt_without_source: bool = False  # 001: not for a branch with no source left


@dataclass(frozen=True)
class Admission:
    ceremony_on: date
    category: str
    flags: frozenset[str] = frozenset()

    @property
    def tags(self) -> frozenset[str]:
        return self.flags | {str(self.category)}


@dataclass(frozen=True)
class Progress:
    counted: int
    required: int
    missing: int  # admissions still needed (0 when met)
    composition: dict[str, int]  # per required tag: admissions in the period carrying it
    composition_missing: dict[str, int]  # per tag still short: how many more
    exempt: bool = False

    @property
    def met(self) -> bool:
        return self.exempt or (self.missing == 0 and not self.composition_missing)


def progress(target: Target, admissions: Iterable[Admission], *, has_source: bool = True) -> Progress:
    """Count the ceremonies held within the target's period, overall and per required tag."""
    held = [a for a in admissions if a.ceremony_on in target.period]
    per_tag = {tag: sum(tag in a.tags for a in held) for tag in target.composition}
    short = {tag: need - per_tag[tag] for tag, need in target.composition.items() if per_tag[tag] < need}
    return Progress(
        counted=len(held), required=target.admissions,
        missing=max(target.admissions - len(held), 0), composition=per_tag,
        composition_missing=short, exempt=target.exempt_without_source and not has_source,
    )


def merge_composition(kept: Mapping[str, int], changes: Mapping[str, int], admissions: int) -> dict[str, int]:
    """The composition when a target is set again: each earlier requirement stays unless the new
    answers name its group (a count of 0 drops it); a target of 0 admissions asks for none."""
    if admissions <= 0:
        return {}
    merged = {**kept, **changes}
    return {tag: count for tag, count in merged.items() if count > 0}


def composition_changes(
    before: Mapping[str, int], after: Mapping[str, int],
) -> list[tuple[str, int | None, int | None]]:
    """Each group required before or after, with its count before and after (None: not required):
    the earlier ones first, in their order, then the new ones."""
    tags = list(before) + [tag for tag in after if tag not in before]
    return [(tag, before.get(tag), after.get(tag)) for tag in tags]


def student_branch_counts(founded_on: date, on: date) -> bool:
    """001 counts only student branches older than 12 months on the day of reckoning."""
    return on > add_months(founded_on, STUDENT_BRANCH_MIN_AGE_MONTHS)
