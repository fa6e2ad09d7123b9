"""/giupdo: a secretary assigns or changes a candidate's sponsor among the branch's official members."""

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH, CANDIDATES, SECOND
from models.audit import AuditLog
from models.candidate import Candidate
from models.org import Organisation
from models.people import Person

NOT_LINKED = "chưa được liên kết"
NOT_ALLOWED = "không dành cho vai trò"
EVERY_NAME = [row[0] for row in CANDIDATES + SECOND]
MEMBERS = ["1. Nguyễn Thị Thu (bí thư)", "2. Phan Văn Hùng (phó bí thư)", "3. Đỗ Thị Mai", "4. Trần Văn Bình"]


async def candidate(chibo, number: int) -> Candidate:
    async with chibo.sessions() as session:
        return (await session.exec(select(Candidate).join(Organisation, Organisation.id == Candidate.branch_id)
                                   .where(Organisation.name == BRANCH, Candidate.number == number))).one()


async def person_id(chibo, name: str) -> int:
    async with chibo.sessions() as session:
        return (await session.exec(select(Person.id).where(Person.full_name == name))).first()


async def sponsor_of(chibo, number: int) -> int | None:
    return (await candidate(chibo, number)).sponsor_id


async def set_candidate(chibo, number: int, **values) -> None:
    c = await candidate(chibo, number)
    async with chibo.sessions() as session, session.begin():
        await session.exec(sa.update(Candidate).where(Candidate.id == c.id).values(**values))


async def test_the_question_shows_the_current_sponsor_and_the_branch_s_members(talk):
    reply = await talk("bithu").say("/giupdo 3")
    assert "3. Lê Hoàng Minh (Cảm tình Đảng) — đảng viên giúp đỡ hiện nay: Trần Văn Bình." in reply
    positions = [reply.index(m) for m in MEMBERS]
    assert positions == sorted(positions)
    assert "Trần Văn Bình — đang giúp đỡ 8 người" in reply and "Đỗ Thị Mai — đang giúp đỡ 0 người" in reply
    assert "/huy" in reply and "quay lại" in reply


