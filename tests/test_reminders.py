"""Reminders and digests: due on the right day, once, never in quiet hours, never lost."""

from collections import defaultdict
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.channels.memory import MemoryChannel
from bot.channels.port import DeliveryError
from bot.clock import vn_time
from bot.dispatcher import Dispatcher, DispatcherBusy, SqliteLock
from bot.scheduler import catch_up, tick
from models import deadlines as dl
from models.candidate import Candidate
from models.outbox import Outbox, OutboxStatus
from tests.flows.test_candidates import next_number
from tests.support import number_of, numbers_of


async def no_wait(_seconds: float) -> None:
    return None


def make(demo, channel=None):
    channel = channel or MemoryChannel("console")
    return channel, Dispatcher(sessions=demo.sessions, channels={"console": channel}, clock=demo.clock,
                               sleep=no_wait)


async def run_days(demo, first: date, last: date, hour: int = 7):
    """A tick every morning; returns {(account, day): [texts]}."""
    channel, dispatcher = make(demo)
    seen: dict[tuple[str, date], list[str]] = defaultdict(list)
    day = first
    while day <= last:
        demo.clock.current = vn_time(day.year, day.month, day.day, hour)
        before = {chat: len(msgs) for chat, msgs in channel.sent.items()}
        await tick(demo.sessions, dispatcher, demo.clock.now())
        for chat, msgs in channel.sent.items():
            for message in msgs[before.get(chat, 0):]:
                seen[(chat, day)].append(message.text)
        day += timedelta(days=1)
    return seen


async def numbers(demo) -> dict[str, int]:
    """The register numbers of the demo candidates the reminders name, looked up by name."""
    return await numbers_of(demo, (
        "Lê Hoàng Minh", "Phạm Thu Hà", "Đặng Ngọc Lan", "Hoàng Mai Anh", "Trịnh Công Sơn", "Đinh Văn Khoa"))


def days_with(seen, account: str, words: str) -> list[date]:
    return sorted(day for (chat, day), texts in seen.items() if chat == account and any(words in t for t in texts))


async def test_one_message_per_person_grouping_every_reminder(demo):
    channel, dispatcher = make(demo)
    no = await numbers(demo)
    demo.clock.current = vn_time(2026, 3, 2, 7)
    new, sent = await tick(demo.sessions, dispatcher, demo.clock.now())
    received = {chat: [m.text for m in msgs] for chat, msgs in channel.sent.items()}
    # the candidate (Lê Hoàng Minh, in no class) gets nothing today, above all not the lists naming others
    assert received.get("quanchung", []) == []
    # Monday 2 March: the committee's weekly digest too; one message each, to these three only
    assert sorted(received) == ["bithu", "captren", "giupdo"]
    assert sent == 3 and all(len(channel.sent[a]) == 1 for a in ("bithu", "giupdo", "captren"))
    bithu = channel.sent["bithu"][0].text
    assert "Sinh hoạt chi bộ ngày 05/03/2026: xét danh sách" in bithu
    # Monday: one list of everyone not met for 30 days, not a line per candidate
    assert "3 quần chúng chưa được đảng viên giúp đỡ gặp quá 30 ngày" in bithu
    assert f"Phạm Thu Hà (số {no['Phạm Thu Hà']}): 41 ngày, từ 20/01/2026; giúp đỡ: Trần Văn Bình" in bithu
    sponsor = channel.sent["giupdo"][0].text
    assert "Anh/chị có 3 quần chúng được giúp đỡ chưa gặp quá 30 ngày" in sponsor
    assert (sponsor.index(f"Đặng Ngọc Lan (số {no['Đặng Ngọc Lan']}): 60 ngày")
            < sponsor.index(f"Đinh Văn Khoa (số {no['Đinh Văn Khoa']}): 33 ngày"))
    # a second run the same day sends nothing again
    assert await tick(demo.sessions, dispatcher, demo.clock.now()) == (0, 0)


