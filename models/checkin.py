"""A sponsor's meeting with a candidate they help."""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import rules
from models.base import enum_field
from models.candidate import Candidate
from models.org import Organisation
from models.deadlines import sponsor_nudge_on
from models.pipeline import ACTIVE_STAGES
from models.rules import add_months


class CheckinHow(StrEnum):
    in_person = "in_person"
    phone = "phone"
    online = "online"


class Checkin(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_checkin_candidate_met", "candidate_id", "met_on"),)
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id")
    sponsor_id: int = Field(foreign_key="person.id", index=True)
    met_on: date
    how: CheckinHow = enum_field()
    assessment: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=500)
    at: datetime


# ---- Queries and writes (the sponsor's check-in flow and list) --------------------------

def oldest_checkin_day(today: date) -> date:
    return add_months(today, -rules.CHECKIN_OLDEST_MONTHS)


async def add_checkin(
    *, session: AsyncSession, candidate_id: int, sponsor_id: int, met_on: date, how: str,
    assessment: str | None, note: str | None, now: datetime,
) -> Checkin:
    checkin = Checkin(candidate_id=candidate_id, sponsor_id=sponsor_id, met_on=met_on,
                      how=CheckinHow(how), assessment=assessment, note=note, at=now)
    session.add(checkin)
    await session.flush()
    return checkin


async def last_met(*, session: AsyncSession, candidate_ids: list[int]) -> dict[int, date]:
    """The day of each candidate's latest check-in (by anyone), for those who have one."""
    if not candidate_ids:
        return {}
    rows = await session.exec(
        select(Checkin.candidate_id, sa.func.max(Checkin.met_on))
        .where(Checkin.candidate_id.in_(candidate_ids)).group_by(Checkin.candidate_id))
    return dict(rows.all())


@dataclass(frozen=True)
class SponsoredCandidate:
    id: int
    number: int
    full_name: str
    stage: str
    last_met: date | None
    days: int | None  # since the last check-in
    nudge: bool  # no check-in yet, or the nudge day has come


async def sponsored(*, session: AsyncSession, where: sa.ColumnElement[bool], today: date) -> list[SponsoredCandidate]:
    """A sponsor's candidates still in the pipeline: those to meet first (never met, then longest ago)."""
    rows = list(await session.exec(select(Candidate, Organisation.sponsor_nudge_days)
                                   .join(Organisation, Organisation.id == Candidate.branch_id)
                                   .where(where, Candidate.stage.in_([s.value for s in ACTIVE_STAGES]))
                                   .order_by(Candidate.number)))
    met = await last_met(session=session, candidate_ids=[c.id for c, _ in rows])
    out = []
    for c, nudge_days in rows:
        last = met.get(c.id)
        out.append(SponsoredCandidate(
            id=c.id, number=c.number, full_name=c.full_name, stage=str(c.stage), last_met=last,
            days=(today - last).days if last else None,
            nudge=last is None or today >= sponsor_nudge_on(last, nudge_days)))
    return sorted(out, key=lambda s: (not s.nudge, -(s.days if s.days is not None else 10**6), s.number))
