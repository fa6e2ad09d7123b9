"""Telegram's webhook on the aiohttp server that Zalo's webhook shares.

Telegram POSTs each update with the header `X-Telegram-Bot-Api-Secret-Token: <secret given to
setWebhook>`. A request without the right header is refused with 401 and not read. A good one is
handled (replies sent) before it is answered 200, so a crash loses nothing: Telegram sends it
again and the engine drops the repeat. A body that is not JSON gets 400; JSON that is not an
update is answered 200 and ignored (Telegram would only send it again).
"""

import hmac
import json
import logging
import re

from aiohttp import web

from bot.channels.telegram import TelegramChannel

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_PATH = "/telegram/webhook"
# Telegram's secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -; we ask for 8 at least.
_SECRET = re.compile(r"^[A-Za-z0-9_-]{8,256}$")


def add_telegram_webhook(app: web.Application, channel: TelegramChannel, *, secret: str,
                         path: str = DEFAULT_PATH) -> None:
    """Route POST `path` of `app` to the channel (call before the app starts, after
    `channel.start(process)` or before it: updates are handled once it has started)."""
    if not secret or not _SECRET.match(secret):
        raise ValueError("the webhook secret must have 8 to 256 characters among A-Z a-z 0-9 _ -")
    expected = secret.encode()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            log.warning("refused a Telegram webhook request without the right secret header")
            return web.json_response({"ok": False}, status=401)
        try:
            body = json.loads(await request.read())
        except ValueError:
            log.warning("refused a Telegram webhook request whose body is not JSON")
            return web.json_response({"ok": False}, status=400)
        update = channel.parse(body)
        if update is not None:
            for done in channel.submit([update]):
                await done
        return web.json_response({"ok": True})

    app.router.add_post(path, receive)


def telegram_webhook_app(channel: TelegramChannel, *, secret: str,
                         path: str = DEFAULT_PATH) -> web.Application:
    app = web.Application()
    add_telegram_webhook(app, channel, secret=secret, path=path)
    return app
