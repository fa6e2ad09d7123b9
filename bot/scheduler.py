"""Time: a few cron jobs that compute what is due and hand it to the dispatcher.

APScheduler (3.x) runs in chibo's event loop with an in-memory job store: no schedule state
lives only there. A job that missed its time while chibo was down runs once at start
(unlimited misfire grace, coalesced); the outbox keys make any re-run harmless.
"""

import asyncio
import logging
import os
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import VN, local
from bot.dispatcher import Dispatcher
from bot.leader import Leadership
from bot.render import text_of
from models import retention
from models.data_requests import overdue_for_operator
from models.digests import committee_digests
from models.outbox import Outbox, enqueue, enqueue_from, last_run_day, record_run
from models.reminders import due_on
from models.retention import Purged

log = logging.getLogger(__name__)

# Reminder kinds enqueued at once on PostgreSQL (each its own connection and transaction).
# The work is the database server's; this host's core count stands in for its size (at most
# 4, well inside the connection pool).
PARALLEL_KINDS = min(4, os.cpu_count() or 2)


async def enqueue_due(sessions: async_sessionmaker[AsyncSession], at: datetime, *,
                      now: datetime | None = None) -> int:
    """Every reminder due on the day of `at` (Vietnam time) into the outbox; how many were new.

    Each kind's query is its own short transaction, so conversations are not held up for long;
    on PostgreSQL a few run side by side (SQLite has one writer: there they take turns)."""
    today, now = local(at).date(), now or at
    async with sessions() as session:
        queries = [query async for query in due_on(session=session, today=today)]
        side_by_side = 1 if session.bind.dialect.name == "sqlite" else PARALLEL_KINDS
    turns = asyncio.Semaphore(side_by_side)

    async def insert(query) -> int:
        async with turns, sessions() as session, session.begin():
            return await enqueue_from(session=session, query=query, now=now)

    async def digests() -> int:
        async with turns, sessions() as session, session.begin():
            return await enqueue(session=session, items=committee_digests(session, today), now=now)

    # A kind that fails does not hold back the others (each is its own transaction, and the keys
    # make a second try harmless); the day is recorded as run only when all went in.
    results = await asyncio.gather(*(insert(query) for query in queries), digests(), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, Exception):
            raise result  # a cancellation or an interrupt goes on up
    failures = [r for r in results if isinstance(r, Exception)]
    for failure in failures:
        log.error("a reminder query failed on %s; the day will be run again", today, exc_info=failure)
    if not failures:
        async with sessions() as session, session.begin():
            await record_run(session=session, day=today, now=now)
    return sum(r for r in results if not isinstance(r, BaseException))


async def catch_up(sessions: async_sessionmaker[AsyncSession], dispatcher: Dispatcher, at: datetime,
                   *, max_days: int = 7) -> tuple[int, int]:
    """At start: replay the days since the last run (at most a week), then dispatch.

    APScheduler would only run a missed job once, as of now; a reminder whose window fell
    entirely inside the downtime would be skipped. Replaying is harmless: the keys dedupe."""
    today = local(at).date()
    async with sessions() as session:
        last = await last_run_day(session)
        if last is None:  # no run recorded yet (a database from before migration 0006)
            newest = (await session.exec(sa.select(sa.func.max(Outbox.created_at)))).scalar()
            last = local(newest).date() if newest else None
    first = max(last or today, today - timedelta(days=max_days))
    if last and last < first:
        log.warning("chibo was stopped from %s: only the last %d days are replayed; what fell due "
                    "before comes back only in the weekly lists", last, max_days)
    new = 0
    day = first
    while day < today:
        new += await enqueue_due(sessions, datetime.combine(day, time(12), VN).astimezone(UTC), now=at)
        day += timedelta(days=1)
    more, sent = await tick(sessions, dispatcher, at)
    return new + more, sent


async def tick(sessions: async_sessionmaker[AsyncSession], dispatcher: Dispatcher, at: datetime) -> tuple[int, int]:
    """One full run as of `at`: compute, enqueue, dispatch. Returns (new items, messages sent)."""
    new = await enqueue_due(sessions, at)
    sent = await dispatcher.run_until_empty()
    log.info("tick: %d new reminders, %d messages sent", new, sent)
    await _remind_operator(sessions, local(at).date())
    return new, sent


