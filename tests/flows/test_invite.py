"""/moi (issue 14): a secretary invites a deputy or a sponsor (an official member of the roster)
or a candidate of the branch; the code is bound to that role, person and branch, and on
Telegram a one-tap link comes with it."""

import re

import sqlalchemy as sa
from sqlmodel import select

from bot.demo import BRANCH
from bot.events import Capabilities
from models.audit import AuditLog
from models.candidate import Candidate
from models.people import ChatLink, Invite, RoleGrant
from models.roster import PartyMember
from models.stage import Role
from tests.flows.test_access_revoked import branch_id, person_of
from tests.flows.test_members import on_telegram_not_allowed
from tests.support import Convo
from tests.texts import NOT_ALLOWED, NOT_LINKED, SPONSOR_HELP

HOW = "(Trả lời bằng số hoặc bằng chữ)"
ROLE_QUESTION = ("Mời người này vào chibo với vai trò gì? Gõ /huy để thôi.\n\n"
                 f"1. phó bí thư\n2. đảng viên giúp đỡ\n3. quần chúng\n{HOW}")
MEMBERS = ("1. Cao Thị Huyền\n2. Đỗ Thị Mai\n3. Đoàn Thị Thảo\n4. Hồ Thị Ngọc Hân\n5. Lê Thị Kim Oanh\n"
           "6. Nguyễn Hữu Phước\n7. Phan Văn Hùng\n8. Phùng Quang Vinh\n9. Trần Văn Bình\n10. Trương Văn Dũng\n")
MEMBER_QUESTION = ("Mời đảng viên nào? Chọn trong các đảng viên chính thức của chi bộ (danh sách ở /dangvien), "
                   f"hoặc gõ một phần họ tên.\n\n{MEMBERS}{HOW}")
TELEGRAM = Capabilities(buttons=True, max_text=4096, files=True, photos=True, bot_username="chibo_demo_bot")
CODE = re.compile(r": ([2-9A-HJKMNP-Z]{10})\n")


def confirm(role: str, name: str) -> str:
    return ("Xin kiểm tra lại trước khi tạo mã mời:\n"
            f"- Chi bộ: {BRANCH}\n- Vai trò: {role}\n- Người được mời: {name}\n"
            "Mã mời chỉ dùng được một lần, cho đúng người và vai trò này.\n\n"
            f"1. Lưu\n2. Sửa vai trò\n3. Sửa người được mời\n4. Hủy\n{HOW}")


def created(name: str, role: str, code: str, link: bool = False) -> str:
    text = (f"Mã mời {name} làm {role} — {BRANCH}: {code}\n"
            f"Mã dùng được một lần, đến 09:00 ngày 09/03/2026. Hãy gửi riêng mã này cho {name}: "
            f"người đó nhắn cho chibo (trên Telegram, Zalo) \"/start {code}\".")
    if link:
        text += f"\nTrên Telegram, chỉ cần bấm liên kết này: https://t.me/chibo_demo_bot?start={code}"
    return text


def code_in(reply: str) -> str:
    found = CODE.search(reply + "\n")
    assert found, reply
    return found.group(1)


async def test_a_secretary_invites_a_sponsor_from_the_roster_who_links_as_that_person(talk, demo):
    bithu = talk("bithu")
    assert await bithu.say("/moi") == ROLE_QUESTION
    assert await bithu.say("2") == MEMBER_QUESTION
    assert await bithu.say("Hân") == confirm("đảng viên giúp đỡ", "Hồ Thị Ngọc Hân")
    reply = await bithu.say("Lưu")
    code = code_in(reply)
    assert reply == created("Hồ Thị Ngọc Hân", "đảng viên giúp đỡ", code)
    async with demo.sessions() as session:
        member = (await session.exec(select(PartyMember).where(PartyMember.full_name == "Hồ Thị Ngọc Hân"))).one()
        invite = (await session.exec(select(Invite))).one()
    assert member.person_id is not None  # given a person in chibo, to whom the invite is bound
    assert (invite.role, invite.person_id, invite.org_id, invite.full_name) == (
        Role.sponsor, member.person_id, await branch_id(demo), "Hồ Thị Ngọc Hân")
    han = Convo(demo, account="han-phone")
    linked = await han.say(f"/start {code}")
    assert linked == (f"Đã liên kết tài khoản. Vai trò: đảng viên giúp đỡ — {BRANCH}.\n\n"
                      + SPONSOR_HELP.replace("Trần Văn Bình", "Hồ Thị Ngọc Hân"))
    assert await person_of(demo, "han-phone") == member.person_id
    async with demo.sessions() as session:
        actions = (await session.exec(sa.select(AuditLog.person_id, AuditLog.action, AuditLog.subject)
                                      .order_by(AuditLog.id))).all()
        grants = (await session.exec(select(RoleGrant.role).where(RoleGrant.person_id == member.person_id))).all()
    secretary = await person_of(demo, "bithu")
    assert [tuple(a) for a in actions] == [(secretary, "invite.create", f"invite:{invite.id}"),
                                           (member.person_id, "invite.redeem", f"invite:{invite.id}")]
    assert list(grants) == [Role.sponsor]


