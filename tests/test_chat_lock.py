"""PostgreSQL: the chat's lock across processes is taken by the chat's read and let go by its
write, in one statement each, so that a message that only looks things up takes two round trips
and begins no transaction (bot/engine/chat_row.py). A message that stops before its write (a
repeat, a failure, a cancelled task) must let go of it on the way out: a lock kept would leave
every later message of that chat, on every process, waiting for ever."""

import asyncio
import os

import pytest
from sqlalchemy import text

import bot.app
from bot.app import Chibo
from bot.engine.chat_row import CHAT_LOCK_CLASS
from bot.events import Incoming
from bot.render import text_of
from tests.flows.test_failures import CONFIRMATION, to_confirmation
from tests.support import PLAIN
from tests.test_chat_order import waiting_for_a_chat_lock
from tests.test_message_transaction import NEXT_ANSWER_WITHIN, with_done

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                                reason="PostgreSQL lane only: SQLite serves one process")

BIRTH_DATE_QUESTION = "Ngày sinh của Nguyễn Văn Tư? (ngày/tháng/năm, ví dụ 05/09/2004)"


def message(chibo: Chibo, text_: str, message_id: str) -> Incoming:
    return Incoming(channel="console", chat_id="bithu", sender_id="bithu", text=text_,
                    message_id=message_id, received_at=chibo.clock.now(), sender_name="bithu")


async def held_chat_locks(chibo: Chibo) -> int:
    """The chats' locks held in this test's database (the scheduler's lock is of another class)."""
    async with chibo.sessions() as session:
        found = await session.exec(text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = :chat_class"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
            params={"chat_class": CHAT_LOCK_CLASS})
        return found.scalar()


async def left_in_a_transaction(chibo: Chibo) -> int:
    async with chibo.sessions() as session:
        found = await session.exec(text(
            "SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'"
            " AND datname = current_database()"))
        return found.scalar()


async def answered_by_another_process(settings, clock, text_: str, message_id: str) -> list[str]:
    other = Chibo(settings, clock, mark_every=0)
    try:
        out = await asyncio.wait_for(other.process(message(other, text_, message_id), PLAIN), NEXT_ANSWER_WITHIN)
        return [m.text for m in out]
    finally:
        await other.close()


async def test_an_answer_leaves_no_lock_and_no_transaction_behind(demo, settings, clock):
    await demo.process(message(demo, "/them", "lock-1"), PLAIN)
    assert await held_chat_locks(demo) == 0
    assert await left_in_a_transaction(demo) == 0
    assert await answered_by_another_process(settings, clock, "Nguyễn Văn Tư", "lock-2") == [BIRTH_DATE_QUESTION]


async def test_a_repeated_message_lets_go_of_its_chat(demo, settings, clock):
    await demo.process(message(demo, "/them", "lock-1"), PLAIN)
    assert await demo.process(message(demo, "/them", "lock-1"), PLAIN) == []  # a repeat: dropped
    assert await held_chat_locks(demo) == 0
    assert await answered_by_another_process(settings, clock, "Nguyễn Văn Tư", "lock-2") == [BIRTH_DATE_QUESTION]


@pytest.mark.expect_error
async def test_a_message_that_failed_lets_go_of_its_chat(demo, settings, clock, talk, monkeypatch):
    saved = next(r for r in bot.app.build_routes() if getattr(r, "name", None) == "register").done

    async def saves_then_fails(ctx, answers):
        await saved(ctx, answers)
        raise RuntimeError("failed after the save")

    with_done(demo, monkeypatch, saves_then_fails)
    bithu = talk("bithu")
    await to_confirmation(bithu)
    assert await asyncio.wait_for(bithu.say("1"), NEXT_ANSWER_WITHIN) == text_of("common/error")
    assert await held_chat_locks(demo) == 0
    assert await left_in_a_transaction(demo) == 0
    # Another process answers the chat at once, where the failed message left it: at the confirmation.
    answer = await answered_by_another_process(settings, clock, "/trogiup", "after-the-failure")
    assert answer[-1].endswith(CONFIRMATION)


async def test_a_message_cancelled_while_it_waits_for_its_chat_lets_it_go(demo, settings, clock):
    entered, release = asyncio.Event(), asyncio.Event()
    route = demo.engine._route

    async def slow_route(*args, **kw):
        entered.set()
        await release.wait()
        return await route(*args, **kw)

    demo.engine._route = slow_route
    other = Chibo(settings, clock, mark_every=0)
    try:
        holding = asyncio.create_task(demo.process(message(demo, "/them", "lock-1"), PLAIN))
        await asyncio.wait_for(entered.wait(), NEXT_ANSWER_WITHIN)
        waiting = asyncio.create_task(other.process(message(other, "Nguyễn Văn Tư", "lock-2"), PLAIN))
        for _ in range(400):  # until its read waits for the chat's lock
            if await waiting_for_a_chat_lock(other):
                break
            await asyncio.sleep(0.025)
        assert await waiting_for_a_chat_lock(other) and not waiting.done()
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        release.set()
        await asyncio.wait_for(holding, NEXT_ANSWER_WITHIN)
        assert await held_chat_locks(demo) == 0
        out = await asyncio.wait_for(other.process(message(other, "Nguyễn Văn Tư", "lock-3"), PLAIN),
                                     NEXT_ANSWER_WITHIN)
        assert [m.text for m in out] == [BIRTH_DATE_QUESTION]
    finally:
        release.set()
        demo.engine._route = route
        await other.close()
