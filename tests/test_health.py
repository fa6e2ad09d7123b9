"""The health check's answer: the database, the scheduler's role in this process, the backlog."""

from datetime import timedelta

from bot.db import make_engine, make_sessions
from bot.health import health
from bot.leader import Leadership
from tests.zalo.fake_zalo import free_port
from bot.scheduler import enqueue_due


async def test_the_backlog_counts_what_is_due_and_not_yet_sent(demo):
    queued = await enqueue_due(demo.sessions, demo.clock.now())  # the demo's reminders for 02/03/2026
    assert queued == 4
    ok, said = await health(demo.sessions, None, demo.clock.now)
    assert (ok, said) == (True, {"database": "ok", "scheduler": "leader", "outbox_due": 4})
    ok, said = await health(demo.sessions, None, lambda: demo.clock.now() - timedelta(days=1))
    assert said["outbox_due"] == 0  # nothing was due yesterday


async def test_a_standby_process_says_so(demo):
    standby = Leadership(demo.db)
    standby.leading = False  # as on PostgreSQL while another process holds the lock
    assert await health(demo.sessions, standby, demo.clock.now) == (
        True, {"database": "ok", "scheduler": "standby", "outbox_due": 0})


async def test_an_unreachable_database_is_unhealthy_and_says_only_that(tmp_path, clock):
    engine = make_engine(f"postgresql+asyncpg://nobody:wrong@127.0.0.1:{free_port()}/none")
    try:
        assert await health(make_sessions(engine), None, clock.now) == (False, {"database": "unreachable"})
    finally:
        await engine.dispose()
