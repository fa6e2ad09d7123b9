"""A Core statement compiled once and run straight on a connection's DBAPI connection.

SQLAlchemy's own execute of an already compiled statement still computes the statement's
cache key, builds an execution context, fires its events and wraps the cursor in a result:
for the engine's two statements a message, that costs more CPU than the rest of their trip
(bench/engine.py). A Prepared keeps what that work yields and does not change between
calls (the SQL string, the order of its parameters, the type conversions of each parameter
and result column) and hands the statement to the DBAPI cursor itself. Same SQL, same
connection and transaction, same conversions: only SQLAlchemy's per-call bookkeeping goes.
(Its events do not see these statements: bench/engine.py counts them at the driver.)

For statements with neither expanding ("IN") parameters nor Python-side defaults.
"""

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


@dataclass(frozen=True)
class Prepared:
    sql: str
    defaults: Mapping[str, Any]  # values the statement carries itself (a literal)
    names: tuple[str, ...]  # the DBAPI's positional parameters, by name
    binds: Mapping[str, Callable[[Any], Any]]  # name -> Python to database value
    results: tuple[Callable[[Any], Any] | None, ...]  # column -> database to Python value

    @classmethod
    def of(cls, statement: sa.Executable, dialect: Dialect, column_keys: Collection[str] = ()) -> "Prepared":
        """`statement` as `dialect` runs it; an INSERT given no values writes `column_keys`."""
        compiled = statement.compile(dialect=dialect, column_keys=list(column_keys) or None)
        if not compiled.positional or compiled.post_compile_params or compiled.insert_prefetch:
            raise ValueError("a Prepared needs a positional dialect, no expanding parameter and no default")
        results = tuple(type_._cached_result_processor(dialect, None) for *_, type_ in compiled._result_columns)
        return cls(sql=compiled.string, defaults=compiled.construct_params(_check=False),
                   names=tuple(compiled.positiontup or ()), binds=dict(compiled._bind_processors),
                   results=results)

    def parameters(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        values = {**self.defaults, **params}
        return tuple(self.binds[name](values[name]) if name in self.binds else values[name]
                     for name in self.names)

    def fetch(self, connection: sa.Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows, on the connection's DBAPI connection (a session's: `session.connection()`);
        from within SQLAlchemy's sync world (run_sync)."""
        with self._executed(connection, params) as cursor:
            return [self._row(row) for row in cursor.fetchall()]

    def run(self, connection: sa.Connection, params: Mapping[str, Any]) -> int:
        """The statement's row count, on the connection, as for `fetch`."""
        with self._executed(connection, params) as cursor:
            return cursor.rowcount

    async def fetch_on(self, driver: Any, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows, on a driver connection that is asynchronous itself (bot/sqlite_driver.py's),
        awaited straight from the event loop: no greenlet, no SQLAlchemy."""
        cursor = await self._executed_on(driver, params)
        return [self._row(row) for row in await cursor.fetchall()]

    async def run_on(self, driver: Any, params: Mapping[str, Any]) -> int:
        """The statement's row count, on such a driver connection, as for `fetch_on`."""
        return (await self._executed_on(driver, params)).rowcount

    async def _executed_on(self, driver: Any, params: Mapping[str, Any]) -> Any:
        cursor = driver.cursor()
        await cursor.execute(self.sql, self.parameters(params))
        return cursor

    @contextmanager
    def _executed(self, connection: sa.Connection, params: Mapping[str, Any]) -> Iterator[Any]:
        """The DBAPI cursor of the connection, the statement executed on it."""
        cursor = connection.connection.cursor()
        try:
            cursor.execute(self.sql, self.parameters(params))
            yield cursor
        except Exception as error:
            _drop_if_lost(connection, cursor, error)
            raise
        finally:
            cursor.close()

    def _row(self, row: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(value if convert is None else convert(value)
                     for convert, value in zip(self.results, row, strict=True))


def _drop_if_lost(connection: sa.Connection, cursor: Any, error: Exception) -> None:
    """What SQLAlchemy's own execute does when the database connection is gone (a server
    restart): the connection is thrown away instead of going back to the pool, where it would
    fail the next statement too (bot/db.py then pings the others before their next use)."""
    if connection.dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor):
        connection.invalidate(error)
