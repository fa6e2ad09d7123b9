"""Zalo's monthly quota: counted per calendar month, the operator warned at 80 %, reminders held
(not retried in a loop) once it is spent, digests and deadlines first when the month turns."""

import asyncio
import logging
from datetime import timedelta

from typer.testing import CliRunner

from bot.channels.port import Outgoing
from bot.cli import app
from bot.clock import Clock, vn_time
from bot.db import make_engine, make_sessions
from bot.engine.transaction import MessageTransaction
from bot.migrate import upgrade
from bot.quota import DbCounts, MemoryCounts, MonthlyQuota, month_of
from models.outbox import OutboxStatus
from tests.zalo.fake_zalo import SAFETY, fake_time, fake_zalo, make_channel, zalo_client  # noqa: F401
from tests.zalo.test_outbox import branch_id, dispatcher, on_zalo, queue, reminder, rows

ACCOUNTS = {"bithu": "z-thu", "giupdo": "z-binh", "quanchung": "z-qc", "captren": "z-cuong"}


def warnings(caplog, words: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and words in r.getMessage()]


async def four_people_on_zalo(demo) -> list[tuple[int, str]]:
    """(person id, Zalo chat) of the demo's four accounts, by person id."""
    return sorted([(await on_zalo(demo, account, chat), chat) for account, chat in ACCOUNTS.items()])


async def test_warned_at_80_percent_held_when_spent_and_digests_and_deadlines_first_next_month(
        demo, fake_zalo, zalo_client, fake_time, caplog):
    demo.clock.current = vn_time(2026, 3, 20, 9)
    quota = MonthlyQuota(DbCounts(demo.transaction), channel="zalo", limit=5, warn_percent=80, now=demo.clock.now)
    channel = make_channel(zalo_client, fake_time, demo.clock, quota=quota)
    people = await four_people_on_zalo(demo)
    branch = await branch_id(demo)
    # Two people wrote this month: four messages (the notice that chibo is automated, and a reply each).
    for chat in ("z-a", "z-b"):
        await channel.answer(chat, [Outgoing("Đã nhận.")])
    assert len(warnings(caplog, "4 of its 5 messages")) == 1  # 80 %: the operator is warned
    (first, _), (second, second_chat), (third, third_chat), (fourth, fourth_chat) = people
    await queue(demo, reminder(first, branch, kind="class_notice"), reminder(second, branch, kind="class_notice"),
                reminder(third, branch, kind="digest_week"), reminder(fourth, branch, kind="report_due"))
    run = dispatcher(demo, channel)
    assert await run.run_until_empty() == 1  # the fifth message: then the quota is spent
    assert len(warnings(caplog, "the quota is spent")) == 1
    held = [row for person in (second, third, fourth) for row in await rows(demo, person)]
    assert {(r.status, r.attempts) for r in held} == {(OutboxStatus.pending, 0)}  # kept, no try counted
    calls = len(fake_zalo.calls("sendMessage"))
    for _ in range(3):  # the dispatcher's runs through the rest of March: nothing is tried again
        demo.clock.advance(hours=3)
        assert await run.run_until_empty() == 0
    assert len(fake_zalo.calls("sendMessage")) == calls
    assert len(warnings(caplog, "4 of its 5")) == 1 and len(warnings(caplog, "quota is spent")) == 1
    demo.clock.current = vn_time(2026, 4, 1, 7)  # the month turns (quiet hours end at 07:00)
    assert await run.run_until_empty() == 3
    order = [body["chat_id"] for body in fake_zalo.calls("sendMessage")[calls:]]
    assert order == [third_chat, fourth_chat, second_chat]  # the digest and the deadline first
    sent = [row for person in (second, third, fourth) for row in await rows(demo, person)]
    assert {(r.status, r.attempts) for r in sent} == {(OutboxStatus.sent, 1)}


async def test_a_quota_429_holds_reminders_without_retrying_in_a_loop(demo, fake_zalo, zalo_client, fake_time,
                                                                       caplog):
    demo.clock.current = vn_time(2026, 3, 20, 9)
    quota = MonthlyQuota(DbCounts(demo.transaction), channel="zalo", limit=3000, now=demo.clock.now)
    channel = make_channel(zalo_client, fake_time, demo.clock, quota=quota)
    people = await four_people_on_zalo(demo)
    branch = await branch_id(demo)
    fake_zalo.quota = 1  # Zalo's count differs from chibo's: it refuses the second message
    await queue(demo, *(reminder(person, branch, kind="class_notice") for person, _ in people))
    run = dispatcher(demo, channel)
    assert await run.run_until_empty() == 1
    assert len(fake_zalo.calls("sendMessage")) == 2  # the one sent, the one refused; the rest not tried
    assert not [s for s in fake_time.slept if s >= 30]  # no pause for a 429 that says the month is used up
    assert len(warnings(caplog, "quota for 2026-03 is used up")) == 1
    held = [row for person, _ in people[1:] for row in await rows(demo, person)]
    assert {(r.status, r.due_at.replace(tzinfo=None)) for r in held} == {
        (OutboxStatus.pending, vn_time(2026, 4, 1, 0, 1).replace(tzinfo=None))}  # next month
    demo.clock.advance(hours=3)
    assert await run.run_until_empty() == 0 and len(fake_zalo.calls("sendMessage")) == 2