async def test_on_telegram_the_code_comes_with_a_one_tap_link(demo):
    bithu = Convo(demo, account="bithu", caps=TELEGRAM)
    async with demo.sessions() as session, session.begin():  # bithu's Telegram account
        secretary = (await session.exec(select(ChatLink).where(ChatLink.account_id == "bithu"))).one()
        session.add(ChatLink(channel="telegram", account_id="bithu-tg", person_id=secretary.person_id,
                             linked_at=secretary.linked_at))
    bithu = Convo(demo, account="bithu-tg", channel="telegram", caps=TELEGRAM)
    assert await bithu.say("/moi") == "Mời người này vào chibo với vai trò gì? Gõ /huy để thôi."
    assert await bithu.say("phó bí thư") == MEMBER_QUESTION.split("\n\n")[0]
    assert await bithu.say("7") == confirm("phó bí thư", "Phan Văn Hùng").split("\n\n")[0]
    reply = await bithu.say("1")
    code = code_in(reply)
    assert reply == created("Phan Văn Hùng", "phó bí thư", code, link=True)


async def test_a_candidate_invite_links_the_candidate(talk, demo):
    bithu = talk("bithu")
    await bithu.say("/moi")
    assert await bithu.say("quần chúng") == (
        "Mời quần chúng nào? Gõ số thứ tự trong danh sách (/ds) hoặc một phần họ tên.")
    async with demo.sessions() as session:
        removed = (await session.exec(select(Candidate).where(Candidate.full_name == "Mạc Văn Tài"))).one()
        pupil = (await session.exec(select(Candidate).where(Candidate.full_name == "Ngô Đức Thắng"))).one()
        mai = (await session.exec(select(Candidate).where(Candidate.full_name == "Lương Thị Mỹ"))).one()
    assert await bithu.say(str(removed.number)) == (
        "Mạc Văn Tài đã ra khỏi danh sách hoặc đã chuyển đi, không mời được. Xin chọn người khác.\n"
        "Mời quần chúng nào? Gõ số thứ tự trong danh sách (/ds) hoặc một phần họ tên.")
    assert pupil.branch_id != mai.branch_id  # the other branch's candidates are not bithu's to find
    assert await bithu.say("Lương Thị Mỹ") == confirm("quần chúng", f"{mai.number}. Lương Thị Mỹ")
    reply = await bithu.say("1")
    code = code_in(reply)
    assert reply == created("Lương Thị Mỹ", "quần chúng", code)
    from tests.flows.test_consent import LINKED  # the notice on personal data: tests/flows/test_consent.py

    assert await Convo(demo, account="my-phone").say(f"/start {code}") == LINKED
    async with demo.sessions() as session:
        mai = await session.get(Candidate, mai.id)
    assert mai.person_id == await person_of(demo, "my-phone")


async def test_a_name_nobody_on_the_roster_has_is_asked_again(talk):
    bithu = talk("bithu")
    await bithu.say("/moi")
    await bithu.say("2")
    assert await bithu.say("Nguyễn Thị Thu") == (  # the secretary herself is not offered
        "Không có đảng viên chính thức nào khớp với \"Nguyễn Thị Thu\". Xin chọn một dòng dưới đây.\n"
        f"{MEMBER_QUESTION}")
    assert await bithu.say("Thị") == (
        f"Có 5 đảng viên khớp. Bạn chọn ai?\n{MEMBER_QUESTION.split(chr(10))[0]}\n\n"
        f"1. Cao Thị Huyền\n2. Đỗ Thị Mai\n3. Đoàn Thị Thảo\n4. Hồ Thị Ngọc Hân\n5. Lê Thị Kim Oanh\n{HOW}")


async def test_only_a_secretary_invites(talk):
    for account in ("giupdo", "quanchung", "captren"):
        assert await talk(account).say("/moi") == NOT_ALLOWED
    assert await talk("nguoila").say("/moi") == NOT_LINKED


async def test_without_the_secret_no_code_is_made(talk, demo):
    demo.settings.secret = None
    assert await talk("bithu").say("/moi") == (
        "chibo chưa tạo được mã mời: máy chủ chưa được cài khoá bí mật (CHIBO_SECRET). "
        "Xin báo người quản trị chibo.")


async def test_on_a_channel_the_branch_does_not_allow_the_invited_are_initials(talk, demo):
    """Issue 16: on Telegram, which the branch does not allow, /moi lists the members, confirms
    and gives the code naming the person invited by initials; the invite keeps the full name."""
    telegram = await on_telegram_not_allowed(demo)
    initials = ("1. C.T.H.\n2. Đ.T.M.\n3. Đ.T.T.\n4. H.T.N.H.\n5. L.T.K.O.\n6. N.H.P.\n7. P.V.H.\n8. P.Q.V.\n"
                "9. T.V.B.\n10. T.V.D.\n")
    assert await telegram.say("/moi") == ROLE_QUESTION
    assert await telegram.say("2") == MEMBER_QUESTION.replace(MEMBERS, initials)
    assert await telegram.say("Hân") == confirm("đảng viên giúp đỡ", "H.T.N.H.")
    reply = await telegram.say("Lưu")
    assert reply == created("H.T.N.H.", "đảng viên giúp đỡ", code_in(reply))
    async with demo.sessions() as session:
        assert (await session.exec(select(Invite.full_name))).one() == "Hồ Thị Ngọc Hân"
    await telegram.say("/moi")
    await telegram.say("quần chúng")
    async with demo.sessions() as session:
        mai = (await session.exec(select(Candidate).where(Candidate.full_name == "Lương Thị Mỹ"))).one()
    assert await telegram.say("Lương Thị Mỹ") == confirm("quần chúng", f"{mai.number}. L.T.M.")
    reply = await telegram.say("1")
    assert reply == created("L.T.M.", "quần chúng", code_in(reply))
