"""Sending through ZaloChannel when Zalo misbehaves, long replies, files, and the pace."""

import logging

import pytest

from bot.channels.port import Attachment, DeliveryError, Outgoing
from bot.channels.zalo import MemoryGreetings
from bot.channels.zalo_client import ZaloClient
from bot.render import split_text, text_of
from tests.zalo.fake_zalo import (  # noqa: F401
    TOKEN, stalling, fake_time, fake_zalo, make_channel, zalo_channel, zalo_client,
)

HOA = "Đã lưu Nguyễn Thị Hoa vào danh sách."


async def test_500s_are_retried_with_growing_pauses_then_delivered(fake_zalo, zalo_channel, fake_time):
    fake_zalo.fail("sendMessage", times=2, status=500)
    await zalo_channel.send("z1", Outgoing(HOA))
    assert fake_zalo.texts() == [HOA] * 3  # two failed tries, then the one that worked
    assert fake_time.slept == [1, 2]


async def test_timeouts_and_dropped_connections_are_retried_then_delivered(fake_zalo, fake_time, clock, caplog):
    client = ZaloClient(TOKEN, base_url=fake_zalo.url, session=stalling("sendMessage", 1))
    channel = make_channel(client, fake_time, clock)
    fake_zalo.fail("sendMessage", drop=True)  # the first try is cut off, the second's answer comes too late
    try:
        await channel.send("z1", Outgoing(HOA))
    finally:
        await client.aclose()
    assert len(fake_zalo.texts()) == 3 and fake_time.slept == [1, 2]
    assert "network error ServerDisconnectedError" in caplog.text and "timed out" in caplog.text


async def test_a_rate_limit_429_backs_off_longer(fake_zalo, zalo_channel, fake_time):
    fake_zalo.fail("sendMessage", status=429, description="Too many requests")
    await zalo_channel.send("z1", Outgoing(HOA))
    assert fake_time.slept == [30] and len(fake_zalo.texts()) == 2


async def test_too_many_temporary_failures_end_in_a_temporary_delivery_error(fake_zalo, zalo_channel):
    fake_zalo.fail("sendMessage", times=5, status=502)
    with pytest.raises(DeliveryError) as raised:
        await zalo_channel.send("z1", Outgoing(HOA))
    assert not raised.value.permanent


async def test_ok_false_is_logged_with_its_code_and_without_personal_data(fake_zalo, zalo_channel,
                                                                         caplog, fake_time):
    caplog.set_level(logging.DEBUG)
    fake_zalo.fail("sendMessage", status=200, error_code=-216,
                   description="Access token is invalid for chat z-7f3a9c")
    with pytest.raises(DeliveryError):
        await zalo_channel.send("z-7f3a9c", Outgoing(HOA))
    [record] = [r for r in caplog.records if r.name == "bot.channels.zalo_client"]
    line = record.getMessage()
    assert "sendMessage" in line and "error_code=-216" in line and "http_status=200" in line
    for private in ("Nguyễn", "Hoa", "z-7f3a9c", TOKEN):
        assert private not in caplog.text


@pytest.mark.parametrize("code", [400, 404])
async def test_an_unknown_chat_is_a_permanent_failure_tried_once(fake_zalo, zalo_channel,
                                                                            fake_time, caplog, code):
    fake_zalo.unknown_chats["ghost"] = code
    with pytest.raises(DeliveryError) as raised:
        await zalo_channel.send("ghost", Outgoing(HOA))
    assert raised.value.permanent
    assert len(fake_zalo.calls("sendMessage")) == 1 and fake_time.slept == []
    assert f"error_code={code}" in caplog.text and "ghost" not in caplog.text


async def test_a_403_is_tried_three_times_before_it_is_a_permanent_failure(fake_zalo, zalo_channel, fake_time):
    fake_zalo.fail("sendMessage", status=403, description="Internal error")  # once: Zalo's hiccup
    await zalo_channel.send("z1", Outgoing(HOA))
    assert fake_zalo.texts("z1") == [HOA, HOA]
    fake_zalo.unknown_chats["blocked"] = 403
    with pytest.raises(DeliveryError) as raised:
        await zalo_channel.send("blocked", Outgoing(HOA))
    assert raised.value.permanent and len(fake_zalo.texts("blocked")) == 3


