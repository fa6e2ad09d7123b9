"""Redeeming an invite code: a chat account becomes a person with a role, or is refused.

Wrong codes are counted per chat account; past a few, the account waits before trying again.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.audit import audit
from models.candidate import Candidate
from models.inviting import complete_hand_over
from models.org import Organisation
from models.people import ChatLink, CodeAttempt, Person, claim_invite, find_invite, grant_role, link_chat


@dataclass(frozen=True)
class LinkOutcome:
    result: str  # linked | locked | unknown | revoked | used | expired
    values: dict[str, Any] = field(default_factory=dict)


async def redeem_invite(
    *,
    session: AsyncSession,
    code: str,
    key: bytes,
    channel: str,
    account_id: str,
    display_name: str | None,
    now: datetime,
    max_failures: int,
    lockout: timedelta,
) -> LinkOutcome:
    attempt = await session.get(CodeAttempt, (channel, account_id))
    if attempt and attempt.locked_until and attempt.locked_until > now:
        return LinkOutcome("locked", {"until": attempt.locked_until})
    if attempt and attempt.locked_until and attempt.locked_until <= now:
        attempt.failures, attempt.locked_until = 0, None

    invite = await find_invite(session=session, code=code, key=key)
    problem = None
    if invite is None:
        problem = "unknown"
    elif invite.revoked_at is not None:
        problem = "revoked"
    elif invite.used_at is not None:
        problem = "used"
    elif invite.expires_at <= now:
        problem = "expired"
    elif not await claim_invite(session=session, invite_id=invite.id, now=now):
        problem = "used"  # redeemed by someone else a moment ago
    if problem:
        attempt = attempt or CodeAttempt(channel=channel, account_id=account_id)
        attempt.failures += 1
        if attempt.failures >= max_failures:
            attempt.locked_until = now + lockout
        session.add(attempt)
        await session.flush()
        left = max(max_failures - attempt.failures, 0)
        return LinkOutcome(problem, {"tries_left": left, "until": attempt.locked_until})

    # A chat already linked stays that person; else the person the invite is bound to (made in
    # chat: a roster member, or a candidate who has one), else a new one.
    person = await _person_for(session, channel, account_id) or await _bound_person(session, invite)
    if person is None:
        name = invite.full_name
        candidate = await session.get(Candidate, invite.candidate_id) if invite.candidate_id else None
        if candidate is not None:
            name = candidate.full_name
        person = Person(full_name=name or display_name or "?", created_at=now)
        session.add(person)
        await session.flush()
    await link_chat(session=session, channel=channel, account_id=account_id,
                    person_id=person.id, now=now)
    await grant_role(session=session, person_id=person.id, org_id=invite.org_id, role=invite.role)
    if invite.candidate_id:
        candidate = await session.get(Candidate, invite.candidate_id)
        if candidate is not None:
            candidate.person_id = person.id
    invite.used_at, invite.person_id = now, person.id
    audit(session=session, at=now, person_id=person.id, action="invite.redeem", subject=f"invite:{invite.id}")
    if attempt:
        await session.delete(attempt)
    await session.flush()
    handed = await complete_hand_over(session=session, invite=invite, person_id=person.id, now=now)
    org = await session.get(Organisation, invite.org_id)
    return LinkOutcome("linked", {"role": invite.role, "org_name": org.name if org else "", "handed_over": handed})


async def _bound_person(session: AsyncSession, invite) -> Person | None:
    if invite.person_id is not None:
        return await session.get(Person, invite.person_id)
    candidate = await session.get(Candidate, invite.candidate_id) if invite.candidate_id else None
    if candidate is not None and candidate.person_id is not None:
        return await session.get(Person, candidate.person_id)
    return None


async def _person_for(session: AsyncSession, channel: str, account_id: str) -> Person | None:
    rows = await session.exec(
        select(Person).join(ChatLink, ChatLink.person_id == Person.id)
        .where(ChatLink.channel == channel, ChatLink.account_id == account_id))
    return rows.first()
