"""Sending through TelegramChannel when Telegram misbehaves; long texts, files, photos; the outbox."""

import logging

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.channels.port import Attachment, Choice, DeliveryError, Outgoing
from bot.clock import vn_time
from bot.dispatcher import Dispatcher
from bot.scheduler import tick
from models.outbox import Outbox, OutboxStatus
from models.people import Person, link_chat
from tests.telegram.fake_telegram import (  # noqa: F401
    PTB_RETRY_AFTER_WARNING, TOKEN, fake_telegram, fake_time, make_channel, telegram_channel,
)

pytestmark = pytest.mark.filterwarnings(PTB_RETRY_AFTER_WARNING)

CHAT = 777001
HOA = "Đã lưu Nguyễn Thị Hoa vào danh sách."


async def test_500s_are_retried_with_growing_pauses_then_delivered(fake_telegram, telegram_channel, fake_time):
    fake_telegram.fail("sendMessage", times=2, status=500)
    await telegram_channel.send(str(CHAT), Outgoing(HOA))
    assert [b["text"] for b in fake_telegram.calls("sendMessage")] == [HOA] * 3
    assert fake_telegram.texts(CHAT) == [HOA]  # nothing lost
    assert fake_time.slept == [1, 2]


async def test_timeouts_are_retried_then_delivered(fake_telegram, fake_time, clock):
    channel = make_channel(fake_telegram, fake_time, clock, pace=False, timeout=1.0)  # a hang costs 1 s of real time
    fake_telegram.fail("sendMessage", times=2, hang=True)
    try:
        await channel.send(str(CHAT), Outgoing(HOA))
    finally:
        await channel.stop()
    assert len(fake_telegram.calls("sendMessage")) == 3 and fake_telegram.texts(CHAT) == [HOA]
    assert fake_time.slept == [1, 2]


async def test_429_waits_retry_after_then_sends(fake_telegram, telegram_channel, fake_time):
    fake_telegram.fail("sendMessage", status=429, description="Too Many Requests: retry after 7",
                       retry_after=7)
    await telegram_channel.send(str(CHAT), Outgoing(HOA))
    assert fake_time.slept == [7] and fake_telegram.texts(CHAT) == [HOA]


async def test_429_pauses_the_next_message_too(fake_telegram, telegram_channel, fake_time):
    fake_telegram.fail("sendMessage", status=429, retry_after=5)
    await telegram_channel.send(str(CHAT), Outgoing(HOA))
    fake_time.now -= 3  # as if the next message came 2 s after the pause began
    await telegram_channel.send(str(CHAT + 1), Outgoing(HOA))
    assert fake_time.slept == [5, 3]


@pytest.mark.parametrize("status, description", [
    (403, "Forbidden: bot was blocked by the user"), (400, "Bad Request: chat not found"),
])
async def test_a_blocked_user_or_unknown_chat_is_permanent_and_tried_once(fake_telegram, telegram_channel,
                                                                          status, description):
    fake_telegram.fail("sendMessage", status=status, description=description)
    with pytest.raises(DeliveryError) as raised:
        await telegram_channel.send(str(CHAT), Outgoing(HOA))
    assert raised.value.permanent and len(fake_telegram.calls("sendMessage")) == 1
    assert str(CHAT) not in str(raised.value) and TOKEN not in str(raised.value)


async def test_too_many_temporary_failures_end_in_a_temporary_delivery_error(fake_telegram, telegram_channel):
    fake_telegram.fail("sendMessage", times=5, status=502)
    with pytest.raises(DeliveryError) as raised:
        await telegram_channel.send(str(CHAT), Outgoing(HOA))
    assert not raised.value.permanent and len(fake_telegram.calls("sendMessage")) == 5


