"""Zalo's webhook: the secret header, repeats, bad bodies, and sharing the server."""

import httpx
import pytest
from aiohttp import web
from sqlmodel import select

from bot.channels.zalo_webhook import SECRET_HEADER, add_zalo_webhook, webhook_url, zalo_webhook_app
from bot.render import text_of
from models.conversation import ProcessedMessage
from tests.zalo.fake_zalo import (  # noqa: F401
    fake_time, fake_zalo, serve, zalo_channel, zalo_client,
)

SECRET = "w3bh00k-s3cret-for-tests"
PATH = "/zalo/webhook"


@pytest.fixture
async def webhook(demo, fake_zalo, zalo_channel):
    """POST to chibo's webhook on 127.0.0.1; `webhook.handled` lists what reached the engine."""
    handled = []

    async def process(incoming):
        handled.append(incoming)
        return await demo.process(incoming, zalo_channel.capabilities)

    runner, url = await serve(zalo_webhook_app(zalo_channel, process, secret=SECRET, path=PATH))
    async with httpx.AsyncClient(base_url=url) as http:
        http.handled = handled
        yield http
    await runner.cleanup()


def envelope(event: dict) -> dict:
    return {"ok": True, "result": event}


async def processed(chibo) -> list[str]:
    async with chibo.sessions() as session:
        return [p.message_id for p in await session.exec(select(ProcessedMessage))]


async def test_the_right_secret_is_processed_and_answered_200(webhook, fake_zalo, demo):
    event = fake_zalo.event("message.text.received", "z1", text="/trogiup", message_id="w1")
    response = await webhook.post(PATH, json=envelope(event), headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200
    assert [m.text for m in webhook.handled] == ["/trogiup"]
    texts = fake_zalo.texts("z1")  # answered before the 200
    assert texts[0] == text_of("zalo/first_contact") and "/start MÃ-MỜI" in texts[1]
    assert await processed(demo) == ["w1"]


async def test_a_bare_event_without_the_envelope_is_processed_too(webhook, fake_zalo, demo):
    event = fake_zalo.event("message.text.received", "z1", text="/trogiup", message_id="bare1")
    response = await webhook.post(PATH, json=event, headers={SECRET_HEADER: SECRET})  # most webhooks send this
    assert response.status_code == 200
    assert [m.text for m in webhook.handled] == ["/trogiup"] and await processed(demo) == ["bare1"]
    assert "/start MÃ-MỜI" in fake_zalo.texts("z1")[-1]


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "wrong-secret-123"}, {SECRET_HEADER: ""},
                                     {SECRET_HEADER: SECRET + "x"}, {"X-Other": SECRET}])
async def test_a_missing_or_wrong_secret_is_refused_and_not_processed(webhook, fake_zalo, demo, headers):
    event = fake_zalo.event("message.text.received", "z1", text="/trogiup", message_id="w1")
    response = await webhook.post(PATH, json=envelope(event), headers=headers)
    assert response.status_code == 401
    assert webhook.handled == [] and fake_zalo.requests == [] and await processed(demo) == []


async def test_the_same_event_twice_is_processed_once(webhook, fake_zalo, demo):
    event = envelope(fake_zalo.event("message.text.received", "z1", text="/trogiup", message_id="same"))
    image = envelope(fake_zalo.event("message.image.received", "z1", message_id="img"))
    for body in (event, event, image, image):
        response = await webhook.post(PATH, json=body, headers={SECRET_HEADER: SECRET})
        assert response.status_code == 200
    texts = fake_zalo.texts("z1")
    assert len(texts) == 3  # greeting, help, one note about the image
    assert "hình ảnh" in texts[2]
    assert await processed(demo) == ["same"]


@pytest.mark.parametrize("body, status", [
    (b"{not json", 400), (b"", 400), (b"[1, 2]", 200), (b'{"ok": true, "result": {"x": 1}}', 200),
    (b'{"event_name": "message.text.received", "message": null}', 200),
])
async def test_a_malformed_body_is_answered_without_a_crash(webhook, fake_zalo, body, status):
    response = await webhook.post(PATH, content=body, headers={SECRET_HEADER: SECRET})
    assert response.status_code == status
    assert webhook.handled == [] and fake_zalo.requests == []
    good = envelope(fake_zalo.event("message.text.received", "z1", text="/trogiup"))
    assert (await webhook.post(PATH, json=good, headers={SECRET_HEADER: SECRET})).status_code == 200
    assert len(webhook.handled) == 1


async def test_the_webhook_shares_a_server_and_is_registered_with_zalo(demo, fake_zalo, zalo_client,
                                                                       zalo_channel):
    app = web.Application()

    async def telegram(request: web.Request) -> web.Response:
        return web.Response(text="telegram")

    app.router.add_post("/telegram/webhook", telegram)
    add_zalo_webhook(app, zalo_channel, lambda m: demo.process(m, zalo_channel.capabilities),
                     secret=SECRET, path=PATH)
    runner, url = await serve(app)
    try:
        async with httpx.AsyncClient(base_url=url) as http:
            assert (await http.post("/telegram/webhook")).text == "telegram"
            event = envelope(fake_zalo.event("message.text.received", "z1", text="/trogiup"))
            assert (await http.post(PATH, json=event, headers={SECRET_HEADER: SECRET})).status_code == 200
    finally:
        await runner.cleanup()
    await zalo_client.set_webhook(webhook_url("https://chibo.example.vn/", PATH), SECRET)
    assert fake_zalo.calls("setWebhook")[-1] == {"url": "https://chibo.example.vn/zalo/webhook",
                                                 "secret_token": SECRET}
    assert len(fake_zalo.texts("z1")) == 2


def test_a_webhook_needs_a_real_secret(zalo_channel):
    for secret in ("", "short", "x" * 257):
        with pytest.raises(ValueError):
            zalo_webhook_app(zalo_channel, None, secret=secret)
