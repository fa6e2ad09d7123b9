"""How long a message waits for its answer: updates POSTed to chibo's webhook at a steady rate,
answered through the fake Telegram server (tests/telegram/fake_telegram.py), or with
--channel zalo the fake Zalo one (tests/zalo/fake_zalo.py), each timed from its receipt at the
webhook to the sendMessage of its first reply at the server.

    .venv/bin/python bench/latency.py [--rate 300] [--seconds 30] [--chats 300] [--paced] [--bare] [--apart]
                                      [--channel zalo] [--profile FILE]

Every chat is a secretary going through /them (bench/engine.py's script), one message per
chat every chats/rate seconds. Without --paced, sending is not held back by chibo's pace
(Telegram: 30 messages/s overall, Zalo: 5/s, both 1/s per chat): the figure is chibo's own
time, not the pace's.
The sender, chibo and the fake server share one process and one event loop (SQLite on a
temporary file), or with --apart the sender and the fake server run in a process of their own,
so that chibo's process does chibo's work alone; the channel is opened as `chibo run` opens it
(bot/serve_channels.py: Telegram's live keyboards and the chat's command menu, Zalo's greetings
and quota, looked up and kept at each message). --bare answers every update with a fixed text and no
chibo behind it (no database, no engine): the same webhook, Telegram channel and fake server,
so the difference between the two runs is chibo's. It measures; it never fails. Defaults are a
quick run; the issue's figure is --rate 300 --seconds 30.
"""

import argparse
import asyncio
import cProfile
import json
import multiprocessing
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402

from bench.engine import SCRIPT, said, seed  # noqa: E402
from bot.app import Chibo  # noqa: E402
from bot.channels.telegram import TelegramChannel  # noqa: E402
from bot.channels.telegram_support import MemoryKeyboards  # noqa: E402
from bot.channels.telegram_webhook import SECRET_HEADER as TELEGRAM_HEADER  # noqa: E402
from bot.channels.zalo import MemoryGreetings, ZaloChannel  # noqa: E402
from bot.channels.zalo_client import ZaloClient  # noqa: E402
from bot.channels.zalo_webhook import SECRET_HEADER as ZALO_HEADER  # noqa: E402
from bot.clock import Clock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.events import Outgoing  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.serve import freeze_what_started  # noqa: E402
from bot.serve_channels import open_telegram, open_zalo  # noqa: E402
from tests.telegram.fake_telegram import TOKEN as TELEGRAM_TOKEN, FakeTelegram  # noqa: E402
from tests.zalo.fake_zalo import TOKEN as ZALO_TOKEN, FakeZalo  # noqa: E402

SECRET = "bench-latency-secret"
FIRST_CHAT = 1_000_000


def fake_server(channel: str) -> FakeTelegram | FakeZalo:
    return FakeZalo() if channel == "zalo" else FakeTelegram()


def update(fake: FakeTelegram | FakeZalo, chat: int, text: str) -> dict:
    """A text message from a chat, as the platform POSTs it (Zalo's chat ids are strings)."""
    if isinstance(fake, FakeZalo):
        return fake.event("message.text.received", str(chat), text=text)
    return fake.message(chat, text)


def settings_for(channel: str, url: str, database_url: str, paced: bool) -> Settings:
    """chibo's settings for the channel on the fake server; unpaced, no pace (0 turns it off)."""
    if channel == "zalo":
        pace = {} if paced else {"zalo_rate": 0.0, "zalo_rate_per_chat": 0.0}
        return Settings(database_url=database_url, zalo_token=ZALO_TOKEN, zalo_base_url=url, zalo_monthly_quota=0,
                        _env_file=None, **pace)
    pace = {} if paced else {"telegram_rate": 0.0, "telegram_rate_per_chat": 0.0}
    return Settings(database_url=database_url, telegram_token=TELEGRAM_TOKEN, telegram_base_url=url,
                    _env_file=None, **pace)


