"""How long chibo keeps what it holds (Law 91/2025: no longer than the purpose needs), applied
once a day by the scheduler and by `chibo purge`:

- platform message ids (seen once, to ignore a redelivery): 30 days;
- the body of a message sent (or given up on): 30 days after;
- the answers of a conversation left unfinished: 7 days after its last word;
- a person who left the pipeline (removed, or transferred to another branch): anonymised
  (models/erasure.py) after a configurable number of years, 5 by default. An official member
  has not left: the branch's party record stays.

Each rule is one set-based statement, safe to run again.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.candidate import Candidate
from models.conversation import Conversation, ProcessedMessage
from models.erasure import Subject, erase, subject_of
from models.outbox import Outbox, OutboxStatus
from models.people import RoleGrant
from models.rules import add_months
from models.stage import Role, Stage

PROCESSED_IDS_DAYS = 30
OUTBOX_BODY_DAYS = 30
ABANDONED_ANSWERS_DAYS = 7
LEFT_PIPELINE_YEARS = 5
LEFT_STAGES = (Stage.removed, Stage.transferred)


@dataclass(frozen=True)
class Purged:
    message_ids: int
    message_bodies: int
    conversations: int
    people: int


async def purge(*, session: AsyncSession, now: datetime, today: date, placeholder: str,
                years: int = LEFT_PIPELINE_YEARS) -> Purged:
    """Apply every retention rule as of `now` (never committing)."""
    ids = await session.exec(sa.delete(ProcessedMessage).where(
        ProcessedMessage.at < now - timedelta(days=PROCESSED_IDS_DAYS)).execution_options(synchronize_session=False))
    done = sa.or_(sa.and_(Outbox.status == OutboxStatus.sent, Outbox.sent_at < now - timedelta(days=OUTBOX_BODY_DAYS)),
                  sa.and_(Outbox.status == OutboxStatus.failed,
                          Outbox.created_at < now - timedelta(days=OUTBOX_BODY_DAYS)))
    bodies = await session.exec(sa.update(Outbox).where(done, sa.cast(Outbox.values, sa.Text) != "{}")
                                .values(values={}).execution_options(synchronize_session=False))
    # an answer kept and never sent (a channel no longer run) holds names too
    left = sa.or_(Conversation.flow.is_not(None), sa.cast(Conversation.data, sa.Text) != "{}",
                  sa.cast(Conversation.choices, sa.Text) != "[]", Conversation.pending.is_not(None))
    talks = await session.exec(sa.delete(Conversation).where(
        Conversation.updated_at < now - timedelta(days=ABANDONED_ANSWERS_DAYS), left)
        .execution_options(synchronize_session=False))
    people = await expire_people(session=session, now=now, today=today, placeholder=placeholder, years=years)
    await session.flush()
    return Purged(message_ids=ids.rowcount, message_bodies=bodies.rowcount, conversations=talks.rowcount,
                  people=people)


def left_before(today: date, years: int) -> date:
    """Who left the pipeline before this day has been kept long enough."""
    return add_months(today, -12 * years)


async def expire_people(*, session: AsyncSession, now: datetime, today: date, placeholder: str,
                        years: int = LEFT_PIPELINE_YEARS) -> int:
    """Anonymise the candidate records that left the pipeline more than `years` ago, and their
    person too when nothing else of theirs is kept longer (no other role, no other record that
    is not due as well: someone transferred has a new record at the new branch)."""
    due = sa.and_(Candidate.erased_at.is_(None), Candidate.stage.in_([s.value for s in LEFT_STAGES]),
                  Candidate.stage_since < left_before(today, years))
    rows = list(await session.exec(select(Candidate).where(due).order_by(Candidate.id)))
    for candidate in rows:
        subject = Subject(candidate_ids=[candidate.id], names=[candidate.full_name])
        if candidate.person_id is not None and not await _kept_longer(session, candidate, due):
            subject = await subject_of(session=session, person_id=candidate.person_id)
        await erase(session=session, subject=subject, placeholder=placeholder, now=now, today=today, reason=None)
    return len(rows)


async def _kept_longer(session: AsyncSession, candidate: Candidate, due: sa.ColumnElement[bool]) -> bool:
    """Whether the candidate's person has a role or a record that must be kept for now."""
    role = (await session.exec(select(RoleGrant.id).where(
        RoleGrant.person_id == candidate.person_id, RoleGrant.role != Role.candidate).limit(1))).first()
    other = (await session.exec(select(Candidate.id).where(
        Candidate.person_id == candidate.person_id, Candidate.erased_at.is_(None), sa.not_(due)).limit(1))).first()
    return role is not None or other is not None
