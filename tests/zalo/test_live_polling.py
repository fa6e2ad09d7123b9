"""Zalo as live bots have been seen to behave: the bot's own messages come back as updates,
getUpdates answers at once with nothing, and events come again (there is no offset)."""


import asyncio
import logging

import pytest

from bot.channels.zalo_client import RetryPolicy
from tests.zalo.fake_zalo import (  # noqa: F401
    BOT_ID, FakeTime, Polling, fake_time, fake_zalo, make_channel, zalo_client,
)


async def settle(zalo: Polling, rounds: int = 12) -> None:
    """Until every update queued so far (echoes too) has been handed out and handled."""
    for _ in range(rounds):
        if not zalo.fake.updates:
            return
        zalo.polls += 1
        await zalo.fake.wait_for("getUpdates", zalo.polls)
        await zalo.channel.join()
    pytest.fail(f"still {len(zalo.fake.updates)} updates queued after {rounds} polls: a loop")


def recording(demo, channel, handled: list):
    async def process(incoming):
        handled.append(incoming.text)
        return await demo.process(incoming, channel.capabilities)
    return process


@pytest.mark.parametrize("bot_id, is_bot", [(BOT_ID, False), (BOT_ID, None), (None, True)],
                         ids=["by-id", "by-id-no-is_bot", "by-is_bot"])
async def test_chibo_never_answers_its_own_messages(demo, fake_zalo, zalo_client, fake_time, clock,
                                                    bot_id, is_bot):
    fake_zalo.echo_own, fake_zalo.echo_is_bot = True, is_bot
    channel = make_channel(zalo_client, fake_time, clock, **({"bot_id": bot_id} if bot_id else {}))
    handled = []
    async with Polling(fake_zalo, channel, recording(demo, channel, handled)) as zalo:
        answer = await zalo.say("z1", "/start")
        await settle(zalo)  # every echo of chibo's answer has come back by now
    assert handled == ["/start"]  # the engine never saw chibo's own words
    assert len(answer) == 2 and fake_zalo.texts("z1") == answer  # the greeting and the answer, once


@pytest.mark.parametrize("answer", ["408", "{}", "timeout"])
async def test_instant_empty_answers_are_nothing_new_and_polled_a_second_apart(demo, fake_zalo, zalo_client,
                                                                               clock, caplog, answer):
    caplog.set_level(logging.INFO)
    fake_zalo.empty_answer = answer  # getUpdates answers at once, as a live bot did 12 times a second
    poll_time, retry_time = FakeTime(), FakeTime()
    channel = make_channel(zalo_client, poll_time, clock, retry=RetryPolicy(sleep=retry_time.sleep))
    handled = []
    stop = asyncio.Event()
    polling = asyncio.create_task(channel.run_polling(recording(demo, channel, handled), stop))
    try:
        await fake_zalo.wait_for("getUpdates", 6)
        fake_zalo.queue_text("z1", "/trogiup")  # something new is still taken at the next poll
        await fake_zalo.wait_for("sendMessage", 2)
    finally:
        stop.set()
        await polling
    polls = len(fake_zalo.calls("getUpdates"))
    assert poll_time.now - 1000 >= polls - 2  # a second at least between polls that brought nothing
    assert retry_time.slept == []  # "nothing new" is no failure: no backoff…
    assert not [r for r in caplog.records if r.name.startswith("bot") and r.levelno >= logging.WARNING]  # …no warning
    assert handled == ["/trogiup"]