async def test_a_year_of_days_each_reminder_on_its_day_and_once(demo):
    no = await numbers(demo)
    minh = f"Lê Hoàng Minh (số {no['Lê Hoàng Minh']})"
    seen = await run_days(demo, date(2026, 3, 2), date(2027, 3, 1))
    # the sponsor's nudge: Lê Hoàng Minh was met on 18/02/2026, so 30 days later, once ...
    assert days_with(seen, "giupdo", "chưa gặp Lê Hoàng Minh") == [date(2026, 3, 20)]
    assert days_with(seen, "bithu", f"{minh}: đảng viên giúp đỡ chưa gặp 30 ngày") == [date(2026, 3, 20)]
    # ... then on Monday's lists, every week while nobody records a meeting with him
    mondays = [date(2026, 3, 23) + timedelta(weeks=w) for w in range(50)]
    assert days_with(seen, "giupdo", f"{minh}: ") == mondays
    assert days_with(seen, "bithu", f"{minh}: 33 ngày, từ 18/02/2026") == [date(2026, 3, 23)]
    # probation of Hoàng Mai Anh (ceremony 14/08/2025) ends 14/08/2026: 30 days before
    assert days_with(seen, "bithu", f"Hoàng Mai Anh (số {no['Hoàng Mai Anh']}) hết 12 tháng dự bị ngày 14/08/2026") == [
        date(2026, 7, 15)]
    # pupils turning 18: on the first day of their birthday month
    assert days_with(seen, "bithu", f"Trịnh Công Sơn (số {no['Trịnh Công Sơn']}) đủ 18 tuổi") == [date(2026, 12, 1)]
    # the monthly review three days before the meeting on the 5th, every month, once each
    review_days = days_with(seen, "bithu", "Sinh hoạt chi bộ ngày")
    assert len(review_days) == 12 and all(d.day == 2 for d in review_days)
    # the monthly report from the 25th
    assert len(days_with(seen, "bithu", "Đến hạn báo cáo tháng")) == 12
    # the ceremony of Tạ Minh Đức (decision received 15/02/2026): a week before its deadline
    due = dl.ceremony_due(date(2026, 2, 15))
    assert days_with(seen, "bithu", "Lễ kết nạp Tạ Minh Đức")[0] == due - timedelta(days=7)
    assert days_with(seen, "bithu", f"phải tổ chức trước ngày {due:%d/%m/%Y}")[0] == due - timedelta(days=7)
    # nothing at all for a stranger, and the candidate gets nothing about others
    assert not any(chat == "nguoila" for chat, _ in seen)
    for (chat, _), texts in seen.items():
        if chat == "quanchung":
            assert not any("Phạm Thu Hà" in t for t in texts)
    async with demo.sessions() as session:
        keys = (await session.exec(sa.select(Outbox.key))).scalars().all()
    assert len(keys) == len(set(keys))


async def test_a_recorded_meeting_takes_the_candidate_off_the_next_list(demo, talk):
    from models.checkin import Checkin, CheckinHow

    channel, dispatcher = make(demo)
    no = await numbers(demo)
    demo.clock.current = vn_time(2026, 3, 2, 7)
    await tick(demo.sessions, dispatcher, demo.clock.now())
    assert f"Phạm Thu Hà (số {no['Phạm Thu Hà']})" in channel.sent["giupdo"][-1].text
    async with demo.sessions() as session, session.begin():
        ha = (await session.exec(select(Candidate).where(Candidate.full_name == "Phạm Thu Hà"))).one()
        session.add(Checkin(candidate_id=ha.id, sponsor_id=ha.sponsor_id, met_on=date(2026, 3, 4),
                            how=CheckinHow.in_person, at=demo.clock.now()))
    demo.clock.current = vn_time(2026, 3, 9, 7)
    await tick(demo.sessions, dispatcher, demo.clock.now())
    listed = channel.sent["giupdo"][-1].text
    assert "Anh/chị có 2 quần chúng được giúp đỡ chưa gặp quá 30 ngày" in listed
    assert "Phạm Thu Hà" not in listed and f"Đặng Ngọc Lan (số {no['Đặng Ngọc Lan']}): 67 ngày" in listed


