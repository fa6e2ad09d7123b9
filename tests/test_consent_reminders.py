"""Reminders of consent (issue 16): a request about one's data overdue, a child's guardian's
consent missing, and a child turning 16; and nothing to a candidate who has not agreed."""

from datetime import date, datetime, timezone

from sqlmodel import select

from bot.channels.memory import MemoryChannel
from bot.clock import vn_time
from bot.dispatcher import Dispatcher
from bot.scheduler import tick
from models.candidate import Candidate
from models.org import Organisation
from models.consent import DataRequest, GivenBy, Method, RequestKind, record
from models.people import ChatLink
from tests.support import number_of
from tests.test_reminders import days_with, no_wait, run_days

# Register numbers are looked up by name (tests/support.py number_of), not the demo's numbering.
AN, NGOC, SON, KHOA = "Nguyễn Văn An", "Trần Thị Bích Ngọc", "Trịnh Công Sơn", "Đinh Văn Khoa"


async def test_an_unanswered_request_is_overdue_every_week_until_done(demo):
    async with demo.sessions() as session, session.begin():
        an = (await session.exec(select(Candidate).where(Candidate.full_name == "Nguyễn Văn An"))).one()
        person = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == "bithu"))).one()
        session.add(DataRequest(candidate_id=an.id, person_id=person, kind=RequestKind.erase, made_on=date(2026, 3, 2),
                                acknowledge_by=date(2026, 3, 4), act_by=date(2026, 3, 23),
                                at=datetime(2026, 3, 2, 2, tzinfo=timezone.utc)))
    seen = await run_days(demo, date(2026, 3, 2), date(2026, 3, 31))
    late = (f'Quá hạn: yêu cầu "xin xoá dữ liệu" của Nguyễn Văn An (số {await number_of(demo, AN)}) ngày 02/03/2026, '
            "chưa trả lời (hạn 04/03/2026)")
    # the first day past the 2 working days, then the first day of each week
    assert days_with(seen, "bithu", late) == [date(2026, 3, 5), date(2026, 3, 9), date(2026, 3, 16),
                                              date(2026, 3, 23), date(2026, 3, 30)]
    assert days_with(seen, "giupdo", "Quá hạn: yêu cầu") == []  # to the branch's officers only
    # and in the committee's weekly digest, on Mondays once it is late
    assert days_with(seen, "captren", "1 yêu cầu về dữ liệu cá nhân quá hạn") == [
        date(2026, 3, 9), date(2026, 3, 16), date(2026, 3, 23), date(2026, 3, 30)]


async def _erase_request(demo, **answered) -> None:
    async with demo.sessions() as session, session.begin():
        an = (await session.exec(select(Candidate).where(Candidate.full_name == "Nguyễn Văn An"))).one()
        person = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == "bithu"))).one()
        session.add(DataRequest(candidate_id=an.id, person_id=person, kind=RequestKind.erase, made_on=date(2026, 3, 2),
                                acknowledge_by=date(2026, 3, 4), act_by=date(2026, 3, 23),
                                at=datetime(2026, 3, 2, 2, tzinfo=timezone.utc), **answered))


async def test_an_acknowledged_request_is_overdue_only_after_its_day_to_act(demo):
    await _erase_request(demo, acknowledged_on=date(2026, 3, 3))
    seen = await run_days(demo, date(2026, 3, 2), date(2026, 3, 31))
    assert days_with(seen, "bithu", "Quá hạn: yêu cầu") == [date(2026, 3, 24), date(2026, 3, 30)]
    an = await number_of(demo, AN)
    assert days_with(seen, "bithu", (f'Quá hạn: yêu cầu "xin xoá dữ liệu" của Nguyễn Văn An (số {an}) ngày 02/03/2026, '
                                     "xử lý xong trước ngày 23/03/2026. Ghi khi đã trả lời hoặc đã xong: /yeucau")
                     ) == [date(2026, 3, 24), date(2026, 3, 30)]


async def test_a_request_done_is_never_reminded_of_again(demo):
    await _erase_request(demo, acknowledged_on=date(2026, 3, 3), done_on=date(2026, 3, 20), outcome="Đã xoá")
    seen = await run_days(demo, date(2026, 3, 2), date(2026, 4, 6))
    assert days_with(seen, "bithu", "Quá hạn: yêu cầu") == []
    assert days_with(seen, "captren", "yêu cầu về dữ liệu cá nhân quá hạn") == []


async def test_a_child_without_a_guardians_consent_and_turning_16(demo):
    async with demo.sessions() as session, session.begin():
        ngoc = (await session.exec(select(Candidate).where(Candidate.full_name == "Trần Thị Bích Ngọc"))).one()
        ngoc.birth_date = date(2010, 4, 10)  # 15 on the day of registration (02/03/2026)
    seen = await run_days(demo, date(2026, 3, 2), date(2026, 4, 6))
    ngoc = await number_of(demo, NGOC)
    missing = (f"Trần Thị Bích Ngọc (số {ngoc}) chưa đủ 16 tuổi khi được giới thiệu: cần giấy đồng ý của cha mẹ "
               "hoặc người giám hộ. Ghi lại: /dongy")
    assert days_with(seen, "bithu", missing) == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16),
                                                 date(2026, 3, 23), date(2026, 3, 30), date(2026, 4, 6)]
    assert days_with(seen, "bithu", f"Trần Thị Bích Ngọc (số {ngoc}) đủ 16 tuổi ngày 10/04/2026: từ đó sự đồng ý "
                                    "của chính người đó là đủ") == [date(2026, 4, 1)]


