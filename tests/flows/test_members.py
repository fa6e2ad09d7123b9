"""/dangvien: a secretary keeps the branch's roster of party members; chibo keeps it in step
with the admissions and recognitions it records, and /giupdo names only official members."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH
from models import deadlines as d
from models.audit import AuditLog
from models.candidate import Candidate
from models.dossier import AdmissionRecord
from models.introducers import IntroducerRecord
from models.org import Organisation
from models.roster import PartyMember

TODAY = date(2026, 3, 2)
ANH, DUC = 8, 13

ROSTER = """\
Đảng viên của Chi bộ Trường THPT Trần Phú (demo) (11 chính thức hôm nay):
1. Cao Thị Huyền — chính thức từ 31/01/2026
2. Đỗ Thị Mai — chính thức từ 03/03/2020
3. Đoàn Thị Thảo — chính thức từ 03/03/2023
4. Hồ Thị Ngọc Hân — chính thức từ 04/03/2018
5. Lê Thị Kim Oanh — chính thức từ 06/03/2011
6. Nguyễn Hữu Phước — chính thức từ 07/03/2004
7. Nguyễn Thị Thu — chính thức từ 05/03/2014
8. Phan Văn Hùng — chính thức từ 04/03/2016
9. Phùng Quang Vinh — chính thức từ 03/03/2021
10. Trần Văn Bình — chính thức từ 04/03/2017
11. Trương Văn Dũng — chính thức từ 05/03/2015
12. Hoàng Mai Anh — dự bị từ 14/08/2025
{tail}
Bạn muốn làm gì với danh sách đảng viên? (/huy để thôi)

1. Thêm đảng viên
2. Ghi đảng viên đã rời chi bộ
(Trả lời bằng số hoặc bằng chữ)"""


async def roster(demo) -> list[tuple[str, str, date, date | None]]:
    async with demo.sessions() as session:
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        rows = await session.exec(select(PartyMember).where(PartyMember.org_id == branch.id)
                                  .order_by(PartyMember.id))
        return [(m.full_name, m.status, m.since, m.left_on) for m in rows]


async def test_the_roster_is_listed_with_the_official_count_of_today(talk):
    assert await talk("bithu").say("/dangvien") == ROSTER.format(tail="")


async def test_a_member_is_added_confirmed_saved_and_audited(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/dangvien")
    assert await bithu.say("Thêm") == "Họ và tên đảng viên?"
    await bithu.say("Lê Văn Tám")
    await bithu.say("Chính thức")
    assert await bithu.say("1/2/2020") == """\
Xin kiểm tra lại trước khi lưu vào danh sách đảng viên của Chi bộ Trường THPT Trần Phú (demo):
- Họ tên: Lê Văn Tám
- Đảng viên: Chính thức
- Từ ngày: 01/02/2020

1. Lưu
2. Sửa việc
3. Sửa họ tên
4. Sửa chính thức/dự bị
5. Sửa từ ngày
6. Hủy
(Trả lời bằng số hoặc bằng chữ)"""
    assert (await roster(demo))[-1][0] != "Lê Văn Tám"  # not before "Lưu"
    assert await bithu.say("Lưu") == (
        "Đã thêm Lê Văn Tám (chính thức từ 01/02/2020) vào danh sách đảng viên của Chi bộ Trường THPT "
        "Trần Phú (demo). Xem danh sách: /dangvien")
    assert (await roster(demo))[-1] == ("Lê Văn Tám", "official", date(2020, 2, 1), None)
    assert "(12 chính thức hôm nay)" in await bithu.say("/dangvien")
    async with demo.sessions() as session:
        logged = (await session.exec(select(AuditLog).where(AuditLog.action == "branch.members"))).all()
    assert len(logged) == 1 and logged[0].subject.startswith("member:")


async def test_a_name_already_on_the_roster_is_refused(talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([("/dangvien", "Bạn muốn làm gì"), ("1", "Họ và tên"), ("tran van binh", "chính thức hay"),
                        ("1", "từ ngày nào")])
    assert await bithu.say("01/01/2010") == """\
