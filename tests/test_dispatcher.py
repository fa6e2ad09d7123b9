"""The dispatcher's promises: it gives up after its attempt limit (and says so to the secretary),
takes back a claim whose lease ran out, and runs alone on a SQLite file."""

import asyncio
import logging
import subprocess
import sys
from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from bot.channels.memory import MemoryChannel
from bot.channels.port import DeliveryError
from bot.clock import VN, vn_time
from bot.dispatcher import MAX_ATTEMPTS, Dispatcher, DispatcherBusy, SqliteLock, quiet
from bot.scheduler import enqueue_due, tick
from models.outbox import Outbox, OutboxStatus
from models.people import ChatLink

LEASE = timedelta(minutes=5)


async def no_wait(_seconds: float) -> None:
    return None


class Down(MemoryChannel):
    """Chats in `down` fail with a temporary error every time; each try is noted with its time."""

    def __init__(self, clock, down: set[str]) -> None:
        super().__init__("console")
        self.clock, self.down = clock, down
        self.tries: list[tuple[str, object]] = []

    async def send(self, chat_id, message):
        self.tries.append((chat_id, self.clock.now()))
        if chat_id in self.down:
            raise DeliveryError("timeout", permanent=False)
        await super().send(chat_id, message)


class Killed(BaseException):
    """The process dies in the middle of a send (nothing after this line of the dispatcher runs)."""


class DiesOnSend(MemoryChannel):
    async def send(self, chat_id, message):
        raise Killed()


def dispatcher(demo, channel) -> Dispatcher:
    return Dispatcher(sessions=demo.sessions, channels={"console": channel}, clock=demo.clock, sleep=no_wait,
                      lease=LEASE)


async def rows_of(demo, account: str) -> list[Outbox]:
    async with demo.sessions() as session:
        person = (await session.exec(sa.select(ChatLink.person_id).where(ChatLink.account_id == account))).scalar()
        return list((await session.exec(sa.select(Outbox).where(Outbox.person_id == person)
                                        .order_by(Outbox.id))).scalars())


async def test_a_run_until_empty_ends_when_a_claim_comes_back_short(demo):
    """The run stops on its own once everything due has gone (a claim shorter than the batch),
    without being stopped. First in the file: a run that never ended would hang the tests below
    (tick runs it), this one fails instead."""
    branch, _ = await demo_branches(demo)
    await queue(demo, "bithu", "r", branch)
    channel = MemoryChannel("console")
    assert await asyncio.wait_for(dispatcher(demo, channel).run_until_empty(), timeout=10) == 1
    assert len(channel.sent["bithu"]) == 1


async def test_a_run_in_quiet_hours_claims_nothing_and_says_so(demo):
    """In quiet hours a run returns (0 sent, 0 claimed) with a row due: a claim counted there
    would keep a one-row run claiming through the night."""
    branch, _ = await demo_branches(demo)
    demo.clock.current = vn_time(2026, 3, 2, 22)
    await queue(demo, "bithu", "r", branch)
    run = Dispatcher(sessions=demo.sessions, channels={"console": MemoryChannel("console")}, clock=demo.clock,
                     sleep=no_wait, batch=1)
    assert await run.run_once() == (0, 0)
    [row] = await rows_of(demo, "bithu")
    assert (row.status, row.attempts) == (OutboxStatus.pending, 0)


async def test_temporary_failures_are_retried_with_growing_pauses_then_given_up_and_reported(demo):
    channel = Down(demo.clock, down={"giupdo"})
    run = dispatcher(demo, channel)
    demo.clock.current = vn_time(2026, 3, 2, 7)
    await tick(demo.sessions, run, demo.clock.now())
    start = demo.clock.now()
    # Each retry waits 1, 2, 4 … minutes after the try before; a run a second early sends nothing.
    for _ in range(MAX_ATTEMPTS - 1):
        [row] = await rows_of(demo, "giupdo")
        assert (row.status, row.error) == (OutboxStatus.pending, "timeout")
        wait = row.due_at.replace(tzinfo=start.tzinfo) - demo.clock.now()
        demo.clock.advance(seconds=wait.total_seconds() - 1)
        await run.run_until_empty()
        demo.clock.advance(seconds=1)
        await run.run_until_empty()
    tries = [at - start for chat, at in channel.tries if chat == "giupdo"]
    pauses = [0, 1, 3, 7, 15, 31, 63, 127]  # minutes since the first try: 1, 2, 4, … 64 apart
    assert tries == [timedelta(minutes=m) for m in pauses] and len(tries) == MAX_ATTEMPTS
    [row] = await rows_of(demo, "giupdo")
    assert (row.status, row.attempts, row.error) == (OutboxStatus.failed, MAX_ATTEMPTS, "timeout")
    # Given up for good: a week later nothing is tried again.
    demo.clock.advance(days=7)
    await run.run_until_empty()
    assert len([c for c, _ in channel.tries if c == "giupdo"]) == MAX_ATTEMPTS
    # The secretary heard it once, by name.
    notices = [m.text for m in channel.sent["bithu"] if "không gửi được tin nhắn cho" in m.text]
    assert len(notices) == 1 and "Trần Văn Bình" in notices[0]


