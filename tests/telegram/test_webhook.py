"""Telegram's webhook: the secret header, repeats, bad bodies, and sharing the server with Zalo."""

import asyncio

import httpx
import pytest
from aiohttp import web
from sqlmodel import select

from bot.channels.telegram_webhook import SECRET_HEADER, add_telegram_webhook, telegram_webhook_app
from bot.channels.zalo_webhook import webhook_url
from models.conversation import ProcessedMessage
from tests.telegram.fake_telegram import fake_telegram, fake_time, make_channel  # noqa: F401
from tests.telegram.test_polling import secretary_code
from tests.zalo.fake_zalo import serve

SECRET = "w3bh00k-s3cret_for-tests"
PATH = "/telegram/webhook"
CHAT = 515151


@pytest.fixture
async def webhook(demo, fake_telegram, fake_time, clock):
    """POST to chibo's webhook on 127.0.0.1; `webhook.handled` lists what reached the engine."""
    handled = []
    channel = make_channel(fake_telegram, fake_time, clock)
    hold = asyncio.Event()  # cleared: the engine waits (a message still being handled)
    hold.set()

    async def process(incoming):
        handled.append(incoming)
        await hold.wait()
        return await demo.process(incoming, channel.capabilities)

    await channel.start(process)
    runner, url = await serve(telegram_webhook_app(channel, secret=SECRET, path=PATH))
    async with httpx.AsyncClient(base_url=url) as http:
        http.handled, http.hold = handled, hold
        yield http
    await runner.cleanup()
    await channel.stop()


async def processed(chibo) -> list[str]:
    async with chibo.sessions() as session:
        return [p.message_id for p in await session.exec(select(ProcessedMessage))]


def after_start(fake) -> list[str]:
    return [r.method for r in fake.requests if r.method != "getMe"]


async def test_the_right_secret_is_processed_and_answered_200(webhook, fake_telegram, demo):
    update = fake_telegram.message(CHAT, "/trogiup")
    response = await webhook.post(PATH, json=update, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200
    assert [m.text for m in webhook.handled] == ["/trogiup"]
    [help_text] = fake_telegram.texts(CHAT)  # answered before the 200
    assert "/start MÃ-MỜI" in help_text
    assert await processed(demo) == [f"tg:{CHAT}:{update['message']['message_id']}"]


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "wrong-secret-123"}, {SECRET_HEADER: ""},
                                     {SECRET_HEADER: SECRET + "x"}, {"X-Bot-Api-Secret-Token": SECRET}])
async def test_a_missing_or_wrong_secret_is_refused_and_not_processed(webhook, fake_telegram, demo, headers):
    response = await webhook.post(PATH, json=fake_telegram.message(CHAT, "/trogiup"), headers=headers)
    assert response.status_code == 401
    assert webhook.handled == [] and after_start(fake_telegram) == [] and await processed(demo) == []


async def test_the_same_update_twice_is_processed_once(webhook, fake_telegram, demo):
    update = fake_telegram.message(CHAT, "/trogiup")
    for _ in range(2):
        response = await webhook.post(PATH, json=update, headers={SECRET_HEADER: SECRET})
        assert response.status_code == 200
    assert len(webhook.handled) == 1  # the repeat is dropped by its update id, before the engine
    assert len(fake_telegram.texts(CHAT)) == 1
    assert len(await processed(demo)) == 1


async def in_engine(webhook) -> None:
    while not webhook.handled:
        await asyncio.sleep(0)


async def test_an_update_sent_again_while_the_first_is_handled_is_dropped_at_once(webhook, fake_telegram, demo):
    update = fake_telegram.message(CHAT, "/trogiup")
    webhook.hold.clear()
    first = asyncio.create_task(webhook.post(PATH, json=update, headers={SECRET_HEADER: SECRET}))
    await asyncio.wait_for(in_engine(webhook), 10)  # the first is in the engine, held there
    again = await webhook.post(PATH, json=update, headers={SECRET_HEADER: SECRET})
    assert again.status_code == 200 and not first.done()  # answered at once, the first still held
    webhook.hold.set()
    assert (await first).status_code == 200
    assert len(webhook.handled) == 1 and len(fake_telegram.texts(CHAT)) == 1


