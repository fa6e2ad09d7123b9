"""People, their roles in organisations, their chat accounts, and invite codes."""

import hashlib
import hmac
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import enum_field
from models.stage import Role


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    full_name: str = Field(max_length=120)
    created_at: datetime
    erased_at: datetime | None = None  # anonymised (models/erasure.py)


class RoleGrant(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("person_id", "org_id", "role"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    org_id: int = Field(foreign_key="organisation.id", index=True)
    role: Role = enum_field()


class ChatLink(SQLModel, table=True):
    """A chat account (Telegram, Zalo, console) that speaks for a person."""

    __table_args__ = (sa.UniqueConstraint("channel", "account_id"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    account_id: str = Field(max_length=64)
    person_id: int = Field(foreign_key="person.id", index=True)
    linked_at: datetime


class Invite(SQLModel, table=True):
    """A one-time code that links a chat account to a role. Only a keyed hash of the code is
    stored (HMAC-SHA256 with CHIBO_SECRET), so a copy of the database does not reveal it."""

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    role: Role = enum_field()
    org_id: int = Field(foreign_key="organisation.id")
    candidate_id: int | None = Field(default=None, foreign_key="candidate.id")
    full_name: str | None = Field(default=None, max_length=120)
    expires_at: datetime
    used_at: datetime | None = None
    person_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime
    revoked_at: datetime | None = None  # taken back before use (`chibo invite revoke`)
    # A hand-over (/bangiao, models/inviting.py): the secretary whose role ends when this
    # invite is redeemed, and the role they keep then ("deputy", "sponsor"; None: none).
    # No foreign key: a plain ADD COLUMN on SQLite (migration 0024).
    replaces_person_id: int | None = None
    replaced_becomes: str | None = Field(default=None, max_length=16)


# Typed on a phone keyboard: no 0/O, 1/I/L look-alikes. 10 symbols of 31 ≈ 49 bits;
# with single use, expiry in days and a lock-out after a few wrong tries, unguessable.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    return "".join(c for c in typed.upper() if c.isalnum())


def hash_code(code: str, key: bytes) -> str:
    """The keyed hash stored for a code: HMAC-SHA256 over the code's SHA-256 (hex), so that the
    codes stored before keys existed (their SHA-256) could be re-keyed by migration 0016."""
    digest = hashlib.sha256(normalise_code(code).encode()).hexdigest()
    return rekey(digest, key)


def rekey(digest: str, key: bytes) -> str:
    return hmac.new(key, digest.encode(), hashlib.sha256).hexdigest()


async def create_invite(
    *,
    session: AsyncSession,
    role: Role,
    org_id: int,
    expires_at: datetime,
    now: datetime,
    key: bytes,
    candidate_id: int | None = None,
    full_name: str | None = None,
) -> str:
    """Store a new invite and return its code (shown once, to the person who made it)."""
    code = new_code()
    session.add(Invite(
        code_hash=hash_code(code, key), role=role, org_id=org_id, candidate_id=candidate_id,
        full_name=full_name, expires_at=expires_at, created_at=now,
    ))
    await session.flush()
    return code


async def find_invite(*, session: AsyncSession, code: str, key: bytes) -> Invite | None:
    rows = await session.exec(select(Invite).where(Invite.code_hash == hash_code(code, key)))
    return rows.first()


async def claim_invite(*, session: AsyncSession, invite_id: int, now: datetime) -> bool:
    """Mark the invite used, if it still may be: one conditional UPDATE, so that of two people
    redeeming the same code at the same instant exactly one wins (on PostgreSQL the second
    waits for the first's row lock, then finds used_at set and changes nothing)."""
    result = await session.exec(
        sa.update(Invite)
        .where(Invite.id == invite_id, Invite.used_at.is_(None), Invite.revoked_at.is_(None),
               Invite.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


async def link_chat(
    *, session: AsyncSession, channel: str, account_id: str, person_id: int, now: datetime
) -> None:
    existing = (await session.exec(select(ChatLink).where(
        ChatLink.channel == channel, ChatLink.account_id == account_id))).first()
    if existing:
        existing.person_id = person_id
        existing.linked_at = now
    else:
        session.add(ChatLink(channel=channel, account_id=account_id, person_id=person_id, linked_at=now))
    await session.flush()


async def grant_role(*, session: AsyncSession, person_id: int, org_id: int, role: Role) -> None:
    exists = (await session.exec(select(RoleGrant).where(
        RoleGrant.person_id == person_id, RoleGrant.org_id == org_id, RoleGrant.role == role))).first()
    if not exists:
        session.add(RoleGrant(person_id=person_id, org_id=org_id, role=role))
        await session.flush()


class CodeAttempt(SQLModel, table=True):
    """Wrong invite codes typed from one chat account, and until when it must wait."""

    channel: str = Field(primary_key=True, max_length=16)
    account_id: str = Field(primary_key=True, max_length=64)
    failures: int = 0
    locked_until: datetime | None = None
