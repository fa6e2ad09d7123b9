"""The branch's monthly report (báo cáo tháng): what changed on its lists, the review held,
sponsors' check-ins, who was put forward for the class, dossiers under way, what falls due.

The movements are counted within the month; the dossiers and deadlines are as of `today`."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.candidate import Candidate, StageChange
from models.checkin import Checkin
from models.dossier import AdmissionRecord
from models.org import Organisation
from models.pipeline import ACTIVE_STAGES
from models.reminders import FOLLOWED
from models.reports.common import Person, candidates_in, missing_items, person, steps_of
from models.reports.periods import ReportPeriod
from models.review import MonthlyReview, ReviewDecision
from models.stage import PIPELINE_ORDER, Stage

DUE_WITHIN_DAYS = 30


@dataclass(frozen=True)
class Movement:
    who: Person
    from_stage: str | None  # None: added to the register
    to_stage: str
    on: date
    reason: str | None


@dataclass(frozen=True)
class ReviewLine:
    who: Person
    decision: str
    reason: str | None


@dataclass(frozen=True)
class CheckinLine:
    who: Person
    sponsor_id: int
    met: int  # check-ins in the month


@dataclass(frozen=True)
class DossierLine:
    who: Person
    started_on: date | None
    missing: list[str]  # item codes


@dataclass(frozen=True)
class DueLine:
    who: Person
    step: str
    due: date
    values: dict = field(default_factory=dict)  # what the step's words show


@dataclass(frozen=True)
class MonthlyReport:
    branch_id: int
    branch: str
    period: ReportPeriod
    today: date
    movements: list[Movement]
    added: int  # entered the register in the month
    to_sympathizer: int  # moved onto the sympathizer list
    removed: int  # taken off the lists (with reasons in movements)
    by_stage: dict[str, int]  # today, active stages in pipeline order (zeros kept)
    reviews: list[ReviewLine]
    review_counts: dict[str, int]  # per decision (zeros kept)
    checkins_done: list[CheckinLine]
    checkins_missing: list[Person]  # followed, with a sponsor, no check-in in the month
    proposed_for_class: list[Person]  # moved to the awareness class stage in the month
    dossiers: list[DossierLine]
    due_soon: list[DueLine]  # next step due within DUE_WITHIN_DAYS of today
    overdue: list[DueLine]  # next step due before today


async def monthly_report(*, session: AsyncSession, branch: Organisation, period: ReportPeriod,
                         today: date) -> MonthlyReport:
    in_month = (StageChange.on >= period.start, StageChange.on <= period.end)
    rows = (await session.exec(
        select(Candidate, StageChange).join(StageChange, StageChange.candidate_id == Candidate.id)
        .where(Candidate.branch_id == branch.id, *in_month)
        .order_by(StageChange.on, StageChange.id))).all()
    movements = [Movement(who=person(c), from_stage=s.from_stage and str(s.from_stage), to_stage=str(s.to_stage),
                          on=s.on, reason=s.reason) for c, s in rows]
    counts = dict((await session.exec(
        select(Candidate.stage, sa.func.count()).where(Candidate.branch_id == branch.id)
        .group_by(Candidate.stage))).all())
    by_stage = {s.value: counts.get(s.value, 0) for s in PIPELINE_ORDER if s in ACTIVE_STAGES}

    reviewed = (await session.exec(
        select(Candidate, MonthlyReview).join(MonthlyReview, MonthlyReview.candidate_id == Candidate.id)
        .where(Candidate.branch_id == branch.id, MonthlyReview.period == period.label)
        .order_by(Candidate.number))).all()
    reviews = [ReviewLine(who=person(c), decision=str(r.decision), reason=r.reason) for c, r in reviewed]
    review_counts = {d.value: sum(r.decision == d.value for r in reviews) for d in ReviewDecision}

    met = (await session.exec(
        select(Candidate, Checkin.sponsor_id, sa.func.count()).join(Checkin, Checkin.candidate_id == Candidate.id)
        .where(Candidate.branch_id == branch.id, Checkin.met_on >= period.start, Checkin.met_on <= period.end)
        .group_by(Candidate.id, Checkin.sponsor_id).order_by(Candidate.number))).all()
    done = [CheckinLine(who=person(c), sponsor_id=s, met=n) for c, s, n in met]
    met_ids = {line.who.candidate_id for line in done}
    followed = [c for c in await candidates_in(session=session, branch_ids=[branch.id], stages=FOLLOWED)
                if c.sponsor_id is not None]
    missing = [person(c) for c in followed if c.id not in met_ids]

    proposed = [m.who for m in movements if m.to_stage == Stage.awareness_class]
    in_dossier = await candidates_in(session=session, branch_ids=[branch.id], stages=[Stage.dossier])
    dossiers = []
    for c in in_dossier:
        record = await session.get(AdmissionRecord, c.id)
        dossiers.append(DossierLine(who=person(c), started_on=record.dossier_started_on if record else None,
                                    missing=await missing_items(session=session, candidate=c, today=today)))
    active = await candidates_in(session=session, branch_ids=[branch.id], stages=ACTIVE_STAGES)
    steps = await steps_of(session=session, candidates=active, today=today)
    horizon = today + timedelta(days=DUE_WITHIN_DAYS)
    due = [DueLine(who=person(c), step=steps[c.id].code, due=steps[c.id].due, values=dict(steps[c.id].values))
           for c in active
           if c.id in steps and steps[c.id].due is not None]
    due.sort(key=lambda line: (line.due, line.who.number))
    return MonthlyReport(
        branch_id=branch.id, branch=branch.name, period=period, today=today, movements=movements,
        added=sum(m.from_stage is None for m in movements),
        to_sympathizer=sum(m.to_stage == Stage.sympathizer for m in movements),
        removed=sum(m.to_stage == Stage.removed for m in movements), by_stage=by_stage,
        reviews=reviews, review_counts=review_counts, checkins_done=done, checkins_missing=missing,
        proposed_for_class=proposed, dossiers=dossiers,
        due_soon=[line for line in due if today <= line.due <= horizon],
        overdue=[line for line in due if line.due < today],
    )
