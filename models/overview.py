"""What a committee sees of the branches below it, and what a candidate sees of themself.

Plain functions returning plain dataclasses, so that /tonghop, /toi and the digests share them.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import citations as cite
from models import deadlines as d
from models import rules
from models.candidate import Candidate, StageChange
from models.citations import Sources
from models.dossier import AdmissionRecord, DossierEntry
from models.dossier_items import (
    CURRENT_VERSION,
    Phase,
    check_items,
    item_notices,
    items,
)
from models.dossier_queries import dossier
from models.next_step import NextStep
from models.org import Organisation
from models.org_target import OrgTarget
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass
from models.people import Person
from models.pipeline import ACTIVE_STAGES, CLOSED_STAGES
from models.progress import candidate_next_step, certificate_on
from models.rules import Notice, Refusal
from models.stage import PIPELINE_ORDER, OrgKind, Stage
from models.target_queries import TargetStatus, targets_of
from models.targets import school_year_containing
from models.workdays import DEFAULT_CALENDAR, WorkCalendar


@dataclass(frozen=True)
class Overdue:
    """A decision or ceremony past its deadline: what, for whom, counted from when, due when."""

    kind: str  # admission_decision, ceremony, recognition_decision
    candidate_id: int
    number: int
    full_name: str
    since: date  # the branch resolution, the decision received, the recognition resolution
    due: date  # the last day in time (overdue from the day after)
    source: Sources  # the rule that sets the deadline


@dataclass(frozen=True)
class BranchOverview:
    org_id: int
    name: str
    by_stage: dict[str, int]  # non-zero counts, in pipeline order
    targets: list[TargetStatus]  # the targets whose period contains today
    admissions_this_school_year: int  # shown when there is no current target
    overdue: list[Overdue]
    last_change: date | None
    quiet: bool  # no stage change in rules.QUIET_BRANCH_DAYS


async def branches_below(*, session: AsyncSession, paths: list[str]) -> list[Organisation]:
    """The branches (chi bộ) in the subtrees of the given paths, by name."""
    if not paths:
        return []
    rows = await session.exec(select(Organisation).where(
        Organisation.kind == OrgKind.branch, sa.or_(*(Organisation.path.startswith(p) for p in paths))))
    return sorted(rows, key=lambda o: (o.name, o.id))


async def stage_counts(*, session: AsyncSession, branch_ids: list[int]) -> dict[int, dict[str, int]]:
    """Candidates per stage, by branch (non-zero counts, in pipeline order)."""
    raw: dict[int, dict[str, int]] = {b: {} for b in branch_ids}
    query = (select(Candidate.branch_id, Candidate.stage, sa.func.count())
             .group_by(Candidate.branch_id, Candidate.stage))
    for stmt in _scoped(query, Candidate.branch_id, branch_ids):
        for branch_id, stage, count in (await session.exec(stmt)).all():
            raw[branch_id][str(stage)] = count
    return {b: {s.value: counts[s.value] for s in PIPELINE_ORDER if counts.get(s.value)}
            for b, counts in raw.items()}


async def active_counts(*, session: AsyncSession) -> dict[int, int]:
    """Candidates still moving along the pipeline, by branch (every branch, one grouped pass)."""
    rows = await session.exec(select(Candidate.branch_id, sa.func.count())
                              .where(Candidate.stage.in_([s.value for s in ACTIVE_STAGES]))
                              .group_by(Candidate.branch_id))
    return dict(rows.all())


def _overdue_checks(today: date, cal: WorkCalendar):
    """Each overdue kind: its subject date, its deadline rule and where that rule is written,
    and what makes a record overdue.

    The deadline is turned into the latest subject date that is past it today
    (deadlines.earliest), so the database returns only what is overdue."""
    rec = AdmissionRecord
    checks = []
    # A decision the committee extended (+30 working days) is overdue only past the new day.
    for extended in (False, True):
        def decision(x: date, e: bool = extended) -> date:
            return d.admission_decision_due(x, cal, extended=e)

        def recognition(x: date, e: bool = extended) -> date:
            return d.recognition_decision_due(x, cal, extended=e)

        checks += [
            ("admission_decision", rec.resolution_on, decision, cite.ADMISSION_DECISION,
             (Candidate.stage == Stage.proposed, rec.decision_on.is_(None),
              sa.func.coalesce(rec.refused_reason, "") == "", _given(rec.decision_extended_on, extended))),
            ("recognition_decision", rec.recognition_resolution_on, recognition, cite.RECOGNITION_DECISION,
             (Candidate.stage == Stage.probationary, rec.recognition_decision_on.is_(None),
              sa.func.coalesce(rec.struck_off_reason, "") == "", _given(rec.recognition_extended_on, extended))),
        ]
    checks.append(("ceremony", rec.decision_received_on, lambda x: d.ceremony_due(x, cal), cite.CEREMONY,
                   (Candidate.stage == Stage.admitted, rec.ceremony_on.is_(None))))
    for kind, since, due, source, where in checks:
        yield kind, since, due, source, (*where, since < d.earliest(due, today))


def _given(column, given: bool) -> sa.ColumnElement[bool]:
    return column.is_not(None) if given else column.is_(None)


async def overdue_in(*, session: AsyncSession, branch_ids: list[int], today: date,
                     cal: WorkCalendar = DEFAULT_CALENDAR) -> dict[int, list[Overdue]]:
    """Committee decisions, ceremonies and recognition decisions past their working-day limits."""
    found: dict[int, list[Overdue]] = {b: [] for b in branch_ids}
    for kind, since, due, source, where in _overdue_checks(today, cal):
        query = (select(Candidate.id, Candidate.branch_id, Candidate.number, Candidate.full_name, since)
                 .join(AdmissionRecord, AdmissionRecord.candidate_id == Candidate.id).where(*where))
        for stmt in _scoped(query, Candidate.branch_id, branch_ids):
            for cid, branch_id, number, name, on in (await session.exec(stmt)).all():
                found[branch_id].append(Overdue(kind=kind, candidate_id=cid, number=number, full_name=name,
                                                since=on, due=due(on), source=source))
    for branch_items in found.values():
        branch_items.sort(key=lambda o: o.number)
    return found


async def overdue_counts(*, session: AsyncSession, today: date,
                         cal: WorkCalendar = DEFAULT_CALENDAR) -> dict[int, int]:
    """How many overdue items (as overdue_in) each branch has (every branch, grouped passes)."""
    found: dict[int, int] = {}
    for _kind, _since, _due, _source, where in _overdue_checks(today, cal):
        for branch_id, count in (await session.exec(
                select(Candidate.branch_id, sa.func.count())
                .join(AdmissionRecord, AdmissionRecord.candidate_id == Candidate.id)
                .where(*where).group_by(Candidate.branch_id))).all():
            found[branch_id] = found.get(branch_id, 0) + count
    return found


def _chunks(ids: list[int], size: int = 5000):
    """Long id lists in pieces (a statement takes at most some 32,000 parameters)."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _scoped(query, column, branch_ids: list[int] | None):
    """The query once for every branch (None: one grouped pass over the table), else once per
    chunk of the given branches."""
    if branch_ids is None:
        yield query
        return
    for ids in _chunks(branch_ids):
        yield query.where(column.in_(ids))


