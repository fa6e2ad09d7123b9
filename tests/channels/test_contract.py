"""The channel contract: one conversation through the console, Zalo (its fake server) and
Telegram (its fake server) gets the same replies; where Telegram shows buttons, the console and
Zalo show the same choices as numbered text. Every channel `chibo run` serves implements the
inbound port."""

import io

import pytest

from bot.channels.console import ConsoleChannel
from bot.channels.port import Inbound
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.channels.zalo_support import MemoryGreetings
from bot.serve_channels import CHANNELS
from tests.telegram import fake_telegram as tg
from tests.telegram.test_polling import secretary_code
from tests.zalo import fake_zalo as zl

NAME = "Lan"  # the person, as each platform names her (the console: by her account)
# (how, what): what the person sends; "choose" is a numbered choice: typed, or its button tapped
CONVERSATION = [("say", "/start {code}"), ("say", "/trogiup"), ("say", "/ds"), ("say", "/them"),
                ("say", "nguyễn thị hoa"), ("say", "05/09/2004"), ("choose", 2), ("say", "/huy")]


async def on_console(chibo) -> list[list[tuple[str, list[str]]]]:
    console, out = ConsoleChannel(out=io.StringIO()), []

    async def handle(incoming):
        replies = await chibo.process(incoming, console.capabilities)
        out.append([(m.text, [c.label for c in m.choices]) for m in replies])
        return replies

    for how, what in CONVERSATION:
        text = str(what) if how == "choose" else what.format(code=await secretary_code(chibo))
        await console.chat(NAME, handle, chibo.clock.now, source=io.StringIO(text + "\n"))
    return out


async def on_zalo(chibo, clock) -> list[list[tuple[str, list[str]]]]:
    fake, chat, out = await zl.FakeZalo().start(), "zalo-hop-dong", []
    client = zl.ZaloClient(zl.TOKEN, base_url=fake.url)
    greeted = MemoryGreetings()
    greeted.chats.add(chat)  # the first-contact notice is Zalo's own, not the conversation's
    channel = zl.make_channel(client, zl.FakeTime(), clock, greetings=greeted)
    try:
        async with zl.Polling(fake, channel, lambda m: chibo.process(m, channel.capabilities)) as zalo:
            for how, what in CONVERSATION:
                text = str(what) if how == "choose" else what.format(code=await secretary_code(chibo))
                out.append([(t, []) for t in await zalo.say(chat, text, name=NAME)])
    finally:
        await client.aclose()
        await fake.stop()
    return out


async def on_telegram(chibo, clock) -> list[list[tuple[str, list[str]]]]:
    fake, chat, out = await tg.FakeTelegram().start(), 626262, []
    channel = tg.make_channel(fake, tg.FakeTime(), clock)
    try:
        async with tg.Polling(fake, channel, lambda m: chibo.process(m, channel.capabilities)) as telegram:
            for how, what in CONVERSATION:
                before = len(fake.sent(chat))
                if how == "choose":
                    await telegram.tap(chat, what, name=NAME)
                else:
                    await telegram.say(chat, what.format(code=await secretary_code(chibo)), name=NAME)
                out.append([(m["text"], [b["text"] for row in m.get("reply_markup", {}).get("inline_keyboard", [])
                                         for b in row])
                            for m in fake.sent(chat)[before:] if "text" in m])
    finally:
        await fake.stop()
    return out


async def test_one_conversation_gets_the_same_replies_on_every_channel(demo, clock):
    console = await on_console(demo)
    zalo = await on_zalo(demo, clock)
    telegram = await on_telegram(demo, clock)
    assert len(console) == len(zalo) == len(telegram) == len(CONVERSATION)
    for turn, (c, z, t) in enumerate(zip(console, zalo, telegram, strict=True)):
        assert c == z, turn  # the console and Zalo: the same words, choices numbered, no buttons
        assert len(t) == len(z), turn
        for (numbered, _), (text, buttons) in zip(z, t, strict=True):
            if not buttons:
                assert text == numbered, turn
                continue
            # Telegram: the same words, the choices as buttons in place of the numbered list
            assert numbered.startswith(text + "\n\n"), turn
            listing = numbered[len(text) + 2:]
            assert [label for label in buttons if label in listing] == buttons, turn
    assert sum(1 for turn in telegram for _, buttons in turn if buttons) >= 2  # the help, the choice
    assert "Giới tính?" in telegram[-3][0][0] and "thuộc đối tượng nào" in telegram[-2][0][0]  # the tap


@pytest.mark.parametrize("channel", [ZaloChannel, TelegramChannel])
def test_every_served_channel_implements_the_inbound_port(channel):
    for method in ("send", "start", "poll", "add_webhook", "set_webhook", "stop"):
        assert callable(getattr(channel, method)), method
    assert channel.webhook_path.startswith("/") and isinstance(channel.name, str)
    assert len(CHANNELS) == 2 and Inbound
