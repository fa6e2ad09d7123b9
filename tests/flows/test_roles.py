"""/thuhoi: in chat, a secretary ends a sponsor's or a deputy's role, a committee a secretary's;
the person is a stranger from their next message, and each ending is in the audit log."""

import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH
from bot.render import text_of
from models.access import revoke_role
from models.audit import AuditLog
from models.people import ChatLink, RoleGrant
from models.stage import Role
from tests.flows.test_access_revoked import branch_id, person_of
from tests.flows.test_candidates import branch_list, demo_numbers
from tests.flows.test_members import on_telegram_not_allowed
from tests.texts import NOT_ALLOWED, NOT_LINKED, NOT_UNDERSTOOD_STRANGER, sponsor_meeting_start

HOW = "(Trả lời bằng số hoặc bằng chữ)"
ASK = ("Thu hồi vai trò của ai? Chọn một dòng dưới đây, hoặc gõ một phần họ tên.\n"
       "Người còn vai trò khác vẫn giữ vai trò đó; người không còn vai trò nào sẽ không dùng được chibo nữa. "
       "Gõ /huy để thôi.\n\n")
ROLES = (ASK  # what bithu may end in the demo
         + f"1. Phan Văn Hùng — phó bí thư, {BRANCH}\n"
         f"2. Trần Văn Bình — đảng viên giúp đỡ, {BRANCH}\n"
         f"3. Đỗ Thị Mai — đảng viên giúp đỡ, {BRANCH}\n"
         + HOW)


def confirm(line: str) -> str:
    return ("Xin kiểm tra lại trước khi thu hồi:\n"
            f"- Vai trò: {line}\n"
            "Khi lưu: từ tin nhắn tới, người này không dùng được các lệnh của vai trò đó nữa; "
            "việc thu hồi được ghi vào nhật ký.\n\n"
            f"1. Lưu\n2. Sửa người và vai trò\n3. Hủy\n{HOW}")


async def audit_of(chibo) -> list[tuple]:
    async with chibo.sessions() as session:
        return [tuple(r) for r in (await session.exec(
            sa.select(AuditLog.person_id, AuditLog.action, AuditLog.subject).order_by(AuditLog.id))).all()]


async def test_a_secretary_ends_a_sponsor_s_role_who_is_then_a_stranger(talk, demo):
    bithu, giupdo = talk("bithu"), talk("giupdo")
    assert await bithu.say("/thuhoi") == ASK + (
        f"1. Phan Văn Hùng — phó bí thư, {BRANCH}\n"
        f"2. Trần Văn Bình — đảng viên giúp đỡ, {BRANCH}\n"
        f"3. Đỗ Thị Mai — đảng viên giúp đỡ, {BRANCH}\n{HOW}")
    assert await bithu.say("binh") == confirm(f"Trần Văn Bình — đảng viên giúp đỡ, {BRANCH}")
    assert await giupdo.say("/gap") == sponsor_meeting_start(await demo_numbers(demo))  # mid-conversation when it ends
    assert await bithu.say("Lưu") == (
        f"Đã thu hồi vai trò đảng viên giúp đỡ của Trần Văn Bình ở {BRANCH}.\n"
        "9 quần chúng do người này giúp đỡ cần người giúp đỡ mới: /giupdo.")
    assert await giupdo.say("pham thu ha") == NOT_UNDERSTOOD_STRANGER
    assert await giupdo.say("/cuatoi") == NOT_LINKED
    sponsor, secretary, branch = await person_of(demo, "giupdo"), await person_of(demo, "bithu"), await branch_id(demo)
    assert await audit_of(demo) == [(secretary, "role.revoke", f"person:{sponsor}@org:{branch}:sponsor")]
    assert await bithu.say("/thuhoi") == ASK + (  # Trần Văn Bình is no longer listed
        f"1. Phan Văn Hùng — phó bí thư, {BRANCH}\n"
        f"2. Đỗ Thị Mai — đảng viên giúp đỡ, {BRANCH}\n"
        + HOW)


async def test_the_committee_ends_a_secretary_s_role(talk, demo):
    captren, bithu = talk("captren"), talk("bithu")
    assert await captren.say("/thuhoi") == ASK + f"1. Nguyễn Thị Thu — bí thư, {BRANCH}\n{HOW}"
    assert await captren.say("1") == confirm(f"Nguyễn Thị Thu — bí thư, {BRANCH}")
    assert await captren.say("1") == f"Đã thu hồi vai trò bí thư của Nguyễn Thị Thu ở {BRANCH}."
    assert await bithu.say("/ds") == NOT_LINKED
    assert await captren.say("/thuhoi") == text_of("roles/none")
    committee, secretary = await person_of(demo, "captren"), await person_of(demo, "bithu")
    branch = await branch_id(demo)
    assert await audit_of(demo) == [(committee, "role.revoke", f"person:{secretary}@org:{branch}:secretary")]


