"""/gap and /cuatoi: a sponsor logs meetings with their own candidates and sees whom to meet."""

from datetime import date

import pytest
from sqlmodel import select

from bot.demo import BRANCH, CANDIDATES, SECOND
from models.candidate import Candidate, NewCandidate, register_candidate
from models.checkin import Checkin
from models.org import Organisation
from models.people import ChatLink, Person, link_chat
from models.stage import Category, Gender, IntroducedBy

NOT_ALLOWED = "không dành cho vai trò"
NOT_LINKED = "chưa được liên kết"
MINE = {"Lê Hoàng Minh", "Phạm Thu Hà", "Võ Thanh Tùng", "Đặng Ngọc Lan", "Bùi Quốc Huy",
        "Hoàng Mai Anh", "Đinh Văn Khoa", "Tạ Minh Đức"}
NOT_MINE = [row[0] for row in CANDIDATES + SECOND if row[0] not in MINE]


async def person_of(chibo, account: str) -> int:
    async with chibo.sessions() as session:
        return (await session.exec(select(ChatLink.person_id).where(ChatLink.account_id == account))).one()


async def candidate(chibo, name: str) -> Candidate:
    async with chibo.sessions() as session:
        return (await session.exec(select(Candidate).where(Candidate.full_name == name))).one()


async def checkins_of(chibo, name: str) -> list[Checkin]:
    c = await candidate(chibo, name)
    async with chibo.sessions() as session:
        return list(await session.exec(select(Checkin).where(Checkin.candidate_id == c.id).order_by(Checkin.id)))


async def test_gap_lists_only_my_candidates_still_in_the_pipeline(talk):
    reply = await talk("giupdo").say("/gap")
    assert "Người bạn giúp đỡ:" in reply and "Bạn đã gặp ai?" in reply
    for name in MINE:
        assert name in reply
    for name in NOT_MINE + ["Cao Thị Huyền"]:  # not mine, or already an official member
        assert name not in reply
    assert "/huy" in reply


async def test_a_whole_check_in_is_saved_as_confirmed(talk, demo):
    giupdo = talk("giupdo")
    await giupdo.dialog([
        ("/gap", "Bạn đã gặp ai?"),
        ("pham thu ha", "Gặp 4. Phạm Thu Hà ngày nào?"),
        ("Hôm nay", "hình thức nào"),
        ("Điện thoại", "đánh giá 4. Phạm Thu Hà"),
        ("khá", "Ghi chú"),
        ("Đã trao đổi về đơn xin vào Đảng", "Xin kiểm tra lại"),
    ])
    screen = giupdo.last[-1].text
    assert "Ngày gặp: 02/03/2026" in screen and "Hình thức: Điện thoại" in screen
    assert "Đánh giá: Khá" in screen and "Sửa ngày gặp" in screen
    saved = await giupdo.say("Lưu")
    assert "Đã lưu lần gặp Phạm Thu Hà (số 4) ngày 02/03/2026" in saved
    assert "trước ngày 01/04/2026" in saved
    row = (await checkins_of(demo, "Phạm Thu Hà"))[-1]
    assert (row.met_on, row.how, row.assessment) == (date(2026, 3, 2), "phone", "fair")
    assert row.note == "Đã trao đổi về đơn xin vào Đảng"
    assert row.sponsor_id == await person_of(demo, "giupdo")


async def test_the_number_after_the_command_picks_the_candidate(talk):
    giupdo = talk("giupdo")
    reply = await giupdo.say("/gap 3")
    assert "Gặp 3. Lê Hoàng Minh ngày nào?" in reply and "Người bạn giúp đỡ:" not in reply
    assert "1. Hôm nay" in reply and "/huy" in reply
    assert "hình thức nào" in await giupdo.say("1")


@pytest.mark.parametrize("says", ["1", "nguyen van an", "12", "Cao Thị Huyền", "99"])
async def test_someone_i_do_not_sponsor_is_refused_and_asked_again(talk, says):
    giupdo = talk("giupdo")
    await giupdo.say("/gap")
    reply = await giupdo.say(says)
    assert "không phải là người bạn đang được phân công giúp đỡ" in reply and "Bạn đã gặp ai?" in reply
    assert "Nguyễn Văn An" not in reply and "Lương Thị Mỹ" not in reply


