"""Crash safety: a dispatcher killed with SIGKILL at many points loses nothing, and repeats
at most the one message it had in flight at each kill."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import Clock
from models.outbox import Outbox
from models.people import ChatLink, Person

SCRIPT = Path(__file__).with_name("crash_dispatcher.py")
PEOPLE = 40


@pytest.fixture
async def loaded(chibo):
    now = Clock().now() - timedelta(days=1)  # due since yesterday
    async with chibo.sessions() as session, session.begin():
        for i in range(PEOPLE):
            person = Person(full_name=f"P {i}", created_at=now)
            session.add(person)
            await session.flush()
            session.add(ChatLink(channel="console", account_id=f"acct{i}", person_id=person.id, linked_at=now))
            session.add(Outbox(key=f"k{i}", person_id=person.id, kind="report_due", template="reminders/report_due",
                               values={"month": "03/2026"}, created_at=now, due_at=now))
    return chibo


def lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def test_killed_dispatchers_deliver_everything_with_at_most_one_repeat_per_kill(loaded, settings, tmp_path):
    deliveries = tmp_path / "delivered.txt"
    kills = 0
    for run in range(1, 30):
        proc = subprocess.Popen([sys.executable, str(SCRIPT), settings.database_url, str(deliveries), str(run)])
        target = len(lines(deliveries)) + 3
        deadline = time.monotonic() + 60  # a safety net, not a wait for anything to happen
        while proc.poll() is None and len(lines(deliveries)) < target and time.monotonic() < deadline:
            time.sleep(0.001)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            kills += 1
        else:
            assert proc.returncode == 0
            break
    got = Counter(lines(deliveries))
    assert set(got) == {f"acct{i}" for i in range(PEOPLE)}, "a message was lost"
    repeats = sum(n - 1 for n in got.values())
    assert kills >= 3 and repeats <= kills


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL lane only")
async def test_two_dispatchers_on_postgresql_deliver_each_message_once(loaded, settings):
    import asyncio

    from bot.channels.memory import MemoryChannel
    from bot.clock import FixedClock
    from bot.db import make_engine, make_sessions
    from bot.dispatcher import Dispatcher

    async def no_wait(_s):
        await asyncio.sleep(0)  # let the other dispatcher in between sends

    engines = [make_engine(settings.database_url) for _ in range(2)]
    channels = [MemoryChannel("console") for _ in range(2)]
    clock = FixedClock(Clock().now().replace(hour=2, minute=0))
    dispatchers = [Dispatcher(sessions=make_sessions(e), channels={"console": c}, clock=clock, batch=4, sleep=no_wait)
                   for e, c in zip(engines, channels)]
    try:
        await asyncio.gather(*(d.run_until_empty() for d in dispatchers))
    finally:
        for engine in engines:
            await engine.dispose()
    got = Counter(chat for c in channels for chat, msgs in c.sent.items() for _ in msgs)
    assert got == Counter({f"acct{i}": 1 for i in range(PEOPLE)})
    assert all(c.sent for c in channels), "one dispatcher did all the work"