async def test_the_same_message_in_another_update_is_dropped_by_the_engine(webhook, fake_telegram, demo):
    update = fake_telegram.message(CHAT, "/trogiup")
    for again in (update, {**update, "update_id": update["update_id"] + 1000}):
        assert (await webhook.post(PATH, json=again, headers={SECRET_HEADER: SECRET})).status_code == 200
    assert len(webhook.handled) == 2  # both reached the engine, which took the first only
    assert len(fake_telegram.texts(CHAT)) == 1 and len(await processed(demo)) == 1


async def test_a_tap_delivered_twice_moves_the_flow_once(webhook, fake_telegram, demo):
    code = await secretary_code(demo)
    await webhook.post(PATH, json=fake_telegram.message(CHAT, f"/start {code}"), headers={SECRET_HEADER: SECRET})
    tap = fake_telegram.tap(CHAT, "/them")
    for _ in range(2):
        assert (await webhook.post(PATH, json=tap, headers={SECRET_HEADER: SECRET})).status_code == 200
    assert [m.text for m in webhook.handled][1:] == ["1"]  # the repeat: an old keyboard by then
    assert "Họ và tên đầy đủ" in fake_telegram.texts(CHAT)[-1]
    assert sum("Họ và tên đầy đủ" in t for t in fake_telegram.texts(CHAT)) == 1


@pytest.mark.parametrize("body, status", [
    (b"{not json", 400), (b"", 400), (b"[1, 2]", 200), (b'{"update_id": "x"}', 200),
    (b'{"update_id": 7, "message": {"chat": 1}}', 200), (b'{"update_id": 8}', 200),
])
async def test_a_malformed_body_is_answered_without_a_crash(webhook, fake_telegram, body, status):
    response = await webhook.post(PATH, content=body, headers={SECRET_HEADER: SECRET})
    assert response.status_code == status
    assert webhook.handled == [] and after_start(fake_telegram) == []
    good = fake_telegram.message(CHAT, "/trogiup")
    assert (await webhook.post(PATH, json=good, headers={SECRET_HEADER: SECRET})).status_code == 200
    assert len(webhook.handled) == 1


async def test_the_webhook_shares_a_server_and_is_registered_with_telegram(demo, fake_telegram, fake_time, clock):
    channel = make_channel(fake_telegram, fake_time, clock)
    await channel.start(lambda m: demo.process(m, channel.capabilities))
    app = web.Application()

    async def zalo(request: web.Request) -> web.Response:
        return web.Response(text="zalo")

    app.router.add_post("/zalo/webhook", zalo)
    add_telegram_webhook(app, channel, secret=SECRET, path=PATH)
    runner, url = await serve(app)
    try:
        async with httpx.AsyncClient(base_url=url) as http:
            assert (await http.post("/zalo/webhook")).text == "zalo"
            update = fake_telegram.message(CHAT, "/trogiup")
            assert (await http.post(PATH, json=update, headers={SECRET_HEADER: SECRET})).status_code == 200
        await channel.set_webhook(webhook_url("https://chibo.example.vn/", PATH), SECRET)
    finally:
        await runner.cleanup()
        await channel.stop()
    assert fake_telegram.calls("setWebhook")[-1] == {
        "url": "https://chibo.example.vn/telegram/webhook", "secret_token": SECRET,
        "allowed_updates": ["message", "callback_query"]}
    assert len(fake_telegram.texts(CHAT)) == 1


def test_a_webhook_needs_a_secret_telegram_accepts(fake_telegram, fake_time, clock):
    channel = make_channel(fake_telegram, fake_time, clock)
    for secret in ("", "short", "x" * 257, "has spaces in it", "dấu-tiếng-việt"):
        with pytest.raises(ValueError):
            telegram_webhook_app(channel, secret=secret)
