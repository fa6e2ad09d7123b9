"""Fixtures: a fresh database for every test (SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set), a frozen clock, chibo over that database, demo data.

Every test is guarded: an ERROR logged by chibo's own code (bot, handlers, models), or a reply
holding the generic apology, fails it unless the test is marked `expect_error`. A crash must
never pass as "an answer"."""

import asyncio
import logging
import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.util import LRUCache
from sqlmodel import SQLModel

import bot.app
import bot.db
import models  # noqa: F401
from bot.app import Chibo
from bot.clock import FixedClock
from bot.config import Settings
from bot.demo import create_demo
from tests import support
from tests.support import Convo

PG_URL = os.environ.get("TEST_DATABASE_URL")
# Under pytest-xdist (`pytest -n 2`, as .ci/run does) each worker process has a PostgreSQL database
# of its own, made anew at its start: DBNAME_gw0, DBNAME_gw1... (the role needs CREATEDB). The
# variable is set to it, for the test modules and the processes the tests start.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if PG_URL and WORKER:
    _base = make_url(PG_URL)
    PG_URL = _base.set(database=f"{_base.database}_{WORKER}").render_as_string(hide_password=False)
    os.environ["TEST_DATABASE_URL"] = PG_URL
os.environ["CHIBO_SECRET"] = support.TEST_SECRET
# 09:00 in Hà Nội on Monday 2 March 2026.
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


CHIBO_LOGGERS = ("bot", "handlers", "models")

# SQLAlchemy keeps the SQL it compiled per engine, keyed by the engine's dialect object: every test
# makes a chibo of its own, hence an engine of its own, and compiled each statement again (a
# quarter of a flow test's CPU). In the tests, the engines chibo makes share one dialect and one
# compiled cache per kind of database, so that a statement is compiled once per worker. The
# dialect shared is that of the first such engine to connect: a dialect learns the server's
# version and defaults at its engine's first connection (the same for every engine here), and
# one that never connected (an unreachable server's) is never shared.
_shared_compilation: dict[str, tuple] = {}
_make_engine = bot.db.make_engine


def _sharing_make_engine(url: str, **options) -> AsyncEngine:
    engine = _make_engine(url, **options)
    sync = engine.sync_engine
    kind = f"{sync.dialect.name}+{sync.dialect.driver}"
    if kind in _shared_compilation:
        sync.dialect, sync._compiled_cache = _shared_compilation[kind]
        return engine
    sync._compiled_cache = LRUCache(5000)

    def connected(*_) -> None:  # after the dialect's own first_connect: it knows the server now
        _shared_compilation.setdefault(kind, (sync.dialect, sync._compiled_cache))

    event.listen(sync, "first_connect", connected, once=True)
    return engine


bot.db.make_engine = bot.app.make_engine = _sharing_make_engine