async def open_bare(channel: str, settings: Settings, chibo: Chibo):
    """The channel answering every update with a fixed text, no chibo behind it."""
    answer = [Outgoing(text="ok")]
    if channel == "zalo":
        zalo = ZaloChannel(ZaloClient(ZALO_TOKEN, base_url=settings.zalo_base_url), greetings=MemoryGreetings(),
                           rate_overall=settings.zalo_rate, rate_per_chat=settings.zalo_rate_per_chat,
                           now=chibo.clock.now)
        await zalo.start(lambda incoming: asyncio.sleep(0, answer))
        return zalo
    telegram = TelegramChannel.connect(TELEGRAM_TOKEN, base_url=settings.telegram_base_url,
                                       rate_overall=settings.telegram_rate,
                                       rate_per_chat=settings.telegram_rate_per_chat, keyboards=MemoryKeyboards(),
                                       now=chibo.clock.now)
    await telegram.start(lambda incoming: asyncio.sleep(0, answer))
    return telegram


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


class Harness:
    """The fake server and the sender of updates, in chibo's own process and event loop."""

    def __init__(self, fake: FakeTelegram | FakeZalo) -> None:
        self.fake = fake
        self.url = fake.url

    async def send(self, webhook: str, rate: float, seconds: float, chats: int) -> tuple[int, float, int]:
        return await send_updates(self.fake, webhook, rate, seconds, chats)

    async def sends(self) -> list[tuple[int, float]]:
        return sent_messages(self.fake)

    async def stop(self) -> None:
        await self.fake.stop()


class HarnessApart:
    """The fake server and the sender in a process of their own (--apart), on the other
    core: chibo's process then does only chibo's work, and its CPU an update is chibo's alone.
    Both processes stamp times on the same clock (the loop's: CLOCK_MONOTONIC)."""

    def __init__(self, channel: str) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=harness_apart, args=(child, channel), daemon=True)
        self._process.start()
        self.url = ""

    async def start(self) -> "HarnessApart":
        self.url = await self._ask(None)
        return self

    async def send(self, webhook: str, rate: float, seconds: float, chats: int) -> tuple[int, float, int]:
        return await self._ask(("send", webhook, rate, seconds, chats))

    async def sends(self) -> list[tuple[int, float]]:
        return await self._ask(("sends",))

    async def stop(self) -> None:
        await self._ask(("stop",))
        await asyncio.to_thread(self._process.join)

    async def _ask(self, what):
        if what is not None:
            self._pipe.send(what)
        return await asyncio.to_thread(self._pipe.recv)


def harness_apart(pipe, channel: str) -> None:
    async def serve() -> None:
        fake = await fake_server(channel).start()
        pipe.send(fake.url)
        while True:
            what = await asyncio.to_thread(pipe.recv)
            if what[0] == "send":
                pipe.send(await send_updates(fake, *what[1:]))
            elif what[0] == "sends":
                pipe.send(sent_messages(fake))
            else:
                await fake.stop()
                pipe.send(None)
                return

    asyncio.run(serve())


async def send_updates(fake: FakeTelegram | FakeZalo, webhook: str, rate: float, seconds: float,
                       chats: int) -> tuple[int, float, int]:
    """`rate` updates a second for `seconds` to the webhook, the chats taking turns: how many, in
    how long, and how many the webhook refused."""
    loop = asyncio.get_running_loop()
    total = int(rate * seconds)
    failed = 0
    header = ZALO_HEADER if isinstance(fake, FakeZalo) else TELEGRAM_HEADER
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        async def post(n: int) -> None:
            nonlocal failed
            chat, turn = n % chats, n // chats
            body = update(fake, FIRST_CHAT + chat, said(chat, turn % len(SCRIPT)))
            async with http.post(webhook, json=body, headers={header: SECRET}) as response:
                failed += response.status != 200

        start = loop.time()
        posts = []
        for n in range(total):
            await asyncio.sleep(max(0.0, start + n / rate - loop.time()))
            posts.append(asyncio.create_task(post(n)))
        sending = loop.time() - start
        await asyncio.gather(*posts)
    return total, sending, failed


def sent_messages(fake: FakeTelegram | FakeZalo) -> list[tuple[int | str, float]]:
    return [(r.body["chat_id"], r.at) for r in fake.requests if r.method == "sendMessage"]


