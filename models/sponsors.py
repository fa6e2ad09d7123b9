"""Who may sponsor (giúp đỡ) a candidate, and assigning one."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.candidate import Candidate
from models.people import Person, RoleGrant
from models.pipeline import ACTIVE_STAGES
from models.roster import PartyMember, matches_person, official_on
from models.stage import Role
from models.text import fold

# Official members of a branch: the roles that may help a candidate (a probationary member may not).
SPONSOR_ROLES: tuple[Role, ...] = (Role.secretary, Role.deputy, Role.sponsor)


@dataclass(frozen=True)
class Member:
    """An official member of a branch who may sponsor, and how many active candidates they help."""

    person_id: int
    full_name: str
    branch_id: int
    role: Role  # the highest of their roles there
    sponsoring: int

    def as_dict(self) -> dict:
        return {"id": self.person_id, "name": self.full_name, "branch_id": self.branch_id,
                "role": self.role.value, "sponsoring": self.sponsoring}


async def branch_members(*, session: AsyncSession, branch_ids: Collection[int]) -> list[Member]:
    """The official members of these branches, by branch, then role (secretary first), then name."""
    if not branch_ids:
        return []
    rows = (await session.exec(
        select(RoleGrant.person_id, RoleGrant.org_id, RoleGrant.role, Person.full_name)
        .join(Person, Person.id == RoleGrant.person_id)
        .where(RoleGrant.org_id.in_(list(branch_ids)),
               RoleGrant.role.in_([r.value for r in SPONSOR_ROLES])))).all()
    best: dict[tuple[int, int], tuple[Role, str]] = {}
    for person_id, org_id, role, name in rows:
        role = Role(role)
        key = (org_id, person_id)
        if key not in best or SPONSOR_ROLES.index(role) < SPONSOR_ROLES.index(best[key][0]):
            best[key] = (role, name)
    counts = dict((await session.exec(
        select(Candidate.sponsor_id, sa.func.count())
        .where(Candidate.sponsor_id.in_([p for _, p in best]),
               Candidate.stage.in_([s.value for s in ACTIVE_STAGES]))
        .group_by(Candidate.sponsor_id))).all()) if best else {}
    members = [Member(person_id=p, full_name=name, branch_id=org, role=role, sponsoring=counts.get(p, 0))
               for (org, p), (role, name) in best.items()]
    members.sort(key=lambda m: (m.branch_id, SPONSOR_ROLES.index(m.role), fold(m.full_name), m.person_id))
    return members


async def off_roster(*, session: AsyncSession, members: Collection[Member], on: date) -> set[tuple[int, int]]:
    """(branch, person) of the members who may not sponsor there on this day: the branch keeps a
    roster (models/roster.py) and they are not an official member on it (citations.SPONSOR).
    A branch with an empty roster is not checked."""
    branch_ids = {m.branch_id for m in members}
    if not branch_ids:
        return set()
    rows = (await session.exec(select(PartyMember).where(PartyMember.org_id.in_(list(branch_ids))))).all()
    kept = {r.org_id for r in rows}
    return {(m.branch_id, m.person_id) for m in members if m.branch_id in kept and not any(
        r.org_id == m.branch_id and matches_person(r, m.person_id, m.full_name) and official_on(r, on)
        for r in rows)}


def may_sponsor(members: Collection[Member], off: Collection[tuple[int, int]]) -> list[Member]:
    """The members offered to sponsor: those not off the roster of their branch (`off_roster`)."""
    return [m for m in members if (m.branch_id, m.person_id) not in off]


async def set_sponsor(*, session: AsyncSession, candidate: Candidate, person_id: int) -> int | None:
    """Make this person the candidate's sponsor; returns the previous sponsor's id."""
    previous = candidate.sponsor_id
    candidate.sponsor_id = person_id
    session.add(candidate)
    await session.flush()
    return previous
