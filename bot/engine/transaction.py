"""One message's database transaction: a pooled connection held from the chat's read to its
write, and an ORM session on that connection opened only when a handler first asks for one.

Most messages (an answer typed into a flow, a choice) need nothing from the database but their
chat's row: they read it and write it on the connection itself (bot/engine/chat_row.py), and
pay for no session. A session's setup, its transaction bookkeeping, its commit and its close
cost more CPU than such a message's routing and rendering together (bench/engine.py). A
handler that looks things up or saves (`ctx.session`) gets a session joined to the same
connection and transaction: what it writes and the chat's row are committed together, as before.
"""

import asyncio
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession


class MessageTransaction:
    """`async with MessageTransaction(db, sessions) as tx:` a connection checked out for one
    message. The chat's write commits and gives the connection back (chat_row.write_chat, which
    sets `closed`); a message that stops before it (a repeat, a failure, Stale) has its session,
    if one was opened, and its connection closed on the way out, what it did rolled back, to the
    end even if its task is cancelled meanwhile."""

    def __init__(self, db: AsyncEngine, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._db = db
        self._sessions = sessions
        self._connection: AsyncConnection | None = None
        self._session: AsyncSession | None = None
        self.closed = False  # committed and given back (chat_row.write_chat)

    @property
    def connection(self) -> AsyncConnection:
        if self._connection is None:
            raise RuntimeError("the message's transaction is not open")
        return self._connection

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
        self._connection = await self._db.connect()
        return self

    async def __aexit__(self, _type: type[BaseException] | None, _error: BaseException | None,
                        _trace: TracebackType | None) -> None:
        if self.closed:
            return
        # Not written: closed in a task of its own, shielded, so that a cancelled message still
        # gives its connection back, rolled back (by the pool, for a connection whose
        # transaction was left open).
        await asyncio.shield(asyncio.ensure_future(self._close()))

    async def _close(self) -> None:
        try:
            if self._session is not None:
                await self._session.close()
        finally:
            await self.connection.close()
            self.closed = True