async def test_a_claim_left_by_a_dead_dispatcher_is_taken_back_when_its_lease_runs_out(demo):
    demo.clock.current = vn_time(2026, 3, 2, 7)
    with pytest.raises(Killed):
        await tick(demo.sessions, dispatcher(demo, DiesOnSend("console")), demo.clock.now())
    claimed_at = demo.clock.now()
    rows = await rows_of(demo, "bithu")
    assert {(row.status, row.attempts) for row in rows} == {(OutboxStatus.in_flight, 1)}
    survivor = MemoryChannel("console")
    # Within the lease the claim still stands: the dead dispatcher might yet be sending.
    demo.clock.current = claimed_at + LEASE
    assert await dispatcher(demo, survivor).run_until_empty() == 0 and not survivor.sent
    demo.clock.current = claimed_at + LEASE + timedelta(seconds=1)
    await dispatcher(demo, survivor).run_until_empty()
    assert set(survivor.sent) == {"bithu", "giupdo", "captren"}
    assert all(len(messages) == 1 for messages in survivor.sent.values())
    rows = await rows_of(demo, "bithu")
    assert {(row.status, row.attempts) for row in rows} == {(OutboxStatus.sent, 2)}


HOLD_LOCK = """
import sys
from pathlib import Path
from bot.dispatcher import SqliteLock
lock = SqliteLock(Path(sys.argv[1]))
lock.acquire()
print("held", flush=True)
sys.stdin.read()
"""


def test_only_one_dispatcher_per_sqlite_file_until_its_process_dies(tmp_path):
    database = tmp_path / "chibo.sqlite3"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(database)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DispatcherBusy):
            SqliteLock(database).acquire()
    finally:
        holder.kill()
        holder.wait()
    # The kernel releases the lock of a killed process: the next chibo starts.
    lock = SqliteLock(database)
    lock.acquire()
    lock.release()


NIGHT = (time(21, 0), time(7, 0))  # the default quiet hours, across midnight


@pytest.mark.parametrize("hour, minute, second, silent", [
    (20, 59, 59, False), (21, 0, 0, True), (23, 59, 59, True), (0, 0, 0, True), (6, 59, 59, True),
    (7, 0, 0, False), (12, 0, 0, False),
])
def test_quiet_hours_across_midnight_start_at_21_and_end_at_7(hour, minute, second, silent):
    moment = datetime(2026, 3, 2, hour, minute, second, tzinfo=VN)
    assert quiet(moment, *NIGHT) is silent


@pytest.mark.parametrize("hour, minute, silent", [(11, 59, False), (12, 0, True), (13, 29, True), (13, 30, False)])
def test_quiet_hours_within_a_day_include_their_start_and_exclude_their_end(hour, minute, silent):
    moment = datetime(2026, 3, 2, hour, minute, tzinfo=VN)
    assert quiet(moment, time(12, 0), time(13, 30)) is silent


def test_equal_start_and_end_mean_no_quiet_hours():
    assert not any(quiet(datetime(2026, 3, 2, h, tzinfo=VN), time(7, 0), time(7, 0)) for h in range(24))


async def test_nothing_is_claimed_in_quiet_hours_even_one_at_a_time(demo):
    channel = MemoryChannel("console")
    run = Dispatcher(sessions=demo.sessions, channels={"console": channel}, clock=demo.clock, sleep=no_wait,
                     batch=1)
    demo.clock.current = vn_time(2026, 3, 2, 22)
    assert await tick(demo.sessions, run, demo.clock.now()) == (4, 0)  # queued, not sent
    assert await run.run_once() == (0, 0)
    assert await run.run_until_empty() == 0 and not channel.sent
    demo.clock.current = vn_time(2026, 3, 3, 7)
    # one row claimed at a time (the secretary's two reminders come apart): every message counted
    assert await run.run_until_empty() == 4
    assert {chat: len(messages) for chat, messages in channel.sent.items()} == {"bithu": 2, "giupdo": 1, "captren": 1}


