"""Zalo by long polling, end to end: getUpdates and sendMessage on the fake Zalo server."""

import asyncio
import re
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.channels.port import Outgoing
from bot.channels.zalo import MemoryGreetings, ZaloChannel
from bot.chat_state import DbGreetings
from bot.channels.zalo_client import RetryPolicy, ZaloError
from bot.render import text_of
from models.candidate import Candidate
from models.conversation import GreetedChat
from models.org import find_org
from models.people import create_invite
from models.stage import Role
from tests.support import INVITE_KEY
from tests.zalo.fake_zalo import (  # noqa: F401
    Batch, FakeTime, Polling, fake_time, fake_zalo, make_channel, zalo_channel, zalo_client,
)

BRANCH = "Chi bộ Trường THPT Trần Phú (demo)"
GREETING = text_of("zalo/first_contact")


async def secretary_code(chibo) -> str:
    now = chibo.clock.now()
    async with chibo.sessions() as session, session.begin():
        [org] = await find_org(session=session, ref=BRANCH)
        return await create_invite(session=session, role=Role.secretary, org_id=org.id,
                                   expires_at=now + timedelta(days=7), now=now, key=INVITE_KEY)


def polling(fake, channel, chibo) -> Polling:
    channel.sent = chibo.sent  # as `chibo run` wires it: an answer out is no longer kept
    return Polling(fake, channel, lambda incoming: chibo.process(incoming, channel.capabilities))


async def test_a_stranger_links_registers_a_candidate_by_numbers_and_sees_it(demo, fake_zalo,
                                                                              zalo_channel):
    code = await secretary_code(demo)
    async with polling(fake_zalo, zalo_channel, demo) as zalo:
        first = await zalo.say("z-sec", f"/start {code}", name="Lê Thị Thu")
        assert first[0] == GREETING  # Zalo's terms: say it is an automated assistant, first
        assert "Đã liên kết" in first[1] and BRANCH in first[1]
        assert "1. /them" in first[2]  # no buttons: a numbered list
        turns = [
            ("1", "Họ và tên đầy đủ"),  # "1" is /them in the list above
            ("nguyễn thị hoa", "Ngày sinh của Nguyễn Thị Hoa"),
            ("05/09/2004", "1. Nam"),
            ("2", "thuộc đối tượng nào"),
            ("1", "đơn vị nào"),
            ("1", "đoàn viên"),  # "1. Bỏ qua"
            ("1", "Ai giới thiệu"),
            ("1", "Ghi chú thêm"),
            ("1", "Xin kiểm tra lại trước khi lưu"),  # "1. Bỏ qua"
            ("1", "Đã lưu Nguyễn Thị Hoa"),  # "1. Lưu"
        ]
        for says, expected in turns:
            answer = "\n\n".join(await zalo.say("z-sec", says, name="Lê Thị Thu"))
            assert expected in answer, f"after {says!r} expected {expected!r} in:\n{answer}"
        number = re.search(r"số (\d+)", answer).group(1)
        assert f"{number}. Nguyễn Thị Hoa (2004)" in "\n".join(await zalo.say("z-sec", "/ds"))
    sent = fake_zalo.calls("sendMessage")
    assert {b["chat_id"] for b in sent} == {"z-sec"}
    assert [b["text"] for b in sent].count(GREETING) == 1
    assert all(1 <= len(b["text"]) <= 2000 and "<b>" not in b["text"] for b in sent)
    async with demo.sessions() as session:
        [hoa] = (await session.exec(select(Candidate).where(Candidate.full_name == "Nguyễn Thị Hoa"))).all()
    assert (hoa.gender, hoa.category, hoa.youth_union, hoa.introduced_by, hoa.note) == (
        "female", "teacher", True, "youth_union", None)


async def test_the_greeting_is_owed_once_per_chat_across_a_restart_and_across_processes(
        demo, fake_zalo, zalo_client, fake_time, clock, tmp_path):
    first = make_channel(zalo_client, fake_time, clock, greetings=DbGreetings(demo.transaction, clock.now))
    async with polling(fake_zalo, first, demo) as zalo:
        assert (await zalo.say("z1", "/trogiup"))[0] == GREETING
        assert GREETING not in await zalo.say("z1", "/trogiup")
    # a restart, or another process on the same database
    restarted = make_channel(zalo_client, fake_time, clock, greetings=DbGreetings(demo.transaction, clock.now))
    async with polling(fake_zalo, restarted, demo) as zalo:
        assert GREETING not in await zalo.say("z1", "/trogiup")
        assert (await zalo.say("z2", "/trogiup"))[0] == GREETING
    async with demo.sessions() as session:
        kept = (await session.exec(select(GreetedChat))).all()
    assert [(g.channel, len(g.chat_hash)) for g in kept] == [("zalo", 64), ("zalo", 64)]
    assert not any("z1" in g.chat_hash or "z2" in g.chat_hash for g in kept)  # hashes, no chat ids


