"""`chibo run` with tokens: serve Zalo and Telegram, dispatch the outbox, keep time.

Polling by default; with CHIBO_PUBLIC_URL, one aiohttp server takes every platform's webhook
and answers the health check (GET /healthz, bot/health.py) and the report pages' signed links
(GET /baocao/..., bot/report_pages.py, with CHIBO_LINK_SECRET), and the webhooks are registered
only once that server accepts connections (Zalo's setWebhook may ping the URL).
"""

import asyncio
import contextlib
import logging
import signal
from datetime import timedelta
from pathlib import Path

from aiohttp import web

from bot.app import Chibo
from bot.channels.port import Channel, DeliveryError
from bot.channels.telegram import TelegramChannel
from bot.channels.telegram_webhook import add_telegram_webhook
from bot.channels.zalo import ZaloChannel
from bot.channels.zalo_client import ZaloClient
from bot.channels.zalo_webhook import add_zalo_webhook, webhook_url
from bot.chat_state import DbGreetings, DbKeyboards
from bot.config import Settings
from bot.dispatcher import Dispatcher, SqliteLock
from bot.health import add_health_route
from bot.leader import Leadership
from bot.files import FileLinks
from bot.processed import ProcessedIds
from bot.report_pages import ReportPages
from bot.quota import zalo_quota
from bot.scheduler import Jobs

log = logging.getLogger(__name__)
ZALO_PATH = "/zalo/webhook"
TELEGRAM_PATH = "/telegram/webhook"


async def serve(chibo: Chibo, settings: Settings, stop: asyncio.Event | None = None) -> None:
    stop = stop or _stop_on_signals()
    channels: dict[str, Channel] = {}
    tasks: list[asyncio.Task] = []
    closers = []
    registrations = []  # setWebhook calls, made once the server listens
    webhook_app = web.Application() if settings.public_url else None

    if settings.zalo_token:
        client = ZaloClient(settings.zalo_token, base_url=settings.zalo_base_url)
        closers.append(client.aclose)
        me = await client.get_me()  # a wrong token fails here, at start
        links = None
        if webhook_app is not None:  # a public URL: files reach Zalo users as signed links
            links = FileLinks(directory=Path(settings.data_dir) / "files", secret=settings.webhook_secret or "",
                              public_url=settings.public_url, now=chibo.clock.now)
            links.add_route(webhook_app)
        zalo = ZaloChannel(client, greetings=DbGreetings(chibo.sessions, chibo.clock.now),
                           rate_overall=settings.zalo_rate, now=chibo.clock.now, file_links=links,
                           # Zalo may echo the bot's own messages back: they are dropped by this id
                           bot_id=me.get("id") if isinstance(me, dict) else None,
                           # getUpdates has no offset: a replayed image or sticker is dropped by its id
                           seen=ProcessedIds(chibo.sessions, "zalo", chibo.clock.now),
                           quota=zalo_quota(chibo.sessions, settings, chibo.clock.now),
                           sent=chibo.sent)  # an answer is kept until it is out (a crash loses none)
        channels[zalo.name] = zalo

        async def process(incoming, channel=zalo):
            return await chibo.process(incoming, channel.capabilities)

        if webhook_app is not None:
            add_zalo_webhook(webhook_app, zalo, process, secret=settings.webhook_secret or "", path=ZALO_PATH)
            registrations.append(lambda client=client: client.set_webhook(
                webhook_url(settings.public_url, ZALO_PATH), settings.webhook_secret or ""))
        else:
            tasks.append(asyncio.create_task(zalo.run_polling(process, stop)))

    if settings.telegram_token:
        keyboards = DbKeyboards(chibo.sessions)
        telegram = TelegramChannel.connect(settings.telegram_token, base_url=settings.telegram_base_url,
                                           rate_overall=settings.telegram_rate,
                                           rate_per_chat=settings.telegram_rate_per_chat,
                                           keyboards=keyboards, now=chibo.clock.now,
                                           seen=ProcessedIds(chibo.sessions, "telegram", chibo.clock.now),
                                           sent=chibo.sent)
        channels[telegram.name] = telegram

        menus: dict[str, list[tuple[str, str]]] = {}  # the menu this process last set, by chat

        async def telegram_process(incoming, channel=telegram):
            replies = await chibo.process(incoming, channel.capabilities)
            if not incoming.is_group:
                # The command menu shows what this person's roles allow, once they are linked; a
                # role taken back (/thuhoi, `chibo role revoke`) or an account unlinked takes its
                # commands off the menu at the person's next message (a stranger: the default).
                menu = await chibo.menu_for(channel=channel.name, account_id=incoming.sender_id)
                if incoming.text.startswith("/start") or menus.get(incoming.chat_id) != menu:
                    with contextlib.suppress(DeliveryError):
                        await channel.set_menu(incoming.chat_id, [] if menu == stranger else menu)
                        menus[incoming.chat_id] = menu
            return replies

        stranger = await chibo.menu_for(channel=telegram.name, account_id="")
        await telegram.start(telegram_process)  # getMe: a wrong token fails here (InvalidToken)
        with contextlib.suppress(DeliveryError):  # what a stranger sees before linking
            await telegram.set_menu(None, stranger)
        closers.append(telegram.stop)
        if webhook_app is not None:
            add_telegram_webhook(webhook_app, telegram, secret=settings.webhook_secret or "", path=TELEGRAM_PATH)
            registrations.append(lambda telegram=telegram: telegram.set_webhook(
                webhook_url(settings.public_url, TELEGRAM_PATH), settings.webhook_secret or ""))
        else:
            tasks.append(asyncio.create_task(telegram.run_polling(stop)))

    lock = SqliteLock(settings.sqlite_path()) if settings.sqlite_path() else None
    if lock:
        lock.acquire()  # DispatcherBusy: another chibo already runs on this SQLite file
    dispatcher = Dispatcher(sessions=chibo.sessions, channels=channels, clock=chibo.clock)
    leadership = Leadership(chibo.db, every=timedelta(seconds=settings.leader_check_seconds))
    jobs = Jobs(chibo.sessions, dispatcher, chibo.clock, leadership, retention_years=settings.retention_years)
    if webhook_app is not None:
        add_health_route(webhook_app, chibo.sessions, leadership, chibo.clock.now)
        pages = ReportPages.from_settings(settings, chibo.clock.now)
        if pages is not None:  # /baocao on Zalo links to these (handlers/shared/report_page.py)
            pages.sweep()  # the pages that expired while chibo was stopped (they hold names)
            pages.add_routes(webhook_app, chibo.sessions)
        elif settings.zalo_token:
            log.warning("CHIBO_LINK_SECRET is not set: reports on Zalo come without a link to their page")
    jobs.start()
    runner = None
    try:
        if webhook_app is not None:
            runner = web.AppRunner(webhook_app)
            await runner.setup()
            await web.TCPSite(runner, settings.http_host, settings.http_port).start()
            for register in registrations:  # the server accepts connections by now
                await register()
        log.info("chibo serves %s", ", ".join(channels) or "no channel")
        await stop.wait()
    finally:
        await jobs.stop()
        if tasks:  # polling returns by itself on stop; a clean return confirms Telegram's offset
            await asyncio.wait(tasks, timeout=5)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if runner:
            await runner.cleanup()
        for close in closers:
            await close()
        if lock:
            lock.release()


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop
