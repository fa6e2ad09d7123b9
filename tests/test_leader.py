"""One process runs the scheduled jobs (reminders, digests) however many share the database;
when it dies another takes over. Dispatching runs everywhere (its claims are exclusive)."""

import asyncio
import os
import signal
import sys

import pytest
from sqlalchemy import func, select, text

from bot.db import make_engine
from bot.dispatcher import Dispatcher
from bot.leader import SCHEDULER_LOCK, Leadership
from bot.scheduler import Jobs
from models.outbox import Outbox

PG_ONLY = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL lane only")


async def outbox_rows(chibo) -> int:
    async with chibo.sessions() as session:
        return (await session.exec(select(func.count()).select_from(Outbox))).one()[0]


async def morning_run(jobs: Jobs) -> None:
    await jobs.scheduler.get_job("morning").func()


def jobs_for(chibo, leadership: Leadership | None) -> Jobs:
    return Jobs(chibo.sessions, Dispatcher(sessions=chibo.sessions, channels={}, clock=chibo.clock),
                chibo.clock, leadership)


async def test_on_sqlite_the_one_process_runs_the_reminders(demo, database_url):
    if database_url.startswith("postgresql"):
        pytest.skip("SQLite lane: a second process on one SQLite file is refused at start")
    engine = make_engine(database_url)
    try:
        jobs = jobs_for(demo, Leadership(engine))
        await morning_run(jobs)
        assert await outbox_rows(demo) > 0  # the demo has reminders due on 02/03/2026
    finally:
        await engine.dispose()


@PG_ONLY
async def test_of_two_processes_only_the_leader_runs_the_reminders_and_the_other_takes_over(demo, database_url):
    engines = [make_engine(database_url), make_engine(database_url)]
    first, second = Leadership(engines[0]), Leadership(engines[1])
    try:
        assert await first.try_lead() is True
        assert await second.try_lead() is False
        follower = jobs_for(demo, second)
        await morning_run(follower)
        assert await outbox_rows(demo) == 0  # the follower computed nothing
        await first.release()  # a clean stop hands over at once
        await morning_run(follower)
        assert second.leading and await outbox_rows(demo) > 0
        assert await first.try_lead() is False  # and the first, back, follows
    finally:
        await first.release()
        await second.release()
        for engine in engines:
            await engine.dispose()


@PG_ONLY
async def test_when_the_leading_process_is_killed_another_leads(database_url):
    """A real process takes the lock and is killed with SIGKILL: the server frees the lock with
    its connection, and the next try (every 20 s in chibo) succeeds."""
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    script = (
        "import asyncio, asyncpg, sys\n"
        "async def main():\n"
        f"    conn = await asyncpg.connect({dsn!r})\n"
        f"    assert await conn.fetchval('SELECT pg_try_advisory_lock({SCHEDULER_LOCK})')\n"
        "    print('leading', flush=True)\n"
        "    await asyncio.Event().wait()\n"
        "asyncio.run(main())\n"
    )
    leader = await asyncio.create_subprocess_exec(sys.executable, "-c", script, stdout=asyncio.subprocess.PIPE)
    engine = make_engine(database_url)
    follower = Leadership(engine)
    try:
        assert await asyncio.wait_for(leader.stdout.readline(), 30) == b"leading\n"
        assert await follower.try_lead() is False
        leader.send_signal(signal.SIGKILL)
        await leader.wait()
        for _ in range(200):  # the server notices the closed socket within milliseconds
            if await follower.try_lead():
                break
            await asyncio.sleep(0.05)
        assert follower.leading
    finally:
        if leader.returncode is None:
            leader.kill()
            await leader.wait()
        await follower.release()
        await engine.dispose()


async def idle_in_transaction(engine) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction'"
            " AND datname = current_database()"))).scalar()


@PG_ONLY
async def test_checks_side_by_side_in_one_process_make_one_leader_that_holds_the_lock(database_url):
    """The jobs of one process ask at the same moment (the start's catch-up, the leadership check,
    a reminder run): before, they shared one connection at once, failed, and one process could
    believe it led without the lock while the other took it."""
    engines = [make_engine(database_url) for _ in range(3)]
    first, second = Leadership(engines[0]), Leadership(engines[1])
    try:
        got = await asyncio.gather(*(who.try_lead() for who in (first, first, second, second, first, second)))
        assert sorted(got) == [False] * 3 + [True] * 3 and first.leading != second.leading
        leader = first if first.leading else second
        assert await asyncio.gather(leader.try_lead(), leader.try_lead()) == [True, True]
        async with engines[2].connect() as conn:  # the lock is really held: nobody else gets it
            assert (await conn.execute(text(f"SELECT pg_try_advisory_lock({SCHEDULER_LOCK})"))).scalar() is False
        assert await idle_in_transaction(engines[2]) == 0  # a check leaves no transaction open
    finally:
        await first.release()
        await second.release()
        for engine in engines:
            await engine.dispose()
