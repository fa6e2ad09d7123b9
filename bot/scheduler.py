"""Time: a few cron jobs that compute what is due and hand it to the dispatcher.

APScheduler (3.x) runs in chibo's event loop with an in-memory job store: no schedule state
lives only there. A job that missed its time while chibo was down runs once at start
(unlimited misfire grace, coalesced); the outbox keys make any re-run harmless.
"""

import asyncio
import logging
import os
from datetime import UTC, datetime, time, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import VN, local
from bot.dispatcher import Dispatcher
from models.digests import committee_digests
from models.outbox import enqueue, enqueue_from, last_run_day, record_run
from models.reminders import due_on

log = logging.getLogger(__name__)

# Reminder kinds enqueued at once on PostgreSQL (each its own connection and transaction):
# about one per core of the database server, whose work it is.
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

    async with asyncio.TaskGroup() as group:  # one failing cancels the rest; the day is not recorded
        tasks = [group.create_task(insert(query)) for query in queries] + [group.create_task(digests())]
    new = sum(task.result() for task in tasks)
    async with sessions() as session, session.begin():
        await record_run(session=session, day=today, now=now)
    return new


async def catch_up(sessions: async_sessionmaker[AsyncSession], dispatcher: Dispatcher, at: datetime,
                   *, max_days: int = 7) -> tuple[int, int]:
    """At start: replay the days since the last run (at most a week), then dispatch.

    APScheduler would only run a missed job once, as of now; a reminder whose window fell
    entirely inside the downtime would be skipped. Replaying is harmless: the keys dedupe."""
    today = local(at).date()
    async with sessions() as session:
        last = await last_run_day(session)
    first = max(last or today, today - timedelta(days=max_days))
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
    return new, sent


class Jobs:
    """The scheduler and the job runs under way, so that a stop lets them finish first
    (a run cut off in the middle would hold its database connection)."""

    def __init__(self, sessions, dispatcher: Dispatcher, clock) -> None:
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
            await tick(sessions, dispatcher, clock.now())

        async def dispatch() -> None:
            await dispatcher.run_until_empty()

        async def start() -> None:
            await catch_up(sessions, dispatcher, clock.now())

        # Reminders (and on Mondays and the 1st, the committees' digests) are computed at 07:30
        # and at noon; the dispatcher drains every minute, which also sends in the morning what
        # fell due in quiet hours. At start, whatever fell due while chibo was down.
        self.scheduler.add_job(tracked(reminders), "cron", hour=7, minute=30, id="morning")
        self.scheduler.add_job(tracked(reminders), "cron", hour=12, minute=0, id="noon")
        self.scheduler.add_job(tracked(dispatch), "interval", minutes=1, id="dispatch")
        self.scheduler.add_job(tracked(start), id="catch_up")

    def start(self) -> None:
        self.scheduler.start()

    async def stop(self, timeout: float = 30) -> None:
        self.scheduler.shutdown(wait=False)
        if self.running:
            await asyncio.wait(self.running, timeout=timeout)
