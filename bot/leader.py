"""Which process runs the scheduled jobs when several chibo processes share one database.

PostgreSQL: the leader holds a session-level advisory lock on a connection of its own. When the
leader dies its connection closes and the server releases the lock (a clean stop releases it
itself); the others try again every CHIBO_LEADER_CHECK_SECONDS (20 by default) and one of them
takes over (well within a minute). SQLite: only one process may serve a SQLite file at all
(bot/dispatcher.SqliteLock refuses a second one at start), so that process leads.

The outbox's keys already make a reminder run harmless to repeat; one leader keeps the
database from doing the same work in every process, and digests from being computed twice.
"""

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

# A fixed key in PostgreSQL's advisory lock space: "chibo" in ASCII, then 1 for the scheduler.
SCHEDULER_LOCK = 0x636869626F01
LEAD_EVERY = timedelta(seconds=20)


class Leadership:
    def __init__(self, engine: AsyncEngine, key: int = SCHEDULER_LOCK, every: timedelta = LEAD_EVERY) -> None:
        self.engine, self.key = engine, key
        self.every = every  # how often a process that does not lead tries to (CHIBO_LEADER_CHECK_SECONDS)
        self._conn: AsyncConnection | None = None
        self._turn = asyncio.Lock()  # one check at a time on the one connection (the jobs that ask overlap)
        self.leading = engine.dialect.name != "postgresql"  # SQLite: the one process leads

    async def try_lead(self) -> bool:
        """True when this process leads now: it held the lock and still does, or just took it."""
        if self.engine.dialect.name != "postgresql":
            return True
        async with self._turn:
            return await self._check()

    async def _check(self) -> bool:
        """Two checks side by side on the one connection used to break it (asyncpg refuses a second
        operation in progress), and the broken one's clean-up could leave `leading` set with the
        lock gone: two leaders. Hence one at a time (try_lead)."""
        try:
            if self._conn is None:
                self._conn = await self.engine.connect()
            if self.leading:  # still held? A lost connection loses the lock with it
                await self._conn.execute(text("SELECT 1"))
                got = True
            else:
                got = (await self._conn.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                                {"key": self.key})).scalar()
            await self._conn.commit()  # the lock is the session's; no transaction is kept open
        except Exception:
            log.warning("the scheduler's leadership could not be checked; trying again later", exc_info=True)
            await self._drop()
            return False
        if got and not self.leading:
            log.info("this process now runs the scheduled jobs")
        self.leading = bool(got)
        return self.leading

    async def _drop(self) -> None:
        was, self.leading = self.leading, False
        if was:
            log.warning("this process no longer runs the scheduled jobs (its database connection was lost)")
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                await conn.invalidate()
            except Exception:  # already gone
                log.debug("the leader's connection was already closed", exc_info=True)

    async def release(self) -> None:
        """At a clean stop: hand the jobs over at once instead of when the connection times out."""
        async with self._turn:
            await self._release()

    async def _release(self) -> None:
        if self._conn is None:
            return
        try:
            if self.leading:
                await self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            await self._conn.close()
        except Exception:
            log.warning("the scheduler's lock could not be released; the server frees it with the connection",
                        exc_info=True)
        self._conn, self.leading = None, False