async def test_a_long_list_names_ten_and_counts_the_rest(demo):
    from models.stage import Category, Gender, IntroducedBy, Stage

    first = await next_number(demo)  # numbers nobody has yet
    async with demo.sessions() as session, session.begin():
        ha = (await session.exec(select(Candidate).where(Candidate.full_name == "Phạm Thu Hà"))).one()
        for k in range(25):
            session.add(Candidate(branch_id=ha.branch_id, number=first + k, full_name=f"Quần chúng {k}",
                                  name_folded=f"quan chung {k}", birth_date=date(2000, 1, 1), gender=Gender.female,
                                  category=Category.teacher, youth_union=True, introduced_by=IntroducedBy.youth_union,
                                  stage=Stage.sympathizer, stage_since=date(2025, 6, 1), sponsor_id=ha.sponsor_id,
                                  created_at=demo.clock.now()))
    channel, dispatcher = make(demo)
    demo.clock.current = vn_time(2026, 3, 2, 7)
    await tick(demo.sessions, dispatcher, demo.clock.now())
    listed = channel.sent["bithu"][0].text
    assert "28 quần chúng chưa được đảng viên giúp đỡ gặp quá 30 ngày" in listed
    assert listed.count(" ngày, từ ") == 10 and "và 18 người khác" in listed
    assert "và 18 người khác (xem /cuatoi)" in channel.sent["giupdo"][0].text
    assert f"Quần chúng 0 (số {first}): 274 ngày, từ 01/06/2025" in listed  # the longest-waiting first
    assert "Đinh Văn Khoa" not in listed  # the most recent ones are the ones counted


async def test_nothing_is_sent_in_quiet_hours_it_waits_for_the_morning(demo):
    channel, dispatcher = make(demo)
    demo.clock.current = vn_time(2026, 3, 2, 22, 0)
    new, sent = await tick(demo.sessions, dispatcher, demo.clock.now())
    assert new > 0 and sent == 0 and not channel.sent
    demo.clock.current = vn_time(2026, 3, 3, 6, 59)
    assert await dispatcher.run_until_empty() == 0
    demo.clock.current = vn_time(2026, 3, 3, 7, 0)
    assert await dispatcher.run_until_empty() == 3
    assert "Sinh hoạt chi bộ ngày 05/03/2026" in channel.sent["bithu"][0].text


async def test_a_day_of_downtime_is_caught_up_once_at_the_next_start(demo):
    channel, dispatcher = make(demo)
    demo.clock.current = vn_time(2026, 3, 19, 7)
    await tick(demo.sessions, dispatcher, demo.clock.now())
    assert not any("Lê Hoàng Minh" in m.text for m in channel.sent["giupdo"])
    # down all of 20 March (the day Lê Hoàng Minh's nudge falls due); back on the 21st at 8:00
    demo.clock.current = vn_time(2026, 3, 21, 8)
    await catch_up(demo.sessions, dispatcher, demo.clock.now())
    await catch_up(demo.sessions, dispatcher, demo.clock.now())
    nudges = [m for m in channel.sent["giupdo"] if "chưa gặp Lê Hoàng Minh" in m.text]
    assert len(nudges) == 1


@pytest.mark.expect_error  # the query is made to fail: its ERROR is the point
async def test_a_failing_reminder_kind_holds_back_no_other_and_its_day_is_run_again(demo, monkeypatch):
    import bot.scheduler as scheduler
    from models.outbox import ReminderRun

    real, calls = scheduler.enqueue_from, []

    async def first_one_fails(*, session, query, now):
        calls.append(query)
        if len(calls) == 1:  # the first kind: the monthly review
            raise RuntimeError("the database said no")
        return await real(session=session, query=query, now=now)

    monkeypatch.setattr(scheduler, "enqueue_from", first_one_fails)
    channel, dispatcher = make(demo)
    demo.clock.current = vn_time(2026, 3, 2, 7)
    await tick(demo.sessions, dispatcher, demo.clock.now())
    assert "3 quần chúng chưa được đảng viên giúp đỡ gặp quá 30 ngày" in channel.sent["bithu"][0].text
    assert "Sinh hoạt chi bộ" not in channel.sent["bithu"][0].text
    async with demo.sessions() as session:
        assert (await session.exec(sa.select(ReminderRun))).all() == []
    # the next start replays 2 March, and what failed goes out once
    monkeypatch.setattr(scheduler, "enqueue_from", real)
    demo.clock.current = vn_time(2026, 3, 3, 7)
    await catch_up(demo.sessions, dispatcher, demo.clock.now())
    await catch_up(demo.sessions, dispatcher, demo.clock.now())
    reviews = [m for m in channel.sent["bithu"] if "Sinh hoạt chi bộ ngày 05/03/2026" in m.text]
    assert len(reviews) == 1


