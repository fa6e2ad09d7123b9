"""Answers kept with their conversation, asked directly (models/replies.py, found unguarded by
fast tests in mutation testing): the marks clear exactly the answers sent, and the dispatcher
takes what was never marked after SEND_GRACE, oldest first, once per grace, on its channels."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from models.conversation import Conversation
from models.replies import SEND_GRACE, Unsent, mark_sent, take_unsent

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def answer(text: str) -> list[dict]:
    return [{"text": text, "choices": [], "file": None}]


@pytest.fixture
async def db(chibo):
    async with chibo.sessions() as session, session.begin():
        yield session


async def keep(db, channel: str, chat_id: str, message_id: str, since: datetime, text: str = "Đã lưu.") -> None:
    db.add(Conversation(channel=channel, chat_id=chat_id, pending=answer(text), pending_id=message_id,
                        pending_since=since, updated_at=since))
    await db.flush()


async def kept(db) -> list[tuple[str, str, str | None, list | None]]:
    rows = await db.exec(sa.select(Conversation.channel, Conversation.chat_id, Conversation.pending_id,
                                   Conversation.pending).order_by(Conversation.channel, Conversation.chat_id))
    return [tuple(r) for r in rows.all()]


async def test_a_mark_clears_exactly_the_answers_sent(db):
    for chat in ("a", "b", "c"):
        await keep(db, "zalo", chat, f"m-{chat}", NOW)
    await keep(db, "telegram", "a", "m-a", NOW)
    await mark_sent(session=db, answers=[("zalo", "a", "m-a"), ("zalo", "b", "another message")])
    db.expunge_all()
    assert await kept(db) == [("telegram", "a", "m-a", answer("Đã lưu.")), ("zalo", "a", None, None),
                              ("zalo", "b", "m-b", answer("Đã lưu.")), ("zalo", "c", "m-c", answer("Đã lưu."))]
    since = (await db.exec(sa.select(Conversation.pending_since).where(Conversation.chat_id == "a",
                                                                       Conversation.channel == "zalo"))).scalar_one()
    assert since is None
    await mark_sent(session=db, answers=[])
    db.expunge_all()
    assert len([row for row in await kept(db) if row[3]]) == 3


async def test_an_answer_is_taken_only_once_older_than_the_grace_oldest_first(db):
    await keep(db, "zalo", "young", "m1", NOW - SEND_GRACE)  # exactly the grace: maybe still on its way
    await keep(db, "zalo", "old", "m2", NOW - SEND_GRACE - timedelta(seconds=1), "Cũ")
    await keep(db, "zalo", "older", "m3", NOW - timedelta(hours=2), "Cũ hơn")
    await keep(db, "telegram", "t", "m4", NOW - timedelta(hours=3))
    taken = await take_unsent(session=db, now=NOW, channels=["zalo"], limit=1)
    assert taken == [Unsent(channel="zalo", chat_id="older", message_id="m3", pending=answer("Cũ hơn"))]
    assert await take_unsent(session=db, now=NOW, channels=["zalo"]) == [
        Unsent(channel="zalo", chat_id="old", message_id="m2", pending=answer("Cũ"))]
    # what was taken waits another grace: if this run dies too, the next takes it again
    assert await take_unsent(session=db, now=NOW + SEND_GRACE, channels=["zalo"]) == [
        Unsent(channel="zalo", chat_id="young", message_id="m1", pending=answer("Đã lưu."))]
    later = await take_unsent(session=db, now=NOW + SEND_GRACE + timedelta(seconds=1), channels=["zalo"])
    assert sorted(u.chat_id for u in later) == ["old", "older"]  # both taken at NOW: due again together
    assert await kept(db) == [("telegram", "t", "m4", answer("Đã lưu.")), ("zalo", "old", "m2", answer("Cũ")),
                              ("zalo", "older", "m3", answer("Cũ hơn")), ("zalo", "young", "m1", answer("Đã lưu."))]
    both = await take_unsent(session=db, now=NOW + timedelta(hours=1), channels=["zalo", "telegram"])
    assert sorted(u.chat_id for u in both) == ["old", "older", "t", "young"]


async def test_two_chats_answering_messages_of_the_same_number_are_taken_apart(db):
    """Telegram numbers messages per chat: two chats can keep answers to message 5 from the same moment."""
    since = NOW - timedelta(hours=1)
    await keep(db, "telegram", "1", "5", since, "Một")
    await keep(db, "telegram", "2", "5", since, "Hai")
    taken = await take_unsent(session=db, now=NOW, channels=["telegram"])
    assert sorted((u.chat_id, u.pending[0]["text"]) for u in taken) == [("1", "Một"), ("2", "Hai")]


async def test_a_chat_of_the_same_number_on_another_channel_keeps_its_answer(db):
    since = NOW - timedelta(hours=1)
    await keep(db, "telegram", "1", "5", since, "Telegram")
    await keep(db, "zalo", "1", "5", since, "Zalo")
    assert [u.pending[0]["text"] for u in await take_unsent(session=db, now=NOW, channels=["zalo"])] == ["Zalo"]
    assert [u.pending[0]["text"] for u in await take_unsent(session=db, now=NOW, channels=["telegram"])] == [
        "Telegram"]  # not given another grace by the other channel's taking


async def test_an_answer_already_cleared_is_not_taken(db):
    db.add(Conversation(channel="zalo", chat_id="x", pending=None, pending_id="m",
                        pending_since=NOW - timedelta(hours=1), updated_at=NOW))
    await db.flush()
    assert await take_unsent(session=db, now=NOW, channels=["zalo"]) == []


async def test_a_run_takes_a_hundred_answers_at_most(db):
    for i in range(101):
        await keep(db, "zalo", f"c{i:03d}", "m", NOW - timedelta(hours=1, seconds=i))
    taken = await take_unsent(session=db, now=NOW, channels=["zalo"])
    assert len(taken) == 100 and "c000" not in {u.chat_id for u in taken}  # the youngest waits for the next run


async def test_an_answer_another_dispatcher_took_meanwhile_is_not_taken_again(db):
    """Between this run's reading and its taking, another dispatcher takes the answer (it gets
    another grace): this run leaves it, so that it is sent once."""
    await keep(db, "zalo", "a", "m", NOW - timedelta(hours=1))
    engine = db.bind.sync_engine if hasattr(db.bind, "sync_engine") else db.bind
    done = []

    def other_dispatcher(conn, _cursor, statement, *_args):
        if not done and statement.lstrip().upper().startswith("SELECT"):
            done.append(True)
            conn.execute(sa.update(Conversation).values(pending_since=NOW - timedelta(seconds=1)))

    sa.event.listen(engine, "after_cursor_execute", other_dispatcher)
    try:
        assert await take_unsent(session=db, now=NOW, channels=["zalo"]) == []
    finally:
        sa.event.remove(engine, "after_cursor_execute", other_dispatcher)
    assert done
