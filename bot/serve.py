"""`chibo run` with tokens: serve Zalo and Telegram, dispatch the outbox, keep time.

Every configured channel (bot/serve_channels.py CHANNELS) is driven the same way, through the
inbound port (bot/channels/port.py Inbound): started, then polling or taking its webhook, then
stopped.

Polling by default; with CHIBO_PUBLIC_URL, one aiohttp server takes every platform's webhook
and answers the health check (GET /healthz, bot/health.py) and the report pages' signed links
(GET /baocao/..., bot/report_pages.py, with CHIBO_LINK_SECRET), and the webhooks are registered
only once that server accepts connections (Zalo's setWebhook may ping the URL).
"""

import asyncio
import functools
import gc
import logging
import signal
from datetime import timedelta

from aiohttp import web

from bot.app import Chibo
from bot.channels.port import Channel
from bot.channels.webhook import webhook_url
from bot.config import Settings
from bot.dispatcher import Dispatcher, SqliteLock
from bot.health import add_health_route
from bot.leader import Leadership
from bot.report_pages import ReportPages
from bot.scheduler import Jobs
from bot.serve_channels import CHANNELS

log = logging.getLogger(__name__)


async def serve(chibo: Chibo, settings: Settings, stop: asyncio.Event | None = None) -> None:
    stop = stop or _stop_on_signals()
    channels: dict[str, Channel] = {}
    tasks: list[asyncio.Task] = []
    closers = []
    registrations = []  # setWebhook calls, made once the server listens
    webhook_app = web.Application() if settings.public_url else None
    secret = settings.webhook_secret or ""

    for open_channel in CHANNELS:
        channel = await open_channel(chibo, settings, webhook_app)
        if channel is None:  # its token is not set
            continue
        channels[channel.name] = channel
        closers.append(channel.stop)
        if webhook_app is not None:
            channel.add_webhook(webhook_app, secret=secret)
            registrations.append(functools.partial(
                channel.set_webhook, webhook_url(settings.public_url, channel.webhook_path), secret))
        else:
            tasks.append(asyncio.create_task(channel.poll(stop)))

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
        freeze_what_started()
        await stop.wait()
    finally:
        gc.unfreeze()  # a process that goes on (a test's) collects them again
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


def freeze_what_started() -> None:
    """What starting chibo made (the modules, the tables' metadata, the channels, the templates
    compiled so far: hundreds of thousands of objects that live as long as the process) is left
    out of the garbage collector's full passes from now on. Each such pass walked them all and
    held every chat up for some 100 ms (bench/latency.py: the slowest answers at 40 updates/s)."""
    gc.collect()
    gc.freeze()


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop
