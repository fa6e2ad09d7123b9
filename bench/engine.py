"""How fast the engine carries conversations: messages per second through a full /them,
beside a baseline of the same number of plain aiosqlite row writes in the same run: the engine
runs in rounds (--rounds, 6), and the bare writes are timed before each round and after the
last, each round set against the mean of the two around it.

    .venv/bin/python bench/engine.py [--users 300] [--concurrency 20] [--rounds 6] [--profile FILE]
        [--database-url postgresql+asyncpg://...   (EMPTIED: its public schema is dropped)]

It measures; it never fails. The ratio says what the engine costs over bare writes; the round
trips are the calls handed to aiosqlite's thread per message (each statement but the lookups
read on the event loop's thread, and each commit not made in its statement's trip), with the
statements by kind (counted at the driver); the CPU time is this
process's (all its threads) over the engine run, per message, and the part of it spent in the
event loop's thread (where the engine's Python runs; the rest is mostly SQLite's thread): on a
loaded machine these say more than the rate. On PostgreSQL the round trips are the statements, BEGINs, COMMITs and
the pings of connections back from sitting idle, and the baseline is raw asyncpg.
--profile writes a cProfile of the engine run alone (pstats format), timed by the main thread's CPU.
--parts runs the messages one at a time and says where the event loop's CPU goes in each: the
connection's checkout, the chat's read, the routing (the handlers), the rendering and the write,
for the messages whose handlers opened a session and for the others.
"""

import argparse
import asyncio
import cProfile
from collections import Counter
from collections.abc import Awaitable, Callable
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiosqlite  # noqa: E402
import asyncpg  # noqa: E402
import asyncpg.prepared_stmt  # noqa: E402
from sqlalchemy import text as sql_text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from bot import sqlite_driver  # noqa: E402
from bot.app import Chibo  # noqa: E402
from bot.channels.port import Capabilities, Incoming  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from models.org import add_org  # noqa: E402
from models.people import Person, grant_role, link_chat  # noqa: E402
from models.stage import OrgKind, Role  # noqa: E402

PLAIN = Capabilities(buttons=False, max_text=2000)
STATEMENTS: Counter[str] = Counter()  # statements sent during the run, by their first word
COUNTING: list[Counter[str] | None] = [None]  # where count_statements counts, during the engine run
THREAD_TRIPS = [0, 0]  # calls handed to aiosqlite's thread (and back): all, and the engine run's
# /them to the end: name and birth date (each user's own: no one is taken for a duplicate),
# sex, group, unit (skipped), union member, introduced by, note (skipped), save.
SCRIPT = ["/them", None, None, "2", "1", "1", "1", "1", "1", "1"]


def letters(n: int) -> str:
    out = ""
    while True:
        out = chr(ord("a") + n % 26) + out
        n //= 26
        if n == 0:
            return out


async def seed(chibo: Chibo, users: int, channel: str = "bench", account: Callable[[int], str] = "u{}".format) -> None:
    """Ten secretaries a branch, user u linked on `channel` as `account` with u in it."""
    now = chibo.clock.now()
    async with chibo.sessions() as session, session.begin():
        committee = await add_org(session=session, name="Bench", kind=OrgKind.committee, parent=None, now=now)
        for b in range((users + 9) // 10):
            branch = await add_org(session=session, name=f"Branch {b}", kind=OrgKind.branch,
                                   parent=committee, now=now)
            for u in range(b * 10, min(users, b * 10 + 10)):
                person = Person(full_name=f"User {u}", created_at=now)
                session.add(person)
                await session.flush()
                await grant_role(session=session, person_id=person.id, org_id=branch.id, role=Role.secretary)
                await link_chat(session=session, channel=channel, account_id=account(u), person_id=person.id,
                                now=now)


def said(u: int, i: int) -> str:
    """User u's i-th message of SCRIPT: ten users a branch, each their own name and birth date."""
    return SCRIPT[i] or (f"Nguyễn Văn {letters(u).capitalize()}" if i == 1 else f"05/09/{1990 + 2 * (u % 10)}")


async def user(chibo: Chibo, u: int, counter: list[int]) -> None:
    for i, text in enumerate(SCRIPT):
        text = text or said(u, i)
        incoming = Incoming(channel="bench", chat_id=f"u{u}", sender_id=f"u{u}", text=text,
                            message_id=f"{u}-{i}", received_at=chibo.clock.now())
        out = await chibo.process(incoming, PLAIN)
        assert out, "no answer"
        await chibo.sent(incoming)  # as every channel does once the answer is out
        counter[0] += 1
    assert "Đã lưu" in out[0].text, out[0].text


async def fresh_postgresql(url: str) -> None:
    """An emptied PostgreSQL database (its public schema dropped), migrated."""
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(sql_text("DROP SCHEMA public CASCADE"))
        await conn.execute(sql_text("CREATE SCHEMA public"))
    await engine.dispose()
    await asyncio.to_thread(upgrade, url)


async def engine_run(path: Path | str, users: int, concurrency: int, profile: cProfile.Profile | None = None,
                     rounds: int = 1, bare: Callable[[int], Awaitable[float]] | None = None,
                     ) -> tuple[int, float, float, float, float]:
    """The engine carries `users` conversations in `rounds` rounds of as many users each, and
    `bare(writes)` (if given) times as many bare writes before each round and once after the last:
    the messages, the engine's seconds, CPU seconds and event loop CPU seconds (rounds summed),
    and the bare writes' seconds (the mean of those around each round, summed)."""
    if str(path).startswith("postgresql"):
        url = str(path)
        await fresh_postgresql(url)
    else:
        url = f"sqlite+aiosqlite:///{path}"
        await asyncio.to_thread(upgrade, url)
    chibo = Chibo(Settings(database_url=url, _env_file=None), FixedClock(datetime(2026, 3, 2, 2, tzinfo=UTC)))
    await seed(chibo, users)
    counter = [0]
    gate = asyncio.Semaphore(concurrency)
    statements: Counter[str] = Counter()

    if chibo.db.dialect.name == "postgresql":  # what else goes to the server and back
        ping = chibo.db.dialect.do_ping

        def pinged(connection) -> bool:
            statements["PING (an idle connection)"] += 1
            return ping(connection)

        chibo.db.dialect.do_ping = pinged

    async def one(u: int) -> None:
        async with gate:
            await user(chibo, u, counter)

    groups = [range(users * r // rounds, users * (r + 1) // rounds) for r in range(rounds)]
    spent = [0.0, 0.0, 0.0]  # the engine's seconds, CPU seconds, event loop CPU seconds
    bare_s, before = 0.0, None
    trips = 0
    for r, group in enumerate(groups):
        if bare is not None:
            before = before if before is not None else await bare(len(group) * len(SCRIPT))
        COUNTING[0] = statements
        trips -= THREAD_TRIPS[0]
        if profile:
            profile.enable()
        start, cpu, main_cpu = time.perf_counter(), time.process_time(), time.thread_time()
        await asyncio.gather(*(one(u) for u in group))
        if r == rounds - 1:
            await chibo.close()  # the last marks of answers sent are part of the work
        for at, now in enumerate((time.perf_counter() - start, time.process_time() - cpu,
                                  time.thread_time() - main_cpu)):
            spent[at] += now
        if profile:
            profile.disable()
        trips += THREAD_TRIPS[0]
        COUNTING[0] = None
        if bare is not None:  # the bare writes just after this round are the next one's before
            after = await bare(len(group) * len(SCRIPT))
            bare_s += (before + after) / 2
            before = after
    STATEMENTS.update(statements)
    THREAD_TRIPS[1] = trips
    return counter[0], spent[0], spent[1], spent[2], bare_s


def count_statements(cursor: type) -> None:
    """Count every statement handed to the DBAPI cursor class `cursor` (SQLAlchemy's own, or
    bot/prepared.py's, which pass SQLAlchemy's events by), by its first word."""
    for name in ("execute", "executemany"):
        method = getattr(cursor, name)

        def counted(self, sql, *args, _method=method, **kwargs):
            if COUNTING[0] is not None:
                COUNTING[0][sql.split(None, 1)[0].upper()] += 1
            return _method(self, sql, *args, **kwargs)

        setattr(cursor, name, counted)


PARTS: dict[tuple[str, bool], list[float]] = {}  # (part, a session was opened) -> CPU seconds, messages


def time_parts() -> None:
    """--parts: the event loop thread's CPU in each part of a message, by whether its handlers
    opened a session. Meaningful one message at a time (--concurrency 1): the CPU of an awaited
    part is then its own."""
    from bot import app
    from bot.engine import engine as engine_module
    from bot.engine.transaction import MessageTransaction

    current: list[dict[str, float]] = [{}]

    def timed(owner, name: str, part: str, awaited: bool) -> None:
        original = getattr(owner, name)

        async def timed_async(*args, **kwargs):
            start = time.thread_time()
            try:
                return await original(*args, **kwargs)
            finally:
                current[0][part] = current[0].get(part, 0.0) + time.thread_time() - start

        def timed_sync(*args, **kwargs):
            start = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                current[0][part] = current[0].get(part, 0.0) + time.thread_time() - start

        setattr(owner, name, timed_async if awaited else timed_sync)

    timed(MessageTransaction, "__aenter__", "checkout", True)
    timed(engine_module, "read_chat", "read", True)
    timed(engine_module.Engine, "_route", "route", True)
    timed(app, "render", "render", False)
    timed(engine_module, "write_chat", "write (the connection given back)", True)
    handle = engine_module.Engine._handle
    enter = MessageTransaction.__aenter__

    async def opened(self):
        transaction = await enter(self)
        current[0]["tx"] = transaction  # type: ignore[assignment]
        return transaction

    async def whole(self, incoming, keep):
        current[0] = {}
        start = time.thread_time()
        try:
            return await handle(self, incoming, keep)
        finally:
            spent = current[0]
            spent["whole message"] = time.thread_time() - start
            session = spent.pop("tx").opened_session is not None  # type: ignore[union-attr]
            if COUNTING[0] is not None:
                for part, seconds in spent.items():
                    total = PARTS.setdefault((part, session), [0.0, 0])
                    total[0] += seconds
                    total[1] += 1

    MessageTransaction.__aenter__ = opened  # type: ignore[method-assign]
    engine_module.Engine._handle = whole  # type: ignore[method-assign]


def print_parts() -> None:
    for session in (False, True):
        rows = [(part, seconds, n) for (part, opened), (seconds, n) in PARTS.items() if opened == session]
        if not rows:
            continue
        messages = max(n for _, _, n in rows)
        print(f"messages {'with' if session else 'without'} a session ({messages}), event loop CPU in µs a message:")
        for part, seconds, _ in rows:
            print(f"    {part:36s} {1e6 * seconds / messages:7.0f}")


def count_asyncpg() -> None:
    """Count every statement asyncpg sends, by its first word: the engine's own (straight on
    asyncpg's connection), those through SQLAlchemy's adapter (its prepared statements) and the
    BEGIN, COMMIT and ROLLBACK of either (asyncpg's transactions send them as statements)."""
    def counting(owner: type, name: str, query: Callable) -> None:
        method = getattr(owner, name)

        async def counted(self, *args, _method=method, **kwargs):
            if COUNTING[0] is not None:
                COUNTING[0][query(self, args).split(None, 1)[0].rstrip(";").upper()] += 1
            return await _method(self, *args, **kwargs)

        setattr(owner, name, counted)

    for name in ("execute", "executemany", "fetch", "fetchval", "fetchrow"):
        counting(asyncpg.connection.Connection, name, lambda _self, args: args[0])
    for name in ("fetch", "fetchval", "fetchrow", "executemany"):
        counting(asyncpg.prepared_stmt.PreparedStatement, name, lambda self, _args: self.get_query())


READ_HERE = [0]  # lookups read on the event loop's thread (bot/sqlite_driver.py's fetch_here)


def count_reads_here() -> None:
    fetch_here = getattr(sqlite_driver.Connection, "fetch_here", None)
    if fetch_here is None:  # older code, timed against this one: no lookup is read here
        return

    def counted(self, sql, parameters):
        if COUNTING[0] is not None:
            READ_HERE[0] += 1
        return fetch_here(self, sql, parameters)

    sqlite_driver.Connection.fetch_here = counted


def count_thread_trips() -> None:
    """Count every call aiosqlite hands to its thread: each is a wake-up of that thread and then of
    the event loop, which costs more than SQLite's own work on a busy machine."""
    execute = aiosqlite.Connection._execute

    async def counted(self, fn, *args, **kwargs):
        THREAD_TRIPS[0] += 1
        return await execute(self, fn, *args, **kwargs)

    aiosqlite.Connection._execute = counted


async def baseline(path: Path, writes: int) -> float:
    """The same number of single-row writes, each its own transaction, on raw aiosqlite."""
    async with aiosqlite.connect(path) as db:
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, chat TEXT, body TEXT)")
        await db.commit()
        start = time.perf_counter()
        for i in range(writes):
            await db.execute("INSERT INTO t (chat, body) VALUES (?, ?)", (f"u{i % 100}", "x" * 40))
            await db.commit()
        return time.perf_counter() - start


async def baseline_postgresql(url: str, writes: int) -> float:
    """The same number of single-row writes, each its own transaction (autocommit), on raw asyncpg."""
    db = await asyncpg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        await db.execute("CREATE TEMPORARY TABLE t (id SERIAL PRIMARY KEY, chat TEXT, body TEXT)")
        insert = await db.prepare("INSERT INTO t (chat, body) VALUES ($1, $2)")
        start = time.perf_counter()
        for i in range(writes):
            await insert.fetch(f"u{i % 100}", "x" * 40)
        return time.perf_counter() - start
    finally:
        await db.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the engine run here")
    parser.add_argument("--rounds", type=int, default=6,
                        help="the engine's run in this many rounds, the bare writes timed around each")
    parser.add_argument("--parts", action="store_true", help="one message at a time: where each one's CPU goes")
    parser.add_argument("--database-url", help="a PostgreSQL database to EMPTY and use instead of SQLite"
                                               " (postgresql+asyncpg://...)")
    args = parser.parse_args()
    # The main thread's own CPU time: waits for the database thread and for the GIL are not in it,
    # so the profile holds on a loaded machine.
    profile = cProfile.Profile(time.thread_time) if args.profile else None
    count_thread_trips()
    if args.database_url:
        count_asyncpg()
    else:
        count_statements(sqlite_driver.Cursor)
        count_reads_here()
    if args.parts:
        time_parts()
        args.concurrency = 1
    writes = args.users * len(SCRIPT)
    with tempfile.TemporaryDirectory() as tmp:
        async def bare(count: int) -> float:  # a fresh table each time
            if args.database_url:
                return await baseline_postgresql(args.database_url, count)
            return await baseline(Path(tmp) / f"baseline-{time.monotonic_ns()}.sqlite3", count)

        # The bare writes run between the engine's rounds, and each round is set against the mean
        # of those just before and just after it: this machine's speed drifts within a minute,
        # the bare writes' (disk) most of all, and a drift then moves both sides of the ratio.
        where = args.database_url or Path(tmp) / "engine.sqlite3"
        messages, engine_s, cpu_s, main_s, base_s = await engine_run(
            where, args.users, args.concurrency, profile, rounds=min(args.rounds, args.users), bare=bare)
    engine_rate, base_rate = messages / engine_s, writes / base_s
    driver = "asyncpg" if args.database_url else "aiosqlite"
    print(f"messages: {messages} ({args.users} users x {len(SCRIPT)} messages, {args.concurrency} at a time)")
    print(f"engine:   {engine_rate:8.0f} messages/s  ({engine_s:.2f} s, CPU {1000 * cpu_s / messages:.2f} ms"
          f" per message, {1000 * main_s / messages:.2f} of it in the event loop's thread;"
          f" load average {os.getloadavg()[0]:.1f})")
    print(f"baseline: {base_rate:8.0f} plain {driver} row writes/s  (timed around each of the engine's"
          f" {min(args.rounds, args.users)} rounds)")
    print(f"ratio:    the engine costs {base_rate / engine_rate:.1f}x a bare single-row write per message")
    sent = sum(STATEMENTS.values())
    kinds = ", ".join(f"{kind} {n / messages:.2f}" for kind, n in STATEMENTS.most_common())
    if args.database_url:
        print(f"database round trips per message: {sent / messages:.2f} ({kinds})")
    else:
        trips, here = THREAD_TRIPS[1], READ_HERE[0]
        print(f"database statements per message: {(sent + here) / messages:.2f}: {here / messages:.2f} lookups read"
              f" on the event loop's thread, {kinds} in trips to aiosqlite's thread")
        print(f"database round trips per message (trips to aiosqlite's thread): {trips / messages:.2f}"
              f" (commits in a trip of their own {(trips - sent) / messages:.2f})")
    if args.parts:
        print_parts()
    if profile:
        profile.dump_stats(args.profile)


if __name__ == "__main__":
    asyncio.run(main())