Trần Văn Bình đã có trong danh sách đảng viên của Chi bộ Trường THPT Trần Phú (demo). Xem: /dangvien
Xin kiểm tra lại trước khi lưu vào danh sách đảng viên của Chi bộ Trường THPT Trần Phú (demo):
- Họ tên: Tran Van Binh
- Đảng viên: Chính thức
- Từ ngày: 01/01/2010

1. Lưu
2. Sửa việc
3. Sửa họ tên
4. Sửa chính thức/dự bị
5. Sửa từ ngày
6. Hủy
(Trả lời bằng số hoặc bằng chữ)"""
    assert len(await roster(demo)) == 12


async def test_a_member_who_left_is_off_the_roster_and_the_count(talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([("/dangvien", "Bạn muốn làm gì"), ("2", "Đảng viên nào đã rời"), ("vinh", "Rời chi bộ ngày")])
    assert await bithu.say("01/01/2021") == (
        "Phùng Quang Vinh vào chi bộ từ 03/03/2021, nên không thể rời ngày 01/01/2021. Xin nhập lại ngày.\n"
        'Rời chi bộ ngày nào? (ngày/tháng/năm, hoặc "hôm nay")')
    assert await bithu.say("hôm nay") == WHY_LEFT
    assert "- Đảng viên rời chi bộ: Phùng Quang Vinh\n- Ngày rời: 02/03/2026\n- Lý do: Khai trừ\n" in await bithu.say(
        "khai tru")
    assert await bithu.say("Lưu") == (
        "Đã ghi Phùng Quang Vinh rời Chi bộ Trường THPT Trần Phú (demo) ngày 02/03/2026 (bị khai trừ); từ ngày đó "
        "không còn tính vào số đảng viên của chi bộ.")
    listed = await bithu.say("/dangvien")
    assert "Phùng Quang Vinh" not in listed and "(10 chính thức hôm nay)" in listed
    assert ("Phùng Quang Vinh", "official", date(2021, 3, 3), TODAY) in await roster(demo)
    assert await left_reason(demo, "Phùng Quang Vinh") == "expelled"  # kept apart from striking off


WHY_LEFT = ("Vì sao rời chi bộ? Chuyển sinh hoạt, xóa tên và khai trừ được ghi riêng.\n"
            "\n"
            "1. Chuyển sinh hoạt đi nơi khác\n"
            "2. Xóa tên\n"
            "3. Khai trừ\n"
            "(Trả lời bằng số hoặc bằng chữ)")


async def left_reason(demo, name: str) -> str | None:
    async with demo.sessions() as session:
        return (await session.exec(select(PartyMember.left_reason).where(PartyMember.full_name == name))).one()


async def test_an_official_member_who_moves_away_leaves_the_roster_as_moved(talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([("/dangvien", "Bạn muốn làm gì"), ("2", "Đảng viên nào đã rời"), ("oanh", "Rời chi bộ ngày"),
                        ("hôm nay", "Vì sao rời chi bộ"), ("1", "- Lý do: Chuyển sinh hoạt đi nơi khác")])
    assert await bithu.say("Lưu") == (
        "Đã ghi Lê Thị Kim Oanh rời Chi bộ Trường THPT Trần Phú (demo) ngày 02/03/2026 (chuyển sinh hoạt đi nơi "
        "khác); từ ngày đó không còn tính vào số đảng viên của chi bộ.")
    assert await left_reason(demo, "Lê Thị Kim Oanh") == "moved"


@pytest.mark.parametrize("account", ["giupdo", "quanchung", "captren"])
async def test_only_the_branch_secretary_or_deputy_keeps_the_roster(talk, account):
    assert "không dành cho vai trò" in await talk(account).say("/dangvien")


# ---- chibo keeps the roster in step ------------------------------------------------------------

async def test_a_member_admitted_through_chibo_joins_as_probationary_at_the_ceremony(talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([(f"/ketnap {DUC}", "lễ kết nạp"), ("hôm nay", "Xin kiểm tra lại")])
    await bithu.say("Lưu")
    assert (await roster(demo))[-1] == ("Tạ Minh Đức", "probationary", TODAY, None)
    assert "13. Tạ Minh Đức — dự bị từ 02/03/2026" in await bithu.say("/dangvien")


async def test_a_probationary_member_recognised_through_chibo_becomes_official(talk, demo):
    probation_end = d.probation_end(TODAY - timedelta(days=200))
    demo.clock.advance(days=(probation_end - TODAY).days + 40)
    async with demo.sessions() as session, session.begin():
        anh = (await session.exec(select(Candidate).join(Organisation, Organisation.id == Candidate.branch_id)
                                  .where(Organisation.name == BRANCH, Candidate.number == ANH))).one()
        await session.exec(sa.update(AdmissionRecord).where(AdmissionRecord.candidate_id == anh.id).values(
            recognition_resolution_on=probation_end + timedelta(days=10), recognition_votes_for=9,
            recognition_members=11))
    bithu = talk("bithu")
    await bithu.dialog([(f"/chinhthuc {ANH}", "Cấp ủy đã quyết định"), ("Công nhận", "Ngày ký"),
                        ("hôm nay", "Số quyết định"), ("52-QĐ/ĐU", "Xin kiểm tra lại")])
    await bithu.say("Lưu")
    assert ("Hoàng Mai Anh", "official", demo.clock.today(), None) in await roster(demo)
    assert "(12 chính thức hôm nay)" in await bithu.say("/dangvien")


async def test_a_probationary_member_struck_off_leaves_the_roster(talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([(f"/chinhthuc {ANH}", "Ghi việc gì"), ("Xóa tên", "Ngày"), ("hôm nay", "Lý do"),
                        ("Không sinh hoạt đảng 3 tháng liền", "Xin kiểm tra lại")])
    await bithu.say("Lưu")
    assert ("Hoàng Mai Anh", "probationary", TODAY - timedelta(days=200), TODAY) in await roster(demo)
    assert "Hoàng Mai Anh" not in await bithu.say("/dangvien")
    assert await left_reason(demo, "Hoàng Mai Anh") == "struck_off"


# ---- /giupdo: a sponsor is an official member of the roster ------------------------------------

async def set_member(demo, name: str, **values) -> None:
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.update(PartyMember).where(PartyMember.full_name == name).values(**values))


async def test_a_sponsor_off_the_roster_is_refused_naming_the_rule(talk, demo):
    await set_member(demo, "Đỗ Thị Mai", left_on=TODAY - timedelta(days=1))
    bithu = talk("bithu")
    await bithu.say("/giupdo 3")
    reply = await bithu.say("3")
    assert reply.startswith(
        "Đỗ Thị Mai không phải đảng viên chính thức trong danh sách đảng viên của chi bộ; chỉ đảng viên chính "
        "thức được giúp đỡ quần chúng (Hướng dẫn 12-HD/BTCTW). Xin chọn người khác hoặc ghi đảng viên bằng "
        "/dangvien.")


async def test_a_probationary_member_may_not_sponsor(talk, demo):
    await set_member(demo, "Đỗ Thị Mai", status="probationary")
    bithu = talk("bithu")
    await bithu.say("/giupdo 3")
    assert "Đỗ Thị Mai không phải đảng viên chính thức" in await bithu.say("Mai")


async def test_an_official_member_of_the_roster_is_accepted(talk):
    bithu = talk("bithu")
    await bithu.say("/giupdo 3")
    assert "- Người giúp đỡ mới: Đỗ Thị Mai" in await bithu.say("Mai")


async def test_a_branch_without_a_roster_is_not_checked(talk, demo):
    async with demo.sessions() as session, session.begin():
        await session.exec(sa.delete(IntroducerRecord))  # Lan's introducer is on the roster
        await session.exec(sa.delete(PartyMember))
    bithu = talk("bithu")
    await bithu.say("/giupdo 3")
    assert "- Người giúp đỡ mới: Đỗ Thị Mai" in await bithu.say("Mai")


async def test_a_probationary_member_who_moves_away_leaves_the_roster(talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([(f"/chuyen {ANH}", "chuyển đến đâu"), ("Chi bộ Trường THPT Lê Lợi", "ngày"),
                        ("hôm nay", "Ghi chú"), ("-", "Xin kiểm tra")])
    await bithu.say("Lưu")
    assert ("Hoàng Mai Anh", "probationary", TODAY - timedelta(days=200), TODAY) in await roster(demo)
    assert await left_reason(demo, "Hoàng Mai Anh") == "moved"