async def test_changing_the_sponsor_by_number_is_confirmed_saved_and_audited(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/giupdo 3")
    screen = await bithu.say("3")
    assert "- Quần chúng: 3. Lê Hoàng Minh (Cảm tình Đảng)" in screen
    assert "- Người giúp đỡ hiện nay: Trần Văn Bình" in screen and "- Người giúp đỡ mới: Đỗ Thị Mai" in screen
    assert "1. Lưu" in screen and "Sửa người giúp đỡ" in screen
    assert await sponsor_of(demo, 3) == await person_id(demo, "Trần Văn Bình")  # not before "Lưu"
    saved = await bithu.say("1")
    assert "Đã phân công Đỗ Thị Mai giúp đỡ 3. Lê Hoàng Minh (thay Trần Văn Bình)." in saved
    assert await sponsor_of(demo, 3) == await person_id(demo, "Đỗ Thị Mai")
    minh = await candidate(demo, 3)
    async with demo.sessions() as session:
        rows = list(await session.exec(select(AuditLog).where(AuditLog.action == "candidate.assign_sponsor")))
    assert [(r.subject, r.person_id) for r in rows] == [
        (f"candidate:{minh.id}", await person_id(demo, "Nguyễn Thị Thu"))]
    assert "Đảng viên giúp đỡ: Đỗ Thị Mai" in await bithu.say("/xem 3")


async def test_a_first_sponsor_by_name_without_diacritics(talk, demo):
    bithu = talk("bithu")
    await bithu.dialog([
        ("/giupdo", "Phân công đảng viên giúp đỡ cho ai?"),
        ("nguyen van an", "đảng viên giúp đỡ hiện nay: chưa có"),
        ("phan van hung", "Người giúp đỡ mới: Phan Văn Hùng"),
    ])
    saved = await bithu.say("Lưu")
    assert "Đã phân công Phan Văn Hùng giúp đỡ 1. Nguyễn Văn An." in saved and "thay" not in saved
    assert await sponsor_of(demo, 1) == await person_id(demo, "Phan Văn Hùng")


async def test_an_ambiguous_name_offers_the_matches(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/giupdo 3")
    reply = await bithu.say("thi")  # Nguyễn Thị Thu, Đỗ Thị Mai
    assert "Có 2 đảng viên khớp" in reply and "1. Nguyễn Thị Thu" in reply and "2. Đỗ Thị Mai" in reply
    assert "Người giúp đỡ mới: Đỗ Thị Mai" in await bithu.say("2")


@pytest.mark.parametrize("typed", ["7", "0", "Lê Văn Cường", "zzz"])
async def test_someone_not_a_member_of_the_branch_is_asked_again(talk, demo, typed):
    bithu = talk("bithu")
    await bithu.say("/giupdo 3")
    reply = await bithu.say(typed)
    assert "Không có đảng viên chính thức nào của chi bộ khớp" in reply
    assert "1. Nguyễn Thị Thu (bí thư)" in reply and "4. Trần Văn Bình" in reply
    assert "Người giúp đỡ mới: Nguyễn Thị Thu" in await bithu.say("1")


async def test_the_current_sponsor_again_is_asked_again(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/giupdo 3")
    reply = await bithu.say("tran van binh")
    assert "Trần Văn Bình đang là người giúp đỡ Lê Hoàng Minh rồi" in reply and "/huy" in reply
    assert "Người giúp đỡ mới: Phan Văn Hùng" in await bithu.say("2")


async def test_a_candidate_cannot_sponsor_themself(talk, demo):
    await set_candidate(demo, 1, person_id=await person_id(demo, "Đỗ Thị Mai"))
    bithu = talk("bithu")
    await bithu.say("/giupdo 1")
    reply = await bithu.say("do thi mai")
    assert "Nguyễn Văn An không thể tự giúp đỡ chính mình" in reply
    assert await sponsor_of(demo, 1) is None


@pytest.mark.parametrize("number, stage", [(14, "Đảng viên chính thức"), (15, "Đã đưa ra khỏi danh sách")])
async def test_closed_stages_get_no_sponsor(talk, demo, number, stage):
    bithu = talk("bithu")
    reply = await bithu.say(f"/giupdo {number}")
    assert f'đang ở giai đoạn "{stage}" nên không phân công người giúp đỡ nữa' in reply
    assert "Lệnh /giupdo đã dừng" in reply  # the flow is not left open
    assert "Lê Hoàng Minh (Cảm tình Đảng)" in await bithu.say("/giupdo 3")


async def test_a_transferred_candidate_gets_no_sponsor(talk, demo):
    await set_candidate(demo, 1, stage="transferred")
    reply = await talk("bithu").say("/giupdo 1")
    assert '"Đã chuyển đi" nên không phân công' in reply


async def test_another_branch_s_candidate_is_not_found(talk):
    reply = await talk("bithu").say("/giupdo ngo duc thang")
    assert "Không tìm thấy ai khớp" in reply and "Ngô Đức Thắng" not in reply


async def test_going_back_picks_another_candidate(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/giupdo 3")
    assert "Phân công đảng viên giúp đỡ cho ai?" in await bithu.say("quay lại")
    assert "4. Phạm Thu Hà (Cảm tình Đảng)" in await bithu.say("4")


async def test_changing_the_candidate_on_the_confirmation_checks_again(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/giupdo 1")
    await bithu.say("4")  # Trần Văn Bình for Nguyễn Văn An
    await bithu.say("Sửa quần chúng")
    screen = await bithu.say("3")  # Lê Hoàng Minh already has Trần Văn Bình
    assert screen == SAME_SPONSOR_AGAIN
    assert await bithu.say("Lưu") == SAME_SPONSOR_AGAIN  # still refused, the same screen
    assert await sponsor_of(demo, 1) is None
    assert await sponsor_of(demo, 3) == await person_id(demo, "Trần Văn Bình")


SAME_SPONSOR_AGAIN = (
    "Trần Văn Bình đang là người giúp đỡ Lê Hoàng Minh rồi. Chọn người khác để đổi, hoặc /huy nếu không đổi.\n"
    "Xin kiểm tra lại trước khi lưu:\n"
    "- Quần chúng: 3. Lê Hoàng Minh (Cảm tình Đảng)\n"
    "- Người giúp đỡ hiện nay: Trần Văn Bình\n"
    "- Người giúp đỡ mới: Trần Văn Bình\n"
    "\n"
    "1. Lưu\n"
    "2. Sửa quần chúng\n"
    "3. Sửa người giúp đỡ\n"
    "4. Hủy\n"
    "(Trả lời bằng số hoặc bằng chữ)")


async def test_a_candidate_closed_meanwhile_is_not_saved(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/giupdo 1")
    await bithu.say("3")
    await set_candidate(demo, 1, stage="removed")
    reply = await bithu.say("Lưu")
    assert "không phân công người giúp đỡ nữa" in reply
    assert await sponsor_of(demo, 1) is None


async def test_cancel_saves_nothing(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/giupdo 3")
    await bithu.say("3")
    assert "Đã hủy" in await bithu.say("Hủy")
    assert await sponsor_of(demo, 3) == await person_id(demo, "Trần Văn Bình")


@pytest.mark.parametrize("account, refusal", [
    ("giupdo", NOT_ALLOWED), ("quanchung", NOT_ALLOWED), ("captren", NOT_ALLOWED), ("nguoila", NOT_LINKED),
])
async def test_others_are_refused_and_learn_no_names(talk, demo, account, refusal):
    person = talk(account)
    said = [await person.say(text) for text in ["/giupdo", "/giupdo 3", "3", "do thi mai", "1"]]
    assert refusal in said[0] and refusal in said[1]
    for name in EVERY_NAME + ["Đỗ Thị Mai", "Phan Văn Hùng"]:
        assert not any(name in s for s in said), name
    assert await sponsor_of(demo, 3) == await person_id(demo, "Trần Văn Bình")
