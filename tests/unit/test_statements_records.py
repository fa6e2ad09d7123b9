"""Statements through a session (models/statements.py): what the session holds unsaved is
written first, a write says how many rows it wrote, and insert_of's INSERT takes each named
column from the parameter of its name, as the column's type stores it, the others their defaults."""

from datetime import UTC, datetime

import sqlalchemy as sa

from models.conversation import Conversation
from models.statements import SessionStatements, insert_of

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
CHATS = Conversation.__table__
COUNT = sa.select(sa.func.count()).select_from(CHATS).where(CHATS.c.chat_id == sa.bindparam("chat_id"))


async def test_an_insert_takes_each_named_column_from_its_parameter_as_its_type_stores_it(db):
    insert = insert_of(CHATS, ("channel", "chat_id", "data", "choices", "updated_at"))
    on = SessionStatements(db)
    written = await on.run(insert, {"channel": "console", "chat_id": "c1", "data": {"bước": 2, "tên": "Hoa"},
                                    "choices": [1, "hai"], "updated_at": NOW})
    assert written == 1
    [row] = await on.rows(sa.select(CHATS.c.data, CHATS.c.choices, CHATS.c.flow, CHATS.c.pending)
                          .where(CHATS.c.chat_id == sa.bindparam("chat_id")), {"chat_id": "c1"})
    assert row == ({"bước": 2, "tên": "Hoa"}, [1, "hai"], None, None)


async def test_what_the_session_holds_unsaved_is_counted(db):
    db.add(Conversation(channel="console", chat_id="c2", updated_at=NOW))
    assert await SessionStatements(db).rows(COUNT, {"chat_id": "c2"}) == [(1,)]
