"""Whether a second chibo process on one PostgreSQL carries more: messages per second through
bench/engine.py's /them script, one process alone and then two at once, in the same run.

    .venv/bin/python bench/two_processes.py postgresql+asyncpg://USER:PASS@HOST/DB [--users 60]
        [--concurrency 20] [--rounds 2]

THE DATABASE IS EMPTIED (its public schema dropped) and migrated. Each process is its own
Python process with its own engine and connection pool, as `chibo run` is (without the HTTP
part: the engine's work is what is measured); each carries --users secretaries through /them,
--concurrency at a time, everyone its own chat. Rounds alternate one process and two, each with
new users, and every round's rate is printed: on a machine loaded by other work, compare the
ratios of neighbouring rounds, not the rates; the CPU per message (the workers' own) says
whether a second process costs more per message (contention) or merely finds no free core.
It measures; it never fails.
"""

import argparse
import asyncio
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.engine import PLAIN, SCRIPT, fresh_postgresql, seed, user  # noqa: E402
from bot.app import Chibo  # noqa: E402
from bot.channels.port import Incoming  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.config import Settings  # noqa: E402

CLOCK = datetime(2026, 3, 2, 2, tzinfo=UTC)


def chibo_on(url: str) -> Chibo:
    return Chibo(Settings(database_url=url, _env_file=None), FixedClock(CLOCK))


async def worker(url: str, first: int, users: int, concurrency: int) -> None:
    """One process: warm up, say "ready", wait for "go" on stdin, carry its users, print the count."""
    chibo = chibo_on(url)
    for n in range(concurrency):  # every pooled connection opened and every statement prepared once
        warm = Incoming(channel="bench", chat_id=f"warm-{first}-{n}", sender_id=f"warm-{first}-{n}",
                        text="/trogiup", message_id=f"warm-{first}-{n}", received_at=CLOCK)
        await chibo.process(warm, PLAIN)
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    counter = [0]
    gate = asyncio.Semaphore(concurrency)

    async def one(u: int) -> None:
        async with gate:
            await user(chibo, u, counter)

    start, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one(u) for u in range(first, first + users)))
    await chibo.close()
    print(json.dumps({"messages": counter[0], "seconds": time.perf_counter() - start,
                      "cpu": time.process_time() - cpu}), flush=True)


async def round_of(url: str, processes: int, first: int, users: int,
                   concurrency: int) -> tuple[int, float, float]:
    """`processes` workers at once, each with `users` users from `first` on: messages, seconds and
    the workers' CPU seconds."""
    procs = [await asyncio.create_subprocess_exec(
        sys.executable, __file__, url, "--worker", str(first + p * users), "--users", str(users),
        "--concurrency", str(concurrency), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        for p in range(processes)]
    for proc in procs:
        line = await proc.stdout.readline()
        assert line.strip() == b"ready", line
    start = time.perf_counter()
    for proc in procs:
        proc.stdin.write(b"go\n")
        await proc.stdin.drain()
    results = [json.loads(await proc.stdout.readline()) for proc in procs]
    elapsed = time.perf_counter() - start
    for proc in procs:
        await proc.wait()
    return sum(r["messages"] for r in results), elapsed, sum(r["cpu"] for r in results)


async def prepare(url: str, users: int) -> None:
    await fresh_postgresql(url)
    chibo = chibo_on(url)
    await seed(chibo, users)
    await chibo.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="a PostgreSQL database to empty and use (postgresql+asyncpg://...)")
    parser.add_argument("--users", type=int, default=60, help="users a process carries in a round")
    parser.add_argument("--concurrency", type=int, default=20, help="users at a time in a process")
    parser.add_argument("--rounds", type=int, default=2, help="pairs of rounds: one process, then two")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)  # the first user of a worker process
    args = parser.parse_args()
    if not args.url.startswith("postgresql"):
        parser.error("two processes share a PostgreSQL database: give its URL")
    if args.worker is not None:
        await worker(args.url, args.worker, args.users, args.concurrency)
        return
    await prepare(args.url, 3 * args.users * args.rounds)
    print(f"{args.users} users a process, {len(SCRIPT)} messages each, {args.concurrency} at a time")
    first, ratios = 0, []
    for r in range(args.rounds):
        rates = {}
        for processes in (1, 2):
            messages, seconds, cpu = await round_of(args.url, processes, first, args.users, args.concurrency)
            first += processes * args.users
            rates[processes] = messages / seconds
            print(f"round {r + 1}, {processes} process{'es' if processes > 1 else ''}: {messages} messages in"
                  f" {seconds:.2f} s, {rates[processes]:.0f} messages/s, CPU {1000 * cpu / messages:.1f} ms a message"
                  f" (load average {os.getloadavg()[0]:.1f})")
        ratios.append(rates[2] / rates[1])
        print(f"round {r + 1}: two processes carry {ratios[-1]:.2f}x one")
    print(f"ratio two processes / one: {', '.join(f'{x:.2f}' for x in ratios)} (goal >= 1.8)")


if __name__ == "__main__":
    asyncio.run(main())
