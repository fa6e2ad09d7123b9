"""The people a branch holds without a candidate record (its secretary, deputies, sponsors, and
the party members on its roster), and their consent given on paper, recorded by a secretary or
deputy (/dongy) as a candidate's is: the day signed and who recorded it (models/consent.py).

A roster member with no person in chibo gets one, linked to the roster row (as /moi does,
models/inviting.person_for_member), so that the consent, like one given in chat with /dulieu,
belongs to a person. A member admitted through chibo has a candidate record: their consent is
that record's.
"""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.consent import BASIC, NOTICE_VERSION, OFFICER_PURPOSES, Consent, GivenBy, Method
from models.inviting import person_for_member
from models.people import Person, RoleGrant
from models.roster import PartyMember
from models.stage import Role
from models.text import fold

HELD_ROLES = (Role.secretary, Role.deputy, Role.sponsor)
MEMBER = "member"  # on the branch's roster, beside the roles


@dataclass(frozen=True)
class Holder:
    """One person of a branch as /dongy lists them: by person, or by a roster row with none."""

    key: str  # "p12" or "m7"
    full_name: str
    org_id: int
    roles: tuple[str, ...]  # role values, then MEMBER


async def branch_people(*, session: AsyncSession, org_ids: list[int], today: date) -> list[Holder]:
    """The branches' officers, sponsors and roster members (on the roster today, not admitted
    through chibo), one row per person and branch, by name."""
    found: dict[tuple[int, str], dict] = {}
    grants = await session.exec(sa.select(RoleGrant.person_id, RoleGrant.org_id, RoleGrant.role, Person.full_name)
                                .join(Person, Person.id == RoleGrant.person_id)
                                .where(RoleGrant.org_id.in_(org_ids), RoleGrant.role.in_(HELD_ROLES)))
    for person_id, org_id, role, name in grants.all():
        row = found.setdefault((org_id, f"p{person_id}"), {"name": name, "roles": []})
        row["roles"].append(Role(role).value)
    members = await session.exec(select(PartyMember).where(
        PartyMember.org_id.in_(org_ids), PartyMember.candidate_id.is_(None), PartyMember.since <= today,
        sa.or_(PartyMember.left_on.is_(None), PartyMember.left_on > today)))
    for m in members.all():
        key = f"p{m.person_id}" if m.person_id is not None else f"m{m.id}"
        row = found.setdefault((m.org_id, key), {"name": m.full_name, "roles": []})
        row["roles"].append(MEMBER)
    order = {r.value: i for i, r in enumerate(HELD_ROLES)} | {MEMBER: len(HELD_ROLES)}
    people = [Holder(key, row["name"], org_id, tuple(sorted(set(row["roles"]), key=order.get)))
              for (org_id, key), row in found.items()]
    return sorted(people, key=lambda h: (fold(h.full_name), h.org_id, h.key))


async def record_paper(*, session: AsyncSession, key: str, given_on: date, recorded_by: int | None,
                       now: datetime) -> Consent:
    """A consent signed on paper by the person themselves (an officer or member is an adult):
    the basic data chibo holds about them, for their work for the branch."""
    if key.startswith("m"):
        member = await session.get(PartyMember, int(key[1:]))
        person_id = await person_for_member(session=session, member=member, now=now)
    else:
        person_id = int(key[1:])
    consent = Consent(person_id=person_id, notice_version=NOTICE_VERSION, purposes=OFFICER_PURPOSES,
                      categories=BASIC, given_by=GivenBy.self, method=Method.paper, given_on=given_on,
                      recorded_by=recorded_by, at=now)
    session.add(consent)
    await session.flush()
    return consent
