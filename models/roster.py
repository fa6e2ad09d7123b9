"""The branch's roster of party members (đảng viên của chi bộ): official or probationary, since
when, and when they left.

Rules (plain functions): who counts as an official member on a date (`official_on`), and the
denominator of a branch vote, the official members on the vote's day (`official_count`). The
Charter, article 4: a branch's resolution to admit needs at least two thirds of its official
members (citations.BRANCH_VOTE); a probationary member does not vote on admission and may not
sponsor (Charter, article 5; citations.PROBATION).

A member recognised by chibo (/chinhthuc) becomes official on the recognition date
(`promote`); a member admitted through chibo joins as probationary on the ceremony's date
(`add_member` from models.admission.record).

Issue 13 item 8, the states the seeds name: a member received from another place keeps what
was recorded there (`received_from`, `received_on`, `admitted_on`, `received_note`; the rule
`reception_refusal`; counted from the day received, `joined_on`); a graduate of a student branch
may stay up to 12 months (`graduated_on`; `graduation_refusal`, `graduate_state`, the deadline
models.deadlines.graduate_may_stay_until); expulsion (khai trừ) is kept apart from striking off
and moving, for an official member only, with its decision (`expulsion_refusal`, `left_note`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import citations, rules
from models.base import enum_field
from models.deadlines import graduate_may_stay_until
from models.rules import Refusal
from models.text import fold


class LeftReason(StrEnum):
    """Why a member left the branch's roster, kept apart (issue 13 item 8): a move (chuyển sinh
    hoạt, official or probationary), striking off (xóa tên: a probationary member not
    recognised, or one who no longer takes part), and expulsion (khai trừ: a discipline)."""

    moved = "moved"
    struck_off = "struck_off"
    expelled = "expelled"


class MemberStatus(StrEnum):
    official = "official"  # đảng viên chính thức
    probationary = "probationary"  # đảng viên dự bị


class PartyMember(SQLModel, table=True):
    """One party member of a branch. `since`: the admission (probationary) or recognition
    (official) date; `left_on`: the day they left the branch (moved, struck off), or None."""

    __tablename__ = "partymember"
    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organisation.id", index=True)
    full_name: str = Field(max_length=120)
    status: MemberStatus = enum_field()
    since: date
    left_on: date | None = None
    left_reason: LeftReason | None = Field(default=None, sa_type=sa.String(24))
    # Where a member who moved went (chuyển sinh hoạt đến): the party organisation receiving them.
    moved_to: str | None = Field(default=None, max_length=200)
    # Expulsion's decision (who decided, number, date) or a strike-off's reason, as written.
    left_note: str | None = Field(default=None, max_length=200)
    # A member of a student branch: the day they graduated (may stay up to 12 months after it).
    graduated_on: date | None = None
    # A member received from another place (chuyển đến): from where, the day received here, the
    # admission date recorded there (for an official member; a probationary one's is `since`),
    # and the decisions as written there. `since` keeps the date recorded there too.
    received_from: str | None = Field(default=None, max_length=200)
    received_on: date | None = None
    admitted_on: date | None = None
    received_note: str | None = Field(default=None, max_length=200)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    candidate_id: int | None = Field(default=None, foreign_key="candidate.id", index=True)
    at: datetime


@dataclass(frozen=True)
class Standing:
    """What the rules read of a member: status, since, left."""

    status: MemberStatus
    since: date
    left_on: date | None = None
    received_on: date | None = None


# ---- The rules (pure) ------------------------------------------------------------------------

def joined_on(m: Standing | PartyMember) -> date:
    """The day the member joined this branch: `since`, or the day received from another place."""
    return max(m.since, m.received_on) if m.received_on else m.since


def on_roster(m: Standing, on: date) -> bool:
    """A member of the branch on this day: joined on or before it, not left on or before it."""
    return joined_on(m) <= on and (m.left_on is None or m.left_on > on)


def official_on(m: Standing, on: date) -> bool:
    """An official member on this day (recognised on or before it, not yet left)."""
    return MemberStatus(m.status) == MemberStatus.official and on_roster(m, on)


def official_count(members: Iterable[Standing], on: date) -> int:
    """The denominator of a branch vote held on this day: its official members then."""
    return sum(1 for m in members if official_on(m, on))


def destination_refusal(reason: LeftReason | str | None, moved_to: str | None) -> Refusal | None:
    """A member who moves (chuyển sinh hoạt) is recorded with where they go, the organisation
    that receives their file (294-QĐ/TW 6.3); striking off and expulsion have none."""
    moving = reason is not None and LeftReason(reason) == LeftReason.moved
    if moving and not (moved_to and moved_to.strip()):
        return Refusal("destination_required", {})
    if not moving and moved_to:
        return Refusal("destination_not_moving", {"reason": str(reason) if reason else None})
    return None


def expulsion_refusal(status: MemberStatus | str, reason: LeftReason | str | None) -> Refusal | None:
    """Expulsion (khai trừ) is a discipline of an official member only; a probationary member is
    reprimanded or warned, or struck off (xóa tên) when they do not qualify (the Charter; no article is cited: see
    citations.DISCIPLINE)."""
    if reason is not None and LeftReason(reason) == LeftReason.expelled \
            and MemberStatus(status) != MemberStatus.official:
        return Refusal("expulsion_not_official", {"sources": citations.DISCIPLINE})
    return None


def graduation_refusal(*, student_branch: bool, joined: date, graduated_on: date | None = None) -> Refusal | None:
    """A graduation is recorded for a member of a student branch (the 12 months' stay is theirs,
    01-HD/TW 10.2.1), on or after the day they joined it (`graduated_on`: when it is known)."""
    if not student_branch:
        return Refusal("graduation_not_student", {"sources": citations.GRADUATE_STAY})
    if graduated_on is not None and graduated_on < joined:
        return Refusal("graduation_before_joining", {"on": graduated_on, "since": joined})
    return None


def graduate_state(graduated_on: date | None, today: date) -> str | None:
    """Where a graduate stands on `today`: "over" once their 12 months have passed (they must have
    moved), "soon" within GRADUATE_STAY_NOTICE_DAYS of the end, "staying" before; None: not a graduate."""
    if graduated_on is None:
        return None
    until = graduate_may_stay_until(graduated_on)
    if today > until:
        return "over"
    if (until - today).days <= rules.GRADUATE_STAY_NOTICE_DAYS:
        return "soon"
    return "staying"


def reception_refusal(*, status: MemberStatus | str, since: date, received_on: date,
                      admitted_on: date | None) -> Refusal | None:
    """A member received from another place was a member there first: received on or after the date
    recorded there (`since`: admission, or recognition for an official member), admitted before
    being recognised (Charter art. 5)."""
    if received_on < since:
        return Refusal("received_before_since", {"on": received_on, "since": since, "status": str(status)})
    if MemberStatus(status) == MemberStatus.official and admitted_on is not None and admitted_on > since:
        return Refusal("admitted_after_recognised", {"admitted": admitted_on, "since": since})
    return None


def matches_person(m: PartyMember, person_id: int, full_name: str) -> bool:
    """The roster row is this person: linked to them, or unlinked with the same name."""
    if m.person_id is not None:
        return m.person_id == person_id
    return fold(m.full_name) == fold(full_name)


# ---- Queries and writes ----------------------------------------------------------------------

async def branch_roster(*, session: AsyncSession, org_id: int, with_left: bool = False) -> list[PartyMember]:
    """The branch's members, official first, then by name (those who left only when asked)."""
    query = select(PartyMember).where(PartyMember.org_id == org_id)
    if not with_left:
        query = query.where(PartyMember.left_on.is_(None))
    rows = list((await session.exec(query)).all())
    rows.sort(key=lambda m: (m.status != MemberStatus.official, fold(m.full_name), m.id))
    return rows


