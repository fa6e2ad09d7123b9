"""The kill campaign: dispatching processes killed with SIGKILL at random moments, then every
delivery counted.

    .venv/bin/python bench/kill.py [--kills 50] [--database-url URL] [--dispatchers N] [--seed S]

SQLite (the default: a file in a temporary folder) has one dispatcher by design. PostgreSQL: give
the URL of any database on the server; the campaign makes a scratch database beside it and drops
it afterwards (the role needs CREATEDB), and runs 4 dispatchers unless told otherwise.

Each dispatcher is a real process (this script, `child`) running bot/dispatcher.py's Dispatcher
on the real clock with a short lease, and sending to a recording server on 127.0.0.1 (in this
process) that notes each message and which process sent it. The outbox is kept topped up. At a
random moment (seeded: the seed is printed; a random delay after a running dispatcher's first
message, or for a quarter of the kills after its start) one is killed with SIGKILL and started
again. After the last kill the outbox is drained, every dispatcher is stopped with SIGTERM (each
must exit 0), and:

    lost      messages never delivered (must be 0)
    repeats   messages delivered again; each must be the last one a killed process sent (sent, not
              yet marked): at most one per kill
    doubles   repeats that no kill explains, i.e. two dispatchers sent one message (must be 0)

The exit status is 1 when a figure is out of bounds. `--kills 3` is a quick check.
"""

import argparse
import asyncio
import contextlib
import random
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as day_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from aiohttp import web  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

CHANNEL = "bench"
READY = "ready"
SENDING = 0.75  # the share of kills timed from the victim's first message (the rest: from its start)


# --- a dispatcher process --------------------------------------------------------------------

async def child(url: str, server: str, name: str, lease: float, batch: int) -> None:
    import httpx

    from bot.channels.port import DeliveryError
    from bot.clock import Clock
    from bot.db import make_engine, make_sessions
    from bot.dispatcher import Dispatcher, SqliteLock
    from bot.events import Capabilities

    class Recorded:
        """Sends to the recording server, saying which process sends."""

        capabilities = Capabilities(buttons=False, max_text=4000, rate_overall=100_000, rate_per_chat=100_000)

        def __init__(self, http: httpx.AsyncClient) -> None:
            self.name, self.http = CHANNEL, http

        async def send(self, chat_id, message) -> None:
            answer = await self.http.post(f"{server}/send", json={"chat": chat_id, "by": name})
            if answer.status_code != 200:
                raise DeliveryError(f"HTTP {answer.status_code}", permanent=False)

    lock = None
    if url.startswith("sqlite"):
        lock = SqliteLock(Path(url.split("///", 1)[1]))
        lock.acquire()  # the killed one's lock went with its process
    engine = make_engine(url)
    stopped = asyncio.Event()
    async with httpx.AsyncClient(timeout=30) as http:
        dispatcher = Dispatcher(sessions=make_sessions(engine), channels={CHANNEL: Recorded(http)}, clock=Clock(),
                                quiet_start=day_time(0), quiet_end=day_time(0),  # no quiet hours
                                lease=timedelta(seconds=lease), batch=batch)

        def stop() -> None:  # SIGTERM: as `chibo run` stops
            dispatcher.stop()
            stopped.set()

        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop)
        print(READY, flush=True)
        while not stopped.is_set():
            if not await dispatcher.run_until_empty():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopped.wait(), 0.05)
    await engine.dispose()
    if lock:
        lock.release()


# --- the campaign ----------------------------------------------------------------------------

@dataclass
class Recorder:
    """The chats' side: every message that arrived, in order, with the process that sent it."""

    deliveries: list[tuple[str, str]] = field(default_factory=list)
    last: dict[str, float] = field(default_factory=dict)  # when each process last delivered
    runner: web.AppRunner | None = None
    url: str = ""

    async def start(self) -> None:
        async def send(request: web.Request) -> web.Response:
            try:
                body = await request.json()
            except ConnectionResetError:  # its sender was killed mid-request: nothing arrived
                return web.Response(status=499)
            self.deliveries.append((body["chat"], body["by"]))
            self.last[body["by"]] = time.monotonic()
            return web.json_response({"ok": True})

        app = web.Application()
        app.router.add_post("/send", send)
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        host, port = self.runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"

    async def stop(self) -> None:
        await self.runner.cleanup()


@dataclass
class Process:
    slot: int
    name: str
    proc: asyncio.subprocess.Process
    ready: asyncio.Event
    log: Path