async def test_a_long_stop_replays_a_week_and_says_so(demo, caplog):
    channel, dispatcher = make(demo)
    demo.clock.current = vn_time(2026, 3, 2, 7)
    await tick(demo.sessions, dispatcher, demo.clock.now())
    demo.clock.current = vn_time(2026, 3, 20, 7)
    with caplog.at_level("WARNING", logger="bot.scheduler"):
        await catch_up(demo.sessions, dispatcher, demo.clock.now())
    assert "only the last 7 days are replayed" in caplog.text
    # the nudge due on 20 March comes on its day
    assert any("chưa gặp Lê Hoàng Minh" in m.text for m in channel.sent["giupdo"])


class Flaky(MemoryChannel):
    """Fails the first `failures` sends with a temporary error."""

    def __init__(self, failures: int) -> None:
        super().__init__("console")
        self.failures = failures

    async def send(self, chat_id, message):
        if self.failures:
            self.failures -= 1
            raise DeliveryError("timeout", permanent=False)
        await super().send(chat_id, message)


async def test_a_temporary_failure_is_retried_then_delivered(demo):
    channel, dispatcher = make(demo, Flaky(failures=1))
    demo.clock.current = vn_time(2026, 3, 2, 7)
    await tick(demo.sessions, dispatcher, demo.clock.now())
    assert len(channel.sent) == 2  # one of the three people waits for a retry
    demo.clock.advance(minutes=1, seconds=1)
    assert await dispatcher.run_until_empty() == 1
    assert set(channel.sent) == {"bithu", "giupdo", "captren"}
    async with demo.sessions() as session:
        statuses = set((await session.exec(sa.select(Outbox.status))).scalars())
    assert statuses == {OutboxStatus.sent}


async def test_a_permanent_failure_reaches_the_secretary_once(demo):
    channel, dispatcher = make(demo)
    channel.blocked.add("giupdo")
    for day in (2, 3, 4, 20, 21):
        demo.clock.current = vn_time(2026, 3, day, 7)
        await tick(demo.sessions, dispatcher, demo.clock.now())
        await dispatcher.run_until_empty()
    notices = [m for m in channel.sent["bithu"] if "không gửi được tin nhắn cho Trần Văn Bình" in m.text]
    assert len(notices) == 1
    assert "giupdo" not in channel.sent


async def test_a_second_dispatcher_on_sqlite_refuses_to_start(tmp_path):
    first, second = SqliteLock(tmp_path / "chibo.sqlite3"), SqliteLock(tmp_path / "chibo.sqlite3")
    first.acquire()
    try:
        try:
            second.acquire()
            raise AssertionError("a second dispatcher started")
        except DispatcherBusy:
            pass
    finally:
        first.release()
    second.acquire()
    second.release()


async def test_class_notice_to_an_enrolled_candidate_and_the_day_before(demo):
    from models.party_class import Enrollment, PartyClass

    async with demo.sessions() as session, session.begin():
        minh = (await session.exec(select(Candidate).where(Candidate.full_name == "Lê Hoàng Minh"))).one()
        open_class = (await session.exec(select(PartyClass).where(PartyClass.title.endswith("khóa 2")))).one()
        session.add(Enrollment(class_id=open_class.id, candidate_id=minh.id, at=demo.clock.now()))
        starts = open_class.starts_on
    seen = await run_days(demo, date(2026, 3, 2), starts)
    assert days_with(seen, "quanchung", "Bạn được cử học Lớp nhận thức về Đảng khóa 2") == [date(2026, 3, 2)]
    assert days_with(seen, "quanchung", "Ngày mai") == [starts - timedelta(days=1)]


