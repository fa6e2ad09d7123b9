"""The outbox: every reminder due becomes a row with a unique key, then a dispatcher sends it.

The key (kind + subject + period + recipient) makes enqueueing idempotent: a restart, a
catch-up after downtime or a second process inserts nothing new. Rows of one person that are
due together go out as one message.

A channel with a monthly quota (Zalo) counts what it sends in `SentCount`; when the quota is
spent, reminders are held until the month turns, and then the kinds in `FIRST_WHEN_RESUMED`
(digests, deadlines) go first.
"""

from collections.abc import AsyncIterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from models.sql import dialect_insert, insert_for
from models.base import enum_field
from models.consent import waiting_people
from models.people import ChatLink
from models.statements import Statements


class OutboxStatus(StrEnum):
    pending = "pending"
    in_flight = "in_flight"
    sent = "sent"
    failed = "failed"  # permanent: the person blocked chibo, left, or has no chat


class Outbox(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_outbox_status_due", "status", "due_at"),)
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=160, unique=True)
    # No foreign keys here (migration 0005): a queue written in bulk, whose rows come from joins
    # with person and organisation; on PostgreSQL each key check locks the row it points to.
    person_id: int = Field(index=True)
    kind: str = Field(max_length=40)
    template: str = Field(max_length=80)  # messages/vi/<template>.j2 renders this item
    values: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    # A branch whose secretary hears about a permanent failure (None: nobody to tell).
    branch_id: int | None = None
    created_at: datetime
    due_at: datetime
    status: OutboxStatus = enum_field(default=OutboxStatus.pending)
    attempts: int = 0
    lease_until: datetime | None = None
    sent_at: datetime | None = None
    error: str | None = Field(default=None, max_length=80)


class SentCount(SQLModel, table=True):
    """Messages a channel sent in one calendar month (Vietnam time), against its plan's quota."""

    channel: str = Field(primary_key=True, max_length=16)
    month: date = Field(primary_key=True)  # its first day
    sent: int = 0
    spent: bool = False  # the platform said the quota is used up (429), whatever the count


# Held reminders that go first when a spent quota returns: the committees' digests, and the
# reminders of a deadline (a meeting, a closing enrolment, a decision or a report due).
FIRST_WHEN_RESUMED = frozenset({
    "digest_week", "digest_month", "review_due", "survey_due", "enrol_closing", "certificate_expiring",
    "certificate_expired", "dossier_ageing", "ceremony_due", "ceremony_overdue", "personal_history_due",
    "personal_history_overdue", "probation_ending", "recognition_overdue", "report_due",
})


class ReminderRun(SQLModel, table=True):
    """A day whose reminders have all been enqueued, and when. A restart replays the days since
    the last one (a quiet day leaves no outbox row to tell when chibo last ran)."""

    day: date = Field(primary_key=True)
    at: datetime


@dataclass(frozen=True)
class Due:
    """A reminder that is due: to whom, about what (its template and values), and its key."""

    key: str
    person_id: int
    kind: str
    template: str
    values: dict[str, Any] = field(default_factory=dict)
    branch_id: int | None = None


async def enqueue(*, session: AsyncSession, items: AsyncIterable[Due], now: datetime, batch: int = 500) -> int:
    """Insert what is not yet in the outbox, in batches; returns how many were new."""
    new = 0
    chunk: list[dict[str, Any]] = []
    async for item in items:
        chunk.append({"key": item.key, "person_id": item.person_id, "kind": item.kind,
                      "template": item.template, "values": _jsonable(item.values),
                      "branch_id": item.branch_id, "created_at": now, "due_at": now,
                      "status": OutboxStatus.pending, "attempts": 0})
        if len(chunk) >= batch:
            new += await _flush(session, chunk)
            chunk = []
    if chunk:
        new += await _flush(session, chunk)
    return new


