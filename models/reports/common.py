"""Pieces the reports share: a branch's candidates, their next step and missing dossier items."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.candidate import Candidate
from models.dossier_queries import dossier
from models.next_step import NextStep
from models.progress import candidate_next_step

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


async def steps_of(*, session: AsyncSession, candidates: list[Candidate], today: date) -> dict[int, NextStep]:
    found = {}
    for c in candidates:
        step = await candidate_next_step(session=session, candidate=c, today=today)
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
    from models.org import Organisation
    from models.stage import OrgKind

    return sa.select(Organisation.id).where(Organisation.path.startswith(path), Organisation.kind == OrgKind.branch)


def latest_changes(branch_ids, day: date) -> sa.Subquery:
    """Each candidate's latest stage change on or before `day` (rank 1): the stage they held
    at the end of that day, with their branch."""
    from models.candidate import StageChange

    newest_first = (StageChange.on.desc(), StageChange.id.desc())
    return (sa.select(Candidate.branch_id, StageChange.to_stage,
                      sa.func.row_number().over(partition_by=StageChange.candidate_id, order_by=newest_first)
                      .label("rank"))
            .join(Candidate, Candidate.id == StageChange.candidate_id)
            .where(Candidate.branch_id.in_(branch_ids), StageChange.on <= day).subquery())
