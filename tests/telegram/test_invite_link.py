"""/moi on Telegram, end to end: the channel learns the bot's username from getMe, and the code
comes with a one-tap link t.me/<bot>?start=CODE (issue 14)."""

import re

import pytest

from tests.telegram.fake_telegram import (  # noqa: F401
    PTB_RETRY_AFTER_WARNING, fake_telegram, fake_time, make_channel,
)
from tests.telegram.test_polling import BRANCH, THU, polling, secretary_code


@pytest.mark.filterwarnings(PTB_RETRY_AFTER_WARNING)
async def test_a_secretary_on_telegram_gets_the_code_and_a_one_tap_link(demo, fake_telegram, fake_time, clock):
    code = await secretary_code(demo)
    channel = make_channel(fake_telegram, fake_time, clock)
    assert channel.capabilities.bot_username is None  # not known before getMe
    async with polling(fake_telegram, channel, demo) as tg:
        assert channel.capabilities.bot_username == "chibo_test_bot"
        await tg.say(THU, f"/start {code}")
        assert await tg.say(THU, "/moi") == ["Mời người này vào chibo với vai trò gì? Gõ /huy để thôi."]
        await tg.say(THU, "đảng viên giúp đỡ")
        await tg.say(THU, "Đỗ Thị Mai")
        [reply] = await tg.tap(THU, "Lưu")
        new = re.search(r": ([2-9A-Z]{10})\n", reply).group(1)
        assert reply == (
            f"Mã mời Đỗ Thị Mai làm đảng viên giúp đỡ — {BRANCH}: {new}\n"
            "Mã dùng được một lần, đến 09:00 ngày 09/03/2026. Hãy gửi riêng mã này cho Đỗ Thị Mai: người đó nhắn "
            f"cho chibo (trên Telegram, Zalo) \"/start {new}\".\n"
            f"Trên Telegram, chỉ cần bấm liên kết này: https://t.me/chibo_test_bot?start={new}")
