"""The channels `chibo run` serves, each built from the settings with what it keeps in the
database (greetings, live keyboards, answered messages, the quota) and started.

Each opener returns a started channel behind the inbound port (bot/channels/port.py Inbound),
or None when its token is not set; bot/serve.py drives them all the same way.
"""

import contextlib
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from bot.app import Chibo
from bot.channels.port import DeliveryError, Inbound, Incoming, Outgoing
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.channels.zalo_client import ZaloClient
from bot.chat_state import DbGreetings, DbKeyboards
from bot.config import Settings
from bot.files import FileLinks
from bot.processed import ProcessedIds
from bot.quota import zalo_quota

Opener = Callable[[Chibo, Settings, "web.Application | None"], Awaitable[Inbound | None]]
QUOTA_EVERY = 1.0  # seconds: Zalo's messages are counted against the quota a second's worth at a time


async def open_zalo(chibo: Chibo, settings: Settings, app: web.Application | None) -> Inbound | None:
    if not settings.zalo_token:
        return None
    client = ZaloClient(settings.zalo_token, base_url=settings.zalo_base_url)
    links = None
    if app is not None:  # a public URL: files reach Zalo users as signed links
        links = FileLinks(directory=Path(settings.data_dir) / "files", secret=settings.webhook_secret or "",
                          public_url=settings.public_url, now=chibo.clock.now)
        links.add_route(app)
    zalo = ZaloChannel(client, greetings=DbGreetings(chibo.transaction, chibo.clock.now),
                       rate_overall=settings.zalo_rate, rate_per_chat=settings.zalo_rate_per_chat,
                       now=chibo.clock.now, file_links=links,
                       # getUpdates has no offset: a replayed image or sticker is dropped by its id
                       seen=ProcessedIds(chibo.sessions, "zalo", chibo.clock.now),
                       quota=zalo_quota(chibo.transaction, settings, chibo.clock.now, every=QUOTA_EVERY),
                       sent=chibo.sent)  # an answer is kept until it is out (a crash loses none)
    # getMe: a wrong token fails here; the bot's id drops its own messages that Zalo echoes back
    await zalo.start(lambda incoming: chibo.process(incoming, zalo.capabilities))
    return zalo


async def open_telegram(chibo: Chibo, settings: Settings, app: web.Application | None) -> Inbound | None:
    if not settings.telegram_token:
        return None
    telegram = TelegramChannel.connect(settings.telegram_token, base_url=settings.telegram_base_url,
                                       rate_overall=settings.telegram_rate,
                                       rate_per_chat=settings.telegram_rate_per_chat,
                                       keyboards=DbKeyboards(chibo.transaction), now=chibo.clock.now,
                                       seen=ProcessedIds(chibo.sessions, "telegram", chibo.clock.now),
                                       sent=chibo.sent)
    stranger = await chibo.menu_for(channel=telegram.name, account_id="")
    menus: dict[str, list[tuple[str, str]]] = {}  # the menu this process last set, by chat

    async def process(incoming: Incoming) -> list[Outgoing]:
        replies = await chibo.process(incoming, telegram.capabilities)
        if not incoming.is_group:
            # The command menu shows what this person's roles allow, once they are linked; a
            # role taken back (/thuhoi, `chibo role revoke`) or an account unlinked takes its
            # commands off the menu at the person's next message (a stranger: the default).
            menu = await chibo.menu_for(channel=telegram.name, account_id=incoming.sender_id)
            if incoming.text.startswith("/start") or menus.get(incoming.chat_id) != menu:
                with contextlib.suppress(DeliveryError):
                    await telegram.set_menu(incoming.chat_id, [] if menu == stranger else menu)
                    menus[incoming.chat_id] = menu
        return replies

    await telegram.start(process)  # getMe: a wrong token fails here (InvalidToken)
    with contextlib.suppress(DeliveryError):  # what a stranger sees before linking
        await telegram.set_menu(None, stranger)
    return telegram


CHANNELS: tuple[Opener, ...] = (open_zalo, open_telegram)  # in the order they start