class Campaign:
    def __init__(self, url: str, args: argparse.Namespace, folder: Path) -> None:
        self.url, self.args, self.folder = url, args, folder
        self.rng = random.Random(args.seed)
        self.recorder = Recorder()
        self.running: dict[int, Process] = {}
        self.incarnations: Counter[int] = Counter()
        self.killed: set[str] = set()
        self.unexpected: list[str] = []
        self.messages = 0
        self.engine = None

    async def start(self, slot: int) -> Process:
        self.incarnations[slot] += 1
        name = f"d{slot}.{self.incarnations[slot]}"
        log = self.folder / f"{name}.log"
        proc = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "child", self.url, self.recorder.url, name, str(self.args.lease),
            str(self.args.batch), stdout=asyncio.subprocess.PIPE, stderr=log.open("w"))
        process = Process(slot, name, proc, asyncio.Event(), log)
        asyncio.create_task(self._watch(process))
        self.running[slot] = process
        return process

    async def _watch(self, process: Process) -> None:
        async for line in process.proc.stdout:
            if line.decode().strip() == READY:
                process.ready.set()
        code = await process.proc.wait()
        if code not in (0, -signal.SIGKILL):
            self.unexpected.append(f"{process.name} exited with {code}: {process.log.read_text()[-2000:]}")

    async def top_up(self) -> None:
        """Enough waiting in the outbox that every dispatcher has work at every kill."""
        from models.outbox import Outbox, OutboxStatus
        from models.people import ChatLink, Person

        keep = max(200, 2 * self.args.batch * self.args.dispatchers)
        async with self.sessions() as session, session.begin():
            waiting = (await session.exec(sa.select(sa.func.count()).select_from(Outbox).where(
                Outbox.status.in_([OutboxStatus.pending, OutboxStatus.in_flight])))).scalar()
            if waiting >= keep:
                return
            now = datetime.now(UTC) - timedelta(seconds=1)
            people = [Person(full_name=f"P {self.messages + i}", created_at=now) for i in range(keep)]
            session.add_all(people)
            await session.flush()
            for person in people:
                n = self.messages
                self.messages += 1
                session.add(ChatLink(channel=CHANNEL, account_id=f"c{n}", person_id=person.id, linked_at=now))
                session.add(Outbox(key=f"kill:{n}", person_id=person.id, kind="report_due",
                                   template="reminders/report_due", values={"month": "03/2026"},
                                   created_at=now, due_at=now))

    async def not_sent(self) -> int:
        from models.outbox import Outbox, OutboxStatus

        async with self.sessions() as session:
            return (await session.exec(sa.select(sa.func.count()).select_from(Outbox)
                                       .where(Outbox.status != OutboxStatus.sent))).scalar()

    async def run(self) -> dict:
        from bot.db import make_engine, make_sessions

        self.engine = make_engine(self.url)
        self.sessions = make_sessions(self.engine)
        await self.recorder.start()
        try:
            return await self._run()
        finally:
            for process in self.running.values():
                if process.proc.returncode is None:
                    process.proc.kill()
                    await process.proc.wait()
            await self.recorder.stop()
            await self.engine.dispose()

    async def _run(self) -> dict:
        began = time.monotonic()
        await self.top_up()
        for slot in range(self.args.dispatchers):
            await self.start(slot)
        moments, mid_flow = [], 0
        for _ in range(self.args.kills):
            await self.top_up()
            victim = await self._a_ready_one()
            if self.rng.random() < SENDING:  # from its first message on, else from its start
                await self._first_sent(victim)
            delay = self.rng.uniform(0, self.args.max_delay)
            moments.append(delay)
            await asyncio.sleep(delay)  # the random moment (the others go on meanwhile)
            victim.proc.kill()
            # killed while sending (it delivered within the last second), not idle or starting
            mid_flow += time.monotonic() - self.recorder.last.get(victim.name, -9) < 1
            await victim.proc.wait()  # its SQLite lock and its connections go with it
            self.killed.add(victim.name)
            await self.start(victim.slot)
        killed_at = time.monotonic()
        # The killed ones' claims come back after the lease; everything must go out.
        deadline = time.monotonic() + self.args.lease * 4 + 120
        while await self.not_sent():
            if time.monotonic() > deadline or self.unexpected:
                break
            await asyncio.sleep(0.2)
        left = await self.not_sent()
        codes = []
        for process in self.running.values():
            await asyncio.wait_for(process.ready.wait(), 120)
            process.proc.send_signal(signal.SIGTERM)
        for process in self.running.values():
            codes.append(await asyncio.wait_for(process.proc.wait(), 60))
        figures = self.figures(left, codes, moments, killed_at - began, time.monotonic() - began)
        figures["kills_while_sending"] = mid_flow
        return figures

    async def _first_sent(self, victim: Process) -> None:
        while victim.name not in self.recorder.last and victim.proc.returncode is None:
            await asyncio.sleep(0.01)

    async def _a_ready_one(self) -> Process:
        """A dispatcher that is running (chosen at random among those ready)."""
        while True:
            if self.unexpected:
                raise RuntimeError(self.unexpected[0])
            ready = [p for p in self.running.values() if p.ready.is_set() and p.proc.returncode is None]
            if ready:
                return self.rng.choice(sorted(ready, key=lambda p: p.slot))
            waits = [asyncio.create_task(p.ready.wait()) for p in self.running.values()]
            await asyncio.wait(waits, timeout=1, return_when=asyncio.FIRST_COMPLETED)
            for wait in waits:
                wait.cancel()

    def figures(self, left: int, codes: list[int], moments: list[float], killing: float, total: float) -> dict:
        by_chat: dict[str, list[str]] = defaultdict(list)
        last_of: dict[str, int] = {}
        for i, (chat, by) in enumerate(self.recorder.deliveries):
            by_chat[chat].append((i, by))
            last_of[by] = i
        expected = {f"c{n}" for n in range(self.messages)}
        lost = expected - set(by_chat)
        per_kill: Counter[str] = Counter()
        doubles = 0
        for sends in by_chat.values():
            for (before, by), _again in zip(sends, sends[1:]):
                if by in self.killed and last_of[by] == before:
                    per_kill[by] += 1  # sent by a process killed before it could mark it
                else:
                    doubles += 1
        return {
            "kills": len(self.killed), "dispatchers": self.args.dispatchers, "messages": self.messages,
            "deliveries": len(self.recorder.deliveries), "lost": len(lost), "not_marked_sent": left,
            "repeats": sum(per_kill.values()), "kills_with_a_repeat": len(per_kill),
            "max_repeats_per_kill": max(per_kill.values(), default=0), "doubles": doubles,
            "clean_stops": sum(code == 0 for code in codes), "processes_at_the_end": len(codes),
            "unexpected_exits": self.unexpected, "mean_moment_s": round(sum(moments) / max(1, len(moments)), 3),
            "killing_s": round(killing, 1), "total_s": round(total, 1),
            "deliveries_per_s_while_killing": round(len(self.recorder.deliveries) / max(killing, 0.1), 1),
        }