def test_chibo_outbox_shows_the_month_against_zalos_quota(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    url = f"sqlite+aiosqlite:///{tmp_path}/chibo.sqlite3"
    for name, value in {"CHIBO_DATABASE_URL": url, "CHIBO_ZALO_TOKEN": "", "CHIBO_TELEGRAM_TOKEN": "",
                        "CHIBO_ZALO_MONTHLY_QUOTA": "3000"}.items():
        monkeypatch.setenv(name, value)
    upgrade(url)
    month = month_of(Clock().now())  # `chibo outbox` reads the wall clock

    async def counted(n: int, spent: bool = False) -> None:
        engine = make_engine(url)
        counts = DbCounts(lambda: MessageTransaction(engine, make_sessions(engine)))
        await counts.add("zalo", month, n)
        if spent:
            await counts.flag("zalo", month)
        await engine.dispose()

    runner = CliRunner()
    assert "Zalo" not in runner.invoke(app, ["outbox"]).output  # Zalo neither set up nor used
    asyncio.run(counted(2450))
    out = runner.invoke(app, ["outbox"]).output
    assert f"Zalo tháng {month:%m/%Y}: đã gửi 2.450/3.000 tin nhắn (81 %) · SẮP HẾT hạn mức" in out
    asyncio.run(counted(10, spent=True))
    out = runner.invoke(app, ["outbox"]).output
    resumes = (month + timedelta(days=32)).replace(day=1)
    assert f"2.460/3.000 tin nhắn (82 %) · ĐÃ HẾT hạn mức: nhắc việc được giữ lại đến ngày {resumes:%d/%m/%Y}" in out


class WatchedCounts(DbCounts):
    """The database's counts, with each write seen."""

    def __init__(self, transaction) -> None:
        super().__init__(transaction)
        self.writes: list[int] = []
        self.written = asyncio.Event()

    async def add(self, channel, month, n):
        total = await super().add(channel, month, n)
        self.writes.append(n)
        self.written.set()
        return total


async def test_chibo_run_writes_a_seconds_count_at_once_and_holds_by_what_it_has_not_written_yet(
        demo, zalo_client, fake_time, caplog):
    demo.clock.current = vn_time(2026, 3, 20, 9)
    second_passed = asyncio.Event()

    async def one_second(seconds: float) -> None:
        assert seconds == 1.0
        await second_passed.wait()

    counts = WatchedCounts(demo.transaction)
    quota = MonthlyQuota(counts, channel="zalo", limit=5, warn_percent=80, now=demo.clock.now, every=1.0,
                         sleep=one_second)
    channel = make_channel(zalo_client, fake_time, demo.clock, quota=quota)
    for chat in ("z-a", "z-b"):  # four messages: the notice that chibo is automated, and a reply each
        await channel.answer(chat, [Outgoing("Đã nhận.")])
    month = month_of(demo.clock.now())
    assert await DbCounts(demo.transaction).usage("zalo", month) == (0, False)  # nothing written yet…
    assert (await quota.usage()).sent == 4 and not warnings(caplog, "of its 5")  # …but counted here
    second_passed.set()
    await asyncio.wait_for(counts.written.wait(), SAFETY)
    assert counts.writes == [4]  # one write for the four
    assert len(warnings(caplog, "4 of its 5 messages")) == 1
    second_passed.clear()
    await channel.answer("z-a", [Outgoing("Đã nhận.")])  # the fifth, not yet written
    assert await quota.spent()  # this process holds reminders already
    await channel.stop()  # what is left is written when the channel stops
    assert counts.writes == [4, 1] and await DbCounts(demo.transaction).usage("zalo", month) == (5, False)
    assert len(warnings(caplog, "the quota is spent")) == 1


async def test_a_count_the_database_could_not_take_is_written_with_the_next_batch(caplog):
    class AwayOnce(MemoryCounts):
        away = True

        async def add(self, channel, month, n):
            if self.away:
                self.away = False
                raise ConnectionError("the database is away")
            return await super().add(channel, month, n)

    now = lambda: vn_time(2026, 3, 20, 9)  # noqa: E731
    counts = AwayOnce()
    quota = MonthlyQuota(counts, channel="zalo", limit=3000, now=now, every=1.0, sleep=lambda s: asyncio.sleep(0))
    await quota.record(2)
    await quota._writing  # the batch's write fails: its two stay counted here
    assert "could not count the messages sent on zalo" in caplog.text
    assert await counts.usage("zalo", month_of(now())) == (0, False) and (await quota.usage()).sent == 2
    await quota.record()
    await quota._writing
    assert await counts.usage("zalo", month_of(now())) == (3, False)
