"""Half-yearly and yearly statistics: admissions by category, this period beside the same
period a year earlier and the ratio, as the statistics forms lay them out; the lists' state at
the period's end; and progress against the targets that overlap the period."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.candidate import Candidate, StageChange
from models.dossier import AdmissionRecord, DossierEntry
from models.org import Organisation
from models.org_target import OrgTarget
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass
from models.progress import CERTIFICATE_ITEMS
from models.reports.common import stages_held, subtree_branches
from models.reports.periods import ReportPeriod
from models.roster import LeftReason, PartyMember
from models.stage import Category, Gender, Stage
from models.target_queries import TargetStatus, target_status

# Age bands of the statistics forms, by age on the day of the ceremony: (key, lowest, highest).
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("age_18_30", 18, 30), ("age_31_35", 31, 35), ("age_36_40", 36, 40), ("age_41_45", 41, 45),
    ("age_46_50", 46, 50), ("age_51_55", 51, 55), ("age_56_60", 56, 60), ("age_over_60", 61, None),
)
FLAG_ROWS = ("youth_union", "woman", "ethnic_minority", "religious", "private_firm")
ROWS: tuple[str, ...] = ("total", *FLAG_ROWS, *(c.value for c in Category), *(b[0] for b in AGE_BANDS))
# The lists at the period's end (stage held that day) and the movements within it.
STOCKS: tuple[Stage, ...] = (Stage.source, Stage.sympathizer, Stage.awareness_class, Stage.dossier,
                             Stage.proposed, Stage.probationary)
# "expelled": members expelled (khai trừ, models.roster.LeftReason.expelled), kept apart from
# probationary members struck off (xóa tên) and from people removed from the lists (DOMAIN.md).
FLOWS = ("certificates", "recognised", "struck_off", "expelled", "removed")
# The movement month by month (the chart): people added to the source list, moved on a step,
# taken off the lists (stage changes dated in each month).
MOVES = ("added", "moved_on", "taken_off")


@dataclass(frozen=True)
class Compared:
    this: float
    before: float  # the same period a year earlier

    @property
    def percent(self) -> float | None:
        """This period as a percentage of the one a year before (None when that was zero)."""
        return round(self.this * 100 / self.before, 1) if self.before else None


@dataclass(frozen=True)
class Statistics:
    org_id: int
    org: str
    period: ReportPeriod
    admissions: dict[str, Compared]  # ROWS, in order
    average_age: Compared  # 0 when nobody was admitted
    stocks: dict[str, Compared]  # STOCKS' values, at each period's end
    flows: dict[str, Compared]  # FLOWS
    targets: list[TargetStatus]
    by_month: list[tuple[date, dict[str, int]]] = field(default_factory=list)  # each month's first day, MOVES


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def admission_tags(c: Candidate, ceremony_on: date) -> set[str]:
    """The rows an admission counts in."""
    age = age_on(c.birth_date, ceremony_on)
    flags = {"youth_union": c.youth_union, "woman": c.gender == Gender.female,
             "ethnic_minority": c.ethnic_minority, "religious": c.religious, "private_firm": c.private_firm}
    tags = {"total", str(c.category), *(k for k, on in flags.items() if on)}
    tags.update(key for key, low, high in AGE_BANDS if age >= low and (high is None or age <= high))
    return tags


async def _admissions(session: AsyncSession, branches: sa.Select,
                      period: ReportPeriod) -> tuple[dict[str, int], float]:
    rows = (await session.exec(
        select(Candidate, AdmissionRecord.ceremony_on)
        .join(AdmissionRecord, AdmissionRecord.candidate_id == Candidate.id)
        .where(Candidate.branch_id.in_(branches), AdmissionRecord.ceremony_on >= period.start,
               AdmissionRecord.ceremony_on <= period.end))).all()
    counts = dict.fromkeys(ROWS, 0)
    for c, on in rows:
        for tag in admission_tags(c, on):
            counts[tag] += 1
    ages = [age_on(c.birth_date, on) for c, on in rows]
    return counts, round(sum(ages) / len(ages), 1) if ages else 0.0


async def stages_on(*, session: AsyncSession, branches: sa.Select, day: date) -> dict[str, int]:
    """How many candidates held each stage at the end of `day` (from the stage history)."""
    held = stages_held(branches, day)
    rows = (await session.exec(sa.select(held.c.stage, sa.func.count()).where(held.c.stage.is_not(None))
                               .group_by(held.c.stage))).all()
    return {str(stage): n for stage, n in rows}


async def _flows(session: AsyncSession, branches: sa.Select, period: ReportPeriod) -> dict[str, int]:
    within = (StageChange.on >= period.start, StageChange.on <= period.end)
    moved = sa.select(sa.func.count(sa.distinct(StageChange.candidate_id))).join(
        Candidate, Candidate.id == StageChange.candidate_id).where(Candidate.branch_id.in_(branches), *within)
    issued = sa.union(
        sa.select(Enrollment.candidate_id.label("cid")).join(PartyClass, PartyClass.id == Enrollment.class_id)
        .where(PartyClass.kind == ClassKind.awareness, Enrollment.status == EnrollmentStatus.passed,
               Enrollment.certificate_on >= period.start, Enrollment.certificate_on <= period.end),
        sa.select(DossierEntry.candidate_id.label("cid")).where(
            DossierEntry.item == CERTIFICATE_ITEMS[ClassKind.awareness],
            DossierEntry.dated >= period.start, DossierEntry.dated <= period.end),
    ).subquery()
    certificates = sa.select(sa.func.count()).select_from(issued).join(
        Candidate, Candidate.id == issued.c.cid).where(Candidate.branch_id.in_(branches))
    queries = {
        "certificates": certificates,
        "recognised": moved.where(StageChange.to_stage == Stage.official),
        "struck_off": moved.where(StageChange.to_stage == Stage.removed, StageChange.from_stage == Stage.probationary),
        "expelled": sa.select(sa.func.count()).select_from(PartyMember).where(
            PartyMember.org_id.in_(branches), PartyMember.left_reason == LeftReason.expelled.value,
            PartyMember.left_on >= period.start, PartyMember.left_on <= period.end),
        "removed": moved.where(StageChange.to_stage == Stage.removed,
                               sa.func.coalesce(StageChange.from_stage, "") != Stage.probationary.value),
    }
    return {key: await session.scalar(q) or 0 for key, q in queries.items()}


def move_of(from_stage: str | None, to_stage: str) -> str:
    if from_stage is None:
        return "added"
    return "taken_off" if to_stage == Stage.removed.value else "moved_on"


async def by_month(session: AsyncSession, branches: sa.Select, period: ReportPeriod) -> list[tuple[date, dict]]:
    """Each month of the period with its stage changes counted by MOVES: grouped by day in the
    database (a few hundred rows at most) and by month here, the same on both databases."""
    rows = (await session.exec(
        sa.select(StageChange.on, StageChange.from_stage, StageChange.to_stage, sa.func.count())
        .join(Candidate, Candidate.id == StageChange.candidate_id)
        .where(Candidate.branch_id.in_(branches), StageChange.on >= period.start, StageChange.on <= period.end)
        .group_by(StageChange.on, StageChange.from_stage, StageChange.to_stage))).all()
    months: dict[date, dict[str, int]] = {}
    month = period.start.replace(day=1)
    while month <= period.end:
        months[month] = dict.fromkeys(MOVES, 0)
        month = (month + timedelta(days=32)).replace(day=1)
    for on, from_stage, to_stage, n in rows:
        months[on.replace(day=1)][move_of(from_stage and str(from_stage), str(to_stage))] += n
    return list(months.items())


async def targets_over(*, session: AsyncSession, org: Organisation, period: ReportPeriod) -> list[TargetStatus]:
    rows = await session.exec(select(OrgTarget).where(
        OrgTarget.org_id == org.id, OrgTarget.starts_on <= period.end, OrgTarget.ends_on >= period.start)
        .order_by(OrgTarget.starts_on, OrgTarget.label))
    return [await target_status(session=session, org=org, row=row) for row in rows]


async def statistics(*, session: AsyncSession, org: Organisation, period: ReportPeriod) -> Statistics:
    branches = subtree_branches(org.path)
    before = period.year_before()
    now_counts, now_age = await _admissions(session, branches, period)
    then_counts, then_age = await _admissions(session, branches, before)
    now_stages = await stages_on(session=session, branches=branches, day=period.end)
    then_stages = await stages_on(session=session, branches=branches, day=before.end)
    now_flows, then_flows = await _flows(session, branches, period), await _flows(session, branches, before)
    return Statistics(
        org_id=org.id, org=org.name, period=period,
        admissions={k: Compared(now_counts[k], then_counts[k]) for k in ROWS},
        average_age=Compared(now_age, then_age),
        stocks={s.value: Compared(now_stages.get(s.value, 0), then_stages.get(s.value, 0)) for s in STOCKS},
        flows={k: Compared(now_flows[k], then_flows[k]) for k in FLOWS},
        targets=await targets_over(session=session, org=org, period=period),
        by_month=await by_month(session, branches, period),
    )
