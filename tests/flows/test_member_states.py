"""The states the seeds name (issue 13 item 8), on the roster (/dangvien): a student branch's
graduate stays up to 12 months (01-HD/TW 10.2.1; seeds 000, 001), shown with the day they must
move by and reminded; a member received from another place keeps what was recorded there; an
expulsion (khai trừ) is an official member's only, recorded with its decision, apart from
striking off (xóa tên)."""

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.clock import vn_time
from bot.config import Settings
from bot.demo import BRANCH
from bot.scheduler import tick
from models.org import Organisation
from models.roster import PartyMember, official_members_on
from tests.support import number_of
from tests.test_reminders import make

TODAY = date(2026, 3, 2)


@pytest.fixture
def settings(database_url, tmp_path):
    """Report files go to the test's own folder, not the working directory."""
    return Settings(database_url=database_url, data_dir=str(tmp_path), _env_file=None)
ACTIONS = ("Bạn muốn làm gì với danh sách đảng viên? (/huy để thôi)\n\n1. Thêm đảng viên\n"
           "2. Nhận đảng viên chuyển đến từ nơi khác\n3. Ghi đảng viên đã rời chi bộ\n"
           "4. Ghi ngày tốt nghiệp (chi bộ sinh viên)\n(Trả lời bằng số hoặc bằng chữ)")
MEMBERS = (
    "1. Cao Thị Huyền — chính thức từ 31/01/2026\n2. Đỗ Thị Mai — chính thức từ 03/03/2020\n"
    "3. Đoàn Thị Thảo — chính thức từ 03/03/2023\n4. Hồ Thị Ngọc Hân — chính thức từ 04/03/2018\n"
    "5. Lê Thị Kim Oanh — chính thức từ 06/03/2011\n6. Nguyễn Hữu Phước — chính thức từ 07/03/2004\n"
    "7. Nguyễn Thị Thu — chính thức từ 05/03/2014\n8. Phan Văn Hùng — chính thức từ 04/03/2016\n"
    "9. Phùng Quang Vinh — chính thức từ 03/03/2021\n10. Trần Văn Bình — chính thức từ 04/03/2017\n"
    "11. Trương Văn Dũng — chính thức từ 05/03/2015\n12. Hoàng Mai Anh — dự bị từ 14/08/2025\n"
    "(Trả lời bằng số hoặc bằng chữ)")
WHO_GRADUATED = ("Đảng viên nào tốt nghiệp? Gõ số hoặc một phần họ tên (không dấu cũng được).\n\n" + MEMBERS)
WHEN_GRADUATED = ("Phùng Quang Vinh tốt nghiệp ngày nào? (ngày/tháng/năm; được sinh hoạt đảng tại trường tối đa "
                  "12 tháng sau ngày đó)")


async def student_branch(demo) -> None:
    """The demo's school branch as if it were a student branch (chi bộ sinh viên)."""
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.update(Organisation).where(Organisation.name == BRANCH).values(is_student=True))


async def member(demo, name: str) -> PartyMember:
    async with demo.sessions() as session:
        return (await session.exec(select(PartyMember).where(PartyMember.full_name == name))).one()


async def graduated(demo, name: str, on: date) -> None:
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.update(PartyMember).where(PartyMember.full_name == name).values(graduated_on=on))


async def roster_line(talk, number: int) -> str:
    reply = await talk("bithu").say("/dangvien")
    return next(line for line in reply.splitlines() if line.startswith(f"{number}. "))


# ---- graduates of a student branch -----------------------------------------------------------

