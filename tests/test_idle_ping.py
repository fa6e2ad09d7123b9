"""PostgreSQL connections are pinged only after sitting idle in the pool (bot/db.py): one in
steady use costs no extra round trip, and one closed while idle is replaced before use."""

import os

import pytest
import sqlalchemy as sa

from bot.db import make_engine

URL = os.environ.get("TEST_DATABASE_URL")
pytestmark = pytest.mark.skipif(not URL, reason="PostgreSQL lane only: SQLite has no server to lose")


class Ticks:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def pinged_engine():
    ticks = Ticks()
    engine = make_engine(URL, idle_before_ping=1.0, clock=ticks)
    pings = []
    ping = engine.dialect.do_ping

    def counted(connection):
        pings.append(ticks.now)
        return ping(connection)

    engine.dialect.do_ping = counted  # the dialect is shared by the tests' engines (conftest.py)
    try:
        yield engine, ticks, pings
    finally:
        del engine.dialect.do_ping
        await engine.dispose()


async def backend_of(engine) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one()


async def test_a_connection_in_steady_use_is_not_pinged_and_one_back_after_a_second_is(pinged_engine):
    engine, ticks, pings = pinged_engine
    first = await backend_of(engine)  # a new connection: nothing to ping
    ticks.now += 0.5
    assert await backend_of(engine) == first
    assert pings == []
    ticks.now += 1.0
    assert await backend_of(engine) == first
    assert pings == [1001.5]


async def test_a_connection_closed_while_idle_is_replaced_before_use(pinged_engine):
    engine, ticks, pings = pinged_engine
    first = await backend_of(engine)
    killer = make_engine(URL)
    try:
        async with killer.connect() as conn:  # and waits until it has ended
            ended = await conn.execute(sa.text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": first})
            assert ended.scalar_one() is True
    finally:
        await killer.dispose()
    ticks.now += 2.0
    second = await backend_of(engine)  # no error: the ping found it closed, the pool made another
    assert second != first
    assert pings == [1002.0]
