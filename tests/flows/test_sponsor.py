"""/giupdo: a secretary assigns or changes a candidate's sponsor among the branch's official members."""

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH
from models.audit import AuditLog
from models.candidate import Candidate
from models.org import Organisation
from models.people import Person
from tests.texts import CHOOSE, NOT_ALLOWED, NOT_LINKED, NOT_UNDERSTOOD, NOT_UNDERSTOOD_STRANGER

MINH = "3. Lê Hoàng Minh (Cảm tình Đảng)"
AN = "1. Nguyễn Văn An (Quần chúng ưu tú (nguồn))"
MEMBERS = ("1. Nguyễn Thị Thu (bí thư) — đang giúp đỡ 0 người\n"
           "2. Phan Văn Hùng (phó bí thư) — đang giúp đỡ 0 người\n"
           "3. Đỗ Thị Mai — đang giúp đỡ 0 người\n"
           "4. Trần Văn Bình — đang giúp đỡ 8 người")
TYPE = 'Gõ số hoặc một phần họ tên (không dấu cũng được); "quay lại" để chọn quần chúng khác, /huy để hủy.'
WHOM = ("Phân công đảng viên giúp đỡ cho ai? Gõ số của người đó trong /ds, hoặc một phần họ tên (không dấu cũng "
        "được). /huy để hủy.")
UNLINKED = " (chưa liên kết tài khoản chat với chibo: chibo sẽ không báo được, xin báo trực tiếp)"
STOPPED = ("Lệnh /giupdo đã dừng. Gõ lại /giupdo kèm số hoặc tên khác, hoặc chỉ gõ /giupdo để chibo hỏi "
           "từng bước.")


def question(who: str, current: str) -> str:
    return (f"{who} — đảng viên giúp đỡ hiện nay: {current}.\n"
            "Chọn một đảng viên chính thức của chi bộ:\n"
            + MEMBERS + "\n"
            + TYPE)


def asked_again(why: str, who: str = MINH, current: str = "Trần Văn Bình", members: str = MEMBERS) -> str:
    return (why + "\n"
            f"{who} — đảng viên giúp đỡ hiện nay: {current}.\n"
            + TYPE + "\n"
            "\n"
            + members + "\n"
            + CHOOSE)


def confirm(who: str, current: str, new: str) -> str:
    return ("Xin kiểm tra lại trước khi lưu:\n"
            f"- Quần chúng: {who}\n"
            f"- Người giúp đỡ hiện nay: {current}\n"
            f"- Người giúp đỡ mới: {new}\n"
            "\n"
            "1. Lưu\n"
            "2. Sửa quần chúng\n"
            "3. Sửa người giúp đỡ\n"
            "4. Hủy\n"
            + CHOOSE)


def closed(who: str, stage: str) -> str:
    return f'{who} đang ở giai đoạn "{stage}" nên không phân công người giúp đỡ nữa. Xin chọn người khác.'


def not_a_member(typed: str) -> str:
    return f'Không có đảng viên chính thức nào của chi bộ khớp với "{typed}". Xin chọn trong danh sách dưới đây.'


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
    # the members in the branch's order, each with how many they sponsor; how to go back or cancel
    assert await talk("bithu").say("/giupdo 3") == question(MINH, "Trần Văn Bình")