async def _remind_operator(sessions: async_sessionmaker[AsyncSession], today) -> None:
    """The requests no one in chat answers (a committee member's) that are overdue: every run
    says so in the log, ids only, until the operator marks them (`chibo person answer`)."""
    async with sessions() as session:
        late = await overdue_for_operator(session, today)
    if late:
        log.warning("data requests %s are overdue and await the operator: chibo person requests --overdue",
                    ", ".join(map(str, late)))


async def purge(sessions: async_sessionmaker[AsyncSession], at: datetime, *, years: int) -> Purged:
    """The retention rules as of `at` (models/retention.py), in one transaction."""
    async with sessions() as session, session.begin():
        done = await retention.purge(session=session, now=at, today=local(at).date(),
                                     placeholder=text_of("common/erased_name").strip(), years=years)
    log.info("purge: %d message ids, %d message bodies, %d conversations, %d people anonymised",
             done.message_ids, done.message_bodies, done.conversations, done.people)
    return done


class Jobs:
    """The scheduler and the job runs under way, so that a stop lets them finish first
    (a run cut off in the middle would hold its database connection)."""

    def __init__(self, sessions, dispatcher: Dispatcher, clock, leadership: Leadership | None = None, *,
                 retention_years: int = retention.LEFT_PIPELINE_YEARS) -> None:
        self.leadership, self.dispatcher = leadership, dispatcher
        self.scheduler = AsyncIOScheduler(timezone=VN, job_defaults={"misfire_grace_time": None,
                                                                     "coalesce": True})
        self.running: set[asyncio.Task] = set()

        def tracked(work):
            async def job() -> None:
                task = asyncio.current_task()
                self.running.add(task)
                try:
                    await work()
                finally:
                    self.running.discard(task)
            return job

        async def reminders() -> None:
            if await self.leads():
                await tick(sessions, dispatcher, clock.now())

        async def forget() -> None:
            if await self.leads():
                await purge(sessions, clock.now(), years=retention_years)

        async def dispatch() -> None:  # in every process: claims are exclusive (skip locked rows)
            await dispatcher.run_until_empty()

        async def start() -> None:
            if await self.leads():
                await catch_up(sessions, dispatcher, clock.now())

        async def lead() -> None:
            """A process that becomes the leader (at start, or when the last one died) catches up."""
            was = self.leadership is None or self.leadership.leading
            if await self.leads() and not was:
                await catch_up(sessions, dispatcher, clock.now())

        # Reminders (and on Mondays and the 1st, the committees' digests) are computed at 07:30
        # and at noon; the dispatcher drains every minute, which also sends in the morning what
        # fell due in quiet hours. At start, whatever fell due while chibo was down.
        self.scheduler.add_job(tracked(reminders), "cron", hour=7, minute=30, id="morning")
        self.scheduler.add_job(tracked(reminders), "cron", hour=12, minute=0, id="noon")
        self.scheduler.add_job(tracked(dispatch), "interval", minutes=1, id="dispatch")
        # What chibo no longer needs goes once a day, at a quiet hour.
        self.scheduler.add_job(tracked(forget), "cron", hour=3, minute=15, id="purge")
        self.scheduler.add_job(tracked(start), id="catch_up")
        if leadership is not None:
            self.scheduler.add_job(tracked(lead), "interval", seconds=leadership.every.total_seconds(), id="lead")

    async def leads(self) -> bool:
        """Whether this process runs the reminders (always, without a leadership to share)."""
        return self.leadership is None or await self.leadership.try_lead()

    def start(self) -> None:
        self.scheduler.start()

    async def stop(self, timeout: float = 30) -> None:
        """No new run; a dispatch under way ends after the message in hand and gives back the rest
        of its claim; then the leader's lock is released, for another process to take at once."""
        self.scheduler.shutdown(wait=False)
        self.dispatcher.stop()
        if self.running:
            await asyncio.wait(self.running, timeout=timeout)
        if self.leadership is not None:
            await self.leadership.release()
