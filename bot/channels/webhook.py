"""The one webhook receiver that Zalo and Telegram share, on one aiohttp server.

A platform POSTs each update with a secret header (the secret given to setWebhook). The header
is checked first, in constant time, before the body is read: a request without it, with a
wrong one, or with one that is not even UTF-8, is refused with 401. A body that is not JSON
gets 400. A good one is handled (replies sent) before it is answered 200, so a crash loses
nothing: the platform sends it again and the engine drops the repeat.
"""

import hmac
import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

log = logging.getLogger(__name__)

Take = Callable[[object], Awaitable[None]]  # handles one JSON body, replies sent


def add_webhook(app: web.Application, *, path: str, header: str, secret: str, take: Take,
                platform: str) -> None:
    """Route POST `path` of `app` to `take` (call before the app starts)."""
    expected = secret.encode()

    async def receive(request: web.Request) -> web.Response:
        if not hmac.compare_digest(_raw(request.headers.get(header, "")), expected):
            log.warning("refused a %s webhook request without the right secret header", platform)
            return web.json_response({"ok": False}, status=401)
        try:
            body = json.loads(await request.read())
        except ValueError:  # UnicodeDecodeError included
            log.warning("refused a %s webhook request whose body is not JSON", platform)
            return web.json_response({"ok": False}, status=400)
        await take(body)
        return web.json_response({"ok": True})

    app.router.add_post(path, receive)


def _raw(value: str) -> bytes:
    """The header's bytes as sent: aiohttp keeps bytes that are not UTF-8 as surrogates."""
    return value.encode("utf-8", "surrogateescape")


def webhook_url(public_url: str, path: str) -> str:
    """What to give setWebhook: CHIBO_PUBLIC_URL and the path, with one slash between."""
    return public_url.rstrip("/") + "/" + path.lstrip("/")
