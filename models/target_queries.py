"""Targets (chỉ tiêu) in the database: periods by label, admissions held, progress, upsert."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.candidate import Candidate
from models.dossier import AdmissionRecord
from models.org import Organisation
from models.org_target import OrgTarget
from models.stage import Category, Gender, OrgKind
from models.targets import (
    BRANCH_MEASURES, Admission, BranchCount, Period, PeriodKind, Progress, Share, Target, branch_counts,
    calendar_year, progress, school_year, term,
)

# The flags a composition may count, beside the categories (models/targets.py Admission.tags).
FLAGS = ("youth_union", "woman", "ethnic_minority", "religious", "private_firm")
TAGS: tuple[str, ...] = tuple(c.value for c in Category) + FLAGS
# What a share may measure: the admissions carrying a tag, or the branches that admit.
MEASURES: tuple[str, ...] = TAGS + BRANCH_MEASURES
# A term (nhiệm kỳ) "2020-2025" is five years apart (the Charter's congresses every five years;
# 004: "≥ 30 over the 2020–2025 term"); one year apart is a school year.
TERM_YEARS = 5
MAX_ADMISSIONS = 1000  # what a committee may set for a branch in chat; the CLI allows more
CLI_MAX_ADMISSIONS = 100_000  # a city sets ≥ 1,000 a year for its universities (001)

_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_SHARE = re.compile(r"^([a-z_]+)\s*(>=|≥|>)\s*(\d{1,3})\s*%?$")


def parse_period(text: str) -> tuple[str, Period] | None:
    """"2026-2027" is the school year from 1 September 2026; "2026" the calendar year;
    "2020-2025" the term from 1 January 2020 to 31 December 2025."""
    cleaned = text.strip()
    match = _SCHOOL_YEAR.match(cleaned)
    if match:
        first, second = int(match.group(1)), int(match.group(2))
        if not 1900 < first < 3000:
            return None
        if second == first + 1:
            return f"{first}-{second}", school_year(first)
        if second - first == TERM_YEARS:
            return f"{first}-{second}", party_term(first, second)
        return None
    match = _YEAR.match(cleaned)
    if match and 1900 < int(match.group(1)) < 3000:
        return cleaned, calendar_year(int(cleaned))
    return None


def party_term(first_year: int, last_year: int) -> Period:
    """A term named by its years, from the first day of the first to the last day of the last."""
    return term(date(first_year, 1, 1), date(last_year, 12, 31))


def parse_share(text: str) -> Share | None:
    """"youth_union>60" (more than 60 %), "private_firm>=2" or "private_firm≥2" (at least 2 %),
    "branches>70", "student_branches>=100"; None when it is not one."""
    match = _SHARE.match(text.strip().lower())
    if not match or match.group(1) not in MEASURES or int(match.group(3)) > 100:
        return None
    return Share(match.group(1), int(match.group(3)), strict=match.group(2) == ">")


def shares_of(row: OrgTarget) -> tuple[Share, ...]:
    """The shares kept with a target ({"youth_union": {"percent": 60, "strict": true}}), in order."""
    return tuple(Share(m, int(v["percent"]), bool(v.get("strict"))) for m, v in (row.shares or {}).items())


def shares_json(shares: Iterable[Share]) -> dict[str, dict[str, int | bool]]:
    return {s.measure: {"percent": s.percent, "strict": s.strict} for s in shares}


def period_label(period: Period) -> str:
    if period.kind == PeriodKind.school_year:
        return f"{period.start.year}-{period.end.year}"
    if period.kind == PeriodKind.term and (period.start.month, period.start.day, period.end.month,
                                           period.end.day) == (1, 1, 12, 31):
        return f"{period.start.year}-{period.end.year}"
    if period.kind == PeriodKind.calendar_year:
        return str(period.start.year)
    return f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"


def period_of(target: OrgTarget) -> Period:
    return Period(PeriodKind(target.period_kind), target.starts_on, target.ends_on)


def as_target(row: OrgTarget) -> Target:
    # Every target spares a branch that says it has no source left (001; /chibo sets it).
    return Target(period=period_of(row), admissions=row.admissions,
                  composition={k: int(v) for k, v in (row.composition or {}).items()},
                  exempt_without_source=True, shares=shares_of(row))


def admission_of(candidate: Candidate, ceremony_on: date) -> Admission:
    flags = {name for name, on in (
        ("youth_union", candidate.youth_union), ("woman", candidate.gender == Gender.female),
        ("ethnic_minority", candidate.ethnic_minority), ("religious", candidate.religious),
        ("private_firm", candidate.private_firm)) if on}
    return Admission(ceremony_on=ceremony_on, category=str(candidate.category), flags=frozenset(flags))


def _subtree(org: Organisation) -> sa.Select:
    return sa.select(Organisation.id).where(Organisation.path.startswith(org.path))


async def admissions_in(*, session: AsyncSession, org: Organisation, start: date, end: date) -> list[Admission]:
    """The ceremonies held from start to end (inclusive) in the organisation and below it."""
    rows = await session.exec(
        select(Candidate, AdmissionRecord.ceremony_on)
        .join(AdmissionRecord, AdmissionRecord.candidate_id == Candidate.id)
        .where(Candidate.branch_id.in_(_subtree(org)), AdmissionRecord.ceremony_on.is_not(None),
               AdmissionRecord.ceremony_on >= start, AdmissionRecord.ceremony_on <= end))
    return [admission_of(c, on) for c, on in rows.all()]


async def branches_admitting(*, session: AsyncSession, org: Organisation, period: Period) -> dict[str, BranchCount]:
    """For the branch shares of an organisation's target: the branches below it (itself if it is
    one) each share counts (models/targets.py branch_counts), and how many held a ceremony."""
    branches = list(await session.exec(select(Organisation).where(
        Organisation.path.startswith(org.path), Organisation.kind == OrgKind.branch)))
    admitted = set(await session.exec(
        select(Candidate.branch_id).join(AdmissionRecord, AdmissionRecord.candidate_id == Candidate.id)
        .where(Candidate.branch_id.in_(_subtree(org)), AdmissionRecord.ceremony_on >= period.start,
               AdmissionRecord.ceremony_on <= period.end).distinct()))
    counts = {measure: [0, 0] for measure in BRANCH_MEASURES}
    for branch in branches:
        for measure in branch_counts(period.end, is_student=branch.is_student, founded_on=branch.founded_on,
                                     no_source_left=branch.no_source_left):
            counts[measure][0] += branch.id in admitted
            counts[measure][1] += 1
    return {m: BranchCount(admitted=a, counted=c) for m, (a, c) in counts.items()}


@dataclass(frozen=True)
class TargetStatus:
    """One target of an organisation and where it stands."""

    org_id: int
    org_name: str
    label: str
    period: Period
    admissions: int
    composition: dict[str, int]
    progress: Progress


async def target_status(*, session: AsyncSession, org: Organisation, row: OrgTarget) -> TargetStatus:
    """Progress of one target: ceremonies held in its period in the organisation's subtree, and
    its shares; a branch that has no source left (its /chibo setting) is exempt."""
    held = await admissions_in(session=session, org=org, start=row.starts_on, end=row.ends_on)
    target = as_target(row)
    branches = (await branches_admitting(session=session, org=org, period=target.period)
                if any(s.measure in BRANCH_MEASURES for s in target.shares) else {})
    return TargetStatus(org_id=org.id, org_name=org.name, label=row.label, period=target.period,
                        admissions=row.admissions, composition=dict(target.composition),
                        progress=progress(target, held, has_source=not org.no_source_left, branches=branches))


async def targets_of(*, session: AsyncSession, org: Organisation, today: date,
                     current_only: bool = False) -> list[TargetStatus]:
    """The organisation's targets still running or to come (or only the current ones)."""
    query = select(OrgTarget).where(OrgTarget.org_id == org.id, OrgTarget.ends_on >= today)
    if current_only:
        query = query.where(OrgTarget.starts_on <= today)
    rows = list(await session.exec(query.order_by(OrgTarget.starts_on, OrgTarget.label)))
    return [await target_status(session=session, org=org, row=row) for row in rows]