def test_the_lock_file_is_made_beside_a_database_in_a_new_folder_and_named_when_busy(tmp_path):
    database = tmp_path / "new" / "folder" / "chibo.sqlite3"
    first = SqliteLock(database)
    first.acquire()
    try:
        with pytest.raises(DispatcherBusy) as busy:
            SqliteLock(database).acquire()
        assert str(busy.value) == str(tmp_path / "new" / "folder" / "chibo.sqlite3.dispatcher.lock")
    finally:
        first.release()
    first.release()  # twice is harmless


NOTICE = ("chibo nhắc việc:\n- chibo không gửi được tin nhắn cho Trần Văn Bình (tài khoản chat đã chặn chibo hoặc "
          "không còn). Xin liên hệ trực tiếp với người này; nếu họ cần liên kết lại, nhờ người quản trị chibo "
          "của đơn vị cấp mã mời mới.\n\n"
          "Gõ /trogiup để xem các lệnh.")


async def person_of(demo, account: str) -> int:
    async with demo.sessions() as session:
        return (await session.exec(sa.select(ChatLink.person_id).where(ChatLink.account_id == account))).scalar()


async def queue(demo, account: str, key: str, branch_id: int | None, due=None) -> None:
    """One report reminder for an account, due now (or at `due`)."""
    person = await person_of(demo, account)
    async with demo.sessions() as session, session.begin():
        session.add(Outbox(key=key, person_id=person, kind="report_due", template="reminders/report_due",
                           values={"month": "03/2026"}, branch_id=branch_id, created_at=demo.clock.now(),
                           due_at=due or demo.clock.now()))


async def undelivered_notices(demo) -> list[tuple[str, int]]:
    async with demo.sessions() as session:
        rows = (await session.exec(sa.select(Outbox.values, Outbox.person_id)
                                   .where(Outbox.kind == "undelivered").order_by(Outbox.id))).all()
    return [(values["full_name"], person) for values, person in rows]


async def demo_branches(demo) -> tuple[int, int]:
    from models.org import Organisation
    async with demo.sessions() as session:
        rows = (await session.exec(sa.select(Organisation.id, Organisation.name)
                                   .order_by(Organisation.id))).all()
    trần_phú = next(i for i, name in rows if "Trần Phú" in name)
    toán = next(i for i, name in rows if "Khoa Toán" in name)
    return trần_phú, toán


async def test_a_failed_notice_of_failure_is_never_itself_reported(demo):
    from models.people import Person, link_chat
    async with demo.sessions() as session, session.begin():
        hung = (await session.exec(sa.select(Person.id).where(Person.full_name == "Phan Văn Hùng"))).scalar()
        await link_chat(session=session, channel="console", account_id="phohu", person_id=hung, now=demo.clock.now())
    branch, _ = await demo_branches(demo)
    demo.clock.current = vn_time(2026, 3, 2, 9)
    channel = MemoryChannel("console")
    channel.blocked.add("giupdo")
    await queue(demo, "giupdo", "r:giupdo", branch)
    await dispatcher(demo, channel).run_until_empty()
    # Both officers are told about the sponsor...
    assert await undelivered_notices(demo) == [("Trần Văn Bình", await person_of(demo, "bithu")),
                                               ("Trần Văn Bình", hung)]
    # ...and when the secretary's notice cannot reach her either, nobody is told about that.
    channel.blocked.add("bithu")
    await dispatcher(demo, channel).run_until_empty()
    assert len(await undelivered_notices(demo)) == 2
    assert [m.text for m in channel.sent["phohu"]] == [NOTICE]


async def test_a_new_chat_link_gets_its_own_notice_of_failure(demo):
    from models.people import link_chat
    branch, _ = await demo_branches(demo)
    channel = MemoryChannel("console")
    channel.blocked.add("giupdo")
    demo.clock.current = vn_time(2026, 3, 2, 9)
    await queue(demo, "giupdo", "r1", branch)
    await dispatcher(demo, channel).run_until_empty()
    demo.clock.advance(days=1)
    await queue(demo, "giupdo", "r2", branch)  # the same link fails again: no second notice
    await dispatcher(demo, channel).run_until_empty()
    assert len(await undelivered_notices(demo)) == 1
    async with demo.sessions() as session, session.begin():  # a new invite, used the next day
        await link_chat(session=session, channel="console", account_id="giupdo",
                        person_id=await person_of(demo, "giupdo"), now=demo.clock.now())
    demo.clock.advance(days=1)
    await queue(demo, "giupdo", "r3", branch)
    await dispatcher(demo, channel).run_until_empty()
    assert len(await undelivered_notices(demo)) == 2
    await dispatcher(demo, channel).run_until_empty()  # a notice goes out with the next run
    assert [m.text for m in channel.sent["bithu"]] == [NOTICE, NOTICE]


