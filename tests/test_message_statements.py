"""Statements on a message's connection, with no session (bot/engine/transaction.py,
bot/prepared.py): a lookup with a list parameter (an "IN") finds what SQLAlchemy's own execute
finds, for a list of each length, whatever length came before it, and with the list's items
converted as the column's type says (dates, on SQLite, are text); and what a handler's session
holds unsaved is written before a statement runs, as the session's own execute would."""

import asyncio
import os
import sqlite3
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from bot.engine.transaction import MessageTransaction
from models.candidate import Candidate
from models.conversation import Conversation, ProcessedMessage
from models.org import Organisation
from models.statements import SessionStatements

_C = Candidate.__table__.c
BORN_ON = (sa.select(_C.full_name).where(_C.birth_date.in_(sa.bindparam("dates", expanding=True)),
                                         _C.branch_id.in_(sa.bindparam("branches", expanding=True)))
           .order_by(_C.full_name))


async def test_a_list_of_any_length_finds_what_a_session_finds(demo):
    async with demo.sessions() as session:
        births = sorted({b for (b,) in await session.exec(sa.select(_C.birth_date))})
        branches = sorted({b for (b,) in await session.exec(sa.select(_C.branch_id))})
        asked = [(births[:n], branches[:m]) for n in (1, 3, 0, 2, 3) for m in (1, 2)]
        expected = [await SessionStatements(session).rows(BORN_ON, {"dates": d, "branches": b}) for d, b in asked]
    async with MessageTransaction(demo.db, demo.sessions) as tx:
        found = [await tx.rows(BORN_ON, {"dates": d, "branches": b}) for d, b in asked]
        await tx.give_back()
    assert len(births) >= 3 and len(branches) >= 2
    assert found == expected
    assert [len(rows) for rows in found] != [0] * len(found)
    assert all(isinstance(name, str) for rows in found for (name,) in rows)


async def test_a_date_in_a_list_is_compared_as_a_date(demo):
    async with demo.sessions() as session:
        (born,) = (await session.exec(sa.select(_C.birth_date).limit(1))).one()
        branches = sorted({b for (b,) in await session.exec(sa.select(_C.branch_id))})
    async with MessageTransaction(demo.db, demo.sessions) as tx:
        assert await tx.rows(BORN_ON, {"dates": [born], "branches": branches})
        assert await tx.rows(BORN_ON, {"dates": [date(1900, 1, 1)], "branches": branches}) == []
        await tx.give_back()


async def test_what_the_session_holds_unsaved_is_written_before_a_statement(demo):
    chats = Conversation.__table__
    count = sa.select(sa.func.count()).select_from(chats).where(chats.c.chat_id == sa.bindparam("chat_id"))
    async with MessageTransaction(demo.db, demo.sessions) as tx:
        assert await tx.rows(count, {"chat_id": "unsaved"}) == [(0,)]
        tx.session.add(Conversation(channel="console", chat_id="unsaved", updated_at=datetime(2026, 3, 2, tzinfo=UTC)))
        assert await tx.rows(count, {"chat_id": "unsaved"}) == [(1,)]
        assert await tx.run(sa.delete(chats).where(chats.c.chat_id == sa.bindparam("chat_id")),
                            {"chat_id": "unsaved"}) == 1
        await tx.give_back()  # not committed: rolled back


async def test_a_row_written_through_rows_is_saved_only_with_the_message(demo):
    # An INSERT … RETURNING (a candidate's id) runs in the message's transaction, never on its own
    # (on PostgreSQL a plain lookup may run outside one: a write must not).
    processed = ProcessedMessage.__table__
    insert = (sa.insert(processed).values(channel="console", message_id=sa.bindparam("id"),
                                          at=sa.bindparam("at", type_=processed.c.at.type))
              .returning(processed.c.message_id))
    count = sa.select(sa.func.count()).select_from(processed).where(processed.c.message_id == sa.bindparam("id"))
    async with MessageTransaction(demo.db, demo.sessions) as tx:
        assert await tx.rows(insert, {"id": "returned", "at": datetime(2026, 3, 2, tzinfo=UTC)}) == [("returned",)]
        assert await tx.rows(count, {"id": "returned"}) == [(1,)]  # seen inside the transaction
        await tx.give_back()  # not committed: rolled back
    async with MessageTransaction(demo.db, demo.sessions) as tx:
        assert await tx.rows(count, {"id": "returned"}) == [(0,)]
        await tx.give_back()


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL: row locks between connections")
async def test_a_row_locked_through_rows_stays_locked_until_the_message_ends(demo):
    # As a registration locks its branch while it numbers the candidate (models/candidate.py).
    orgs = Organisation.__table__
    lock = sa.select(orgs.c.id).where(orgs.c.id == sa.bindparam("id")).with_for_update()
    async with demo.sessions() as session:
        (branch,) = (await session.exec(sa.select(orgs.c.id).limit(1))).one()
    async with MessageTransaction(demo.db, demo.sessions) as tx:
        assert await tx.rows(lock, {"id": branch}) == [(branch,)]
        async with demo.sessions() as other:
            with pytest.raises(sa.exc.DBAPIError):  # locked: NOWAIT refuses at once
                await other.exec(sa.select(orgs.c.id).where(orgs.c.id == branch).with_for_update(nowait=True))
        await tx.give_back()
    async with demo.sessions() as other:  # let go with the message
        assert (await other.exec(sa.select(orgs.c.id).where(orgs.c.id == branch).with_for_update(nowait=True))).all()


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite: a lookup read on the event loop")
async def test_a_lookup_waits_for_no_other_process_writing(demo):
    # Another process (a `chibo` command) holds SQLite's write lock, its row not yet committed: a
    # chat's lookup, read on the event loop's thread, answers at once with what was committed (a
    # lookup that waited would hold up every chat, for up to the 30 s of busy_timeout).
    processed = ProcessedMessage.__table__
    count = sa.select(sa.func.count()).select_from(processed).where(processed.c.message_id == sa.bindparam("id"))
    other = sqlite3.connect(demo.db.url.database, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")  # in rollback-journal mode, no reader gets past it
        other.execute("INSERT INTO processedmessage (channel, message_id, at)"
                      " VALUES ('console', 'other', '2026-03-02')")
        async with MessageTransaction(demo.db, demo.sessions) as tx:
            assert tx.driver.reads_here
            assert await asyncio.wait_for(tx.rows(count, {"id": "other"}), 5) == [(0,)]
            await tx.give_back()
        other.execute("COMMIT")
    finally:
        other.close()
    async with MessageTransaction(demo.db, demo.sessions) as tx:
        assert await tx.rows(count, {"id": "other"}) == [(1,)]
        await tx.give_back()