async def has_roster(*, session: AsyncSession, org_id: int) -> bool:
    """Whether the branch has put anyone on its roster (left or not)."""
    found = await session.exec(select(sa.func.count()).select_from(PartyMember)
                               .where(PartyMember.org_id == org_id))
    return found.one() > 0


async def standings(session: AsyncSession, *, org_id: int) -> tuple[Standing, ...]:
    """The branch's whole roster (those who left too) as the rules read it."""
    rows = (await session.exec(select(PartyMember).where(PartyMember.org_id == org_id)
                               .order_by(PartyMember.id))).all()
    return tuple(Standing(MemberStatus(m.status), m.since, m.left_on, m.received_on) for m in rows)


async def official_members_on(*, session: AsyncSession, org_id: int, on: date) -> int:
    """How many official members the branch had on this day (0 also when it has no roster)."""
    rows = (await session.exec(select(PartyMember).where(PartyMember.org_id == org_id))).all()
    return official_count(rows, on)


async def is_official_member(*, session: AsyncSession, org_id: int, person_id: int, full_name: str,
                             on: date) -> bool:
    """Whether this person is an official member on the branch's roster on this day."""
    rows = (await session.exec(select(PartyMember).where(PartyMember.org_id == org_id))).all()
    return any(matches_person(m, person_id, full_name) and official_on(m, on) for m in rows)