async def test_a_sponsor_and_a_candidate_may_not_end_roles(talk):
    for account in ("giupdo", "quanchung"):
        assert await talk(account).say("/thuhoi") == NOT_ALLOWED


async def test_a_secretary_never_sees_their_own_role_nor_another_secretary_s(talk, demo):
    branch = await branch_id(demo)
    async with demo.sessions() as session, session.begin():
        session.add(RoleGrant(person_id=await person_of(demo, "bithu"), org_id=branch, role=Role.deputy))
        session.add(RoleGrant(person_id=await person_of(demo, "giupdo"), org_id=branch, role=Role.secretary))
    assert await talk("bithu").say("/thuhoi") == ROLES  # no "Nguyễn Thị Thu", no "Trần Văn Bình — bí thư"


async def test_a_name_that_matches_nobody_is_asked_again_with_the_list(talk):
    bithu = talk("bithu")
    await bithu.say("/thuhoi")
    assert await bithu.say("xyz") == (
        'Không có người nào khớp với "xyz" trong danh sách. Xin chọn một dòng dưới đây.\n' + ASK +
        f"1. Phan Văn Hùng — phó bí thư, {BRANCH}\n"
        f"2. Trần Văn Bình — đảng viên giúp đỡ, {BRANCH}\n"
        f"3. Đỗ Thị Mai — đảng viên giúp đỡ, {BRANCH}\n{HOW}")


async def test_a_role_ended_meanwhile_is_not_ended_twice(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/thuhoi")
    await bithu.say("binh")
    async with demo.sessions() as session, session.begin():
        await revoke_role(session=session, person_id=await person_of(demo, "giupdo"), org_id=await branch_id(demo),
                          role=Role.sponsor, now=demo.clock.now(), by_person_id=None)
    assert await bithu.say("Lưu") == (
        f"Trần Văn Bình không còn vai trò đảng viên giúp đỡ ở {BRANCH} để bạn thu hồi. Không có gì thay đổi.")
    assert len(await audit_of(demo)) == 1  # the first ending only


async def test_a_person_who_keeps_another_role_keeps_using_it(talk, demo):
    branch = await branch_id(demo)
    giupdo_id = await person_of(demo, "giupdo")
    async with demo.sessions() as session, session.begin():
        session.add(RoleGrant(person_id=giupdo_id, org_id=branch, role=Role.deputy))
    bithu = talk("bithu")
    await bithu.say("/thuhoi")
    await bithu.say(f"grant:{giupdo_id}:{branch}:sponsor")
    assert await bithu.say("Lưu") == (  # a deputy goes on sponsoring: no "9 quần chúng ... cần người giúp đỡ mới"
        f"Đã thu hồi vai trò đảng viên giúp đỡ của Trần Văn Bình ở {BRANCH}.")
    assert await talk("giupdo").say("/ds") == branch_list(await demo_numbers(demo))  # a deputy sees the whole branch
    async with demo.sessions() as session:
        assert (await session.exec(select(ChatLink).where(ChatLink.person_id == giupdo_id))).first() is not None


async def test_on_a_channel_the_branch_does_not_allow_the_people_are_initials(talk, demo):
    """Issue 16: on Telegram, which the branch does not allow, /thuhoi names people by initials
    (found still by words of the name); the console keeps the full names."""
    telegram = await on_telegram_not_allowed(demo)
    await telegram.dialog([
        ("/thuhoi", ASK + f"1. P.V.H. — phó bí thư, {BRANCH}\n"
                          f"2. T.V.B. — đảng viên giúp đỡ, {BRANCH}\n"
                          f"3. Đ.T.M. — đảng viên giúp đỡ, {BRANCH}\n" + HOW),
        ("binh", confirm(f"T.V.B. — đảng viên giúp đỡ, {BRANCH}")),
        ("Lưu", f"Đã thu hồi vai trò đảng viên giúp đỡ của T.V.B. ở {BRANCH}.\n"
                "9 quần chúng do người này giúp đỡ cần người giúp đỡ mới: /giupdo."),
    ])
    assert await talk("bithu").say("/thuhoi") == ASK + (  # the console: always allowed
        f"1. Phan Văn Hùng — phó bí thư, {BRANCH}\n"
        f"2. Đỗ Thị Mai — đảng viên giúp đỡ, {BRANCH}\n"
        + HOW)