async def test_an_ambiguous_name_offers_the_matches(talk):
    giupdo = talk("giupdo")
    await giupdo.say("/gap")
    reply = await giupdo.say("minh")  # Lê Hoàng Minh, Tạ Minh Đức
    assert "2 người khớp" in reply and "Lê Hoàng Minh" in reply and "Tạ Minh Đức" in reply
    assert "Gặp 3. Lê Hoàng Minh ngày nào?" in await giupdo.say("3")  # his register number, not "1"


@pytest.mark.parametrize("says, reason", [
    ("05/03/2026", "chưa tới"),
    ("01/03/2025", "chỉ ghi được lần gặp từ ngày 02/03/2025"),
    ("31/02/2026", "Không có ngày 31/02/2026"),
    ("tuần trước", "Chưa đọc được ngày"),
])
async def test_a_bad_meeting_day_is_refused_with_its_reason(talk, says, reason):
    giupdo = talk("giupdo")
    await giupdo.say("/gap 3")
    reply = await giupdo.say(says)
    assert reason in reply and "ngày nào?" in reply


async def test_a_meeting_exactly_a_year_ago_is_accepted(talk, demo):
    giupdo = talk("giupdo")
    await giupdo.dialog([("/gap 3", "ngày nào"), ("02/03/2025", "hình thức"), ("1", "đánh giá"),
                         ("Tốt", "Ghi chú"), ("Bỏ qua", "Ghi chú: (không có)"), ("Lưu", "Đã lưu")])
    row = (await checkins_of(demo, "Lê Hoàng Minh"))[-1]
    assert (row.met_on, row.how, row.assessment, row.note) == (date(2025, 3, 2), "in_person", "good", None)


async def test_unknown_choices_and_a_long_note_are_asked_again(talk):
    giupdo = talk("giupdo")
    await giupdo.dialog([("/gap 3", "ngày nào"), ("hom nay", "hình thức")])
    assert "không có trong các lựa chọn" in await giupdo.say("bồ câu đưa thư")
    await giupdo.say("truc tuyen")
    assert "không có trong các lựa chọn" in await giupdo.say("xuất sắc")
    await giupdo.say("trung binh")
    reply = await giupdo.say("x" * 501)
    assert "dài quá: 501 ký tự, tối đa 500" in reply and "Ghi chú" in reply


async def test_going_back_keeps_the_earlier_answers(talk):
    giupdo = talk("giupdo")
    await giupdo.dialog([("/gap 3", "ngày nào"), ("hom nay", "hình thức")])
    assert "Gặp 3. Lê Hoàng Minh ngày nào?" in await giupdo.say("quay lại")
    assert "hình thức nào" in await giupdo.say("28/02/2026")


async def test_the_day_can_be_changed_on_the_confirmation_screen(talk, demo):
    giupdo = talk("giupdo")
    await giupdo.dialog([("/gap 5", "ngày nào"), ("hom nay", "hình thức"), ("1", "đánh giá"),
                         ("1", "Ghi chú"), ("-", "Xin kiểm tra lại")])
    assert "ngày nào" in await giupdo.say("Sửa ngày gặp")
    assert "Ngày gặp: 27/02/2026" in await giupdo.say("27/2/2026")
    await giupdo.say("Lưu")
    assert (await checkins_of(demo, "Võ Thanh Tùng"))[-1].met_on == date(2026, 2, 27)


async def test_a_candidate_handed_to_another_sponsor_meanwhile_is_not_saved(talk, demo):
    giupdo = talk("giupdo")
    await giupdo.dialog([("/gap 4", "ngày nào"), ("hom nay", "hình thức"), ("1", "đánh giá"),
                         ("1", "Ghi chú"), ("-", "Xin kiểm tra lại")])
    async with demo.sessions() as session, session.begin():
        ha = (await session.exec(select(Candidate).where(Candidate.full_name == "Phạm Thu Hà"))).one()
        ha.sponsor_id = None
        session.add(ha)
    before = len(await checkins_of(demo, "Phạm Thu Hà"))
    reply = await giupdo.say("Lưu")
    assert "không phải là người bạn đang được phân công" in reply and "Xin kiểm tra lại" in reply
    assert len(await checkins_of(demo, "Phạm Thu Hà")) == before
    assert "Đã hủy" in await giupdo.say("Hủy")


async def link_mai(chibo) -> None:
    async with chibo.sessions() as session, session.begin():
        mai = (await session.exec(select(Person).where(Person.full_name == "Đỗ Thị Mai"))).one()
        await link_chat(session=session, channel="console", account_id="mai", person_id=mai.id,
                        now=chibo.clock.now())


