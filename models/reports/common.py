"""Pieces the reports share: a branch's candidates, their next step and missing dossier items."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.candidate import Candidate
from models.dossier_queries import dossier
from models.dossier import AdmissionRecord, DossierEntry
from models.next_step import NextStep, next_step
from models.org import Organisation
from models.party_class import ClassKind, Enrollment, EnrollmentStatus, PartyClass
from models.progress import CERTIFICATE_ITEMS, dates_of, next_meeting
from models.stage import Stage

MISSING = ("missing", "expired", "too_old")  # dossier item states that still need work


@dataclass(frozen=True)
class Person:
    """A candidate as a report names them."""

    candidate_id: int
    number: int
    full_name: str


def person(c: Candidate) -> Person:
    return Person(candidate_id=c.id, number=c.number, full_name=c.full_name)


async def missing_items(*, session: AsyncSession, candidate: Candidate, today: date) -> list[str]:
    """The admission checklist's items still missing, expired or too old (their codes)."""
    state = await dossier(session=session, candidate=candidate, today=today)
    return [i.code for i in state.items if i.applies and i.status in MISSING]


CHUNK = 5000  # candidates per IN list (SQLite's and asyncpg's limits on parameters)


async def steps_of(*, session: AsyncSession, candidates: list[Candidate], today: date) -> dict[int, NextStep]:
    """Each candidate's next step, from a few grouped queries per few thousand candidates (a
    committee's list holds tens of thousands): records, certificates, branches' meeting days."""
    found: dict[int, NextStep] = {}
    branches = {o.id: o for o in (await session.exec(select(Organisation).where(
        Organisation.id.in_({c.branch_id for c in candidates})))).all()} if candidates else {}
    items = {item: kind for kind, item in CERTIFICATE_ITEMS.items()}
    for start in range(0, len(candidates), CHUNK):
        chunk = candidates[start:start + CHUNK]
        ids = [c.id for c in chunk]
        records = {r.candidate_id: r for r in (await session.exec(
            select(AdmissionRecord).where(AdmissionRecord.candidate_id.in_(ids)))).all()}
        latest: dict[tuple[int, str], date] = {}
        from_class = (await session.exec(
            sa.select(Enrollment.candidate_id, PartyClass.kind, sa.func.max(Enrollment.certificate_on))
            .join(PartyClass, PartyClass.id == Enrollment.class_id)
            .where(Enrollment.candidate_id.in_(ids), Enrollment.status == EnrollmentStatus.passed,
                   Enrollment.certificate_on.is_not(None))
            .group_by(Enrollment.candidate_id, PartyClass.kind))).all()
        typed = (await session.exec(
            sa.select(DossierEntry.candidate_id, DossierEntry.item, sa.func.max(DossierEntry.dated))
            .where(DossierEntry.candidate_id.in_(ids), DossierEntry.item.in_(list(items)))
            .group_by(DossierEntry.candidate_id, DossierEntry.item))).all()
        for cid, kind, on in [*from_class, *((cid, items[item], on) for cid, item, on in typed)]:
            key = (cid, str(kind))
            if on is not None and (key not in latest or on > latest[key]):
                latest[key] = on
        for c in chunk:
            branch = branches.get(c.branch_id)
            dates = dates_of(records.get(c.id), latest.get((c.id, ClassKind.awareness.value)),
                             latest.get((c.id, ClassKind.new_member.value)))
            step = next_step(Stage(c.stage), dates, today=today,
                             next_meeting=next_meeting(branch.meeting_day if branch else 5, today))
            if step is not None:
                found[c.id] = step
    return found


async def candidates_in(*, session: AsyncSession, branch_ids: list[int], stages) -> list[Candidate]:
    if not branch_ids:
        return []
    rows = await session.exec(select(Candidate).where(
        Candidate.branch_id.in_(branch_ids), Candidate.stage.in_([str(s) for s in stages]))
        .order_by(Candidate.branch_id, Candidate.number))
    return list(rows)


def subtree_branches(path: str) -> sa.Select:
    """The ids of the branches at or below an organisation's path."""
    from models.stage import OrgKind

    return sa.select(Organisation.id).where(Organisation.path.startswith(path), Organisation.kind == OrgKind.branch)


def stages_held(branch_ids, day: date) -> sa.Subquery:
    """Each candidate of the branches with the stage they held at the end of `day` (None: not yet
    on the lists): their stage now, or, when the history has a change after that day, the stage
    the first such change moved them from. Read this way, a million candidates are one pass over
    the candidate table and the few changes after the day (stagechange."on" is indexed), where
    ranking every change up to the day sorted the whole history (issue 15's roll-up)."""
    from models.candidate import StageChange

    after = (sa.select(StageChange.candidate_id, StageChange.from_stage,
                       sa.func.row_number().over(partition_by=StageChange.candidate_id,
                                                 order_by=(StageChange.on, StageChange.id)).label("rank"))
             .join(Candidate, Candidate.id == StageChange.candidate_id)
             .where(StageChange.on > day, Candidate.branch_id.in_(branch_ids)).subquery())  # one branch: its few
    held = sa.case((after.c.candidate_id.is_(None), Candidate.stage), else_=after.c.from_stage)
    return (sa.select(Candidate.branch_id, held.label("stage")).select_from(Candidate)
            .outerjoin(after, sa.and_(after.c.candidate_id == Candidate.id, after.c.rank == 1))
            .where(Candidate.branch_id.in_(branch_ids)).subquery())
