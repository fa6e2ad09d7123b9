"""Access taken back: who holds a role where, ending a role, unlinking a chat account, invites.

Every change here writes an audit entry (ids and role names only). A person left with no role
at all is a stranger again: models/policy.py `load_actor` gives them no grants and no name.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.audit import audit
from models.candidate import Candidate
from models.conversation import Conversation
from models.org import Organisation
from models.outbox import Outbox, OutboxStatus
from models.people import ChatLink, Invite, Person, RoleGrant
from models.policy import Actor, revocable_grants
from models.sponsors import SPONSOR_ROLES
from models.stage import Role


@dataclass(frozen=True)
class Holder:
    """A person who holds one or more roles in an organisation, and their chat accounts."""

    person_id: int
    full_name: str
    roles: tuple[Role, ...]
    channels: tuple[str, ...]


async def holders(*, session: AsyncSession, org_id: int) -> list[Holder]:
    rows = (await session.exec(
        sa.select(Person.id, Person.full_name, RoleGrant.role)
        .join(RoleGrant, RoleGrant.person_id == Person.id)
        .where(RoleGrant.org_id == org_id)
        .order_by(Person.id, RoleGrant.role))).all()
    roles: dict[int, list[Role]] = {}
    names: dict[int, str] = {}
    for person_id, name, role in rows:
        roles.setdefault(person_id, []).append(Role(role))
        names[person_id] = name
    links = (await session.exec(
        sa.select(ChatLink.person_id, ChatLink.channel).where(ChatLink.person_id.in_(list(roles)))
        .order_by(ChatLink.channel))).all() if roles else []
    channels: dict[int, list[str]] = {}
    for person_id, channel in links:
        channels.setdefault(person_id, []).append(channel)
    order = [r.value for r in Role]
    return [Holder(person_id=p, full_name=names[p], roles=tuple(sorted(rs, key=lambda r: order.index(r.value))),
                   channels=tuple(channels.get(p, ()))) for p, rs in roles.items()]


def grant_subject(person_id: int, org_id: int, role: Role) -> str:
    """The audit subject of a role: "person:12@org:3:sponsor" (ids and a role name only)."""
    return f"person:{person_id}@org:{org_id}:{role.value}"


async def revoke_role(*, session: AsyncSession, person_id: int, org_id: int, role: Role, now: datetime,
                      by_person_id: int | None) -> int | None:
    """End a person's role in an organisation. None if they did not hold it; else how many of
    the branch's candidates they no longer sponsor (a person left with no member's role there
    stops sponsoring them: the secretary gives them a new sponsor). Reminders still waiting for
    them about that organisation (about anything, if no role is left) are not sent; with no role
    left anywhere, whatever they had half-typed is dropped too (as when unlinked)."""
    grant = (await session.exec(select(RoleGrant).where(
        RoleGrant.person_id == person_id, RoleGrant.org_id == org_id, RoleGrant.role == role))).first()
    if grant is None:
        return None
    await session.delete(grant)
    await session.flush()
    audit(session=session, at=now, person_id=by_person_id, action="role.revoke",
          subject=grant_subject(person_id, org_id, role))
    await _drop_pending(session, person_id, org_id)
    await _drop_half_typed(session, person_id)
    left = (await session.exec(select(RoleGrant.role).where(
        RoleGrant.person_id == person_id, RoleGrant.org_id == org_id))).all()
    if role not in SPONSOR_ROLES or any(Role(r) in SPONSOR_ROLES for r in left):
        return 0
    result = await session.exec(
        sa.update(Candidate).where(Candidate.branch_id == org_id, Candidate.sponsor_id == person_id)
        .values(sponsor_id=None).execution_options(synchronize_session=False))
    return result.rowcount


@dataclass(frozen=True)
class HeldRole:
    """One role one person holds in one organisation (what /thuhoi offers to end)."""

    person_id: int
    full_name: str
    role: Role
    org_id: int
    org_name: str

    @property
    def key(self) -> str:
        return f"grant:{self.person_id}:{self.org_id}:{self.role.value}"

    def as_dict(self) -> dict:
        return {"person_id": self.person_id, "full_name": self.full_name, "role": self.role.value,
                "org_id": self.org_id, "org_name": self.org_name}


async def roles_ended_by(*, session: AsyncSession, actor: Actor) -> list[HeldRole]:
    """The roles this person may end (models/policy.py `revocable_grants`), by branch, role, name."""
    rows = (await session.exec(
        sa.select(RoleGrant.person_id, Person.full_name, RoleGrant.role, Organisation.id, Organisation.name)
        .join(Person, Person.id == RoleGrant.person_id)
        .join(Organisation, Organisation.id == RoleGrant.org_id)
        .where(revocable_grants(actor))
        .order_by(Organisation.name, Organisation.id, RoleGrant.role, Person.full_name, Person.id))).all()
    return [HeldRole(person_id=r[0], full_name=r[1], role=Role(r[2]), org_id=r[3], org_name=r[4]) for r in rows]


async def _drop_pending(session: AsyncSession, person_id: int, org_id: int) -> None:
    any_role = (await session.exec(select(RoleGrant.id).where(RoleGrant.person_id == person_id))).first()
    waiting = sa.and_(Outbox.person_id == person_id, Outbox.status == OutboxStatus.pending)
    if any_role is not None:
        waiting = sa.and_(waiting, Outbox.branch_id == org_id)
    await session.exec(sa.delete(Outbox).where(waiting).execution_options(synchronize_session=False))


async def _drop_half_typed(session: AsyncSession, person_id: int) -> None:
    """A person with no role left is a stranger: the answers of a flow they had begun are not
    kept for them (nor resumed if a role comes back)."""
    if (await session.exec(select(RoleGrant.id).where(RoleGrant.person_id == person_id))).first() is not None:
        return
    chats = sa.select(ChatLink.channel, ChatLink.account_id).where(ChatLink.person_id == person_id)
    await session.exec(sa.delete(Conversation).where(sa.tuple_(Conversation.channel, Conversation.chat_id).in_(chats))
                       .execution_options(synchronize_session=False))


async def unlink_accounts(*, session: AsyncSession, person_id: int, now: datetime,
                          channel: str | None = None) -> int:
    """Unlink a person's chat accounts (on one channel, or all): those chats are strangers
    again, and whatever they had half-typed is dropped. Returns how many were unlinked."""
    query = select(ChatLink).where(ChatLink.person_id == person_id)
    if channel:
        query = query.where(ChatLink.channel == channel)
    links = list(await session.exec(query))
    for link in links:
        await session.exec(sa.delete(Conversation).where(
            Conversation.channel == link.channel, Conversation.chat_id == link.account_id))
        await session.delete(link)
        audit(session=session, at=now, person_id=None, action="account.unlink",
              subject=f"person:{person_id}@{link.channel}")
    await session.flush()
    return len(links)


@dataclass(frozen=True)
class InviteRow:
    id: int
    role: Role
    org_name: str
    full_name: str | None
    candidate_id: int | None
    created_at: datetime
    expires_at: datetime
    status: str  # pending | used | expired | revoked
    person_id: int | None


def invite_status(invite: Invite, now: datetime) -> str:
    if invite.revoked_at is not None:
        return "revoked"
    if invite.used_at is not None:
        return "used"
    if invite.expires_at <= now:
        return "expired"
    return "pending"


async def list_invites(*, session: AsyncSession, now: datetime, org_id: int | None = None,
                       every: bool = False) -> list[InviteRow]:
    """The invites not yet used (every=True: also those used, expired or revoked), newest first."""
    query = (sa.select(Invite, Organisation.name).join(Organisation, Organisation.id == Invite.org_id)
             .order_by(Invite.id.desc()))
    if org_id is not None:
        query = query.where(Invite.org_id == org_id)
    rows = []
    for invite, org_name in (await session.exec(query)).all():
        status = invite_status(invite, now)
        if every or status == "pending":
            rows.append(InviteRow(id=invite.id, role=Role(invite.role), org_name=org_name,
                                  full_name=invite.full_name, candidate_id=invite.candidate_id,
                                  created_at=invite.created_at, expires_at=invite.expires_at,
                                  status=status, person_id=invite.person_id))
    return rows


async def revoke_invite(*, session: AsyncSession, invite_id: int, now: datetime) -> str:
    """Take back an invite not yet used: "revoked", or why not ("missing", "used",
    "already_revoked", "expired"). A conditional UPDATE, so that it cannot undo a redemption happening meanwhile."""
    invite = await session.get(Invite, invite_id)
    if invite is None:
        return "missing"
    status = invite_status(invite, now)
    if status != "pending":
        return "already_revoked" if status == "revoked" else status
    result = await session.exec(
        sa.update(Invite).where(Invite.id == invite_id, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
        .values(revoked_at=now).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return "used"
    audit(session=session, at=now, person_id=None, action="invite.revoke", subject=f"invite:{invite_id}")
    await session.flush()
    return "revoked"
