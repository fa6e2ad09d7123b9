"""One message's database transaction: a pooled connection held from the chat's read to its
write, and an ORM session on that connection opened only when a handler first asks for one.

Most messages (an answer typed into a flow, a choice) need nothing from the database but their
chat's row: they read it and write it on the connection itself (bot/engine/chat_row.py), and
pay for no session. A session's setup, its transaction bookkeeping, its commit and its close
cost more CPU than such a message's routing and rendering together (bench/engine.py). A
handler that looks things up or saves (`ctx.session`) gets a session joined to the same
connection and transaction: what it writes and the chat's row are committed together, as before.
A handler that only looks a few things up needs no session either: a model's lookup reads its
rows on the message's connection, and one that saves a row or two may write them there too
(`rows`, `run`: models/statements.py). A lookup (a plain SELECT) costs least: on SQLite it is
read on the event loop's thread, with no trip to SQLite's; on PostgreSQL it runs on asyncpg's
own connection and begins no transaction; a write begins one (through SQLAlchemy's adapter),
which the chat's write commits.
"""

import asyncio
import logging
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.util import greenlet_spawn
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import sqlite_driver
from bot.prepared import prepared

log = logging.getLogger(__name__)


class MessageTransaction:
    """`async with MessageTransaction(db, sessions) as tx:` a connection checked out for one
    message. The chat's write commits and gives the connection back (chat_row.write_chat, which
    sets `closed`); a message that stops before it (a repeat, a failure, Stale) has its session,
    if one was opened, and its connection closed on the way out, what it did rolled back, to the
    end even if its task is cancelled meanwhile."""

    def __init__(self, db: AsyncEngine, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._db = db
        self.dialect: Dialect = db.dialect
        self._sessions = sessions
        self._pooled: PoolProxiedConnection | None = None
        self._connection: AsyncConnection | None = None
        self._session: AsyncSession | None = None
        self.closed = False  # committed and given back (chat_row.write_chat)
        # PostgreSQL: the chat's lock (class, key) that the chat's read asked for and its write has
        # not yet let go (bot/engine/chat_row.py); let go on the way out if the write never ran.
        self.chat_lock: tuple[int, int] | None = None

    @property
    def driver(self) -> Any:
        """The driver's own connection (SQLite: bot/sqlite_driver.py's; PostgreSQL: asyncpg's)."""
        return self._pooled_connection().driver_connection

    @property
    def loop_driver(self) -> Any:
        """The driver's connection where chibo awaits it straight from the event loop (SQLite:
        bot/sqlite_driver.py's, one trip a statement); None where statements go through
        SQLAlchemy's adapter (asyncpg: the adapter begins and ends the driver's transactions)."""
        driver = self.driver
        return driver if isinstance(driver, sqlite_driver.Connection) else None

    async def rows(self, statement: sa.Executable, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows of `statement` (one built once: bot/prepared.py) in this message's transaction,
        with no session (models/statements.py)."""
        await self._flush_session()
        as_run = prepared(statement, self.dialect, params)
        driver = self.driver
        if isinstance(driver, sqlite_driver.Connection):  # a lookup read here, a write in SQLite's thread
            if as_run.lookup and driver.reads_here:
                return as_run.fetch_here(driver, params)
            return await as_run.fetch_on(driver, params)
        if as_run.lookup:  # PostgreSQL: a lookup begins no transaction (it joins one already begun)
            try:
                return await as_run.fetch_asyncpg(driver, params)
            except BaseException:
                self._drop_if_lost()
                raise
        return await self.connection.run_sync(as_run.fetch, params)

    async def run(self, statement: sa.Executable, params: Mapping[str, Any]) -> int:
        """How many rows `statement` wrote, as for `rows`."""
        await self._flush_session()
        as_run = prepared(statement, self.dialect, params)
        driver = self.loop_driver
        if driver is not None:
            return await as_run.run_on(driver, params)
        return await self.connection.run_sync(as_run.run, params)

    def _drop_if_lost(self) -> None:
        """A connection that a statement on asyncpg's own found closed (a server restart) is
        thrown away, not given back to the pool, as SQLAlchemy's own execute does."""
        if self._pooled is not None and self.driver.is_closed():
            self._pooled.invalidate()

    async def _flush_session(self) -> None:
        """What a handler's session holds unsaved, written first (as the session's own execute would)."""
        if self._session is not None and (self._session.new or self._session.dirty or self._session.deleted):
            await self._session.flush()

    @property
    def connection(self) -> AsyncConnection:
        """SQLAlchemy's connection over the pooled one, made when first needed (a session, or
        PostgreSQL's statements through SQLAlchemy's adapter): a message that needs neither
        does without its setup."""
        if self._connection is None:
            self._connection = AsyncConnection(self._db, sa.Connection(self._db.sync_engine,
                                                                       connection=self._pooled_connection()))
        return self._connection

    def _pooled_connection(self) -> PoolProxiedConnection:
        if self._pooled is None:
            raise RuntimeError("the message's transaction is not open")
        return self._pooled

    @property
    def session(self) -> AsyncSession:
        """The ORM session of this message, joined to its connection (opened at first use)."""
        if self._session is None:
            self._session = self._sessions(bind=self.connection)
        return self._session

    @property
    def opened_session(self) -> AsyncSession | None:
        """The session if a handler opened one, else None."""
        return self._session

    async def __aenter__(self) -> "MessageTransaction":
        self._pooled = await self._db.raw_connection()
        return self

    async def __aexit__(self, _type: type[BaseException] | None, _error: BaseException | None,
                        _trace: TracebackType | None) -> None:
        if self.closed:
            return
        # Not written: closed in a task of its own, shielded, so that a cancelled message still
        # gives its connection back, rolled back (by the pool, for a connection whose
        # transaction was left open).
        await asyncio.shield(asyncio.ensure_future(self.give_back()))

    async def commit(self) -> None:
        """What ran here committed and the connection given back: for a short transaction of its
        own beside a message's (a channel's record of a chat: bot/chat_state.py)."""
        if self._session is not None:
            await self._session.commit()
        elif (driver := self.loop_driver) is not None:
            await driver.commit()
        elif self._connection is not None:  # else only lookups ran, in no transaction
            await self.connection.run_sync(_commit_at_driver)
        await self.give_back()

    async def give_back(self) -> None:
        """The connection back to the pool, the session (if any) closed first: after the commit
        (chat_row.write_chat), or on the way out of a message that stopped before it, when the
        pool's reset rolls back what it left open."""
        try:
            if self._session is not None:
                await self._session.close()
            if self.chat_lock is not None:
                await self._let_go_of_chat()
        finally:
            if self._connection is not None:
                await self._connection.close()
            else:
                await greenlet_spawn(self._pooled_connection().close)  # the pool's rollback may await the driver
            self.closed = True
        # The connection went back to the pool without a pause, and asyncio's queue lets a running
        # task take it before the waiting one it woke: one turn of the loop, so that this task's
        # next use (the message's next step, its next message) does not jump the queue for ever.
        await asyncio.sleep(0)

    async def _let_go_of_chat(self) -> None:
        """The chat's lock let go, where the message stopped before its write (a repeat, a
        failure): what the message began rolled back first. A connection that cannot is thrown
        away (the server lets go of its locks as it closes)."""
        (lock_class, lock_chat), self.chat_lock = self.chat_lock, None
        try:
            await greenlet_spawn(self._pooled_connection().dbapi_connection.rollback)
            await self.driver.execute("SELECT pg_advisory_unlock($1, $2)", lock_class, lock_chat)
        except Exception as error:  # not raised over what stopped the message
            log.warning("a chat's lock could not be let go (%s): its connection is closed instead",
                        type(error).__name__)
            self._pooled_connection().invalidate()


# Where a channel's records get a short transaction of their own: a new one at each call
# (Chibo.transaction), with no ORM session.
Transactions = Callable[[], MessageTransaction]


def _commit_at_driver(connection: sa.Connection) -> None:
    """The driver's transaction committed, where SQLAlchemy's Connection began none (statements
    run as Prepared ones: the driver's adapter began it)."""
    connection.connection.commit()
