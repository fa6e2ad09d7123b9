"""The Zalo client against the fake server: paths, bodies, errors, and the retry policy."""

import logging

import pytest

from bot.channels.zalo_client import RetryPolicy, ZaloClient, ZaloError
from tests.zalo.fake_zalo import (  # noqa: F401
    TOKEN, FakeTime, stalling, fake_time, fake_zalo, free_port, zalo_client,
)


async def test_each_call_posts_json_to_its_method(fake_zalo, zalo_client):
    me = await zalo_client.get_me()
    assert me["account_name"] == "bot.chibo"
    await zalo_client.set_webhook("https://chibo.example/zalo/webhook", "a-secret-of-enough")
    assert (await zalo_client.get_webhook_info())["url"] == "https://chibo.example/zalo/webhook"
    await zalo_client.delete_webhook()
    await zalo_client.send_message("c1", "Xin chào")
    await zalo_client.send_photo("c1", "https://chibo.example/chart.png", "Biểu đồ")
    await zalo_client.send_chat_action("c1")
    assert [(r.method, r.body) for r in fake_zalo.requests] == [
        ("getMe", {}),
        ("setWebhook", {"url": "https://chibo.example/zalo/webhook", "secret_token": "a-secret-of-enough"}),
        ("getWebhookInfo", {}),
        ("deleteWebhook", {}),
        ("sendMessage", {"chat_id": "c1", "text": "Xin chào"}),
        ("sendPhoto", {"chat_id": "c1", "photo": "https://chibo.example/chart.png", "caption": "Biểu đồ"}),
        ("sendChatAction", {"chat_id": "c1", "action": "typing"}),
    ]


async def test_get_updates_sends_the_timeout_as_a_string_and_408_means_nothing(fake_zalo, zalo_client):
    fake_zalo.queue_text("c1", "hi")
    result = await zalo_client.get_updates(timeout=5)
    assert result["message"]["text"] == "hi"
    assert fake_zalo.calls("getUpdates") == [{"timeout": "5"}]
    fake_zalo.fail("getUpdates", status=408, description="Request timeout")
    assert await zalo_client.get_updates(timeout=5) is None


@pytest.mark.parametrize("answer", ["408", "{}", "timeout"])
async def test_an_instant_empty_answer_means_nothing_new_and_is_not_logged(fake_zalo, zalo_client, caplog, answer):
    fake_zalo.empty_answer = answer
    assert await zalo_client.get_updates(timeout=30) is None
    assert "getUpdates" not in caplog.text


async def test_a_webhook_secret_must_have_8_to_256_characters(fake_zalo, zalo_client):
    for secret in ("short", "x" * 257):
        with pytest.raises(ValueError):
            await zalo_client.set_webhook("https://chibo.example/zalo/webhook", secret)
    assert fake_zalo.requests == []


@pytest.mark.parametrize("fault, code, temporary, gone", [
    (dict(status=500), 500, True, False),
    (dict(status=503, error_code=503), 503, True, False),
    (dict(status=429, description="Quota exceeded"), 429, True, False),
    (dict(status=429, description="Too many requests"), 429, True, False),
    (dict(status=200, error_code=404, description="User not found"), 404, False, True),
    (dict(status=403, description="Forbidden"), 403, False, False),  # not certain: see the retry policy
    (dict(status=400, description="chat not found"), 400, False, True),
    # a bad token is an ERROR for the operator to fix
    pytest.param(dict(status=401, description="Unauthorized"), 401, False, False, marks=pytest.mark.expect_error),
])
async def test_errors_say_whether_trying_again_may_help(fake_zalo, zalo_client, fault, code,
                                                        temporary, gone):
    fake_zalo.fail("sendMessage", **fault)
    with pytest.raises(ZaloError) as raised:
        await zalo_client.send_message("c1", "x")
    e = raised.value
    assert (e.code, e.temporary, e.recipient_gone, e.rate_limited) == (code, temporary, gone, code == 429)
    assert e.quota_spent == ("Quota" in fault.get("description", ""))


