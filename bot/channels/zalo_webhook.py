"""Zalo's webhook on an aiohttp server that the Telegram webhook can share.

Zalo POSTs each event with the header `X-Bot-Api-Secret-Token: <secret given to setWebhook>`.
A request without the right header is refused with 401 and not read. A good one is handled
(replies sent) before it is answered 200, so a crash loses nothing: Zalo sends it again and
the engine drops the repeat by its message_id. A body that is not JSON gets 400.
"""

import hmac
import json
import logging

from aiohttp import web

from bot.channels.port import Handler
from bot.channels.zalo import ZaloChannel

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Bot-Api-Secret-Token"
DEFAULT_PATH = "/zalo/webhook"


def add_zalo_webhook(app: web.Application, channel: ZaloChannel, process: Handler, *,
                     secret: str, path: str = DEFAULT_PATH) -> None:
    """Route POST `path` of `app` to the channel (call before the app starts)."""
    if not secret or not 8 <= len(secret) <= 256:
        raise ValueError("the webhook secret must have 8 to 256 characters")
    expected = secret.encode()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            log.warning("refused a Zalo webhook request without the right secret header")
            return web.json_response({"ok": False}, status=401)
        try:
            body = json.loads(await request.read())
        except ValueError:
            log.warning("refused a Zalo webhook request whose body is not JSON")
            return web.json_response({"ok": False}, status=400)
        for done in channel.submit(body, process):
            await done
        return web.json_response({"ok": True})

    app.router.add_post(path, receive)


def zalo_webhook_app(channel: ZaloChannel, process: Handler, *, secret: str,
                     path: str = DEFAULT_PATH) -> web.Application:
    app = web.Application()
    add_zalo_webhook(app, channel, process, secret=secret, path=path)
    return app


def webhook_url(public_url: str, path: str = DEFAULT_PATH) -> str:
    """What to give setWebhook: CHIBO_PUBLIC_URL and the path, with one slash between."""
    return public_url.rstrip("/") + "/" + path.lstrip("/")