async def test_a_guardians_consent_ends_the_reminder(demo):
    async with demo.sessions() as session, session.begin():
        ngoc = (await session.exec(select(Candidate).where(Candidate.full_name == "Trần Thị Bích Ngọc"))).one()
        ngoc.birth_date = date(2012, 4, 10)
        record(session=session, candidate_id=ngoc.id, given_by=GivenBy.guardian, method=Method.paper,
               given_on=date(2026, 3, 1), sensitive=False, now=demo.clock.now(), guardian_name="Trần Văn Bình",
               guardian_relation="bố")
    seen = await run_days(demo, date(2026, 3, 2), date(2026, 3, 9))
    assert days_with(seen, "bithu", "chưa đủ 16 tuổi") == []


async def test_on_a_channel_the_branch_does_not_allow_a_reminder_names_by_initials(demo):
    async with demo.sessions() as session, session.begin():
        ngoc = (await session.exec(select(Candidate).where(Candidate.full_name == "Trần Thị Bích Ngọc"))).one()
        ngoc.birth_date = date(2010, 4, 10)
        branch = await session.get(Organisation, ngoc.branch_id)
        branch.personal_data_channels = "zalo"
        bithu = (await session.exec(select(ChatLink).where(ChatLink.account_id == "bithu"))).one()
        bithu.channel, bithu.account_id = "telegram", "bithu-tg"
    telegram = MemoryChannel("telegram")
    dispatcher = Dispatcher(sessions=demo.sessions, channels={"telegram": telegram}, clock=demo.clock, sleep=no_wait)
    demo.clock.current = vn_time(2026, 3, 2, 7)
    await tick(demo.sessions, dispatcher, demo.clock.now())
    [message] = telegram.sent["bithu-tg"]
    ngoc, khoa = await number_of(demo, NGOC), await number_of(demo, KHOA)
    assert (f"- T.T.B.N. (số {ngoc}) chưa đủ 16 tuổi khi được giới thiệu: cần giấy đồng ý của cha mẹ hoặc người "
            "giám hộ. Ghi lại: /dongy") in message.text.splitlines()
    assert f"  • Đ.V.K. (số {khoa}): 33 ngày, từ 28/01/2026; giúp đỡ: T.V.B." in message.text.splitlines()
    for name in ("Trần Thị Bích Ngọc", "Đinh Văn Khoa", "Trần Văn Bình"):
        assert name not in message.text


async def test_on_a_channel_not_allowed_the_16th_and_18th_birthdays_show_no_birth_date(demo):
    async with demo.sessions() as session, session.begin():
        ngoc = (await session.exec(select(Candidate).where(Candidate.full_name == "Trần Thị Bích Ngọc"))).one()
        ngoc.birth_date = date(2010, 3, 10)  # 16 on 10/03/2026, this month
        record(session=session, candidate_id=ngoc.id, given_by=GivenBy.guardian, method=Method.paper,
               given_on=date(2026, 3, 1), sensitive=False, now=demo.clock.now(), guardian_name="Trần Văn Bình",
               guardian_relation="bố")
        son = (await session.exec(select(Candidate).where(Candidate.full_name == "Trịnh Công Sơn"))).one()
        son.birth_date = date(2008, 3, 20)  # 18 on 20/03/2026
        branch = await session.get(Organisation, ngoc.branch_id)
        branch.personal_data_channels = "zalo"
        bithu = (await session.exec(select(ChatLink).where(ChatLink.account_id == "bithu"))).one()
        bithu.channel, bithu.account_id = "telegram", "bithu-tg"
    telegram = MemoryChannel("telegram")
    dispatcher = Dispatcher(sessions=demo.sessions, channels={"telegram": telegram}, clock=demo.clock, sleep=no_wait)
    demo.clock.current = vn_time(2026, 3, 2, 7)
    await tick(demo.sessions, dispatcher, demo.clock.now())
    [message] = telegram.sent["bithu-tg"]
    lines = message.text.splitlines()
    ngoc, son = await number_of(demo, NGOC), await number_of(demo, SON)
    assert (f"- T.T.B.N. (số {ngoc}) đủ 16 tuổi trong tháng này (ngày sinh chỉ hiện trên kênh chi bộ cho phép): từ đó "
            "sự đồng ý của chính người đó là đủ, không cần của cha mẹ hoặc người giám hộ.") in lines
    assert (f"- T.C.S. (số {son}) đủ 18 tuổi trong tháng này (ngày sinh chỉ hiện trên kênh chi bộ cho phép): từ ngày "
            "đó có thể xét kết nạp.") in lines
    for shown in ("10/03", "20/03", "2010", "2008"):
        assert shown not in message.text


async def test_on_a_channel_allowed_the_birthdays_keep_their_dates(demo):
    async with demo.sessions() as session, session.begin():
        ngoc = (await session.exec(select(Candidate).where(Candidate.full_name == "Trần Thị Bích Ngọc"))).one()
        ngoc.birth_date = date(2010, 3, 10)
    seen = await run_days(demo, date(2026, 3, 2), date(2026, 3, 2))
    ngoc = await number_of(demo, NGOC)
    assert days_with(seen, "bithu", f"Trần Thị Bích Ngọc (số {ngoc}) đủ 16 tuổi ngày 10/03/2026: từ đó") == [
        date(2026, 3, 2)]