async def test_changing_the_sponsor_by_number_is_confirmed_saved_and_audited(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/giupdo 3")
    assert await bithu.say("3") == confirm(MINH, "Trần Văn Bình", "Đỗ Thị Mai" + UNLINKED)
    assert await sponsor_of(demo, 3) == await person_id(demo, "Trần Văn Bình")  # not before "Lưu"
    assert await bithu.say("1") == (
        "Đã phân công Đỗ Thị Mai giúp đỡ 3. Lê Hoàng Minh (thay Trần Văn Bình). Xem: /xem 3\n"
        "Đỗ Thị Mai chưa liên kết tài khoản chat với chibo nên chưa nhận được tin báo: xin báo trực tiếp cho "
        "đồng chí (chibo sẽ báo Trần Văn Bình thôi giúp đỡ).")
    assert await sponsor_of(demo, 3) == await person_id(demo, "Đỗ Thị Mai")
    minh = await candidate(demo, 3)
    async with demo.sessions() as session:
        rows = list(await session.exec(select(AuditLog).where(AuditLog.action == "candidate.assign_sponsor")))
    assert [(r.subject, r.person_id) for r in rows] == [
        (f"candidate:{minh.id}", await person_id(demo, "Nguyễn Thị Thu"))]
    assert await bithu.say("/xem 3") == (
        "3. Lê Hoàng Minh\n"
        "- Ngày sinh: 30/01/1995 · Nam\n"
        "- Đối tượng: Giáo viên, giảng viên\n"
        "- Chi bộ: Chi bộ Trường THPT Trần Phú (demo)\n"
        "- Giai đoạn: Cảm tình Đảng, từ 22/12/2025\n"
        "- Đảng viên giúp đỡ: Đỗ Thị Mai\n"
        "- Nguồn giới thiệu: Một đảng viên\n"
        "- Bước tiếp theo: cử đi học lớp bồi dưỡng nhận thức về Đảng, hạn 05/03/2026 (Hướng dẫn 06-HD/TW, mục 5.4)")


async def test_a_first_sponsor_by_name_without_diacritics(talk, demo):
    bithu = talk("bithu")
    assert await bithu.say("/giupdo") == WHOM
    assert await bithu.say("nguyen van an") == question(AN, "chưa có")
    assert await bithu.say("phan van hung") == confirm(AN, "chưa có", "Phan Văn Hùng" + UNLINKED)
    assert await bithu.say("Lưu") == (  # no "thay": there was no sponsor before
        "Đã phân công Phan Văn Hùng giúp đỡ 1. Nguyễn Văn An. Xem: /xem 1\n"
        "Phan Văn Hùng chưa liên kết tài khoản chat với chibo nên chưa nhận được tin báo: xin báo trực tiếp cho "
        "đồng chí.")
    assert await sponsor_of(demo, 1) == await person_id(demo, "Phan Văn Hùng")


async def test_an_ambiguous_name_offers_the_matches(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/giupdo 3")
    assert await bithu.say("thi") == asked_again(  # Nguyễn Thị Thu, Đỗ Thị Mai
        "Có 2 đảng viên khớp. Bạn chọn người nào?",
        members="1. Nguyễn Thị Thu (bí thư) — đang giúp đỡ 0 người\n2. Đỗ Thị Mai — đang giúp đỡ 0 người")
    assert await bithu.say("2") == confirm(MINH, "Trần Văn Bình", "Đỗ Thị Mai" + UNLINKED)


@pytest.mark.parametrize("typed", ["7", "0", "Lê Văn Cường", "zzz"])
async def test_someone_not_a_member_of_the_branch_is_asked_again(talk, demo, typed):
    bithu = talk("bithu")
    await bithu.say("/giupdo 3")
    assert await bithu.say(typed) == asked_again(not_a_member(typed))
    assert await bithu.say("1") == confirm(MINH, "Trần Văn Bình", "Nguyễn Thị Thu")


async def test_the_current_sponsor_again_is_asked_again(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/giupdo 3")
    assert await bithu.say("tran van binh") == asked_again(
        "Trần Văn Bình đang là người giúp đỡ Lê Hoàng Minh rồi. Chọn người khác để đổi, hoặc /huy nếu không đổi.")
    assert await bithu.say("2") == confirm(MINH, "Trần Văn Bình", "Phan Văn Hùng" + UNLINKED)


async def test_a_candidate_cannot_sponsor_themself(talk, demo):
    await set_candidate(demo, 1, person_id=await person_id(demo, "Đỗ Thị Mai"))
    bithu = talk("bithu")
    await bithu.say("/giupdo 1")
    assert await bithu.say("do thi mai") == asked_again(
        "Nguyễn Văn An không thể tự giúp đỡ chính mình. Xin chọn một đảng viên khác.", who=AN, current="chưa có")
    assert await sponsor_of(demo, 1) is None


@pytest.mark.parametrize("number, who, stage", [
    (14, "14. Cao Thị Huyền", "Đảng viên chính thức"), (15, "15. Mạc Văn Tài", "Đã đưa ra khỏi danh sách")])
async def test_closed_stages_get_no_sponsor(talk, demo, number, who, stage):
    bithu = talk("bithu")
    assert await bithu.say(f"/giupdo {number}") == closed(who, stage) + "\n" + STOPPED
    assert await bithu.say("/giupdo 3") == question(MINH, "Trần Văn Bình")  # the flow was not left open


async def test_a_transferred_candidate_gets_no_sponsor(talk, demo):
    await set_candidate(demo, 1, stage="transferred")
    assert await talk("bithu").say("/giupdo 1") == closed("1. Nguyễn Văn An", "Đã chuyển đi") + "\n" + STOPPED


async def test_another_branch_s_candidate_is_not_found(talk):
    assert await talk("bithu").say("/giupdo ngo duc thang") == (
        'Không tìm thấy ai khớp với "ngo duc thang" trong danh sách bạn được xem. Xin gõ số (xem /ds) hoặc một '
        "phần họ tên khác.\n"
        + STOPPED)


async def test_going_back_picks_another_candidate(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/giupdo 3")
    assert await bithu.say("quay lại") == WHOM
    assert await bithu.say("4") == question("4. Phạm Thu Hà (Cảm tình Đảng)", "Trần Văn Bình")


async def test_changing_the_candidate_on_the_confirmation_checks_again(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/giupdo 1")
    assert await bithu.say("4") == confirm(AN, "chưa có", "Trần Văn Bình")  # Trần Văn Bình for Nguyễn Văn An
    assert await bithu.say("Sửa quần chúng") == WHOM
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
    assert await bithu.say("3") == confirm(AN, "chưa có", "Đỗ Thị Mai" + UNLINKED)
    await set_candidate(demo, 1, stage="removed")
    assert await bithu.say("Lưu") == (closed("1. Nguyễn Văn An", "Đã đưa ra khỏi danh sách") + "\n"
                                      + confirm(AN, "chưa có", "Đỗ Thị Mai" + UNLINKED))
    assert await sponsor_of(demo, 1) is None


async def test_cancel_saves_nothing(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/giupdo 3")
    await bithu.say("3")
    assert await bithu.say("Hủy") == "Đã hủy, không lưu gì. Gõ /trogiup để xem các lệnh."
    assert await sponsor_of(demo, 3) == await person_id(demo, "Trần Văn Bình")


@pytest.mark.parametrize("account, refusal, not_understood", [
    ("giupdo", NOT_ALLOWED, NOT_UNDERSTOOD), ("quanchung", NOT_ALLOWED, NOT_UNDERSTOOD),
    ("captren", NOT_ALLOWED, NOT_UNDERSTOOD), ("nguoila", NOT_LINKED, NOT_UNDERSTOOD_STRANGER),
])
async def test_others_are_refused_and_learn_no_names(talk, demo, account, refusal, not_understood):
    person = talk(account)
    said = [await person.say(text) for text in ["/giupdo", "/giupdo 3", "3", "do thi mai", "1"]]
    assert said == [refusal, refusal, not_understood, not_understood, not_understood]  # names no one
    assert await sponsor_of(demo, 3) == await person_id(demo, "Trần Văn Bình")