@pytest.mark.parametrize("where", ["no branch", "a branch without officers"])
async def test_a_failure_with_nobody_to_tell_is_only_recorded(demo, where):
    _, toán = await demo_branches(demo)
    channel = MemoryChannel("console")
    channel.blocked.add("giupdo")
    await queue(demo, "giupdo", "r", None if where == "no branch" else toán)
    await dispatcher(demo, channel).run_until_empty()
    [row] = await rows_of(demo, "giupdo")
    assert (row.status, row.error) == (OutboxStatus.failed, "blocked")
    assert await undelivered_notices(demo) == [] and not channel.sent


async def test_a_persons_reminders_due_together_go_as_one_message_whatever_was_queued_between(demo):
    branch, _ = await demo_branches(demo)
    for key, account in [("a", "bithu"), ("b", "giupdo"), ("c", "bithu")]:
        await queue(demo, account, key, branch)
    channel = MemoryChannel("console")
    run = Dispatcher(sessions=demo.sessions, channels={"console": channel}, clock=demo.clock, sleep=no_wait,
                     batch=2)
    assert await run.run_once() == (1, 2)  # the secretary's two rows, in one message
    assert [len(channel.sent["bithu"]), len(channel.sent["giupdo"])] == [1, 0]
    assert await run.run_until_empty() == 1


async def test_a_person_whose_chat_is_gone_is_recorded_as_unreachable_and_the_secretary_told(demo):
    branch, _ = await demo_branches(demo)
    await queue(demo, "giupdo", "r", branch)
    async with demo.sessions() as session, session.begin():  # the link is removed after the reminder was queued
        await session.exec(sa.delete(ChatLink).where(ChatLink.account_id == "giupdo"))
    channel = MemoryChannel("console")
    assert await dispatcher(demo, channel).run_until_empty() == 0  # nothing sent, as `chibo tick` says
    async with demo.sessions() as session:
        [row] = (await session.exec(sa.select(Outbox).where(Outbox.key == "r"))).scalars().all()
    assert (row.status, row.error) == (OutboxStatus.failed, "no_chat")
    await dispatcher(demo, channel).run_until_empty()
    assert [m.text for m in channel.sent["bithu"]] == [NOTICE]


class QuotaSpent(MemoryChannel):
    """Every send refused until `until`: the channel's monthly quota is used up."""

    def __init__(self, until) -> None:
        super().__init__("console")
        self.until = until

    async def send(self, chat_id, message):
        raise DeliveryError("quota", permanent=False, retry_at=self.until)


async def test_reminders_held_by_a_spent_quota_are_not_tries_and_deadlines_come_first(demo):
    branch, _ = await demo_branches(demo)
    demo.clock.current = vn_time(2026, 3, 30, 9)
    month_turns = vn_time(2026, 4, 1, 0)
    await queue(demo, "bithu", "report", branch)  # report_due: a deadline
    async with demo.sessions() as session, session.begin():
        session.add(Outbox(key="other", person_id=await person_of(demo, "giupdo"), kind="class_notice",
                           template="reminders/report_due", values={"month": "03/2026"}, branch_id=branch,
                           created_at=demo.clock.now(), due_at=demo.clock.now()))
    await dispatcher(demo, QuotaSpent(month_turns)).run_until_empty()
    async with demo.sessions() as session:
        rows = {r.key: r for r in (await session.exec(sa.select(Outbox))).scalars()}
    for key, due in [("report", month_turns), ("other", month_turns + timedelta(minutes=1))]:
        row = rows[key]
        assert (row.status, row.attempts, row.error) == (OutboxStatus.pending, 0, "quota"), key
        assert row.due_at.replace(tzinfo=month_turns.tzinfo) == due, key


@pytest.mark.parametrize("linked_first", ["telegram", "zalo"])  # whichever was linked first, Zalo is preferred
async def test_a_person_on_zalo_and_telegram_is_reached_on_zalo_and_on_telegram_when_zalo_is_off(demo, linked_first):
    from models.people import link_chat
    branch, _ = await demo_branches(demo)
    giupdo = await person_of(demo, "giupdo")
    accounts = {"telegram": "tg-binh", "zalo": "zl-binh"}
    order = [linked_first] + [c for c in accounts if c != linked_first]
    async with demo.sessions() as session, session.begin():
        for channel in order:
            await link_chat(session=session, channel=channel, account_id=accounts[channel], person_id=giupdo,
                            now=demo.clock.now())
    await queue(demo, "giupdo", "r1", branch)
    zalo, telegram = MemoryChannel("zalo"), MemoryChannel("telegram")
    both = Dispatcher(sessions=demo.sessions, channels={"telegram": telegram, "zalo": zalo}, clock=demo.clock,
                      sleep=no_wait)
    await both.run_until_empty()
    assert (list(zalo.sent), list(telegram.sent)) == (["zl-binh"], [])
    await queue(demo, "giupdo", "r2", branch)
    only_telegram = Dispatcher(sessions=demo.sessions, channels={"telegram": telegram, "console": MemoryChannel()},
                               clock=demo.clock, sleep=no_wait)
    await only_telegram.run_until_empty()
    assert list(telegram.sent) == ["tg-binh"]


