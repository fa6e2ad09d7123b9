"""The webhook receiver Zalo and Telegram share: the secret first, in constant time, and a
header that is not even UTF-8 refused with 401 (it was a 500)."""

import asyncio

import pytest

from bot.channels import telegram_webhook, zalo_webhook
from tests.zalo.fake_zalo import serve

SECRET = "w3bh00k-s3cret-for-tests"


class Recording:
    """Stands in for a channel: notes what reached it."""

    def __init__(self) -> None:
        self.bodies: list[object] = []

    def submit(self, body, process=None):
        self.bodies.append(body)
        return []

    def parse(self, body):
        self.bodies.append(body)


PLATFORMS = [
    (lambda channel: zalo_webhook.zalo_webhook_app(channel, None, secret=SECRET), zalo_webhook),
    (lambda channel: telegram_webhook.telegram_webhook_app(channel, secret=SECRET), telegram_webhook),
]


async def post(url: str, path: str, header: bytes, body: bytes) -> int:
    """A raw HTTP request (no client would send bytes that are not UTF-8); its status."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: chibo\r\n" + header + b"\r\n"
                 + b"Content-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                 % len(body) + body)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    writer.close()
    return status


@pytest.mark.parametrize("app, module", PLATFORMS, ids=["zalo", "telegram"])
async def test_the_secret_is_checked_first_and_a_header_not_utf8_is_refused_with_401(app, module):
    channel = Recording()
    runner, url = await serve(app(channel))
    name = module.SECRET_HEADER.encode()
    try:
        assert await post(url, module.DEFAULT_PATH, name + b": \xff\xfe" + SECRET.encode(), b"{}") == 401
        assert await post(url, module.DEFAULT_PATH, name + b": " + SECRET.encode() + b"\xc3", b"{}") == 401
        assert await post(url, module.DEFAULT_PATH, name + b": wrong-secret-123", b"{not json") == 401
        assert channel.bodies == []
        assert await post(url, module.DEFAULT_PATH, name + b": " + SECRET.encode(), b"{not json") == 400
        assert await post(url, module.DEFAULT_PATH, name + b": " + SECRET.encode(), b'{"x": 1}') == 200
        assert channel.bodies == [{"x": 1}]
    finally:
        await runner.cleanup()