async def test_a_graduation_is_refused_outside_a_student_branch(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/dangvien")
    assert await bithu.say("4") == WHO_GRADUATED
    assert await bithu.say("vinh") == (
        "Chi bộ này không phải chi bộ sinh viên: chỉ đảng viên là sinh viên tốt nghiệp mới được sinh hoạt tại "
        "trường tối đa 12 tháng (Hướng dẫn 01-HD/TW, mục 10.2.1). Đảng viên chuyển đi thì chọn \"Ghi đảng viên "
        "đã rời chi bộ\".\n" + WHO_GRADUATED)
    assert (await member(demo, "Phùng Quang Vinh")).graduated_on is None


async def test_a_student_branch_member_graduates_and_the_roster_says_by_when_to_move(talk, demo):
    await student_branch(demo)
    bithu = talk("bithu")
    await bithu.say("/dangvien")
    await bithu.dialog([("4", WHO_GRADUATED), ("vinh", WHEN_GRADUATED)])
    assert await bithu.say("1/1/2021") == (
        "Ngày tốt nghiệp 01/01/2021 trước ngày vào chi bộ 03/03/2021. Xin nhập lại ngày.\n" + WHEN_GRADUATED)
    assert await bithu.say("30/06/2025") == (
        "Xin kiểm tra lại trước khi lưu vào danh sách đảng viên của Chi bộ Trường THPT Trần Phú (demo):\n"
        "- Đảng viên tốt nghiệp: Phùng Quang Vinh\n- Ngày tốt nghiệp: 30/06/2025\n\n"
        "1. Lưu\n2. Sửa việc\n3. Sửa đảng viên\n4. Sửa ngày tốt nghiệp\n5. Hủy\n(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("Lưu") == (
        "Đã ghi Phùng Quang Vinh tốt nghiệp ngày 30/06/2025: được sinh hoạt đảng tại trường đến 30/06/2026, trước "
        "ngày đó phải chuyển sinh hoạt đến nơi cư trú hoặc nơi làm việc (Hướng dẫn 01-HD/TW, mục 10.2.1). Khi "
        "chuyển, ghi bằng /dangvien.")
    assert (await member(demo, "Phùng Quang Vinh")).graduated_on == date(2025, 6, 30)
    assert await roster_line(talk, 9) == (
        "9. Phùng Quang Vinh — chính thức từ 03/03/2021; tốt nghiệp 30/06/2025, phải chuyển sinh hoạt trước "
        "30/06/2026")


async def test_a_graduate_past_the_12_months_is_overdue_on_the_roster(talk, demo):
    await student_branch(demo)
    await graduated(demo, "Phùng Quang Vinh", date(2025, 3, 1))  # the 12 months ended on 01/03/2026
    assert await roster_line(talk, 9) == (
        "9. Phùng Quang Vinh — chính thức từ 03/03/2021; tốt nghiệp 01/03/2025, QUÁ HẠN chuyển sinh hoạt "
        "(hạn 01/03/2026)")


async def reminders_of(demo, day: date) -> str:
    channel, dispatcher = make(demo)
    demo.clock.current = vn_time(day.year, day.month, day.day, 7)
    await tick(demo.sessions, dispatcher, demo.clock.now())
    return "\n".join(m.text for m in channel.sent.get("bithu", []))


async def test_the_secretary_is_reminded_when_a_graduates_12_months_approach_and_pass(demo):
    await student_branch(demo)
    await graduated(demo, "Phùng Quang Vinh", date(2025, 4, 1))  # may stay until 01/04/2026: 30 days away
    await graduated(demo, "Đỗ Thị Mai", date(2025, 2, 1))  # until 01/02/2026: passed
    await graduated(demo, "Đoàn Thị Thảo", date(2025, 4, 2))  # until 02/04/2026: 31 days away, not yet
    sent = await reminders_of(demo, TODAY)
    assert ("- Phùng Quang Vinh tốt nghiệp ngày 01/04/2025, được sinh hoạt đảng tại trường đến 01/04/2026: làm "
            "thủ tục chuyển sinh hoạt đảng trước ngày đó, rồi ghi bằng /dangvien.\n") in sent
    assert ("- QUÁ HẠN: Đỗ Thị Mai tốt nghiệp ngày 01/02/2025, đã quá 12 tháng sinh hoạt đảng tại trường (hạn "
            "01/02/2026): chuyển sinh hoạt đảng ngay, rồi ghi bằng /dangvien.\n") in sent
    assert "Đoàn Thị Thảo" not in sent
    later = await reminders_of(demo, date(2026, 3, 3))  # the approach once; the overdue weekly
    assert "Phùng Quang Vinh" not in later and "Đỗ Thị Mai" not in later
    assert "Đỗ Thị Mai" in await reminders_of(demo, date(2026, 3, 9))


async def test_a_graduate_who_moved_is_no_longer_reminded(demo):
    await student_branch(demo)
    await graduated(demo, "Đỗ Thị Mai", date(2025, 2, 1))
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.update(PartyMember).where(PartyMember.full_name == "Đỗ Thị Mai")
                           .values(left_on=date(2026, 1, 15), left_reason="moved", moved_to="Đảng ủy phường"))
    assert "Đỗ Thị Mai" not in await reminders_of(demo, TODAY)


