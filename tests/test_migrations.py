"""The Alembic migrations build exactly the schema the models describe.

Each test migrates a fresh, empty database: a SQLite file, or (when TEST_DATABASE_URL
is set) a PostgreSQL database of its own, created beside the shared test database and
dropped afterwards; the shared one is left to conftest's fixtures. A model changed
without a migration makes `test_migrations_match_models` fail with the differences.
"""

import asyncio
import os
import sys
import uuid
from datetime import UTC, datetime
from pprint import pformat

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import models  # noqa: F401  (every table)
from bot.db import make_engine
from bot.migrate import alembic_config, upgrade
from models.people import Person

PG_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture
async def empty_database_url(tmp_path):
    if not PG_URL:
        yield f"sqlite+aiosqlite:///{tmp_path}/migrated.sqlite3"
        return
    base = make_url(PG_URL)
    name = f"{base.database}_mig_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(base, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            try:
                await conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            except sa.exc.DBAPIError as error:
                pytest.fail(f"cannot create a scratch database for the migration tests: {error}\n"
                            f"(the role in TEST_DATABASE_URL needs CREATEDB)")
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            try:
                await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            except sa.exc.DBAPIError:
                # FORCE will not end an autovacuum worker that has just started on the new
                # database unless the role has pg_signal_backend; a plain DROP ends it itself
                # (and this test's own connections are closed by now).
                await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        await admin.dispose()


async def migrate(url: str) -> None:
    # env.py runs its own event loop, so the upgrade goes to a worker thread.
    await asyncio.to_thread(upgrade, url)


async def inspect(url: str, look):
    """look(sync_connection) on the database at url."""
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(look)
    finally:
        await engine.dispose()


def schema_diff(connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, SQLModel.metadata)


def snapshot(connection) -> dict:
    """Tables with their columns, indexes, unique and foreign keys, as reflected."""
    found = sa.inspect(connection)
    return {table: (
        [(c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(table)],
        sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in found.get_indexes(table)),
        sorted(tuple(u["column_names"]) for u in found.get_unique_constraints(table)),
        sorted((tuple(f["constrained_columns"]), f["referred_table"]) for f in found.get_foreign_keys(table)),
    ) for table in sorted(found.get_table_names())}


def current_heads(connection) -> tuple[str, ...]:
    return MigrationContext.configure(connection).get_current_heads()


def script_heads(url: str) -> tuple[str, ...]:
    return tuple(ScriptDirectory.from_config(alembic_config(url)).get_heads())


def test_one_head():
    heads = script_heads("sqlite://")
    assert len(heads) == 1, f"the migrations branch: heads {heads}; add a merge revision"


async def test_migrations_match_models(empty_database_url):
    await migrate(empty_database_url)

    assert await inspect(empty_database_url, current_heads) == script_heads(empty_database_url)
    diff = await inspect(empty_database_url, schema_diff)
    assert diff == [], (
        "the migrated schema differs from the models; write a migration "
        "(alembic revision --autogenerate) for:\n" + pformat(diff))


async def test_upgrade_twice_is_harmless(empty_database_url):
    await migrate(empty_database_url)
    before = await inspect(empty_database_url, snapshot)
    engine = make_engine(empty_database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(sa.insert(Person.__table__).values(
                full_name="Nguyễn Văn A", created_at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC)))
    finally:
        await engine.dispose()

    await migrate(empty_database_url)

    assert await inspect(empty_database_url, current_heads) == script_heads(empty_database_url)
    assert await inspect(empty_database_url, snapshot) == before
    names = await inspect(empty_database_url, lambda c: c.execute(
        sa.text("SELECT full_name FROM person")).scalars().all())
    assert names == ["Nguyễn Văn A"]



@pytest.mark.skipif(not PG_URL, reason="several chibo processes share a PostgreSQL database only; on a SQLite "
                                        "file a second `chibo run` is refused (bot/dispatcher.py SqliteLock)")
async def test_two_processes_starting_together_migrate_once(empty_database_url, tmp_path):
    """Two chibo processes on one empty PostgreSQL database at the same moment (`chibo db upgrade`,
    as `chibo run` does at start): the second waits for the first (an advisory lock) and then
    finds the schema made, instead of failing on a table that already exists. Real processes:
    Alembic's context is one per process."""
    env = {**os.environ, "CHIBO_DATABASE_URL": empty_database_url, "CHIBO_DATA_DIR": str(tmp_path)}
    runs = [await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "db", "upgrade", env=env,
                                                 stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
            for _ in range(2)]
    outputs = await asyncio.wait_for(asyncio.gather(*(run.communicate() for run in runs)), timeout=300)

    assert [run.returncode for run in runs] == [0, 0], [out.decode(errors="replace")[-2000:] for out, _ in outputs]
    assert await inspect(empty_database_url, current_heads) == script_heads(empty_database_url)
    assert await inspect(empty_database_url, schema_diff) == []
