"""aiosqlite with one trip to its thread per statement, for SQLAlchemy's aiosqlite dialect.

aiosqlite runs every sqlite3 call in a thread of its own and hands each result back through
the event loop. SQLAlchemy's adapter makes four such calls for a SELECT (make a cursor,
execute, fetch all, close it) and three for a write, and a commit or rollback is one more even
when there is no transaction. Each trip wakes the thread, then the loop: on a busy machine that
costs far more than SQLite's own work (bench/engine.py: about 30 trips a message, where SQLite
needs 4 or 5 statements). Here a cursor is made, run, read to the end and closed in ONE trip,
and a commit or rollback with no transaction open costs none. Same sqlite3, same thread, same
statements and transactions: only the trips change.

A statement that carries AND_COMMIT (`insert(...).prefix_with(AND_COMMIT)`) commits its
transaction in the trip that runs it: for the last statement of a transaction, whose commit
then needs no trip of its own (the engine's write of a chat's row, bot/engine/chat_row.py).

Results are read whole at execute: chibo streams no large results from SQLite.
"""

import sqlite3
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

import aiosqlite

# In a statement (an SQL comment), asks that its transaction be committed in the same trip.
AND_COMMIT = "/* and commit */"


class Cursor:
    """What SQLAlchemy's adapter needs of an aiosqlite cursor, with every sqlite3 call of one
    statement done in one trip."""

    arraysize = 1

    def __init__(self, connection: "Connection") -> None:
        self._connection = connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: deque[Any] = deque()

    async def __aenter__(self) -> "Cursor":  # SQLAlchemy enters the cursor: nothing to do yet
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    def _run(self, call: Callable[[sqlite3.Cursor], Any], commit: bool) -> tuple[Any, int, int | None, list[Any]]:
        connection = self._connection._conn
        cursor = connection.cursor()
        try:
            call(cursor)
            rows = cursor.fetchall() if cursor.description else []
            if commit and connection.in_transaction:
                connection.commit()
            return cursor.description, cursor.rowcount, cursor.lastrowid, rows
        finally:
            cursor.close()

    async def _trip(self, call: Callable[[sqlite3.Cursor], Any], commit: bool = False) -> "Cursor":
        self.description, self.rowcount, self.lastrowid, rows = await self._connection._execute(self._run, call,
                                                                                                commit)
        self._rows = deque(rows)
        return self

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> "Cursor":
        return await self._trip(lambda c: c.execute(sql, () if parameters is None else parameters),
                                AND_COMMIT in sql[:40])

    async def executemany(self, sql: str, parameters: Sequence[Sequence[Any]]) -> "Cursor":
        return await self._trip(lambda c: c.executemany(sql, parameters))

    async def fetchall(self) -> list[Any]:
        rows, self._rows = list(self._rows), deque()
        return rows

    async def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return [self._rows.popleft() for _ in range(min(size or self.arraysize, len(self._rows)))]

    async def close(self) -> None:
        self._rows.clear()


class Connection(aiosqlite.Connection):
    """aiosqlite's connection (its thread, its queue) with cursors that take one trip a statement,
    and lookups read with no trip at all (`fetch_here`) where the database is in WAL mode."""

    reads_here = False  # the database is in WAL mode (bot/db.py): readers wait for no writer

    def cursor(self) -> Cursor:  # type: ignore[override]
        return Cursor(self)

    def fetch_here(self, sql: str, parameters: Sequence[Any]) -> list[Any]:
        """The rows of a lookup (a plain SELECT of a few rows: a chat's, a person's), read on the
        calling thread, the event loop's, with no trip to aiosqlite's. Only for the connection's
        one user (a pooled connection checked out), between its trips, and only in WAL mode
        (`reads_here`), where a read takes no lock a writer holds: SQLite reads such a row in some
        tens of microseconds, where a trip to its thread and back costs the event loop about a
        hundred. Writes and row locks still go to the thread, where waiting for another
        process's write (busy_timeout) holds up no other chat."""
        cursor = self._conn.cursor()
        try:
            return cursor.execute(sql, parameters).fetchall()
        finally:
            cursor.close()

    async def commit(self) -> None:
        if self._conn.in_transaction:  # read without a trip: the connection is idle between calls
            await self._execute(self._conn.commit)

    async def rollback(self) -> None:
        if self._conn.in_transaction:
            await self._execute(self._conn.rollback)


def connect(database: str, **kwargs: Any) -> Connection:
    """Like aiosqlite.connect (the thread is a daemon, as SQLAlchemy makes aiosqlite's)."""
    connection = Connection(lambda: sqlite3.connect(database, **kwargs), 64)
    connection._thread.daemon = True
    return connection