# ---- a member received from another place ----------------------------------------------------

RECEIVED_FROM = "Chuyển đến từ đâu? (chi bộ hoặc đảng bộ đã giới thiệu sinh hoạt, tối đa 200 ký tự)"
RECEIVED_ON = 'Chi bộ nhận sinh hoạt đảng của Lê Văn Tám ngày nào? (ngày/tháng/năm, hoặc "hôm nay")'
ADMITTED_ON = "Vào Đảng (kết nạp) ngày nào, theo hồ sơ ở nơi cũ? (ngày/tháng/năm)"
RECEIVED_NOTE = ("Số và ngày các quyết định ghi ở nơi cũ (kết nạp, công nhận chính thức)? Tối đa 200 ký tự, hoặc "
                 "chọn \"Bỏ qua\".\n\n1. Bỏ qua\n(Trả lời bằng số hoặc bằng chữ)")


async def test_a_member_received_from_another_place_keeps_the_dates_recorded_there(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/dangvien")
    await bithu.dialog([
        ("2", "Họ và tên đảng viên?"),
        ("Lê Văn Tám", "Đảng viên chính thức hay dự bị?\n\n1. Chính thức\n2. Dự bị\n(Trả lời bằng số hoặc bằng chữ)"),
        ("Chính thức", "Được công nhận đảng viên chính thức từ ngày nào? (ngày/tháng/năm, theo hồ sơ ở nơi cũ)"),
        ("01/02/2020", ADMITTED_ON),
        ("01/03/2020", "Ngày vào Đảng 01/03/2020 sau ngày công nhận chính thức 01/02/2020: phải kết nạp trước rồi "
                       "mới công nhận. Xin nhập lại ngày.\n" + ADMITTED_ON),
        ("01/02/2019", RECEIVED_FROM),
        ("Chi bộ Trường THPT Lê Lợi", RECEIVED_ON),
        ("01/01/2020", "Ngày nhận 01/01/2020 trước ngày công nhận chính thức 01/02/2020 ghi ở nơi cũ: đảng viên chỉ "
                       "chuyển đến sau khi đã vào Đảng. Xin nhập lại ngày.\n" + RECEIVED_ON),
        ("15/02/2026", RECEIVED_NOTE),
    ])
    assert await bithu.say("QĐ kết nạp 45-QĐ/ĐU ngày 01/02/2019") == (
        "Xin kiểm tra lại trước khi lưu vào danh sách đảng viên của Chi bộ Trường THPT Trần Phú (demo):\n"
        "- Họ tên: Lê Văn Tám\n- Đảng viên: Chính thức\n- Từ ngày: 01/02/2020\n- Vào Đảng: 01/02/2019\n"
        "- Chuyển đến từ: Chi bộ Trường THPT Lê Lợi, chi bộ nhận ngày 15/02/2026\n"
        "- Quyết định ở nơi cũ: QĐ kết nạp 45-QĐ/ĐU ngày 01/02/2019\n\n"
        "1. Lưu\n2. Sửa việc\n3. Sửa họ tên\n4. Sửa chính thức/dự bị\n5. Sửa từ ngày\n6. Sửa ngày vào Đảng\n"
        "7. Sửa nơi chuyển từ\n8. Sửa ngày chi bộ nhận\n9. Sửa quyết định ở nơi cũ\n10. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("Lưu") == (
        "Đã thêm Lê Văn Tám (chính thức từ 01/02/2020, vào Đảng 01/02/2019) vào danh sách đảng viên của Chi bộ "
        "Trường THPT Trần Phú (demo), chuyển đến từ Chi bộ Trường THPT Lê Lợi ngày 15/02/2026; quá trình ở nơi cũ "
        "được giữ. Xem danh sách: /dangvien")
    tam = await member(demo, "Lê Văn Tám")
    assert (tam.since, tam.admitted_on, tam.received_on, tam.received_from) == (
        date(2020, 2, 1), date(2019, 2, 1), date(2026, 2, 15), "Chi bộ Trường THPT Lê Lợi")
    assert await roster_line(talk, 6) == (
        "6. Lê Văn Tám — chính thức từ 01/02/2020, vào Đảng 01/02/2019; chuyển đến từ Chi bộ Trường THPT Lê Lợi "
        "ngày 15/02/2026 (QĐ kết nạp 45-QĐ/ĐU ngày 01/02/2019)")
    async with demo.sessions() as session:  # the branch's votes count them from the day received
        org_id = tam.org_id
        assert await official_members_on(session=session, org_id=org_id, on=date(2026, 2, 14)) == 11
        assert await official_members_on(session=session, org_id=org_id, on=date(2026, 2, 15)) == 12


# ---- expulsion, apart from striking off -------------------------------------------------------

WHY_LEFT = ("Vì sao rời chi bộ? Chuyển sinh hoạt, xóa tên và khai trừ được ghi riêng.\n\n"
            "1. Chuyển sinh hoạt đi nơi khác\n2. Xóa tên\n3. Khai trừ\n(Trả lời bằng số hoặc bằng chữ)")


async def test_a_probationary_member_cannot_be_expelled_only_struck_off(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/dangvien")
    await bithu.say("3")
    await bithu.dialog([("Hoàng Mai Anh", 'Rời chi bộ ngày nào? (ngày/tháng/năm, hoặc "hôm nay")'),
                        ("hôm nay", WHY_LEFT)])
    assert await bithu.say("Khai trừ") == (
        "Chỉ đảng viên chính thức mới có thể bị khai trừ; đảng viên dự bị không đủ tư cách thì ghi xóa tên (Điều "
        "lệ Đảng). Xin chọn lý do khác.\n" + WHY_LEFT)
    assert await bithu.say("Xóa tên") == (
        "Xin kiểm tra lại trước khi lưu vào danh sách đảng viên của Chi bộ Trường THPT Trần Phú (demo):\n"
        "- Đảng viên rời chi bộ: Hoàng Mai Anh\n- Ngày rời: 02/03/2026\n- Lý do: Xóa tên\n\n"
        "1. Lưu\n2. Sửa việc\n3. Sửa đảng viên\n4. Sửa ngày rời\n5. Sửa lý do rời\n6. Hủy\n"
        "(Trả lời bằng số hoặc bằng chữ)")
    assert await bithu.say("Lưu") == (
        "Đã ghi Hoàng Mai Anh rời Chi bộ Trường THPT Trần Phú (demo) ngày 02/03/2026 (bị xóa tên); từ ngày đó "
        "không còn tính vào số đảng viên của chi bộ.")
    assert (await member(demo, "Hoàng Mai Anh")).left_reason == "struck_off"


# ---- the quarterly list of graduates (seeds 000, 001) and expulsions in the statistics --------

async def left(demo, name: str, on: date, reason: str, moved_to: str | None = None) -> None:
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.update(PartyMember).where(PartyMember.full_name == name)
                           .values(left_on=on, left_reason=reason, moved_to=moved_to))


async def test_the_quarterly_report_lists_the_graduates_to_transfer(talk, demo, settings):
    from models.reports.periods import PeriodUnit, _make
    from models.reports.quarterly import GraduateRow, quarterly_survey

    await student_branch(demo)
    await graduated(demo, "Phùng Quang Vinh", date(2025, 6, 30))  # still at the school
    await graduated(demo, "Đỗ Thị Mai", date(2025, 2, 1))
    await left(demo, "Đỗ Thị Mai", date(2026, 1, 15), "moved", "Đảng ủy phường Bến Thành")  # moved in the quarter
    await graduated(demo, "Đoàn Thị Thảo", date(2025, 6, 1))
    await left(demo, "Đoàn Thị Thảo", date(2025, 12, 20), "moved", "Chi bộ khu phố 3")  # the quarter before
    bithu = talk("bithu")
    await bithu.say("/baocao")
    await bithu.say("Khảo sát nguồn theo quý")
    reply = await bithu.say("quý 1/2026")
    assert reply.split("\n\nĐã ghi các tệp:")[0] == (
        f"Khảo sát nguồn theo quý — {BRANCH} — Quý 1 năm 2026\n\n"
        "- 10 người trong danh sách, ở 1 đơn vị; nguồn chưa khảo sát trong quý: 4\n"
        "- Đơn vị chưa có nguồn: 0; đơn vị có ít nguồn: 0\n"
        "- Đảng viên sinh viên tốt nghiệp: 1 đã chuyển sinh hoạt trong quý, 1 còn sinh hoạt tại trường")
    async with demo.sessions() as session:
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        report = await quarterly_survey(session=session, branch_ids=[branch.id], org=BRANCH,
                                        period=_make(PeriodUnit.quarter, 2026, 1), today=TODAY)
    assert report.graduates == [
        GraduateRow(BRANCH, "Đỗ Thị Mai", date(2025, 2, 1), date(2026, 2, 1), date(2026, 1, 15),
                    "Đảng ủy phường Bến Thành"),
        GraduateRow(BRANCH, "Phùng Quang Vinh", date(2025, 6, 30), date(2026, 6, 30), None, None)]


async def test_the_statistics_count_expulsions_apart_from_strikings_off(demo):
    from models.reports.periods import PeriodUnit, _make
    from models.reports.statistics import statistics

    await left(demo, "Phùng Quang Vinh", date(2026, 2, 10), "expelled")
    await left(demo, "Đỗ Thị Mai", date(2025, 12, 31), "expelled")  # the half-year before
    await left(demo, "Hoàng Mai Anh", date(2026, 2, 10), "struck_off")  # struck off on the roster only
    async with demo.sessions() as session:
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        stats = await statistics(session=session, org=branch, period=_make(PeriodUnit.half, 2026, 1))
    assert stats.flows["expelled"].this == 1 and stats.flows["expelled"].before == 0
    assert stats.flows["struck_off"].this == 0  # the pipeline's strikings off (/chinhthuc), not expulsions


async def test_the_card_of_a_member_expelled_says_so(talk, demo):
    """A member recognised through chibo (Hoàng Mai Anh, a demo candidate) and then expelled: the card
    says expelled, with the decision, not struck off."""
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.update(PartyMember).where(PartyMember.full_name == "Hoàng Mai Anh").values(
            status="official", left_on=date(2026, 2, 20), left_reason="expelled",
            left_note="Quyết định số 7-QĐ/ĐU ngày 19/02/2026"))
    anh = await number_of(demo, "Hoàng Mai Anh")
    assert await talk("bithu").say(f"/xem {anh}") == (  # (the stage as the pipeline left it: the row was set here)
        f"{anh}. Hoàng Mai Anh\n- Ngày sinh: 20/08/1996 · Nữ\n- Đối tượng: Giáo viên, giảng viên · Đoàn viên\n"
        "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n- Giai đoạn: Đảng viên dự bị, từ 14/08/2025\n"
        "- Đã rời chi bộ: bị khai trừ ngày 20/02/2026 (Quyết định số 7-QĐ/ĐU ngày 19/02/2026)\n"
        "- Đảng viên giúp đỡ: Trần Văn Bình\n- Nguồn giới thiệu: Đoàn Thanh niên\n"
        "- Bước tiếp theo: học lớp bồi dưỡng đảng viên mới, hạn 14/08/2026 (Hướng dẫn 06-HD/TW, mục 4.1)")
