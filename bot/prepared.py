"""A Core statement compiled once and run straight on a connection's DBAPI connection.

SQLAlchemy's own execute of an already compiled statement still computes the statement's
cache key, builds an execution context, fires its events and wraps the cursor in a result:
for the engine's two statements a message, that costs more CPU than the rest of their trip
(bench/engine.py). A Prepared keeps what that work yields and does not change between
calls (the SQL string, the order of its parameters, the type conversions of each parameter
and result column) and hands the statement to the DBAPI cursor itself. Same SQL, same
connection and transaction, same conversions: only SQLAlchemy's per-call bookkeeping goes.
(Its events do not see these statements: bench/engine.py counts them at the driver.)

A column an INSERT leaves out takes its default if that is a plain value (`default=False`), not
one computed in Python at each insert (refused). A list parameter ("IN", an expanding bindparam)
is compiled once per length of the list it is given (`prepared`).
"""

import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
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
    spread: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # a list parameter -> its items' names
    # A plain SELECT: it writes nothing and locks no row, so it may run outside a transaction
    # (bot/engine/transaction.py: on PostgreSQL a lookup begins none).
    lookup: bool = False
    # Worked out once, not at each call: each positional parameter with its conversion, and each
    # result column that has one (most have none: an id, a text).
    _plan: tuple[tuple[str, Callable[[Any], Any] | None], ...] = field(init=False, repr=False, compare=False)
    _converted: tuple[tuple[int, Callable[[Any], Any]], ...] = field(init=False, repr=False, compare=False)

    @classmethod
    def of(cls, statement: sa.Executable, dialect: Dialect, column_keys: Collection[str] = (),
           sizes: Mapping[str, int] | None = None) -> "Prepared":
        """`statement` as `dialect` runs it; an INSERT given no values writes `column_keys`; a list
        parameter ("IN") takes as many items as `sizes` says."""
        compiled = statement.compile(dialect=dialect, column_keys=list(column_keys) or None)
        computed = [column for column in compiled.insert_prefetch if not column.default.is_scalar]
        if not compiled.positional or computed or compiled.literal_execute_params:
            raise ValueError("a Prepared needs a positional dialect, no computed default and no literal parameter")
        results = tuple(type_._cached_result_processor(dialect, None) for *_, type_ in compiled._result_columns)
        defaults = {**compiled.construct_params(_check=False),
                    **{column.key: column.default.arg for column in compiled.insert_prefetch}}
        lookup = _is_lookup(statement, compiled.string)
        if not compiled.post_compile_params:
            return cls(sql=compiled.string, defaults=defaults, names=tuple(compiled.positiontup or ()),
                       binds=dict(compiled._bind_processors), results=results, lookup=lookup)
        lists = {bind.key for bind in compiled.post_compile_params}
        if sizes is None or set(sizes) != lists:
            raise ValueError(f"the list parameters {sorted(lists)} need their sizes")
        # SQLAlchemy's own expansion, of placeholder values: the SQL with one parameter an item.
        expanded = compiled.construct_expanded_state(
            {**{name: None for name in compiled.binds}, **{name: [None] * sizes[name] for name in lists}})
        return cls(sql=expanded.statement, defaults=defaults, names=tuple(expanded.positiontup or ()),
                   binds={**compiled._bind_processors, **(expanded.processors or {})}, results=results,
                   spread={name: tuple(items) for name, items in expanded.parameter_expansion.items()},
                   lookup=lookup)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_plan", tuple((name, self.binds.get(name)) for name in self.names))
        object.__setattr__(self, "_converted", tuple((at, convert) for at, convert in enumerate(self.results)
                                                     if convert is not None))

    def parameters(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        values = {**self.defaults, **params} if self.defaults else params
        for name, items in self.spread.items():
            values = {**values, **dict(zip(items, values[name], strict=True))}
        return tuple(values[name] if convert is None else convert(values[name]) for name, convert in self._plan)

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

    def fetch_here(self, driver: Any, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows of a lookup on such a driver connection, read on the event loop's own thread
        (bot/sqlite_driver.py's `fetch_here`)."""
        return [self._row(row) for row in driver.fetch_here(self.sql, self.parameters(params))]

    async def run_on(self, driver: Any, params: Mapping[str, Any]) -> int:
        """The statement's row count, on such a driver connection, as for `fetch_on`."""
        return (await self._executed_on(driver, params)).rowcount

    async def fetch_asyncpg(self, driver: Any, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows, on asyncpg's own connection, awaited straight from the event loop: in the
        transaction the connection is in, or in none (asyncpg's statements commit themselves),
        with no BEGIN of SQLAlchemy's adapter. The same SQL, parameters and type codecs as
        through the adapter (SQLAlchemy set the codecs up on the connection)."""
        return [self._row(row) for row in await driver.fetch(self.sql, *self.parameters(params))]

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
        if len(row) != len(self.results):
            raise ValueError(f"a row of {len(row)} columns where the statement selects {len(self.results)}")
        if not self._converted:
            return tuple(row)
        values = list(row)
        for at, convert in self._converted:
            values[at] = convert(values[at])
        return tuple(values)


# A write (in a CTE too), or a row lock (FOR UPDATE, FOR NO KEY UPDATE, FOR SHARE, FOR KEY SHARE).
_WRITES = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b|\bFOR (KEY )?SHARE\b")


def _is_lookup(statement: sa.Executable, sql: str) -> bool:
    """A SELECT that writes nothing (no INSERT, UPDATE or DELETE in a CTE) and locks no row."""
    return isinstance(statement, sa.Select) and not _WRITES.search(sql.upper())


def prepared(statement: sa.Executable, dialect: Dialect, params: Mapping[str, Any]) -> Prepared:
    """`statement` (one built once, a module's constant) as `dialect` runs it with `params`:
    compiled at its first use, and again only for a list parameter of a length not seen before."""
    return _sized(statement, dialect, tuple((name, len(params[name])) for name in _lists(statement, dialect)))


@lru_cache(maxsize=256)
def _lists(statement: sa.Executable, dialect: Dialect) -> tuple[str, ...]:
    return tuple(sorted(bind.key for bind in statement.compile(dialect=dialect).post_compile_params))


@lru_cache(maxsize=1024)
def _sized(statement: sa.Executable, dialect: Dialect, sizes: tuple[tuple[str, int], ...]) -> Prepared:
    return Prepared.of(statement, dialect, sizes=dict(sizes) if sizes else None)


def _drop_if_lost(connection: sa.Connection, cursor: Any, error: Exception) -> None:
    """What SQLAlchemy's own execute does when the database connection is gone (a server
    restart): the connection is thrown away instead of going back to the pool, where it would
    fail the next statement too (bot/db.py then pings the others before their next use)."""
    if connection.dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor):
        connection.invalidate(error)