async def test_logs_hold_neither_the_token_nor_the_text_even_at_debug(fake_telegram, telegram_channel, caplog):
    caplog.set_level(logging.DEBUG)
    fake_telegram.fail("sendMessage", status=500)
    await telegram_channel.send(str(CHAT), Outgoing(HOA))
    assert TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text
    assert HOA not in caplog.text


async def test_plain_text_shows_as_typed(fake_telegram, telegram_channel):
    await telegram_channel.send(str(CHAT), Outgoing("Quần chúng: <Lan> & Hoa <b>x</b>"))
    [body] = fake_telegram.calls("sendMessage")
    assert body["text"] == "Quần chúng: <Lan> & Hoa <b>x</b>" and "parse_mode" not in body


async def test_a_long_text_is_split_under_4096_and_the_keyboard_goes_last(fake_telegram, telegram_channel):
    text = "\n".join(f"{n}. Nguyễn Văn {n} — chi bộ Trần Phú" for n in range(400))
    await telegram_channel.send(str(CHAT), Outgoing(text, choices=(Choice("Xem thêm", "/ds 2"),)))
    sent = fake_telegram.calls("sendMessage")
    assert len(sent) > 1 and all(len(b["text"]) <= 4096 for b in sent)
    assert "\n".join(b["text"] for b in sent) == text
    assert [bool(b.get("reply_markup")) for b in sent] == [False] * (len(sent) - 1) + [True]
    assert sent[-1]["reply_markup"]["inline_keyboard"] == [[{"text": "Xem thêm", "callback_data": "c:1"}]]


async def test_files_go_as_documents_and_pictures_as_photos(fake_telegram, telegram_channel):
    sheet = Attachment("bao-cao-thang-3.xlsx", "application/vnd.ms-excel", b"PK\x03\x04 report")
    chart = Attachment("bieu-do.png", "image/png", b"\x89PNG\r\n\x1a\n chart")
    await telegram_channel.send(str(CHAT), Outgoing("Báo cáo tháng 3", file=sheet))
    await telegram_channel.send(str(CHAT), Outgoing("", file=chart))
    [document] = fake_telegram.calls("sendDocument")
    assert document["document"]["filename"] == "bao-cao-thang-3.xlsx"
    assert document["document"]["data"] == sheet.data
    [photo] = fake_telegram.calls("sendPhoto")
    assert photo["photo"]["data"] == chart.data
    assert fake_telegram.texts(CHAT) == ["Báo cáo tháng 3"]


async def test_a_blocked_user_is_reported_to_the_secretary_by_the_outbox(demo, fake_telegram, telegram_channel):
    demo.clock.current = vn_time(2026, 3, 2, 7, 0)
    async with demo.sessions() as session, session.begin():
        people = {p.full_name: p for p in (await session.exec(select(Person))).all()}
        for name, chat in (("Nguyễn Thị Thu", 9001), ("Trần Văn Bình", 9002)):
            await link_chat(session=session, channel="telegram", account_id=str(chat),
                            person_id=people[name].id, now=demo.clock.now())
    fake_telegram.blocked.add(9002)

    async def no_wait(_seconds: float) -> None:
        return None

    dispatcher = Dispatcher(sessions=demo.sessions, channels={"telegram": telegram_channel},
                            clock=demo.clock, sleep=no_wait)
    await tick(demo.sessions, dispatcher, demo.clock.now())
    await dispatcher.run_until_empty()
    assert fake_telegram.texts(9002) == []
    assert len([b for b in fake_telegram.calls("sendMessage") if b["chat_id"] == 9002]) == 1  # tried once
    assert any("không gửi được tin nhắn cho Trần Văn Bình" in t for t in fake_telegram.texts(9001))
    async with demo.sessions() as session:
        failed = (await session.exec(sa.select(Outbox).where(Outbox.status == OutboxStatus.failed))).scalars()
        errors = [row.error for row in failed if row.error != "no_chat"]  # people not on Telegram
    assert set(errors) == {"telegram sendMessage: Forbidden: bot was blocked by the user"}  # his rows