def within_bounds(f: dict) -> bool:
    return (f["lost"] == 0 and f["not_marked_sent"] == 0 and f["max_repeats_per_kill"] <= 1 and f["doubles"] == 0
            and f["clean_stops"] == f["processes_at_the_end"] and not f["unexpected_exits"])


async def scratch_database(url: str):
    """A database of its own beside `url` (PostgreSQL), made now; returns its URL and a dropper."""
    base = make_url(url)
    name = f"{base.database}_kill_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(base, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    async def drop() -> None:
        async with admin.connect() as conn:
            try:
                await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            except sa.exc.DBAPIError:
                await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        await admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


async def campaign(args: argparse.Namespace) -> dict:
    from sqlmodel import SQLModel

    import models  # noqa: F401  (every table)

    with tempfile.TemporaryDirectory(prefix="chibo-kill-") as folder:
        drop = None
        if args.database_url.startswith("postgresql"):
            url, drop = await scratch_database(args.database_url)
        else:
            url = f"sqlite+aiosqlite:///{folder}/kill.sqlite3"
        try:
            engine = create_async_engine(url)
            async with engine.begin() as conn:  # the models' schema (tests/test_migrations: the migrations' own)
                await conn.run_sync(SQLModel.metadata.create_all)
            await engine.dispose()
            return await Campaign(url, args, Path(folder)).run()
        finally:
            if drop:
                await drop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--database-url", default="sqlite", help="sqlite (a temporary file) or a PostgreSQL URL")
    parser.add_argument("--dispatchers", type=int, help="processes (SQLite: 1, PostgreSQL: 4)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--lease", type=float, default=5.0, help="the dispatchers' lease, seconds")
    parser.add_argument("--batch", type=int, default=50, help="rows a dispatcher claims at once")
    parser.add_argument("--max-delay", type=float, default=1.0,
                        help="a kill comes 0 to this many seconds after its victim said it was ready")
    args = parser.parse_args()
    sqlite = not args.database_url.startswith("postgresql")
    if args.dispatchers is None:
        args.dispatchers = 1 if sqlite else 4
    if sqlite and args.dispatchers != 1:
        parser.error("SQLite has one dispatcher by design")
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(2**32)
    lane = "sqlite" if sqlite else "postgresql"
    print(f"kill campaign on {lane}: seed {args.seed}, {args.kills} kills, {args.dispatchers} dispatcher(s), "
          f"lease {args.lease:g} s, batch {args.batch}", flush=True)
    figures = asyncio.run(campaign(args))
    for key, value in figures.items():
        print(f"  {key}: {value}")
    ok = within_bounds(figures)
    print("within bounds" if ok else "OUT OF BOUNDS (lost, repeats per kill, doubles, clean stops)")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        url, server, name, lease, batch = sys.argv[2:7]
        asyncio.run(child(url, server, name, float(lease), int(batch)))
    else:
        sys.exit(main())
