"""Telegram's webhook, on the receiver it shares with Zalo (webhook.py).

Telegram POSTs each update with the header `X-Telegram-Bot-Api-Secret-Token: <secret given to
setWebhook>`. The update is handled (replies sent) before the request is answered 200; JSON that
is not an update is answered 200 and ignored (Telegram would only send it again).
"""

import re
from typing import TYPE_CHECKING

from aiohttp import web

from bot.channels.webhook import add_webhook

if TYPE_CHECKING:
    from bot.channels.telegram import TelegramChannel

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_PATH = "/telegram/webhook"
# Telegram's secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -; we ask for 8 at least.
_SECRET = re.compile(r"^[A-Za-z0-9_-]{8,256}$")


def add_telegram_webhook(app: web.Application, channel: "TelegramChannel", *, secret: str,
                         path: str = DEFAULT_PATH) -> None:
    """Route POST `path` of `app` to the channel (call before the app starts, after
    `channel.start(process)` or before it: updates are handled once it has started)."""
    if not secret or not _SECRET.match(secret):
        raise ValueError("the webhook secret must have 8 to 256 characters among A-Z a-z 0-9 _ -")

    async def take(body: object) -> None:
        update = channel.parse(body)
        if update is not None:
            for done in channel.submit([update]):
                await done

    add_webhook(app, path=path, header=SECRET_HEADER, secret=secret, take=take, platform="Telegram")


def telegram_webhook_app(channel: "TelegramChannel", *, secret: str,
                         path: str = DEFAULT_PATH) -> web.Application:
    app = web.Application()
    add_telegram_webhook(app, channel, secret=secret, path=path)
    return app