async def last_changes(*, session: AsyncSession, branch_ids: list[int] | None = None) -> dict[int, date | None]:
    found: dict[int, date | None] = dict.fromkeys(branch_ids or ())
    query = (select(Candidate.branch_id, sa.func.max(StageChange.on))
             .join(StageChange, StageChange.candidate_id == Candidate.id).group_by(Candidate.branch_id))
    for stmt in _scoped(query, Candidate.branch_id, branch_ids):
        found.update((await session.exec(stmt)).all())
    return found


async def admissions_by_branch(*, session: AsyncSession, start: date, end: date,
                               branch_ids: list[int] | None = None) -> dict[int, int]:
    """Ceremonies held from start to end (inclusive), counted per branch."""
    found = dict.fromkeys(branch_ids or (), 0)
    held = AdmissionRecord.ceremony_on
    query = (select(Candidate.branch_id, sa.func.count())
             .join(AdmissionRecord, AdmissionRecord.candidate_id == Candidate.id)
             .where(held >= start, held <= end).group_by(Candidate.branch_id))
    for stmt in _scoped(query, Candidate.branch_id, branch_ids):
        found.update((await session.exec(stmt)).all())
    return found


async def with_current_targets(*, session: AsyncSession, today: date,
                               branch_ids: list[int] | None = None) -> set[int]:
    """The organisations that have a target running today (most have none: one query, not one each)."""
    found: set[int] = set()
    query = select(OrgTarget.org_id).where(OrgTarget.starts_on <= today, OrgTarget.ends_on >= today)
    for stmt in _scoped(query, OrgTarget.org_id, branch_ids):
        found.update((await session.exec(stmt)).all())
    return found


async def branch_overviews(*, session: AsyncSession, branches: list[Organisation], today: date,
                           cal: WorkCalendar = DEFAULT_CALENDAR) -> list[BranchOverview]:
    """One overview per branch, in the order given."""
    ids = [b.id for b in branches]
    if not ids:
        return []
    counts = await stage_counts(session=session, branch_ids=ids)
    overdue = await overdue_in(session=session, branch_ids=ids, today=today, cal=cal)
    changes = await last_changes(session=session, branch_ids=ids)
    year = school_year_containing(today)
    held = await admissions_by_branch(session=session, branch_ids=ids, start=year.start, end=year.end)
    with_targets = await with_current_targets(session=session, branch_ids=ids, today=today)
    out = []
    for branch in branches:
        targets = (await targets_of(session=session, org=branch, today=today, current_only=True)
                   if branch.id in with_targets else [])
        last = changes[branch.id]
        out.append(BranchOverview(
            org_id=branch.id, name=branch.name, by_stage=counts[branch.id], targets=targets,
            admissions_this_school_year=0 if targets else held[branch.id], overdue=overdue[branch.id],
            last_change=last, quiet=is_quiet(last, today),
        ))
    return out