async def test_sends_are_paced_by_the_channel_limits_and_marked_with_their_time(demo):
    from bot.channels.port import Capabilities
    branch, _ = await demo_branches(demo)
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    channel = MemoryChannel("console", Capabilities(buttons=False, max_text=60, rate_overall=20, rate_per_chat=0.5))
    await queue(demo, "bithu", "r", branch)  # longer than 60 characters: three messages to one chat
    await Dispatcher(sessions=demo.sessions, channels={"console": channel}, clock=demo.clock,
                     sleep=sleep).run_until_empty()
    assert len(channel.sent["bithu"]) == 3
    assert slept == [2.0, 2.0, 0.05]  # 1/rate_per_chat between the parts, 1/rate_overall after the person
    [row] = await rows_of(demo, "bithu")
    assert (row.status, row.sent_at.replace(tzinfo=demo.clock.now().tzinfo)) == (OutboxStatus.sent, demo.clock.now())


@pytest.mark.parametrize("permanent", [True, False])
async def test_a_long_error_is_kept_to_its_first_80_characters(demo, permanent):
    class Wordy(MemoryChannel):
        async def send(self, chat_id, message):
            raise DeliveryError("x" * 200, permanent=permanent)

    branch, _ = await demo_branches(demo)
    await queue(demo, "giupdo", "r", branch)
    assert await dispatcher(demo, Wordy("console")).run_until_empty() == 0  # nothing counted as sent
    [row] = await rows_of(demo, "giupdo")
    assert row.error == "x" * 80


class SlowAndShared(MemoryChannel):
    """Each send takes `minutes`; meanwhile another dispatcher (another process) runs."""

    def __init__(self, clock, minutes: int, other: Dispatcher | None) -> None:
        super().__init__("console")
        self.clock, self.minutes, self.other = clock, minutes, other

    async def send(self, chat_id, message):
        self.clock.advance(minutes=self.minutes)
        if self.other is not None:
            await self.other.run_until_empty()
        await super().send(chat_id, message)


async def test_a_batch_that_outlives_its_lease_renews_it_and_no_message_goes_twice(demo):
    demo.clock.current = vn_time(2026, 3, 2, 7)
    assert await enqueue_due(demo.sessions, demo.clock.now()) > 0
    elsewhere = MemoryChannel("console")
    # three people at 4 minutes each (12 minutes, past the 5-minute lease), with another
    # dispatcher running during each send
    channel = SlowAndShared(demo.clock, 4, other=dispatcher(demo, elsewhere))
    await dispatcher(demo, channel).run_until_empty()
    assert {chat: len(messages) for chat, messages in channel.sent.items()} == {
        "bithu": 1, "giupdo": 1, "captren": 1}
    assert elsewhere.sent == {}
    assert {(row.status, row.attempts) for row in await rows_of(demo, "captren")} == {(OutboxStatus.sent, 1)}


@pytest.mark.expect_error
async def test_a_reminder_that_cannot_be_written_out_is_set_aside_and_holds_back_nothing(demo):
    demo.clock.current = vn_time(2026, 3, 2, 7)
    trần_phú, _ = await demo_branches(demo)
    async with demo.sessions() as session, session.begin():
        session.add(Outbox(key="broken", person_id=await person_of(demo, "bithu"), kind="report_due",
                           template="reminders/no_such_template", values={}, branch_id=trần_phú,
                           created_at=demo.clock.now(), due_at=demo.clock.now() - timedelta(days=1)))
    await queue(demo, "bithu", "fine", trần_phú)
    await queue(demo, "giupdo", "fine too", trần_phú)
    channel = MemoryChannel("console")
    run = dispatcher(demo, channel)
    for _ in range(3 * MAX_ATTEMPTS):  # three days, outside quiet hours five runs a day
        await run.run_until_empty()
        demo.clock.advance(hours=3)  # past every retry's pause
    assert [len(channel.sent["bithu"]), len(channel.sent["giupdo"])] == [1, 1]  # the good ones went, once
    async with demo.sessions() as session:
        broken = (await session.exec(sa.select(Outbox).where(Outbox.key == "broken"))).scalar_one()
    assert (broken.status, broken.attempts, broken.error) == (OutboxStatus.failed, MAX_ATTEMPTS, "internal")
    assert await undelivered_notices(demo) == []  # chibo's own fault: the secretary is not sent to check a chat


