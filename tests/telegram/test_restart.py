"""chibo killed while it handles an update, then started again: the update counts once.

The kill comes either after the engine's commit (before any reply and before the next
getUpdates) or before it. Telegram hands the unconfirmed update out again to the new process;
the engine drops what it committed already and handles what it did not.
"""

import asyncio

import pytest

from bot.chat_state import DbKeyboards
from bot.dispatcher import Dispatcher
from models.replies import SEND_GRACE
from tests.telegram.fake_telegram import SAFETY, Polling, fake_telegram, fake_time, make_channel  # noqa: F401
from tests.telegram.test_polling import THU, candidates_named, secretary_code


async def up_to_the_save_button(tg: Polling, code: str) -> None:
    await tg.say(THU, f"/start {code}")
    await tg.tap(THU, "/them")
    for typed in ("Đỗ Thị Lan", "12/12/2001"):
        await tg.say(THU, typed)
    for button in ("Nữ", "Học sinh", "Bỏ qua", "Có", "Đoàn Thanh niên", "Bỏ qua"):  # unit skipped
        await tg.tap(THU, button)


async def kill(tg: Polling) -> None:
    """What SIGKILL leaves: nothing after this point runs (no reply, no getUpdates)."""
    for worker in list(tg.channel._in_order._workers):
        worker.cancel()
    tg.task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(tg.task, SAFETY)
    await tg.channel.stop()


@pytest.mark.parametrize("when", ["after_commit", "before_commit"])
async def test_an_update_killed_midway_counts_once_after_a_restart(demo, fake_telegram, fake_time, clock,
                                                                   tmp_path, when):
    code = await secretary_code(demo)
    doomed, killed = asyncio.Event(), asyncio.Event()
    channel = make_channel(fake_telegram, fake_time, clock, keyboards=DbKeyboards(demo.transaction), sent=demo.sent)

    async def process(incoming):
        if doomed.is_set() and when == "before_commit":
            killed.set()
            await asyncio.Event().wait()
        replies = await demo.process(incoming, channel.capabilities)
        if doomed.is_set():
            killed.set()
            await asyncio.Event().wait()
        return replies

    tg = Polling(fake_telegram, channel, process)
    await tg.__aenter__()
    await up_to_the_save_button(tg, code)
    doomed.set()
    save = fake_telegram.tap(THU, "Lưu")
    fake_telegram.queue(save)
    await asyncio.wait_for(killed.wait(), SAFETY)
    await kill(tg)
    saved_before = len(await candidates_named(demo, "Đỗ Thị Lan"))
    assert saved_before == (1 if when == "after_commit" else 0)

    restarted = make_channel(fake_telegram, fake_time, clock, keyboards=DbKeyboards(demo.transaction), sent=demo.sent)
    async with Polling(fake_telegram, restarted, lambda m: demo.process(m, restarted.capabilities)):
        await fake_telegram.confirmed(save["update_id"])  # handed out again, handled, confirmed
        saved = [t for t in fake_telegram.texts(THU) if "Đã lưu Đỗ Thị Lan" in t]
        # before the commit, the update handed out again was handled now and answered; after it,
        # the answer kept with the conversation waits out SEND_GRACE (the first process might
        # still be sending it), then the dispatcher sends it: once either way
        assert len(saved) == (0 if when == "after_commit" else 1)
        clock.advance(seconds=SEND_GRACE.total_seconds() + 1)
        dispatcher = Dispatcher(sessions=demo.sessions, channels={"telegram": restarted}, clock=clock,
                                sleep=fake_time.sleep)
        await dispatcher.run_until_empty()
    assert len(await candidates_named(demo, "Đỗ Thị Lan")) == 1
    assert len([t for t in fake_telegram.texts(THU) if "Đã lưu Đỗ Thị Lan" in t]) == 1


async def test_a_clean_stop_confirms_the_last_updates(demo, fake_telegram, fake_time, clock):
    channel = make_channel(fake_telegram, fake_time, clock)
    async with Polling(fake_telegram, channel, lambda m: demo.process(m, channel.capabilities)) as tg:
        update = fake_telegram.message(THU, "/trogiup")
        await tg.deliver(update)
    assert fake_telegram.pending == []
    again = make_channel(fake_telegram, fake_time, clock)
    async with Polling(fake_telegram, again, lambda m: demo.process(m, again.capabilities)):
        pass
    assert len(fake_telegram.texts(THU)) == 1  # nothing was handed out twice