def is_quiet(last_change: date | None, today: date) -> bool:
    """No stage change in the branch for rules.QUIET_BRANCH_DAYS (or ever)."""
    return last_change is None or last_change < today - timedelta(days=rules.QUIET_BRANCH_DAYS)


# ---- One candidate, as they see themself (/toi) ------------------------------------------

@dataclass(frozen=True)
class ClassSeat:
    kind: str
    title: str
    place: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class CandidateStatus:
    number: int
    full_name: str
    stage: str
    stage_since: date
    branch: str
    sponsor: str | None
    step: NextStep | None
    classes: list[ClassSeat]  # enrolled, not yet over
    dossier_phase: str | None  # the checklist shown, if any, for this stage
    dossier_needs: list[Refusal] = field(default_factory=list)
    dossier_notices: list[Notice] = field(default_factory=list)


# The new-member class certificate has no form number (models/dossier_items.py).
NEW_MEMBER_CERTIFICATE = "CN-ĐVM"
# The checklist a candidate works on in each stage (before the branch votes).
DOSSIER_PHASE = {Stage.dossier: Phase.admission, Stage.probationary: Phase.recognition}


async def own_candidate(*, session: AsyncSession, where: sa.ColumnElement[bool]) -> Candidate | None:
    """The candidate record a person may see as themself: the newest still moving, else the newest."""
    rows = list(await session.exec(select(Candidate).where(where).order_by(Candidate.id.desc())))
    if not rows:
        return None
    return next((c for c in rows if c.stage not in CLOSED_STAGES), rows[0])


async def open_classes(*, session: AsyncSession, candidate_id: int, today: date) -> list[ClassSeat]:
    rows = await session.exec(
        select(PartyClass).join(Enrollment, Enrollment.class_id == PartyClass.id)
        .where(Enrollment.candidate_id == candidate_id, Enrollment.status == EnrollmentStatus.enrolled,
               PartyClass.ends_on >= today).order_by(PartyClass.starts_on))
    return [ClassSeat(kind=ClassKind(p.kind).value, title=p.title, place=p.place, starts_on=p.starts_on,
                      ends_on=p.ends_on) for p in rows]


async def dossier_dates(*, session: AsyncSession, candidate_id: int) -> dict[str, date]:
    rows = await session.exec(select(DossierEntry.item, DossierEntry.dated)
                              .where(DossierEntry.candidate_id == candidate_id))
    return dict(rows.all())


async def candidate_status(*, session: AsyncSession, candidate: Candidate, today: date) -> CandidateStatus:
    sponsor = await session.get(Person, candidate.sponsor_id) if candidate.sponsor_id else None
    branch = await session.get(Organisation, candidate.branch_id)
    stage = Stage(candidate.stage)
    phase = DOSSIER_PHASE.get(stage)
    needs: list[Refusal] = []
    notices: list[Notice] = []
    if phase == Phase.admission:
        # The admission checklist as /hoso shows it (certificates from classes included).
        state = await dossier(session=session, candidate=candidate, today=today)
        needs = list(state.refusals)
        notices = [i.notice for i in state.items if i.notice] + list(state.notices)
    elif phase == Phase.recognition:
        record = await session.get(AdmissionRecord, candidate.id)
        version = record.version if record else CURRENT_VERSION
        present = await dossier_dates(session=session, candidate_id=candidate.id)
        new_member = await certificate_on(session=session, candidate_id=candidate.id, kind=ClassKind.new_member)
        if new_member and NEW_MEMBER_CERTIFICATE not in present:
            present[NEW_MEMBER_CERTIFICATE] = new_member
        needs = check_items(present, on=today, version=version, phase=phase)
        notices = [n for n in item_notices(present, today=today, version=version)
                   if n.values["item"] in {i.code for i in items(version, Phase.recognition)}]
    return CandidateStatus(
        number=candidate.number, full_name=candidate.full_name, stage=stage.value,
        stage_since=candidate.stage_since, branch=branch.name if branch else "",
        sponsor=sponsor.full_name if sponsor else None,
        step=await candidate_next_step(session=session, candidate=candidate, today=today),
        classes=await open_classes(session=session, candidate_id=candidate.id, today=today),
        dossier_phase=phase.value if phase else None, dossier_needs=needs, dossier_notices=notices,
    )