class StoppedWhileSending(MemoryChannel):
    """A clean stop (SIGTERM) comes while the first message is being sent."""

    def __init__(self) -> None:
        super().__init__("console")
        self.run: Dispatcher | None = None

    async def send(self, chat_id, message):
        self.run.stop()
        await super().send(chat_id, message)


async def test_a_stopped_dispatcher_finishes_the_message_in_hand_and_gives_the_rest_back_at_once(demo):
    demo.clock.current = vn_time(2026, 3, 2, 7)
    assert await enqueue_due(demo.sessions, demo.clock.now()) > 0
    channel = StoppedWhileSending()
    channel.run = dispatcher(demo, channel)
    assert await channel.run.run_until_empty() == 1
    [first] = channel.sent
    assert len(channel.sent[first]) == 1
    async with demo.sessions() as session:
        rows = list((await session.exec(sa.select(Outbox))).scalars())
    assert {(r.status, r.attempts) for r in rows if r.person_id == (await rows_of(demo, first))[0].person_id} == {
        (OutboxStatus.sent, 1)}
    rest = [r for r in rows if r.status != OutboxStatus.sent]
    # given back as they were before the claim: pending, no lease, the claim not counted as a try
    assert rest and {(r.status, r.lease_until, r.attempts) for r in rest} == {(OutboxStatus.pending, None, 0)}
    assert await channel.run.run_until_empty() == 0  # a stopped dispatcher claims nothing more
    # another process sends them at once, without waiting for the lease to run out
    other = MemoryChannel("console")
    await dispatcher(demo, other).run_until_empty()
    assert set(other.sent) | {first} == {"bithu", "giupdo", "captren"} and first not in other.sent
    assert all(len(messages) == 1 for messages in other.sent.values())


@pytest.mark.expect_error
async def test_a_reminder_that_cannot_be_written_out_says_so_while_it_waits_and_when_given_up(demo):
    """`chibo outbox` shows each row's error: chibo's own fault reads "internal", also for a row
    whose earlier tries failed on the channel and whose last try fails in chibo."""
    demo.clock.current = vn_time(2026, 3, 2, 7)
    trần_phú, _ = await demo_branches(demo)
    async with demo.sessions() as session, session.begin():
        for key, account, attempts in [("broken", "bithu", 0), ("broken at the last try", "giupdo", MAX_ATTEMPTS - 1)]:
            session.add(Outbox(key=key, person_id=await person_of(demo, account), kind="report_due",
                               template="reminders/no_such_template", values={}, branch_id=trần_phú,
                               created_at=demo.clock.now(), attempts=attempts, error="timeout",
                               due_at=demo.clock.now() - timedelta(days=1)))
    assert await dispatcher(demo, MemoryChannel("console")).run_once() == (0, 2)  # none sent, two claimed
    async with demo.sessions() as session:
        found = await session.exec(sa.select(Outbox.key, Outbox.status, Outbox.attempts, Outbox.error)
                                   .where(Outbox.key.like("broken%")))
        rows = {key: tuple(rest) for key, *rest in found.all()}
    assert rows == {"broken": (OutboxStatus.pending, 1, "internal"),
                    "broken at the last try": (OutboxStatus.failed, MAX_ATTEMPTS, "internal")}


@pytest.mark.expect_error
async def test_a_branch_that_keeps_names_off_zalo_gets_initials_there_and_a_broken_row_holds_back_nothing(demo):
    """One message for the sponsor on Zalo: the branch's reminder with initials, a reminder of no
    branch with the whole name, each with its derived date; a row that cannot be written out in
    the same batch is set aside and the rest still goes."""
    from models.org import Organisation
    from models.people import link_chat
    demo.clock.current = vn_time(2026, 3, 2, 7)
    trần_phú, _ = await demo_branches(demo)
    giupdo = await person_of(demo, "giupdo")
    async with demo.sessions() as session, session.begin():
        (await session.get(Organisation, trần_phú)).personal_data_channels = "telegram"
        await link_chat(session=session, channel="zalo", account_id="zl-binh", person_id=giupdo, now=demo.clock.now())
        for key, template, branch_id, name in [
                ("of the branch", "reminders/certificate_expiring", trần_phú, "Nguyễn Văn An"),
                ("of no branch", "reminders/certificate_expiring", None, "Trần Thị Bích Ngọc"),
                ("broken", "reminders/no_such_template", trần_phú, "Lê Hoàng Minh")]:
            session.add(Outbox(key=key, person_id=giupdo, kind="certificate_expiring", template=template,
                               values={"name": name, "number": 3, "issued": "2021-04-10"}, branch_id=branch_id,
                               created_at=demo.clock.now(), due_at=demo.clock.now()))
    zalo = MemoryChannel("zalo")
    run = Dispatcher(sessions=demo.sessions, channels={"zalo": zalo}, clock=demo.clock, sleep=no_wait)
    assert await run.run_once() == (1, 3)
    assert [m.text for m in zalo.sent["zl-binh"]] == [
        "chibo nhắc việc:\n"
        "- Giấy chứng nhận lớp nhận thức về Đảng của N.V.A. (số 3) hết hạn ngày 10/04/2026.\n"
        "- Giấy chứng nhận lớp nhận thức về Đảng của Trần Thị Bích Ngọc (số 3) hết hạn ngày 10/04/2026.\n"
        "\nGõ /trogiup để xem các lệnh."]


