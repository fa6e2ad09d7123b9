"""Fixtures: a fresh database for every test (SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set), a frozen clock, chibo over that database, demo data."""

import os
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
from tests.support import Convo

PG_URL = os.environ.get("TEST_DATABASE_URL")
# 09:00 in Hà Nội on Monday 2 March 2026.
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
async def database_url(tmp_path):
    if not PG_URL:
        url = f"sqlite+aiosqlite:///{tmp_path}/chibo.sqlite3"
        engine = create_async_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(SQLModel.metadata.create_all)
        await engine.dispose()
        yield url
        return
    engine = create_async_engine(PG_URL)
    async with engine.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all)
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
    app = Chibo(settings, clock)
    yield app
    await app.close()


@pytest.fixture
async def demo(chibo):
    async with chibo.sessions() as session, session.begin():
        await create_demo(session=session, now=chibo.clock.now(), today=chibo.clock.today())
    return chibo


@pytest.fixture
def talk(demo):
    """talk("bithu") is a conversation of that console account with the demo chibo."""

    def make(account: str = "bithu") -> Convo:
        return Convo(demo, account=account)

    return make