async def test_a_sponsor_with_nobody_assigned_is_told_what_to_do(talk, demo):
    await link_mai(demo)
    mai = talk("mai")
    assert "chưa được phân công giúp đỡ quần chúng nào" in await mai.say("/gap")
    assert "Không có việc gì đang làm dở" in await mai.say("/huy")  # no flow was left open
    assert "chưa được phân công giúp đỡ quần chúng nào" in await mai.say("/cuatoi")


async def test_another_sponsor_of_the_branch_cannot_log_for_my_candidates(talk, demo):
    await link_mai(demo)
    mai = talk("mai")
    reply = await mai.say("/gap 3")
    assert "chưa được phân công" in reply and "Lê Hoàng Minh" not in reply


@pytest.mark.parametrize("account, expect", [
    ("bithu", NOT_ALLOWED), ("quanchung", NOT_ALLOWED), ("captren", NOT_ALLOWED), ("nguoila", NOT_LINKED)])
@pytest.mark.parametrize("command", ["/gap", "/gap 3", "/cuatoi"])
async def test_only_a_sponsor_may_log_or_list_check_ins(talk, account, expect, command):
    reply = await talk(account).say(command)
    assert expect in reply
    assert not any(name in reply for name in MINE | set(NOT_MINE))


async def test_my_list_puts_those_to_meet_first(talk):
    reply = await talk("giupdo").say("/cuatoi")
    assert "Người bạn giúp đỡ (8 người)" in reply
    due, fine = reply.split("Đã gặp gần đây:")
    assert "(!) 4. Phạm Thu Hà — Cảm tình Đảng — 41 ngày chưa gặp (lần cuối 20/01/2026)" in due
    assert "(!) 11. Đinh Văn Khoa" in due and "33 ngày chưa gặp" in due
    assert "(!) 6. Đặng Ngọc Lan — Đang làm hồ sơ — chưa ghi lần gặp nào" in due
    assert due.index("Đặng Ngọc Lan") < due.index("Phạm Thu Hà") < due.index("Đinh Văn Khoa")
    assert "3. Lê Hoàng Minh — Cảm tình Đảng — gặp 12 ngày trước (18/02/2026)" in fine
    assert "Võ Thanh Tùng" in fine and "Cao Thị Huyền" not in reply
    for name in NOT_MINE:
        assert name not in reply


async def test_thirty_days_without_a_meeting_raises_the_flag(talk, demo):
    demo.clock.advance(days=17)  # Lê Hoàng Minh: 29 days
    assert "(!) 3. Lê Hoàng Minh" not in await talk("giupdo").say("/cuatoi")
    demo.clock.advance(days=1)  # 30 days: the nudge day (models/rules.py SPONSOR_CHECK_IN_NUDGE_DAYS)
    assert "(!) 3. Lê Hoàng Minh — Cảm tình Đảng — 30 ngày chưa gặp" in await talk("giupdo").say("/cuatoi")


async def test_a_logged_meeting_moves_the_candidate_off_the_flagged_list(talk):
    giupdo = talk("giupdo")
    await giupdo.dialog([("/gap 4", "ngày nào"), ("hom nay", "hình thức"), ("1", "đánh giá"),
                         ("1", "Ghi chú"), ("-", "Xin kiểm tra lại"), ("Lưu", "Đã lưu")])
    reply = await giupdo.say("/cuatoi")
    assert "4. Phạm Thu Hà — Cảm tình Đảng — gặp 0 ngày trước (02/03/2026)" in reply
    assert "(!) 4." not in reply


async def test_a_long_list_of_mine_pages(talk, demo):
    sponsor = await person_of(demo, "giupdo")
    async with demo.sessions() as session, session.begin():
        branch = (await session.exec(select(Organisation).where(Organisation.name == BRANCH))).one()
        for i in range(10):
            c = await register_candidate(
                session=session, branch_id=branch.id, by_person_id=None, now=demo.clock.now(),
                today=demo.clock.today(),
                new=NewCandidate(full_name=f"Người Thêm {chr(65 + i)}", birth_date=date(2000, 1, 1),
                                 gender=Gender.male, category=Category.staff, youth_union=False,
                                 introduced_by=IntroducedBy.branch, note=None))
            c.sponsor_id = sponsor
    giupdo = talk("giupdo")
    first = await giupdo.say("/cuatoi")
    assert "18 người, trang 1/2" in first and "Xem thêm" in first
    second = await giupdo.say("Xem thêm")
    assert "trang 2/2" in second and "Xem thêm" not in second
    assert "Không có trang 5" in await giupdo.say("/cuatoi 5")
