"""On Zalo, an answer is kept until it is out (issue 17): sent and marked, it is gone; a send that
fails for now leaves it kept, and the dispatcher sends it once Zalo answers again."""

import asyncio

import sqlalchemy as sa

from bot.dispatcher import Dispatcher
from models.conversation import Conversation
from models.replies import SEND_GRACE
from tests.zalo.fake_zalo import fake_time, fake_zalo, make_channel, zalo_client  # noqa: F401


async def kept(chibo) -> list[str]:
    async with chibo.sessions() as session:
        return list((await session.exec(sa.select(Conversation.pending_id)
                                        .where(Conversation.pending.is_not(None)))).scalars())


async def say(channel, fake_zalo, chibo, text: str, message_id: str) -> None:
    event = fake_zalo.event("message.text.received", "z1", text=text, message_id=message_id)
    done = channel.submit({"ok": True, "result": event}, lambda m: chibo.process(m, channel.capabilities))
    await asyncio.gather(*done)


async def test_an_answer_sent_is_no_longer_kept(demo, fake_zalo, zalo_client, fake_time, clock):
    channel = make_channel(zalo_client, fake_time, clock, sent=demo.sent)
    await say(channel, fake_zalo, demo, "/trogiup", "a1")
    assert "/start MÃ-MỜI" in fake_zalo.texts("z1")[-1]
    assert await kept(demo) == []


async def test_an_answer_zalo_would_not_take_is_sent_by_the_dispatcher_later(demo, fake_zalo, zalo_client,
                                                                           fake_time, clock):
    channel = make_channel(zalo_client, fake_time, clock, sent=demo.sent)
    fake_zalo.fail("sendMessage", times=20, status=502)  # Zalo is down for longer than the retries
    await say(channel, fake_zalo, demo, "/trogiup", "a2")
    assert await kept(demo) == ["a2"]
    tried = len(fake_zalo.texts("z1"))  # every try is seen by the server, none was taken
    fake_zalo.faults.clear()
    clock.advance(seconds=SEND_GRACE.total_seconds() + 1)
    dispatcher = Dispatcher(sessions=demo.sessions, channels={"zalo": channel}, clock=clock, sleep=fake_time.sleep)
    assert await dispatcher.run_until_empty() == 1
    later = fake_zalo.texts("z1")[tried:]
    assert len(later) == 1 and "/start MÃ-MỜI" in later[0]
    assert await kept(demo) == []
