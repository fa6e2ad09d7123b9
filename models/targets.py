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
    # Shares (001, 002): "> 60 % of admissions are Youth Union members" is
    # Share("youth_union", 60, strict=True); also of branches (BRANCHES, STUDENT_BRANCHES).
    shares: tuple["Share", ...] = ()


@dataclass(frozen=True)
class Admission:
    ceremony_on: date
    category: str
    flags: frozenset[str] = frozenset()

    @property
    def tags(self) -> frozenset[str]:
        return self.flags | {str(self.category)}


# The measures of a share that count branches, not admissions (001): "> 70 % of branches
# admit", "100 % of student branches older than 12 months admit". Any other measure is a tag
# (Admission.tags): the share of the period's admissions carrying it.
BRANCHES = "branches"
STUDENT_BRANCHES = "student_branches"
BRANCH_MEASURES = (BRANCHES, STUDENT_BRANCHES)


@dataclass(frozen=True)
class Share:
    """At least (or, strict, more than) `percent` % of a whole: "> 60 %" is strict, "≥ 2 %" not."""

    measure: str
    percent: int
    strict: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.percent <= 100:
            raise ValueError("a share is a percentage from 0 to 100")


def share_met(part: int, whole: int, share: Share) -> bool | None:
    """Whether `part` out of `whole` reaches the share, in whole numbers (no rounding: 2 of 3 is
    not 67 %); None when there is nothing to measure (whole 0)."""
    if whole <= 0:
        return None
    return part * 100 > share.percent * whole if share.strict else part * 100 >= share.percent * whole


def _smallest_above(gap: int, step: int, strict: bool) -> int:
    """The smallest n ≥ 0 with n·step > gap (strict) or n·step ≥ gap; step > 0."""
    if gap < 0 or (gap == 0 and not strict):
        return 0
    return gap // step + 1 if strict else -(-gap // step)


def admissions_short(part: int, whole: int, share: Share) -> int | None:
    """How many more admissions carrying the tag reach the share (each also adds to the whole);
    None when no number of them can (100 % with one already without the tag, or "> 100 %")."""
    if share_met(part, whole, share):
        return 0
    room = 100 - share.percent
    if room <= 0:
        return None if part < whole or share.strict else 0
    return max(_smallest_above(share.percent * whole - 100 * part, room, share.strict), 1)


def branches_short(part: int, whole: int, share: Share) -> int | None:
    """How many more of the `whole` branches must admit to reach the share; None when even all
    of them would not (or there are none to count)."""
    if whole <= 0:
        return None
    if share_met(part, whole, share):
        return 0
    more = _smallest_above(share.percent * whole - 100 * part, 100, share.strict)
    return more if part + more <= whole else None


@dataclass(frozen=True)
class ShareProgress:
    share: Share
    part: int  # admissions carrying the tag, or branches that admitted
    whole: int  # admissions in the period, or branches counted
    met: bool | None  # None: nothing to measure yet
    short: int | None  # how many more (admissions or branches); None when none would do


@dataclass(frozen=True)
class Progress:
    counted: int
    required: int
    missing: int  # admissions still needed (0 when met)
    composition: dict[str, int]  # per required tag: admissions in the period carrying it
    composition_missing: dict[str, int]  # per tag still short: how many more
    exempt: bool = False
    shares: tuple[ShareProgress, ...] = ()

    @property
    def met(self) -> bool:
        return self.exempt or (self.missing == 0 and not self.composition_missing
                               and all(s.met is not False for s in self.shares))


@dataclass(frozen=True)
class BranchCount:
    """Of the branches a branch share counts, how many admitted in the period."""

    admitted: int
    counted: int


def share_progress(share: Share, held: list[Admission], branches: Mapping[str, BranchCount]) -> ShareProgress:
    if share.measure in BRANCH_MEASURES:
        count = branches.get(share.measure, BranchCount(0, 0))
        return ShareProgress(share, count.admitted, count.counted, share_met(count.admitted, count.counted, share),
                             branches_short(count.admitted, count.counted, share))
    part = sum(share.measure in a.tags for a in held)
    return ShareProgress(share, part, len(held), share_met(part, len(held), share),
                         admissions_short(part, len(held), share) if held else None)


def progress(target: Target, admissions: Iterable[Admission], *, has_source: bool = True,
             branches: Mapping[str, BranchCount] | None = None) -> Progress:
    """Count the ceremonies held within the target's period, overall, per required tag and per
    share; `branches` gives, for a committee's branch shares, how many branches admitted."""
    held = [a for a in admissions if a.ceremony_on in target.period]
    per_tag = {tag: sum(tag in a.tags for a in held) for tag in target.composition}
    short = {tag: need - per_tag[tag] for tag, need in target.composition.items() if per_tag[tag] < need}
    return Progress(
        counted=len(held), required=target.admissions,
        missing=max(target.admissions - len(held), 0), composition=per_tag,
        composition_missing=short, exempt=target.exempt_without_source and not has_source,
        shares=tuple(share_progress(s, held, branches or {}) for s in target.shares),
    )


def branch_counts(on: date, *, is_student: bool, founded_on: date | None, no_source_left: bool) -> tuple[str, ...]:
    """The branch shares a branch is counted in, on the period's last day: every branch, and a
    student branch once older than 12 months (001; a branch whose founding date is not set
    counts). A branch with no source left counts in neither (001 exempts it)."""
    if no_source_left:
        return ()
    if is_student and (founded_on is None or student_branch_counts(founded_on, on)):
        return (BRANCHES, STUDENT_BRANCHES)
    return (BRANCHES,)


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
