"""bot/sqlite_driver.py: one trip to aiosqlite's thread per statement, none for a commit with no
transaction open, and a statement carrying AND_COMMIT commits in its own trip; and the engine's
message costs three trips at most (issue 17: bench/engine.py reports the figure at scale)."""

import os
import sqlite3

import aiosqlite
import pytest
import sqlalchemy as sa

from bot.db import make_engine
from bot.sqlite_driver import AND_COMMIT
from models.conversation import ProcessedMessage
from bot.events import Incoming
from tests.support import PLAIN, Convo

sqlite_only = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite's driver only")


@pytest.fixture
def trips(monkeypatch):
    """Calls handed to aiosqlite's thread, counted."""
    count = [0]
    execute = aiosqlite.Connection._execute

    async def counted(self, fn, *args, **kwargs):
        count[0] += 1
        return await execute(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return count


@sqlite_only
async def test_a_statement_is_one_trip_and_and_commit_commits_in_it(tmp_path, trips):
    path = tmp_path / "driver.sqlite3"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.begin() as conn:
            await conn.execute(sa.text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
        async with engine.connect() as conn:
            before = trips[0]
            rows = (await conn.execute(sa.text("SELECT 1, 'a' UNION ALL SELECT 2, 'b'"))).all()
            assert rows == [(1, "a"), (2, "b")] and trips[0] - before == 1
            await conn.commit()  # nothing written: no transaction, no trip
            assert trips[0] - before == 1

            before = trips[0]
            await conn.execute(sa.text(f"INSERT {AND_COMMIT} INTO t (v) VALUES ('kept')"))
            assert trips[0] - before == 1
            # committed already: another connection sees it before SQLAlchemy's commit
            assert sqlite3.connect(path).execute("SELECT v FROM t").fetchall() == [("kept",)]
            await conn.commit()
            assert trips[0] - before == 1

            await conn.execute(sa.text("INSERT INTO t (v) VALUES ('dropped')"))
            await conn.rollback()
            assert (await conn.execute(sa.text("SELECT v FROM t"))).scalars().all() == ["kept"]
    finally:
        await engine.dispose()


@sqlite_only
async def test_a_message_in_a_flow_takes_three_trips_at_most(demo, talk, trips):
    bithu = talk("bithu")
    await bithu.say("/them")
    before = trips[0]
    await demo.process(Incoming(channel="console", chat_id="bithu", sender_id="bithu", text="Nguyễn Văn Tư",
                                message_id="name", received_at=demo.clock.now()), PLAIN)
    # the chat row and who speaks (and whether the message is a repeat), then the duplicates
    # check, then the row written with the message recorded and the transaction committed
    assert trips[0] - before <= 3


async def test_a_message_seen_before_is_dropped_even_after_another(demo, talk):
    """The write of the chat's row records its message as processed (a trigger on SQLite, a CTE
    on PostgreSQL): a redelivery is dropped, the last message's or an earlier one's."""
    bithu: Convo = talk("bithu")
    assert await bithu.say("/them", message_id="first")
    assert await bithu.say("Nguyễn Văn Tư", message_id="second")
    assert await bithu.say("Nguyễn Văn Tư", message_id="second") == ""
    assert await bithu.say("/them", message_id="first") == ""
    async with demo.sessions() as session:
        seen = (await session.exec(sa.select(ProcessedMessage.message_id)
                                   .where(ProcessedMessage.channel == "console"))).scalars().all()
    assert sorted(seen) == ["first", "second"]
