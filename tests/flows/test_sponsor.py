"""/giupdo: a secretary assigns or changes a candidate's sponsor among the branch's official members."""

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH
from models.audit import AuditLog
from models.candidate import Candidate
from models.org import Organisation
from models.people import Person
from tests.support import number_of
from tests.texts import CHOOSE, NOT_ALLOWED, NOT_LINKED, NOT_UNDERSTOOD, NOT_UNDERSTOOD_STRANGER

MINH = "Lê Hoàng Minh"  # Cảm tình Đảng, sponsored by Trần Văn Bình; numbers are looked up (number_of)
AN = "Nguyễn Văn An"  # Quần chúng ưu tú (nguồn), no sponsor
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


def minh(n: int) -> str:
    return f"{n}. {MINH} (Cảm tình Đảng)"


def an(n: int) -> str:
    return f"{n}. {AN} (Quần chúng ưu tú (nguồn))"


def question(who: str, current: str) -> str:
    return (f"{who} — đảng viên giúp đỡ hiện nay: {current}.\n"
            "Chọn một đảng viên chính thức của chi bộ:\n"
            + MEMBERS + "\n"
            + TYPE)


def asked_again(why: str, who: str, current: str = "Trần Văn Bình", members: str = MEMBERS) -> str:
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


async def candidate(chibo, name: str) -> Candidate:
    async with chibo.sessions() as session:
        return (await session.exec(select(Candidate).join(Organisation, Organisation.id == Candidate.branch_id)
                                   .where(Organisation.name == BRANCH, Candidate.full_name == name))).one()


async def person_id(chibo, name: str) -> int:
    async with chibo.sessions() as session:
        return (await session.exec(select(Person.id).where(Person.full_name == name))).first()


async def sponsor_of(chibo, name: str) -> int | None:
    return (await candidate(chibo, name)).sponsor_id


async def set_candidate(chibo, name: str, **values) -> None:
    c = await candidate(chibo, name)
    async with chibo.sessions() as session, session.begin():
        await session.exec(sa.update(Candidate).where(Candidate.id == c.id).values(**values))


async def test_the_question_shows_the_current_sponsor_and_the_branch_s_members(talk, demo):
    # the members in the branch's order, each with how many they sponsor; how to go back or cancel
    n = await number_of(demo, MINH)
    assert await talk("bithu").say(f"/giupdo {n}") == question(minh(n), "Trần Văn Bình")