@pytest.mark.expect_error  # a bad token is an ERROR for the operator to fix
async def test_a_bad_token_is_not_blamed_on_the_recipient(fake_zalo, zalo_channel, caplog):
    fake_zalo.token = "another"
    with pytest.raises(DeliveryError) as raised:
        await zalo_channel.send("z1", Outgoing(HOA))
    assert not raised.value.permanent
    assert any(r.levelno == logging.ERROR and "error_code=401" in r.getMessage() for r in caplog.records)


async def test_a_5000_character_reply_arrives_as_three_messages_in_order(fake_zalo, zalo_channel):
    lines = [f"{i:03d} " + "x" * 45 for i in range(100)]  # 100 lines of 49 characters: 4,999
    text = "\n".join(lines)
    assert len(text) == 4999
    pieces = split_text(text, zalo_channel.capabilities.max_text)
    await zalo_channel.greetings.mark_greeted("z1")
    await zalo_channel.answer("z1", [Outgoing(p) for p in pieces])
    sent = fake_zalo.texts("z1")
    assert len(sent) == 3 and all(len(s) <= 2000 for s in sent)
    assert "\n".join(sent).split("\n") == lines


async def test_send_splits_a_text_still_too_long_on_its_own(fake_zalo, zalo_channel):
    await zalo_channel.send("z1", Outgoing("y" * 4500))
    assert [len(t) for t in fake_zalo.texts("z1")] == [2000, 2000, 500]


async def test_a_file_cannot_go_through_zalo_so_the_reply_says_where_to_get_it(fake_zalo, zalo_channel):
    report = Attachment(name="bao-cao-quy-1.xlsx", mime="application/vnd.ms-excel", data=b"PK")
    await zalo_channel.send("z1", Outgoing("Báo cáo quý 1 đã sẵn sàng.", file=report))
    assert fake_zalo.texts("z1") == ["Báo cáo quý 1 đã sẵn sàng.",
                                     text_of("zalo/file_elsewhere", name="bao-cao-quy-1.xlsx")]
    assert "Telegram" in fake_zalo.texts("z1")[1]


async def test_photos_go_by_url(fake_zalo, zalo_channel):
    await zalo_channel.send_photo("z1", "https://chibo.example.vn/chart.png", "Biểu đồ")
    assert fake_zalo.calls("sendPhoto") == [
        {"chat_id": "z1", "photo": "https://chibo.example.vn/chart.png", "caption": "Biểu đồ"}]


async def test_sends_are_paced_per_chat_and_overall(fake_zalo, zalo_client, fake_time, clock):
    channel = make_channel(zalo_client, fake_time, clock, rate_overall=4, rate_per_chat=1)
    assert (channel.capabilities.rate_overall, channel.capabilities.rate_per_chat) == (4, 1)
    for chat in ("a", "a", "b", "c", "a"):
        await channel.send(chat, Outgoing("ping"))
    # a at 0; a again 1 s later; b and c a quarter apart after that; a a second after its last
    assert fake_time.slept == [1, 0.25, 0.25, 0.5]


async def test_a_permanent_failure_stops_the_rest_of_that_reply_and_is_logged(fake_zalo, zalo_channel,
                                                                             caplog):
    fake_zalo.unknown_chats["ghost"] = 404
    zalo_channel.greetings = MemoryGreetings()
    event = fake_zalo.event("message.text.received", "ghost", text="/trogiup")

    async def process(incoming):
        return [Outgoing("one"), Outgoing("two")]

    for done in zalo_channel.submit(event, process):
        await done
    assert len(fake_zalo.calls("sendMessage")) == 1  # the greeting failed; nothing after it
    assert "not delivered" in caplog.text and "permanent=True" in caplog.text
    assert not await zalo_channel.greetings.greeted("ghost")
