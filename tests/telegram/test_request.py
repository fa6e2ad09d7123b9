"""python-telegram-bot's calls on aiohttp (bot/channels/telegram_request.py) keep what PTB's own
httpx request did: a proxy named in the environment (how a branch reaches a blocked Telegram),
an unreachable server read as a temporary failure with the token kept out of it, and getUpdates'
long poll allowed beyond the channel's timeout."""

import socket

import pytest

from bot.channels.port import DeliveryError, Outgoing
from tests.telegram.fake_telegram import (  # noqa: F401
    TOKEN, fake_telegram, fake_time, make_channel, telegram_channel,
)

CHAT = 777002
HOA = "Đã lưu Nguyễn Thị Hoa vào danh sách."


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_telegram_is_reached_through_the_proxy_the_environment_names(fake_telegram, fake_time, clock,
                                                                           monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", fake_telegram.url)  # the fake answers as the proxy would pass it on
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    fake_telegram.url, real = "http://api.telegram.invalid", fake_telegram.url  # a name no resolver knows
    channel = make_channel(fake_telegram, fake_time, clock, pace=False)
    fake_telegram.url = real
    try:
        await channel.send(str(CHAT), Outgoing(HOA))
    finally:
        await channel.stop()
    assert fake_telegram.texts(CHAT) == [HOA]


@pytest.mark.parametrize("address", [
    lambda: f"http://127.0.0.1:{closed_port()}",  # nobody listens
    lambda: "api.telegram.org",  # CHIBO_TELEGRAM_BASE_URL without its https://
], ids=["unreachable", "mistyped"])
async def test_a_server_out_of_reach_is_a_temporary_failure_that_names_no_token(fake_telegram, fake_time, clock,
                                                                                caplog, address):
    fake_telegram.url = address()
    channel = make_channel(fake_telegram, fake_time, clock, pace=False)
    try:
        with pytest.raises(DeliveryError) as raised:
            await channel.send(str(CHAT), Outgoing(HOA))
    finally:
        await channel.stop()
    assert not raised.value.permanent and fake_time.slept == [1, 2, 4, 8]  # tried 5 times, then given up
    assert TOKEN.split(":")[1] not in str(raised.value) + caplog.text


async def test_a_long_poll_may_outlast_the_channels_timeout(fake_telegram, fake_time, clock):
    channel = make_channel(fake_telegram, fake_time, clock, pace=False, timeout=0.1)
    await channel.start()
    try:
        updates = await channel.bot.get_updates(timeout=1)  # the fake answers "nothing new" after 1 s
    finally:
        await channel.stop()
    assert updates == ()
