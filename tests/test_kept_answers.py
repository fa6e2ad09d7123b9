"""A chat's answer is kept in the transaction that did the work and cleared once the channel has
sent it (issue 17): a process that dies between the commit and the send loses no confirmation.
The dispatcher sends what was kept once SEND_GRACE has passed, or the chat's next answer carries
it first; an answer that went out is never sent again."""

import asyncio

import sqlalchemy as sa

from bot.app import Chibo
from bot.channels.memory import MemoryChannel
from bot.channels.port import DeliveryError
from bot.dispatcher import Dispatcher
from bot.events import Incoming
from models.conversation import Conversation
from models.replies import SEND_GRACE
from tests.support import PLAIN

SAVED = "Đã ghi 7. Bùi Thị Hoa: đã học xong lớp cảm tình đảng"


async def no_wait(_seconds: float) -> None:
    return None


def message(chibo: Chibo, text: str, message_id: str, account: str = "bithu") -> Incoming:
    return Incoming(channel="console", chat_id=account, sender_id=account, text=text, message_id=message_id,
                    received_at=chibo.clock.now(), sender_name=account)


async def answered_but_never_sent(chibo: Chibo, texts: list[str], account: str = "bithu") -> list[str]:
    """Each text is handled and committed; the process dies before the channel sends the answer."""
    shown = []
    for i, text in enumerate(texts):
        suffix = "" if account == "bithu" else f"-{account}"  # a message id is the channel's, over all chats
        incoming = message(chibo, text, f"lost{i}{suffix}", account=account)
        shown.append("\n\n".join(m.text for m in await chibo.process(incoming, PLAIN)))
    return shown


async def kept(chibo: Chibo) -> list[tuple[str, str | None]]:
    async with chibo.sessions() as session:
        rows = await session.exec(sa.select(Conversation.chat_id, Conversation.pending_id)
                                  .where(Conversation.pending.is_not(None)).order_by(Conversation.chat_id))
        return [tuple(r) for r in rows.all()]


def dispatcher(chibo: Chibo, channel: MemoryChannel) -> Dispatcher:
    return Dispatcher(sessions=chibo.sessions, channels={"console": channel}, clock=chibo.clock, sleep=no_wait)


async def test_an_answer_lost_in_a_crash_is_sent_after_the_grace_and_only_once(demo, settings, clock):
    shown = await answered_but_never_sent(demo, ["/ds"])
    await demo.close()
    restarted = Chibo(settings, clock, mark_every=0)  # the process that died is gone; another starts
    try:
        console = MemoryChannel("console")
        assert await dispatcher(restarted, console).run_until_empty() == 0  # the first may still be sending
        clock.advance(seconds=SEND_GRACE.total_seconds() + 1)
        assert await dispatcher(restarted, console).run_until_empty() == 1
        assert ["\n\n".join(m.text for m in console.sent["bithu"])] == shown
        assert await kept(restarted) == []
        clock.advance(minutes=30)
        assert await dispatcher(restarted, console).run_until_empty() == 0
        assert len(console.sent["bithu"]) == 1
    finally:
        await restarted.close()


async def test_an_answer_the_channel_sent_is_not_kept_and_never_sent_again(talk, demo, clock):
    answer = await talk("bithu").say("/ds")  # Convo marks it sent, as every channel does
    assert answer.startswith("Danh sách")
    assert await kept(demo) == []
    clock.advance(hours=1)
    console = MemoryChannel("console")
    assert await dispatcher(demo, console).run_until_empty() == 0
    assert console.sent == {}


async def test_the_next_answer_of_the_chat_carries_the_lost_one_first(talk, demo, clock):
    lost = await answered_but_never_sent(demo, ["/trogiup"])
    assert await kept(demo) == [("bithu", "lost0")]
    clock.advance(seconds=SEND_GRACE.total_seconds())  # the restart took that long; no dispatcher ran yet
    answer = await talk("bithu").say("/huy")
    assert answer == lost[0] + "\n\n" + "Không có việc gì đang làm dở để hủy. Gõ /trogiup để xem các lệnh."
    assert await kept(demo) == []
    clock.advance(hours=1)
    console = MemoryChannel("console")
    assert await dispatcher(demo, console).run_until_empty() == 0


async def test_a_repeated_message_gets_no_second_answer_and_keeps_the_first(demo):
    first = await demo.process(message(demo, "/ds", "same"), PLAIN)
    assert first and await kept(demo) == [("bithu", "same")]
    assert await demo.process(message(demo, "/ds", "same"), PLAIN) == []
    assert await kept(demo) == [("bithu", "same")]


async def test_a_chat_that_blocked_chibo_meanwhile_is_not_tried_forever(demo, clock):
    await answered_but_never_sent(demo, ["/ds"])
    clock.advance(seconds=SEND_GRACE.total_seconds() + 1)
    console = MemoryChannel("console")
    console.blocked.add("bithu")
    assert await dispatcher(demo, console).run_until_empty() == 1
    assert await kept(demo) == []


async def test_a_kept_answer_waits_out_the_quiet_hours(demo, clock):
    await answered_but_never_sent(demo, ["/ds"])
    clock.advance(hours=12)  # 21:00 in Hà Nội
    console = MemoryChannel("console")
    assert await dispatcher(demo, console).run_until_empty() == 0
    clock.advance(hours=10)  # 07:00 the next morning
    assert await dispatcher(demo, console).run_until_empty() == 1
    assert len(console.sent["bithu"]) == 1