async def test_changing_the_sponsor_by_number_is_confirmed_saved_and_audited(talk, demo):
    bithu = talk("bithu")
    n = await number_of(demo, MINH)
    await bithu.say(f"/giupdo {n}")
    assert await bithu.say("3") == confirm(minh(n), "Trần Văn Bình", "Đỗ Thị Mai" + UNLINKED)
    assert await sponsor_of(demo, MINH) == await person_id(demo, "Trần Văn Bình")  # not before "Lưu"
    assert await bithu.say("1") == (
        f"Đã phân công Đỗ Thị Mai giúp đỡ {n}. Lê Hoàng Minh (thay Trần Văn Bình). Xem: /xem {n}\n"
        "Đỗ Thị Mai chưa liên kết tài khoản chat với chibo nên chưa nhận được tin báo: xin báo trực tiếp cho "
        "đồng chí (chibo sẽ báo Trần Văn Bình thôi giúp đỡ).")
    assert await sponsor_of(demo, MINH) == await person_id(demo, "Đỗ Thị Mai")
    minh_id = (await candidate(demo, MINH)).id
    async with demo.sessions() as session:
        rows = list(await session.exec(select(AuditLog).where(AuditLog.action == "candidate.assign_sponsor")))
    assert [(r.subject, r.person_id) for r in rows] == [
        (f"candidate:{minh_id}", await person_id(demo, "Nguyễn Thị Thu"))]
    assert await bithu.say(f"/xem {n}") == (
        f"{n}. Lê Hoàng Minh\n"
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
    n = await number_of(demo, AN)
    assert await bithu.say("nguyen van an") == question(an(n), "chưa có")
    assert await bithu.say("phan van hung") == confirm(an(n), "chưa có", "Phan Văn Hùng" + UNLINKED)
    assert await bithu.say("Lưu") == (  # no "thay": there was no sponsor before
        f"Đã phân công Phan Văn Hùng giúp đỡ {n}. Nguyễn Văn An. Xem: /xem {n}\n"
        "Phan Văn Hùng chưa liên kết tài khoản chat với chibo nên chưa nhận được tin báo: xin báo trực tiếp cho "
        "đồng chí.")
    assert await sponsor_of(demo, AN) == await person_id(demo, "Phan Văn Hùng")


async def test_an_ambiguous_name_offers_the_matches(talk, demo):
    bithu = talk("bithu")
    n = await number_of(demo, MINH)
    await bithu.say(f"/giupdo {n}")
    assert await bithu.say("thi") == asked_again(  # Nguyễn Thị Thu, Đỗ Thị Mai
        "Có 2 đảng viên khớp. Bạn chọn người nào?", minh(n),
        members="1. Nguyễn Thị Thu (bí thư) — đang giúp đỡ 0 người\n2. Đỗ Thị Mai — đang giúp đỡ 0 người")
    assert await bithu.say("2") == confirm(minh(n), "Trần Văn Bình", "Đỗ Thị Mai" + UNLINKED)


@pytest.mark.parametrize("typed", ["7", "0", "Lê Văn Cường", "zzz"])
async def test_someone_not_a_member_of_the_branch_is_asked_again(talk, demo, typed):
    bithu = talk("bithu")
    n = await number_of(demo, MINH)
    await bithu.say(f"/giupdo {n}")
    assert await bithu.say(typed) == asked_again(not_a_member(typed), minh(n))  # typed: members' numbers or names
    assert await bithu.say("1") == confirm(minh(n), "Trần Văn Bình", "Nguyễn Thị Thu")


async def test_the_current_sponsor_again_is_asked_again(talk, demo):
    bithu = talk("bithu")
    n = await number_of(demo, MINH)
    await bithu.say(f"/giupdo {n}")
    assert await bithu.say("tran van binh") == asked_again(
        "Trần Văn Bình đang là người giúp đỡ Lê Hoàng Minh rồi. Chọn người khác để đổi, hoặc /huy nếu không đổi.",
        minh(n))
    assert await bithu.say("2") == confirm(minh(n), "Trần Văn Bình", "Phan Văn Hùng" + UNLINKED)


async def test_a_candidate_cannot_sponsor_themself(talk, demo):
    await set_candidate(demo, AN, person_id=await person_id(demo, "Đỗ Thị Mai"))
    bithu = talk("bithu")
    await bithu.say(f"/giupdo {await number_of(demo, AN)}")
    assert await bithu.say("do thi mai") == asked_again(
        "Nguyễn Văn An không thể tự giúp đỡ chính mình. Xin chọn một đảng viên khác.",
        who=an(await number_of(demo, AN)), current="chưa có")
    assert await sponsor_of(demo, AN) is None


@pytest.mark.parametrize("who, stage", [
    ("Cao Thị Huyền", "Đảng viên chính thức"), ("Mạc Văn Tài", "Đã đưa ra khỏi danh sách")])
async def test_closed_stages_get_no_sponsor(talk, demo, who, stage):
    bithu = talk("bithu")
    number = await number_of(demo, who)
    assert await bithu.say(f"/giupdo {number}") == closed(f"{number}. {who}", stage) + "\n" + STOPPED
    n = await number_of(demo, MINH)
    assert await bithu.say(f"/giupdo {n}") == question(minh(n), "Trần Văn Bình")  # the flow was not left open


async def test_a_transferred_candidate_gets_no_sponsor(talk, demo):
    await set_candidate(demo, AN, stage="transferred")
    n = await number_of(demo, AN)
    assert await talk("bithu").say(f"/giupdo {n}") == closed(f"{n}. Nguyễn Văn An", "Đã chuyển đi") + "\n" + STOPPED


async def test_another_branch_s_candidate_is_not_found(talk):
    assert await talk("bithu").say("/giupdo ngo duc thang") == (
        'Không tìm thấy ai khớp với "ngo duc thang" trong danh sách bạn được xem. Xin gõ số (xem /ds) hoặc một '
        "phần họ tên khác.\n"
        + STOPPED)


async def test_going_back_picks_another_candidate(talk, demo):
    bithu = talk("bithu")
    await bithu.say(f"/giupdo {await number_of(demo, MINH)}")
    assert await bithu.say("quay lại") == WHOM
    ha = await number_of(demo, "Phạm Thu Hà")
    assert await bithu.say(f"{ha}") == question(f"{ha}. Phạm Thu Hà (Cảm tình Đảng)", "Trần Văn Bình")


async def test_changing_the_candidate_on_the_confirmation_checks_again(talk, demo):
    bithu = talk("bithu")
    await bithu.say(f"/giupdo {await number_of(demo, AN)}")
    assert await bithu.say("4") == confirm(  # Trần Văn Bình (4th member) for Nguyễn Văn An
        an(await number_of(demo, AN)), "chưa có", "Trần Văn Bình")
    assert await bithu.say("Sửa quần chúng") == WHOM
    n = await number_of(demo, MINH)
    screen = await bithu.say(f"{n}")  # Lê Hoàng Minh already has Trần Văn Bình
    assert screen == same_sponsor_again(n)
    assert await bithu.say("Lưu") == same_sponsor_again(n)  # still refused, the same screen
    assert await sponsor_of(demo, AN) is None
    assert await sponsor_of(demo, MINH) == await person_id(demo, "Trần Văn Bình")


def same_sponsor_again(n: int) -> str:
    return (
        "Trần Văn Bình đang là người giúp đỡ Lê Hoàng Minh rồi. Chọn người khác để đổi, hoặc /huy nếu không đổi.\n"
        "Xin kiểm tra lại trước khi lưu:\n"
        f"- Quần chúng: {n}. Lê Hoàng Minh (Cảm tình Đảng)\n"
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
    n = await number_of(demo, AN)
    await bithu.say(f"/giupdo {n}")
    assert await bithu.say("3") == confirm(an(n), "chưa có", "Đỗ Thị Mai" + UNLINKED)
    await set_candidate(demo, AN, stage="removed")
    assert await bithu.say("Lưu") == (closed(f"{n}. Nguyễn Văn An", "Đã đưa ra khỏi danh sách") + "\n"
                                      + confirm(an(n), "chưa có", "Đỗ Thị Mai" + UNLINKED))
    assert await sponsor_of(demo, AN) is None


async def test_cancel_saves_nothing(talk, demo):
    bithu = talk("bithu")
    await bithu.say(f"/giupdo {await number_of(demo, MINH)}")
    await bithu.say("3")
    assert await bithu.say("Hủy") == "Đã hủy, không lưu gì. Gõ /trogiup để xem các lệnh."
    assert await sponsor_of(demo, MINH) == await person_id(demo, "Trần Văn Bình")


@pytest.mark.parametrize("account, refusal, not_understood", [
    ("giupdo", NOT_ALLOWED, NOT_UNDERSTOOD), ("quanchung", NOT_ALLOWED, NOT_UNDERSTOOD),
    ("captren", NOT_ALLOWED, NOT_UNDERSTOOD), ("nguoila", NOT_LINKED, NOT_UNDERSTOOD_STRANGER),
])
async def test_others_are_refused_and_learn_no_names(talk, demo, account, refusal, not_understood):
    person = talk(account)
    n = await number_of(demo, MINH)
    said = [await person.say(text) for text in ["/giupdo", f"/giupdo {n}", "3", "do thi mai", "1"]]
    assert said == [refusal, refusal, not_understood, not_understood, not_understood]  # names no one
    assert await sponsor_of(demo, MINH) == await person_id(demo, "Trần Văn Bình")