class Timed(MemoryChannel):
    """Sends that take the given minutes in turn, another dispatcher running during each."""

    def __init__(self, clock, minutes: list[float], other: Dispatcher) -> None:
        super().__init__("console")
        self.clock, self.minutes, self.other = clock, iter(minutes), other

    async def send(self, chat_id, message):
        self.clock.advance(minutes=next(self.minutes))
        await self.other.run_until_empty()
        await super().send(chat_id, message)


@pytest.mark.parametrize("minutes, here, elsewhere", [
    # renewed when half the lease has gone (2.5 minutes), so the other run never takes a row
    ([2.5, 3, 3], {"bithu": 1, "giupdo": 1, "captren": 1}, {}),
    # a first send longer than the lease: the other run takes every row (the one in flight
    # goes twice, as after a crash); this run sends none of the rows it lost
    ([6, 1, 1], {"bithu": 1}, {"bithu": 1, "giupdo": 1, "captren": 1}),
])
async def test_a_claim_renewed_at_half_its_lease_is_kept_and_rows_lost_are_never_sent_again(
        demo, minutes, here, elsewhere):
    demo.clock.current = vn_time(2026, 3, 2, 7)
    assert await enqueue_due(demo.sessions, demo.clock.now()) > 0
    other = MemoryChannel("console")
    channel = Timed(demo.clock, minutes, other=dispatcher(demo, other))
    await dispatcher(demo, channel).run_until_empty()
    assert {chat: len(m) for chat, m in channel.sent.items()} == here
    assert {chat: len(m) for chat, m in other.sent.items()} == elsewhere


class Paused(MemoryChannel):
    """Each send waits until the test lets it go (another process, slow on its first message)."""

    def __init__(self) -> None:
        super().__init__("console")
        self.entered, self.go = asyncio.Event(), asyncio.Event()

    async def send(self, chat_id, message):
        self.entered.set()
        await self.go.wait()
        await super().send(chat_id, message)


class TakenOverWhileSending(MemoryChannel):
    """The first send hangs past the lease; meanwhile another run takes every row and is still
    sending them when this send fails with a temporary error."""

    def __init__(self, clock, other: Dispatcher, other_channel: Paused) -> None:
        super().__init__("console")
        self.clock, self.other, self.other_channel = clock, other, other_channel
        self.task: asyncio.Task | None = None

    async def send(self, chat_id, message):
        if self.task is None:
            self.clock.advance(minutes=6)
            self.task = asyncio.create_task(self.other.run_once())
            await self.other_channel.entered.wait()
            self.clock.advance(minutes=1)
            raise DeliveryError("timeout", permanent=False)
        await super().send(chat_id, message)


async def test_a_run_that_outlived_its_lease_neither_sends_nor_retries_the_rows_another_run_took(demo, caplog):
    """Each person gets one message: the late run leaves alone the rows the other run holds now,
    its failed try is not recorded over them (no second message later) and the operator's log
    says so, once for the outcome and once for the claim."""
    branch, _ = await demo_branches(demo)
    for minutes, account in [(3, "bithu"), (2, "giupdo"), (1, "captren")]:
        await queue(demo, account, f"r:{account}", branch, due=demo.clock.now() - timedelta(minutes=minutes))
    taker = Paused()
    other = dispatcher(demo, taker)
    late = TakenOverWhileSending(demo.clock, other, taker)
    caplog.set_level(logging.WARNING, logger="bot.dispatcher")
    assert await dispatcher(demo, late).run_until_empty() == 0
    taker.go.set()
    assert await late.task == (3, 3)
    demo.clock.advance(hours=1)  # past every retry's pause
    after = MemoryChannel("console")
    assert await dispatcher(demo, after).run_until_empty() == 0
    assert ({chat: len(m) for chat, m in taker.sent.items()}, late.sent, after.sent) == (
        {"bithu": 1, "giupdo": 1, "captren": 1}, {}, {})
    ids = {row.key: row.id for account in ("bithu", "giupdo", "captren") for row in await rows_of(demo, account)}
    assert [r.getMessage() for r in caplog.records if r.name == "bot.dispatcher"] == [
        f"outbox [{ids['r:bithu']}]: the lease ran out before its outcome (pending) was recorded",
        f"outbox {sorted([ids['r:giupdo'], ids['r:captren']])}: the claim ran out and was taken over"]


