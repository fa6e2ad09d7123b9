"""A committee member's own request about their data (issue 16) has no branch secretary to
answer it: chibo's operator does. When it is overdue, every daily run says so in the log (ids
only) and the committee's weekly digest counts it, in that committee and every one above it;
a branch's overdue request stays with the branch's officers and its line in the digest."""

import logging
from datetime import date, datetime, timezone

from sqlmodel import select

from bot.demo import COMMITTEE
from models.candidate import Candidate
from models.consent import DataRequest, RequestKind
from models.org import Organisation, add_org
from models.people import ChatLink, RoleGrant
from models.stage import OrgKind, Role
from tests.test_reminders import days_with, run_days

OPERATOR = "data requests {} are overdue and await the operator: chibo person requests --overdue"


async def _request(demo, account: str, org: str | None = None, candidate: str | None = None,
                   **answered) -> int:
    async with demo.sessions() as session, session.begin():
        person = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == account))).one()
        org_id = (await session.exec(select(Organisation.id).where(Organisation.name == org))).one() if org else None
        candidate_id = (await session.exec(select(Candidate.id).where(Candidate.full_name == candidate))).one() \
            if candidate else None
        request = DataRequest(candidate_id=candidate_id, person_id=person, org_id=org_id, kind=RequestKind.erase,
                              made_on=date(2026, 3, 2), acknowledge_by=date(2026, 3, 4), act_by=date(2026, 3, 23),
                              at=datetime(2026, 3, 2, 2, tzinfo=timezone.utc), **answered)
        session.add(request)
        await session.flush()
        return request.id


def _operator_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.scheduler" and r.levelno == logging.WARNING]


async def test_a_committee_members_overdue_request_is_logged_daily_and_in_the_committees_digest(demo, caplog):
    caplog.set_level(logging.INFO)
    mine = await _request(demo, "captren", org=COMMITTEE)
    branch = await _request(demo, "quanchung", candidate="Lê Hoàng Minh")  # the branch's: its officers answer
    seen = await run_days(demo, date(2026, 3, 2), date(2026, 3, 9))
    line = (f"  • {COMMITTEE}: 1 yêu cầu về dữ liệu cá nhân của cấp ủy viên quá hạn (người quản trị chibo trả lời: "
            "chibo person requests --overdue)")
    assert days_with(seen, "captren", line) == [date(2026, 3, 9)]  # not on 2 March: not yet late
    assert seen[("captren", date(2026, 3, 9))] == [
        "chibo nhắc việc:\n"
        f"- Tổng hợp tuần — {COMMITTEE}: 0 việc quá hạn, 0 chi bộ 90 ngày chưa có chuyển biến.\n"
        "  Chỉ tiêu năm học 2025-2026: kết nạp 0/5, còn thiếu 5\n"
        "  • Chi bộ Khoa Toán, ĐH Sư phạm (demo): đang theo dõi 2 người; kết nạp 0/2 chỉ tiêu\n"
        "  • Chi bộ Trường THPT Trần Phú (demo): đang theo dõi 13 người; kết nạp 0/3 chỉ tiêu; 1 yêu cầu về dữ liệu "
        "cá nhân quá hạn\n"  # the branch's request, in the branch's line
        f"{line}\n\n"
        "  Báo cáo tháng 2/2026: 0/2 chi bộ đã gửi; chưa gửi: Chi bộ Khoa Toán, ĐH Sư phạm (demo), Chi bộ Trường "
        "THPT Trần Phú (demo).\n\n"
        "Gõ /trogiup để xem các lệnh."]
    assert days_with(seen, "bithu", "cấp ủy viên") == []  # no branch officer is told of it
    # the operator: each run from the first day past the 2 working days, the committee's request only
    assert _operator_lines(caplog) == [OPERATOR.format(mine)] * 5  # 5, 6, 7, 8, 9 March
    assert str(branch) != str(mine)
    logged = caplog.text
    for name in ("Lê Văn Cường", "Lê Hoàng Minh"):
        assert name not in logged


async def test_a_request_answered_by_the_operator_is_no_longer_reminded(demo, caplog):
    caplog.set_level(logging.INFO)
    await _request(demo, "captren", org=COMMITTEE, acknowledged_on=date(2026, 3, 3), done_on=date(2026, 3, 3),
                   outcome="Đã xoá")
    seen = await run_days(demo, date(2026, 3, 2), date(2026, 3, 9))
    assert days_with(seen, "captren", "cấp ủy viên quá hạn") == []
    assert _operator_lines(caplog) == []


async def test_the_committee_above_counts_the_request_of_a_committee_below(demo, caplog):
    """A district committee under a provincial one: the request of a district committee member
    is counted in both committees' digests."""
    async with demo.sessions() as session, session.begin():
        top = (await session.exec(select(Organisation).where(Organisation.name == COMMITTEE))).one()
        district = await add_org(session=session, name="Đảng ủy Phường Bến Thành (thử)", kind=OrgKind.committee,
                                 parent=top, now=demo.clock.now())
        minh = (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == "quanchung"))).one()
        session.add(RoleGrant(person_id=minh, org_id=district.id, role=Role.committee, granted_at=demo.clock.now()))
    await _request(demo, "quanchung", org="Đảng ủy Phường Bến Thành (thử)")
    seen = await run_days(demo, date(2026, 3, 9), date(2026, 3, 9))
    line = ("  • Đảng ủy Phường Bến Thành (thử): 1 yêu cầu về dữ liệu cá nhân của cấp ủy viên quá hạn (người quản trị "
            "chibo trả lời: chibo person requests --overdue)")
    assert days_with(seen, "captren", line) == [date(2026, 3, 9)]  # the committee above
    assert days_with(seen, "quanchung", line) == [date(2026, 3, 9)]  # the district committee's own digest