async def last_ended_target(*, session: AsyncSession, org: Organisation, today: date) -> TargetStatus | None:
    """The organisation's most recent target that has ended (what a committee sees between two
    school years, when no target runs), with its final figures; None when there was none."""
    row = (await session.exec(select(OrgTarget).where(OrgTarget.org_id == org.id, OrgTarget.ends_on < today)
                              .order_by(OrgTarget.ends_on.desc(), OrgTarget.label).limit(1))).first()
    return await target_status(session=session, org=org, row=row) if row else None


async def orgs_below(*, session: AsyncSession, paths: list[str]) -> list[Organisation]:
    """The organisations strictly below the given ones (by path), by depth then name."""
    if not paths:
        return []
    rows = await session.exec(select(Organisation).where(
        sa.or_(*(Organisation.path.startswith(p) for p in paths)), Organisation.path.not_in(paths)))
    return sorted(rows, key=lambda o: (o.path.count("/"), o.name, o.id))


async def orgs_at(*, session: AsyncSession, ids: list[int]) -> list[Organisation]:
    if not ids:
        return []
    rows = await session.exec(select(Organisation).where(Organisation.id.in_(ids)))
    return sorted(rows, key=lambda o: (o.name, o.id))


async def target_for(*, session: AsyncSession, org_id: int, label: str) -> OrgTarget | None:
    """The organisation's target for the period named `label`, if one is set."""
    return (await session.exec(select(OrgTarget).where(
        OrgTarget.org_id == org_id, OrgTarget.label == label))).first()


async def upsert_target(
    *, session: AsyncSession, org_id: int, label: str, period: Period, admissions: int,
    composition: dict[str, int], set_by: int | None, now: datetime, shares: tuple[Share, ...] | None = None,
) -> tuple[OrgTarget, bool]:
    """Set the organisation's target for the period named `label`; True when it is new."""
    row = await target_for(session=session, org_id=org_id, label=label)
    created = row is None
    if row is None:
        row = OrgTarget(org_id=org_id, label=label, period_kind=period.kind, starts_on=period.start,
                        ends_on=period.end, admissions=admissions, at=now)
    row.period_kind, row.starts_on, row.ends_on = period.kind, period.start, period.end
    row.admissions = admissions
    row.composition = {k: v for k, v in composition.items() if v > 0}
    if shares is not None:  # None keeps the shares set before
        row.shares = shares_json(shares)
    row.set_by, row.at = set_by, now
    session.add(row)
    await session.flush()
    return row, created