async def test_two_dispatchers_take_one_kept_answer_once(demo, clock):
    await answered_but_never_sent(demo, ["/ds"])
    clock.advance(seconds=SEND_GRACE.total_seconds() + 1)
    first, second = MemoryChannel("console"), MemoryChannel("console")
    one, other = dispatcher(demo, first), dispatcher(demo, second)
    assert await one.resend_lost_answers() + await other.resend_lost_answers() == 1
    assert len(first.sent["bithu"]) + len(second.sent["bithu"]) == 1


async def test_a_dispatcher_leaves_the_answers_of_a_channel_it_does_not_run(demo, clock):
    await answered_but_never_sent(demo, ["/ds"])
    clock.advance(seconds=SEND_GRACE.total_seconds() + 1)
    zalo_only = Dispatcher(sessions=demo.sessions, channels={"zalo": MemoryChannel("zalo")}, clock=clock,
                           sleep=no_wait)
    assert await zalo_only.run_until_empty() == 0
    console = MemoryChannel("console")
    assert await dispatcher(demo, console).run_until_empty() == 1  # not pushed back by the other


class Held:
    """A sleep that never ends by itself: a batch of marks waits until the test lets it go."""

    def __init__(self) -> None:
        self.go = asyncio.Event()

    async def __call__(self, _seconds: float) -> None:
        await self.go.wait()


async def test_a_quick_next_message_while_the_first_mark_waits_gets_no_repeat(demo, settings, clock):
    held = Held()
    batching = Chibo(settings, clock, mark_every=1.0)
    batching.marks.sleep = held
    try:
        first = message(batching, "/ds", "q1")
        first_answer = await batching.process(first, PLAIN)
        await batching.sent(first)  # out, but its mark waits for the batch
        second = message(batching, "/huy", "q2")
        assert [m.text for m in await batching.process(second, PLAIN)] == [
            "Không có việc gì đang làm dở để hủy. Gõ /trogiup để xem các lệnh."]
        await batching.sent(second)
        assert await kept(batching) == [("bithu", "q1")]  # the first is still kept, the second not at all
        held.go.set()
        await batching.marks.task
        assert await kept(batching) == []
        clock.advance(hours=1)
        console = MemoryChannel("console")
        assert await dispatcher(batching, console).run_until_empty() == 0
        assert first_answer and console.sent == {}
    finally:
        await batching.close()


async def test_marks_of_one_batch_are_one_statement(demo, settings, clock):
    held = Held()
    batching = Chibo(settings, clock, mark_every=1.0)
    batching.marks.sleep = held
    try:
        for account in ("bithu", "giupdo", "captren"):
            incoming = message(batching, "/trogiup", f"b-{account}", account=account)
            await batching.process(incoming, PLAIN)
            await batching.sent(incoming)
        assert len(await kept(batching)) == 3
        statements = []
        sa.event.listen(batching.db.sync_engine, "before_cursor_execute",
                        lambda *args: statements.append(args[2].split()[0]))
        held.go.set()
        await batching.marks.task
        assert statements == ["UPDATE"] and await kept(batching) == []
    finally:
        await batching.close()


class Unreachable(MemoryChannel):
    """The chats in `down` cannot be reached for now (a temporary error)."""

    def __init__(self, down: set[str]) -> None:
        super().__init__("console")
        self.down = down

    async def send(self, chat_id, message):
        if chat_id in self.down:
            raise DeliveryError("timeout", permanent=False)
        await super().send(chat_id, message)


async def test_a_chat_unreachable_for_now_holds_back_no_other_lost_answer_and_gets_its_own_later(demo, clock):
    secretary = await answered_but_never_sent(demo, ["/ds"])  # lost first
    clock.advance(seconds=1)
    sponsor = await answered_but_never_sent(demo, ["/trogiup"], account="giupdo")
    clock.advance(seconds=SEND_GRACE.total_seconds() + 1)
    console = Unreachable({"bithu"})
    assert await dispatcher(demo, console).run_until_empty() == 1
    assert {chat: [m.text for m in sent] for chat, sent in console.sent.items()} == {"giupdo": sponsor}
    assert await kept(demo) == [("bithu", "lost0")]
    console.down.clear()
    clock.advance(seconds=SEND_GRACE.total_seconds() + 1)
    assert await dispatcher(demo, console).run_until_empty() == 1
    assert ["\n\n".join(m.text for m in console.sent["bithu"])] == secretary and len(console.sent["giupdo"]) == 1


async def test_a_run_counts_every_lost_answer_it_sent(demo, clock):
    for account in ("bithu", "giupdo", "captren"):
        await answered_but_never_sent(demo, ["/trogiup"], account=account)
    clock.advance(seconds=SEND_GRACE.total_seconds() + 1)
    console = MemoryChannel("console")
    assert await dispatcher(demo, console).run_until_empty() == 3
    assert {chat: len(sent) for chat, sent in console.sent.items()} == {"bithu": 1, "giupdo": 1, "captren": 1}
    assert await kept(demo) == []