async def run(rate: float, seconds: float, chats: int, paced: bool, bare: bool, apart: bool, path: Path,
              profile: str | None = None, platform: str = "telegram") -> None:
    url = f"sqlite+aiosqlite:///{path}"
    await asyncio.to_thread(upgrade, url)
    harness = await HarnessApart(platform).start() if apart else Harness(await fake_server(platform).start())
    settings = settings_for(platform, harness.url, url, paced)
    chibo = Chibo(settings, Clock())
    await seed(chibo, chats, channel=platform, account=lambda u: str(FIRST_CHAT + u))
    if bare:
        channel = await open_bare(platform, settings, chibo)
    else:  # as `chibo run` opens it: what it keeps (keyboards, greetings, seen updates) in the database
        channel = await (open_zalo if platform == "zalo" else open_telegram)(chibo, settings, None)
    loop = asyncio.get_running_loop()
    received: dict[int | str, list[float]] = defaultdict(list)  # chat: receipt times at the webhook

    @web.middleware
    async def stamp(request: web.Request, handler):
        at = loop.time()
        body = json.loads(await request.read())  # aiohttp keeps the body for the handler
        received[body["message"]["chat"]["id"]].append(at)
        return await handler(request)

    app = web.Application(middlewares=[stamp])
    channel.add_webhook(app, secret=SECRET)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    freeze_what_started()  # as `chibo run` does once it serves (bot/serve.py)

    profiler = cProfile.Profile() if profile else None
    start, cpu, loop_cpu = loop.time(), time.process_time(), time.thread_time()
    if profiler:
        profiler.enable()
    total, sending, failed = await harness.send(f"http://{host}:{port}{channel.webhook_path}", rate, seconds, chats)
    await runner.cleanup()
    await channel.stop()  # the updates still in hand are answered first
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    elapsed, cpu, loop_cpu = loop.time() - start, time.process_time() - cpu, time.thread_time() - loop_cpu
    await chibo.close()
    sent = await harness.sends()
    await harness.stop()

    sends: dict[int | str, list[float]] = defaultdict(list)
    for chat, at in sent:
        sends[chat].append(at)
    waits = []
    for chat, arrivals in received.items():
        out = sorted(sends[chat])
        for at in sorted(arrivals):  # each message's first reply: the first send after it, in turn
            while out and out[0] < at:
                out.pop(0)
            if out:
                waits.append(out.pop(0) - at)
    print(f"{platform}: " + ("bare handler (no chibo behind the webhook)" if bare else "chibo behind the webhook"))
    print(f"updates: {total} sent in {sending:.1f} s ({total / max(sending, 1e-9):.0f}/s, asked {rate:g}/s), all "
          f"answered after {elapsed:.1f} s; {chats} chats, {'paced' if paced else 'not paced'}; first replies "
          f"{len(waits)}, webhook errors {failed}")
    whose = "chibo's process alone: the sender and the fake server apart" if apart else "this process"
    print(f"CPU {1000 * cpu / total:.1f} ms per update ({whose}), of which {1000 * loop_cpu / total:.1f} ms "
          f"on the event loop's thread; load average {os.getloadavg()[0]:.1f}")
    if waits:
        print(f"receipt to sendMessage: p50 {1000 * percentile(waits, 50):.1f} ms, "
              f"p99 {1000 * percentile(waits, 99):.1f} ms, max {1000 * max(waits):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50, help="updates per second (the issue's: 300)")
    parser.add_argument("--seconds", type=float, default=3, help="how long (the issue's: 30)")
    parser.add_argument("--chats", type=int, default=None, help="chats taking turns (default: one per update/s)")
    parser.add_argument("--paced", action="store_true", help="send at Telegram's pace (30/s, 1/s per chat)")
    parser.add_argument("--bare", action="store_true", help="a fixed answer, no chibo: the channel's own time")
    parser.add_argument("--apart", action="store_true",
                        help="the sender and the fake server in a process of their own")
    parser.add_argument("--channel", choices=("telegram", "zalo"), default="telegram",
                        help="whose webhook and fake server (the issue's figure: telegram)")
    parser.add_argument("--profile", metavar="FILE", help="cProfile chibo's process while it serves, into FILE "
                        "(read with pstats; with --apart, chibo's work alone)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(args.rate, args.seconds, args.chats or max(1, int(args.rate)), args.paced, args.bare,
                        args.apart, Path(tmp) / "latency.sqlite3", args.profile, args.channel))


if __name__ == "__main__":
    main()
