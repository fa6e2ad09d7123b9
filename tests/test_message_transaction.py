"""One message, one transaction on one connection (bot/engine/transaction.py): what a handler
wrote through its session is saved with the chat's row or not at all, and a message that stops
half-way (a failure, a cancelled task) gives its connection back, so the next one is answered.
On SQLite there is one pooled connection: one not given back would leave every later message
waiting for it, and a task that took it back at once, before the task waiting for it, would
leave that one waiting while it works (a Telegram message looks up its keyboard, is answered,
records its keyboard: three turns)."""

import asyncio
import dataclasses
import os

import pytest
import sqlalchemy as sa
from sqlmodel import func, select

import bot.app
from bot.events import Incoming
from bot.render import text_of
from models.candidate import Candidate
from tests.flows.test_failures import CONFIRMATION, to_confirmation
from tests.support import PLAIN
from tests.texts import NOTHING_TO_CANCEL

NEXT_ANSWER_WITHIN = 10  # seconds: a connection never given back would hold the next message for a minute


async def candidates(demo) -> int:
    async with demo.sessions() as session:
        return (await session.exec(select(func.count()).select_from(Candidate))).one()


def with_done(demo, monkeypatch, done) -> None:
    """The register flow of `demo`, its save replaced by `done`."""
    routes = [dataclasses.replace(r, done=done) if getattr(r, "name", None) == "register" else r
              for r in demo.engine.routes]
    monkeypatch.setattr(demo.engine, "flows", {r.name: r for r in routes if hasattr(r, "steps")})


@pytest.mark.expect_error
async def test_what_a_handler_wrote_before_it_failed_is_not_saved_and_the_next_message_is_answered(
        talk, demo, monkeypatch):
    saved = next(r for r in bot.app.build_routes() if getattr(r, "name", None) == "register").done

    async def saves_then_fails(ctx, answers):
        await saved(ctx, answers)  # the candidate, their number, the audit line: flushed
        raise RuntimeError("failed after the save")

    with_done(demo, monkeypatch, saves_then_fails)
    before = await candidates(demo)
    bithu = talk("bithu")
    await to_confirmation(bithu)
    assert await asyncio.wait_for(bithu.say("1"), NEXT_ANSWER_WITHIN) == text_of("common/error")
    assert await candidates(demo) == before
    # The connection came back, and the chat is where it was: at the confirmation.
    assert await asyncio.wait_for(talk("giupdo").say("/huy"), NEXT_ANSWER_WITHIN) == NOTHING_TO_CANCEL
    assert (await asyncio.wait_for(bithu.say("/trogiup"), NEXT_ANSWER_WITHIN)).endswith(CONFIRMATION)


async def test_a_message_cancelled_half_way_saves_nothing_and_gives_its_connection_back(talk, demo, monkeypatch):
    saved = next(r for r in bot.app.build_routes() if getattr(r, "name", None) == "register").done
    reached = asyncio.Event()

    async def saves_then_waits(ctx, answers):
        replies = await saved(ctx, answers)
        reached.set()
        await asyncio.Event().wait()  # the channel's task is cancelled here (a shutdown, a timeout)
        return replies

    with_done(demo, monkeypatch, saves_then_waits)
    before = await candidates(demo)
    bithu = talk("bithu")
    await to_confirmation(bithu)
    incoming = Incoming(channel="console", chat_id="bithu", sender_id="bithu", text="1", message_id="cancelled",
                        received_at=demo.clock.now())
    task = asyncio.create_task(demo.process(incoming, PLAIN))
    await asyncio.wait_for(reached.wait(), NEXT_ANSWER_WITHIN)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await asyncio.wait_for(talk("giupdo").say("/huy"), NEXT_ANSWER_WITHIN) == NOTHING_TO_CANCEL
    assert await candidates(demo) == before
    assert (await asyncio.wait_for(bithu.say("/trogiup"), NEXT_ANSWER_WITHIN)).endswith(CONFIRMATION)


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                    reason="SQLite's one pooled connection: PostgreSQL's pool opens another for the waiting task")
async def test_a_task_taking_connections_one_after_another_lets_a_waiting_one_go_first(demo):
    one = sa.select(sa.literal(1))
    turns: list[str] = []

    async def busy() -> None:
        for _ in range(20):
            async with demo.transaction() as tx:
                await tx.rows(one, {})
                turns.append("busy")
                await tx.give_back()

    async def waiting() -> None:
        async with demo.transaction() as tx:
            turns.append("waiting")
            await tx.give_back()

    first = asyncio.create_task(busy())
    await asyncio.sleep(0)  # the busy task holds the connection now
    await asyncio.wait_for(asyncio.gather(first, waiting()), NEXT_ANSWER_WITHIN)
    assert turns.index("waiting") <= 2, turns
