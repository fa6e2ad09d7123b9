"""Fixtures: a fresh database for every test (SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set), a frozen clock, chibo over that database, demo data.

Every test is guarded: an ERROR logged by chibo's own code (bot, handlers, models), or a reply
holding the generic apology, fails it unless the test is marked `expect_error`. A crash must
never pass as "an answer"."""

import logging
import os
import shutil
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import models  # noqa: F401
from bot.app import Chibo
from bot.clock import FixedClock
from bot.config import Settings
from bot.demo import create_demo
from tests import support
from tests.support import Convo

PG_URL = os.environ.get("TEST_DATABASE_URL")
os.environ["CHIBO_SECRET"] = support.TEST_SECRET
# 09:00 in Hà Nội on Monday 2 March 2026.
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


CHIBO_LOGGERS = ("bot", "handlers", "models")


class ErrorRecords(logging.Handler):
    """Keeps every ERROR (or worse) that chibo's own loggers emit during one test."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in CHIBO_LOGGERS:
            self.records.append(record)


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
        _schema["postgresql"] = True
    engine = create_async_engine(PG_URL)
    async with engine.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        await conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    await engine.dispose()
    yield PG_URL


@pytest.fixture
def clock():
    return FixedClock(START)


@pytest.fixture
def settings(database_url):
    return Settings(database_url=database_url, _env_file=None)


@pytest.fixture
async def chibo(settings, clock):
    app = Chibo(settings, clock, mark_every=0)  # answers marked sent at once: no waiting in tests
    yield app
    await app.close()


# The demo's rows, by the clock they were made at: made once per run, then copied in.
_demo_rows: dict[tuple, list[tuple[sa.Table, list[dict]]]] = {}


async def _copy_in(chibo: Chibo, rows: list[tuple[sa.Table, list[dict]]]) -> None:
    async with chibo.db.begin() as conn:
        for table, values in rows:
            await conn.execute(table.insert(), values)
        if conn.dialect.name == "postgresql":
            for table, _ in rows:
                if "id" in table.c and table.c.id.autoincrement:
                    await conn.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                        f"(SELECT max(id) FROM \"{table.name}\"))"))


@pytest.fixture
async def demo(chibo):
    key = (chibo.clock.now(), chibo.clock.today())
    rows = _demo_rows.get(key)
    if rows is not None:
        await _copy_in(chibo, rows)
        return chibo
    async with chibo.sessions() as session, session.begin():
        await create_demo(session=session, now=chibo.clock.now(), today=chibo.clock.today())
    async with chibo.db.connect() as conn:
        rows = []
        for table in SQLModel.metadata.sorted_tables:
            values = [dict(row) for row in (await conn.execute(sa.select(table))).mappings()]
            if values:
                rows.append((table, values))
    _demo_rows[key] = rows
    return chibo


@pytest.fixture
def talk(demo):
    """talk("bithu") is a conversation of that console account with the demo chibo."""

    def make(account: str = "bithu") -> Convo:
        return Convo(demo, account=account)

    return make