async def test_a_timeout_a_dropped_connection_and_a_refused_one_are_temporary(fake_zalo):
    client = ZaloClient(TOKEN, base_url=fake_zalo.url, session=stalling("sendMessage", 1))
    with pytest.raises(ZaloError) as raised:
        await client.send_message("c1", "x")
    assert raised.value.temporary and raised.value.code is None and raised.value.reason == "timeout"
    fake_zalo.fail("sendMessage", drop=True)
    with pytest.raises(ZaloError) as raised:
        await client.send_message("c1", "x")
    assert raised.value.temporary and raised.value.code is None
    assert len(fake_zalo.calls("sendMessage")) == 2  # both reached Zalo; neither answer came back
    await client.aclose()
    nowhere = ZaloClient(TOKEN, base_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ZaloError) as raised:
        await nowhere.get_me()
    assert raised.value.temporary
    await nowhere.aclose()


async def test_the_token_never_reaches_the_logs(fake_zalo, zalo_client, caplog):
    caplog.set_level(logging.DEBUG)
    await zalo_client.get_me()
    fake_zalo.fail("sendMessage", status=500)
    with pytest.raises(ZaloError) as raised:
        await zalo_client.send_message("c1", "x")
    assert "zalo sendMessage failed" in caplog.text  # the failure was logged…
    assert TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text  # …without the token
    assert TOKEN not in str(raised.value) and TOKEN not in repr(zalo_client)


async def test_the_retry_policy_grows_its_pauses_and_waits_longer_on_429(fake_zalo, zalo_client, fake_time):
    policy = RetryPolicy(attempts=5, base=1, factor=2, cap=5, quota_pause=30, sleep=fake_time.sleep)
    fake_zalo.fail("sendMessage", times=4, status=500)
    await policy.run(lambda: zalo_client.send_message("c1", "x"))
    assert fake_time.slept == [1, 2, 4, 5]
    fake_time.slept.clear()
    policy.cap = 120
    fake_zalo.fail("sendMessage", times=2, status=429, description="Too many requests")
    await policy.run(lambda: zalo_client.send_message("c1", "x"))
    assert fake_time.slept == [30, 60]
    assert len(fake_zalo.calls("sendMessage")) == 5 + 3
    fake_time.slept.clear()
    fake_zalo.fail("sendMessage", status=429, description="Quota exceeded")  # the month is used up
    with pytest.raises(ZaloError) as raised:
        await policy.run(lambda: zalo_client.send_message("c1", "x"))
    assert raised.value.quota_spent and fake_time.slept == []  # no pause can help: at once to the caller


async def test_the_retry_policy_gives_up_at_once_on_a_permanent_error_and_after_n_tries(
        fake_zalo, zalo_client, fake_time):
    policy = RetryPolicy(attempts=3, sleep=fake_time.sleep)
    fake_zalo.fail("sendMessage", status=404, description="User not found")
    with pytest.raises(ZaloError):
        await policy.run(lambda: zalo_client.send_message("c1", "x"))
    assert fake_time.slept == []
    fake_zalo.fail("sendMessage", times=3, status=502)
    with pytest.raises(ZaloError):
        await policy.run(lambda: zalo_client.send_message("c1", "x"))
    assert fake_time.slept == [1, 2]


async def test_the_retry_policy_tries_a_403_a_few_times_before_giving_up(fake_zalo, zalo_client, fake_time):
    policy = RetryPolicy(attempts=5, forbidden_attempts=3, sleep=fake_time.sleep)
    fake_zalo.fail("sendMessage", times=2, status=403, description="Internal error")
    await policy.run(lambda: zalo_client.send_message("c1", "x"))  # Zalo's own hiccup: it goes through
    assert len(fake_zalo.calls("sendMessage")) == 3 and fake_time.slept == [1, 2]
    fake_zalo.unknown_chats["c2"] = 403  # blocked for good: three tries, then it gives up
    with pytest.raises(ZaloError) as raised:
        await policy.run(lambda: zalo_client.send_message("c2", "x"))
    assert raised.value.forbidden and len(fake_zalo.calls("sendMessage")) == 3 + 3


async def test_zalo_is_reached_through_the_proxy_the_environment_names(fake_zalo, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", fake_zalo.url)  # the fake answers as the proxy would pass it on
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    client = ZaloClient(TOKEN, base_url="http://bot-api.zalo.invalid")  # a name no resolver knows
    try:
        await client.send_message("c1", "Chào đồng chí")
    finally:
        await client.aclose()
    assert fake_zalo.texts() == ["Chào đồng chí"]
