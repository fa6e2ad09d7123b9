"""Zalo's webhook, on the receiver it shares with Telegram (webhook.py).

Zalo POSTs each event with the header `X-Bot-Api-Secret-Token: <secret given to setWebhook>`;
the body is one event, bare or in a getUpdates-like envelope. Each event is handled (replies
sent) before the request is answered 200.
"""

from typing import TYPE_CHECKING

from aiohttp import web

from bot.channels.port import Handler
from bot.channels.webhook import add_webhook, webhook_url

if TYPE_CHECKING:
    from bot.channels.zalo import ZaloChannel

__all__ = ["DEFAULT_PATH", "SECRET_HEADER", "add_zalo_webhook", "webhook_url", "zalo_webhook_app"]

SECRET_HEADER = "X-Bot-Api-Secret-Token"
DEFAULT_PATH = "/zalo/webhook"


def add_zalo_webhook(app: web.Application, channel: "ZaloChannel", process: Handler, *,
                     secret: str, path: str = DEFAULT_PATH) -> None:
    """Route POST `path` of `app` to the channel (call before the app starts)."""
    if not secret or not 8 <= len(secret) <= 256:
        raise ValueError("the webhook secret must have 8 to 256 characters")

    async def take(body: object) -> None:
        for done in channel.submit(body, process):
            await done

    add_webhook(app, path=path, header=SECRET_HEADER, secret=secret, take=take, platform="Zalo")


def zalo_webhook_app(channel: "ZaloChannel", process: Handler, *, secret: str,
                     path: str = DEFAULT_PATH) -> web.Application:
    app = web.Application()
    add_zalo_webhook(app, channel, process, secret=secret, path=path)
    return app