async def add_member(
    session: AsyncSession, *, org_id: int, full_name: str, status: MemberStatus | str, since: date,
    now: datetime, person_id: int | None = None, candidate_id: int | None = None, **received: Any,
) -> PartyMember:
    """Put a member on the branch's roster (never committing); `received`: received_from,
    received_on, admitted_on, received_note of a member received from another place."""
    member = PartyMember(org_id=org_id, full_name=full_name, status=MemberStatus(status), since=since,
                         person_id=person_id, candidate_id=candidate_id, at=now, **received)
    session.add(member)
    await session.flush()
    return member


async def mark_left(session: AsyncSession, *, member: PartyMember, on: date, now: datetime,
                    reason: LeftReason | None = None, moved_to: str | None = None, note: str | None = None) -> None:
    member.left_on = on
    member.left_reason = reason
    member.moved_to = moved_to
    member.left_note = note
    member.at = now
    session.add(member)
    await session.flush()


async def set_graduated(session: AsyncSession, *, member: PartyMember, on: date, now: datetime) -> date | None:
    """Record a member's graduation day; returns the one recorded before."""
    before = member.graduated_on
    member.graduated_on, member.at = on, now
    session.add(member)
    await session.flush()
    return before


async def graduates(session: AsyncSession, *, org_ids: list[int], start: date, end: date) -> list[PartyMember]:
    """The graduates of these branches a quarter lists: those still here on `end` (with the day
    they must move by), and those who moved away between `start` and `end`; by leaving, then name."""
    if not org_ids:
        return []
    rows = (await session.exec(select(PartyMember).where(
        PartyMember.org_id.in_(org_ids), PartyMember.graduated_on.is_not(None),
        PartyMember.since <= end, PartyMember.graduated_on <= end,
        sa.or_(PartyMember.left_on.is_(None), PartyMember.left_on > end,
               sa.and_(PartyMember.left_on >= start, PartyMember.left_reason == LeftReason.moved.value))))).all()
    return sorted(rows, key=lambda m: (graduate_may_stay_until(m.graduated_on), fold(m.full_name), m.id))


async def member_of_candidate(session: AsyncSession, *, candidate_id: int) -> PartyMember | None:
    """The roster row of a member admitted or recognised through chibo (still there)."""
    return (await session.exec(select(PartyMember).where(
        PartyMember.candidate_id == candidate_id, PartyMember.left_on.is_(None)))).first()


async def left_roster(session: AsyncSession, *, candidate_id: int) -> PartyMember | None:
    """The roster row of a member admitted or recognised through chibo who has left (moved, struck
    off or expelled), when they are not on the roster again."""
    if await member_of_candidate(session, candidate_id=candidate_id) is not None:
        return None
    return (await session.exec(select(PartyMember).where(
        PartyMember.candidate_id == candidate_id, PartyMember.left_on.is_not(None))
        .order_by(PartyMember.left_on.desc(), PartyMember.id.desc()))).first()


async def admitted(session: AsyncSession, *, org_id: int, candidate_id: int, full_name: str,
                   person_id: int | None, on: date, now: datetime) -> PartyMember:
    """A candidate admitted through chibo (the ceremony): on the roster as probationary."""
    existing = await member_of_candidate(session, candidate_id=candidate_id)
    if existing is not None:
        return existing
    return await add_member(session, org_id=org_id, full_name=full_name, status=MemberStatus.probationary,
                            since=on, person_id=person_id, candidate_id=candidate_id, now=now)


async def promote(session: AsyncSession, *, org_id: int, candidate_id: int, full_name: str,
                  person_id: int | None, on: date, now: datetime) -> PartyMember:
    """A probationary member recognised through chibo: official from the recognition date."""
    member = await member_of_candidate(session, candidate_id=candidate_id)
    if member is None:
        return await add_member(session, org_id=org_id, full_name=full_name, status=MemberStatus.official,
                                since=on, person_id=person_id, candidate_id=candidate_id, now=now)
    member.status, member.since, member.at = MemberStatus.official, on, now
    session.add(member)
    await session.flush()
    return member


async def leave_by_candidate(session: AsyncSession, *, candidate_id: int, on: date, now: datetime,
                             reason: LeftReason | None = None, moved_to: str | None = None) -> None:
    """A member admitted through chibo who is struck off or moves away (to `moved_to`) leaves the roster."""
    member = await member_of_candidate(session, candidate_id=candidate_id)
    if member is not None:
        await mark_left(session, member=member, on=on, now=now, reason=reason, moved_to=moved_to)