async def test_the_committee_above_gets_a_weekly_and_a_monthly_digest(demo):
    seen = await run_days(demo, date(2026, 3, 2), date(2026, 4, 6), hour=8)
    weekly = days_with(seen, "captren", "Tổng hợp tuần — Đảng ủy Khối Giáo dục (demo)")
    assert weekly == [date(2026, 3, 2) + timedelta(weeks=w) for w in range(6)]
    assert days_with(seen, "captren", "Tổng hợp tháng") == [date(2026, 4, 1)]
    first = seen[("captren", date(2026, 3, 2))][0]
    assert first == (  # probationary members are followed too: "người", not "quần chúng"
        "chibo nhắc việc:\n"
        "- Tổng hợp tuần — Đảng ủy Khối Giáo dục (demo): 0 việc quá hạn, 0 chi bộ 90 ngày chưa có chuyển biến.\n"
        "  Chỉ tiêu năm học 2025-2026: kết nạp 0/5, còn thiếu 5\n"  # the committee's own, rolled up
        "  • Chi bộ Khoa Toán, ĐH Sư phạm (demo): đang theo dõi 2 người; kết nạp 0/2 chỉ tiêu\n"
        "  • Chi bộ Trường THPT Trần Phú (demo): đang theo dõi 13 người; kết nạp 0/3 chỉ tiêu\n"
        "  Báo cáo tháng 2/2026: 0/2 chi bộ đã gửi; chưa gửi: Chi bộ Khoa Toán, ĐH Sư phạm (demo), "
        "Chi bộ Trường THPT Trần Phú (demo).\n"
        "\n"
        "Gõ /trogiup để xem các lệnh.")
    assert not days_with(seen, "bithu", "Tổng hợp tuần")


async def test_the_digest_shows_the_committees_shares(demo):
    from tests.flows.test_target_shares import set_target

    await set_target(demo, "Đảng ủy Khối Giáo dục (demo)", "2025-2030", 30, ["youth_union>60", "branches>70"])
    seen = await run_days(demo, date(2026, 3, 2), date(2026, 3, 2), hour=8)
    [text] = seen[("captren", date(2026, 3, 2))]
    assert text.splitlines()[1:4] == [
        "- Tổng hợp tuần — Đảng ủy Khối Giáo dục (demo): 0 việc quá hạn, 0 chi bộ 90 ngày chưa có chuyển biến.",
        "  Chỉ tiêu nhiệm kỳ 2025-2030: kết nạp 1/30, còn thiếu 29; Đoàn viên trên 60%: 1/1 (đạt); "
        "Chi bộ có kết nạp trên 70%: 1/2 (chưa đạt)",
        "  Chỉ tiêu năm học 2025-2026: kết nạp 0/5, còn thiếu 5"]


async def test_a_certificate_typed_with_the_dossier_has_its_expiry_reminder_too(demo):
    # Lan holds only a certificate typed with her dossier: its 60 months end on 01/04/2026.
    from models.dossier import DossierEntry
    from models.party_class import Enrollment

    async with demo.sessions() as session, session.begin():
        lan = (await session.exec(select(Candidate).where(Candidate.full_name == "Đặng Ngọc Lan"))).one()
        await session.exec(sa.delete(Enrollment).where(Enrollment.candidate_id == lan.id))
        await session.exec(sa.update(DossierEntry).where(DossierEntry.candidate_id == lan.id,
                                                         DossierEntry.item == "CN-NTVĐ")
                           .values(dated=date(2021, 4, 1)))
    seen = await run_days(demo, date(2026, 3, 2), date(2026, 3, 2))
    [text] = seen[("bithu", date(2026, 3, 2))]
    number = await number_of(demo, "Đặng Ngọc Lan")
    assert f"Giấy chứng nhận lớp nhận thức về Đảng của Đặng Ngọc Lan (số {number}) hết hạn ngày 01/04/2026." in text