class ErrorRecords(logging.Handler):
    """Keeps every ERROR (or worse) that chibo's own loggers emit during one test."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in CHIBO_LOGGERS:
            self.records.append(record)


# Modules whose tests run long (they start chibo processes, a browser or ruff, or run chibo's
# reminders over many days): run first, so that under xdist's worksteal (.ci/run) they are not
# what one worker is still doing alone at the end while the other waits. The order within a
# module is kept.
LONG_FIRST = ("test_two_processes.py", "test_dispatcher_crash.py", "test_reminders.py", "test_consent_reminders.py",
              "test_new_member_class_reminders.py", "test_page_browser.py", "test_migrations.py", "test_lint.py",
              "test_cli.py", "test_cli_import.py", "test_cli_report.py", "test_cli_target.py", "test_leader.py")


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order
    _postgresql_lane_only(config, items)


def _postgresql_lane_only(config, items):
    """On the PostgreSQL lane, run only the tests that can meet PostgreSQL: those built on the
    `database_url` fixture, and the modules that read TEST_DATABASE_URL themselves (the CLI and
    migration tests). Every other test (rules, parsers, writers, the CLI on a SQLite file of its
    own) does exactly the same on both lanes: the SQLite lane runs it, and the PostgreSQL lane
    reports it as deselected instead of running it a second time."""
    if not PG_URL:
        return
    reads_the_variable: dict[str, bool] = {}
    kept, twice = [], []
    for item in items:
        path = str(item.path)
        if path not in reads_the_variable:
            source = item.path.read_text(encoding="utf-8")
            reads_the_variable[path] = "TEST_DATABASE_URL" in source or "PG_URL" in source
        meets_the_database = "database_url" in getattr(item, "fixturenames", ()) or reads_the_variable[path]
        (kept if meets_the_database else twice).append(item)
    if twice:
        config.hook.pytest_deselected(items=twice)
        items[:] = kept


def pytest_sessionstart(session):
    if PG_URL and WORKER:
        asyncio.run(_make_worker_database(_base, make_url(PG_URL).database))


async def _make_worker_database(base: URL, name: str) -> None:
    conn = await asyncpg.connect(_asyncpg_dsn(base))
    try:
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except asyncpg.PostgresError:  # an autovacuum worker FORCE may not end: a plain DROP does
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await conn.execute(f'CREATE DATABASE "{name}"')
        # A test database is thrown away: waiting for each commit to reach the disk (about 1 ms
        # each, tens of commits a test) would only slow the run. Nothing else changes.
        await conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    finally:
        await conn.close()


@pytest.fixture(autouse=True)
def no_unexpected_errors(request):
    """Fails the test on an ERROR logged by chibo or an apology reply, unless marked expect_error."""
    expected = request.node.get_closest_marker("expect_error") is not None
    handler = ErrorRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    support.apology_expected = expected
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        support.apology_expected = False
    if handler.records and not expected:
        first = handler.records[0]
        detail = first.getMessage()
        if first.exc_info and first.exc_info[1] is not None:
            detail += f" ({type(first.exc_info[1]).__name__}: {first.exc_info[1]})"
        pytest.fail(f"chibo logged {len(handler.records)} unexpected error(s); first from {first.name}: {detail}")


# The schema is made once per run, not once per test: on SQLite a template file is copied, on
# PostgreSQL the tables stay and every test starts by emptying them.
_schema: dict[str, object] = {}


async def _create_schema(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all)
    await engine.dispose()


def _asyncpg_dsn(url: str | URL) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _emptying_script(conn: asyncpg.Connection) -> str:
    """What TRUNCATE ... RESTART IDENTITY does, done faster on tables this small: DELETE every
    table's rows (those that refer to others first), and restart the sequences the tables own."""
    tables = SQLModel.metadata.sorted_tables
    sequences = await conn.fetch(
        "SELECT s.oid::regclass::text AS name FROM pg_class s"
        " JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid AND d.deptype IN ('a', 'i')"
        " JOIN pg_class t ON t.oid = d.refobjid"
        " WHERE s.relkind = 'S' AND t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1::text[])",
        [t.name for t in tables])
    return "".join([*(f'DELETE FROM "{t.name}";\n' for t in reversed(tables)),
                    *(f"ALTER SEQUENCE {row['name']} RESTART;\n" for row in sequences)])


async def _empty_postgresql(url: str) -> None:
    """Every table emptied and its ids starting from 1 again, in one round trip."""
    conn = await asyncpg.connect(_asyncpg_dsn(url))
    try:
        script = _schema.get("postgresql")
        if script is None:
            script = _schema["postgresql"] = await _emptying_script(conn)
        await conn.execute(script)  # several statements: one implicit transaction
    finally:
        await conn.close()


@pytest.fixture
async def database_url(tmp_path, tmp_path_factory):
    if not PG_URL:
        template = _schema.get("sqlite")
        # mutmut runs pytest again and again in one process, and pytest removes old temporary
        # directories (its own and other runs' of the same user): make the schema again if gone.
        if template is None or not template.exists():
            template = tmp_path_factory.mktemp("schema") / "chibo.sqlite3"
            await _create_schema(f"sqlite+aiosqlite:///{template}")
            _schema["sqlite"] = template
        shutil.copyfile(template, tmp_path / "chibo.sqlite3")
        yield f"sqlite+aiosqlite:///{tmp_path}/chibo.sqlite3"
        return
    if "postgresql" not in _schema:
        await _create_schema(PG_URL)
    await _empty_postgresql(PG_URL)
    yield PG_URL


@pytest.fixture
def clock():
    return FixedClock(START)


# Reading the settings from the environment costs pydantic-settings some milliseconds a test: they
# are read once for each set of CHIBO_ variables (their only source here), then copied per test.
_settings_read: dict[tuple, Settings] = {}


@pytest.fixture
def settings(database_url):
    key = tuple(sorted((k.upper(), v) for k, v in os.environ.items() if k.upper().startswith("CHIBO_")))
    if key not in _settings_read:
        _settings_read[key] = Settings(_env_file=None)
    return _settings_read[key].model_copy(update={"database_url": database_url})


@pytest.fixture
async def chibo(settings, clock):
    app = Chibo(settings, clock, mark_every=0)  # answers marked sent at once: no waiting in tests
    yield app
    await app.close()


# The demo, by the clock it was made at: made once per run, then copied in. On SQLite the whole
# file is copied over the test's (what create_demo left, byte for byte); on PostgreSQL its rows
# are kept in tables of a schema of their own and copied from there in one round trip.
_demo_files: dict[tuple, Path] = {}
_demo_scripts: dict[tuple, str] = {}
_demo_rows: dict[tuple, list[tuple[sa.Table, list[dict]]]] = {}


