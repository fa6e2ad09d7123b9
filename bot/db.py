"""Database engine and sessions: SQLite (aiosqlite) by default, PostgreSQL (asyncpg) to scale."""

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

import models  # noqa: F401  (registers every table)
from bot import sqlite_driver
from bot.private import private_file


# PostgreSQL: a connection that sat in the pool this long is pinged before it is used again (a
# restart or an idle timeout may have closed it); one in steady use is not. Pinging every
# checkout (pool_pre_ping) cost one round trip in six a message (bench/engine.py). A connection
# idle through a restart is pinged and replaced; one used within the second before a quicker
# restart fails its statement, and then every other connection is pinged (_ping_when_idle).
IDLE_BEFORE_PING = 1.0  # seconds


def make_engine(url: str, *, idle_before_ping: float = IDLE_BEFORE_PING,
                clock: Callable[[], float] = time.monotonic) -> AsyncEngine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and not path.startswith("file:"):
            private_file(path)  # before SQLite makes it with the umask's mode
        # SQLite has one writer at a time: one pooled connection makes chibo's own tasks
        # queue in order instead of spinning in SQLite's busy handler.
        # aiosqlite taking one trip to its thread a statement (bot/sqlite_driver.py).
        args, kwargs = SQLiteDialect_aiosqlite().create_connect_args(make_url(url))
        engine = create_async_engine(url, hide_parameters=True, pool_size=1, max_overflow=0, pool_timeout=60,
                                     async_creator=lambda: sqlite_driver.connect(*args, **kwargs, timeout=30))
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # Newest first: the connections beyond what the load needs idle out (and are pinged when
    # next used), instead of each being used in turn just often enough to escape the ping.
    engine = create_async_engine(url, pool_use_lifo=True, hide_parameters=True)
    _ping_when_idle(engine, idle_before_ping, clock)
    return engine


def _ping_when_idle(engine: AsyncEngine, idle_before_ping: float, clock: Callable[[], float]) -> None:
    """A connection back from the pool after `idle_before_ping` seconds or more is pinged; a
    dead one is replaced by a new connection (the pool tries again on DisconnectionError).
    Once one connection is found lost, every one put back before then is pinged too."""
    lost_at = [float("-inf")]

    def checkin(_dbapi_connection, record) -> None:
        record.info["idle_since"] = clock()  # `info` lives as long as the DBAPI connection

    def invalidated(_dbapi_connection, _record, _error) -> None:
        lost_at[0] = clock()

    def checkout(dbapi_connection, record, _proxy) -> None:
        since = record.info.get("idle_since")
        if since is None or (clock() - since < idle_before_ping and since > lost_at[0]):
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise DisconnectionError("the connection was closed while it sat in the pool") from error

    event.listen(engine.sync_engine, "checkin", checkin)
    event.listen(engine.sync_engine, "checkout", checkout)
    event.listen(engine.sync_engine, "invalidate", invalidated)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    (mode,) = cursor.fetchone()
    driver = getattr(dbapi_connection, "driver_connection", None)
    if isinstance(driver, sqlite_driver.Connection):  # under WAL a lookup waits for no writer
        driver.reads_here = mode.lower() == "wal"
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # What is deleted or overwritten is zeroed in the file, not only unlinked: an erased
    # person's name must not stay readable in free pages (chibo person erase, retention).
    cursor.execute("PRAGMA secure_delete=ON")
    # 64 MiB of page cache (the default is 2 MiB): a reminder run inserts a great many outbox
    # rows in one statement, and with a small cache SQLite spills pages mid-transaction.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


def backup_sqlite(source: Path, target: Path) -> tuple[int, str]:
    """A consistent copy of a live SQLite database (SQLite's online backup: it reads one snapshot
    while chibo goes on writing), in one self-contained file readable by its owner only.
    Returns the number of tables and the copy's integrity check ("ok" when sound)."""
    private_file(target)
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # the copy stands alone, with no -wal beside it
        result = dst.execute("PRAGMA integrity_check").fetchone()[0]
        tables = dst.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        return tables, result
    finally:
        dst.close()
        src.close()