class OneTakenOver(MemoryChannel):
    """The first send takes past the lease; meanwhile one run of another dispatcher, two rows a
    claim, takes and sends the first two people's rows."""

    def __init__(self, clock, other: Dispatcher) -> None:
        super().__init__("console")
        self.clock, self.other, self.first = clock, other, True

    async def send(self, chat_id, message):
        if self.first:
            self.first = False
            self.clock.advance(minutes=6)
            assert await self.other.run_once() == (2, 2)
        await super().send(chat_id, message)


async def test_a_row_another_run_took_holds_back_none_of_the_rows_after_it(demo):
    branch, _ = await demo_branches(demo)
    for minutes, account in [(3, "bithu"), (2, "giupdo"), (1, "captren")]:
        await queue(demo, account, f"r:{account}", branch, due=demo.clock.now() - timedelta(minutes=minutes))
    elsewhere = MemoryChannel("console")
    other = Dispatcher(sessions=demo.sessions, channels={"console": elsewhere}, clock=demo.clock, sleep=no_wait,
                       lease=LEASE, batch=2)
    here = OneTakenOver(demo.clock, other)
    # the secretary's message went from both (the one in flight, as after a crash); the sponsor's
    # from the other run only; the committee's from this run, at once, not a lease later
    assert await dispatcher(demo, here).run_once() == (2, 3)
    assert ({chat: len(m) for chat, m in here.sent.items()}, {chat: len(m) for chat, m in elsewhere.sent.items()}) \
        == ({"bithu": 1, "captren": 1}, {"bithu": 1, "giupdo": 1})
    assert {(row.status, row.attempts) for row in await rows_of(demo, "captren")} == {(OutboxStatus.sent, 1)}


async def test_a_run_counts_every_person_it_sent_to(demo):
    branch, _ = await demo_branches(demo)
    for account in ("bithu", "giupdo", "captren"):
        await queue(demo, account, f"r:{account}", branch)
    channel = MemoryChannel("console")
    assert await dispatcher(demo, channel).run_once() == (3, 3)
    assert {chat: len(m) for chat, m in channel.sent.items()} == {"bithu": 1, "giupdo": 1, "captren": 1}


class Broken(MemoryChannel):
    """The channel itself fails (a bug, not a delivery error) for the chats in `broken`."""

    def __init__(self, broken: set[str]) -> None:
        super().__init__("console")
        self.broken = broken

    async def send(self, chat_id, message):
        if chat_id in self.broken:
            raise RuntimeError("channel bug")
        await super().send(chat_id, message)


@pytest.mark.expect_error
async def test_a_send_that_fails_inside_chibo_is_tried_again_later_and_holds_back_nothing(demo):
    branch, _ = await demo_branches(demo)
    for account in ("bithu", "giupdo"):
        await queue(demo, account, f"r:{account}", branch)
    channel = Broken({"bithu"})
    assert await dispatcher(demo, channel).run_once() == (1, 2)
    assert list(channel.sent) == ["giupdo"]
    [row] = await rows_of(demo, "bithu")
    assert (row.status, row.attempts, row.error, row.lease_until) == (OutboxStatus.pending, 1, "internal", None)
    channel.broken.clear()
    demo.clock.advance(minutes=1)  # the first retry's pause
    assert await dispatcher(demo, channel).run_until_empty() == 1
    assert {chat: len(m) for chat, m in channel.sent.items()} == {"bithu": 1, "giupdo": 1}


async def test_when_more_is_due_than_a_run_takes_the_longest_waiting_go_first(demo):
    branch, _ = await demo_branches(demo)
    ids = {account: await person_of(demo, account) for account in ("bithu", "giupdo", "captren")}
    order = sorted(ids, key=lambda account: -ids[account])  # the longest due is the last person by number
    for minutes, account in zip([30, 20, 10], order):
        await queue(demo, account, f"r:{account}", branch, due=demo.clock.now() - timedelta(minutes=minutes))
    channel = MemoryChannel("console")
    run = Dispatcher(sessions=demo.sessions, channels={"console": channel}, clock=demo.clock, sleep=no_wait, batch=1)
    for sent, account in enumerate(order, 1):
        assert await run.run_once() == (1, 1)
        assert list(channel.sent) == order[:sent], account