async def _is_empty(chibo: Chibo) -> bool:
    """No row in any table: the demo may stand in for the database as a whole. (The query, over
    every table, is compiled once per dialect: building it and its cache key cost more than it.)"""
    key = f"empty:{chibo.db.dialect.name}"
    if key not in _schema:
        tables = SQLModel.metadata.sorted_tables
        query = sa.select(sa.or_(*(sa.exists(sa.select(sa.literal(1)).select_from(t)) for t in tables)))
        _schema[key] = str(query.compile(dialect=chibo.db.dialect, compile_kwargs={"literal_binds": True}))
    async with chibo.db.connect() as conn:
        return not (await conn.exec_driver_sql(_schema[key])).scalar()


async def _copy_in(chibo: Chibo, rows: list[tuple[sa.Table, list[dict]]]) -> None:
    async with chibo.db.begin() as conn:
        for table, values in rows:
            await conn.execute(table.insert(), values)
        if conn.dialect.name == "postgresql":
            for table, _ in rows:
                if "id" in table.c and table.c.id.autoincrement:
                    await conn.execute(sa.text(_setval(table)))


def _setval(table: sa.Table) -> str:
    return (f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
            f"(SELECT max(id) FROM \"{table.name}\"))")


async def _run_script(chibo: Chibo, script: str) -> None:
    """Several PostgreSQL statements in one round trip, one implicit transaction (asyncpg's
    simple protocol), on a connection of chibo's own pool."""
    async with chibo.db.connect() as conn:
        raw = await conn.get_raw_connection()
        await raw.driver_connection.execute(script)


async def _keep_demo_postgresql(chibo: Chibo, rows: list[tuple[sa.Table, list[dict]]]) -> str:
    """The demo's rows kept in a schema of their own; returns the script that copies them in."""
    schema = f"chibo_demo_{len(_demo_scripts)}"
    keep = [f"DROP SCHEMA IF EXISTS {schema} CASCADE;", f"CREATE SCHEMA {schema};"]
    copy = []
    for table, _ in rows:
        keep.append(f'CREATE TABLE {schema}."{table.name}" AS SELECT * FROM "{table.name}";')
        copy.append(f'INSERT INTO "{table.name}" SELECT * FROM {schema}."{table.name}";')
    copy += [f"{_setval(table)};" for table, _ in rows if "id" in table.c and table.c.id.autoincrement]
    await _run_script(chibo, "\n".join(keep))
    return "\n".join(copy)


async def _copy_file_in(chibo: Chibo, template: Path) -> None:
    """The test's SQLite file becomes a copy of `template`: its connections are closed first (the
    engine opens new ones on the copy), and a write-ahead log left beside it is removed."""
    await chibo.db.dispose()
    path = Path(chibo.db.url.database)
    for side in ("-wal", "-shm"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    shutil.copyfile(template, path)  # into the file that is there: its private mode stays


def _save_file(chibo: Chibo, template: Path) -> None:
    """A consistent copy of the test's SQLite file as it is now (SQLite's backup: WAL included)."""
    source = sqlite3.connect(chibo.db.url.database)
    target = sqlite3.connect(template)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


@pytest.fixture
async def demo(chibo, tmp_path_factory):
    key = (chibo.clock.now(), chibo.clock.today())
    sqlite = chibo.db.dialect.name == "sqlite"
    # As the schema's: pytest may have removed the file since (mutmut runs pytest again and again).
    if sqlite and key in _demo_files and _demo_files[key].exists() and await _is_empty(chibo):
        await _copy_file_in(chibo, _demo_files[key])
        return chibo
    if key in _demo_scripts:
        await _run_script(chibo, _demo_scripts[key])
        return chibo
    if key in _demo_rows:
        await _copy_in(chibo, _demo_rows[key])
        return chibo
    empty = await _is_empty(chibo)
    async with chibo.sessions() as session, session.begin():
        await create_demo(session=session, now=chibo.clock.now(), today=chibo.clock.today())
    if not empty:  # rows were there before the demo: this one is not the demo alone
        return chibo
    async with chibo.db.connect() as conn:
        rows = []
        for table in SQLModel.metadata.sorted_tables:
            values = [dict(row) for row in (await conn.execute(sa.select(table))).mappings()]
            if values:
                rows.append((table, values))
    _demo_rows[key] = rows
    if sqlite:
        template = tmp_path_factory.mktemp("demo") / "chibo.sqlite3"
        _save_file(chibo, template)
        _demo_files[key] = template
    else:
        _demo_scripts[key] = await _keep_demo_postgresql(chibo, rows)
    return chibo


@pytest.fixture
def talk(demo):
    """talk("bithu") is a conversation of that console account with the demo chibo."""

    def make(account: str = "bithu") -> Convo:
        return Convo(demo, account=account)

    return make
