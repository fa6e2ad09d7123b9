"""Database engine and sessions: SQLite (aiosqlite) by default, PostgreSQL (asyncpg) to scale."""

import sqlite3
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

import models  # noqa: F401  (registers every table)
from bot import sqlite_driver
from bot.private import private_file


def make_engine(url: str) -> AsyncEngine:
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
    return create_async_engine(url, pool_pre_ping=True, hide_parameters=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
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
