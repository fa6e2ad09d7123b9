"""One candidate's file: who they are, the admission checklist with its dates, and the history
of their stages."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.candidate import Candidate, StageChange
from models.dossier_queries import ItemState, dossier


@dataclass(frozen=True)
class CandidateFile:
    candidate: Candidate
    items: list[ItemState]
    history: list[StageChange]


async def candidate_file(*, session: AsyncSession, branch_id: int, number: int, today: date) -> CandidateFile | None:
    """The file of the candidate with this register number in this branch (None: no such one)."""
    candidate = (await session.exec(select(Candidate).where(
        Candidate.branch_id == branch_id, Candidate.number == number))).first()
    if candidate is None:
        return None
    state = await dossier(session=session, candidate=candidate, today=today)
    history = list(await session.exec(select(StageChange).where(StageChange.candidate_id == candidate.id)
                                      .order_by(StageChange.on, StageChange.id)))
    return CandidateFile(candidate=candidate, items=list(state.items), history=history)