@pytest.mark.parametrize("event_name, words", [
    ("message.image.received", "chưa xem được hình ảnh"),
    ("message.sticker.received", "chỉ đọc được tin nhắn chữ"),
    ("message.unsupported.received", "không đọc được tin nhắn này"),
])
async def test_images_stickers_and_unsupported_events_get_a_polite_answer(demo, fake_zalo, zalo_channel,
                                                                          event_name, words):
    handled = []

    async def process(incoming):
        handled.append(incoming)
        return await demo.process(incoming, zalo_channel.capabilities)

    async with Polling(fake_zalo, zalo_channel, process) as zalo:
        await zalo.deliver(fake_zalo.event(event_name, "z1", photo="https://zalo/x.jpg", caption="ảnh"))
        await zalo.deliver(fake_zalo.event(event_name, "g1", chat_type="GROUP"))
    assert handled == []  # the engine never sees them
    texts = fake_zalo.texts("z1")
    assert texts[0] == GREETING and words in texts[1] and len(texts) == 2
    assert fake_zalo.texts("g1") == []  # in a group chibo speaks only when called


async def test_a_list_of_events_is_handled_in_order_and_garbage_skipped(demo, fake_zalo, zalo_channel):
    async with polling(fake_zalo, zalo_channel, demo) as zalo:
        await zalo.deliver({"ok": True, "result": "not an event"})
        await zalo.deliver(Batch([{"junk": 1}, fake_zalo.event("message.text.received", "z1", text="/ds"),
                                  fake_zalo.event("message.text.received", "z1", text="/huy"),
                                  fake_zalo.event("bot.added.to.group", "z1")]))
        await zalo.deliver(fake_zalo.event("message.text.received", "z1", text="/trogiup"))
    texts = fake_zalo.texts("z1")
    assert texts[0] == GREETING
    assert "chưa được liên kết" in texts[1]  # /ds: a stranger may not
    assert text_of("common/nothing_to_cancel") == texts[2]
    assert "/start MÃ-MỜI" in texts[3]
    assert len(texts) == 4


async def test_failed_polls_pause_as_the_retry_policy_says_then_go_on(demo, fake_zalo, zalo_client,
                                                                      fake_time, clock):
    retry_time = FakeTime()
    channel = make_channel(zalo_client, fake_time, clock, retry=RetryPolicy(sleep=retry_time.sleep))
    async with polling(fake_zalo, channel, demo) as zalo:
        fake_zalo.fail("getUpdates", times=2, status=500)
        fake_zalo.fail("getUpdates", status=429, description="Quota exceeded")
        fake_zalo.queue_text("z1", "/trogiup")
        # the poll already waiting hands out the text; then three failures, then a fourth poll
        await zalo.deliver(fake_zalo.event("message.text.received", "z1", text="/ds"), polls=5)
    assert retry_time.slept == [1, 2, 60]  # 429: a longer pause (30 × 3, at most 60)
    assert len(fake_zalo.texts("z1")) == 3  # greeting, help, then /ds refused


@pytest.mark.expect_error  # a bad token is an ERROR for the operator to fix
async def test_a_bad_token_stops_polling_with_an_error(demo, fake_zalo, zalo_client, fake_time, clock):
    fake_zalo.token = "something-else"
    channel = make_channel(zalo_client, fake_time, clock)
    with pytest.raises(ZaloError) as raised:
        await channel.run_polling(lambda m: demo.process(m, channel.capabilities), asyncio.Event())
    assert raised.value.code == 401


async def test_a_slow_reply_shows_typing_while_it_is_prepared(fake_zalo, zalo_client, fake_time, clock):
    channel = make_channel(zalo_client, fake_time, clock)
    await channel.greetings.mark_greeted("z1")

    async def report(incoming):  # a report: still being prepared a second later
        await fake_zalo.wait_for("sendChatAction")
        return [Outgoing("Báo cáo quý 1 đã sẵn sàng.")]

    for done in channel.submit(fake_zalo.event("message.text.received", "z1", text="/baocao"), report):
        await done
    assert [(r.method, r.body) for r in fake_zalo.requests] == [
        ("sendChatAction", {"chat_id": "z1", "action": "typing"}),
        ("sendMessage", {"chat_id": "z1", "text": "Báo cáo quý 1 đã sẵn sàng."})]


async def test_a_quick_reply_spends_no_typing_call(fake_zalo, zalo_client, fake_time, clock):
    async def no_time_passes(seconds: float) -> None:
        await asyncio.Event().wait()

    channel = ZaloChannel(zalo_client, greetings=MemoryGreetings(), sleep=no_time_passes, now=clock.now,
                          retry=RetryPolicy(sleep=fake_time.sleep))
    await channel.greetings.mark_greeted("z1")

    async def quick(incoming):
        return [Outgoing("Đã lưu.")]

    for done in channel.submit(fake_zalo.event("message.text.received", "z1", text="/ds"), quick):
        await done
    assert [r.method for r in fake_zalo.requests] == ["sendMessage"]