async def _flush(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    """Insert a batch, leaving out people with no chat account: nothing could reach them."""
    persons = {r["person_id"] for r in rows}
    linked = set((await session.exec(sa.select(ChatLink.person_id).where(ChatLink.person_id.in_(persons)))).scalars())
    rows = [r for r in rows if r["person_id"] in linked]
    if not rows:
        return 0
    # One statement, many parameter sets: compiled once and cached, not once per row.
    table = Outbox.__table__
    stmt = dialect_insert(session)(table).on_conflict_do_nothing(index_elements=["key"]).returning(table.c.id)
    connection = await session.connection()
    result = await connection.execute(stmt, rows)
    return len(result.all())


async def enqueue_from(*, session: AsyncSession, query: sa.Select, now: datetime) -> int:
    """Insert the rows a query selects (key, person_id, kind, template, values, branch_id) in one
    statement, leaving out keys already there, people with no chat and those who have not
    consented; returns how many were new."""
    due = query.subquery()
    table = Outbox.__table__
    # A linked candidate who has not consented gets nothing but the notice (models/consent.py).
    reachable = sa.and_(sa.exists().where(ChatLink.person_id == due.c.person_id),
                        due.c.person_id.not_in(waiting_people()))
    rows = sa.select(due.c.key, due.c.person_id, due.c.kind, due.c.template, due.c["values"], due.c.branch_id,
                     sa.literal(now, table.c.created_at.type), sa.literal(now, table.c.due_at.type),
                     sa.literal(OutboxStatus.pending.value, table.c.status.type),
                     sa.literal(0, sa.Integer)).where(reachable)  # a WHERE: SQLite's upsert needs one here
    columns = ["key", "person_id", "kind", "template", "values", "branch_id", "created_at", "due_at", "status",
               "attempts"]
    stmt = dialect_insert(session)(table).from_select(columns, rows).on_conflict_do_nothing(index_elements=["key"])
    result = await session.exec(stmt)
    return result.rowcount


# Sent to a person even after they withdraw their consent: the answers to their own requests.
SENT_DESPITE_WITHDRAWAL = frozenset({"data_request_answer"})


async def drop_pending(*, session: AsyncSession, person_id: int) -> int:
    """When a candidate withdraws their consent, the reminders queued for them and not yet sent
    are dropped: from then on chibo sends them nothing but the notice (and the answers to their
    requests). How many were dropped."""
    result = await session.exec(sa.delete(Outbox).where(
        Outbox.person_id == person_id, Outbox.status == OutboxStatus.pending,
        Outbox.kind.not_in(SENT_DESPITE_WITHDRAWAL)).execution_options(synchronize_session=False))
    return result.rowcount


async def record_run(*, session: AsyncSession, day: date, now: datetime) -> None:
    """Note that every reminder of `day` is enqueued (again: keep the first time)."""
    stmt = dialect_insert(session)(ReminderRun).values(day=day, at=now).on_conflict_do_nothing(index_elements=["day"])
    await session.exec(stmt)


async def last_run_day(session: AsyncSession) -> date | None:
    return (await session.exec(sa.select(sa.func.max(ReminderRun.day)))).scalar()


# The month's counts, asked at each message a channel sends: statements built once (Statements).
_SENT = SentCount.__table__
_USAGE = sa.select(_SENT.c.sent, _SENT.c.spent).where(_SENT.c.channel == sa.bindparam("channel"),
                                                      _SENT.c.month == sa.bindparam("month"))


@lru_cache(maxsize=2)
def _add_sent(dialect: str) -> sa.Insert:
    insert = insert_for(dialect)(_SENT).values(channel=sa.bindparam("channel"), month=sa.bindparam("month"),
                                               sent=sa.bindparam("n"), spent=False)
    return (insert.on_conflict_do_update(index_elements=[_SENT.c.channel, _SENT.c.month],
                                         set_={"sent": _SENT.c.sent + insert.excluded.sent})
            .returning(_SENT.c.sent))


@lru_cache(maxsize=2)
def _flag_spent(dialect: str) -> sa.Insert:
    insert = insert_for(dialect)(_SENT).values(channel=sa.bindparam("channel"), month=sa.bindparam("month"),
                                               sent=0, spent=True)
    return (insert.on_conflict_do_update(index_elements=[_SENT.c.channel, _SENT.c.month], set_={"spent": True},
                                         where=_SENT.c.spent.is_(False))
            .returning(_SENT.c.spent))


async def add_sent(*, db: Statements, channel: str, month: date, n: int = 1) -> int:
    """Count `n` more messages sent in `month`; the month's total so far."""
    [(total,)] = await db.rows(_add_sent(db.dialect.name), {"channel": channel, "month": month, "n": n})
    return total


async def flag_spent(*, db: Statements, channel: str, month: date) -> bool:
    """Note that the platform called the month's quota used up; False if it was noted already."""
    return bool(await db.rows(_flag_spent(db.dialect.name), {"channel": channel, "month": month}))


async def month_usage(*, db: Statements, channel: str, month: date) -> tuple[int, bool]:
    """Messages sent in `month`, and whether the platform called the quota used up."""
    rows = await db.rows(_USAGE, {"channel": channel, "month": month})
    return (rows[0][0], bool(rows[0][1])) if rows else (0, False)


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in values.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, (list, tuple)):
            value = [v.isoformat() if hasattr(v, "isoformat") else v for v in value]
        out[name] = value
    return out


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 1, 2, 4 … minutes, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))
