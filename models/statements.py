"""Where a model's hot statements run: Statements runs a Core statement (one built once, a
module's constant, with bound parameters) in the caller's transaction, and gives its rows as
tuples (`rows`: a SELECT, or a write that RETURNs) or the number of rows it wrote (`run`).

In a chat, the engine's message transaction is the Statements (bot/engine/transaction.py): they
run straight on the message's connection, with no ORM session, whose setup, bookkeeping and
commit cost more CPU than such a message's routing and rendering together (bench/engine.py).
Elsewhere (the command line, the scheduler, the demo, tests) a session is: `SessionStatements`.
Either way, what an ORM session holds unsaved is flushed first, and what they write is
committed with the rest of the transaction. A lookup (a plain SELECT) is for a few rows, found
by an index: in a chat, SQLite reads it on the event loop's own thread.
"""

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel.ext.asyncio.session import AsyncSession


class Statements(Protocol):
    @property
    def dialect(self) -> Dialect: ...

    async def rows(self, statement: sa.Executable, params: Mapping[str, Any]) -> list[tuple[Any, ...]]: ...

    async def run(self, statement: sa.Executable, params: Mapping[str, Any]) -> int: ...


class SessionStatements:
    """A session as Statements, through its own execute (which writes what it holds unsaved first)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def dialect(self) -> Dialect:
        return self.session.bind.dialect

    async def rows(self, statement: sa.Executable, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in await self.session.exec(statement, params=params)]

    async def run(self, statement: sa.Executable, params: Mapping[str, Any]) -> int:
        return (await self.session.exec(statement, params=params)).rowcount


def insert_of(table: sa.Table, names: Iterable[str]) -> sa.Insert:
    """An INSERT of the columns named, each from the parameter of its name (taken as the column's
    type), the others their defaults. Built once, at import, as Statements' statements are."""
    return sa.insert(table).values({name: sa.bindparam(name) for name in names})
