"""A candidate's introducers (người giới thiệu) as records: who wrote the 3-KNĐ letters, from
the branch's roster (models/roster.py), and since when they have worked, studied or lived
with the person.

The rule (Charter art. 4; 294-QĐ/TW 3.2; citations.ADMISSION_FILE), as DOMAIN.md words it:
two official members who have been with the person for at least 12 months in the same unit;
or, for a Youth Union member, the grassroots Youth Union executive committee (its resolution,
4-KNĐ) plus one official member; a probationary member may not introduce. The numbers are
models/rules.py INTRODUCERS_REQUIRED, INTRODUCERS_BESIDE_UNION, INTRODUCER_MIN_MONTHS_TOGETHER;
the rule is models.eligibility.introduction_refusals (on a vote's day, from these records)
and check_introducers (each introducer).
"""

from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.eligibility import Introduction
from models.roster import MemberStatus, PartyMember, Standing



class IntroducerRecord(SQLModel, table=True):
    """One introducer of a candidate: a member of the branch's roster, with them since when."""

    __tablename__ = "introducer"
    __table_args__ = (sa.UniqueConstraint("candidate_id", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    member_id: int = Field(foreign_key="partymember.id", index=True)
    together_since: date
    at: datetime


# ---- Queries and writes ----------------------------------------------------------------------

async def introductions(session: AsyncSession, *, candidate_id: int) -> tuple[Introduction, ...]:
    """The candidate's recorded introducers, in the order they were recorded."""
    rows = (await session.exec(
        select(IntroducerRecord, PartyMember).join(PartyMember, PartyMember.id == IntroducerRecord.member_id)
        .where(IntroducerRecord.candidate_id == candidate_id).order_by(IntroducerRecord.id))).all()
    return tuple(Introduction(member_id=m.id, name=m.full_name,
                              standing=Standing(MemberStatus(m.status), m.since, m.left_on),
                              together_since=r.together_since) for r, m in rows)


async def set_introducers(session: AsyncSession, *, candidate_id: int, chosen: Sequence[tuple[int, date]],
                          now: datetime) -> tuple[Introduction, ...]:
    """Replace the candidate's introducers with these (member id, together since); returns the
    ones recorded before (never committing)."""
    before = await introductions(session, candidate_id=candidate_id)
    await session.exec(sa.delete(IntroducerRecord).where(IntroducerRecord.candidate_id == candidate_id))
    for member_id, since in chosen:
        session.add(IntroducerRecord(candidate_id=candidate_id, member_id=member_id, together_since=since, at=now))
    await session.flush()
    return before
