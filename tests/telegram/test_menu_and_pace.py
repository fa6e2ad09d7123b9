"""The command menu per chat, deep links, and the pace (ChatRateLimiter on fake time, measured
where the fake server receives the requests)."""

import asyncio

import pytest

from bot.channels.port import Outgoing
from bot.channels.telegram import deep_link
from bot.channels.telegram_support import ChatRateLimiter, button_data, button_text
from tests.telegram.fake_telegram import (  # noqa: F401
    FakeTelegram, FakeTime, fake_telegram, fake_time, make_channel, most_in_a_second, telegram_channel,
)

CHAT = 313131


async def test_each_chat_gets_the_menu_of_its_role(fake_telegram, telegram_channel):
    await telegram_channel.set_menu(str(CHAT), [("/them", "Thêm quần chúng ưu tú"), ("/ds", "Danh sách"),
                                                ("/sửa", "không phải tên lệnh Telegram")])
    await telegram_channel.set_menu(None, [("/start", "Bắt đầu"), ("/trogiup", "Hướng dẫn")])
    await telegram_channel.set_menu(str(CHAT), [])
    chat_menu, everyone = fake_telegram.calls("setMyCommands")
    assert chat_menu["scope"] == {"type": "chat", "chat_id": CHAT}
    assert chat_menu["commands"] == [{"command": "them", "description": "Thêm quần chúng ưu tú"},
                                     {"command": "ds", "description": "Danh sách"}]
    assert everyone["scope"] == {"type": "default"}
    assert fake_telegram.calls("deleteMyCommands") == [{"scope": {"type": "chat", "chat_id": CHAT}}]


async def test_deep_links(fake_telegram, telegram_channel):
    assert deep_link("@chibo_bot", "K7QW2M9XPA") == "https://t.me/chibo_bot?start=K7QW2M9XPA"
    for bad in ("", "has space", "dấu", "x" * 65):
        with pytest.raises(ValueError):
            deep_link("chibo_bot", bad)
    await telegram_channel.start()  # getMe tells the bot's username
    assert telegram_channel.deep_link("ABC123") == "https://t.me/chibo_test_bot?start=ABC123"


def test_callback_data_is_what_a_person_would_type_and_short():
    assert button_data(1) == "c:1" and button_text("c:100") == "100"
    assert button_data("TP-7") == "c:tp-7" and button_text("c:tp-7") == "tp-7"  # a reference
    assert button_data("tiếp") == "c:tiep" and button_text("c:tiep") == "tiep"  # a word key, without accents
    assert all(button_text(bad) is None for bad in ("c:", "c:" + "1" * 17, "x:1", None, "c:1 ", "c:-1", "c:tp-"))


async def test_one_message_a_second_to_one_chat_and_chats_side_by_side(fake_telegram, clock):
    time = FakeTime()
    channel = make_channel(fake_telegram, time, clock)  # ChatRateLimiter(0, 1) on fake time
    sent_at: dict[int, list[float]] = {}
    real = fake_telegram._sendMessage

    async def recording(body):
        sent_at.setdefault(body["chat_id"], []).append(time.now)
        return await real(body)

    fake_telegram._sendMessage = recording
    await asyncio.gather(*(channel.send(str(chat), Outgoing(f"tin {n}"))
                           for n in range(3) for chat in (CHAT, CHAT + 1)))
    await channel.stop()
    for chat in (CHAT, CHAT + 1):
        gaps = [b - a for a, b in zip(sent_at[chat], sent_at[chat][1:], strict=False)]
        assert len(sent_at[chat]) == 3 and all(gap >= 1 for gap in gaps), sent_at


class Counted(ChatRateLimiter):
    """The production pace, counting the requests it has let go to the server."""

    left = 0

    async def process_request(self, callback, **kw):
        async def leave(*a, **k):
            self.left += 1
            return await callback(*a, **k)
        return await super().process_request(callback=leave, **kw)


async def test_no_second_holds_more_than_thirty_messages_at_the_server(clock):
    time = FakeTime()
    fake = await FakeTelegram(clock=time.monotonic).start()  # arrivals on the pacer's (fake) time

    async def sleep(seconds: float) -> None:
        """Fake time moves on once every request that left has reached the server (no latency)."""
        await fake.wait_until(lambda: len(fake.calls("sendMessage")) >= limiter.left)
        await time.sleep(seconds)

    limiter = Counted(30, 1, sleep=sleep, monotonic=time.monotonic)
    channel = make_channel(fake, time, clock, rate_limiter=limiter)
    try:  # 100 messages to 100 chats at once, as several dispatchers would send them
        await asyncio.gather(*(channel.send(str(CHAT + n), Outgoing(f"tin {n}")) for n in range(100)))
        await channel.stop()
    finally:
        await fake.stop()
    arrivals = fake.arrivals()
    assert len(arrivals) == 100 and most_in_a_second(arrivals) <= 30
    # 30 in 1.1 s, evenly: 28 in any second here, so a request up to 0.1 s late stays within 30
    assert most_in_a_second(arrivals) == 28 and arrivals[-1] - arrivals[0] == pytest.approx(99 * 1.1 / 30)


def test_the_production_channel_is_paced_by_a_rate_limiter(fake_telegram, clock):
    from bot.channels.telegram import TelegramChannel

    channel = TelegramChannel.connect("1:x", base_url=fake_telegram.url)
    limiter = channel.bot.rate_limiter
    assert isinstance(limiter, ChatRateLimiter) and limiter.gap == 1
    assert channel.capabilities.rate_overall == 30 and channel.capabilities.rate_per_chat == 1
    assert channel.capabilities.buttons and channel.capabilities.max_text == 4096
