"""Invites made in chat (/moi) and a branch handed to a new secretary (/bangiao).

An invite made in chat is bound to a role, a branch and a person: an official member of the
branch's roster (a deputy, a sponsor, a new secretary), who is given a person in chibo if they
have none yet, or a candidate of the branch. Redeeming it (models/linking.py) links the chat to
that person. A hand-over invite also names the secretary it replaces: when it is redeemed their
secretary's role ends (they may keep a deputy's or a sponsor's), they are told (the outbox), and
the hand-over is in the audit log. The codes are those of `chibo invite` (models/people.py).
"""

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.access import revoke_role
from models.audit import audit
from models.org import Organisation
from models.outbox import Due, enqueue
from models.people import Invite, Person, RoleGrant, create_invite, find_invite, grant_role
from models.policy import Action, Actor
from models.roster import PartyMember, branch_roster, official_on
from models.stage import OrgKind, Role

INVITED_ROLES = (Role.deputy, Role.sponsor, Role.candidate)  # what /moi offers
MEMBER_ROLES = (Role.deputy, Role.sponsor, Role.secretary)  # an official member of the roster
KEPT_ROLES = ("none", "deputy", "sponsor")  # what the old secretary keeps after a hand-over
HAND_OVER = "branch.hand_over"


async def official_members(*, session: AsyncSession, org_id: int, on: date,
                           besides: tuple[int, ...] = ()) -> list[PartyMember]:
    """The branch's official members on this day (official_on), by name; those whose person is
    in `besides` left out (the one who invites, the secretary handing over)."""
    return [m for m in await branch_roster(session=session, org_id=org_id)
            if official_on(m, on) and (m.person_id is None or m.person_id not in besides)]


async def person_for_member(*, session: AsyncSession, member: PartyMember, now: datetime) -> int:
    """The person a roster member is in chibo: theirs, or a new one linked to the roster row."""
    if member.person_id is not None:
        return member.person_id
    person = Person(full_name=member.full_name, created_at=now)
    session.add(person)
    await session.flush()
    member.person_id = person.id
    session.add(member)
    await session.flush()
    return person.id


async def secretaries(*, session: AsyncSession, org_id: int) -> list[int]:
    """The people who hold the secretary's role in this organisation."""
    return list((await session.exec(select(RoleGrant.person_id).where(
        RoleGrant.org_id == org_id, RoleGrant.role == Role.secretary).order_by(RoleGrant.person_id))).all())


async def hand_over_branches(*, session: AsyncSession, actor: Actor) -> list[Organisation]:
    """The branches this person may hand to a new secretary: those where they are secretary,
    and, for a committee (or an admin), the branches below it that have no secretary."""
    mine = {g.org_id for g in actor.grants_for(Action.hand_over) if g.role == Role.secretary}
    above = [g.org_path for g in actor.grants_for(Action.hand_over) if g.role in (Role.committee, Role.admin)]
    clauses = [Organisation.id.in_(mine)] if mine else []
    if above:
        has_secretary = sa.select(RoleGrant.id).where(RoleGrant.org_id == Organisation.id,
                                                      RoleGrant.role == Role.secretary).exists()
        clauses.append(sa.and_(sa.or_(*(Organisation.path.startswith(p) for p in above)),
                               Organisation.kind == OrgKind.branch, ~has_secretary))
    if not clauses:
        return []
    rows = await session.exec(select(Organisation).where(sa.or_(*clauses)).order_by(Organisation.name, Organisation.id))
    return list(rows.all())


async def invite(*, session: AsyncSession, role: Role, org_id: int, key: bytes, now: datetime, days: int,
                 by_person_id: int | None, person_id: int | None = None, candidate_id: int | None = None,
                 full_name: str | None = None, replaces_person_id: int | None = None,
                 replaced_becomes: str | None = None) -> tuple[str, Invite]:
    """A new invite bound to a role, a branch and a person (or a candidate); its code (shown once)."""
    code = await create_invite(session=session, role=role, org_id=org_id, expires_at=now + timedelta(days=days),
                               now=now, key=key, candidate_id=candidate_id, full_name=full_name)
    made = await find_invite(session=session, code=code, key=key)
    made.person_id = person_id
    made.replaces_person_id = replaces_person_id
    made.replaced_becomes = None if replaced_becomes in (None, "none") else replaced_becomes
    session.add(made)
    audit(session=session, at=now, person_id=by_person_id, action="invite.create", subject=f"invite:{made.id}")
    if role == Role.secretary:
        audit(session=session, at=now, person_id=by_person_id, action=HAND_OVER, subject=f"invite:{made.id}",
              detail=f"org={org_id}; from={replaces_person_id}; keeps={replaced_becomes or 'none'}")
    await session.flush()
    return code, made


async def revoke_pending_hand_overs(*, session: AsyncSession, org_id: int, now: datetime,
                                    by_person_id: int | None) -> list[str]:
    """Take back the branch's hand-over invites not yet used (a branch has one secretary: a new
    hand-over replaces an earlier one, whose code must no longer work); the names they were for.
    Conditional, so that a redemption happening meanwhile is never undone."""
    pending = (await session.exec(select(Invite).where(
        Invite.org_id == org_id, Invite.role == Role.secretary, Invite.used_at.is_(None),
        Invite.revoked_at.is_(None), Invite.expires_at > now).order_by(Invite.id))).all()
    names = []
    for earlier in pending:
        result = await session.exec(
            sa.update(Invite).where(Invite.id == earlier.id, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
            .values(revoked_at=now).execution_options(synchronize_session=False))
        if result.rowcount == 1:
            audit(session=session, at=now, person_id=by_person_id, action="invite.revoke",
                  subject=f"invite:{earlier.id}", detail="replaced by a new hand-over")
            names.append(earlier.full_name or "")
    return names


async def complete_hand_over(*, session: AsyncSession, invite: Invite, person_id: int, now: datetime
                             ) -> dict | None:
    """Once a hand-over invite is redeemed by the new secretary (`person_id`): the old one's
    secretary's role ends, the role they keep is given, they are told; None if there was no
    one to replace (or they redeemed it themselves). What the new secretary is told, else."""
    old = invite.replaces_person_id
    if invite.role != Role.secretary or old is None or old == person_id:
        return None
    keeps = Role(invite.replaced_becomes) if invite.replaced_becomes else None
    if keeps is not None:
        await grant_role(session=session, person_id=old, org_id=invite.org_id, role=keeps)
    await revoke_role(session=session, person_id=old, org_id=invite.org_id, role=Role.secretary, now=now,
                      by_person_id=person_id)
    org = await session.get(Organisation, invite.org_id)
    new, before = await session.get(Person, person_id), await session.get(Person, old)
    audit(session=session, at=now, person_id=person_id, action=HAND_OVER, subject=f"org:{invite.org_id}",
          detail=f"invite={invite.id}; from={old}; to={person_id}; keeps={keeps.value if keeps else 'none'}")
    told = {"branch": org.name if org else "", "new_name": new.full_name if new else "",
            "old_name": before.full_name if before else "", "keeps": keeps.value if keeps else None}

    async def items():
        yield Due(f"hand_over:i{invite.id}:p{old}", old, "hand_over", "handover/notice_old", told,
                  invite.org_id)

    await enqueue(session=session, items=items(), now=now)
    return told
