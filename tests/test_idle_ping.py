"""PostgreSQL connections are pinged only after sitting idle in the pool (bot/db.py): one in
steady use costs no extra round trip, and one closed while idle is replaced before use."""

import asyncio
import os

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg

from bot.db import make_engine
from bot.prepared import Prepared

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


async def terminate(pid: int) -> None:
    """End a server process, as a restart or an administrator would (and wait until it has)."""
    killer = make_engine(URL)
    try:
        async with killer.connect() as conn:
            ended = await conn.execute(sa.text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
            assert ended.scalar_one() is True
    finally:
        await killer.dispose()


async def test_a_connection_closed_while_idle_is_replaced_before_use(pinged_engine):
    engine, ticks, pings = pinged_engine
    first = await backend_of(engine)
    await terminate(first)
    ticks.now += 2.0
    second = await backend_of(engine)  # no error: the ping found it closed, the pool made another
    assert second != first
    assert pings == [1002.0]


BACKEND = Prepared.of(sa.select(sa.func.pg_backend_pid()), PGDialect_asyncpg())


async def prepared_backend(engine) -> int:
    """As the engine reads a chat: a Prepared statement, straight on the connection's DBAPI cursor."""
    async with engine.connect() as connection:
        rows = await connection.run_sync(BACKEND.fetch, {})
        return rows[0][0]


@pytest.mark.parametrize("read", [backend_of, prepared_backend], ids=["through SQLAlchemy", "Prepared"])
async def test_a_connection_lost_in_steady_use_fails_once_and_every_idle_one_is_pinged_after(pinged_engine, read):
    """Closed within the second after its last use (a very quick restart), a connection is not
    pinged: the statement fails. It is thrown away, and every other connection in the pool is
    pinged before its next use: the next statements, two at once, run on new connections."""
    engine, ticks, pings = pinged_engine
    async with engine.connect() as a, engine.connect() as b:  # two connections in the pool
        first = (await a.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one()
        second = (await b.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one()
    await terminate(first)
    await terminate(second)
    ticks.now += 0.5
    with pytest.raises(sa.exc.DBAPIError if read is backend_of else Exception):
        await read(engine)
    assert pings == []
    ticks.now += 0.1
    third, fourth = await asyncio.gather(read(engine), read(engine))
    assert {third, fourth}.isdisjoint({first, second}) and third != fourth
